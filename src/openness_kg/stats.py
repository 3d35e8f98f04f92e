"""Counts of the built graph: instances per class and triples/records per named graph."""
from __future__ import annotations

from rdflib import RDF, Dataset, URIRef

from .namespaces import GRAPH
from .schema import get_schema


def class_counts(ds: Dataset) -> list[tuple[str, int]]:
    """``[(class name, number of instances in the union of all graphs)]`` for the schema's
    record classes (Source, Organisation, ModelFamily, Model, Artifact, Licence, Product, Claim,
    OpennessLabel, Assessment), in schema order."""
    schema = get_schema()
    out = []
    for cls in schema.container_classes().values():
        iri = URIRef(schema.class_iri(cls))
        subjects = {s for s, _, _, _ in ds.quads((None, RDF.type, iri, None))}
        out.append((cls, len(subjects)))
    return out


def graph_counts(ds: Dataset) -> list[tuple[str, int, int]]:
    """``[(graph name, triples, typed records)]`` per named graph, sorted by name; the graph
    name is its IRI without ``https://w3id.org/openness-kg/graph/``."""
    schema = get_schema()
    record_types = {URIRef(schema.class_iri(c)) for c in schema.container_classes().values()}
    rows = []
    for g in ds.graphs():
        ident = g.identifier
        if not str(ident).startswith(str(GRAPH)):
            continue
        n = len(g)
        recs = {s for s, _, o in g.triples((None, RDF.type, None)) if o in record_types}
        rows.append((str(ident)[len(str(GRAPH)):], n, len(recs)))
    return sorted(rows)
