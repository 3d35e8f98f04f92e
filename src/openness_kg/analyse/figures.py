"""Figures of the analyses (matplotlib, Agg backend), each written as PNG and SVG.

Output is deterministic: fixed layout seeds, ``svg.hashsalt`` set, no dates in the metadata,
so the same inputs give byte-identical files. Every figure names its scope in the title.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from . import metrics  # noqa: E402
from .openness import COMPONENTS, MOF_COMPONENTS  # noqa: E402

TOP_HOLDERS = 25   # bars drawn per panel; the rest are summed into one "others" bar
MAX_LABELLED_NODES = 120   # above this, the network figure labels organisations and channels only
STATUS_ORDER = {"open_source": 0, "open_weights": 1, "unknown": 2, "closed": 3}
RC = {"svg.hashsalt": "openness-kg", "svg.fonttype": "path", "font.size": 9, "figure.dpi": 100,
      "path.simplify": True}


def _save(fig, out: Path, name: str) -> list[Path]:
    paths = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        p = out / f"{name}.{ext}"
        fig.savefig(p, format=ext, metadata=meta, bbox_inches="tight", dpi=110)
        paths.append(p)
    plt.close(fig)
    return paths


def _footer(fig, note: str) -> None:
    fig.tight_layout()
    fig.text(0.01, -0.01, "\n".join(textwrap.wrap(note, 150)), fontsize=7, va="top", ha="left", color="#444")


def openness_heatmap(an, out: Path) -> list[Path]:
    """Models x MOF components, coloured by combined availability and licence."""
    t = an.tables["analysis_model_openness"].copy()
    t["_o"] = t["evidence_status"].map(STATUS_ORDER)
    t = t.sort_values(["_o", "openness_score", "name"], ascending=[True, False, True])
    comp = an.tables["analysis_model_components"].set_index(["model", "component"])
    codes = {"no_record": 0, "unknown": 0, "withheld": 1, "partly_released": 2}
    grid = np.zeros((len(t), len(COMPONENTS)))
    for i, m in enumerate(t["model"]):
        for j, c in enumerate(COMPONENTS):
            r = comp.loc[(m, c)]
            grid[i, j] = codes.get(r["availability"], 4 if r["open_licence"] else 3)
    cmap = ListedColormap(["#e6e6e6", "#b2182b", "#f4a582", "#a6dba0", "#1b7837"])
    n = len(t)
    row_h, yfont = (0.27, 9) if n <= 60 else (max(0.11, 40 / n), 5)   # large scopes: a denser, capped grid
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(10, 2.2 + row_h * n))
        ax.imshow(grid, cmap=cmap, vmin=-0.5, vmax=4.5, aspect="auto", interpolation="nearest")
        ax.set_xticks(range(len(COMPONENTS)))
        ax.set_xticklabels([f"{c.replace('_', ' ')} ({'I' * MOF_COMPONENTS[c][0]})" for c in COMPONENTS],
                           rotation=60, ha="right")
        ax.set_yticks(range(len(t)))
        ax.set_yticklabels([f"{n}  [{s.replace('_', ' ')}, {sc:.2f}]" for n, s, sc in
                            zip(t["name"], t["evidence_status"], t["openness_score"])], fontsize=yfont)
        ax.set_xticks(np.arange(-0.5, len(COMPONENTS)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(t)), minor=True)
        ax.grid(which="minor", color="white", linewidth=0.8)
        ax.tick_params(which="minor", length=0)
        ax.set_title(f"Openness profile over the MOF components (scope: {an.scope}); "
                     "row label: [evidence status, openness score]", fontsize=10)
        ax.legend(handles=[Patch(color=cmap(k), label=lab) for k, lab in enumerate(
            ["no record / unknown", "withheld", "partly released", "released, licence not open for the type",
             "released under an open licence"])], loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
        _footer(fig, an.scope_note + " Component class in brackets (III, II, I).")
        return _save(fig, out, "openness_heatmap")


def concentration_bars(an, out: Path) -> list[Path]:
    """Models per organisation and per country, open-weight and closed stacked."""
    sh = an.tables["analysis_concentration_shares"]
    with plt.rc_context(RC):
        fig, axes = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [2, 1]})
        for ax, by in zip(axes, ("organisation", "country")):
            sub = sh[sh["grouped_by"] == by]
            allc = sub[sub["model_group"] == "all"].set_index("holder")
            names = list(allc.index)[:TOP_HOLDERS]          # shares are sorted, largest first
            others = list(allc.index)[TOP_HOLDERS:]
            labels = [allc.loc[n, "name"] for n in names] if by == "organisation" else list(names)
            if others:
                labels.append(f"{len(others)} others")
            bottom = np.zeros(len(labels))
            for grp, colour in (("open_weight", "#1b7837"), ("closed", "#b2182b")):
                g = sub[sub["model_group"] == grp].set_index("holder")["models"]
                vals = [g.get(n, 0.0) for n in names] + ([sum(g.get(n, 0.0) for n in others)] if others else [])
                vals = np.array(vals)
                ax.bar(range(len(labels)), vals, bottom=bottom, color=colour, label=grp.replace("_", "-"))
                bottom += vals
            totals = list(allc["models"].iloc[:TOP_HOLDERS]) + ([allc["models"].iloc[TOP_HOLDERS:].sum()]
                                                                 if others else [])
            rest = np.array(totals) - bottom
            if rest.sum() > 1e-9:
                ax.bar(range(len(labels)), rest, bottom=bottom, color="#bbbbbb", label="status unknown")
            names = labels
            ax.set_xticks(range(len(names)))
            ax.set_xticklabels(names, rotation=60, ha="right")
            ax.set_ylabel("models")
            conc = an.tables["analysis_concentration"].set_index(["model_group", "grouped_by"])
            ax.set_title("by " + by + " (HHI all {:.0f}, open-weight {:.0f}, closed {:.0f})".format(
                *(conc.loc[(g, by), "hhi"] for g in ("all", "open_weight", "closed"))), fontsize=9)
            ax.legend(fontsize=8)
        roll = "parent organisations rolled up" if an.parents else "no roll-up of parent organisations"
        fig.suptitle(f"Models by developer and country (scope: {an.scope}; {roll})")
        _footer(fig, an.scope_note)
        return _save(fig, out, "concentration_bars")


def lorenz(an, out: Path) -> list[Path]:
    """Lorenz curves of models across organisations for all, open-weight and closed models."""
    conc = an.tables["analysis_concentration"].set_index(["model_group", "grouped_by"])
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(6, 6))
        ax.plot([0, 1], [0, 1], color="#888", linestyle="--", label="equal shares")
        for grp, colour in (("all", "#333333"), ("open_weight", "#1b7837"), ("closed", "#b2182b")):
            counts = an.facts["counts_by"][(grp, "organisation")]
            if not counts:
                continue
            xs, ys = metrics.lorenz_curve(counts)
            ax.plot(xs, ys, marker="o", color=colour,
                    label=f"{grp.replace('_', '-')}: Gini {conc.loc[(grp, 'organisation'), 'gini']:.4f}, "
                          f"{len(counts)} organisations")
        ax.set_xlabel("cumulative share of organisations (fewest models first)")
        ax.set_ylabel("cumulative share of models")
        ax.set_title(f"Lorenz curves of models across organisations (scope: {an.scope})", fontsize=10)
        ax.legend(fontsize=8, loc="upper left")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        _footer(fig, an.scope_note)
        return _save(fig, out, "lorenz")


def _component_layout(G) -> dict:
    """Positions: each connected component laid out on its own (Kamada-Kawai, deterministic), the
    largest on the left, the others in a grid on the right (two columns, more when there are
    many components)."""
    comps = sorted((sorted(c) for c in nx.connected_components(G)), key=lambda c: (-len(c), c[0]))
    pos = {}
    ncols = 2 if len(comps) <= 9 else int(np.ceil(np.sqrt(len(comps) - 1)))
    for i, nodes in enumerate(comps):
        # a plain copy in sorted order: networkx subgraph views iterate a set (hash-seed order)
        sub = nx.Graph()
        sub.add_nodes_from(nodes)
        sub.add_edges_from(sorted(tuple(sorted(e)) for e in G.subgraph(nodes).edges()))
        if len(nodes) == 1:
            local = {nodes[0]: np.zeros(2)}
        else:
            local = nx.kamada_kawai_layout(sub)
        if i == 0:
            centre, scale = np.array([0.0, 0.0]), 1.6
        else:
            row, col = divmod(i - 1, ncols)
            centre = np.array([2.45 + 1.05 * col, 1.45 - 0.98 * row])
            scale = float(np.clip(0.42 * np.sqrt(len(nodes) / 10), 0.18, 0.42))
        for n in nodes:
            pos[n] = centre + scale * np.asarray(local[n])
    return pos


def network_figure(an, out: Path) -> list[Path]:
    """The organisation-model-licence-channel network; organisations coloured by country."""
    G = an.network
    pos = _component_layout(G)
    countries = sorted({a["country"] for _, a in G.nodes(data=True) if a["type"] == "Organisation"})
    palette = plt.get_cmap("tab10")
    known = [c for c in countries if c != "unknown"]
    colour = {c: palette(i % 10) for i, c in enumerate(known)}
    colour["unknown"] = "#d9d9d9"
    aps = set(an.tables["analysis_network_centrality"].query("articulation_point")["node"])
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(16, 12))
        nx.draw_networkx_edges(G, pos, ax=ax, edge_color="#bbbbbb", width=0.8)
        shapes = {"Model": ("o", 90), "Licence": ("s", 70), "Channel": ("^", 110), "Organisation": ("o", 420)}
        for typ, (marker, size) in shapes.items():
            nodes = sorted(n for n, a in G.nodes(data=True) if a["type"] == typ)
            if typ == "Organisation":
                cols = [colour[G.nodes[n]["country"]] for n in nodes]
            else:
                cols = {"Model": "#f0f0f0", "Licence": "#fee08b", "Channel": "#9ecae1"}[typ]
            nx.draw_networkx_nodes(G, pos, nodelist=nodes, node_shape=marker, node_size=size, node_color=cols,
                                   edgecolors=["black" if n in aps else "#777" for n in nodes],
                                   linewidths=[2.0 if n in aps else 0.6 for n in nodes], ax=ax)
        show = {n: a["label"] for n, a in G.nodes(data=True)
                if G.number_of_nodes() <= MAX_LABELLED_NODES or a["type"] in ("Organisation", "Channel")}
        nx.draw_networkx_labels(G, pos, labels=show, font_size=7, ax=ax)
        handles = [Patch(color=colour[c], label=f"organisation in {c}") for c in countries]
        handles += [Patch(color="#f0f0f0", label="model (circle)"), Patch(color="#fee08b", label="licence (square)"),
                    Patch(color="#9ecae1", label="access channel (triangle)")]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
                  title="thick black outline:\narticulation point", title_fontsize=8)
        ax.set_title(f"Organisation-model-licence-channel network (scope: {an.scope})")
        ax.axis("off")
        _footer(fig, an.scope_note)
        return _save(fig, out, "network")


def claims_matrix(an, out: Path) -> list[Path]:
    """Dimensions x sources: net stance ((favours open - favours closed) / claims), with counts."""
    mt = an.tables["analysis_claims_matrix"]
    dims = sorted(mt["dimension"].unique())
    srcs = sorted(mt["source"].unique())
    net = np.full((len(dims), len(srcs)), np.nan)
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(2.2 + 1.6 * len(srcs), 1.5 + 0.42 * len(dims)))
        for r in mt.itertuples(index=False):
            i, j = dims.index(r.dimension), srcs.index(r.source)
            net[i, j] = (r.favours_open - r.favours_closed) / r.total
            ax.text(j, i, f"{r.favours_open}/{r.favours_closed}/{r.mixed}/{r.neutral}", ha="center", va="center",
                    fontsize=7, color="white" if abs(net[i, j]) > 0.6 else "black")
        im = ax.imshow(np.ma.masked_invalid(net), cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
        ax.set_xticks(range(len(srcs)))
        ax.set_xticklabels(srcs, rotation=30, ha="right")
        ax.set_yticks(range(len(dims)))
        ax.set_yticklabels([d.replace("_", " ") for d in dims])
        fig.colorbar(im, ax=ax, label="net stance: +1 all favour open, -1 all favour closed")
        ax.set_title(f"Who says what: claims per dimension and source (scope: {an.scope})\n"
                     "cell text: favours open / favours closed / mixed / neutral", fontsize=10)
        _footer(fig, f"Claims of {len(srcs)} source(s): {', '.join(srcs)}. A claim naming several dimensions is "
                     "counted once in each. The sources are explainers chosen for this dataset, not a sample of "
                     "opinion; a blank cell means the source says nothing on that dimension.")
        return _save(fig, out, "claims_matrix")


def draw_compute(conc, runs, out: Path, note: str, name: str = "compute_concentration") -> list[Path]:
    """Two panels from plain tables (``conc``: rows of ``analysis_compute_concentration``,
    ``runs``: ``analysis_largest_training_runs``): left, the largest open-weight and closed
    training run per year (FLOP, log scale); right, the cumulative HHI by organisation on
    training compute and on model counts, per group. Writes ``<name>.png`` and ``.svg``."""
    with plt.rc_context(RC):
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 5))
        for col, colour, label in (("largest_open_flop", "#1b7837", "largest open-weight run"),
                                   ("largest_closed_flop", "#b2182b", "largest closed run")):
            pts = runs[runs[col].notna()]
            a1.plot(pts["year"], pts[col], marker="o", color=colour, label=label)
        a1.set_yscale("log")
        a1.set_xlabel("year of release")
        a1.set_ylabel("training compute (FLOP, log scale)")
        a1.set_title("Largest training run per year, open vs closed", fontsize=10)
        if not len(runs):
            a1.text(0.5, 0.5, "no model with a training-compute estimate", ha="center", transform=a1.transAxes)
        if a1.get_lines():
            a1.legend(fontsize=8)
        cum = conc[(conc["grouped_by"] == "organisation") & (conc["period"] == "cumulative")]
        for grp, colour in (("all", "#333333"), ("open_weight", "#1b7837"), ("closed", "#b2182b")):
            g = cum[cum["model_group"] == grp].sort_values("year")
            if not len(g):
                continue
            a2.plot(g["year"], g["hhi"], color=colour, label=f"{grp.replace('_', '-')}: on compute")
            a2.plot(g["year"], g["hhi_models"], color=colour, linestyle="--", label=f"{grp.replace('_', '-')}: on model counts")
        a2.axhline(1800, color="#888", linewidth=0.8, linestyle=":")
        a2.set_ylim(0, 10000)
        a2.set_xlabel("year (models released up to and including it)")
        a2.set_ylabel("HHI across organisations (0-10,000)")
        a2.set_title("Cumulative concentration: compute vs model counts", fontsize=10)
        if len(cum):
            a2.legend(fontsize=7)
        _footer(fig, note)
        return _save(fig, out, name)


def compute_concentration(an, out: Path) -> list[Path]:
    """:func:`draw_compute` on the analysis' compute tables."""
    return draw_compute(an.tables["analysis_compute_concentration"], an.tables["analysis_largest_training_runs"],
                        out, COMPUTE_NOTE)


COMPUTE_NOTE = ("Models with a training-compute estimate (Epoch AI's notable systems and the frontier models and "
                "base models imported with them), whatever the scope; open or closed by the evidence-based status. "
                "Epoch counts a system as notable by citations, state-of-the-art results, historical significance, "
                "use or training cost, so small and recent systems are under-counted.")

FIGURES = {"openness_heatmap": openness_heatmap, "concentration_bars": concentration_bars, "lorenz": lorenz,
           "network": network_figure, "claims_matrix": claims_matrix, "compute_concentration": compute_concentration}


def write_figures(an, out: Path) -> list[Path]:
    """Write every figure of ``FIGURES`` as ``<name>.png`` and ``<name>.svg`` into ``out``."""
    paths = []
    for fn in FIGURES.values():
        paths += fn(an, out)
    return paths
