"""The IRIs of openness-kg: namespaces, instance IRIs and named graphs.

Instances: ``https://w3id.org/openness-kg/id/<class>/<slug>``; ontology terms under
``https://w3id.org/openness-kg/ontology#``; SKOS concepts under
``https://w3id.org/openness-kg/vocab/<scheme>/<value>``; named graphs under
``https://w3id.org/openness-kg/graph/``.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/openness-kg/"
OKG = Namespace(BASE + "ontology#")
OKGID = Namespace(BASE + "id/")
OKGV = Namespace(BASE + "vocab/")
GRAPH = Namespace(BASE + "graph/")
SCHEMA = Namespace("http://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
CC = Namespace("http://creativecommons.org/ns#")
SPDX = Namespace("http://spdx.org/licenses/")
WD = Namespace("http://www.wikidata.org/entity/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")

ONTOLOGY_GRAPH = GRAPH["ontology"]
CURATED_GRAPH = GRAPH["curated"]
DATASET_GRAPH = GRAPH["dataset"]

PREFIXES = {
    "okg": str(OKG),
    "okgid": str(OKGID),
    "okgv": str(OKGV),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "oa": str(OA),
    "org": str(ORG),
    "cc": str(CC),
    "spdx": str(SPDX),
    "wd": str(WD),
    "dcat": str(DCAT),
    "void": str(VOID),
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

# class name (LinkML) -> IRI path segment; also the key of the list in a curated file
CLASS_SEGMENTS = {
    "Source": "source",
    "Organisation": "organisation",
    "ModelFamily": "model-family",
    "Model": "model",
    "Artifact": "artifact",
    "Licence": "licence",
    "Product": "product",
    "Claim": "claim",
    "OpennessLabel": "openness-label",
    "Assessment": "assessment",
    "Proposition": "proposition",
}


def instance_iri(class_name: str, slug: str) -> URIRef:
    """IRI of a record: ``instance_iri("Model", "llama-3-1")`` ->
    ``https://w3id.org/openness-kg/id/model/llama-3-1``."""
    return OKGID[f"{CLASS_SEGMENTS[class_name]}/{slug}"]


def source_graph(source_id: str) -> URIRef:
    """Named graph holding the facts a source document states:
    ``https://w3id.org/openness-kg/graph/source/<source id>``."""
    return GRAPH[f"source/{source_id}"]


# class name -> class IRI, as the LinkML schema maps them (standard vocabularies where one fits);
# a test checks this table against the schema, so readers need not load LinkML
CLASS_IRIS = {
    "Source": str(SCHEMA.CreativeWork),
    "Organisation": str(ORG.Organization),
    "ModelFamily": str(OKG.ModelFamily),
    "Model": str(OKG.Model),
    "Artifact": str(OKG.Artifact),
    "Licence": "http://purl.org/dc/terms/LicenseDocument",
    "Product": str(OKG.AccessChannel),
    "Claim": str(OKG.Claim),
    "OpennessLabel": str(OKG.OpennessLabel),
    "Assessment": str(OKG.Assessment),
    "Proposition": str(OKG.Proposition),
}


def class_iri(class_name: str) -> str:
    """IRI of a record class: ``class_iri("Organisation")`` ->
    ``http://www.w3.org/ns/org#Organization`` (see :data:`CLASS_IRIS`)."""
    return CLASS_IRIS[class_name]


def sparql_prefixes(names: "list[str] | None" = None) -> str:
    """``PREFIX`` lines for SPARQL text: every prefix of :data:`PREFIXES`, or those named."""
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items() if names is None or k in names)
