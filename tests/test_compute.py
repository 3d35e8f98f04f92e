"""Concentration by training compute (analyse/compute.py) and its figure, on hand-made runs.

Three runs, values chosen to be checked by hand:
  A: organisation a (US), 2020, 100 FLOP, open weights
  B: organisation b (FR), 2020, 300 FLOP, closed
  C: organisations a and c (both US), 2021, 600 FLOP, closed (300 to each)
"""
from __future__ import annotations

import pytest

from openness_kg.analyse.compute import Run, compute_concentration, largest_runs
from openness_kg.analyse.figures import draw_compute

RUNS = [Run("model/a1", "A", 2020, 100.0, "open_weight", ("organisation/a",), ("US",)),
        Run("model/b1", "B", 2020, 300.0, "closed", ("organisation/b",), ("FR",)),
        Run("model/c1", "C", 2021, 600.0, "closed", ("organisation/a", "organisation/c"), ("US", "US"))]


def row(t, grp, by, period, year):
    r = t[(t.model_group == grp) & (t.grouped_by == by) & (t.period == period) & (t.year == year)]
    assert len(r) == 1
    return r.iloc[0]


def test_compute_shares_and_counts_side_by_side():
    t = compute_concentration(RUNS)
    r = row(t, "all", "organisation", "year", 2020)
    # compute: a 25 %, b 75 % -> 625 + 5625; counts 1 and 1 -> 2 x 50^2
    assert (r.hhi, r.hhi_models, r.cr4, r.gini, r.gini_models) == (6250.0, 5000.0, 1.0, 0.25, 0.0)
    assert (r.largest, r.largest_compute_share, r.models, r.holders) == ("b", 0.75, 2, 2)
    r = row(t, "all", "organisation", "cumulative", 2021)
    # compute: a 100 + 300, b 300, c 300 of 1000 -> 40^2 + 30^2 + 30^2 = 3400
    # counts: a 1.5, b 1, c 0.5 of 3 -> 2500 + 1111.11 + 277.78
    assert (r.hhi, r.hhi_models, r.largest, r.largest_compute_share) == (3400.0, 3888.89, "a", 0.4)
    assert r.total_compute_flop == 1000.0
    # country: US 700, FR 300 -> 4900 + 900
    assert row(t, "all", "country", "cumulative", 2021).hhi == 5800.0
    # closed only, cumulative: b 300, a 300, c 300 -> three equal holders
    assert row(t, "closed", "organisation", "cumulative", 2021).hhi == 3333.33
    # the open group has no run in 2021: no row for it
    assert not len(t[(t.model_group == "open_weight") & (t.year == 2021)])


def test_intervals_only_on_the_last_cumulative_row():
    t = compute_concentration(RUNS)
    last = row(t, "all", "organisation", "cumulative", 2021)
    # leaving out C: a 100, b 300 -> 6250, the largest; leaving out B: a 400, c 300 -> 5102.04
    assert last.hhi_loo_max == 6250.0
    assert last.hhi_ci_low <= last.hhi <= last.hhi_ci_high
    assert row(t, "all", "organisation", "year", 2020)[["hhi_loo_min", "hhi_ci_low"]].isna().all()


def test_largest_run_per_year_open_vs_closed():
    lr = largest_runs(RUNS).set_index("year")
    assert (lr.loc[2020, "largest_open_name"], lr.loc[2020, "largest_closed_name"],
            lr.loc[2020, "closed_to_open_ratio"]) == ("A", "B", 3.0)
    assert lr.loc[2021, "largest_closed_flop"] == 600.0
    assert lr.loc[2021, ["largest_open_model", "closed_to_open_ratio"]].isna().all()


def test_no_runs_gives_empty_tables():
    assert compute_concentration([]).empty and largest_runs([]).empty


@pytest.mark.slow   # builds, or runs a child process: seconds
def test_figure_on_hand_made_tables_is_deterministic(tmp_path):
    conc, lr = compute_concentration(RUNS), largest_runs(RUNS)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = draw_compute(conc, lr, tmp_path / "a", "hand-made runs")
    second = draw_compute(conc, lr, tmp_path / "b", "hand-made runs")
    assert sorted(p.name for p in first) == ["compute_concentration.png", "compute_concentration.svg"]
    for p, q in zip(first, second):
        assert p.read_bytes() == q.read_bytes(), p.name


def test_figure_without_runs_is_still_written(tmp_path):
    paths = draw_compute(compute_concentration([]), largest_runs([]), tmp_path, "no runs")
    assert [p.name for p in paths] == ["compute_concentration.png", "compute_concentration.svg"]


@pytest.mark.slow   # reads the full build
def test_compute_measures_in_the_derived_graph_are_the_table_rows(built):
    # one okg:ConcentrationMeasure weighted by training compute per row of
    # analysis_compute_concentration, with its HHI, CR4, Gini and model count; the measures by
    # model count say so too
    import csv

    import pyoxigraph as ox

    from openness_kg.read import store

    result, out = built
    with open(out / "analysis" / "analysis_compute_concentration.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    want = {(r["model_group"], r["grouped_by"], r["period"] == "cumulative", int(r["year"])):
            (int(r["models"]), float(r["hhi"]), float(r["cr4"]), float(r["gini"])) for r in rows}
    okg, v = "https://w3id.org/openness-kg/ontology#", "https://w3id.org/openness-kg/vocab/concentration-weight/"
    q = f"""PREFIX okg: <{okg}>
    SELECT ?group ?by ?cumulative ?year ?n ?hhi ?cr4 ?gini ?weight WHERE {{
      GRAPH <https://w3id.org/openness-kg/graph/derived> {{
        ?m a okg:ConcentrationMeasure ; okg:weightedBy ?weight ; okg:modelGroup ?group ; okg:groupedBy ?by ;
           okg:itemCount ?n ; okg:herfindahlHirschmanIndex ?hhi ; okg:concentrationRatio4 ?cr4 ; okg:giniCoefficient ?gini .
        OPTIONAL {{ ?m okg:periodYear ?year ; okg:cumulative ?cumulative . }} }} }}"""
    got, by_count = {}, 0
    for s in store(out).query(q):
        if s["weight"] == ox.NamedNode(v + "model-count"):
            by_count += 1
            assert s["year"] is None
            continue
        assert s["weight"] == ox.NamedNode(v + "training-compute")
        key = (s["group"].value, s["by"].value, s["cumulative"].value == "true", int(s["year"].value))
        got[key] = (int(s["n"].value), float(s["hhi"].value), float(s["cr4"].value), float(s["gini"].value))
    assert got == want
    assert by_count == 6   # all / open-weight / closed, by organisation and by country
