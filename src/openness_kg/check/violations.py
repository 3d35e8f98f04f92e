"""The query library's ``*-violation.rq`` queries as checks: each must return no rows.

Ontology Development Kit style: a violation query states a rule the SHACL shapes cannot (a fact
without provenance in its own named graph, a span outside its source...) and lists what breaks
it. They run in the check stage of every build and in ``openness-kg validate``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..sparql import library, run_oxigraph


@dataclass(frozen=True)
class QueryViolation:
    """One row returned by a violation query: the query's name and the row's values."""

    query: str
    row: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        cells = ", ".join(f"{k}={v}" for k, v in self.row)
        return f"{self.query}: {cells}"


def violation_queries() -> list:
    """The library queries whose name ends in ``-violation``, by name."""
    return [q for name, q in library().items() if q.is_violation]


def run_violation_queries(store: ox.Store) -> list[QueryViolation]:
    """Run every violation query on ``store`` (union default graph); returns the rows found,
    sorted (empty when the graph keeps every rule)."""
    out = []
    for q in violation_queries():
        res = run_oxigraph(q, store)
        for r in res:
            out.append(QueryViolation(q.name, tuple((v, "" if r[v] is None else str(r[v])) for v in res.variables)))
    return sorted(out, key=lambda v: (v.query, v.row))
