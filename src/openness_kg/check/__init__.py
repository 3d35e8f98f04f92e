"""Stage 3, check: the knowledge graph -> the checked knowledge graph, or :class:`CheckFailed`.

Two kinds of check gate every build and ``openness-kg validate``:

* the SHACL shapes generated from the LinkML schema (``schema/generated/openness_kg.shacl.ttl``),
  on the union of the named graphs (:mod:`.shacl`);
* the SPARQL violation queries of the query library (``queries/*-violation.rq``), which must
  return nothing (:mod:`.violations`).

:func:`check` returns the graph unchanged when both pass. It reads only the graph.
"""
from __future__ import annotations

from ..graph import KnowledgeGraph
from .shacl import Violation, validate_store
from .violations import QueryViolation, run_violation_queries

__all__ = ["check", "check_derived", "shacl_violations", "CheckFailed", "Violation", "QueryViolation"]


class CheckFailed(Exception):
    """The graph breaks a SHACL shape or a violation query; ``violations`` (SHACL results) and
    ``query_violations`` (violation-query rows) list every problem."""

    def __init__(self, violations: list[Violation], query_violations: list[QueryViolation] = ()):
        self.violations = list(violations)
        self.query_violations = list(query_violations)
        lines = [str(v) for v in self.violations] + [str(v) for v in self.query_violations]
        super().__init__(f"the graph failed {len(lines)} check(s):\n" + "\n".join(lines))


def shacl_violations(kg: KnowledgeGraph) -> list[Violation]:
    """SHACL results for ``kg`` (empty when it conforms), from the shapes compiled to SPARQL on
    its pyoxigraph store (:func:`.shacl.validate_store`)."""
    return validate_store(kg.store())


def check_derived(kg: KnowledgeGraph, derived: list) -> None:
    """SHACL-check the analyses' quads ``derived``, with ``kg`` (already checked) as context:
    the ontology graph and the ``rdf:type`` of every record they point at. Only the derived
    nodes are focus nodes: the records of ``kg`` are not validated again. Raises
    :class:`CheckFailed`."""
    import pyoxigraph as ox

    from ..namespaces import ONTOLOGY_GRAPH

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    objects = {q.object for q in derived if isinstance(q.object, ox.NamedNode)}
    context = [q for q in kg.quads if q.graph_name.value == str(ONTOLOGY_GRAPH)
               or (q.predicate.value == rdf_type and q.subject in objects)]
    found = validate_store(KnowledgeGraph([*derived, *context]).store(),
                           focus_nodes={q.subject.value for q in derived})
    if found:
        raise CheckFailed(found)


def check(kg: KnowledgeGraph, shacl: bool = True, queries: bool = True) -> KnowledgeGraph:
    """Run the SHACL shapes (unless ``shacl`` is false) and the violation queries (unless
    ``queries`` is false) on ``kg``; return ``kg`` when nothing is found. Raises
    :class:`CheckFailed` listing every problem."""
    shacl_found = shacl_violations(kg) if shacl else []
    query_found = run_violation_queries(kg.store()) if queries else []
    if shacl_found or query_found:
        raise CheckFailed(shacl_found, query_found)
    return kg
