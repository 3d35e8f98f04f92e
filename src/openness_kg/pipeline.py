"""The build pipeline, the one place that says in which order the stages run::

    data/*.yaml --ingest--> Catalogue --graph--> KnowledgeGraph --check--> checked graph
        --analyse--> checked graph + derived graph --publish--> build/ (dumps, SQLite, analysis/)

Each stage is a function of the stage before it only (:mod:`openness_kg.ingest`,
:mod:`openness_kg.graph`, :mod:`openness_kg.check`, :mod:`openness_kg.analyse`,
:mod:`openness_kg.publish`); no stage module imports a later one. The readers
(:mod:`openness_kg.read`) only read a finished build and never run this module.
"""
from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import paths
from .check import check, check_derived
from .files import atomic_dir, remove_leftovers
from .graph import KnowledgeGraph, build_graph
from .graph.ontology import derived_graph_description, graph_statistics
from .ingest import Catalogue, load_records
from .namespaces import DATASET_GRAPH
from .progress import Timings
from .stamp import BUILD_INFO, inputs_state

# The build's analyses cover the models the five source documents name, with the evidence of
# every graph (imported indexes included); `openness-kg analyze --scope all` covers every model.
ANALYSIS_SCOPE = "seeds"


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Run the block with the cyclic garbage collector's thresholds raised (50,000 / 20 / 100
    instead of Python's 700 / 10 / 10, restored after). The stages allocate millions of small,
    acyclic objects (parsed YAML, terms, rows); with the default thresholds the collector scans
    the growing heap again and again: measured, half of the ingest stage's CPU time at the
    benchmark's 10x scale-up and 12% of the build at 1x, with the same peak memory."""
    old = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)


class NotABuildFolder(Exception):
    """``--out`` names a folder that holds files but no previous build; it is never replaced."""


@dataclass
class BuildResult:
    """What :func:`build` made: the catalogue, the published graph (checked, with the derived
    graph), the analysis, ``{format: path}`` of the files written and the stage timings."""

    catalogue: Catalogue
    graph: KnowledgeGraph
    analysis: object
    files: dict[str, Path]
    stages: list[dict]


def checked_graph(data_dir: Path = paths.DATA_DIR, quiet: bool = False, shacl: bool = True,
                  timings: Timings | None = None) -> tuple[Catalogue, KnowledgeGraph]:
    """Stages ingest, graph and check: the validated catalogue of ``data_dir`` and its checked
    knowledge graph (nothing written). The source texts are verified (hash, length, spans) when
    their folder exists (``$OPENNESS_KG_SOURCES``, default ``../shared/seeds``). Raises
    ``ingest.ValidationFailed`` or ``check.CheckFailed``."""
    t = timings or Timings(quiet)
    with bulk_allocation():
        with t.step("ingest", "reading and validating the records"):
            cat = load_records(data_dir, sources_dir=paths.sources_dir())
        with t.step("graph", f"building the knowledge graph from {len(cat)} records"):
            kg = build_graph(cat)
        with t.step("check", "checking the graph (SHACL shapes, violation queries)"):
            check(kg, shacl=shacl)
    return cat, kg


def analysed_graph(kg: KnowledgeGraph, scope: str = ANALYSIS_SCOPE, timings: Timings | None = None):
    """Stage analyse: run the analyses on the checked graph and add their derived named graph
    (listed in the dataset description), then the VoID statistics of every named graph
    (:func:`.graph.ontology.graph_statistics`, in the ``dataset`` graph). Returns
    ``(graph with derived graph, analysis)``.
    Raises :class:`check.CheckFailed` when the derived graph breaks a SHACL shape."""
    from .analyse import DERIVED_GRAPH, run

    t = timings or Timings(True)
    with t.step("analyse", "running the analyses (openness, labels, claims, concentration)"):
        an = run(kg, scope=scope)
        derived = an.derived_quads()
    with t.step("check", "checking the derived graph (SHACL shapes)"):
        check_derived(kg, derived)
    out = kg.with_graph(str(DERIVED_GRAPH), derived)
    out = out.with_graph(str(DATASET_GRAPH), derived_graph_description(str(DERIVED_GRAPH)))
    out = out.with_graph(str(DATASET_GRAPH), graph_statistics(out.quads))
    return out, an


def build(out_dir: Path = paths.BUILD_DIR, data_dir: Path = paths.DATA_DIR, quiet: bool = False) -> BuildResult:
    """Run every stage and write the build into ``out_dir``: the four dumps, the SQLite
    database (with the ``analysis_*`` tables), ``analysis/`` (CSV, figures, report.md), the
    on-disk Oxigraph store ``openness-kg.oxigraph/`` (what ``openness-kg query`` opens) and
    ``build-info.json`` (the stamp the readers check; stage timings included).

    Everything is written to a temporary folder beside ``out_dir``, which replaces ``out_dir``
    in one atomic exchange only after every stage succeeded, so a failed or killed build leaves
    the last good build; the next build removes what a killed one left beside it. Raises
    ``ingest.ValidationFailed``, ``check.CheckFailed``, or :class:`NotABuildFolder` when
    ``out_dir`` holds files but no previous build (no ``build-info.json`` or N-Quads dump): it
    is never replaced then.
    """
    from .publish import publish

    out_dir = Path(out_dir)
    if (out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / BUILD_INFO).exists()
            and not (out_dir / "openness-kg.nq").exists()):  # a build of an earlier version has no stamp
        raise NotABuildFolder(f"{out_dir} holds files but no build: not replacing it "
                              "(choose an empty or new folder for --out)")
    remove_leftovers(out_dir)  # hidden temporary folders of a killed build
    data_dir = Path(data_dir)
    state = inputs_state(data_dir)  # before reading: a change during the build makes it stale
    t = Timings(quiet)
    with bulk_allocation(), atomic_dir(out_dir) as tmp:
        cat, kg = checked_graph(data_dir, timings=t)
        kg, an = analysed_graph(kg, timings=t)
        files = publish(kg, an, tmp, timings=t)
        with t.step("publish-store", "writing the Oxigraph store the readers open"):
            files["oxigraph"] = kg.write_store(tmp / paths.STORE_DIR)
        info = {"version": paths.version(), "data_dir": str(data_dir.resolve()), "inputs": state,
                "records": len(cat), "quads": len(kg), "stages": t.stages}
        (tmp / BUILD_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    files = {fmt: out_dir / p.name for fmt, p in files.items()}
    return BuildResult(cat, kg, an, files, t.stages)
