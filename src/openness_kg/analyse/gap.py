"""The open-closed gap over time, from benchmark results (``okg:BenchmarkResult``, Epoch AI's
benchmark files), and the sources' dated performance claims checked against it.

Method. Per benchmark (higher scores are better on all of them: accuracies, Elo), at each date
with a result, the *best open* and the *best closed* score so far (the running maximum over
models released up to that date, open or closed as the dataset classes them). The open side
*trails* by ``lag_months``: the time from the date the closed side first reached the best open
score to this date (30.4375-day months); 0 when the best open score equals or beats the best
closed one. This follows the published analysis the benchmark files come from (Cottier et al.
2024, "How far behind are open models?", Epoch AI), which measured how long after a closed
model reached a benchmark score the first open model matched it; a lag at the start of a
benchmark's data is a lower bound (earlier closed results are not in the files).

Input: plain :class:`Score` values, so every figure can be checked by hand.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

MONTH_DAYS = 30.4375
GAP_COLUMNS = ["benchmark", "date", "best_open_model", "best_open_score", "best_closed_model", "best_closed_score",
               "score_gap", "open_leads", "lag_months", "best_open_result", "best_closed_result"]


@dataclass(frozen=True)
class Score:
    """One benchmark result: ``benchmark``, ``model`` (the dataset's name), ``date``
    (YYYY-MM-DD, the model's release), ``score``, ``open`` (the dataset's open / closed) and
    ``result``, the ``okg:BenchmarkResult`` record it comes from (``benchmark-result/<id>``;
    empty for a hand-made score)."""

    benchmark: str
    model: str
    date: str
    score: float
    open: bool
    result: str = ""


def _months(a: str, b: str) -> float:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days / MONTH_DAYS


def open_closed_gap(scores: list[Score]) -> pd.DataFrame:
    """The table ``analysis_open_closed_gap``: one row per benchmark and date with a result:
    the best open and best closed model and score up to that date, ``score_gap`` (closed minus
    open; empty until both sides have a result), ``open_leads`` and ``lag_months`` (see the
    module docstring; rounded to 0.1) and the records of the two best results
    (``best_open_result``, ``best_closed_result``: ``Score.result``). A tie for best keeps the
    earlier result, then the name first in order. Rows sorted by benchmark and date."""
    rows = []
    for bench in sorted({s.benchmark for s in scores}):
        res = sorted((s for s in scores if s.benchmark == bench), key=lambda s: (s.date, s.model))
        best: dict[bool, Score | None] = {True: None, False: None}
        closed_path: list[tuple[str, float]] = []   # (date, best closed score from then on)
        for d in sorted({s.date for s in res}):
            for s in (x for x in res if x.date == d):
                cur = best[s.open]
                if cur is None or s.score > cur.score:
                    best[s.open] = s
                    if not s.open:
                        closed_path.append((s.date, s.score))
            o, c = best[True], best[False]
            row = {"benchmark": bench, "date": d,
                   "best_open_model": o.model if o else None, "best_open_score": o.score if o else None,
                   "best_closed_model": c.model if c else None, "best_closed_score": c.score if c else None,
                   "score_gap": None, "open_leads": None, "lag_months": None,
                   "best_open_result": o.result if o else None, "best_closed_result": c.result if c else None}
            if o and c:
                row["score_gap"] = round(c.score - o.score, 4)
                row["open_leads"] = o.score >= c.score
                if o.score >= c.score:
                    row["lag_months"] = 0.0
                else:
                    first = next(dt for dt, sc in closed_path if sc >= o.score)
                    row["lag_months"] = round(_months(first, d), 1)
            rows.append(row)
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def period(as_of: str) -> tuple[str, str]:
    """First and last day of a claim's as-of period: ``"2025"`` -> ``("2025-01-01",
    "2025-12-31")``; ``"2025-06"`` -> ``("2025-06-01", "2025-06-30")``; a full date is its own
    period."""
    import calendar

    y, *rest = str(as_of).split("-")
    if not rest:
        return f"{y}-01-01", f"{y}-12-31"
    if len(rest) == 1:
        last = calendar.monthrange(int(y), int(rest[0]))[1]
        return f"{y}-{rest[0]}-01", f"{y}-{rest[0]}-{last:02d}"
    return str(as_of), str(as_of)


def check_dated_claims(gap: pd.DataFrame, claims: list[dict],
                       proposition: str = "closed-models-outperform-open") -> list[dict]:
    """One row (the columns of ``analysis_claim_checks``) per claim on ``proposition`` that has
    an ``as_of`` date and affirms (closed models ahead) or denies (open models caught up) it:

    * ``data_does_not_reach_date`` when the benchmark results end before the claim's period
      starts (``as_of`` 2025 -> 2025-01-01 to 2025-12-31);
    * otherwise, per benchmark with both sides in the period, its last date in the period:
      closed ahead on more than half of those benchmarks -> an affirming claim is
      ``supported``, a denying one ``contradicted``; otherwise the reverse; ``not_testable``
      when no benchmark has both sides in the period.
    ``claims``: dicts with ``claim_id``, ``proposition`` (slug, ``proposition/<id>`` or
    ``<id>``), ``polarity``, ``as_of``."""
    out = []
    last_date = gap["date"].max() if len(gap) else None
    for cid, as_of, pol in sorted({(c["claim_id"], c["as_of"], c["polarity"]) for c in claims
                                   if (c.get("proposition") or "").split("/", 1)[-1] == proposition and c.get("as_of")
                                   and c.get("polarity") in ("affirms", "denies")}):
        start, end = period(as_of)
        says = "closed models ahead on benchmarks" if pol == "affirms" else "open models level with or ahead of closed ones"
        check = "closed_models_ahead_on_benchmarks" if pol == "affirms" else "open_models_match_closed_on_benchmarks"
        row = {"check": check, "claims": cid.split("/", 1)[-1], "measure": "best open vs best closed benchmark score",
               "open_weight_hhi": None, "closed_hhi": None, "open_weight_cr4": None, "closed_cr4": None,
               "open_weight_holders": None, "closed_holders": None}
        inside = gap[gap["score_gap"].notna() & (gap["date"] >= start) & (gap["date"] <= end)] if len(gap) else gap
        if last_date is None or last_date < start:
            row["verdict"] = "data_does_not_reach_date"
            row["statement"] = (f"The claim ({says}) speaks for {as_of}; the benchmark results end on "
                                f"{last_date or 'no date (none imported)'}, so the data cannot test it.")
        elif not len(inside):
            row["verdict"] = "not_testable"
            row["statement"] = f"The claim ({says}) speaks for {as_of}; no benchmark has open and closed results then."
        else:
            lastrow = inside.sort_values("date").groupby("benchmark").tail(1)
            ahead, n = int((~lastrow["open_leads"].astype(bool)).sum()), len(lastrow)
            closed_ahead = 2 * ahead > n
            row["verdict"] = "supported" if closed_ahead == (pol == "affirms") else "contradicted"
            row["statement"] = (f"The claim ({says}) speaks for {as_of}: at each benchmark's last date in {start} to "
                                f"{end}, closed models lead on {ahead} of {n} benchmarks "
                                f"({', '.join(f'{b}: gap {g:g}' for b, g in zip(lastrow['benchmark'], lastrow['score_gap']))}).")
        out.append(row)
    return out


def check_narrowing(gap: pd.DataFrame, claims: list[dict], proposition: str = "performance-gap-narrowing") -> list[dict]:
    """One row for the undated claim that the gap narrows (claims affirming ``proposition``):
    per benchmark, the score gap at its last date with both sides against the gap at the latest
    date at least 12 months earlier; ``supported`` when it shrank on more benchmarks than it
    grew, ``contradicted`` when it grew on more, ``mixed`` on a tie, ``not_testable`` when no
    benchmark spans 12 months with both sides."""
    ids = ";".join(sorted({c["claim_id"].split("/", 1)[-1] for c in claims
                           if (c.get("proposition") or "").split("/", 1)[-1] == proposition and c.get("polarity") == "affirms"}))
    both = gap[gap["score_gap"].notna()]
    shrank, grew, parts = 0, 0, []
    for bench, g in both.groupby("benchmark"):
        g = g.sort_values("date")
        end = g.iloc[-1]
        cutoff = (date.fromisoformat(end["date"]).replace(year=int(end["date"][:4]) - 1)).isoformat() \
            if end["date"][5:] != "02-29" else f"{int(end['date'][:4]) - 1}-02-28"
        before = g[g["date"] <= cutoff]
        if not len(before):
            continue
        b = before.iloc[-1]
        if end["score_gap"] < b["score_gap"]:
            shrank += 1
        elif end["score_gap"] > b["score_gap"]:
            grew += 1
        parts.append(f"{bench} {b['score_gap']:g} ({b['date']}) -> {end['score_gap']:g} ({end['date']})")
    if not parts:
        verdict, text = "not_testable", "No benchmark has open and closed results 12 months apart."
    else:
        verdict = "supported" if shrank > grew else "contradicted" if grew > shrank else "mixed"
        text = (f"Score gap (best closed minus best open) over the last 12 months of each benchmark's data: "
                f"narrowed on {shrank}, widened on {grew} of {len(parts)}: " + "; ".join(parts) + ".")
    return [{"check": "performance_gap_narrowing", "claims": ids, "measure": "score gap a year apart",
             "open_weight_hhi": None, "closed_hhi": None, "open_weight_cr4": None, "closed_cr4": None,
             "open_weight_holders": None, "closed_holders": None, "verdict": verdict, "statement": text}]
