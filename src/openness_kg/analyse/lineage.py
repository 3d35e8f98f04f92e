"""Lineage and dependency: the fine-tune network (base model -> derived model, ``okg:fineTuneOf``)
as a networkx directed graph, and whose base models others build on, as a second view of
concentration: a developer whose base models many others fine-tune holds power that counting
its own releases misses.

Input: plain :class:`Edge` values (one per derived model and its base), so every figure can be
checked by hand. Organisations are holder ids (parents rolled up by the caller).
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from . import metrics


@dataclass(frozen=True)
class Edge:
    """``derived`` was fine-tuned (or further trained) from ``base`` (model slugs);
    ``base_orgs`` / ``derived_orgs``: their developers' holder ids."""

    base: str
    derived: str
    base_orgs: tuple[str, ...]
    derived_orgs: tuple[str, ...]


def lineage_graph(edges: list[Edge]) -> nx.DiGraph:
    """Directed graph base -> derived; nodes carry ``orgs``; an edge carries ``cross_org``
    (True when the two models share no developer)."""
    G = nx.DiGraph()
    for e in edges:
        G.add_node(e.base, orgs=e.base_orgs)
        G.add_node(e.derived, orgs=e.derived_orgs)
        G.add_edge(e.base, e.derived, cross_org=not set(e.base_orgs) & set(e.derived_orgs))
    return G


def dependency_table(edges: list[Edge]) -> tuple[pd.DataFrame, dict]:
    """The table ``analysis_lineage``: one row per organisation whose base models others were
    built on: ``holder``, ``base_models`` (its models with at least one derived model),
    ``derived_models`` (models built on them; a base with k developers gives 1/k to each),
    ``derived_by_others`` (of those, by organisations that did not develop the base),
    ``share`` (of all derived models, 0-1). Sorted by share, then holder. Returns the table and
    ``{"edges", "cross_org_edges", "hhi", "cr4", "largest"}`` (HHI 0-10,000 and CR4 of
    ``derived_models``, :mod:`.metrics`; None without edges)."""
    G = lineage_graph(edges)
    derived: dict[str, float] = {}
    others: dict[str, float] = {}
    bases: dict[str, set[str]] = {}
    for b, dv, data in G.edges(data=True):
        orgs = G.nodes[b]["orgs"]
        for o in orgs:
            derived[o] = derived.get(o, 0.0) + 1 / len(orgs)
            bases.setdefault(o, set()).add(b)
            if data["cross_org"]:
                others[o] = others.get(o, 0.0) + 1 / len(orgs)
    total = sum(derived.values())
    rows = [{"holder": o.split("/", 1)[-1], "base_models": len(bases[o]), "derived_models": round(v, 4),
             "derived_by_others": round(others.get(o, 0.0), 4), "share": round(v / total, 4)}
            for o, v in derived.items()]
    rows.sort(key=lambda r: (-r["share"], r["holder"]))
    facts = {"edges": G.number_of_edges(), "cross_org_edges": sum(1 for *_, d in G.edges(data=True) if d["cross_org"]),
             "hhi": round(metrics.hhi(derived), 2) if derived else None,
             "cr4": round(metrics.concentration_ratio(derived, 4), 4) if derived else None,
             "largest": rows[0]["holder"] if rows else None}
    return pd.DataFrame(rows, columns=["holder", "base_models", "derived_models", "derived_by_others", "share"]), facts
