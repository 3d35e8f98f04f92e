"""The analyses: each metric and rule on small hand-made inputs with answers worked out by hand,
then the real build against values counted by hand from data/*.yaml."""
from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from openness_kg.analyse import TABLE_DOCS, metrics, run
from openness_kg.analyse.openness import (ComponentState, LicenceInfo, evidence_status, licence_open_for,
                                           licence_openness, mof_evaluation, openness_score)


def mof_class(profile):
    return mof_evaluation(profile).mof_class

APACHE = LicenceInfo("apache-2-0", "Apache-2.0", "osi_permissive", True)
MIT = LicenceInfo("mit", "MIT", "osi_permissive", True)
CC_BY = LicenceInfo("cc-by-4-0", "CC-BY-4.0", "open_data", False)
CDLA = LicenceInfo("cdla-permissive-2-0", "CDLA-Permissive-2.0", "open_data", False)
LLAMA = LicenceInfo("llama-3-community-licence", None, "open_weight_restricted", False)
TOS = LicenceInfo("openai-terms", None, "proprietary", None)


# ---------------------------------------------------------------- metrics, hand-computed
def test_hhi_of_known_shares():
    assert metrics.hhi({"a": 50, "b": 30, "c": 20}) == pytest.approx(2500 + 900 + 400)
    assert metrics.hhi([1, 1, 1, 1]) == pytest.approx(4 * 25 ** 2)   # four equal firms: 2,500
    assert metrics.hhi({"only": 7}) == pytest.approx(10_000)


def test_concentration_ratio_cr4():
    assert metrics.concentration_ratio([40, 30, 10, 10, 10]) == pytest.approx(0.9)
    assert metrics.concentration_ratio([2, 1]) == pytest.approx(1.0)   # fewer than four holders
    assert metrics.concentration_ratio([5, 3, 2], k=1) == pytest.approx(0.5)


def test_gini():
    assert metrics.gini([3, 3, 3, 3]) == pytest.approx(0.0)
    assert metrics.gini([0, 0, 0, 4]) == pytest.approx(0.75)   # (n-1)/n when one holds all
    # [1, 2, 3]: sum|xi-xj| over ordered pairs = 2*(1+2+1) = 8; 8 / (2 * 9 * 2) = 2/9
    assert metrics.gini([3, 1, 2]) == pytest.approx(2 / 9)


def test_lorenz_curve():
    xs, ys = metrics.lorenz_curve({"a": 1, "b": 3})
    assert xs == [0.0, 0.5, 1.0] and ys == [0.0, 0.25, 1.0]


def test_metrics_reject_bad_counts():
    for bad in ([], [0, 0], [1, -1]):
        with pytest.raises(ValueError):
            metrics.hhi(bad)


def test_kendall_tau():
    # one discordant pair of six: (5 - 1) / 6
    tau, _ = metrics.kendall_tau([1, 2, 3, 4], [1, 3, 2, 4])
    assert tau == pytest.approx(4 / 6)
    # tie in y: C = 2, D = 0, n0 = 3, n2 = 1 -> 2 / sqrt(3 * 2)
    tau, _ = metrics.kendall_tau([1, 2, 3], [1, 1, 2])
    assert tau == pytest.approx(2 / math.sqrt(6))
    tau, _ = metrics.kendall_tau([1, 2, 3], [3, 2, 1])
    assert tau == pytest.approx(-1.0)
    with pytest.raises(ValueError):
        metrics.kendall_tau([1, 2], [1])


def test_rollup_of_parent_organisations():
    parent = {"organisation/google-deepmind": "organisation/google", "organisation/a": "organisation/b",
              "organisation/b": "organisation/c"}
    assert metrics.rollup("organisation/google-deepmind", parent) == "organisation/google"
    assert metrics.rollup("organisation/a", parent) == "organisation/c"
    assert metrics.rollup("organisation/meta", parent) == "organisation/meta"
    with pytest.raises(ValueError, match="cycle"):
        metrics.rollup("x", {"x": "y", "y": "x"})


# ---------------------------------------------------------------- openness rules
def released(*lics):
    return ComponentState("released", list(lics))


CLASS_III = {"model_architecture": released(APACHE), "final_parameters": released(APACHE),
             "model_card": released(CC_BY), "data_card": released(CC_BY), "technical_report": released(CC_BY),
             "evaluation_results": released(CC_BY)}
CLASS_II = {**CLASS_III, "training_code": released(MIT), "inference_code": released(MIT),
            "evaluation_code": released(APACHE), "evaluation_data": released(CDLA)}
CLASS_I = {**CLASS_II, "datasets": released(CDLA), "data_preprocessing_code": released(MIT),
           "intermediate_parameters": released(APACHE), "research_paper": released(CC_BY)}


def test_mof_class_of_handcrafted_models():
    assert mof_class(CLASS_III) == "class_iii"
    assert mof_class(CLASS_II) == "class_ii"
    assert mof_class(CLASS_I) == "class_i"
    # optional components (supporting libraries, sample outputs, model metadata) never needed
    assert "supporting_libraries" not in CLASS_I and "model_metadata" not in CLASS_I
    # a Class I component missing: Class II only
    assert mof_class({k: v for k, v in CLASS_I.items() if k != "research_paper"}) == "class_ii"
    # Class II components present but Class III incomplete: nothing
    assert mof_class({k: v for k, v in CLASS_I.items() if k != "data_card"}) == "none"
    # weights under a restricted licence, or partly released, or no licence: no class
    assert mof_class({**CLASS_III, "final_parameters": released(LLAMA)}) == "none"
    assert mof_class({**CLASS_III, "final_parameters": ComponentState("partly_released", [APACHE])}) == "none"
    assert mof_class({**CLASS_III, "model_card": released()}) == "none"
    # unknown is never released
    assert mof_class({**CLASS_III, "model_card": ComponentState("unknown", [CC_BY])}) == "none"
    # licence of the wrong type (a data licence on code): the Model Openness Tool counts an open
    # licence of another content type, with a warning (frameworks/mof.py)
    ev = mof_evaluation({**CLASS_III, "model_architecture": released(CDLA)})
    assert ev.mof_class == "class_iii" and "model_architecture" in ev.warnings[3]
    # the tool lets a research paper stand in for the technical report (Classes III and II)
    paper = {**{k: v for k, v in CLASS_II.items() if k != "technical_report"}, "research_paper": released(CC_BY)}
    assert mof_class(paper) == "class_ii"


def test_licence_of_the_right_type():
    assert licence_open_for("training_code", MIT) and not licence_open_for("training_code", CC_BY)
    assert licence_open_for("datasets", CDLA) and not licence_open_for("datasets", MIT)
    assert licence_open_for("final_parameters", MIT)   # parameters accept OSI licences (MOF)
    assert licence_open_for("model_card", APACHE) and not licence_open_for("model_card", MIT)
    assert not licence_open_for("final_parameters", LLAMA)


def test_osi_style_status_rule():
    assert evidence_status({}) == "unknown"
    assert evidence_status({"final_parameters": ComponentState("unknown")}) == "unknown"
    assert evidence_status({"final_parameters": ComponentState("withheld")}) == "closed"
    weights = {"final_parameters": released(APACHE)}
    assert evidence_status(weights) == "open_weights"
    full = {**weights, "training_code": released(MIT), "datasets": ComponentState("partly_released")}
    assert evidence_status(full) == "open_source"
    # data information may be a data card instead of the datasets
    assert evidence_status({**weights, "training_code": released(MIT), "data_card": released(CC_BY)}) == "open_source"
    # restricted weights licence, withheld data, or unlicensed code: open weights only
    assert evidence_status({**full, "final_parameters": released(LLAMA)}) == "open_weights"
    assert evidence_status({**full, "datasets": ComponentState("withheld")}) == "open_weights"
    assert evidence_status({**full, "training_code": released()}) == "open_weights"
    # OSAID's code requirement covers pre-processing and inference code too: recorded withheld
    # or under a non-OSI licence, they keep the model open weights; not recorded, they do not
    assert evidence_status({**full, "inference_code": ComponentState("withheld")}) == "open_weights"
    assert evidence_status({**full, "data_preprocessing_code": released(CC_BY)}) == "open_weights"
    assert evidence_status({**full, "inference_code": released(APACHE)}) == "open_source"


def test_openness_score():
    assert openness_score({}) == 0.0
    assert openness_score({"final_parameters": released(APACHE)}) == pytest.approx(5.88)   # 100/17
    assert openness_score({"final_parameters": released(LLAMA)}) == pytest.approx(2.94)    # 50/17
    assert openness_score({"final_parameters": ComponentState("partly_released", [APACHE])}) == pytest.approx(2.94)
    assert openness_score({"final_parameters": ComponentState("withheld")}) == 0.0
    assert openness_score(CLASS_I) == pytest.approx(round(100 * 14 / 17, 2))   # 14 required, all open


def test_licence_openness_takes_the_least_open():
    assert licence_openness([APACHE]) == "open"
    assert licence_openness([APACHE, LLAMA]) == "restricted"
    assert licence_openness([TOS]) == "proprietary"
    assert licence_openness([]) == "unknown"


# ---------------------------------------------------------------- the real build
# The expected values below were counted by hand from the curated files (data/ without
# data/imported/), so these tests read the curated-only build; the imported evidence is checked
# at the end on the full build.
@pytest.fixture(scope="module")
def built(curated_built):
    return curated_built


@pytest.fixture(scope="module")
def dataset(curated_built):
    """The curated build's checked graph (a KnowledgeGraph, derived graph included: the
    analyses leave it out)."""
    return curated_built[0].graph


@pytest.fixture(scope="module")
def analysis(dataset):
    return run(dataset, scope="all")


def _conc(an, group, by):
    t = an.tables["analysis_concentration"]
    return t[(t.model_group == group) & (t.grouped_by == by)].iloc[0]


def test_status_of_every_model(analysis):
    # data/artifacts.yaml: final_parameters released for 17 models (3 Llama, Mistral 7B,
    # Mixtral, 2 Falcon, 2 Qwen, DeepSeek R1, Phi-3, Phi-4, Gemma 2, 2 gpt-oss, and on the public
    # record GPT-2 and StarCoder), withheld for 21 (GPT-4, GPT-4o, o1, o3, 3 Claude, 3 Gemini,
    # 2 Grok, Command R+, Nova, Titan; on the public record Claude 1 and 2, PaLM, PaLM 2, Doubao,
    # Grok-0); BLOOM has neither an artifact nor access modes -> unknown. Phi (hosted) is retired
    # (a product now, data/models.yaml: deprecated) and counted in no scope.
    t = analysis.tables["analysis_model_openness"].set_index("model")
    assert len(t) == 39 and "phi-hosted" not in t.index
    assert t.evidence_status.value_counts().to_dict() == {"closed": 21, "open_weights": 17, "unknown": 1}
    assert t.loc["bloom", "evidence_status"] == "unknown" and t.loc["bloom", "status_resolution"] == "none"
    # every source that speaks agrees in the curated data: Llama 3.1's weights are released per the
    # examples article, the glossary and the trade-offs guide (artifacts.yaml evidence)
    assert t.loc["llama-3-1", "status_resolution"] == "agreed"
    assert t.loc["llama-3-1", "status_decided_by"] == (
        "open-closed-examples;open-closed-glossary;open-weight-closed-tradeoffs")
    assert t.loc["llama-3-1", "status_evidence_date"] == "2026"   # the glossary's stated as-of year
    assert set(t.mof_class) == {"none"}   # no model card, data card... recorded for any model
    # weights under Apache-2.0/MIT: 1 of 17 components -> 5.88; restricted or no licence -> 2.94
    assert t.loc["mistral-7b", "openness_score"] == pytest.approx(5.88)
    assert t.loc["llama-3-1", "openness_score"] == pytest.approx(2.94)
    assert t.loc["qwen-vl", "openness_score"] == pytest.approx(2.94)   # released, no licence recorded
    assert t.loc["gemma-2", "licence_openness"] == "restricted"
    assert t.loc["phi-3", "components_withheld"] == 1                # datasets withheld


def test_label_checks_and_open_washing(analysis):
    lc = analysis.tables["analysis_label_checks"]
    # the blog post calls the Llama family open source (labels.yaml: differences-llama), but
    # Llama 3, 3.1 and 3.2 have only their weights recorded: three open-washing candidates
    ow = lc[lc.open_washing_candidate]
    assert sorted(ow.model) == ["llama-3", "llama-3-1", "llama-3-2"]
    assert set(ow.source) == {"open-source-closed-differences"}
    assert (lc.verdict == "mismatch").sum() == 3
    # the guide calls BLOOM open; nothing is recorded about BLOOM's weights
    nb = lc[lc.verdict == "no_evidence"]
    assert list(nb.model) == ["bloom"] and list(nb.label_id) == ["guide-bloom"]


def test_kendall_tau_of_the_examples_spectrum(analysis):
    # Spectrum ranks 1-11 (labels.yaml) against scores (x 17/100): Llama 3.1 0.5, Mistral 7B 1,
    # DeepSeek R1 1, Falcon 40B 1, Gemma 2 0.5, Phi-3 1, Qwen 2.5 1, GPT-4o, Claude 3.5,
    # Gemini Ultra, Grok 3 0. Pairs: 55; tied in score 10 + 1 + 6 = 17; concordant: 1.0-group vs
    # 0-group 20, 0.5-group vs 0-group 8, Gemma 2 below Mistral, DeepSeek, Falcon 3 -> 31;
    # discordant: Llama 3.1 above the five 1.0 models 5, Gemma 2 above Phi-3 and Qwen 2 -> 7.
    # tau-b = (31 - 7) / sqrt(55 * 38)
    t = analysis.tables["analysis_spectrum_correlation"].set_index(["source", "basis"])
    row = t.loc[("open-closed-examples", "spectrum_rank")]
    assert row.models == 11
    assert row.kendall_tau == pytest.approx(24 / math.sqrt(55 * 38), abs=1e-4)
    # Label order: 13 models labelled open (scores > 0) and 14 closed (score 0; Phi (hosted),
    # retired, no longer counts): all 182 cross pairs concordant; n0 = 351, tied in label
    # 78 + 91, tied in score 15 + 21 + 91.
    row = t.loc[("open-closed-examples", "label_order")]
    assert row.models == 27
    assert row.kendall_tau == pytest.approx(182 / math.sqrt((351 - 169) * (351 - 127)), abs=1e-4)


def test_concentration_by_organisation(analysis):
    # Rolled up: OpenAI 7 (with GPT-2), Google 6 (Gemma 2, PaLM, PaLM 2 + 3 Gemini via Google
    # DeepMind), Anthropic 5 (with Claude 1 and 2), Meta 3, xAI 3 (with Grok-0), Microsoft 2 (Phi-3,
    # Phi-4 via Microsoft Research; Phi hosted is retired), Alibaba Group 2, Amazon 2, Mistral AI 2,
    # TII 2, BigScience 1, Cohere 1, DeepSeek 1, ByteDance 1, BigCode 1 = 39.
    a = _conc(analysis, "all", "organisation")
    assert a.holders == 15 and a.models == 39
    assert a.hhi == pytest.approx(153 * 10_000 / 39 ** 2, abs=0.01)       # sum of squares 153
    assert a.cr4 == pytest.approx(21 / 39, abs=1e-4)                      # 7 + 6 + 5 + 3
    assert a.gini == pytest.approx(212 / (15 * 39), abs=1e-4)            # sum over pairs |a - b| = 212
    # open-weight: Meta 3, OpenAI 3, Mistral 2, TII 2, Alibaba 2, Microsoft 2, DeepSeek 1, Google 1,
    # BigCode 1
    o = _conc(analysis, "open_weight", "organisation")
    assert o.hhi == pytest.approx(37 * 10_000 / 17 ** 2, abs=0.01)
    assert o.cr4 == pytest.approx(10 / 17, abs=1e-4)
    assert o.gini == pytest.approx(32 / (9 * 17), abs=1e-4)
    # closed: Anthropic 5, Google 5, OpenAI 4, xAI 3, Amazon 2, Cohere 1, ByteDance 1 (no Microsoft
    # model: the hosted Phi record was one)
    c = _conc(analysis, "closed", "organisation")
    assert c.holders == 7 and c.models == 21
    assert c.hhi == pytest.approx(81 * 10_000 / 21 ** 2, abs=0.01)
    assert c.cr4 == pytest.approx(17 / 21, abs=1e-4)
    assert c.gini == pytest.approx(44 / (7 * 21), abs=1e-4)


def test_concentration_by_country_and_the_claim_checks(analysis):
    # open-weight: US 9 (with GPT-2), CN 3, FR 2, AE 2 (StarCoder's BigCode has no country);
    # closed: US 19 (Google DeepMind counts as Google, US), CA 1, CN 1 (Doubao)
    o, c = _conc(analysis, "open_weight", "country"), _conc(analysis, "closed", "country")
    assert (o.holders, c.holders) == (4, 3)
    assert o.hhi == pytest.approx(98 * 10_000 / 16 ** 2, abs=0.01)
    assert c.hhi == pytest.approx(363 * 10_000 / 21 ** 2, abs=0.01)
    a = _conc(analysis, "all", "country")
    assert a.unassigned_models == 2            # BigScience and BigCode have no country
    checks = analysis.tables["analysis_claim_checks"].set_index("check")
    assert checks.loc["closed_models_concentrate_power", "verdict"] == "supported"
    assert checks.loc["open_models_spread_capability", "verdict"] == "supported"
    assert "guide-a-closed-concentrates-power" in checks.loc["closed_models_concentrate_power", "claims"]
    assert "examples-tradeoff-geopolitics-open" in checks.loc["open_models_spread_capability", "claims"]
    # the examples article's single-points-of-failure claim: 13 of 21 closed models (see test_channel_control)
    spof = checks.loc["closed_models_single_points_of_failure"]
    assert spof.claims == "examples-tradeoff-geopolitics-closed" and spof.verdict == "supported"
    assert spof.statement.startswith("13 of 21 closed models")
    assert "6 have no recorded channel" in spof.statement


def test_without_parent_rollup_google_deepmind_counts_apart(dataset):
    an = run(dataset, scope="all", parents=False)
    sh = an.tables["analysis_concentration_shares"]
    closed = sh[(sh.model_group == "closed") & (sh.grouped_by == "country")].set_index("holder")
    assert closed.loc["GB", "models"] == 3 and closed.loc["US", "models"] == 16   # 11 + Claude 1, 2, PaLM, PaLM 2, Grok-0


def test_channel_control(analysis):
    # products.yaml: o1, o3 (OpenAI), Claude 3, 3.5, 4 (Anthropic), 3 Gemini (Google),
    # Command R+ (Cohere), Nova, Titan (Amazon) are served only by their developer's channels:
    # 11; Grok 2 and 3 also on X, whose X Corp. rolls up to xAI: 13; BLOOM (no weights recorded,
    # so not downloadable on the evidence) only on the Hugging Face Hub: 14. GPT-4 and GPT-4o
    # are also in Microsoft Copilot: 2. The retired Phi (hosted) is in no scope. The six closed
    # models only the public record adds are served by no product of products.yaml (Claude 1 and 2,
    # PaLM and PaLM 2 are retired, Grok-0 was never offered, Doubao's app has no record): no
    # recorded channel; GPT-2 and StarCoder are downloadable.
    acc = analysis.tables["analysis_model_access"].set_index("model")
    assert analysis.facts["access_counts"]["single_organisation"] == 14
    assert sorted(acc[acc.access == "several_organisations"].index) == ["gpt-4", "gpt-4o"]
    assert acc.loc["grok-2", "controlling_organisations"] == "xai"
    assert acc.loc["bloom", "channels"] == "hugging-face-hub"
    assert sorted(acc[acc.access == "no_recorded_channel"].index) == [
        "claude-1", "claude-2", "dou-bao", "grok-0", "palm", "palm-2"]
    assert "phi-hosted" not in acc.index


def test_network_articulation_points(analysis):
    # The Hugging Face Hub serves every open model, so the open developers (Meta, TII, Microsoft
    # Research...) hang on it as well as on their models; it is the only link to Hugging Face.
    # Google holds Google DeepMind's Gemini cluster to the rest, Alibaba Cloud its parent; X Corp.
    # reaches xAI through its parent edge as well as through X. A model served by no product hangs
    # on its developer alone: Anthropic (Claude 1, 2), OpenAI (GPT-2) and xAI (Grok-0) become
    # articulation points; ByteDance and BigCode each form a two-node component with their model.
    net = analysis.tables["analysis_network_centrality"]
    ap = net[net.articulation_point]
    assert set(ap[ap.type == "Channel"].node) == {"product/hugging-face-hub"}
    assert set(ap[ap.type == "Organisation"].node) == {
        "organisation/alibaba-cloud", "organisation/google", "organisation/anthropic", "organisation/openai",
        "organisation/xai"}
    assert "organisation/cohere" not in set(ap.node)


def test_contested_claims_agree_with_the_sparql_library(analysis, built):
    """The SPARQL library reads the claim conflicts the analyses computed: the same pairs."""
    from openness_kg.read import query
    _, out = built
    conflicts = analysis.tables["analysis_claim_conflicts"]
    for dim in ("performance", "safety", "cost"):
        rows = query("contested-claims", build_dir=out, dimension=dim)
        pairs = {(r["claimA"].rsplit("/", 1)[-1], r["claimB"].rsplit("/", 1)[-1]) for r in rows}
        want = conflicts[conflicts.dimension == dim]
        assert pairs == set(zip(want.claim_a, want.claim_b)), dim
    assert len(conflicts[conflicts.dimension == "performance"]) > 0


def test_every_table_and_column_is_documented(analysis):
    assert set(analysis.tables) == set(TABLE_DOCS)
    for name, df in analysis.tables.items():
        assert name.startswith("analysis_")
        assert set(df.columns) == set(TABLE_DOCS[name]["columns"]), name


@pytest.mark.slow
def test_derived_graph_conforms_to_the_shapes(analysis, dataset):
    # the lead adds the derived graph to the dumps: the union must still pass SHACL
    from rdflib import RDF
    from openness_kg.namespaces import OKG
    from openness_kg.check.shacl import union_graph, validate_graph
    g = union_graph(dataset)
    g += analysis.graph
    assert validate_graph(g) == []
    assert len(set(analysis.graph.subjects(RDF.type, OKG.OpennessAssessment))) == 39
    assert len(set(analysis.graph.subjects(RDF.type, OKG.LabelCheck))) == len(analysis.tables["analysis_label_checks"])


def test_scopes(dataset):
    seeds = run(dataset, scope="seeds")
    # every curated model is named by a source; the retired Phi (hosted) is in no scope, and the
    # curated data hold no member of the OLMo or EleutherAI families (those come with the imports)
    assert len(seeds.tables["analysis_model_openness"]) == 31
    assert "olmo, perplexity-hosted" in seeds.scope_note
    one = run(dataset, scope="open-closed-glossary")
    # models.yaml: the glossary backs DeepSeek R1, GPT-4, Llama 3/3.1/3.2, Mistral 7B, Mixtral
    assert sorted(one.tables["analysis_model_openness"].model) == [
        "deepseek-r1", "gpt-4", "llama-3", "llama-3-1", "llama-3-2", "mistral-7b", "mixtral-8x7b"]
    assert "open-closed-glossary" in one.scope_note and "Selection bias" in one.scope_note
    with pytest.raises(ValueError, match="choose seeds, all or one of"):
        run(dataset, scope="no-such-source")


@pytest.mark.slow
def test_write_is_deterministic_and_report_matches_tables(analysis, tmp_path):
    a = analysis.write(tmp_path / "a")
    b = analysis.write(tmp_path / "b")
    names = sorted(p.name for p in a)
    assert names == sorted(p.name for p in b)
    for fig in ("openness_heatmap", "concentration_bars", "lorenz", "network", "claims_matrix"):
        assert f"{fig}.png" in names and f"{fig}.svg" in names
    for p, q in zip(sorted(a), sorted(b)):
        assert p.read_bytes() == q.read_bytes(), p.name
    report = (tmp_path / "a" / "report.md").read_text()
    conc = pd.read_csv(tmp_path / "a" / "analysis_concentration.csv")
    for r in conc.itertuples(index=False):
        line = next(ln for ln in report.splitlines()
                    if re.match(rf"\|\s*{r.model_group}\s*\|\s*{r.grouped_by}\s*\|", ln))
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert float(cells[5]) == pytest.approx(r.hhi) and float(cells[6]) == pytest.approx(r.cr4)
        assert float(cells[7]) == pytest.approx(r.gini)
    for fig in ("openness_heatmap", "claims_matrix", "concentration_bars", "lorenz", "network"):
        assert f"({fig}.png)" in report
    checks = pd.read_csv(tmp_path / "a" / "analysis_claim_checks.csv")
    for s in checks.statement:
        assert s in report
    cells = [c.strip() for ln in report.splitlines() if ln.startswith("|") for c in ln.strip("|").split("|")]
    assert "nan" not in cells


def test_report_tables_show_a_missing_value_as_an_empty_cell():
    # the largest-training-runs table has years without an open run, and the evidence table
    # models without a dated record: their cells were printed "nan"
    from openness_kg.analyse.output import _md

    table = _md(pd.DataFrame({"year": [2015, 2016], "open_name": [None, "SPIDER2"],
                              "open_flop": [float("nan"), 1.822e16]}))
    rows = [[c.strip() for c in ln.strip("|").split("|")] for ln in table.splitlines()]
    assert rows[2] == ["2015", "", ""] and rows[3] == ["2016", "SPIDER2", "1.822e+16"]


def test_failed_write_leaves_the_old_folder(analysis, tmp_path, monkeypatch):
    out = tmp_path / "analysis"
    out.mkdir()
    (out / "keep.txt").write_text("old")
    from openness_kg.analyse import output

    def boom(*a, **k):
        raise RuntimeError("figure failed")
    monkeypatch.setattr(output, "write_figures", boom)
    with pytest.raises(RuntimeError):
        analysis.write(out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".analysis-")]


@pytest.mark.slow
def test_cli_analyze(built, tmp_path):
    from openness_kg.cli import main
    _, out = built
    res = CliRunner().invoke(main, ["analyze", "--scope", "seeds", "--build-dir", str(out),
                                    "--out", str(tmp_path / "an")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "an" / "report.md").exists()
    res = CliRunner().invoke(main, ["analyze", "--scope", "nope", "--build-dir", str(out),
                                    "--out", str(tmp_path / "bad")])
    assert res.exit_code == 1 and "scope 'nope'" in res.output
    assert not (tmp_path / "bad").exists()


@pytest.mark.slow   # builds, or runs a child process: seconds
def test_artifacts_from_another_named_graph_are_combined(dataset):
    """An importer's graph (here a made-up graph/mof) says Mistral 7B's weights are withheld and
    releases its training code: the least open availability wins (withheld), the disagreement
    is counted, and the new component is read from that graph."""
    from rdflib import Dataset, Literal, URIRef
    from openness_kg.namespaces import GRAPH, OKG, OKGID, OKGV, SCHEMA
    from rdflib import RDF
    ds = Dataset(default_union=True)
    ds.parse(data=dataset.nquads(), format="nquads")
    mof = ds.graph(GRAPH["mof"])
    for slug, comp, avail in (("mistral-7b-weights-mof", "final-parameters", "withheld"),
                              ("mistral-7b-training-code-mof", "training-code", "released")):
        a = OKGID[f"artifact/{slug}"]
        mof.add((a, RDF.type, OKG.Artifact))
        mof.add((a, SCHEMA.name, Literal(slug)))
        mof.add((a, OKG.artifactOf, OKGID["model/mistral-7b"]))
        mof.add((a, OKG.component, OKGV[f"component/{comp}"]))
        mof.add((a, OKG.availability, OKGV[f"availability/{avail}"]))
    mof.add((OKGID["artifact/mistral-7b-training-code-mof"], SCHEMA.license, URIRef("http://spdx.org/licenses/MIT")))
    an = run(ds, scope="all")
    t = an.tables["analysis_model_openness"].set_index("model")
    # one vote per source: the examples article (2025) and the glossary (2026) say released, the
    # undated graph withheld; the 2025 vote is older than the glossary's, the undated one is not
    # ordered: glossary vs graph/mof, a tie at the newest date -> the least open, unresolved
    assert t.loc["mistral-7b", "evidence_status"] == "closed"
    assert t.loc["mistral-7b", "artifact_disagreements"] == 1
    assert t.loc["mistral-7b", "status_resolution"] == "unresolved"
    comp = an.tables["analysis_model_components"].set_index(["model", "component"])
    row = comp.loc[("mistral-7b", "final_parameters")]
    assert (row.availability, row.records, bool(row.disagreement)) == ("withheld", 3, True)
    conflicts = an.tables["analysis_evidence_conflicts"]
    assert set(conflicts[conflicts.model == "mistral-7b"].source) == {"mof", "open-closed-examples",
                                                                     "open-closed-glossary"}
    # artifacts.yaml: the curated record is backed by the examples article and the glossary
    assert set(row.graphs.split(";")) == {"mof", "open-closed-examples", "open-closed-glossary"}
    code = comp.loc[("mistral-7b", "training_code")]
    # a licence known only by its SPDX IRI is judged by the MOF list: MIT is open for code
    assert (code.availability, bool(code.open_licence), code.graphs) == ("released", True, "mof")
    # training code (1) counts; the weights no longer do: 100 * 1 / 17
    assert t.loc["mistral-7b", "openness_score"] == pytest.approx(5.88)

    # a model only the importer names: in scope all and in its own scope, not in seeds
    extra = OKGID["model/imported-only"]
    mof.add((extra, RDF.type, OKG.Model))
    mof.add((extra, SCHEMA.name, Literal("Imported only")))
    mof.add((extra, SCHEMA.creator, OKGID["organisation/meta"]))
    from openness_kg.graph import KnowledgeGraph
    kg = KnowledgeGraph.from_rdflib(ds)   # converted once for the three runs below
    assert "imported-only" in set(run(kg, scope="all").tables["analysis_model_openness"].model)
    assert "imported-only" not in set(run(kg, scope="seeds").tables["analysis_model_openness"].model)
    own = run(kg, scope="mof")
    # a source's models are those typed okg:Model in its graph (here only the artifacts name Mistral 7B)
    assert list(own.tables["analysis_model_openness"].model) == ["imported-only"]
    assert "Scope `mof`" in own.scope_note and "Model Openness Tool" in own.scope_note


@pytest.mark.slow
def test_network_layout_does_not_depend_on_the_hash_seed():
    """networkx subgraph views iterate sets; the layout must not follow string hashing."""
    import os
    import subprocess
    import sys
    code = ("import networkx as nx\n"
            "from openness_kg.analyse.figures import _component_layout\n"
            "G = nx.Graph()\n"
            "G.add_edges_from([(f'm{i}', f'o{i % 3}') for i in range(12)] + [('x', 'y'), ('y', 'z')])\n"
            "print(sorted((n, round(float(p[0]), 9), round(float(p[1]), 9)) for n, p in _component_layout(G).items()))\n")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outs) == 1


def test_licence_known_only_by_its_spdx_iri():
    """Importers may name licences by SPDX IRI only: OSI approval comes from the SPDX list, so
    weights under http://spdx.org/licenses/Apache-2.0 count as openly licensed parameters."""
    from openness_kg.analyse.extract import GraphData, self_lic
    apache = self_lic(GraphData(), "http://spdx.org/licenses/Apache-2.0")
    assert (apache.spdx_id, apache.osi) == ("Apache-2.0", True)
    assert licence_open_for("final_parameters", apache)
    nc = self_lic(GraphData(), "http://spdx.org/licenses/CC-BY-NC-4.0")
    assert not nc.osi and not licence_open_for("final_parameters", nc)
    assert licence_openness([nc]) == "non_commercial"
    assert licence_openness([self_lic(GraphData(), "http://spdx.org/licenses/CDLA-Permissive-2.0")]) == "open"
    assert licence_openness([self_lic(GraphData(), "https://example.org/some-terms")]) == "unknown"


# ---------------------------------------------------------------- with the imported indexes
def test_index_evidence_enters_the_seed_models_profiles(full_built):
    """On the full build the seed models' profiles combine the source documents' artifacts with
    the indexes', one vote per source. Llama 3.1's final parameters (read off data/artifacts.yaml
    and data/imported/*/artifacts.yaml): released per the examples article (2025), the glossary
    (2026), the undated trade-offs guide and the MOF tool (two checkpoint files, one vote, dated
    2025-05-26); withheld per the OSAI index (snapshot 2026-06-12, which grades the end model closed
    because of its licence). The newest votes are the OSAI index, the glossary (2026 overlaps its
    date) and the undated guide: 2 to 1, so released, unresolved, from 6 records."""
    an = run(full_built[0].graph, scope="seeds")
    comp = an.tables["analysis_model_components"]
    row = comp[(comp.model == "llama-3-1") & (comp.component == "final_parameters")].iloc[0]
    assert (row.availability, int(row.records), row.resolution) == ("released", 6, "unresolved")
    assert "llama-3-1-community-licence" in str(row.licences)
    seeds = set(an.tables["analysis_model_openness"].model)
    assert "claude-1" not in seeds            # only an index names it
    status = an.tables["analysis_model_openness"].set_index("model").evidence_status
    assert status["llama-3-1"] == "open_weights"
    # Grok 2: the examples article (2025) says withheld; the OSAI index's 2026 snapshot records the
    # weights published in August 2025: the newer evidence decides
    assert status["grok-2"] == "open_weights"

def test_public_record_supersedes_the_mof_files_on_index_only_models(full_built):
    """Claude 1 and 2, PaLM, PaLM 2, Doubao and Grok-0: the MOF files say MIT/Apache-2.0 weights,
    `unlicensed` or `Undisclosed`; the public record (data/artifacts.yaml, read 2026-11-29) says
    withheld -> closed. GPT-2 and StarCoder: the MOF files say "not included"; the public record says
    downloadable under MIT / BigCode OpenRAIL-M -> open weights. The public record is newer than
    every MOF file, so it decides, and the older disagreeing vote is marked superseded."""
    t = run(full_built[0].graph, scope="all").tables["analysis_model_openness"].set_index("model")
    for m in ("claude-1", "claude-2", "palm", "palm-2", "dou-bao", "grok-0"):
        assert t.loc[m, "evidence_status"] == "closed", m
    for m in ("gpt-2", "starcoder"):
        assert t.loc[m, "evidence_status"] == "open_weights", m
    for m in ("claude-1", "claude-2", "grok-0", "gpt-2", "starcoder"):   # MOF disagreed on the weights
        assert t.loc[m, "status_resolution"] == "superseded", m
        assert t.loc[m, "status_evidence_date"] == "2026-11-29", m


def test_models_the_osi_validated_come_out_open_source(full_built):
    """The OSI lists Pythia, OLMo, Amber and CrystalCoder as having passed its validation of the
    Open Source AI Definition. Their MOF files (data/imported/mof, from the tool's models/*.yml)
    record training and pre-processing code under MIT or Apache-2.0, the weights and datasets
    under Apache-2.0 or their distribution licence: open source on the evidence. Pythia-14M and
    Pythia-31M list only three components (no training code): open weights, as recorded."""
    status = run(full_built[0].graph, scope="all").tables["analysis_model_openness"].set_index("model").evidence_status
    for m in ("pythia-70m", "pythia-12b", "olmo-7b", "amber", "crystalcoder"):
        assert status[m] == "open_source", m
    assert status["pythia-14m"] == "open_weights"
