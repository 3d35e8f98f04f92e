"""Write an :class:`~openness_kg.analyse.Analysis` to a folder: CSV tables, figures, report.

``report.md`` is generated from the tables themselves (every number it shows is a value of a
table, printed by the same formatter), so the report and the CSV/SQLite tables cannot disagree.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..files import atomic_dir
from .figures import write_figures

DEFINITIONS = """\
## Definitions and sources

- **MOF class** (Model Openness Framework 1.0, LF AI & Data, 2024): the Model Openness Tool's own
  evaluator (lfai/model_openness_tool, ported in `src/openness_kg/frameworks/mof.py` with file and
  line references, and tested against the tool on every one of its model files) applied to the
  model's combined evidence: a component released in full counts as included, with the SPDX ids
  of its licences. Class III needs model architecture, final parameters, model card, data card,
  technical report and evaluation results; Class II adds training, inference and evaluation
  code and evaluation data; Class I adds datasets, data preprocessing code, intermediate
  parameters and research paper. The per-release class the tool gives each of its files is kept
  as an assessment of that release (`assessments`, criterion `MOF class`).
- **Evidence status** (in the style of the OSI Open Source AI Definition 1.0, read through the
  OSI's checklist of components): *open source* when the final parameters are released under an
  open licence, the training code under an OSI-approved licence (and no data pre-processing or
  inference code is recorded withheld or under another licence), and training-data information
  is released (datasets fully or partly, or a data card, technical report or research paper);
  *open weights* when the final parameters are released but something else is missing; *closed*
  when they are withheld; *unknown* when the graph holds no evidence on them. A source that
  records a model's access modes but no final-parameters record speaks through them (a weights
  download means released, access modes without one mean withheld). Unknown is never counted as
  released.
- **Combining evidence** (`src/openness_kg/analyse/evidence.py`): one vote per source (a
  document, a dataset snapshot, or the curated public records), whatever its number of files or
  checkpoints; each vote dated by the date its records speak for (a Model Openness Tool file's
  date, a dataset snapshot's commit date, a document's publication or stated as-of date). Newer
  evidence supersedes older; sources of the newest date that still disagree are settled by
  majority, a tie going to the least open, and listed as *unresolved* in
  `analysis_evidence_conflicts.csv`. The Model Openness Tool's `Undisclosed` is unknown; its
  `unlicensed` is released without a licence.
- **Openness score** (0-100): the mean over the 17 MOF components of 1 (released under an open
  licence of the right type), 0.5 (released under another or no licence), half of these for
  partly released, 0 otherwise; times 100.
- **Licence openness**: from the licence category: OSI-approved or open data = open; open-weight
  licence with use restrictions = restricted; non-commercial; proprietary; the least open of
  several licences.
- **Herfindahl-Hirschman index (HHI)**: sum of squared percentage shares, 0-10,000; the 2023 US
  Merger Guidelines (DOJ and FTC) call a market above 1,800 highly concentrated. Here shares are
  shares of *models*, not of revenue or users.
- **CR4**: combined share of the four largest holders (0-1).
- **Gini coefficient**: inequality of model counts among the organisations (or countries) with at
  least one model in the group; 0 = equal, (n-1)/n = one holds all.
- **Kendall's tau-b** (`scipy.stats.kendalltau`): rank agreement of a source's order (spectrum
  place, 1 = most open; or its labels ordered fully open > open source > open > open-weight >
  semi-open > closed) with the evidence ranking by openness score; it corrects for ties.
- **Articulation point**: a node whose removal disconnects part of the network
  (`networkx.articulation_points`); for an access channel or organisation, a single point of
  failure for reaching the models behind it.
"""


def _md(df: pd.DataFrame) -> str:
    """``df`` as a Markdown table (tabulate), a missing value as an empty cell (not "nan")."""
    if not len(df):
        return "(none)"
    return df.astype(object).where(df.notna(), None).to_markdown(index=False, missingval="")


def stability(mo: pd.DataFrame) -> list[str]:
    """The report's note on how far the status counts depend on single records."""
    single = mo[mo["status_single_record"]]
    if not len(single):
        return ["**Stability**: every model's status rests on at least two records, so dropping any one record "
                "changes no status count."]
    by = single["evidence_status"].value_counts()
    return [f"**Stability**: the status of {len(single)} of {len(mo)} models rests on a single record (column "
            "`status_single_record`): dropping that record would change their status, so each count above can "
            "move by up to the number of its single-record models: "
            + ", ".join(f"{k} {v}" for k, v in sorted(by.items())) + "."]


def compute_section(t: dict, f: dict) -> list[str]:
    """The report's section on concentration by training compute (tables
    ``analysis_compute_concentration`` and ``analysis_largest_training_runs``)."""
    from .figures import COMPUTE_NOTE

    cc, lr = t["analysis_compute_concentration"], t["analysis_largest_training_runs"]
    n = f.get("compute_runs", {})
    lines = ["## 5. Concentration by training compute", "",
             f"{n.get('models', 0)} models have a training-compute estimate and a release date "
             f"({n.get('open_weight', 0)} open-weight, {n.get('closed', 0)} closed, the rest of unknown status). "
             "Each is weighted by its training compute in FLOP (Epoch AI's estimates, `okg:trainingCompute`); "
             "the HHI, CR4 and Gini are those of the model counts above, on compute shares, with the same "
             "measures on counts of the same models beside them (`analysis_compute_concentration.csv`: per year "
             "and cumulative).", "",
             "**Scope and selection bias**: " + COMPUTE_NOTE + " Epoch's own copy used here leaves some records "
             "out, and many closed frontier models have no public compute estimate, so the closed side is "
             "under-counted most where it is largest.", ""]
    if len(cc):
        last = cc[cc["period"] == "cumulative"]
        last = last[last["year"] == last.groupby(["model_group", "grouped_by"])["year"].transform("max")]
        lines += ["Cumulative, all years:", "",
                  _md(last[["model_group", "grouped_by", "year", "models", "holders", "hhi", "hhi_ci_low", "hhi_ci_high",
                            "hhi_models", "cr4", "cr4_models", "gini", "gini_models", "largest",
                            "largest_compute_share"]]), ""]
    if len(lr):
        lines += ["Largest training run per year, open vs closed (`analysis_largest_training_runs.csv`; last ten "
                  "years with a run):", "",
                  _md(lr.tail(10)[["year", "largest_open_name", "largest_open_flop", "largest_closed_name",
                                   "largest_closed_flop", "closed_to_open_ratio"]]), "",
                  "![Compute concentration and the largest runs](compute_concentration.png)", ""]
    return lines


def gap_section(t: dict) -> list[str]:
    """The report's section on the open-closed benchmark gap and the dated performance claims."""
    g = t["analysis_open_closed_gap"]
    checks = t["analysis_claim_checks"]
    lines = ["## 6. The open-closed gap on benchmarks", "",
             "Per benchmark, the best open and the best closed score up to each date (Epoch AI's benchmark files, "
             "open or closed as the dataset classes each model), and how many months the open side trails: the time "
             "since the closed side first reached the best open score (`analysis_open_closed_gap.csv`). The method "
             "follows Epoch AI's published analysis of these files (Cottier et al. 2024, \"How far behind are open "
             "models?\"), which measured how long after a closed model reached a score an open model matched it. The "
             "files cover the models Epoch chose to compare, up to their snapshot; a lag at the start of a "
             "benchmark's data is a lower bound.", ""]
    if len(g):
        last = g[g["score_gap"].notna()].sort_values("date").groupby("benchmark").tail(1)
        lines += ["Each benchmark at its last date with both sides:", "",
                  _md(last[["benchmark", "date", "best_open_model", "best_open_score", "best_closed_model",
                            "best_closed_score", "score_gap", "lag_months"]]), ""]
    perf = checks[checks["check"].isin(["closed_models_ahead_on_benchmarks", "open_models_match_closed_on_benchmarks",
                                        "performance_gap_narrowing"])]
    lines += ["### The sources' performance claims, checked", ""]
    for r in perf.itertuples(index=False):
        lines += [f"- **{r.check.replace('_', ' ')}** (claims: {r.claims.replace(';', ', ') or 'none in scope'}): "
                  f"**{r.verdict.replace('_', ' ')}**. {r.statement}"]
    return lines + [""]


def report(an) -> str:
    """The text of ``report.md`` (Markdown), generated from ``an.tables`` and ``an.facts``."""
    t = an.tables
    mo = t["analysis_model_openness"]
    comp = t["analysis_model_components"]
    f = an.facts
    lines = [f"# openness-kg: openness and power concentration (scope `{an.scope}`)", "",
             an.scope_note, "",
             f"Organisations are {'rolled up to their top parent organisation (Google DeepMind counts as Google; countries are the top parent' + chr(39) + 's)' if an.parents else 'counted as recorded, without rolling up parent organisations'}. "
             "Every number below is a value of the CSV table named beside it (also in the SQLite database); "
             "the rules and metrics are defined at the end.", ""]

    sc = mo["evidence_status"].value_counts()
    mc = mo["mof_class"].value_counts()
    lines += ["## 1. Openness per model", "",
              f"Of {len(mo)} models, {sc.get('open_source', 0)} are open source on the evidence, "
              f"{sc.get('open_weights', 0)} open weights, {sc.get('closed', 0)} closed and "
              f"{sc.get('unknown', 0)} unknown (`analysis_model_openness.csv`). "
              f"{len(mo) - mc.get('none', 0)} reach a MOF class ({mc.get('class_iii', 0)} Class III, "
              f"{mc.get('class_ii', 0)} Class II, {mc.get('class_i', 0)} Class I). "
              f"{int(mo['artifact_disagreements'].sum())} model components have artifact records that disagree "
              "(`analysis_model_components.csv`, column `disagreement`). "
              f"{int((comp.availability == 'no_record').sum())} of {len(comp)} model-component cells have no record "
              "at all: the grey cells below are missing evidence, not evidence of withholding.", "",
              "![Openness heat map](openness_heatmap.png)", "",
              *stability(mo), "",
              _md(mo[["name", "organisation", "evidence_status", "mof_class", "licence_openness", "openness_score",
                      "components_released", "components_withheld", "components_unknown"]]
                  .sort_values(["openness_score", "name"], ascending=[False, True])), ""]

    ec = t["analysis_evidence_conflicts"]
    lines += ["**Which evidence decided each model's status** (`analysis_model_openness.csv`, columns "
              "`status_decided_by`, `status_evidence_date`, `status_resolution`, `status_reason`):", "",
              _md(mo[["name", "evidence_status", "status_reason"]].sort_values("name")), "",
              f"**Where the sources disagree** (`analysis_evidence_conflicts.csv`): "
              f"{ec[['model', 'component']].drop_duplicates().shape[0]} model components, "
              f"{ec[ec.resolution == 'superseded'][['model', 'component']].drop_duplicates().shape[0]} settled by "
              f"newer evidence and {ec[ec.resolution == 'unresolved'][['model', 'component']].drop_duplicates().shape[0]} "
              "unresolved (sources of the newest date disagree; the majority decided, a tie going to the least "
              "open). On the final parameters:", "",
              _md(ec[ec.component == "final_parameters"].drop(columns=["component"])), ""]

    lc = t["analysis_label_checks"]
    mism = lc[lc["verdict"] == "mismatch"]
    ow = lc[lc["open_washing_candidate"]]
    verdicts = lc.groupby(["source", "verdict"]).size().unstack(fill_value=0).reset_index()
    lines += ["## 2. Source labels against the evidence", "",
              f"{len(lc)} label-model pairs were checked (a family label applies to each of the family's models; "
              f"`analysis_label_checks.csv`): {int((lc['verdict'] == 'consistent').sum())} consistent, "
              f"{len(mism)} mismatches, {int((lc['verdict'] == 'no_evidence').sum())} without evidence.", "",
              _md(verdicts), "",
              f"**Open-washing candidates** ({len(ow)}): a source calls the model open source or fully open, "
              "but the evidence does not show released training code and training data.", "",
              _md(ow[["source", "label", "labelled", "model", "evidence_status", "withheld", "not_evidenced"]]), "",
              "Rank agreement of each source's order with the evidence ranking by openness score "
              "(`analysis_spectrum_correlation.csv`; 1 = same order, 0 = unrelated, -1 = reversed):", "",
              _md(t["analysis_spectrum_correlation"]), ""]
    if t["analysis_spectrum_correlation"]["kendall_tau"].isna().any():
        lines += ["(`nan`: tau is undefined because every model compared has the same openness score or the same "
                  "place in the source's order.)", ""]

    cc, lc2 = t["analysis_claim_conflicts"], t["analysis_label_conflicts"]
    kinds = cc["kind"].value_counts() if len(cc) else {}
    lines += ["## 3. Contested claims", "",
              f"{len(cc)} pairs of claims from different sources take opposite sides on the same proposition "
              f"(a neutral comparison curated in `data/propositions.yaml`), whatever their subjects' wording "
              f"(`analysis_claim_conflicts.csv`): {kinds.get('contradiction', 0)} contradictions (same period or "
              f"undated) and {kinds.get('change_over_time', 0)} changes over time (dated in different years; "
              "claim A is the older).", "",
              _md(cc.groupby(["proposition", "dimension", "kind"]).size().reset_index(name="pairs")
                  if len(cc) else cc), "",
              f"{len(lc2)} pairs of sources label the same model or family differently "
              "(`analysis_label_conflicts.csv`):", "",
              _md(lc2), "",
              "Who says what, per dimension and source (`analysis_claims_matrix.csv`):", "",
              "![Claims matrix](claims_matrix.png)", ""]

    conc = t["analysis_concentration"]
    acc = f["access_counts"]
    net = t["analysis_network_centrality"]
    ap = net[net["articulation_point"] & net["type"].isin(["Organisation", "Channel"])]
    lines += ["## 4. Power concentration", "",
              "Counts and shares of models by developer organisation and by country, for all, open-weight "
              "(open source or open weights) and closed models (`analysis_concentration.csv`, shares in "
              "`analysis_concentration_shares.csv`). A model with several developers counts a fraction to each; "
              "`unassigned_models` have no known country.", "",
              _md(conc), "",
              "![Models by organisation and country](concentration_bars.png)", "",
              "![Lorenz curves](lorenz.png)", "",
              "**Access channels** (`analysis_channels.csv`, `analysis_model_access.csv`): "
              f"{acc.get('weights_downloadable', 0)} models have downloadable weights; "
              f"{acc.get('single_organisation', 0)} reach users only through channels one organisation controls; "
              f"{acc.get('several_organisations', 0)} through channels of several organisations; "
              f"{acc.get('no_recorded_channel', 0)} have no recorded channel and no downloadable weights.", "",
              _md(t["analysis_channels"][["name", "controlling_organisation", "channel_types", "models_served"]]), "",
              f"**Network** (`analysis_network_centrality.csv`): {f['network']['nodes']} nodes, "
              f"{f['network']['edges']} edges, {f['network']['components']} connected components, "
              f"{f['network']['articulation_points']} articulation points. Organisations and channels among them "
              "(removing one cuts models off from the rest of the network):", "",
              _md(ap[["label", "type", "degree", "betweenness"]]), "",
              "Most central nodes by betweenness:", "",
              _md(net.sort_values(["betweenness", "node"], ascending=[False, True]).head(8)[
                  ["label", "type", "degree", "degree_centrality", "betweenness"]]), "",
              "![Network](network.png)", "",
              "### The sources' concentration claims, checked", ""]
    cks = t["analysis_claim_checks"]
    for r in cks[cks["measure"] != "best open vs best closed benchmark score"][
            lambda x: x["check"] != "performance_gap_narrowing"].itertuples(index=False):
        lines += [f"- **{r.check.replace('_', ' ')}** (claims: {r.claims.replace(';', ', ') or 'none in scope'}): "
                  f"**{r.verdict.replace('_', ' ')}**. {r.statement}"]
    lines += ["", "These compare counts of notable models, not market shares, users or compute; the scope's "
              "selection bias (above) applies to every figure.", ""]
    lines += compute_section(t, f)
    lines += gap_section(t)
    lin, lf = t["analysis_lineage"], f.get("lineage", {})
    lines += ["## 7. Lineage: whose base models others build on", "",
              f"{lf.get('edges', 0)} fine-tune edges (base model -> derived model, `okg:fineTuneOf`, from Epoch AI), "
              f"{lf.get('cross_org_edges', 0)} of them across organisations. Counting the models built on each "
              "organisation's base models (`analysis_lineage.csv`) gives "
              + (f"an HHI of {lf['hhi']:,.2f} and a CR4 of {lf['cr4']:.4f}; {lf['largest']} leads."
                 if lf.get("hhi") is not None else "nothing to measure: no edges.")
              + " Epoch records a base model only for some systems, so this is a lower bound on dependency.", "",
              _md(lin.head(10)), ""]
    lines += ["", DEFINITIONS]
    return "\n".join(lines)


REPORT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>openness-kg analysis report</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60em; margin: 1em auto; padding: 0 1em; line-height: 1.45; }}
img {{ max-width: 100%; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; }}
</style>
</head>
<body>
<p><a href="../">openness-kg in Datasette</a> · <a href="report.md">report.md</a></p>
{body}
</body>
</html>
"""


def report_html(markdown_text: str) -> str:
    """``report.md``'s text rendered as a standalone HTML page (the ``markdown`` package, with
    its tables extension); figures stay relative links (``lorenz.png``), so the page reads
    where it sits beside them (``openness-kg serve`` mounts the analysis folder at
    ``/analysis/``)."""
    import markdown  # imported here: only the report page needs it

    body = markdown.markdown(markdown_text, extensions=["tables"], output_format="html")
    return REPORT_PAGE.format(body=body)


def write_all(an, out_dir: Path) -> list[Path]:
    """See :meth:`Analysis.write`."""
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as tmp:
        for name, df in sorted(an.tables.items()):
            df.to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n")
        write_figures(an, tmp)
        text = report(an)
        (tmp / "report.md").write_text(text, encoding="utf-8")
        (tmp / "report.html").write_text(report_html(text), encoding="utf-8")
    return sorted(out_dir.iterdir())
