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

from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, OWL

from . import paths
from .namespaces import (CURATED_GRAPH, DATASET_GRAPH, DCAT, OA, OKG, OKGID, ONTOLOGY_GRAPH, PREFIXES, PROV,
                         SCHEMA, VOID, CLASS_SEGMENTS, BASE, instance_iri, source_graph)
from .records import UNBACKED_FIELDS, Catalogue, Record, _as_list, resolve_ref
from .schema import Schema, SlotInfo, get_schema

DATASET_IRI = URIRef(BASE)
CC_BY = URIRef("http://creativecommons.org/licenses/by/4.0/")

Quad = tuple[URIRef, URIRef, Any, URIRef]


class _Mapper:
    def __init__(self, cat: Catalogue, schema: Schema):
        self.cat = cat
        self.schema = schema
        self.keys = set(cat.records)

    def ref(self, info: SlotInfo, value: str) -> URIRef:
        key, err = resolve_ref(self.keys, self.schema, info.range, value)
        if key is None:  # validation has already rejected this
            raise ValueError(err)
        return instance_iri(*key)

    def values(self, info: SlotInfo, value: Any) -> list:
        out = []
        for v in _as_list(value):
            if info.kind == "class":
                out.append(self.ref(info, v))
            elif info.kind == "enum":
                out.append(URIRef(self.schema.enum_values(info.range)[v]))
            elif info.base == "uri":
                out.append(URIRef(v))
            elif info.base == "date":
                out.append(Literal(v, datatype=XSD.date))
            elif info.base == "integer":
                out.append(Literal(int(v)))
            elif info.base == "boolean":
                out.append(Literal(bool(v)))
            else:
                out.append(Literal(str(v)))
        return out


def quad_key(q) -> tuple[str, str, str, str]:
    """Sort key of a quad: (graph, subject, predicate, object) in N-Triples syntax."""
    s, p, o, g = q
    g = getattr(g, "identifier", g)
    return (g.n3(), s.n3(), p.n3(), o.n3())


def passage_iri(rec: Record, source: str, start: int, end: int) -> URIRef:
    """``.../id/passage/<class>/<record id>/<source id>/<start>-<end>``"""
    return OKGID[f"passage/{CLASS_SEGMENTS[rec.class_name]}/{rec.id}/{source}/{start}-{end}"]


def citation_iri(rec: Record, url: str) -> URIRef:
    """``.../id/citation/<class>/<record id>/<first 12 hex of sha1(url)>``"""
    h = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    return OKGID[f"citation/{CLASS_SEGMENTS[rec.class_name]}/{rec.id}/{h}"]


def dataset_citation_iri(rec: Record, source: str, locator: str) -> URIRef:
    """``.../id/dataset-record/<class>/<record id>/<source id>/<first 12 hex of sha1(locator)>``"""
    h = hashlib.sha1(locator.encode("utf-8")).hexdigest()[:12]
    return OKGID[f"dataset-record/{CLASS_SEGMENTS[rec.class_name]}/{rec.id}/{source}/{h}"]


def record_quads(rec: Record, m: _Mapper) -> Iterable[Quad]:
    """The quads of one curated record (see the module docstring for the graph rules)."""
    schema = m.schema
    d = rec.data
    iri = instance_iri(rec.class_name, rec.id)
    slots = schema.slots(rec.class_name)
    cls_iri = URIRef(schema.class_iri(rec.class_name))

    if rec.class_name == "Source":
        g = source_graph(rec.id)
        yield iri, RDF.type, cls_iri, g
        for name, value in d.items():
            if name in UNBACKED_FIELDS:
                continue
            info = slots[name]
            for o in m.values(info, value):
                yield iri, URIRef(info.iri), o, g
        return

    public_fields: set[str] = set()
    citations = _as_list(d.get("public_record"))
    for cit in citations:
        public_fields |= set(_as_list(cit.get("supports")))
    evidence = _as_list(d.get("evidence"))
    imported = _as_list(d.get("dataset_record"))

    def graphs_for(field: str) -> set[URIRef]:
        gs = {source_graph(c["source"]) for c in imported if field in _as_list(c.get("supports"))}
        for ev in evidence:
            sup = ev.get("supports")
            if (sup is None and field not in public_fields) or (sup is not None and field in sup):
                gs.add(source_graph(ev["source"]))
        if field in public_fields:
            gs.add(CURATED_GRAPH)
        return gs

    all_graphs = {source_graph(ev["source"]) for ev in evidence} | {source_graph(c["source"]) for c in imported}
    if citations:
        all_graphs.add(CURATED_GRAPH)
    for g in all_graphs:
        yield iri, RDF.type, cls_iri, g
        if d.get("name"):
            yield iri, SCHEMA.name, Literal(d["name"]), g

    for name, value in d.items():
        if name in UNBACKED_FIELDS or name == "name":
            continue
        info = slots[name]
        objs = m.values(info, value)
        for g in graphs_for(name):
            for o in objs:
                yield iri, URIRef(info.iri), o, g

    for ev in evidence:
        g = source_graph(ev["source"])
        p = passage_iri(rec, ev["source"], ev["start"], ev["end"])
        yield iri, OKG.evidence, p, g
        yield p, RDF.type, OA.TextPositionSelector, g
        yield p, DCTERMS.source, instance_iri("Source", ev["source"]), g
        yield p, OA.start, Literal(int(ev["start"])), g
        yield p, OA.end, Literal(int(ev["end"])), g
        for f in _as_list(ev.get("supports")):
            yield p, OKG.supports, Literal(f), g

    for cit in imported:
        g = source_graph(cit["source"])
        c = dataset_citation_iri(rec, cit["source"], cit["locator"])
        yield iri, OKG.datasetRecord, c, g
        yield c, RDF.type, OKG.DatasetCitation, g
        yield c, DCTERMS.source, instance_iri("Source", cit["source"]), g
        yield c, OKG.locator, Literal(cit["locator"]), g
        for url in _as_list(cit.get("links")):
            yield c, OKG.evidenceLink, URIRef(url), g
        for f in _as_list(cit.get("supports")):
            yield c, OKG.supports, Literal(f), g

    for cit in citations:
        c = citation_iri(rec, cit["url"])
        yield iri, OKG.publicRecord, c, CURATED_GRAPH
        yield c, RDF.type, OKG.PublicRecordCitation, CURATED_GRAPH
        yield c, SCHEMA.url, URIRef(cit["url"]), CURATED_GRAPH
        for f in _as_list(cit.get("supports")):
            yield c, OKG.supports, Literal(f), CURATED_GRAPH


def vocabulary_graph(schema: Schema) -> Graph:
    """SKOS concept schemes of the schema's enums: one ``skos:ConceptScheme`` per enum
    (``.../vocab/<scheme>``), one ``skos:Concept`` per value with its label, definition and
    ``skos:exactMatch`` to external terms (ccREL) where the schema maps one."""
    g = Graph()
    view = schema.view
    for enum_name in sorted(view.all_enums()):
        enum = view.get_enum(enum_name)
        meanings = schema.enum_values(enum_name)
        if not meanings:
            continue
        first = next(iter(meanings.values()))
        scheme = URIRef(first.rsplit("/", 1)[0])
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(enum_name, lang="en")))
        if enum.description:
            g.add((scheme, SKOS.definition, Literal(enum.description, lang="en")))
        for value, meaning in meanings.items():
            c = URIRef(meaning)
            pv = enum.permissible_values[value]
            g.add((c, RDF.type, SKOS.Concept))
            g.add((c, SKOS.prefLabel, Literal(value.replace("_", " "), lang="en")))
            g.add((c, SKOS.notation, Literal(value)))
            g.add((c, SKOS.inScheme, scheme))
            g.add((c, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, c))
            if pv.description:
                g.add((c, SKOS.definition, Literal(pv.description, lang="en")))
            for mapping in pv.exact_mappings or []:
                g.add((c, SKOS.exactMatch, URIRef(view.expand_curie(mapping))))
    return g


def ontology_graph(schema: Schema) -> Graph:
    """The generated OWL ontology plus the SKOS vocabularies, with blank nodes given canonical
    labels (so dumps are byte-identical across runs)."""
    g = Graph()
    g.parse(paths.OWL_FILE, format="turtle")
    g += vocabulary_graph(schema)
    return to_canonical_graph(g)


def dataset_description(cat: Catalogue, graphs: Iterable[URIRef]) -> Graph:
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
    g.add((d, OWL.versionInfo, Literal("0.1.0")))
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


def build_dataset(cat: Catalogue, schema: Schema | None = None) -> Dataset:
    """Turn validated records into an rdflib ``Dataset`` (named graphs as above)."""
    schema = schema or get_schema()
    m = _Mapper(cat, schema)
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    quads = []
    for rec in cat:
        quads.extend(record_quads(rec, m))
    graph_iris = {q[3] for q in quads} | {ONTOLOGY_GRAPH}
    quads.extend((s, p, o, ONTOLOGY_GRAPH) for s, p, o in ontology_graph(schema))
    quads.extend((s, p, o, DATASET_GRAPH) for s, p, o in dataset_description(cat, graph_iris))
    ds.addN((s, p, o, ds.graph(g)) for s, p, o, g in sorted(set(quads), key=quad_key))
    return ds
