"""Curated records -> an RDF dataset with one named graph per source.

Graphs (IRIs under ``https://w3id.org/openness-kg/graph/``):

* ``source/<source id>`` — the facts each source document states, with the passages
  (``oa:TextPositionSelector`` with ``dcterms:source``, ``oa:start``, ``oa:end``) that are their
  evidence, and the source's own description (file name, sha256, length);
* ``source/<dataset id>`` — for the three imported openness datasets (European Open Source AI
  Index ``osai-index``, Model Openness Framework ``mof``, Foundation Model Transparency Index
  ``fmti``): the facts each dataset states, each record pointing (``okg:datasetRecord``) at an
  ``okg:DatasetCitation`` with ``dcterms:source`` (the dataset), ``okg:locator`` (file and field
  read) and ``okg:evidenceLink`` (the dataset's evidence URLs);
* ``curated`` — facts added from public records, each record pointing (``okg:publicRecord``) at
  the URL that states them;
* ``ontology`` — the OWL ontology generated from the LinkML schema and the SKOS concept schemes
  of its enums;
* ``dataset`` — the DCAT/VoID description of the dataset itself.

A field's triples go to the graphs of the passages that support it (or ``curated``); a record's
``rdf:type`` and ``schema:name`` go to every graph that backs one of its fields. Fact from two
sources -> in both graphs.
"""
from __future__ import annotations

import hashlib
from typing import Any, Iterable

import pyoxigraph as ox

from ..ingest.catalogue import UNBACKED_FIELDS, Catalogue, Record, as_list, resolve_ref
from ..namespaces import CLASS_SEGMENTS, CURATED_GRAPH, OKGID, instance_iri, source_graph
from ..schema import Schema, SlotInfo, get_schema

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SCHEMA_NAME = ox.NamedNode("http://schema.org/name")
SCHEMA_URL = ox.NamedNode("http://schema.org/url")
DCT_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")
OA_SELECTOR = ox.NamedNode("http://www.w3.org/ns/oa#TextPositionSelector")
OA_START = ox.NamedNode("http://www.w3.org/ns/oa#start")
OA_END = ox.NamedNode("http://www.w3.org/ns/oa#end")
_OKG = "https://w3id.org/openness-kg/ontology#"
OKG_EVIDENCE = ox.NamedNode(_OKG + "evidence")
OKG_SUPPORTS = ox.NamedNode(_OKG + "supports")
OKG_DATASET_RECORD = ox.NamedNode(_OKG + "datasetRecord")
OKG_DATASET_CITATION = ox.NamedNode(_OKG + "DatasetCitation")
OKG_LOCATOR = ox.NamedNode(_OKG + "locator")
OKG_EVIDENCE_LINK = ox.NamedNode(_OKG + "evidenceLink")
OKG_PUBLIC_RECORD = ox.NamedNode(_OKG + "publicRecord")
OKG_PUBLIC_RECORD_CITATION = ox.NamedNode(_OKG + "PublicRecordCitation")
_TYPED = {b: ox.NamedNode(XSD + b) for b in ("date", "integer", "boolean", "decimal", "float")}


def _iri(x) -> ox.NamedNode:
    return ox.NamedNode(str(x))


def _int(v: int) -> ox.Literal:
    return ox.Literal(str(int(v)), datatype=_TYPED["integer"])


class _Mapper:
    """Turns field values into pyoxigraph terms (references resolved, enums as SKOS concepts)."""

    def __init__(self, cat: Catalogue, schema: Schema):
        self.cat = cat
        self.schema = schema
        self.keys = set(cat.records)
        self._cache: dict = {}

    def ref(self, info: SlotInfo, value: str) -> ox.NamedNode:
        key, err = resolve_ref(self.keys, self.schema, info.range, value)
        if key is None:  # validation has already rejected this
            raise ValueError(err)
        return _iri(instance_iri(*key))

    def values(self, info: SlotInfo, value: Any) -> list:
        out = []
        for v in as_list(value):
            if info.kind == "class":
                out.append(self.ref(info, v))
            elif info.kind == "enum":
                out.append(ox.NamedNode(self.schema.enum_values(info.range)[v]))
            elif info.base in ("uri", "uriorcurie"):
                out.append(ox.NamedNode(str(v)))
            elif info.base == "date":
                out.append(ox.Literal(str(v), datatype=_TYPED["date"]))
            elif info.base == "integer":
                out.append(_int(v))
            elif info.base == "boolean":
                out.append(ox.Literal("true" if v else "false", datatype=_TYPED["boolean"]))
            elif info.base in ("decimal", "float"):
                out.append(ox.Literal(str(v), datatype=_TYPED[info.base]))
            else:
                out.append(ox.Literal(str(v)))
        return out


def passage_iri(rec: Record, source: str, start: int, end: int) -> str:
    """``.../id/passage/<class>/<record id>/<source id>/<start>-<end>``"""
    return str(OKGID[f"passage/{CLASS_SEGMENTS[rec.class_name]}/{rec.id}/{source}/{start}-{end}"])


def citation_iri(rec: Record, url: str) -> str:
    """``.../id/citation/<class>/<record id>/<first 12 hex of sha1(url)>``"""
    h = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    return str(OKGID[f"citation/{CLASS_SEGMENTS[rec.class_name]}/{rec.id}/{h}"])


def dataset_citation_iri(rec: Record, source: str, locator: str) -> str:
    """``.../id/dataset-record/<class>/<record id>/<source id>/<first 12 hex of sha1(locator)>``"""
    h = hashlib.sha1(locator.encode("utf-8")).hexdigest()[:12]
    return str(OKGID[f"dataset-record/{CLASS_SEGMENTS[rec.class_name]}/{rec.id}/{source}/{h}"])


def record_quads(rec: Record, m: _Mapper) -> Iterable[ox.Quad]:
    """The quads of one curated record (see the module docstring for the graph rules)."""
    Q = ox.Quad
    schema = m.schema
    d = rec.data
    iri = _iri(instance_iri(rec.class_name, rec.id))
    slots = schema.slots(rec.class_name)
    cls_iri = ox.NamedNode(schema.class_iri(rec.class_name))
    src_graph = lambda sid: _iri(source_graph(sid))  # noqa: E731
    curated = _iri(CURATED_GRAPH)

    if rec.class_name == "Source":
        g = src_graph(rec.id)
        yield Q(iri, RDF_TYPE, cls_iri, g)
        for name, value in d.items():
            if name in UNBACKED_FIELDS:
                continue
            info = slots[name]
            p = ox.NamedNode(info.iri)
            for o in m.values(info, value):
                yield Q(iri, p, o, g)
        return

    public_fields: set[str] = set()
    citations = as_list(d.get("public_record"))
    for cit in citations:
        public_fields |= set(as_list(cit.get("supports")))
    evidence = as_list(d.get("evidence"))
    imported = as_list(d.get("dataset_record"))

    def graphs_for(field: str) -> set[str]:
        gs = {c["source"] for c in imported if field in as_list(c.get("supports"))}
        for ev in evidence:
            sup = ev.get("supports")
            if (sup is None and field not in public_fields) or (sup is not None and field in sup):
                gs.add(ev["source"])
        out = {src_graph(s) for s in gs}
        if field in public_fields:
            out.add(curated)
        return out

    all_graphs = {src_graph(ev["source"]) for ev in evidence} | {src_graph(c["source"]) for c in imported}
    if citations:
        all_graphs.add(curated)
    name = ox.Literal(str(d["name"])) if d.get("name") else None
    for g in all_graphs:
        yield Q(iri, RDF_TYPE, cls_iri, g)
        if name is not None:
            yield Q(iri, SCHEMA_NAME, name, g)

    for field_name, value in d.items():
        if field_name in UNBACKED_FIELDS or field_name == "name":
            continue
        info = slots[field_name]
        p = ox.NamedNode(info.iri)
        objs = m.values(info, value)
        for g in graphs_for(field_name):
            for o in objs:
                yield Q(iri, p, o, g)

    for ev in evidence:
        g = src_graph(ev["source"])
        p = ox.NamedNode(passage_iri(rec, ev["source"], ev["start"], ev["end"]))
        yield Q(iri, OKG_EVIDENCE, p, g)
        yield Q(p, RDF_TYPE, OA_SELECTOR, g)
        yield Q(p, DCT_SOURCE, _iri(instance_iri("Source", ev["source"])), g)
        yield Q(p, OA_START, _int(ev["start"]), g)
        yield Q(p, OA_END, _int(ev["end"]), g)
        for f in as_list(ev.get("supports")):
            yield Q(p, OKG_SUPPORTS, ox.Literal(f), g)

    for cit in imported:
        g = src_graph(cit["source"])
        c = ox.NamedNode(dataset_citation_iri(rec, cit["source"], cit["locator"]))
        yield Q(iri, OKG_DATASET_RECORD, c, g)
        yield Q(c, RDF_TYPE, OKG_DATASET_CITATION, g)
        yield Q(c, DCT_SOURCE, _iri(instance_iri("Source", cit["source"])), g)
        yield Q(c, OKG_LOCATOR, ox.Literal(cit["locator"]), g)
        for url in as_list(cit.get("links")):
            yield Q(c, OKG_EVIDENCE_LINK, ox.NamedNode(url), g)
        for f in as_list(cit.get("supports")):
            yield Q(c, OKG_SUPPORTS, ox.Literal(f), g)

    for cit in citations:
        c = ox.NamedNode(citation_iri(rec, cit["url"]))
        yield Q(iri, OKG_PUBLIC_RECORD, c, curated)
        yield Q(c, RDF_TYPE, OKG_PUBLIC_RECORD_CITATION, curated)
        yield Q(c, SCHEMA_URL, ox.NamedNode(cit["url"]), curated)
        for f in as_list(cit.get("supports")):
            yield Q(c, OKG_SUPPORTS, ox.Literal(f), curated)


def catalogue_quads(cat: Catalogue, schema: Schema | None = None) -> list[ox.Quad]:
    """The quads of every record of ``cat`` (not sorted; duplicates possible)."""
    m = _Mapper(cat, schema or get_schema())
    out: list[ox.Quad] = []
    for rec in cat:
        out.extend(record_quads(rec, m))
    return out
