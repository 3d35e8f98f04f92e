"""The analyses: openness per model, labels against evidence, contested claims, concentration.

:func:`run` reads the graph (:mod:`.extract`), applies the rules of :mod:`.openness` and the
metrics of :mod:`.metrics`, and returns an :class:`Analysis` holding pandas tables, the derived
triples and the facts the report quotes. Table and column meanings are in ``TABLE_DOCS``.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pandas as pd
from rdflib import RDF, XSD, Graph, Literal, URIRef

from ..importers.common import slugify
from ..namespaces import GRAPH, OKG, OKGID, PREFIXES
from ..schema import get_schema
from . import compute, evidence, gap, lineage, metrics
from .claims import claim_conflicts, conflict_triples, label_conflicts
from .extract import GraphData, read_graph, self_lic, source_of_graph
from .openness import (COMPONENTS, MOF_COMPONENTS, ComponentState, component_credit, evidence_status,
                       licence_open_for, licence_openness, mof_evaluation, openness_score, osaid_missing)

WEIGHTS_MODES = {"weights_download", "gated_download"}
OPEN_SOURCE_LABELS = {"fully_open", "deeply_open", "open_source"}
# ordinal openness of a source's label (higher = more open), for Kendall's tau on label order
LABEL_ORDER = {"fully_open": 6, "deeply_open": 6, "open_source": 5, "open": 4, "open_weight": 3,
               "semi_open": 2, "closed": 1}
# what each label asserts about the evidence-based status
LABEL_EXPECTS = {"fully_open": {"open_source"}, "deeply_open": {"open_source"}, "open_source": {"open_source"},
                 "open": {"open_source", "open_weights"}, "open_weight": {"open_source", "open_weights"},
                 "semi_open": {"open_source", "open_weights"}, "closed": {"closed"}}
GROUPS = ("all", "open_weight", "closed")
OPEN_STATUSES = {"open_source", "open_weights"}
ROUND = 4
HIGH_HHI = 1800  # 2023 US Merger Guidelines (DOJ/FTC), section 2.1: above 1,800 is highly concentrated


def _r(x: float | None, nd: int = ROUND):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), nd)


@dataclass
class Analysis:
    """Result of :func:`run`.

    * ``tables``: ``{name: pandas.DataFrame}``, names prefixed ``analysis_`` (see ``TABLE_DOCS``);
      rows sorted, so the CSV files are byte-identical across runs;
    * ``graph``: ``rdflib.Graph`` of derived triples for the named graph
      ``https://w3id.org/openness-kg/graph/derived`` (``DERIVED_GRAPH``);
    * ``scope``, ``parents``: the parameters used; ``scope_note``: which models are counted and
      the selection bias that carries; ``facts``: numbers the report quotes (all also in tables).
    """

    tables: dict[str, pd.DataFrame]
    graph: Graph
    scope: str
    parents: bool
    scope_note: str
    facts: dict = field(default_factory=dict)
    network: nx.Graph | None = None
    data: GraphData | None = None

    def write(self, out_dir: Path) -> list[Path]:
        """Write ``<table>.csv`` for every table, the figures (PNG and SVG), ``report.md`` and
        ``report.html`` (the same report as a web page) into ``out_dir``, atomically: everything goes to a temporary folder beside it, which
        then replaces ``out_dir`` (the old folder is removed only after the new one is in
        place). Returns the paths written, sorted. Raises ``OSError`` when ``out_dir``'s
        parent cannot be written."""
        from .output import write_all
        return write_all(self, Path(out_dir))

    def derived_quads(self) -> list:
        """The derived triples as pyoxigraph quads in the named graph ``DERIVED_GRAPH``."""
        from ..graph import rdflib_quads
        from .extract import DERIVED_GRAPH

        return rdflib_quads(self.graph, str(DERIVED_GRAPH))


def scope_models(d: GraphData, scope: str) -> list[str]:
    """Model slugs in a scope, sorted: ``"all"`` every model; ``"seeds"`` the models the source
    documents name: those typed in a document's graph (``graph/source/<id>`` of a source that is
    not an imported dataset, i.e. the five documents), plus every model, from any graph, whose
    family a document names (:func:`document_families`), so a family the documents name only as a
    family (OLMo, EleutherAI's models) is counted through its member models, imported ones
    included; ``"<source id>"`` models typed in ``graph/source/<id>`` or ``graph/<id>``. Raises
    ``ValueError`` naming the valid scopes when the scope is unknown or holds no model. A retired
    model (``owl:deprecated``, ``d.models[m]["deprecated"]`` where the extract sets it) is in no
    scope."""
    live = {m: v for m, v in d.models.items() if not v.get("deprecated")}
    if scope == "all":
        out = list(live)
    elif scope == "seeds":
        named = document_families(d)
        out = [m for m, v in live.items()
               if v["family"] in named
               or any(g.startswith(str(GRAPH["source/"])) and source_of_graph(g) not in d.dataset_sources
                      for g in v["graphs"])]
    else:
        out = [m for m, v in live.items() if any(source_of_graph(g) == scope for g in v["graphs"])]
    if not out:
        known = sorted({s for v in d.models.values() for g in v["graphs"] if (s := source_of_graph(g))})
        raise ValueError(f"scope '{scope}' holds no model; choose seeds, all or one of: {', '.join(known)}")
    return sorted(out)


def scope_note(d: GraphData, scope: str, n: int) -> str:
    """Plain-words statement of what a scope counts and the selection bias it carries; for
    ``seeds`` and ``all`` also the families the documents name that have no member model in the
    graph (:func:`families_without_members`), which the counts cannot include."""
    graphs = {g for v in d.models.values() for g in v["graphs"]}
    docs = ("the source documents name notable models, mostly from large, well-known developers, and "
            "say little about smaller or non-English-language ones")
    osai = ("the OSAI index lists only systems that claim to be open, so it has no closed models")
    mof = "the Model Openness Tool lists models submitted for evaluation, which are mostly open ones"
    missing = ""
    if scope in ("seeds", "all"):
        empty = families_without_members(d, scope)
        if empty:
            missing = (" Families the documents name without any member model in the graph, so not counted: "
                       + ", ".join(f.split("/", 1)[1] for f in empty) + ".")
    if scope == "seeds":
        doc_graph = lambda g: (g.startswith(str(GRAPH["source/"]))  # noqa: E731
                               and source_of_graph(g) not in d.dataset_sources)
        in_docs = sum(1 for v in d.models.values() if not v.get("deprecated") and any(map(doc_graph, v["graphs"])))
        via = (f", directly ({in_docs}) or as members of a model family they name ({n - in_docs} more, listed by "
               "the imported indexes)") if n > in_docs else ""
        return (f"Scope `seeds`: the {n} models named by the five source documents{via}.{missing} "
                f"Selection bias: {docs}" + ("; a family's members are the releases the indexes list." if via else "."))
    if scope == "all":
        biases = [docs]
        if any(g.endswith("/osai-index") for g in graphs):
            biases.append(osai)
        if any(g.endswith("/mof") for g in graphs):
            biases.append(mof)
        return (f"Scope `all`: every model in the graph ({n}), from the source documents and any imported "
                f"index.{missing} Selection bias: {'; '.join(biases)}.")
    bias = osai if scope == "osai-index" else mof if scope == "mof" else docs
    if scope in d.sources:
        return f"Scope `{scope}`: the {n} models named by {d.sources[scope]}. Selection bias: {bias}."
    return f"Scope `{scope}`: the {n} models in the named graph `{scope}`. Selection bias: {bias}."


def document_families(d: GraphData) -> set[str]:
    """Family slugs (``model-family/olmo``) the source documents name, as far as the extracted
    graph shows them: the family of a model typed in a document's graph, and a family a document
    labels (an openness label in its graph). Every family record of data/models.yaml is one or
    the other; a family named only in a claim's ``about`` or a channel's ``serves`` would not be
    seen (:class:`.extract.GraphData` does not list families)."""
    named = {v["family"] for v in d.models.values()
             if v["family"] and not v.get("deprecated")
             and any(g.startswith(str(GRAPH["source/"])) and source_of_graph(g) not in d.dataset_sources
                     for g in v["graphs"])}
    named |= {lab["labelled"] for lab in d.labels
              if lab["source"] not in d.dataset_sources and lab["labelled"].startswith("model-family/")}
    return named


def families_without_members(d: GraphData, scope: str = "seeds") -> list[str]:
    """Slugs (``model-family/<id>``), sorted, of the families the source documents name
    (:func:`document_families`) that have no member model in ``scope`` (``seeds`` or ``all``:
    no member model in the graph at all). The analyses cannot count them; the scope note lists
    them."""
    members = {d.models[m]["family"] for m in scope_models(d, scope) if d.models[m]["family"]}
    return sorted(document_families(d) - members)


def model_profile(d: GraphData, m: str) -> tuple[dict[str, ComponentState], dict[str, list[str]]]:
    """Combined component states of one model and, per component, the sources its records come
    from. Records are combined one vote per source, newer over older
    (:func:`.evidence.combine`). A source that records the model's access modes but no
    final-parameters artifact speaks on the final parameters through them (:func:`access_record`).
    Basis ``"access_modes"`` when only such records decided the final parameters."""
    profile, graphs = {}, {}
    for c in COMPONENTS:
        recs = list(d.artifacts.get((m, c), []))
        if c == "final_parameters":
            have = {r.source for r in recs}
            recs += [access_record(d, m, src) for (mm, src) in sorted(d.access_by_source)
                     if mm == m and src not in have]
        if not recs:
            continue
        j = evidence.combine(recs)
        deciding = [r for v in j.votes if v.source in j.decided_by for r in v.records]
        basis = "access_modes" if deciding and all(r.endswith(ACCESS_RECORD) for r in deciding) else "artifact"
        profile[c] = ComponentState(j.availability, [self_lic(d, x) for x in j.licences], records=j.records,
                                    disagreement=j.disagreement, basis=basis, judgement=j)
        graphs[c] = sorted({r.source for r in recs})
    return profile, graphs


ACCESS_RECORD = "#access_modes"


def access_record(d: GraphData, m: str, src: str) -> evidence.Record:
    """A source's access modes for model ``m`` as a final-parameters record: a weights download
    (free or gated) means released under the licences that source gives the model; access modes
    without one (API, hosted app...) mean withheld. The record's slug is ``<model>#access_modes``."""
    e = d.access_by_source[(m, src)]
    av = "released" if e["modes"] & WEIGHTS_MODES else "withheld"
    return evidence.Record(src, d.source_dates.get(src), av, tuple(sorted(e["licences"])) if av == "released" else (),
                           m + ACCESS_RECORD)


def status_evidence(profile: dict[str, ComponentState], status: str) -> dict:
    """Which evidence decided a model's status, for ``analysis_model_openness``:
    ``status_decided_by`` (source ids whose vote on the final parameters won),
    ``status_evidence_date`` (their newest date), ``status_resolution`` (``agreed``,
    ``superseded``, ``unresolved``, or ``none`` without evidence) and ``status_reason`` (one
    sentence naming them)."""
    fp = profile.get("final_parameters")
    j = fp.judgement if fp is not None else None
    if j is None:
        return {"status_decided_by": "", "status_evidence_date": None, "status_resolution": "none",
                "status_reason": "No source records the final parameters or the model's access.",
                "status_single_record": False}
    by = ", ".join(j.decided_by)
    when = f" ({j.date})" if j.date else " (undated)"
    what = {"released": "released", "partly_released": "partly released", "withheld": "withheld",
            "unknown": "of unknown availability"}[j.availability]
    how = "access modes" if fp.basis == "access_modes" else "records"
    reason = f"Final parameters {what} per {by}{when}, from their {how}"
    other = ", ".join(sorted(f"{v.source} ({v.date or 'undated'}: {v.availability.replace('_', ' ')})"
                             for v in j.votes if v.availability not in ("unknown", j.availability)))
    if j.resolution == "superseded":
        reason += f"; newer than the disagreeing {other}"
    elif j.resolution == "unresolved":
        reason += f"; unresolved against {other} (majority of the newest sources, a tie to the least open)"
    if status == "open_weights":
        words = {"parameters": "the weights under an open licence", "data_information": "training-data information"}
        reason += "; not open source: lacks " + ", ".join(
            words.get(x, x.split(":", 1)[-1].replace("_", " ") + " under an OSI-approved licence")
            for x in osaid_missing(profile))
    single = sum(len(v.records) for v in j.votes if v.source in j.decided_by) == 1
    return {"status_decided_by": ";".join(j.decided_by), "status_evidence_date": j.date,
            "status_resolution": j.resolution or "agreed", "status_reason": reason + ".",
            "status_single_record": single}


def mof_blocking(profile: dict[str, ComponentState]) -> list[str]:
    """Components that keep a model from the next MOF class up (from Class III when it reaches
    none), in the Model Openness Tool's evaluation (:func:`.openness.mof_evaluation`)."""
    ev = mof_evaluation(profile)
    nxt = {"none": 3, "class_iii": 2, "class_ii": 1, "class_i": None}[ev.mof_class]
    if nxt is None:
        return []
    required = {c for c, (k, _, req) in MOF_COMPONENTS.items() if req and k >= nxt}
    return sorted(required - set(ev.included.get(nxt, ())))


def run(kg, scope: str = "all", parents: bool = True) -> Analysis:
    """Run every analysis on the checked :class:`~openness_kg.graph.KnowledgeGraph` ``kg`` and
    return an :class:`Analysis`.

    ``scope``: ``"all"``, ``"seeds"`` or a source id (see :func:`scope_models`). ``parents``:
    roll organisations up to their top parent (``org:subOrganizationOf``; Google DeepMind counts
    as Google) for the concentration measures, channel control and countries (the top parent's
    country). Raises ``ValueError`` on an unknown or empty scope or a dataset without models.
    """
    d = read_graph(kg)
    models = scope_models(d, scope)
    parent = {o: v["parent"] for o, v in d.organisations.items() if v["parent"]}

    def holder(o: str) -> str:
        return metrics.rollup(o, parent) if parents else o

    def country(o: str) -> str:
        return (d.organisations.get(holder(o), {}).get("country")) or "unknown"

    tables: dict[str, pd.DataFrame] = {}
    facts: dict = {"scope": scope, "parents": parents, "n_models": len(models)}

    # ---- 1. openness per model
    rows, comp_rows, conflict_rows, status = [], [], [], {}
    profiles = {}
    for m in models:
        mv = d.models[m]
        profile, graphs = model_profile(d, m)
        profiles[m] = profile
        st = evidence_status(profile)
        status[m] = st
        model_lics = [self_lic(d, x) for x in sorted(mv["licences"])]
        if not model_lics and "final_parameters" in profile:
            model_lics = profile["final_parameters"].licences
        holders = sorted({holder(o) for o in mv["developers"]})
        avail = Counter(profile[c].availability if c in profile else "no_record" for c in COMPONENTS)
        rows.append({
            "model": m.split("/", 1)[1], "name": mv["name"],
            "developer": ";".join(sorted(o.split("/", 1)[1] for o in mv["developers"])),
            "organisation": ";".join(o.split("/", 1)[1] for o in holders),
            "country": ";".join(sorted({country(o) for o in mv["developers"]})) or "unknown",
            "evidence_status": st,
            "status_basis": profile["final_parameters"].basis if "final_parameters" in profile else "none",
            "mof_class": mof_evaluation(profile).mof_class,
            "licence": ";".join(lic.id.split("/", 1)[-1] for lic in model_lics),
            "licence_openness": licence_openness(model_lics),
            "openness_score": openness_score(profile),
            "components_released": avail["released"] + avail["partly_released"],
            "components_withheld": avail["withheld"],
            "components_unknown": avail["unknown"] + avail["no_record"],
            "artifact_disagreements": sum(1 for s in profile.values() if s.disagreement),
            **status_evidence(profile, st),
            "osaid_missing": ";".join(osaid_missing(profile)) if st in OPEN_STATUSES else "",
            "mof_blocking": ";".join(mof_blocking(profile)),
        })
        for c in COMPONENTS:
            j = profile[c].judgement if c in profile else None
            if j is None or not j.disagreement:
                continue
            for v in j.votes:
                conflict_rows.append({
                    "model": m.split("/", 1)[1], "component": c, "resolution": j.resolution,
                    "availability": j.availability, "source": v.source, "source_date": v.date,
                    "source_availability": v.availability, "deciding": v.source in j.decided_by,
                    "records": ";".join(x.split("/", 1)[-1] for x in v.records)})
        for c in COMPONENTS:
            s = profile.get(c)
            comp_rows.append({
                "model": m.split("/", 1)[1], "component": c, "mof_component_class": MOF_COMPONENTS[c][0],
                "content_type": MOF_COMPONENTS[c][1],
                "availability": s.availability if s else "no_record",
                "licences": ";".join(lic.id.split("/", 1)[-1] for lic in s.licences) if s else "",
                "open_licence": bool(s and s.licences and all(licence_open_for(c, lic) for lic in s.licences)),
                "credit": component_credit(c, s), "records": s.records if s else 0,
                "disagreement": bool(s and s.disagreement), "basis": s.basis if s else "",
                "graphs": ";".join(graphs.get(c, [])),
                "decided_by": ";".join(s.judgement.decided_by) if s and s.judgement else "",
                "evidence_date": s.judgement.date if s and s.judgement else None,
                "resolution": (s.judgement.resolution or "agreed") if s and s.judgement else "",
            })
    tables["analysis_model_openness"] = pd.DataFrame(rows).sort_values("model", ignore_index=True)
    tables["analysis_model_components"] = pd.DataFrame(comp_rows).sort_values(
        ["model", "component"], key=lambda s: s.map(COMPONENTS.index) if s.name == "component" else s,
        ignore_index=True)
    tables["analysis_evidence_conflicts"] = pd.DataFrame(conflict_rows, columns=[
        "model", "component", "resolution", "availability", "source", "source_date", "source_availability",
        "deciding", "records"])
    facts["status_counts"] = dict(Counter(status.values()))
    facts["mof_counts"] = dict(Counter(r["mof_class"] for r in rows))
    facts["disagreements"] = int(sum(r["artifact_disagreements"] for r in rows))

    # ---- 2. labels against evidence
    family_models = defaultdict(list)
    for m in models:
        if d.models[m]["family"]:
            family_models[d.models[m]["family"]].append(m)
    label_rows = []
    for lab in d.labels:
        x = lab["labelled"]
        targets = [x] if x in models else family_models.get(x, [])
        for m in targets:
            st = status[m]
            if st == "unknown":
                verdict = "no_evidence"
            else:
                verdict = "consistent" if st in LABEL_EXPECTS[lab["label"]] else "mismatch"
            prof = profiles[m]
            lacking = {c: (prof[c].availability if c in prof else "no_record") for c in ("training_code", "datasets")}
            label_rows.append({
                "source": lab["source"], "label_id": lab["label_id"].split("/", 1)[1], "label": lab["label"],
                "spectrum_rank": lab["spectrum_rank"], "labelled": x, "model": m.split("/", 1)[1],
                "evidence_status": st, "verdict": verdict,
                "open_washing_candidate": lab["label"] in OPEN_SOURCE_LABELS and st != "open_source",
                "withheld": ";".join(c for c, a in lacking.items() if a == "withheld"),
                "not_evidenced": ";".join(c for c, a in lacking.items() if a in ("unknown", "no_record")),
            })
    label_cols = ["source", "label_id", "label", "spectrum_rank", "labelled", "model", "evidence_status", "verdict",
                  "open_washing_candidate", "withheld", "not_evidenced"]
    lt = pd.DataFrame(label_rows, columns=label_cols)
    lt["spectrum_rank"] = lt["spectrum_rank"].astype("Int64")
    tables["analysis_label_checks"] = lt.sort_values(["source", "label_id", "model"], ignore_index=True)

    score = {m: r["openness_score"] for m, r in zip(models, rows)}
    tau_rows = []
    for src in sorted({lab["source"] for lab in label_rows}):
        sub = [r for r in label_rows if r["source"] == src]
        for basis in ("spectrum_rank", "label_order"):
            per_model: dict[str, float] = {}
            for r in sub:
                if basis == "spectrum_rank":
                    if r["spectrum_rank"] is None:
                        continue
                    v = -float(r["spectrum_rank"])
                else:
                    v = float(LABEL_ORDER[r["label"]])
                key = "model/" + r["model"]
                per_model[key] = max(per_model.get(key, v), v)  # several labels: the most open place
            if len(per_model) < 2:
                continue
            ms = sorted(per_model)
            x, y = [per_model[m] for m in ms], [score[m] for m in ms]
            tau, p = metrics.kendall_tau(x, y)
            tau_rows.append({"source": src, "basis": basis, "models": len(ms), "kendall_tau": _r(tau),
                             "p_value": _r(p)})
    tables["analysis_spectrum_correlation"] = pd.DataFrame(
        tau_rows, columns=["source", "basis", "models", "kendall_tau", "p_value"])

    # ---- 3. contested claims and the dimension x source matrix
    claims = [c for c in d.claims if scope in ("all", "seeds") or c["source"] == scope]
    by_key: dict[tuple, dict] = {}
    for c in claims:
        k = (c["claim_id"], c["source"], c["dimension"])
        if k not in by_key:
            by_key[k] = dict(c, spans=[])
        if c["span_start"] is not None:
            by_key[k]["spans"].append((c["span_start"], c["span_end"]))
    uniq = sorted(by_key.values(), key=lambda c: (c["dimension"], c["subject"], c["source"], c["claim_id"]))
    matrix = Counter((c["dimension"], c["source"], c["stance"]) for c in uniq)
    mrows = []
    for dim in sorted({c["dimension"] for c in uniq}):
        for src in sorted({c["source"] for c in uniq}):
            counts = {s: matrix[(dim, src, s)] for s in ("favours_open", "favours_closed", "mixed", "neutral")}
            if sum(counts.values()):
                mrows.append({"dimension": dim, "source": src, **counts, "total": sum(counts.values())})
    tables["analysis_claims_matrix"] = pd.DataFrame(
        mrows, columns=["dimension", "source", "favours_open", "favours_closed", "mixed", "neutral", "total"])
    # propositions two sources take opposite sides on, and labels two sources disagree on
    tables["analysis_claim_conflicts"] = claim_conflicts(claims, d.source_dates)
    tables["analysis_label_conflicts"] = label_conflicts(d.labels)

    # ---- 4. power concentration
    in_group = {"all": models, "open_weight": [m for m in models if status[m] in OPEN_STATUSES],
                "closed": [m for m in models if status[m] == "closed"]}
    share_rows, conc_rows, counts_by = [], [], {}
    for grp in GROUPS:
        for by in ("organisation", "country"):
            counts: Counter = Counter()
            unassigned = 0.0
            items = []   # one {holder: weight} per model, for the robustness intervals
            for m in in_group[grp]:
                devs = sorted({holder(o) for o in d.models[m]["developers"]})
                if not devs:
                    unassigned += 1
                    continue
                item: Counter = Counter()
                for o in devs:  # a model with k developers counts 1/k to each
                    key = o if by == "organisation" else country(o)
                    if key == "unknown":
                        unassigned += 1 / len(devs)
                    else:
                        counts[key] += 1 / len(devs)
                        item[key] += 1 / len(devs)
                if item:
                    items.append(dict(item))
            counts_by[(grp, by)] = dict(counts)
            loo = metrics.leave_one_out(items, metrics.hhi)
            boot = metrics.bootstrap_interval(items, metrics.hhi)
            cr4 = lambda c: metrics.concentration_ratio(c, 4)  # noqa: E731
            loo4, boot4 = metrics.leave_one_out(items, cr4), metrics.bootstrap_interval(items, cr4)
            n = sum(counts.values())
            for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                name = d.organisations.get(k, {}).get("name", k) if by == "organisation" else k
                share_rows.append({"model_group": grp, "grouped_by": by, "holder": k.split("/", 1)[-1],
                                   "name": name, "models": _r(v), "share": _r(v / n)})
            top = max(sorted(counts), key=lambda k: counts[k]) if counts else None
            conc_rows.append({
                "model_group": grp, "grouped_by": by, "models": len(in_group[grp]), "holders": len(counts),
                "unassigned_models": _r(unassigned),
                "hhi": _r(metrics.hhi(counts), 2) if counts else None,
                "cr4": _r(metrics.concentration_ratio(counts, 4)) if counts else None,
                "gini": _r(metrics.gini(counts)) if counts else None,
                "largest": (top.split("/", 1)[-1] if top else None),
                "largest_share": _r(counts[top] / n) if counts else None,
                "hhi_loo_min": _r(loo[0], 2) if loo else None, "hhi_loo_max": _r(loo[1], 2) if loo else None,
                "hhi_ci_low": _r(boot[0], 2) if boot else None, "hhi_ci_high": _r(boot[1], 2) if boot else None,
                "cr4_loo_min": _r(loo4[0]) if loo4 else None, "cr4_loo_max": _r(loo4[1]) if loo4 else None,
                "cr4_ci_low": _r(boot4[0]) if boot4 else None, "cr4_ci_high": _r(boot4[1]) if boot4 else None,
            })
    tables["analysis_concentration"] = pd.DataFrame(conc_rows)

    # concentration by training compute: every model with an estimate and a release date (Epoch
    # AI's notable systems, mostly), whatever the scope: the seeds name too few with a compute
    # estimate; open or closed by the evidence-based status, as above
    runs = []
    for m, mv in sorted(d.models.items()):
        flop, date = mv.get("training_compute"), mv.get("release_date")
        if not flop or not date or mv.get("deprecated"):
            continue
        st = status[m] if m in status else evidence_status(model_profile(d, m)[0])
        devs = sorted({holder(o) for o in mv["developers"]})
        runs.append(compute.Run(
            model=m, name=mv["name"], year=int(date[:4]), compute=flop,
            group="open_weight" if st in OPEN_STATUSES else "closed" if st == "closed" else "unknown",
            organisations=tuple(devs),
            countries=tuple(c for c in (country(o) for o in mv["developers"]) if c != "unknown")))
    tables["analysis_compute_concentration"] = compute.compute_concentration(runs)
    tables["analysis_largest_training_runs"] = compute.largest_runs(runs)
    facts["compute_runs"] = {"models": len(runs), "open_weight": sum(r.group == "open_weight" for r in runs),
                             "closed": sum(r.group == "closed" for r in runs)}
    tables["analysis_concentration_shares"] = pd.DataFrame(share_rows, columns=[
        "model_group", "grouped_by", "holder", "name", "models", "share"])
    facts["counts_by"] = counts_by

    # channels and who controls access
    mset = set(models)

    def served(x: str) -> list[str]:
        return [x] if x in mset else sorted(family_models.get(x, []))

    ch_rows, reach = [], defaultdict(set)
    for c, v in sorted(d.channels.items()):
        ms = sorted({m for x in v["serves"] for m in served(x)})
        op = v["operator"]
        for m in ms:
            reach[m].add((c, holder(op) if op else None))
        ch_rows.append({"channel": c.split("/", 1)[1], "name": v["name"],
                        "operator": op.split("/", 1)[1] if op else None,
                        "controlling_organisation": holder(op).split("/", 1)[1] if op else None,
                        "channel_types": ";".join(sorted(v["types"])), "models_served": len(ms),
                        "models": ";".join(m.split("/", 1)[1] for m in ms)})
    tables["analysis_channels"] = pd.DataFrame(ch_rows, columns=[
        "channel", "name", "operator", "controlling_organisation", "channel_types", "models_served", "models"])
    acc_rows = []
    for m in models:
        chans = sorted(reach.get(m, set()), key=lambda t: (t[0], t[1] or ""))
        ops = sorted({o for _, o in chans if o})
        weights = status[m] in OPEN_STATUSES
        if weights:
            access = "weights_downloadable"
        elif not chans:
            access = "no_recorded_channel"
        elif len(ops) == 1:
            access = "single_organisation"
        else:
            access = "several_organisations"
        acc_rows.append({"model": m.split("/", 1)[1], "evidence_status": status[m], "weights_downloadable": weights,
                         "channels": ";".join(c.split("/", 1)[1] for c, _ in chans),
                         "controlling_organisations": ";".join(o.split("/", 1)[1] for o in ops),
                         "access": access})
    tables["analysis_model_access"] = pd.DataFrame(acc_rows)
    facts["access_counts"] = dict(Counter(r["access"] for r in acc_rows))

    # network
    G = network(d, models, parents=True)
    deg = nx.degree_centrality(G)
    btw = nx.betweenness_centrality(G, normalized=True)
    aps = set(nx.articulation_points(G))
    net_rows = []
    for n_ in sorted(G.nodes):
        a = G.nodes[n_]
        net_rows.append({"node": n_, "type": a["type"], "label": a["label"], "country": a.get("country"),
                         "degree": G.degree(n_), "degree_centrality": _r(deg[n_]), "betweenness": _r(btw[n_]),
                         "articulation_point": n_ in aps})
    tables["analysis_network_centrality"] = pd.DataFrame(net_rows)
    facts["network"] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                        "components": nx.number_connected_components(G), "articulation_points": len(aps)}

    # lineage: whose base models others build on (every fine-tune edge in the graph), a second
    # view of concentration
    edges = [lineage.Edge(b, m, tuple(sorted({holder(o) for o in d.models[b]["developers"]})),
                          tuple(sorted({holder(o) for o in mv["developers"]})))
             for m, mv in sorted(d.models.items()) for b in sorted(mv.get("base_models", ()))
             if b in d.models and d.models[b]["developers"] and mv["developers"]]
    tables["analysis_lineage"], facts["lineage"] = lineage.dependency_table(edges)

    # the open-closed gap on benchmarks (every result in the graph, whatever the scope) and the
    # sources' dated performance claims checked against it
    gap_t = gap.open_closed_gap([gap.Score(**b) for b in d.benchmarks])
    tables["analysis_open_closed_gap"] = gap_t
    checks = claim_checks(d, claims, tables, facts)
    extra = gap.check_dated_claims(gap_t, claims) + gap.check_narrowing(gap_t, claims)
    checks = pd.concat([checks, pd.DataFrame(extra, columns=checks.columns)], ignore_index=True)
    for col in ("open_weight_holders", "closed_holders"):
        checks[col] = checks[col].astype("Int64")
    tables["analysis_claim_checks"] = checks

    an = Analysis(tables=tables, graph=Graph(), scope=scope, parents=parents,
                  scope_note=scope_note(d, scope, len(models)), facts=facts, network=G, data=d)
    an.graph = derived_graph(an)
    return an


def network(d: GraphData, models: list[str], parents: bool = True) -> nx.Graph:
    """The organisation-model-licence-channel network as an undirected ``networkx.Graph``.

    Nodes (keyed by slug, e.g. ``organisation/meta``) with attributes ``type`` (Organisation,
    Model, Licence, Channel), ``label`` and, for organisations, ``country``. Edges: developer
    (organisation-model), parent (organisation-parent organisation, when ``parents``), licence
    (model-licence), serves (channel-model; a channel serving a family serves its models),
    operator (channel-organisation). Only the given models; channels serving none of them and
    organisations linked to nothing are left out."""
    G = nx.Graph()
    mset = set(models)
    fam = defaultdict(list)
    for m in models:
        if d.models[m]["family"]:
            fam[d.models[m]["family"]].append(m)

    def org(o):
        v = d.organisations.get(o, {})
        G.add_node(o, type="Organisation", label=v.get("name") or o, country=v.get("country") or "unknown")

    for m in sorted(models):
        G.add_node(m, type="Model", label=d.models[m]["name"])
        for o in sorted(d.models[m]["developers"]):
            org(o)
            G.add_edge(o, m, relation="developer")
        for lic in sorted(d.models[m]["licences"]):
            G.add_node(lic, type="Licence", label=d.licence_names.get(lic, lic))
            G.add_edge(m, lic, relation="licence")
    for c, v in sorted(d.channels.items()):
        ms = sorted({m for x in v["serves"] for m in ([x] if x in mset else fam.get(x, []))})
        if not ms:
            continue
        G.add_node(c, type="Channel", label=v["name"])
        for m in ms:
            G.add_edge(c, m, relation="serves")
        if v["operator"]:
            org(v["operator"])
            G.add_edge(c, v["operator"], relation="operator")
    if parents:
        for o in sorted(n for n, a in list(G.nodes(data=True)) if a["type"] == "Organisation"):
            seen = {o}
            while (p := d.organisations.get(o, {}).get("parent")) and p not in seen:
                org(p)
                G.add_edge(o, p, relation="parent")
                seen.add(p)
                o = p
    return G


def claim_checks(d: GraphData, claims: list[dict], tables: dict, facts: dict) -> pd.DataFrame:
    """Check the sources' concentration claims against the computed figures.

    * Closed models concentrate power in few firms (claims on ``geopolitics_and_power`` about
      ``closed_models``): supported when closed models have a higher organisation HHI **and**
      CR4 than open-weight models, not supported when both are lower or equal, mixed otherwise.
    * Open models spread capability across countries (claims on ``geopolitics_and_power`` about
      ``open_models`` or ``open_weight_models`` that favour open): supported when open-weight
      models come from more countries **and** have a lower country HHI than closed models.
    * Closed models create single points of failure (claims about ``closed_models`` whose text
      mentions a single point of failure): supported when more than half of the closed models
      reach users only through channels one organisation controls.
    Returns one row per check with the claims, both groups' figures, a verdict and a sentence.
    """
    conc = tables["analysis_concentration"].set_index(["model_group", "grouped_by"])
    out = []

    def ids(pred):
        return ";".join(sorted({c["claim_id"].split("/", 1)[1] for c in claims if pred(c)}))

    closed_ids = ids(lambda c: c["dimension"] == "geopolitics_and_power" and c["subject"] == "closed_models")
    open_ids = ids(lambda c: c["dimension"] == "geopolitics_and_power" and c["subject"] in
                   ("open_models", "open_weight_models") and c["stance"] == "favours_open")

    def get(g, by, col):
        try:
            v = conc.loc[(g, by), col]
        except KeyError:
            return None
        return None if pd.isna(v) else v

    ho, hc = get("open_weight", "organisation", "hhi"), get("closed", "organisation", "hhi")
    co, cc = get("open_weight", "organisation", "cr4"), get("closed", "organisation", "cr4")
    if None in (ho, hc, co, cc):
        verdict, text = "not_testable", "The scope lacks open-weight or closed models, so the claim cannot be tested."
    else:
        higher = int(hc > ho) + int(cc > co)
        verdict = "supported" if higher == 2 else "not_supported" if higher == 0 else "mixed"
        text = (f"Closed models: organisation HHI {hc:.2f}, CR4 {cc:.4f}; open-weight models: HHI {ho:.2f}, "
                f"CR4 {co:.4f}.")
        lo_c, hi_c = get("closed", "organisation", "hhi_loo_min"), get("closed", "organisation", "hhi_loo_max")
        lo_o, hi_o = get("open_weight", "organisation", "hhi_loo_min"), get("open_weight", "organisation", "hhi_loo_max")
        ci_c = (get("closed", "organisation", "hhi_ci_low"), get("closed", "organisation", "hhi_ci_high"))
        ci_o = (get("open_weight", "organisation", "hhi_ci_low"), get("open_weight", "organisation", "hhi_ci_high"))
        if None not in (lo_c, hi_c, lo_o, hi_o) and None not in ci_c + ci_o:
            text += (f" Leaving any one model out moves the closed HHI within {lo_c:.0f}-{hi_c:.0f} and the open-weight "
                     f"HHI within {lo_o:.0f}-{hi_o:.0f}; 95% bootstrap intervals {ci_c[0]:.0f}-{ci_c[1]:.0f} and "
                     f"{ci_o[0]:.0f}-{ci_o[1]:.0f}.")
            if verdict != "mixed" and (lo_c > hi_o if verdict == "supported" else hi_c < lo_o):
                text += " The ordering holds whichever single model is left out."
            elif verdict != "mixed":
                verdict += "_not_robust"
                text += " Leaving out a single model can reverse the ordering, so the verdict is not robust."
            for name, lo, hi in (("closed", lo_c, hi_c), ("open-weight", lo_o, hi_o)):
                if lo <= HIGH_HHI < hi:
                    text += (f" The {name} HHI crosses {HIGH_HHI:,} (the 2023 US Merger Guidelines' threshold for a highly "
                             "concentrated market) depending on which model is left out, so whether that group is "
                             "highly concentrated is not settled by this data.")
        if max(hc, ho) <= HIGH_HHI:
            text += (f" Both HHIs are at or below {HIGH_HHI:,}, the 2023 US Merger Guidelines' threshold for a highly "
                     "concentrated market, so the difference is one of degree.")
    out.append({"check": "closed_models_concentrate_power", "claims": closed_ids,
                "measure": "organisation HHI and CR4", "open_weight_hhi": ho, "closed_hhi": hc,
                "open_weight_cr4": co, "closed_cr4": cc, "open_weight_holders": get("open_weight", "organisation", "holders"),
                "closed_holders": get("closed", "organisation", "holders"), "verdict": verdict, "statement": text})

    ho, hc = get("open_weight", "country", "hhi"), get("closed", "country", "hhi")
    no, nc = get("open_weight", "country", "holders"), get("closed", "country", "holders")
    if None in (ho, hc, no, nc):
        verdict, text = "not_testable", "The scope lacks open-weight or closed models with a known country."
    else:
        ok = int(no > nc) + int(ho < hc)
        verdict = "supported" if ok == 2 else "not_supported" if ok == 0 else "mixed"
        cb = facts["counts_by"]
        us_o = cb[("open_weight", "country")].get("US", 0) / max(sum(cb[("open_weight", "country")].values()), 1)
        us_c = cb[("closed", "country")].get("US", 0) / max(sum(cb[("closed", "country")].values()), 1)
        text = (f"Open-weight models come from {no} countries (country HHI {ho:.2f}, US share {us_o:.4f}); "
                f"closed models from {nc} (country HHI {hc:.2f}, US share {us_c:.4f}).")
        if us_o > 0.5:
            text += " US developers still made most of the open-weight models counted."
    out.append({"check": "open_models_spread_capability", "claims": open_ids, "measure": "countries and country HHI",
                "open_weight_hhi": ho, "closed_hhi": hc, "open_weight_cr4": get("open_weight", "country", "cr4"),
                "closed_cr4": get("closed", "country", "cr4"), "open_weight_holders": no, "closed_holders": nc,
                "verdict": verdict, "statement": text})
    spof_ids = ids(lambda c: c["subject"] == "closed_models" and "single point" in (c["text"] or "").lower())
    acc = tables["analysis_model_access"]
    closed = acc[acc.evidence_status == "closed"]
    openw = acc[acc.weights_downloadable]
    n_single = int((closed.access == "single_organisation").sum())
    n_none = int((closed.access == "no_recorded_channel").sum())
    if not len(closed):
        verdict, text = "not_testable", "The scope has no closed models."
    else:
        verdict = "supported" if n_single * 2 > len(closed) else "not_supported"
        text = (f"{n_single} of {len(closed)} closed models reach users only through channels one organisation "
                f"controls, {int((closed.access == 'several_organisations').sum())} through channels of several, "
                f"{n_none} {'has' if n_none == 1 else 'have'} no recorded channel; the "
                f"{len(openw)} open-weight models can be downloaded (the graph does not record which download "
                "sites host them, so hub dependence is not measured).")
    out.append({"check": "closed_models_single_points_of_failure", "claims": spof_ids,
                "measure": "closed models reachable only through one organisation's channels",
                "open_weight_hhi": None, "closed_hhi": None, "open_weight_cr4": None, "closed_cr4": None,
                "open_weight_holders": None, "closed_holders": None, "verdict": verdict, "statement": text})
    t = pd.DataFrame(out)
    for col in ("open_weight_holders", "closed_holders"):
        t[col] = t[col].astype("Int64")
    return t


def source_graph(src: str) -> URIRef:
    """The named graph of a source id (``graph/source/<id>``; ``curated`` -> ``graph/curated``)."""
    return GRAPH["curated"] if src == "curated" else GRAPH[f"source/{src}"]


def derived_graph(an: Analysis) -> Graph:
    """Derived triples: one ``okg:OpennessAssessment`` per model
    (``.../id/openness-assessment/<model>``), one ``okg:LabelCheck`` per label and model
    (``.../id/label-check/<label>/<model>``), one ``okg:ClaimCheck`` per row of
    ``analysis_claim_checks`` (``.../id/claim-check/<scope>/<check>[/<first claim>]``, the verdict
    as a SKOS concept of ``ClaimVerdict``), one ``okg:ConcentrationMeasure`` per model group
    and grouping by model counts (``.../id/concentration-measure/<scope>/<group>/<by>``) and per
    row of ``analysis_compute_concentration`` by training compute
    (``.../id/concentration-measure/training-compute/<year|cumulative>-<year>/<group>/<by>``),
    one ``okg:BenchmarkGap`` per row of ``analysis_open_closed_gap``
    (``.../id/benchmark-gap/<benchmark slug>/<date>``, pointing at the two best results), and
    the lineage dependency measure (``.../id/concentration-measure/lineage/all/organisation``,
    weighted by derived models: ``facts["lineage"]``);
    terms declared in the schema, values as SKOS concepts of its enums."""
    sch = get_schema()
    enum = {e: sch.enum_values(e) for e in ("MofClass", "EvidenceStatus", "LicenceOpenness", "LabelVerdict",
                                            "ClaimVerdict", "ConcentrationWeight", "EvidenceResolution",
                                            "ArtifactType", "Availability")}
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    dbl = lambda v: Literal(float(v), datatype=XSD.double)  # noqa: E731
    for r in an.tables["analysis_model_openness"].itertuples(index=False):
        s = OKGID[f"openness-assessment/{r.model}"]
        g.add((s, RDF.type, OKG.OpennessAssessment))
        g.add((s, OKG.assessedModel, OKGID[f"model/{r.model}"]))
        g.add((s, OKG.mofClass, URIRef(enum["MofClass"][r.mof_class])))
        g.add((s, OKG.evidenceStatus, URIRef(enum["EvidenceStatus"][r.evidence_status])))
        g.add((s, OKG.licenceOpenness, URIRef(enum["LicenceOpenness"][r.licence_openness])))
        g.add((s, OKG.opennessScore, dbl(r.openness_score)))
        for src in filter(None, r.status_decided_by.split(";")):
            g.add((s, OKG.statusDecidedBy, source_graph(src)))
        if isinstance(r.status_evidence_date, str) and r.status_evidence_date:
            g.add((s, OKG.statusEvidenceDate, Literal(r.status_evidence_date)))
        g.add((s, OKG.statusResolution, URIRef(enum["EvidenceResolution"][r.status_resolution])))
        g.add((s, OKG.statusReason, Literal(r.status_reason)))
        for c in filter(None, r.mof_blocking.split(";")):
            g.add((s, OKG.mofBlockingComponent, URIRef(enum["ArtifactType"][c])))
    for r in an.tables["analysis_model_components"].itertuples(index=False):
        if not r.resolution:
            continue   # no record of this component
        s = OKGID[f"component-judgement/{r.model}/{r.component.replace('_', '-')}"]
        g.add((s, RDF.type, OKG.ComponentJudgement))
        g.add((s, OKG.judgedModel, OKGID[f"model/{r.model}"]))
        g.add((s, OKG.judgedComponent, URIRef(enum["ArtifactType"][r.component])))
        g.add((s, OKG.combinedAvailability, URIRef(enum["Availability"][r.availability])))
        for src in filter(None, r.decided_by.split(";")):
            g.add((s, OKG.decidedBy, source_graph(src)))
        if isinstance(r.evidence_date, str) and r.evidence_date:
            g.add((s, OKG.evidenceDate, Literal(r.evidence_date)))
        g.add((s, OKG.evidenceResolution, URIRef(enum["EvidenceResolution"][r.resolution])))
    for t in conflict_triples(an.tables["analysis_claim_conflicts"], an.tables["analysis_label_conflicts"]):
        g.add(t)
    for r in an.tables["analysis_label_checks"].itertuples(index=False):
        s = OKGID[f"label-check/{r.label_id}/{r.model}"]
        g.add((s, RDF.type, OKG.LabelCheck))
        g.add((s, OKG.checkedLabel, OKGID[f"openness-label/{r.label_id}"]))
        g.add((s, OKG.checkedModel, OKGID[f"model/{r.model}"]))
        g.add((s, OKG.labelVerdict, URIRef(enum["LabelVerdict"][r.verdict])))
        g.add((s, OKG.openWashingCandidate, Literal(bool(r.open_washing_candidate))))
    for r in an.tables["analysis_claim_checks"].itertuples(index=False):
        claims = sorted(filter(None, r.claims.split(";")))
        s = OKGID[f"claim-check/{an.scope}/{r.check.replace('_', '-')}" + (f"/{claims[0]}" if claims else "")]
        g.add((s, RDF.type, OKG.ClaimCheck))
        g.add((s, OKG.analysisScope, Literal(an.scope)))
        g.add((s, OKG.checkName, Literal(r.check)))
        for c in claims:
            g.add((s, OKG.checkedClaim, OKGID[f"claim/{c}"]))
        g.add((s, OKG.checkMeasure, Literal(r.measure)))
        g.add((s, OKG.claimVerdict, URIRef(enum["ClaimVerdict"][r.verdict])))
        g.add((s, OKG.verdictStatement, Literal(r.statement)))
    for r in an.tables["analysis_open_closed_gap"].itertuples(index=False):
        s = OKGID[f"benchmark-gap/{slugify(r.benchmark)}/{r.date}"]
        g.add((s, RDF.type, OKG.BenchmarkGap))
        g.add((s, OKG.benchmark, Literal(r.benchmark)))
        g.add((s, OKG.measuredOn, Literal(r.date, datatype=XSD.date)))
        for pred, res in ((OKG.bestOpenResult, r.best_open_result), (OKG.bestClosedResult, r.best_closed_result)):
            if isinstance(res, str) and res:
                g.add((s, pred, OKGID[res]))
        if not pd.isna(r.score_gap):
            g.add((s, OKG.scoreGap, dbl(r.score_gap)))
            g.add((s, OKG.openLeads, Literal(bool(r.open_leads))))
            g.add((s, OKG.lagMonths, dbl(r.lag_months)))
    weight = enum["ConcentrationWeight"]
    for r in an.tables["analysis_concentration"].itertuples(index=False):
        s = OKGID[f"concentration-measure/{an.scope}/{r.model_group}/{r.grouped_by}"]
        _concentration_measure(g, s, an.scope, r, URIRef(weight["model_count"]), dbl)
    for r in an.tables["analysis_compute_concentration"].itertuples(index=False):
        s = OKGID[f"concentration-measure/training-compute/{r.period}-{int(r.year)}/{r.model_group}/{r.grouped_by}"]
        _concentration_measure(g, s, "all", r, URIRef(weight["training_compute"]), dbl)
        g.add((s, OKG.periodYear, Literal(int(r.year))))
        g.add((s, OKG.cumulative, Literal(r.period == "cumulative")))
    lin = an.facts.get("lineage") or {}
    if lin.get("hhi") is not None:   # every fine-tune edge in the graph, whatever the scope
        row = pd.Series({"model_group": "all", "grouped_by": "organisation", "models": lin["edges"],
                         "hhi": lin["hhi"], "cr4": lin["cr4"], "gini": None})
        _concentration_measure(g, OKGID["concentration-measure/lineage/all/organisation"], "all", row,
                               URIRef(weight["derived_models"]), dbl)
    return g


def _concentration_measure(g: Graph, s: URIRef, scope: str, r, weighted_by: URIRef, dbl) -> None:
    """Add one ``okg:ConcentrationMeasure`` ``s`` to ``g`` from ``r``: a row of
    ``analysis_concentration`` or ``analysis_compute_concentration``, or the lineage figures as
    a ``pandas.Series`` (attributes ``model_group``, ``grouped_by``, ``models``, ``hhi``, ``cr4``,
    ``gini``; an empty value is left out). ``dbl`` makes an ``xsd:double`` literal."""
    g.add((s, RDF.type, OKG.ConcentrationMeasure))
    g.add((s, OKG.analysisScope, Literal(scope)))
    g.add((s, OKG.modelGroup, Literal(r.model_group)))
    g.add((s, OKG.groupedBy, Literal(r.grouped_by)))
    g.add((s, OKG.itemCount, Literal(int(r.models))))
    g.add((s, OKG.weightedBy, weighted_by))
    for pred, col in ((OKG.herfindahlHirschmanIndex, "hhi"), (OKG.concentrationRatio4, "cr4"),
                      (OKG.giniCoefficient, "gini")):
        v = getattr(r, col)
        if v is not None and not pd.isna(v):
            g.add((s, pred, dbl(v)))
