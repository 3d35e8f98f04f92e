"""SHACL validation of the built graph with pySHACL, against the shapes generated from the schema."""
from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Namespace

from .. import paths

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: focus node, property path, message (and severity)."""

    focus: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        return f"{self.severity}: focus node {self.focus}, path {self.path or '-'}: {self.message}"


def union_graph(kg) -> Graph:
    """All triples of all named graphs of the :class:`~openness_kg.graph.KnowledgeGraph` ``kg``
    in one rdflib ``Graph`` (parsed from N-Triples written by pyoxigraph)."""
    import pyoxigraph as ox

    from ..graph import union_triples

    text = ox.serialize(union_triples(kg.quads), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=text, format="nt")


def shapes_graph() -> Graph:
    """The SHACL shapes generated from the schema (``schema/generated/openness_kg.shacl.ttl``)."""
    return Graph().parse(paths.SHACL_FILE, format="turtle")


def validate_graph(data: Graph, shapes: Graph | None = None,
                   focus_classes: list[str] | None = None) -> list[Violation]:
    """Validate ``data`` (which should include the ontology graph, for ``rdfs:subClassOf``) and
    return every SHACL result, sorted; an empty list means the graph conforms.
    ``focus_classes``: validate only the node shapes targeting these class IRIs."""
    shapes = shapes if shapes is not None else shapes_graph()
    kwargs = {}
    if focus_classes is not None:
        kwargs["use_shapes"] = [str(s) for s in shapes.subjects(SH.targetClass, None)
                                if str(shapes.value(s, SH.targetClass)) in set(focus_classes)]
    conforms, results, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none",
                                            abort_on_first=False, allow_warnings=False, **kwargs)
    out = []
    for r in results.subjects(predicate=SH.focusNode):
        path = results.value(r, SH.resultPath)
        msg = results.value(r, SH.resultMessage)
        value = results.value(r, SH.value)
        sev = results.value(r, SH.resultSeverity)
        text = str(msg) if msg is not None else "constraint violated"
        if value is not None:
            text += f" (value: {value})"
        out.append(Violation(str(results.value(r, SH.focusNode)), str(path) if path is not None else None,
                             text, str(sev).rsplit("#", 1)[-1] if sev else "Violation"))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))
