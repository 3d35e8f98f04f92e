"""Stage 2, graph: validated records -> the knowledge graph (named graphs of quads).

:func:`build_graph` maps a :class:`~openness_kg.ingest.Catalogue` onto RDF with the IRIs and
graph rules of :mod:`.mapping`, adds the ontology graph and the dataset description
(:mod:`.ontology`), and returns a :class:`KnowledgeGraph` (pyoxigraph quads, sorted). It reads
nothing but the catalogue and the schema; the check stage comes next.
"""
from __future__ import annotations

from ..ingest.catalogue import Catalogue
from ..namespaces import DATASET_GRAPH, ONTOLOGY_GRAPH
from ..schema import Schema, get_schema
from .dataset import KnowledgeGraph, quad_key, rdflib_quads, to_ox, union_triples
from .mapping import catalogue_quads
from .ontology import dataset_description, ontology_quads

__all__ = ["build_graph", "KnowledgeGraph", "quad_key", "rdflib_quads", "to_ox", "union_triples"]


def build_graph(cat: Catalogue, schema: Schema | None = None) -> KnowledgeGraph:
    """The knowledge graph of ``cat``: one named graph per source (``graph/source/<id>``), the
    ``curated`` graph, the ``ontology`` graph and the ``dataset`` description graph. Raises
    ``ValueError`` only for a reference validation should have rejected."""
    schema = schema or get_schema()
    quads = catalogue_quads(cat, schema)
    graph_iris = {q.graph_name.value for q in quads} | {str(ONTOLOGY_GRAPH)}
    quads.extend(ontology_quads())
    quads.extend(rdflib_quads(dataset_description(cat, graph_iris), str(DATASET_GRAPH)))
    return KnowledgeGraph(quads)
