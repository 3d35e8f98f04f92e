"""The open-closed benchmark gap (analyse/gap.py) and the dated claims checked against it, on
hand-made scores (every expected value worked out by hand below)."""
from __future__ import annotations

import pandas as pd

from openness_kg.analyse.gap import Score, check_dated_claims, check_narrowing, open_closed_gap, period

SCORES = [
    # benchmark B: closed first, open catches up in March 2024
    Score("B", "C1", "2023-01-01", 0.60, False), Score("B", "O1", "2023-04-01", 0.50, True),
    Score("B", "C2", "2023-07-01", 0.80, False), Score("B", "O2", "2024-01-01", 0.70, True),
    Score("B", "O3", "2024-03-01", 0.85, True),
    # benchmark E: the gap narrows from 0.2 to 0.05 over more than a year
    Score("E", "X1", "2022-01-01", 0.50, False), Score("E", "Y1", "2022-02-01", 0.30, True),
    Score("E", "Y2", "2023-06-01", 0.45, True),
]


def test_best_scores_and_lag_by_date():
    g = open_closed_gap(SCORES)
    b = g[g.benchmark == "B"].set_index("date")
    assert pd.isna(b.loc["2023-01-01", "score_gap"])          # no open result yet
    # open 0.5, closed first reached 0.5 on 2023-01-01: 90 days = 2.96 months
    assert (b.loc["2023-04-01", "score_gap"], b.loc["2023-04-01", "lag_months"]) == (0.1, 3.0)
    # closed 0.8 (C2), open still 0.5: 181 days since 2023-01-01
    assert (b.loc["2023-07-01", "best_closed_model"], b.loc["2023-07-01", "lag_months"]) == ("C2", 5.9)
    # open 0.7: the closed side first reached it with C2 on 2023-07-01, 184 days before
    assert b.loc["2024-01-01", "lag_months"] == 6.0
    # open 0.85 beats closed 0.8: open leads, no lag
    last = b.loc["2024-03-01"]
    assert (last.best_open_model, bool(last.open_leads), last.lag_months, last.score_gap) == ("O3", True, 0.0, -0.05)


def test_periods():
    assert period("2025") == ("2025-01-01", "2025-12-31")
    assert period("2024-02") == ("2024-02-01", "2024-02-29")


def test_dated_claims_get_verdicts():
    g = open_closed_gap(SCORES)
    claims = [
        {"claim_id": "claim/c-2023", "proposition": "proposition/closed-models-outperform-open", "polarity": "affirms",
         "as_of": "2023"},
        {"claim_id": "claim/a-2024", "proposition": "proposition/closed-models-outperform-open", "polarity": "affirms",
         "as_of": "2024"},
        {"claim_id": "claim/b-2026", "proposition": "proposition/closed-models-outperform-open", "polarity": "denies",
         "as_of": "2026"},
        {"claim_id": "claim/undated", "proposition": "proposition/closed-models-outperform-open", "polarity": "affirms",
         "as_of": None},
    ]
    got = {r["claims"]: r["verdict"] for r in check_dated_claims(g, claims)}
    # 2023: B's last 2023 row (gap 0.3) and E's (0.05) both have closed ahead
    # 2024: only B has results in 2024, and open leads at its last one
    assert got == {"c-2023": "supported", "a-2024": "contradicted", "b-2026": "data_does_not_reach_date"}


def test_narrowing_compares_gaps_a_year_apart():
    g = open_closed_gap(SCORES)
    claims = [{"claim_id": "claim/narrow", "proposition": "proposition/performance-gap-narrowing",
               "polarity": "affirms", "as_of": None}]
    (row,) = check_narrowing(g, claims)
    # E: 0.2 on 2022-02-01 -> 0.05 on 2023-06-01; B has no pair of dates a year apart with both sides
    assert (row["claims"], row["verdict"]) == ("narrow", "supported")
    assert "narrowed on 1, widened on 0 of 1" in row["statement"]


def test_no_scores():
    g = open_closed_gap([])
    assert g.empty
    assert check_narrowing(g, [])[0]["verdict"] == "not_testable"
