"""Concentration by training compute: who trains the largest models, per year and cumulatively.

Counting models treats a frontier training run and a small fine-tune alike; weighting each model
by its training compute (FLOP, ``okg:trainingCompute``, Epoch AI's estimates) measures who holds
the capacity instead. The measures are those of :mod:`.metrics` (HHI on the 0-10,000 scale, CR4,
Gini, leave-one-out and bootstrap intervals), computed on compute and, for the same models, on
counts, so the two can be read side by side.

Input: plain values, so every figure can be checked by hand:
``runs``: one :class:`Run` per model with a training-compute estimate and a release year; the
model's group (``open_weight`` / ``closed`` / other, from the evidence-based status, computed
once in :mod:`.openness`), its holders (organisations, parents rolled up, or countries; a model
with k holders gives 1/k of its compute and 1/k of a count to each).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import metrics

GROUPS = ("all", "open_weight", "closed")
ROUND = 4


@dataclass(frozen=True)
class Run:
    """One model's training run: ``model`` (slug), ``name``, ``year`` (of release),
    ``compute`` (FLOP, > 0), ``group`` (``open_weight``, ``closed`` or ``unknown``),
    ``organisations`` and ``countries`` (holder ids; empty when unknown)."""

    model: str
    name: str
    year: int
    compute: float
    group: str
    organisations: tuple[str, ...]
    countries: tuple[str, ...]


def _r(x: float | None, nd: int = ROUND):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), nd)


def _items(runs: list[Run], by: str, weight: str) -> list[dict[str, float]]:
    """One ``{holder: weight}`` per run with a holder (compute or 1 split evenly)."""
    out = []
    for r in runs:
        holders = r.organisations if by == "organisation" else r.countries
        if not holders:
            continue
        w = (r.compute if weight == "compute" else 1.0) / len(holders)
        item: dict[str, float] = {}
        for h in holders:
            item[h] = item.get(h, 0.0) + w
        out.append(item)
    return out


def _total(items: list[dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for it in items:
        for k, v in it.items():
            out[k] = out.get(k, 0.0) + v
    return out


def compute_concentration(runs: list[Run], intervals: bool = True) -> pd.DataFrame:
    """The table ``analysis_compute_concentration``: one row per model group (all, open_weight,
    closed), ``grouped_by`` (organisation, country), ``period`` (``year``: the runs released in
    that year; ``cumulative``: every run up to and including it) and ``year`` (each year with a
    run in the group). Columns: ``models``, ``holders``, ``total_compute_flop``, ``hhi`` /
    ``cr4`` / ``gini`` on compute, ``hhi_models`` / ``cr4_models`` / ``gini_models`` on counts
    of the same runs, ``largest`` and ``largest_compute_share``; for the last cumulative row of
    each group and grouping (all years), when ``intervals``, the leave-one-out range and the
    95% bootstrap interval of the compute HHI (``hhi_loo_min`` ... ``hhi_ci_high``, as in
    ``analysis_concentration``). Rows sorted by group, grouping, period, year."""
    rows = []
    for grp in GROUPS:
        in_grp = [r for r in runs if grp == "all" or r.group == grp]
        years = sorted({r.year for r in in_grp})
        for by in ("organisation", "country"):
            for period in ("year", "cumulative"):
                for y in years:
                    sel = [r for r in in_grp if (r.year == y if period == "year" else r.year <= y)]
                    comp = _items(sel, by, "compute")
                    if not comp:
                        continue
                    counts = _total(_items(sel, by, "count"))
                    flop = _total(comp)
                    top = max(sorted(flop), key=lambda k: flop[k])
                    row = {"model_group": grp, "grouped_by": by, "period": period, "year": y,
                           "models": len(sel), "holders": len(flop),
                           "total_compute_flop": float(f"{sum(flop.values()):.6g}"),
                           "hhi": _r(metrics.hhi(flop), 2), "cr4": _r(metrics.concentration_ratio(flop, 4)),
                           "gini": _r(metrics.gini(flop)),
                           "hhi_models": _r(metrics.hhi(counts), 2),
                           "cr4_models": _r(metrics.concentration_ratio(counts, 4)),
                           "gini_models": _r(metrics.gini(counts)),
                           "largest": top.split("/", 1)[-1], "largest_compute_share": _r(flop[top] / sum(flop.values())),
                           "hhi_loo_min": None, "hhi_loo_max": None, "hhi_ci_low": None, "hhi_ci_high": None}
                    if intervals and period == "cumulative" and y == years[-1]:
                        loo = metrics.leave_one_out(comp, metrics.hhi)
                        boot = metrics.bootstrap_interval(comp, metrics.hhi)
                        if loo:
                            row["hhi_loo_min"], row["hhi_loo_max"] = _r(loo[0], 2), _r(loo[1], 2)
                        if boot:
                            row["hhi_ci_low"], row["hhi_ci_high"] = _r(boot[0], 2), _r(boot[1], 2)
                    rows.append(row)
    return pd.DataFrame(rows, columns=[
        "model_group", "grouped_by", "period", "year", "models", "holders", "total_compute_flop", "hhi", "cr4",
        "gini", "hhi_models", "cr4_models", "gini_models", "largest", "largest_compute_share",
        "hhi_loo_min", "hhi_loo_max", "hhi_ci_low", "hhi_ci_high"])


def largest_runs(runs: list[Run]) -> pd.DataFrame:
    """The table ``analysis_largest_training_runs``: per year with a run, the largest open-weight
    and the largest closed training run (model slug, name, FLOP) and ``closed_to_open_ratio``
    (closed FLOP / open FLOP; empty when either side has no run that year). A tie goes to the
    model slug first in order."""
    rows = []
    for y in sorted({r.year for r in runs}):
        row: dict = {"year": y}
        for grp, key in (("open_weight", "open"), ("closed", "closed")):
            cand = sorted((r for r in runs if r.year == y and r.group == grp), key=lambda r: (-r.compute, r.model))
            top = cand[0] if cand else None
            row[f"largest_{key}_model"] = top.model.split("/", 1)[-1] if top else None
            row[f"largest_{key}_name"] = top.name if top else None
            row[f"largest_{key}_flop"] = top.compute if top else None
        o, c = row["largest_open_flop"], row["largest_closed_flop"]
        row["closed_to_open_ratio"] = _r(c / o, 2) if o and c else None
        rows.append(row)
    return pd.DataFrame(rows, columns=[
        "year", "largest_open_model", "largest_open_name", "largest_open_flop", "largest_closed_model",
        "largest_closed_name", "largest_closed_flop", "closed_to_open_ratio"])
