"""SHACL validation of the knowledge graph: the generated shapes compiled to SPARQL and run on
pyoxigraph, with pySHACL kept as the reference engine.

The shapes (``schema/generated/openness_kg.shacl.ttl``, written by LinkML's ShaclGenerator) use
a small part of SHACL Core: node shapes with ``sh:targetClass``, ``sh:closed`` and
``sh:ignoredProperties``; property shapes on a predicate path with ``sh:minCount``,
``sh:maxCount``, ``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:in``, ``sh:pattern``,
``sh:minInclusive`` and ``sh:maxInclusive``. :func:`compile_shapes` turns each constraint into
one SPARQL ``SELECT`` following its definition in the SHACL Recommendation (W3C, 2017,
section 4, "Core Constraint Components"); a shape using anything else is refused
(:class:`UnsupportedShape`), never skipped. Two parts are checked in Python on the rows SPARQL
returns, because SPARQL cannot state them: the lexical well-formedness of typed literals
(``sh:datatype``: rdflib's ``Literal.ill_typed``, as pySHACL does) and Python ``re`` semantics of
``sh:pattern`` (as pySHACL).

Why not pySHACL on every build: on the full graph (149k quads) it took 35-41 s of CPU; pyrudof
took 13-18 s but 2.4 GB of memory (measured, see the closing note of the pipeline issue). The
compiled queries take about a second. ``engine="pyshacl"`` runs pySHACL instead; the tests
require both engines to report the same (focus node, path, constraint) results on the invalid
examples and on mutations of real records.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from .. import paths

SH = Namespace("http://www.w3.org/ns/shacl#")
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
RDF_TYPE = str(RDF.type)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# what a shape may say without being a constraint
_DESCRIPTIVE = {SH.description, SH.order, SH.name, SH.group, SH.defaultValue, SH.path, RDF.type,
                URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
                URIRef("http://www.w3.org/2000/01/rdf-schema#label")}
_NODE_KEYS = {SH.targetClass, SH.closed, SH.ignoredProperties, SH.property}
_PROPERTY_KEYS = {SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH["in"],
                  SH.pattern, SH.flags, SH.minInclusive, SH.maxInclusive}


class UnsupportedShape(ValueError):
    """The shapes use a SHACL feature the compiled engine does not implement (use pySHACL)."""


@dataclass(frozen=True)
class Violation:
    """One SHACL result: focus node, property path, message (and severity)."""

    focus: str
    path: str | None
    message: str
    severity: str = "Violation"
    component: str = ""

    def __str__(self) -> str:
        return f"{self.severity}: focus node {self.focus}, path {self.path or '-'}: {self.message}"


@dataclass
class Check:
    """One compiled constraint: the SPARQL returning ``?focus`` (and ``?value``) for each
    violation, the shape it comes from, and how to word a result."""

    shape: str
    target: str
    path: str | None
    component: str
    sparql: str
    message: str
    post: object = None  # optional Python filter on (value term) -> True when it violates

    def results(self, store: ox.Store, focus: set[str] | None = None) -> list[Violation]:
        out = []
        has_value = "?value" in self.sparql.split("WHERE", 1)[0]
        for row in store.query(self.sparql, use_default_graph_as_union=True):
            f = row["focus"]
            if focus is not None and f.value not in focus:
                continue
            v = row["value"] if has_value else None
            if self.post is not None and not self.post(v):
                continue
            text = self.message + (f" (value: {_show(v)})" if v is not None else "")
            out.append(Violation(_show(f), self.path, text, "Violation", self.component))
        return out


def _show(term) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term.value) if isinstance(term, ox.Literal) else str(term)


def _n3(term) -> str:
    """An rdflib term in SPARQL syntax."""
    return term.n3()


def _ill_typed(v) -> bool:
    """True when the literal ``v`` (pyoxigraph) is not a well-formed value of its datatype."""
    if not isinstance(v, ox.Literal) or v.datatype is None or v.datatype.value == XSD_STRING:
        return False
    return _ill_typed_lexical(v.value, v.datatype.value)


@lru_cache(maxsize=65536)
def _ill_typed_lexical(lexical: str, datatype: str) -> bool:
    if datatype == XSD_BOOLEAN:  # rdflib reads any word as a boolean (with a warning)
        return lexical not in ("true", "false", "1", "0")
    log = logging.getLogger("rdflib.term")  # rdflib logs every failed conversion with a traceback
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        return bool(Literal(lexical, datatype=URIRef(datatype)).ill_typed)
    finally:
        log.setLevel(level)


def _focus(target: str) -> str:
    return (f"?focus <{RDF_TYPE}>/<{RDFS_SUBCLASS}>* <{target}> .")


def _shape_keys(shapes: Graph, node, allowed: set) -> None:
    for p in set(shapes.predicates(node, None)):
        if p not in allowed and p not in _DESCRIPTIVE:
            raise UnsupportedShape(f"shape {node} uses {p}, which the compiled SHACL engine does not "
                                   "implement; validate with engine='pyshacl'")


def compile_shapes(shapes: Graph) -> list[Check]:
    """Compile the node and property shapes of ``shapes`` into :class:`Check` queries. Raises
    :class:`UnsupportedShape` for any constraint outside the subset named in the module
    docstring."""
    qn = shapes.namespace_manager
    checks: list[Check] = []

    def q(term) -> str:
        try:
            return qn.normalizeUri(term)
        except Exception:  # noqa: BLE001 - no prefix for it
            return str(term)

    for node in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        _shape_keys(shapes, node, _NODE_KEYS)
        targets = sorted(str(t) for t in shapes.objects(node, SH.targetClass))
        props = sorted(shapes.objects(node, SH.property), key=lambda p: str(shapes.value(p, SH.path)))
        declared = set()
        for target in targets:
            F = _focus(target)
            for ps in props:
                _shape_keys(shapes, ps, _PROPERTY_KEYS)
                path = shapes.value(ps, SH.path)
                if not isinstance(path, URIRef):
                    raise UnsupportedShape(f"property shape {ps} of {node}: only predicate paths are supported")
                declared.add(str(path))
                P = f"<{path}>"
                base = dict(shape=str(node), target=target, path=str(path))
                mn = shapes.value(ps, SH.minCount)
                if mn is not None and int(mn) > 0:
                    checks.append(Check(**base, component="MinCountConstraintComponent", message=f"Less than {int(mn)} values on {q(path)}",
                                        sparql=f"SELECT DISTINCT ?focus WHERE {{ {F} OPTIONAL {{ ?focus {P} ?v }} }} "
                                               f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < {int(mn)})"))
                mx = shapes.value(ps, SH.maxCount)
                if mx is not None:
                    checks.append(Check(**base, component="MaxCountConstraintComponent", message=f"More than {int(mx)} values on {q(path)}",
                                        sparql=f"SELECT ?focus WHERE {{ {F} ?focus {P} ?v }} "
                                               f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {int(mx)})"))
                V = f"{F} ?focus {P} ?value ."
                for cls in shapes.objects(ps, SH["class"]):
                    checks.append(Check(**base, component="ClassConstraintComponent", message=f"Value does not have class {q(cls)}",
                                        sparql=f"SELECT DISTINCT ?focus ?value WHERE {{ {V} FILTER NOT EXISTS "
                                               f"{{ ?value <{RDF_TYPE}>/<{RDFS_SUBCLASS}>* <{cls}> }} }}"))
                dt = shapes.value(ps, SH.datatype)
                if dt is not None:
                    msg = f"Value is not Literal with datatype {q(dt)}"
                    checks.append(Check(**base, component="DatatypeConstraintComponent", message=msg,
                                        sparql=f"SELECT DISTINCT ?focus ?value WHERE {{ {V} FILTER (!isLiteral(?value) "
                                               f"|| datatype(?value) != <{dt}> || langMatches(lang(?value), \"*\")) }}"))
                    if str(dt) != XSD_STRING:
                        checks.append(Check(**base, component="DatatypeConstraintComponent", message=msg, post=_ill_typed,
                                            sparql=f"SELECT DISTINCT ?focus ?value WHERE {{ {V} FILTER (isLiteral(?value) "
                                                   f"&& datatype(?value) = <{dt}>) }}"))
                nk = shapes.value(ps, SH.nodeKind)
                if nk is not None:
                    test = {SH.IRI: "isIRI(?value)", SH.Literal: "isLiteral(?value)", SH.BlankNode: "isBlank(?value)",
                            SH.BlankNodeOrIRI: "!isLiteral(?value)", SH.IRIOrLiteral: "!isBlank(?value)",
                            SH.BlankNodeOrLiteral: "!isIRI(?value)"}.get(nk)
                    if test is None:
                        raise UnsupportedShape(f"unknown sh:nodeKind {nk} in {ps}")
                    checks.append(Check(**base, component="NodeKindConstraintComponent", message=f"Value is not of Node Kind {q(nk)}",
                                        sparql=f"SELECT DISTINCT ?focus ?value WHERE {{ {V} FILTER (!({test})) }}"))
                lst = shapes.value(ps, SH["in"])
                if lst is not None:
                    members = list(Collection(shapes, lst))
                    same = " || ".join(f"sameTerm(?value, {_n3(m)})" for m in members) or "false"
                    checks.append(Check(**base, component="InConstraintComponent",
                                        message=f"Value not in list [{', '.join(q(m) for m in members)}]",
                                        sparql=f"SELECT DISTINCT ?focus ?value WHERE {{ {V} FILTER (!({same})) }}"))
                pat = shapes.value(ps, SH.pattern)
                if pat is not None:
                    flags = str(shapes.value(ps, SH.flags) or "")
                    rx = re.compile(str(pat), re.I if "i" in flags else 0)
                    matches = lru_cache(maxsize=65536)(lambda text, rx=rx: rx.search(text) is not None)
                    checks.append(Check(**base, component="PatternConstraintComponent",
                                        message=f"Value does not match pattern '{pat}'",
                                        post=lambda v, m=matches: isinstance(v, ox.BlankNode) or not m(_show(v)),
                                        sparql=f"SELECT DISTINCT ?focus ?value WHERE {{ {V} }}"))
                for key, op, word in ((SH.minInclusive, ">=", "is not >="), (SH.maxInclusive, "<=", "is not <=")):
                    lim = shapes.value(ps, key)
                    if lim is not None:
                        checks.append(Check(**base, component=f"{key.rsplit('#', 1)[-1][0].upper()}{key.rsplit('#', 1)[-1][1:]}ConstraintComponent",
                                            message=f"Value {word} {lim}",
                                            sparql=f"SELECT DISTINCT ?focus ?value WHERE {{ {V} "
                                                   f"FILTER (!COALESCE(?value {op} {_n3(lim)}, false)) }}"))
            if shapes.value(node, SH.closed) == Literal(True):
                ignored = set()
                lst = shapes.value(node, SH.ignoredProperties)
                if lst is not None:
                    ignored = {str(m) for m in Collection(shapes, lst)}
                allowed = sorted(declared | ignored)
                same = " || ".join(f"sameTerm(?p, <{a}>)" for a in allowed) or "false"
                checks.append(Check(shape=str(node), target=target, path=None, component="ClosedConstraintComponent",
                                    message="Node is closed. It cannot have a value for a property not in the shape",
                                    sparql=f"SELECT DISTINCT ?focus ?p ?value WHERE {{ {F} ?focus ?p ?value . "
                                           f"FILTER (!({same})) }}"))
    return checks


@lru_cache(maxsize=4)
def _compiled(path: str) -> tuple[Check, ...]:
    return tuple(compile_shapes(Graph().parse(path, format="turtle")))


def shapes_graph() -> Graph:
    """The SHACL shapes generated from the schema (``schema/generated/openness_kg.shacl.ttl``)."""
    return Graph().parse(paths.SHACL_FILE, format="turtle")


def validate_store(store: ox.Store, shapes_path: Path = paths.SHACL_FILE,
                   focus_classes: Iterable[str] | None = None,
                   focus_nodes: set[str] | None = None) -> list[Violation]:
    """Validate the union of the named graphs of ``store`` (which must hold the ontology graph,
    for ``rdfs:subClassOf``) against the shapes at ``shapes_path`` with the compiled queries.
    ``focus_classes``: only the node shapes targeting these class IRIs; ``focus_nodes``: only
    results on these IRIs. Returns every result, sorted; empty when the graph conforms. Raises
    :class:`UnsupportedShape` (see :func:`compile_shapes`)."""
    classes = set(focus_classes) if focus_classes is not None else None
    out: set[Violation] = set()
    for check in _compiled(str(shapes_path)):
        if classes is not None and check.target not in classes:
            continue
        if check.component == "ClosedConstraintComponent":
            for row in store.query(check.sparql, use_default_graph_as_union=True):
                f = row["focus"]
                if focus_nodes is not None and f.value not in focus_nodes:
                    continue
                out.add(Violation(_show(f), row["p"].value, f"Node {_show(f)} is closed. It cannot have value: "
                                  f"{_show(row['value'])}", "Violation", check.component))
        else:
            out.update(check.results(store, focus_nodes))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))


def union_graph(kg) -> Graph:
    """All triples of all named graphs of the :class:`~openness_kg.graph.KnowledgeGraph` ``kg``
    in one rdflib ``Graph`` (for pySHACL)."""
    from ..graph import union_triples

    text = ox.serialize(union_triples(kg.quads), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=text, format="nt")


def validate_graph(data: Graph, shapes: Graph | None = None,
                   focus_classes: list[str] | None = None) -> list[Violation]:
    """Validate the rdflib graph ``data`` (which should include the ontology graph, for
    ``rdfs:subClassOf``) with pySHACL, the reference engine, and return every result, sorted;
    empty when it conforms. ``focus_classes``: only the node shapes targeting these classes."""
    from pyshacl import validate as pyshacl_validate

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
        comp = results.value(r, SH.sourceConstraintComponent)
        text = str(msg) if msg is not None else "constraint violated"
        if value is not None:
            text += f" (value: {value})"
        out.append(Violation(str(results.value(r, SH.focusNode)), str(path) if path is not None else None,
                             text, str(sev).rsplit("#", 1)[-1] if sev else "Violation",
                             str(comp).rsplit("#", 1)[-1] if comp else ""))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))
