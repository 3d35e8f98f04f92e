"""Read what the analyses need from the knowledge graph, with SPARQL on pyoxigraph.

The checked knowledge graph's pyoxigraph store is queried; the default graph is the union of the named graphs, except the ``derived`` graph, which
is never read (the analyses do not feed on their own output). Artifacts, labels and claims are
read from **every** named graph, so records that importers add in their own graphs
(``graph/osai-index``, ``graph/mof``...) are combined with the curated ones.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import GRAPH, OKGID, OKGV, sparql_prefixes
from .evidence import Record
from .openness import LicenceInfo
from .spdx_osi import OSI_APPROVED_SPDX

DERIVED_GRAPH = GRAPH["derived"]
_NON_SOURCE_GRAPHS = {"ontology", "dataset", "curated", "derived"}
AVAILABILITY_RANK = {"unknown": 0, "released": 1, "partly_released": 2, "withheld": 3}  # least open highest
PREFIXES = sparql_prefixes(["okg", "schema", "org", "oa", "dcterms", "rdf", "owl"])


def slug(iri: str) -> str:
    """``.../id/model/llama-3-1`` -> ``model/llama-3-1``; SKOS concept ``.../vocab/x/open-weight``
    -> ``open_weight`` (the schema's enum value); other IRIs unchanged."""
    if iri.startswith(str(OKGID)):
        return iri[len(str(OKGID)):]
    if iri.startswith(str(OKGV)):
        return iri.rsplit("/", 1)[-1].replace("-", "_")
    return iri


def source_of_graph(g: str) -> str | None:
    """Source id of a named graph: ``graph/source/<id>`` -> ``<id>``, ``graph/<id>`` -> ``<id>``
    for graphs other than ontology, dataset, curated and derived; else ``None``."""
    base = str(GRAPH)
    if not g.startswith(base):
        return None
    rest = g[len(base):]
    if rest.startswith("source/"):
        return rest[len("source/"):]
    return None if rest in _NON_SOURCE_GRAPHS or "/" in rest else rest


@dataclass
class GraphData:
    """Plain-Python view of the graph. Keys are record slugs (``model/llama-3-1``)."""

    models: dict[str, dict] = field(default_factory=dict)          # slug -> {name, graphs, family, developers, licences, access_modes[, training_compute (FLOP), release_date]}
    organisations: dict[str, dict] = field(default_factory=dict)   # slug -> {name, country, parent}
    licences: dict[str, LicenceInfo] = field(default_factory=dict)
    licence_names: dict[str, str] = field(default_factory=dict)
    artifacts: dict[tuple[str, str], list[Record]] = field(default_factory=dict)  # (model, component) -> records
    source_dates: dict[str, str] = field(default_factory=dict)     # source id -> date it speaks for
    access_by_source: dict[tuple[str, str], dict] = field(default_factory=dict)  # (model, source) -> {modes, licences}
    channels: dict[str, dict] = field(default_factory=dict)        # slug -> {name, operator, types, serves}
    labels: list[dict] = field(default_factory=list)               # one row per (label record, graph)
    claims: list[dict] = field(default_factory=list)               # one row per (claim, graph, dimension)
    sources: dict[str, str] = field(default_factory=dict)          # source id -> name
    dataset_sources: set[str] = field(default_factory=set)         # ids of imported datasets
    benchmarks: list[dict] = field(default_factory=list)           # {benchmark, model, date, score, open, result}, sorted


def to_store(kg) -> ox.Store:
    """A pyoxigraph store with the quads of the :class:`~openness_kg.graph.KnowledgeGraph`
    ``kg`` (or of an rdflib ``Dataset``, such as ``openness_kg.load()`` gives), the derived graph
    left out (the analyses never read their own output)."""
    from ..graph import KnowledgeGraph

    if not isinstance(kg, KnowledgeGraph):
        kg = KnowledgeGraph.from_rdflib(kg)
    if str(DERIVED_GRAPH) not in kg.graph_names():
        return kg.store()
    st = ox.Store()
    st.bulk_extend(q for q in kg.quads if q.graph_name.value != str(DERIVED_GRAPH))
    return st


def _rows(st: ox.Store, sparql: str) -> list[dict]:
    res = st.query(PREFIXES + sparql, use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    out = []
    for sol in res:
        row = {}
        for n in names:
            t = sol[n]
            row[n] = None if t is None else t.value
        out.append(row)
    return out


def read_graph(kg) -> GraphData:
    """Extract models, organisations, licences, artifacts, channels, labels and claims.

    Raises ``ValueError`` when the dataset holds no ``okg:Model``.
    """
    st = to_store(kg)
    d = GraphData()
    for r in _rows(st, "SELECT DISTINCT ?m ?g WHERE { GRAPH ?g { ?m a okg:Model } }"):
        m = d.models.setdefault(slug(r["m"]), {"name": None, "graphs": set(), "family": None, "developers": set(),
                                                "licences": set(), "access_modes": set()})
        m["graphs"].add(r["g"])
    if not d.models:
        raise ValueError("the dataset holds no okg:Model: nothing to analyse")
    for r in _rows(st, "SELECT DISTINCT ?m ?p ?o WHERE { ?m a okg:Model ; ?p ?o . "
                       "VALUES ?p { schema:name okg:family schema:creator schema:license okg:accessMode owl:deprecated "
                       "okg:trainingCompute schema:datePublished okg:fineTuneOf } }"):
        m = d.models[slug(r["m"])]
        p, o = r["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], r["o"]
        if p == "name":
            m["name"] = m["name"] or o
        elif p == "family":
            m["family"] = slug(o)
        elif p == "creator":
            m["developers"].add(slug(o))
        elif p == "license":
            m["licences"].add(slug(o))
        elif p == "accessMode":
            m["access_modes"].add(slug(o))
        elif p == "trainingCompute":  # FLOP; of two sources' estimates the larger (deterministic)
            m["training_compute"] = max(m.get("training_compute") or 0.0, float(o))
        elif p == "fineTuneOf":       # lineage: the base model(s) this one was built on
            m.setdefault("base_models", set()).add(slug(o))
        elif p == "datePublished":    # release date; of two the earlier
            m["release_date"] = min(m.get("release_date") or o, o)
        elif p == "deprecated":
            m["deprecated"] = m.get("deprecated") or o == "true"   # a retired record (owl:deprecated)
    for m_slug, m in d.models.items():
        m["name"] = m["name"] or m_slug.rsplit("/", 1)[-1]

    for r in _rows(st, """SELECT DISTINCT ?o ?name ?country ?parent WHERE {
            ?o a org:Organization . OPTIONAL { ?o schema:name ?name }
            OPTIONAL { ?o schema:addressCountry ?country } OPTIONAL { ?o org:subOrganizationOf ?parent } }"""):
        o = d.organisations.setdefault(slug(r["o"]), {"name": None, "country": None, "parent": None})
        o["name"] = o["name"] or r["name"] or slug(r["o"]).rsplit("/", 1)[-1]
        o["country"] = o["country"] or r["country"]
        o["parent"] = o["parent"] or (slug(r["parent"]) if r["parent"] else None)

    for r in _rows(st, """SELECT DISTINCT ?l ?name ?spdx ?cat ?osi WHERE {
            ?l a dcterms:LicenseDocument . OPTIONAL { ?l schema:name ?name } OPTIONAL { ?l okg:spdxId ?spdx }
            OPTIONAL { ?l okg:licenceCategory ?cat } OPTIONAL { ?l okg:osiApproved ?osi } }"""):
        k = slug(r["l"])
        old = d.licences.get(k, LicenceInfo(k))
        d.licences[k] = LicenceInfo(k, old.spdx_id or r["spdx"], old.category or (slug(r["cat"]) if r["cat"] else None),
                                    old.osi_approved if old.osi_approved is not None else
                                    (None if r["osi"] is None else r["osi"] == "true"))
        d.licence_names[k] = d.licence_names.get(k) or r["name"] or k.rsplit("/", 1)[-1]

    # one Record per (artifact, named graph): a fact in two sources' graphs is two sources' word
    arts: dict[tuple[str, str], dict] = defaultdict(lambda: {"model": None, "component": None, "availability": set(),
                                                             "licences": set(), "as_of": None})
    for r in _rows(st, """SELECT DISTINCT ?a ?g ?m ?c ?av ?l ?asOf WHERE {
            GRAPH ?g { ?a a okg:Artifact . OPTIONAL { ?a okg:availability ?av }
                       OPTIONAL { ?a schema:license ?l } OPTIONAL { ?a okg:asOf ?asOf } }
            ?a okg:artifactOf ?m ; okg:component ?c . }"""):
        src = source_of_graph(r["g"]) or r["g"].rsplit("/", 1)[-1]
        a = arts[(r["a"], src)]
        a["model"], a["component"] = slug(r["m"]), slug(r["c"])
        if r["av"]:
            a["availability"].add(slug(r["av"]))
        if r["l"]:
            a["licences"].add(slug(r["l"]))
        if r["asOf"]:
            a["as_of"] = r["asOf"]
    for r in _rows(st, """SELECT DISTINCT ?s ?g ?d ?asOf WHERE { GRAPH ?g { ?s a schema:CreativeWork .
            OPTIONAL { ?s schema:datePublished ?d } OPTIONAL { ?s okg:asOf ?asOf } } }"""):
        src = source_of_graph(r["g"])
        if src and slug(r["s"]) == f"source/{src}" and (r["d"] or r["asOf"]):
            d.source_dates[src] = d.source_dates.get(src) or r["d"] or r["asOf"]
    # a source's own access modes for a model (per named graph): its word on the final parameters
    for r in _rows(st, """SELECT DISTINCT ?m ?g ?mode ?l WHERE { GRAPH ?g { ?m a okg:Model ; okg:accessMode ?mode .
            OPTIONAL { ?m schema:license ?l } } }"""):
        src = source_of_graph(r["g"]) or r["g"].rsplit("/", 1)[-1]
        e = d.access_by_source.setdefault((slug(r["m"]), src), {"modes": set(), "licences": set()})
        e["modes"].add(slug(r["mode"]))
        if r["l"]:
            e["licences"].add(slug(r["l"]))
    for (iri, src) in sorted(arts):
        a = arts[(iri, src)]
        if a["model"] not in d.models:
            continue
        avs = sorted(a["availability"]) or ["unknown"]
        # one record stating two availabilities in one graph: its least open (never happens in the data)
        av = max(avs, key=lambda v: AVAILABILITY_RANK.get(v, -1))
        d.artifacts.setdefault((a["model"], a["component"]), []).append(
            Record(src, a["as_of"] or d.source_dates.get(src), av, tuple(sorted(a["licences"])), slug(iri)))

    for r in _rows(st, """SELECT DISTINCT ?p ?name ?op ?type ?x WHERE { ?p a okg:AccessChannel .
            OPTIONAL { ?p schema:name ?name } OPTIONAL { ?p okg:operator ?op }
            OPTIONAL { ?p okg:channelType ?type } OPTIONAL { ?p okg:serves ?x } }"""):
        c = d.channels.setdefault(slug(r["p"]), {"name": None, "operator": None, "types": set(), "serves": set()})
        c["name"] = c["name"] or r["name"] or slug(r["p"])
        c["operator"] = c["operator"] or (slug(r["op"]) if r["op"] else None)
        if r["type"]:
            c["types"].add(slug(r["type"]))
        if r["x"]:
            c["serves"].add(slug(r["x"]))

    for r in _rows(st, """SELECT DISTINCT ?l ?g ?x ?label ?rank WHERE { GRAPH ?g {
            ?l a okg:OpennessLabel ; okg:labelledModel ?x ; okg:label ?label .
            OPTIONAL { ?l okg:spectrumRank ?rank } } }"""):
        src = source_of_graph(r["g"])
        if src is None:
            continue
        d.labels.append({"label_id": slug(r["l"]), "source": src, "labelled": slug(r["x"]),
                         "label": slug(r["label"]), "spectrum_rank": int(r["rank"]) if r["rank"] else None})
    d.labels.sort(key=lambda r: (r["source"], r["label_id"], r["labelled"]))

    # a claim's proposition and polarity are read from the claim's own graph, the proposition's
    # dimension from any graph (a proposition is typed in the graph of every source with a claim on it)
    for r in _rows(st, """SELECT DISTINCT ?c ?g ?dim ?stance ?subject ?asOf ?text ?start ?end ?prop ?pol ?propDim
            WHERE { GRAPH ?g {
            ?c a okg:Claim ; okg:dimension ?dim ; okg:stance ?stance ; okg:subject ?subject .
            OPTIONAL { ?c okg:asOf ?asOf } OPTIONAL { ?c rdf:value ?text }
            OPTIONAL { ?c okg:evidence ?p . ?p oa:start ?start ; oa:end ?end } }
            OPTIONAL { GRAPH ?g { ?c okg:proposition ?prop ; okg:polarity ?pol } ?prop okg:dimension ?propDim } }"""):
        src = source_of_graph(r["g"])
        if src is None:
            continue
        d.claims.append({"claim_id": slug(r["c"]), "source": src, "dimension": slug(r["dim"]),
                         "stance": slug(r["stance"]), "subject": slug(r["subject"]), "as_of": r["asOf"],
                         "text": r["text"], "span_start": int(r["start"]) if r["start"] else None,
                         "span_end": int(r["end"]) if r["end"] else None,
                         "proposition": slug(r["prop"]) if r["prop"] else None,
                         "polarity": slug(r["pol"]) if r["pol"] else None,
                         "proposition_dimension": slug(r["propDim"]) if r["propDim"] else None})
    d.claims.sort(key=lambda r: (r["dimension"], r["subject"], r["source"], r["claim_id"], r["span_start"] or 0))

    for r in _rows(st, """SELECT DISTINCT ?b ?bench ?name ?date ?score ?open WHERE { ?b a okg:BenchmarkResult ;
            okg:benchmark ?bench ; okg:variantName ?name ; schema:datePublished ?date ; okg:benchmarkScore ?score ;
            okg:openWeights ?open }"""):
        d.benchmarks.append({"benchmark": r["bench"], "model": r["name"], "date": r["date"],
                             "score": float(r["score"]), "open": r["open"] == "true", "result": slug(r["b"])})
    d.benchmarks.sort(key=lambda b: (b["benchmark"], b["date"], b["model"], b["score"], b["result"]))

    for r in _rows(st, "SELECT DISTINCT ?s ?g ?name WHERE { GRAPH ?g { ?s a schema:CreativeWork ; schema:name ?name } }"):
        src = source_of_graph(r["g"])
        if src and slug(r["s"]) == f"source/{src}":
            d.sources[src] = r["name"]
    for r in _rows(st, "SELECT DISTINCT ?s ?t WHERE { ?s a schema:CreativeWork ; okg:sourceType ?t }"):
        if r["t"].rstrip("/").rsplit("/", 1)[-1] == "dataset":
            d.dataset_sources.add(r["s"].rstrip("/").rsplit("/", 1)[-1])
    return d


def self_lic(d: GraphData, lic: str) -> LicenceInfo:
    """The ``LicenceInfo`` of a licence slug; a licence IRI without a record (e.g. an SPDX IRI
    ``http://spdx.org/licenses/MIT``) gets its SPDX id from the IRI, its OSI approval from the SPDX
    License List (``OSI_APPROVED_SPDX``) and no category."""
    if lic in d.licences:
        return d.licences[lic]
    spdx = lic.rsplit("/", 1)[-1] if lic.startswith("http://spdx.org/licenses/") else None
    return LicenceInfo(lic, spdx_id=spdx, osi_approved=(spdx in OSI_APPROVED_SPDX) if spdx else None)
