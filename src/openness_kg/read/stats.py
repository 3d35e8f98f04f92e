"""Counts of a finished build: instances per class and triples/records per named graph."""
from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import CLASS_SEGMENTS, GRAPH, class_iri

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def class_counts(store: ox.Store) -> list[tuple[str, int]]:
    """``[(class name, number of distinct instances in the union of all graphs)]`` for the
    record classes (Source, Organisation, ModelFamily, Model, Artifact, Licence, Product, Claim,
    OpennessLabel, Assessment), in schema order. ``store``: a ``pyoxigraph.Store`` of the build."""
    out = []
    for cls in CLASS_SEGMENTS:
        subjects = {q.subject for q in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(class_iri(cls)))}
        out.append((cls, len(subjects)))
    return out


def graph_counts(store: ox.Store) -> list[tuple[str, int, int]]:
    """``[(graph name, triples, typed records)]`` per named graph, sorted by name; the graph
    name is its IRI without ``https://w3id.org/openness-kg/graph/``."""
    record_types = {ox.NamedNode(class_iri(c)) for c in CLASS_SEGMENTS}
    rows = []
    for g in store.named_graphs():
        if not g.value.startswith(str(GRAPH)):
            continue
        n = 0
        recs = set()
        for q in store.quads_for_pattern(None, None, None, g):
            n += 1
            if q.predicate == RDF_TYPE and q.object in record_types:
                recs.add(q.subject)
        rows.append((g.value[len(str(GRAPH)):], n, len(recs)))
    return sorted(rows)
