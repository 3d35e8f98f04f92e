"""Contradictions between the sources: claims on one proposition with opposite polarity
(analysis_claim_conflicts), labels that disagree (analysis_label_conflicts), their derived
triples, and the curated propositions the claims point at."""
from __future__ import annotations

from collections import defaultdict

import pytest
import yaml
from rdflib import RDF, Graph, Literal, URIRef

from openness_kg.analyse.claims import (CLAIM_CONFLICT_COLUMNS, LABEL_CONFLICT_COLUMNS, claim_conflicts,
                                        conflict_kind, conflict_triples, label_conflicts)
from openness_kg.ingest import load_records
from openness_kg.ingest.catalogue import ValidationFailed, as_list
from openness_kg.namespaces import OKG, OKGID, OKGV

from conftest import example_data


def claim(cid, source, prop, polarity, as_of=None, text=None, dimension="performance", **extra):
    return {"claim_id": f"claim/{cid}", "source": source, "proposition": f"proposition/{prop}" if prop else None,
            "polarity": polarity, "proposition_dimension": dimension, "as_of": as_of, "text": text or cid, **extra}


def pairs(df):
    return {(r.proposition, r.claim_a, r.claim_b, r.kind) for r in df.itertuples(index=False)}


# ---- claim_conflicts on hand-made rows ------------------------------------------------------

def test_affirms_against_denies_from_two_sources_is_a_conflict():
    df = claim_conflicts([claim("lead", "s1", "p", "affirms", "2025"), claim("gap", "s2", "p", "denies", "2025")])
    assert list(df.columns) == CLAIM_CONFLICT_COLUMNS
    # the same date: claim A is the first by source
    assert pairs(df) == {("p", "lead", "gap", "contradiction")}
    r = df.iloc[0]
    assert (r.source_a, r.polarity_a, r.source_b, r.polarity_b) == ("s1", "affirms", "s2", "denies")
    assert (r.text_a, r.text_b, r.dimension) == ("lead", "gap", "performance")


def test_claim_a_is_the_older_and_different_years_are_a_change_over_time():
    df = claim_conflicts([claim("new", "s1", "p", "denies", "2026"), claim("old", "s2", "p", "affirms", "2025")])
    r = df.iloc[0]
    assert (r.claim_a, r.as_of_a, r.polarity_a, r.claim_b, r.as_of_b, r.polarity_b) == \
        ("old", "2025", "affirms", "new", "2026", "denies")
    assert r.kind == "change_over_time"


def test_same_calendar_year_is_a_contradiction_and_a_year_sorts_before_a_date_in_it():
    df = claim_conflicts([claim("dated", "s1", "p", "affirms", "2026-04-13"), claim("year", "s2", "p", "denies", "2026")])
    r = df.iloc[0]
    assert (r.claim_a, r.claim_b, r.kind) == ("year", "dated", "contradiction")


def test_an_undated_claim_makes_a_contradiction_and_comes_second():
    df = claim_conflicts([claim("undated", "a-source", "p", "affirms"), claim("dated", "z-source", "p", "denies", "2025")])
    r = df.iloc[0]
    assert (r.claim_a, r.claim_b, r.kind) == ("dated", "undated", "contradiction")
    assert r.as_of_b is None or r.as_of_b != r.as_of_b  # None (or NaN in the frame)


def test_the_source_date_stands_in_for_a_missing_as_of():
    rows = [claim("blog", "s1", "p", "affirms"), claim("glossary", "s2", "p", "denies", "2026")]
    df = claim_conflicts(rows, {"s1": "2025-11-02"})
    r = df.iloc[0]
    assert (r.claim_a, r.as_of_a, r.kind) == ("blog", "2025-11-02", "change_over_time")
    # the claim's own date wins over its source's
    df = claim_conflicts([claim("blog", "s1", "p", "affirms", "2026"), rows[1]], {"s1": "2025-11-02"})
    assert df.iloc[0].kind == "contradiction"


@pytest.mark.parametrize("a, b", [
    (("x", "s1", "p", "affirms"), ("y", "s1", "p", "denies")),      # same source
    (("x", "s1", "p", "affirms"), ("y", "s2", "p", "affirms")),     # same side
    (("x", "s1", "p", "affirms"), ("y", "s2", "p", "qualifies")),   # qualifies pairs with neither
    (("x", "s1", "p", "denies"), ("y", "s2", "p", "qualifies")),
    (("x", "s1", "p", "affirms"), ("y", "s2", "q", "denies")),      # different propositions
    (("x", "s1", None, None), ("y", "s2", "p", "denies")),          # no proposition
])
def test_no_conflict(a, b):
    assert claim_conflicts([claim(*a), claim(*b)]).empty


def test_repeated_rows_of_one_claim_count_once_and_bare_ids_are_accepted():
    rows = [claim("x", "s1", "p", "affirms", "2025", dimension_of_claim=dim, span_start=s)
            for dim in ("performance", "cost") for s in (1, 50)]
    rows.append({"claim_id": "y", "source": "s2", "proposition": "p", "polarity": "denies",
                 "proposition_dimension": "performance", "as_of": None, "text": "y"})
    df = claim_conflicts(rows)
    assert pairs(df) == {("p", "x", "y", "contradiction")}
    assert df.iloc[0].dimension == "performance"


def test_rows_are_ordered_by_dimension_proposition_then_dates():
    rows = [claim("a1", "s1", "perf", "affirms", "2026"), claim("d1", "s2", "perf", "denies", "2024"),
            claim("a2", "s3", "perf", "affirms"), claim("c1", "s1", "cheap", "affirms", dimension="cost"),
            claim("c2", "s2", "cheap", "denies", dimension="cost")]
    df = claim_conflicts(rows)
    assert [(r.dimension, r.claim_a, r.claim_b) for r in df.itertuples()] == [
        ("cost", "c1", "c2"), ("performance", "d1", "a1"), ("performance", "d1", "a2")]


def test_conflict_kind_rule():
    assert conflict_kind("2025", "2026-01") == "change_over_time"
    assert conflict_kind("2026", "2026-12-31") == "contradiction"
    assert conflict_kind(None, "2026") == "contradiction"
    assert conflict_kind(None, None) == "contradiction"


# ---- label_conflicts on hand-made rows ------------------------------------------------------

def label(lid, source, labelled, value):
    return {"label_id": f"openness-label/{lid}", "source": source, "labelled": labelled, "label": value,
            "spectrum_rank": None}


def test_open_source_against_open_weight_is_a_label_conflict():
    df = label_conflicts([label("b-llama", "blog", "model-family/llama", "open_source"),
                          label("g-llama", "guide", "model-family/llama", "open_weight")])
    assert list(df.columns) == LABEL_CONFLICT_COLUMNS
    assert df.to_dict("records") == [{"labelled": "model-family/llama", "label_id_a": "b-llama", "source_a": "blog",
                                      "label_a": "open_source", "label_id_b": "g-llama", "source_b": "guide",
                                      "label_b": "open_weight"}]


@pytest.mark.parametrize("a, b, conflict", [
    ("open", "open_weight", False), ("open", "open_source", False), ("open", "fully_open", False),
    ("open", "closed", True), ("open_weight", "closed", True), ("fully_open", "open_source", True),
    ("open_weight", "open_weight", False),
])
def test_which_labels_conflict(a, b, conflict):
    df = label_conflicts([label("x", "s1", "model/m", a), label("y", "s2", "model/m", b)])
    assert len(df) == int(conflict)


def test_labels_of_one_source_or_of_different_models_are_not_compared():
    assert label_conflicts([label("x", "s1", "model/m", "open_source"), label("y", "s1", "model/m", "closed")]).empty
    assert label_conflicts([label("x", "s1", "model/m", "open_source"), label("y", "s2", "model/n", "closed")]).empty
    # a family label is not compared with a label on one of its models
    assert label_conflicts([label("x", "s1", "model-family/f", "open_source"),
                            label("y", "s2", "model/f-1", "open_weight")]).empty


# ---- conflict_triples ----------------------------------------------------------------------

def test_conflict_triples_name_both_claims_the_proposition_and_the_kind():
    cc = claim_conflicts([claim("old", "s1", "p", "affirms", "2025"), claim("new", "s2", "p", "denies")])
    lc = label_conflicts([label("x", "s1", "model-family/llama", "open_source"),
                          label("y", "s2", "model-family/llama", "open_weight")])
    g = Graph()
    for t in conflict_triples(cc, lc):
        g.add(t)
    s = OKGID["claim-conflict/old/new"]
    assert set(g.subjects(RDF.type, OKG.ClaimConflict)) == {s}
    assert g.value(s, OKG.claimA) == OKGID["claim/old"] and g.value(s, OKG.claimB) == OKGID["claim/new"]
    assert g.value(s, OKG.proposition) == OKGID["proposition/p"]
    assert g.value(s, OKG.conflictKind) == URIRef(OKGV["conflict-kind/contradiction"])
    assert g.value(s, OKG.asOfA) == Literal("2025") and g.value(s, OKG.asOfB) is None
    t = OKGID["label-conflict/x/y"]
    assert set(g.subjects(RDF.type, OKG.LabelConflict)) == {t}
    assert g.value(t, OKG.labelA) == OKGID["openness-label/x"] and g.value(t, OKG.labelB) == OKGID["openness-label/y"]
    assert g.value(t, OKG.conflictedModel) == OKGID["model-family/llama"]


# ---- on the curated data --------------------------------------------------------------------

@pytest.fixture(scope="module")
def curated(curated_data_dir):
    """The curated data through ingest, graph and check, read as the analyses read it."""
    from openness_kg.analyse.extract import read_graph
    from openness_kg.pipeline import checked_graph

    cat, kg = checked_graph(curated_data_dir, quiet=True)
    return kg, read_graph(kg)


@pytest.fixture(scope="module")
def curated_conflicts(curated):
    _, d = curated
    return claim_conflicts(d.claims, d.source_dates), label_conflicts(d.labels)


# Worked out by hand from data/propositions.yaml, the claims' proposition, polarity and as_of, and
# the sources' dates (examples: as of 2025; differences: published 2026-04-13; glossary: as of 2026;
# the guide and the trade-offs post undated).
EXPECTED_CLAIM_CONFLICTS = {
    # 001 (2025) and 003 (2026-04-13), the guide and the trade-offs post: closed models lead;
    # 004: by early 2026 open models match or beat them
    ("closed-models-outperform-open", "examples-performance-closed", "glossary-performance-gap-closing", "change_over_time"),
    ("closed-models-outperform-open", "examples-tradeoff-capability-closed", "glossary-performance-gap-closing", "change_over_time"),
    ("closed-models-outperform-open", "examples-tradeoff-capability-open", "glossary-performance-gap-closing", "change_over_time"),
    ("closed-models-outperform-open", "glossary-performance-gap-closing", "differences-closed-strengths", "contradiction"),
    ("closed-models-outperform-open", "glossary-performance-gap-closing", "differences-performance-closed", "contradiction"),
    ("closed-models-outperform-open", "glossary-performance-gap-closing", "guide-a-closed-lead-in", "contradiction"),
    ("closed-models-outperform-open", "glossary-performance-gap-closing", "guide-b-faq-better-closed", "contradiction"),
    ("closed-models-outperform-open", "glossary-performance-gap-closing", "guide-b-final-closed-1", "contradiction"),
    ("closed-models-outperform-open", "glossary-performance-gap-closing", "guide-b-tradeoff-performance", "contradiction"),
    ("closed-models-outperform-open", "glossary-performance-gap-closing", "tradeoffs-factor-top-capability-closed", "contradiction"),
    # 001: free apart from compute; the guide: a misconception
    ("open-models-free-to-use", "examples-cost-open", "guide-b-misc-2", "contradiction"),
    # data sent to a closed provider is at risk; the guide: not in itself
    ("closed-models-put-data-at-risk", "examples-privacy-closed", "guide-b-privacy-closed-2", "contradiction"),
    ("closed-models-put-data-at-risk", "examples-tradeoff-compliance-closed", "guide-b-privacy-closed-2", "contradiction"),
    ("closed-models-put-data-at-risk", "differences-privacy-closed", "guide-b-privacy-closed-2", "contradiction"),
    ("closed-models-put-data-at-risk", "glossary-closed-is-service", "guide-b-privacy-closed-2", "contradiction"),
    ("closed-models-put-data-at-risk", "guide-b-privacy-closed-2", "tradeoffs-factor-sensitive-data-closed", "contradiction"),
    # safety: the guide calls both "always safer" beliefs mistaken
    ("inspection-makes-open-models-safer", "guide-b-misc-4", "tradeoffs-safety-proponents", "contradiction"),
    ("provider-control-makes-closed-models-safer", "examples-safety-controls-closed", "guide-b-misc-5", "contradiction"),
    ("provider-control-makes-closed-models-safer", "examples-safety-controls-open", "guide-b-misc-5", "contradiction"),
    ("provider-control-makes-closed-models-safer", "guide-b-misc-5", "tradeoffs-safety-critics", "contradiction"),
    # 003: open source models are fully transparent; 002: most release only the weights
    ("open-models-fully-transparent", "differences-transparency-open", "tradeoffs-open-models-weights-only", "contradiction"),
}


def test_curated_claim_conflicts_are_the_hand_worked_pairs(curated_conflicts):
    cc, _ = curated_conflicts
    assert pairs(cc) == EXPECTED_CLAIM_CONFLICTS
    assert len(cc) == len(EXPECTED_CLAIM_CONFLICTS)


def test_the_benchmark_contradiction_between_the_examples_the_blog_and_the_glossary(curated_conflicts):
    cc, _ = curated_conflicts
    perf = cc[cc.dimension == "performance"].set_index(["claim_a", "claim_b"])
    r = perf.loc[("examples-performance-closed", "glossary-performance-gap-closing")]
    assert (r.source_a, r.as_of_a, r.polarity_a) == ("open-closed-examples", "2025", "affirms")
    assert (r.source_b, r.as_of_b, r.polarity_b, r.kind) == ("open-closed-glossary", "2026", "denies", "change_over_time")
    r = perf.loc[("glossary-performance-gap-closing", "differences-performance-closed")]
    assert (r.source_b, r.as_of_b, r.kind) == ("open-source-closed-differences", "2026-04-13", "contradiction")
    assert "2026" in r.text_a or "benchmarks" in r.text_a


def test_llama_is_labelled_open_source_by_one_source_and_open_weight_by_others(curated_conflicts):
    _, lc = curated_conflicts
    got = {(r.labelled, r.label_id_a, r.label_a, r.label_id_b, r.label_b) for r in lc.itertuples()}
    assert got == {("model-family/llama", "guide-llama", "open_weight", "differences-llama", "open_source"),
                   ("model-family/llama", "differences-llama", "open_source", "tradeoffs-llama", "open_weight")}


def test_the_derived_triples_conform_to_the_shapes(curated, curated_conflicts):
    from openness_kg.analyse.extract import DERIVED_GRAPH
    from openness_kg.check import check_derived
    from openness_kg.graph import rdflib_quads

    kg, _ = curated
    g = Graph()
    for t in conflict_triples(*curated_conflicts):
        g.add(t)
    check_derived(kg, rdflib_quads(g, str(DERIVED_GRAPH)))  # raises CheckFailed
    assert len(set(g.subjects(RDF.type, OKG.ClaimConflict))) == len(EXPECTED_CLAIM_CONFLICTS)


# ---- the curated propositions -------------------------------------------------------------

@pytest.fixture(scope="module")
def props_and_claims(curated_catalogue):
    props = {r.id: r.data for r in curated_catalogue.of_class("Proposition")}
    on = defaultdict(list)
    for c in curated_catalogue.of_class("Claim"):
        if c.data.get("proposition"):
            on[c.data["proposition"]].append(c.data)
    return props, on


def test_there_are_propositions(props_and_claims):
    props, _ = props_and_claims
    assert 8 <= len(props) <= 20


def test_every_proposition_a_claim_names_exists(props_and_claims):
    props, on = props_and_claims
    assert set(on) <= set(props)


def test_every_proposition_has_a_claim_and_sources_on_both_sides_or_several_sources(props_and_claims):
    props, on = props_and_claims
    for pid in props:
        assert on[pid], f"proposition {pid} has no claim"
        sources = {ev["source"] for c in on[pid] for ev in c["evidence"]}
        assert len(sources) >= 2, f"proposition {pid} is taken up by one source only: {sources}"


def test_a_claims_proposition_is_on_one_of_its_dimensions(props_and_claims):
    props, on = props_and_claims
    for pid, cs in on.items():
        for c in cs:
            assert props[pid]["dimension"] in c["dimensions"], (c["id"], pid)


def test_a_propositions_evidence_covers_every_source_taking_a_side(props_and_claims):
    """So the proposition is typed in the graph of every source with a claim on it."""
    props, on = props_and_claims
    for pid, cs in on.items():
        have = {ev["source"] for ev in as_list(props[pid].get("evidence"))}
        need = {ev["source"] for c in cs for ev in c["evidence"]}
        assert need <= have, f"{pid}: evidence lacks {sorted(need - have)}"


# ---- validation ------------------------------------------------------------------------------

CLAIM = """claims:
  - id: example-gap
    text: The gap is closing.
    claim_type: trend
    dimensions: [performance]
    stance: favours_open
    subject: open_models
{extra}    evidence:
      - {{source: open-closed-examples, start: 1159, end: 1231}}
"""
PROPOSITION = """propositions:
  - id: example-closed-lead
    name: Closed models outperform open models
    dimension: performance
    evidence:
      - {source: open-closed-examples, start: 1159, end: 1231}
"""


def _load(tmp_path, text):
    extra = tmp_path / "extra.yaml"
    extra.write_text(text, encoding="utf-8")
    return load_records(example_data(tmp_path, extra))


def test_a_claim_on_a_known_proposition_loads(tmp_path):
    cat = _load(tmp_path, PROPOSITION + CLAIM.format(extra="    proposition: example-closed-lead\n    polarity: denies\n"))
    assert cat.get("Claim", "example-gap").data["polarity"] == "denies"
    assert cat.get("Proposition", "example-closed-lead") is not None


@pytest.mark.parametrize("extra, field, words", [
    ("    proposition: no-such-proposition\n    polarity: denies\n", "proposition", "unknown proposition"),
    ("    proposition: example-closed-lead\n", "polarity", "missing required field"),
    ("    polarity: affirms\n", "proposition", "missing required field"),
    ("    proposition: example-closed-lead\n    polarity: refutes\n", "polarity", "'refutes' is not valid"),
])
def test_a_claims_proposition_and_polarity_are_checked(tmp_path, extra, field, words):
    with pytest.raises(ValidationFailed) as exc:
        _load(tmp_path, PROPOSITION + CLAIM.format(extra=extra))
    found = [p for p in exc.value.problems if p.record == "example-gap"]
    assert any(p.field == field and words in p.message for p in found), [str(p) for p in exc.value.problems]


def test_a_proposition_needs_evidence_and_a_dimension(tmp_path):
    text = yaml.safe_dump({"propositions": [{"id": "bare", "name": "A statement"}]})
    with pytest.raises(ValidationFailed) as exc:
        _load(tmp_path, text)
    msgs = {(p.field, p.message.split(":")[0]) for p in exc.value.problems if p.record == "bare"}
    assert ("dimension", "missing required field") in msgs
    assert any(f == "evidence" for f, _ in msgs)
