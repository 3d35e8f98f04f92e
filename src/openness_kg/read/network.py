"""The knowledge graph as a networkx graph, for network analysis."""
from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from ..namespaces import CLASS_SEGMENTS, DATASET_GRAPH, ONTOLOGY_GRAPH, SCHEMA, class_iri

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def to_networkx(st: ox.Store, include_passages: bool = False) -> nx.MultiDiGraph:
    """The records and their links in the ``pyoxigraph.Store`` ``st`` (a build, or a checked
    graph's store) as a ``networkx.MultiDiGraph``.

    Nodes: every typed record (organisation, model family, model, artifact, licence, product,
    claim, openness label, source) keyed by IRI, with attributes ``type`` (class name, e.g.
    ``"Model"``), ``label`` (``schema:name``, or the claim text) and ``iri``; SKOS concepts used as
    values become nodes of type ``"Concept"``. Edges: one per (subject, predicate, object, named
    graph) where the object is an IRI, keyed ``"<predicate local name>@<graph name>"`` (e.g.
    ``"creator@open-closed-examples"``), with attributes ``predicate`` (IRI) and ``graph`` (the
    named graph stating it — provenance kept on the edge). Literal values are not edges; the
    ontology and dataset graphs are left out; passages and public-record citations are left out unless ``include_passages``.
    """
    types = {class_iri(c): c for c in CLASS_SEGMENTS}
    skip_graphs = {str(ONTOLOGY_GRAPH), str(DATASET_GRAPH)}
    G = nx.MultiDiGraph()
    node_type: dict[str, str] = {}
    labels: dict[str, str] = {}
    edges = []
    for q in st.quads_for_pattern(None, None, None, None):
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
        if g is None or g in skip_graphs:
            continue
        s, p, o = q.subject.value, q.predicate.value, q.object
        if p == RDF_TYPE:
            if o.value in types:
                node_type[s] = types[o.value]
            elif include_passages:
                node_type.setdefault(s, o.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
            continue
        if p in (str(SCHEMA.name), "http://www.w3.org/1999/02/22-rdf-syntax-ns#value") and isinstance(o, ox.Literal):
            labels.setdefault(s, o.value)
            continue
        if isinstance(o, ox.NamedNode):
            edges.append((s, o.value, p, g))
    for iri, t in node_type.items():
        G.add_node(iri, type=t, iri=iri, label=labels.get(iri, iri.rsplit("/", 1)[-1]))
    for s, o, p, g in sorted(set(edges)):
        if s not in node_type:
            continue
        if o not in node_type:
            if "/vocab/" in o:
                G.add_node(o, type="Concept", iri=o, label=o.rsplit("/", 1)[-1])
            elif not include_passages:
                continue
            else:
                G.add_node(o, type="Resource", iri=o, label=o)
        key = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        G.add_edge(s, o, key=f"{key}@{g.rsplit('/', 1)[-1]}", predicate=p, graph=g)
    return G
