"""What the graph stage adds beside the records: the ontology graph (OWL generated from the
LinkML schema plus one SKOS concept scheme per enum, read from ``schema/generated/``) and the
dataset's own DCAT/VoID description (small, built with rdflib, handed on as pyoxigraph quads)."""
from __future__ import annotations

from typing import Iterable

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL

from .. import paths
from ..ingest.catalogue import Catalogue
from ..namespaces import BASE, DCAT, OKG, OKGID, PROV, VOID, instance_iri

DATASET_IRI = URIRef(BASE)
CC_BY = URIRef("http://creativecommons.org/licenses/by/4.0/")


def ontology_quads() -> list:
    """The ontology graph as pyoxigraph quads in ``graph/ontology``: the committed, generated
    ``schema/generated/openness_kg.ontology.nt`` (OWL ontology plus SKOS concept schemes, see
    :func:`openness_kg.schema.ontology_text`), parsed as is."""
    import pyoxigraph as ox

    from ..namespaces import ONTOLOGY_GRAPH

    g = ox.NamedNode(str(ONTOLOGY_GRAPH))
    return [ox.Quad(t.subject, t.predicate, t.object, g)
            for t in ox.parse(path=str(paths.ONTOLOGY_FILE), format=ox.RdfFormat.N_TRIPLES)]


def dataset_description(cat: Catalogue, graphs: Iterable[str]) -> Graph:
    """DCAT + VoID description of the dataset: title, licence, sources, named graphs; the
    imported openness datasets as ``prov:wasDerivedFrom`` (their credit text, ``schema:creditText``,
    is in each dataset's own graph)."""
    g = Graph()
    d = DATASET_IRI
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, DCTERMS.title, Literal("openness-kg: a knowledge graph of open and closed AI models", lang="en")))
    g.add((d, DCTERMS.description, Literal(
        "Organisations, AI models, licences, released artifacts, access channels, openness labels "
        "and claims about open and closed models, curated from five source documents; every fact "
        "sits in the named graph of its source and points at its passage by character span. "
        "Evidence on which components of each model are released is imported from three public "
        "openness datasets, each in its own named graph: the European Open Source AI Index "
        "(osai-index.eu, CC-BY-4.0; Liesenfeld and Dingemanse 2024), the Model Openness Framework "
        "tool (LF AI & Data, MIT) and the Foundation Model Transparency Index (Stanford CRFM, "
        "CC-BY-4.0).", lang="en")))
    g.add((d, DCTERMS.license, CC_BY))
    g.add((d, OWL.versionInfo, Literal(paths.version())))
    g.add((d, VOID.uriSpace, Literal(str(OKGID))))
    g.add((d, VOID.vocabulary, URIRef(str(OKG))))
    for rec in cat.of_class("Source"):
        src = instance_iri("Source", rec.id)
        g.add((d, DCTERMS.source, src))
        if rec.data.get("source_type") == "dataset":
            # an imported dataset: this dataset is derived from it (its name, URL, commit,
            # licence and credit text are in its own graph, graph/source/<id>)
            g.add((d, PROV.wasDerivedFrom, src))
    for gi in sorted(graphs):
        sub = URIRef(str(gi))
        g.add((d, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, RDFS.label, Literal(str(gi).rsplit("graph/", 1)[-1])))
    return g


def derived_graph_description(graph_iri: str) -> list:
    """The quads (in the ``dataset`` graph) that list the named graph ``graph_iri`` in the
    dataset description: ``void:subset`` of the dataset, a ``void:Dataset`` with its label."""
    import pyoxigraph as ox

    from ..namespaces import DATASET_GRAPH

    sub = ox.NamedNode(graph_iri)
    g = ox.NamedNode(str(DATASET_GRAPH))
    rdf_type = ox.NamedNode(str(RDF.type))
    return [ox.Quad(ox.NamedNode(str(DATASET_IRI)), ox.NamedNode(str(VOID.subset)), sub, g),
            ox.Quad(sub, rdf_type, ox.NamedNode(str(VOID.Dataset)), g),
            ox.Quad(sub, ox.NamedNode(str(RDFS.label)), ox.Literal(graph_iri.rsplit("graph/", 1)[-1]), g)]


def graph_statistics(quads: Iterable) -> list:
    """VoID statistics of every named graph in ``quads`` (pyoxigraph quads) but the ``dataset``
    graph, as quads in the ``dataset`` graph: ``<graph> void:triples n`` (statements in it) and
    ``<graph> void:distinctSubjects m`` (distinct subject terms, blank nodes included), both
    ``xsd:integer``. The ``dataset`` graph holds them and is not described, so no count counts
    itself. Definitions: "Describing Linked Datasets with the VoID Vocabulary", W3C Interest Group
    Note 2011-03-03 (https://www.w3.org/TR/void/), its dataset statistics. Readers use them as cheap per-graph totals: the query
    ``fact-without-provenance-violation`` scans a graph's every fact only when its subjects with
    provenance fall short of ``void:distinctSubjects``."""
    import pyoxigraph as ox

    from ..namespaces import DATASET_GRAPH

    dataset = str(DATASET_GRAPH)
    triples: dict = {}
    subjects: dict = {}
    for q in quads:
        g = q.graph_name
        if isinstance(g, ox.DefaultGraph) or g.value == dataset:
            continue
        triples[g] = triples.get(g, 0) + 1
        subjects.setdefault(g, set()).add(q.subject)
    into = ox.NamedNode(dataset)
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    n_triples, n_subjects = ox.NamedNode(str(VOID.triples)), ox.NamedNode(str(VOID.distinctSubjects))
    out = []
    for g in sorted(triples, key=lambda g: g.value):
        out.append(ox.Quad(g, n_triples, ox.Literal(str(triples[g]), datatype=integer), into))
        out.append(ox.Quad(g, n_subjects, ox.Literal(str(len(subjects[g])), datatype=integer), into))
    return out
