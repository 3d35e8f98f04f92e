"""Concentration and rank-correlation metrics, on plain Python values.

Every function takes counts (or paired values) and returns floats; none reads the graph, so each
can be checked by hand. Definitions and sources are in the docstrings.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def _counts(counts: Mapping[str, float] | Iterable[float]) -> list[float]:
    values = list(counts.values()) if isinstance(counts, Mapping) else list(counts)
    if not values:
        raise ValueError("no counts given")
    if any(v < 0 for v in values):
        raise ValueError(f"counts must not be negative: {values}")
    if sum(values) == 0:
        raise ValueError("counts sum to zero")
    return [float(v) for v in values]


def shares(counts: Mapping[str, float]) -> dict[str, float]:
    """Share of each key in the total, ``{key: count / sum}`` (fractions 0-1).

    Raises ``ValueError`` when ``counts`` is empty, has a negative value or sums to zero.
    """
    total = sum(_counts(counts))
    return {k: v / total for k, v in counts.items()}


def hhi(counts: Mapping[str, float] | Iterable[float]) -> float:
    """Herfindahl-Hirschman index on the 0-10,000 scale: the sum of the squared percentage
    shares, ``sum((100 * c_i / sum(c))**2)``.

    10,000 means a single holder; ``10,000 / n`` for ``n`` equal holders. The 2023 US Merger
    Guidelines (US Department of Justice and Federal Trade Commission, section 2.1) call a market
    with an HHI above 1,800 highly concentrated. Here the "market" is a count of models, not
    revenue or usage. Raises ``ValueError`` on empty, negative or all-zero counts.
    """
    values = _counts(counts)
    total = sum(values)
    return sum((100.0 * v / total) ** 2 for v in values)


def concentration_ratio(counts: Mapping[str, float] | Iterable[float], k: int = 4) -> float:
    """CR\\ *k*: the combined share (0-1) of the ``k`` largest holders (all of them when there
    are fewer than ``k``). CR4 is the usual industrial-organisation measure. Raises
    ``ValueError`` on empty, negative or all-zero counts, or ``k < 1``."""
    if k < 1:
        raise ValueError("k must be at least 1")
    values = sorted(_counts(counts), reverse=True)
    return sum(values[:k]) / sum(values)


def gini(counts: Mapping[str, float] | Iterable[float]) -> float:
    """Gini coefficient (0-1) of the counts: the mean absolute difference between all pairs
    divided by twice the mean, ``sum_i sum_j |x_i - x_j| / (2 n**2 mean)``, computed with the
    sorted form ``sum_i (2i - n - 1) x_(i) / (n sum x)`` (i = 1..n, ascending). 0 = all equal;
    ``(n-1)/n`` = one holder has everything. Only the holders passed in are counted (here:
    organisations or countries with at least one model). Raises ``ValueError`` as ``hhi``."""
    values = sorted(_counts(counts))
    n = len(values)
    return sum((2 * i - n - 1) * v for i, v in enumerate(values, start=1)) / (n * sum(values))


def lorenz_curve(counts: Mapping[str, float] | Iterable[float]) -> tuple[list[float], list[float]]:
    """Points of the Lorenz curve: cumulative share of holders (x) against cumulative share of
    models (y), holders in ascending order, starting at (0, 0) and ending at (1, 1)."""
    values = sorted(_counts(counts))
    n, total = len(values), sum(values)
    xs, ys, acc = [0.0], [0.0], 0.0
    for i, v in enumerate(values, start=1):
        acc += v
        xs.append(i / n)
        ys.append(acc / total)
    return xs, ys


def kendall_tau(x: Sequence[float], y: Sequence[float]) -> tuple[float, float]:
    """Kendall's tau-b between two paired sequences and its two-sided p-value
    (``scipy.stats.kendalltau``, variant ``"b"``, which corrects for ties:
    ``(C - D) / sqrt((n0 - n1)(n0 - n2))`` with C, D the concordant and discordant pairs, n0 all
    pairs, n1 and n2 the pairs tied in x and in y). Returns ``(nan, nan)`` when one sequence is
    constant. Raises ``ValueError`` when the lengths differ or fewer than 2 pairs are given."""
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length ({len(x)} and {len(y)})")
    if len(x) < 2:
        raise ValueError("Kendall's tau needs at least 2 pairs")
    from scipy import stats  # imported here: scipy.stats alone takes most of a second to import

    res = stats.kendalltau(x, y, variant="b")
    return float(res.statistic), float(res.pvalue)


def rollup(org: str, parent: Mapping[str, str]) -> str:
    """The top organisation above ``org``, following ``parent`` (child -> parent, the
    ``org:subOrganizationOf`` links) to the end: Google DeepMind -> Google. An organisation
    without a parent is its own top. Raises ``ValueError`` on a cycle."""
    seen = [org]
    while org in parent:
        org = parent[org]
        if org in seen:
            raise ValueError(f"cycle in parent organisations: {' -> '.join(seen + [org])}")
        seen.append(org)
    return org


def _total(items: Sequence[Mapping[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for it in items:
        for k, v in it.items():
            out[k] = out.get(k, 0.0) + v
    return out


def leave_one_out(items: Sequence[Mapping[str, float]], stat) -> tuple[float, float] | None:
    """The smallest and largest value of ``stat`` (a function of ``{holder: count}``, e.g.
    :func:`hhi`) when each item in turn is left out. ``items``: one ``{holder: weight}`` per
    model (a model with k developers gives 1/k to each). ``None`` with fewer than two items.
    Leave-one-out (jackknife) sensitivity: how much one record can move a concentration figure."""
    if len(items) < 2:
        return None
    total = _total(items)
    vals = []
    for it in items:  # the total less one item (a holder only that item has drops to exactly 0)
        less = dict(total)
        for k, v in it.items():
            less[k] -= v
        counts = {k: v for k, v in less.items() if v > 0}
        if counts:
            vals.append(stat(counts))
    return (min(vals), max(vals)) if vals else None


def bootstrap_interval(items: Sequence[Mapping[str, float]], stat, reps: int = 1000, level: float = 0.95,
                       seed: int = 0) -> tuple[float, float] | None:
    """Percentile bootstrap interval (Efron and Tibshirani 1993, ch. 13) of ``stat`` over
    ``items`` resampled with replacement, ``reps`` times, with a fixed ``seed`` so that builds
    are reproducible. Returns ``(low, high)`` at the given ``level`` (0.95 -> 2.5th and 97.5th
    percentiles); ``None`` with fewer than two items."""
    import numpy as np

    if len(items) < 2:
        return None
    holders = sorted({k for it in items for k in it})
    col = {k: j for j, k in enumerate(holders)}
    w = np.zeros((len(items), len(holders)))
    for i, it in enumerate(items):
        for k, v in it.items():
            w[i, col[k]] += v
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(items), (reps, len(items)))
    mult = np.zeros((reps, len(items)))   # how often each item is drawn in each resample
    np.add.at(mult, (np.repeat(np.arange(reps), len(items)), idx.ravel()), 1)
    sums = mult @ w
    vals = [stat([x for x in row if x > 0]) for row in sums]
    lo, hi = np.percentile(vals, [100 * (1 - level) / 2, 100 * (1 + level) / 2])
    return float(lo), float(hi)
