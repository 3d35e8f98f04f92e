"""SHACL validation with pyrudof (rudof's Rust engine), plus a small pySHACL run for the one kind of
constraint pyrudof does not check: the lexical form of literals of some datatypes (``xsd:date``...).

Draft to merge into :mod:`.shacl`. Input: the union of the graph as N-Triples or N-Quads text
(N-Triples is a subset of N-Quads; with N-Quads the named graphs are merged into one data graph,
blank node labels are document-wide). Validate the union *with* the ontology graph in it:
``sh:class`` and ``sh:targetClass`` follow its ``rdfs:subClassOf``.

Why two engines (measured on the 149,050-quad build, see the report of the merge request):

* pyrudof ``validate_shacl(Native)`` gives the same results as pySHACL (``inference="none"``) for
  every constraint kind our shapes use (targetClass through rdfs:subClassOf, closed +
  ignoredProperties, class, datatype, nodeKind, min/maxCount, in, pattern, min/maxInclusive), in
  ~1/3 of the CPU time;
* except that rudof accepts any lexical form for ``xsd:date`` (``"2024-3-4"^^xsd:date``,
  ``"2024-02-30"^^xsd:date``...), which SHACL's ``sh:datatype`` must reject as ill-typed. So every
  property shape whose ``sh:datatype`` is not in :data:`RUDOF_CHECKED_DATATYPES` is also run through
  pySHACL, reduced to ``sh:path`` + ``sh:datatype``, on the few triples it can see (those with its
  paths, the ``rdf:type`` of their subjects and all ``rdfs:subClassOf``): same result as on the
  whole graph, in well under a second.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyrudof
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

SH = Namespace("http://www.w3.org/ns/shacl#")

#: Datatypes whose lexical forms pyrudof 0.3.35 was checked to validate like pySHACL
#: (ill-formed "maybe"^^xsd:boolean, "1.5"^^xsd:integer, "1,5"^^xsd:double... are rejected).
#: Property shapes with any other sh:datatype (xsd:date in our shapes) are re-checked by pySHACL.
RUDOF_CHECKED_DATATYPES = frozenset({XSD.string, XSD.boolean, XSD.integer, XSD.double, XSD.float,
                                     XSD.dateTime})


@dataclass(frozen=True)
class Violation:
    """One SHACL result: focus node, property path, message (and severity)."""

    focus: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        return f"{self.severity}: focus node {self.focus}, path {self.path or '-'}: {self.message}"


def validate_nquads(data: bytes | str, shapes_path: Path) -> list[Violation]:
    """Validate ``data`` (N-Triples or N-Quads text: the union of all named graphs, the ontology
    graph included) against the SHACL shapes in ``shapes_path`` (Turtle). Every result, sorted by
    focus, path, message; an empty list means the graph conforms. Malformed input raises
    ``pyrudof.DataError`` / ``SyntaxError`` rather than being skipped."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    shapes = Graph().parse(shapes_path, format="turtle")
    out = set(_rudof_violations(raw, Path(shapes_path), _Compactor(shapes)))
    out.update(_pyshacl_datatype_violations(raw, shapes))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))


# --- pyrudof -------------------------------------------------------------------------------------

def _rudof_violations(raw: bytes, shapes_path: Path, compact: "_Compactor") -> list[Violation]:
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    # a file, not inline text: read_data takes a str as "inline data, file path or URL"
    fd, name = tempfile.mkstemp(suffix=".nq")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        # Strict: the default (Lax) skips what it cannot parse, which would hide data from SHACL
        rudof.read_data(Path(name), format=pyrudof.RDFFormat.NQuads, reader_mode=pyrudof.ReaderMode.Strict)
    finally:
        os.unlink(name)
    rudof.read_shacl(shapes_path, format=pyrudof.ShaclFormat.Turtle, reader_mode=pyrudof.ReaderMode.Strict)
    report = rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
    out = []
    for e in report.violations:
        component = e.constraint_component.rsplit("#", 1)[-1]
        text = _message(component, _unquote(e.message or ""), e.path, compact)
        if e.value is not None:
            text += f" (value: {e.value})"
        out.append(Violation(e.focus_node, e.path, text, e.severity.rsplit("#", 1)[-1] or "Violation"))
    return out


def _unquote(s: str) -> str:
    s = s.strip()
    return s[1:-1] if len(s) >= 2 and s[0] == s[-1] == '"' else s


_PARAM = re.compile(r"^\w+\((.*)\) not satisfied$")


def _message(component: str, msg: str, path: str | None, compact: "_Compactor") -> str:
    """A readable message, worded like pySHACL's where it is easy (tests match fragments of it)."""
    m = _PARAM.match(msg)
    param = m.group(1) if m else None
    if component == "MinCountConstraintComponent" and param:
        return f"Less than {param} values on {compact(path)}"
    if component == "MaxCountConstraintComponent" and param:
        return f"More than {param} values on {compact(path)}"
    if component == "ClosedConstraintComponent":
        return f"Node is closed: it cannot have property {compact(path)}"
    if component == "DatatypeConstraintComponent" and msg.startswith("Expected Datatype: "):
        return f"Value is not Literal with datatype {msg.split(': ', 1)[1]}"
    if component == "ClassConstraintComponent" and "for class " in msg:
        return f"Value does not have class {compact(msg.rsplit('for class ', 1)[1])}"
    if component == "NodeKindConstraintComponent" and "Expected node kind: " in msg:
        return f"Value is not of node kind sh:{msg.rsplit(': ', 1)[1]}"
    if component == "InConstraintComponent" and "Expected one of " in msg:
        return f"Value is not in {msg.split('Expected one of ', 1)[1]}"
    if component == "PatternConstraintComponent" and param:
        return f"Value does not match pattern {param!r}"
    if component == "MinInclusiveConstraintComponent" and param:
        return f"Value is not >= {param}"
    if component == "MaxInclusiveConstraintComponent" and param:
        return f"Value is not <= {param}"
    return f"{component}: {msg}" if msg else component


class _Compactor:
    """IRI -> prefix:local with the shapes file's prefixes (as pySHACL writes them)."""

    def __init__(self, shapes: Graph):
        self._ns = sorted(((str(ns), p) for p, ns in shapes.namespaces() if p), key=lambda x: -len(x[0]))

    def __call__(self, iri: str | None) -> str:
        if iri is None:
            return "-"
        for ns, prefix in self._ns:
            if iri.startswith(ns) and re.fullmatch(r"[\w.-]*", iri[len(ns):]):
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"


# --- pySHACL for the datatypes rudof does not check ----------------------------------------------

def _datatype_shapes(shapes: Graph) -> tuple[Graph, set[URIRef]]:
    """The node shapes with a property shape whose sh:datatype is not checked by rudof, reduced to
    their targets and those property shapes' sh:path + sh:datatype; and the set of their paths
    (empty set and empty graph if none; ``{None}`` in the set if a path is not a plain IRI)."""
    g = Graph()
    paths: set[URIRef] = set()
    for node_shape in set(shapes.subjects(SH.property, None)):
        for ps in shapes.objects(node_shape, SH.property):
            dt = shapes.value(ps, SH.datatype)
            if dt is None or dt in RUDOF_CHECKED_DATATYPES:
                continue
            for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
                for o in shapes.objects(node_shape, p):
                    g.add((node_shape, p, o))
            g.add((node_shape, RDF.type, SH.NodeShape))
            new = BNode()
            g.add((node_shape, SH.property, new))
            g.add((new, SH.datatype, dt))
            path = shapes.value(ps, SH.path)
            g.add((new, SH.path, path))
            if isinstance(path, URIRef):
                paths.add(path)
            else:  # a complex path: copy it, and look at the whole data graph
                paths.add(None)  # type: ignore[arg-type]
                for t in shapes.cbd(path):
                    g.add(t)
    if any(shapes.objects(None, SH.targetSubjectsOf)) or any(shapes.objects(None, SH.targetObjectsOf)):
        paths.add(None)  # type: ignore[arg-type]  # such targets need the whole graph: stay safe
    return g, paths


def _pyshacl_datatype_violations(raw: bytes, shapes: Graph) -> list[Violation]:
    mini_shapes, paths = _datatype_shapes(shapes)
    if not paths:
        return []
    quads = ox.parse(raw, format=ox.RdfFormat.N_QUADS)
    if None in paths:
        keep = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    else:
        # what the reduced shapes can see: values of their paths, and the types of those values'
        # subjects (sh:targetClass through rdfs:subClassOf)
        wanted = {ox.NamedNode(str(p)) for p in paths}
        rdf_type, sub_class = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.subClassOf))
        keep, types, subjects = set(), [], set()
        for q in quads:
            if q.predicate in wanted:
                keep.add(ox.Triple(q.subject, q.predicate, q.object))
                subjects.add(q.subject)
            elif q.predicate == sub_class:
                keep.add(ox.Triple(q.subject, q.predicate, q.object))
            elif q.predicate == rdf_type:
                types.append(q)
        keep.update(ox.Triple(q.subject, q.predicate, q.object) for q in types if q.subject in subjects)
    data = Graph().parse(data=ox.serialize(keep, format=ox.RdfFormat.N_TRIPLES), format="nt")
    _, results, _ = pyshacl_validate(data, shacl_graph=mini_shapes, inference="none",
                                     abort_on_first=False, allow_warnings=False)
    out = []
    for r in results.subjects(SH.focusNode, None):
        path = results.value(r, SH.resultPath)
        value = results.value(r, SH.value)
        expected = mini_shapes.value(results.value(r, SH.sourceShape), SH.datatype)
        if not (isinstance(value, Literal) and value.datatype == expected):
            continue  # wrong datatype, not a literal...: rudof reports these itself
        msg = results.value(r, SH.resultMessage)
        text = str(msg) if msg is not None else "constraint violated"
        if value is not None:
            text += f" (value: {value.n3() if isinstance(value, Literal) else value})"
        sev = results.value(r, SH.resultSeverity)
        out.append(Violation(str(results.value(r, SH.focusNode)), str(path) if path is not None else None,
                             text, str(sev).rsplit("#", 1)[-1] if sev else "Violation"))
    return out
