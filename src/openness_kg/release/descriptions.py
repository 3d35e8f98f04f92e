"""The release's dataset descriptions: DCAT 3 + VoID (``dataset.ttl``) and Croissant 1.0
(``croissant.json``).

* :func:`dcat_void` describes the release as a ``dcat:Dataset`` and ``void:Dataset``: version,
  release date, licence, one ``dcat:Distribution`` per released file (media type, byte size,
  SHA-256 checksum as ``spdx:checksum``, download URL under
  ``https://w3id.org/openness-kg/release/<version>/``, licence), and VoID statistics counted from
  the N-Quads dump (triples, entities, distinct subjects and objects, classes and properties,
  class and property partitions, one ``void:subset`` per named graph with its triple count).
  ``void:triples`` counts statements, one per line of the N-Quads dump.
* :func:`croissant` describes the analysis tables (``analysis/*.csv``) as Croissant record sets,
  built with ``mlcroissant`` (MLCommons' own library), which also validates it.

Both read the release folder being written; serialised by rdflib (Turtle) and ``json``, sorted,
so the same files give the same bytes.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD

from ..graph.ontology import CC_BY, DATASET_IRI
from ..namespaces import BASE, DCAT, VOID

SPDXT = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
DATASET_FILE = "dataset.ttl"
CROISSANT_FILE = "croissant.json"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "openness-kg: a knowledge graph of open and closed AI models"
DESCRIPTION = (
    "Organisations, AI models, licences, released artifacts, access channels, openness labels and "
    "claims about open and closed AI models, curated from five source documents, with evidence on "
    "released components imported from three public openness indexes; every fact sits in the named "
    "graph of its source. This release holds the RDF dumps, the SQLite database, the analysis "
    "tables and figures, and the index-to-project mappings (SSSOM).")

# file name ending -> IANA media type (the compressed dumps: the media type of their content)
MEDIA_TYPES = {
    ".nq": "application/n-quads", ".trig": "application/trig", ".ttl": "text/turtle",
    ".jsonld": "application/ld+json", ".json": "application/ld+json", ".db": "application/vnd.sqlite3",
    ".csv": "text/csv", ".tsv": "text/tab-separated-values", ".png": "image/png",
    ".svg": "image/svg+xml", ".md": "text/markdown", ".html": "text/html", ".cff": "application/yaml",
    "": "text/plain",
}


def media_type(rel: str) -> tuple[str, str | None]:
    """``(media type, compression media type or None)`` of a released file by its name:
    ``"openness-kg.nq.gz"`` -> ``("application/n-quads", "application/gzip")``."""
    name = rel.rsplit("/", 1)[-1]
    compress = None
    if name.endswith(".gz"):
        name, compress = name[:-3], "application/gzip"
    ext = "." + name.rsplit(".", 1)[1] if "." in name else ""
    if ext not in MEDIA_TYPES:
        raise ValueError(f"{rel}: no media type known for '{ext}' files")
    return MEDIA_TYPES[ext], compress


def release_iri(version: str) -> URIRef:
    """``https://w3id.org/openness-kg/release/<version>``: the release as a dataset."""
    return URIRef(f"{BASE}release/{version}")


def void_statistics(nquads: Path) -> dict:
    """Counts of the N-Quads dump ``nquads``: ``{"triples", "entities", "subjects", "objects",
    "classes": {class IRI: instances}, "properties": {predicate IRI: triples},
    "graphs": {graph IRI: triples}}``. Entities: distinct IRI subjects under the instance space
    ``https://w3id.org/openness-kg/id/``; classes: objects of ``rdf:type`` with the number of
    distinct subjects typed so."""
    import pyoxigraph as ox

    rdf_type = ox.NamedNode(str(RDF.type))
    triples = 0
    subjects, objects, entities = set(), set(), set()
    props: Counter = Counter()
    graphs: Counter = Counter()
    typed: dict[str, set] = {}
    id_space = BASE + "id/"
    for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        triples += 1
        subjects.add(q.subject)
        objects.add(q.object)
        props[q.predicate.value] += 1
        graphs[q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""] += 1
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(id_space):
            entities.add(q.subject.value)
        if q.predicate == rdf_type and isinstance(q.object, ox.NamedNode):
            typed.setdefault(q.object.value, set()).add(q.subject)
    return {"triples": triples, "entities": len(entities), "subjects": len(subjects),
            "objects": len(objects), "classes": {c: len(s) for c, s in typed.items()},
            "properties": dict(props), "graphs": dict(graphs)}


def dcat_void(folder: Path, nquads: Path, info) -> Graph:
    """The DCAT 3 + VoID description (an rdflib ``Graph``) of the release folder ``folder``
    (every file but ``dataset.ttl`` and ``SHA256SUMS``), with VoID statistics of ``nquads``
    (the build's N-Quads dump). ``info``: a :class:`~openness_kg.release.ReleaseInfo`."""
    from .pack import SUMS_FILE, released_files, sha256

    g = Graph()
    for p, ns in (("dcat", DCAT), ("void", VOID), ("dcterms", DCTERMS), ("spdx", SPDXT), ("owl", OWL)):
        g.bind(p, ns)
    rel_iri = release_iri(info.version)
    g.add((rel_iri, RDF.type, DCAT.Dataset))
    g.add((rel_iri, RDF.type, VOID.Dataset))
    g.add((rel_iri, DCTERMS.title, Literal(f"{TITLE}, release {info.version}", lang="en")))
    g.add((rel_iri, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((rel_iri, DCTERMS.isVersionOf, DATASET_IRI))
    g.add((rel_iri, DCAT.version, Literal(info.version)))
    g.add((rel_iri, OWL.versionInfo, Literal(info.version)))
    g.add((rel_iri, DCTERMS.issued, Literal(info.date.isoformat(), datatype=XSD.date)))
    g.add((rel_iri, DCTERMS.license, CC_BY))
    g.add((rel_iri, DCAT.landingPage, URIRef(BASE)))
    g.add((DATASET_IRI, DCAT.hasVersion, rel_iri))

    base = f"{BASE}release/{info.version}/"
    for rel in released_files(folder):
        if rel in (DATASET_FILE, SUMS_FILE):
            continue
        dist = URIRef(base + rel)
        mt, compress = media_type(rel)
        g.add((rel_iri, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(rel)))
        g.add((dist, DCAT.downloadURL, dist))
        g.add((dist, DCAT.mediaType, URIRef(IANA + mt)))
        if compress:
            g.add((dist, DCAT.compressFormat, URIRef(IANA + compress)))
        g.add((dist, DCAT.byteSize, Literal((folder / rel).stat().st_size, datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.license, CC_BY))
        cs = BNode(f"sha256-{rel.replace('/', '-').replace('.', '-')}")
        g.add((dist, SPDXT.checksum, cs))
        g.add((cs, RDF.type, SPDXT.Checksum))
        g.add((cs, SPDXT.algorithm, SPDXT.checksumAlgorithm_sha256))
        g.add((cs, SPDXT.checksumValue, Literal(sha256(folder / rel), datatype=XSD.hexBinary)))
        if rel.endswith(".nq.gz") or rel.endswith(".trig.gz"):
            g.add((rel_iri, VOID.dataDump, dist))

    st = void_statistics(nquads)
    g.add((rel_iri, VOID.triples, Literal(st["triples"])))
    g.add((rel_iri, VOID.entities, Literal(st["entities"])))
    g.add((rel_iri, VOID.distinctSubjects, Literal(st["subjects"])))
    g.add((rel_iri, VOID.distinctObjects, Literal(st["objects"])))
    g.add((rel_iri, VOID.classes, Literal(len(st["classes"]))))
    g.add((rel_iri, VOID.properties, Literal(len(st["properties"]))))
    g.add((rel_iri, VOID.uriSpace, Literal(BASE + "id/")))
    for i, (cls, n) in enumerate(sorted(st["classes"].items())):
        part = URIRef(f"{rel_iri}/class-partition/{i + 1}")
        g.add((rel_iri, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n)))
    for i, (prop, n) in enumerate(sorted(st["properties"].items())):
        part = URIRef(f"{rel_iri}/property-partition/{i + 1}")
        g.add((rel_iri, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n)))
    for graph, n in sorted(st["graphs"].items()):
        if not graph:
            continue
        sub = URIRef(graph)
        g.add((rel_iri, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, VOID.triples, Literal(n)))
    return g


def write_dcat_void(folder: Path, nquads: Path, info) -> Path:
    """Write :func:`dcat_void` as ``folder/dataset.ttl`` (Turtle, rdflib)."""
    out = folder / DATASET_FILE
    dcat_void(folder, nquads, info).serialize(out, format="turtle", encoding="utf-8")
    return out


def _data_type(series) -> "object":
    import mlcroissant as mlc
    from pandas.api import types as pt

    if series.isna().all():
        return mlc.DataType.TEXT
    if pt.is_bool_dtype(series):
        return mlc.DataType.BOOL
    if pt.is_integer_dtype(series):
        return mlc.DataType.INTEGER
    if pt.is_float_dtype(series):
        return mlc.DataType.FLOAT
    return mlc.DataType.TEXT


def croissant(folder: Path, info) -> dict:
    """The Croissant 1.0 JSON-LD (a dict) of the analysis tables in ``folder/analysis/``: one
    ``cr:FileObject`` per CSV (with its SHA-256) and one ``cr:RecordSet`` per table, a field per
    column (type from the CSV's values, description from the analysis' table docs). Needs
    ``mlcroissant`` (the ``release`` extra: ``pip install .[release]``); raises ``ValueError``
    when mlcroissant reports an error in the description."""
    import datetime as dt

    import mlcroissant as mlc
    import pandas as pd

    from ..analyse import TABLE_DOCS
    from .pack import sha256

    files, sets = [], []
    for csv in sorted((folder / "analysis").glob("*.csv")):
        table = csv.stem
        doc = TABLE_DOCS.get(table, {})
        cols = doc.get("columns", {})
        df = pd.read_csv(csv)
        files.append(mlc.FileObject(id=csv.name, name=csv.name, content_url=f"analysis/{csv.name}",
                                    encoding_formats=["text/csv"], sha256=sha256(csv)))
        fields = [mlc.Field(id=f"{table}/{c}", name=c, description=cols.get(c) or c,
                            data_types=[_data_type(df[c])],
                            source=mlc.Source(file_object=csv.name, extract=mlc.Extract(column=c)))
                  for c in df.columns]
        sets.append(mlc.RecordSet(id=table, name=table, description=doc.get("description", table),
                                  fields=fields))
    meta = mlc.Metadata(
        name="openness-kg", description=DESCRIPTION, url=BASE, license=[CC_BY_URL], version=info.version,
        date_published=dt.datetime.combine(info.date, dt.time()),
        cite_as=(f"openness-kg contributors ({info.date.year}). {TITLE}. Version {info.version}. "
                 f"{BASE}"),
        distribution=files, record_sets=sets)
    errors = meta.ctx.issues.errors
    if errors:
        raise ValueError(f"croissant.json: {sorted(errors)[0]}")
    return meta.to_json()


def write_croissant(folder: Path, info) -> Path:
    """Write :func:`croissant` as ``folder/croissant.json`` (sorted keys inside ``json.dumps``'
    stable order, UTF-8, trailing newline)."""
    out = folder / CROISSANT_FILE
    out.write_text(json.dumps(croissant(folder, info), indent=2, ensure_ascii=False, default=str) + "\n",
                   encoding="utf-8")
    return out
