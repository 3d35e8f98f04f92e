"""The IRIs of openness-kg: namespaces, instance IRIs and named graphs.

Instances: ``https://w3id.org/openness-kg/id/<class>/<slug>``; ontology terms under
``https://w3id.org/openness-kg/ontology#``; SKOS concepts under
``https://w3id.org/openness-kg/vocab/<scheme>/<value>``; named graphs under
``https://w3id.org/openness-kg/graph/``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import URIRef

BASE = "https://w3id.org/openness-kg/"

# The namespaces as plain strings: their one home. The names below (OKG, OKGID, ... and the
# three graph IRIs) are the same as ``rdflib.Namespace`` / ``URIRef`` objects, made on first use
# (module ``__getattr__``), so that reading a prefix does not import rdflib: the query path
# (`openness-kg query`, :mod:`openness_kg.sparql`) runs on pyoxigraph alone.
NAMESPACES = {
    "OKG": BASE + "ontology#",
    "OKGID": BASE + "id/",
    "OKGV": BASE + "vocab/",
    "GRAPH": BASE + "graph/",
    "SCHEMA": "http://schema.org/",
    "PROV": "http://www.w3.org/ns/prov#",
    "OA": "http://www.w3.org/ns/oa#",
    "ORG": "http://www.w3.org/ns/org#",
    "CC": "http://creativecommons.org/ns#",
    "SPDX": "http://spdx.org/licenses/",
    "WD": "http://www.wikidata.org/entity/",
    "DCAT": "http://www.w3.org/ns/dcat#",
    "VOID": "http://rdfs.org/ns/void#",
}
GRAPH_IRIS = {
    "ONTOLOGY_GRAPH": NAMESPACES["GRAPH"] + "ontology",
    "CURATED_GRAPH": NAMESPACES["GRAPH"] + "curated",
    "DATASET_GRAPH": NAMESPACES["GRAPH"] + "dataset",
}


def __getattr__(name: str):
    """``OKG``, ``OKGID``, ... as ``rdflib.Namespace``; ``ONTOLOGY_GRAPH``, ``CURATED_GRAPH``,
    ``DATASET_GRAPH`` as ``rdflib.URIRef`` (imports rdflib on first use, then cached)."""
    if name in NAMESPACES:
        from rdflib import Namespace

        value = Namespace(NAMESPACES[name])
    elif name in GRAPH_IRIS:
        from rdflib import URIRef

        value = URIRef(GRAPH_IRIS[name])
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


PREFIXES = {
    "okg": NAMESPACES["OKG"],
    "okgid": NAMESPACES["OKGID"],
    "okgv": NAMESPACES["OKGV"],
    "schema": NAMESPACES["SCHEMA"],
    "prov": NAMESPACES["PROV"],
    "oa": NAMESPACES["OA"],
    "org": NAMESPACES["ORG"],
    "cc": NAMESPACES["CC"],
    "spdx": NAMESPACES["SPDX"],
    "wd": NAMESPACES["WD"],
    "dcat": NAMESPACES["DCAT"],
    "void": NAMESPACES["VOID"],
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
    "BenchmarkResult": "benchmark-result",
}


def instance_iri(class_name: str, slug: str) -> URIRef:
    """IRI of a record: ``instance_iri("Model", "llama-3-1")`` ->
    ``https://w3id.org/openness-kg/id/model/llama-3-1``."""
    from rdflib import URIRef

    return URIRef(f"{NAMESPACES['OKGID']}{CLASS_SEGMENTS[class_name]}/{slug}")


def source_graph(source_id: str) -> URIRef:
    """Named graph holding the facts a source document states:
    ``https://w3id.org/openness-kg/graph/source/<source id>``."""
    from rdflib import URIRef

    return URIRef(f"{NAMESPACES['GRAPH']}source/{source_id}")


# class name -> class IRI, as the LinkML schema maps them (standard vocabularies where one fits);
# a test checks this table against the schema, so readers need not load LinkML
CLASS_IRIS = {
    "Source": NAMESPACES["SCHEMA"] + "CreativeWork",
    "Organisation": NAMESPACES["ORG"] + "Organization",
    "ModelFamily": NAMESPACES["OKG"] + "ModelFamily",
    "Model": NAMESPACES["OKG"] + "Model",
    "Artifact": NAMESPACES["OKG"] + "Artifact",
    "Licence": "http://purl.org/dc/terms/LicenseDocument",
    "Product": NAMESPACES["OKG"] + "AccessChannel",
    "Claim": NAMESPACES["OKG"] + "Claim",
    "OpennessLabel": NAMESPACES["OKG"] + "OpennessLabel",
    "Assessment": NAMESPACES["OKG"] + "Assessment",
    "Proposition": NAMESPACES["OKG"] + "Proposition",
    "BenchmarkResult": NAMESPACES["OKG"] + "BenchmarkResult",
}


def class_iri(class_name: str) -> str:
    """IRI of a record class: ``class_iri("Organisation")`` ->
    ``http://www.w3.org/ns/org#Organization`` (see :data:`CLASS_IRIS`)."""
    return CLASS_IRIS[class_name]


def sparql_prefixes(names: "list[str] | None" = None) -> str:
    """``PREFIX`` lines for SPARQL text: every prefix of :data:`PREFIXES`, or those named."""
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items() if names is None or k in names)
