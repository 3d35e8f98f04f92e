"""The pipeline: curated records -> validated records -> RDF dataset -> SHACL -> dumps in build/."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from rdflib import Dataset

from . import paths
from .dumps import DUMP_FILES, write_dumps
from .rdf import build_dataset
from .records import Catalogue, load_records
from .shacl import Violation, union_graph, validate_graph


# The build's analyses cover the models the five source documents name, with the evidence of
# every graph (imported indexes included); `openness-kg analyze --scope all` covers every model.
ANALYSIS_SCOPE = "seeds"


class ShaclFailed(Exception):
    """The built graph violates the SHACL shapes; ``violations`` lists every result."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(f"SHACL validation failed with {len(violations)} result(s):\n"
                         + "\n".join(str(v) for v in violations))


@contextmanager
def step(label: str, quiet: bool = False) -> Iterator[None]:
    """Print ``label`` to stderr, run the block, then the time it took."""
    t0 = time.perf_counter()
    if not quiet:
        print(f"  {label} ...", end="", file=sys.stderr, flush=True)
    try:
        yield
    except BaseException:
        if not quiet:
            print(" failed", file=sys.stderr, flush=True)
        raise
    if not quiet:
        print(f" done ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)


@dataclass
class BuildResult:
    catalogue: Catalogue
    dataset: Dataset
    files: dict[str, Path]


def build_graph(data_dir: Path = paths.DATA_DIR, quiet: bool = False) -> tuple[Catalogue, Dataset]:
    """Validate the curated records, build the dataset and check it with SHACL (nothing written).

    Raises ``records.ValidationFailed`` or :class:`ShaclFailed`.
    """
    with step("validating curated records", quiet):
        cat = load_records(data_dir)
    with step(f"building the RDF dataset from {len(cat)} records", quiet):
        ds = build_dataset(cat)
    with step("SHACL validation (pySHACL)", quiet):
        violations = validate_graph(union_graph(ds))
    if violations:
        raise ShaclFailed(violations)
    return cat, ds


def build(out_dir: Path = paths.BUILD_DIR, data_dir: Path = paths.DATA_DIR, quiet: bool = False) -> BuildResult:
    """Run the whole pipeline and write the dumps, the SQLite database and the analyses into
    ``out_dir``.

    Steps: validate the records, build the RDF dataset, run the analyses (scope ``seeds``: the models the source documents name, with the evidence of every graph) and add
    their triples as the named graph ``.../graph/derived``, check everything with SHACL, write
    the dumps, the SQLite database (with the ``analysis_*`` tables) and ``analysis/`` (CSV,
    figures, report.md). Everything is written to a temporary folder beside ``out_dir`` and
    moved into place only after every step succeeds, so a failed build leaves the last good
    build. Returns the catalogue, the dataset and ``{format: path}`` of the files written
    (formats: ``trig``, ``nquads``, ``turtle``, ``jsonld``, ``sqlite``, ``analysis``).
    Raises ``records.ValidationFailed`` or :class:`ShaclFailed`.
    """
    from .sqlite import DB_FILE, write_sqlite

    cat, ds, an = build_analysed_graph(data_dir, quiet)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir.parent))
    try:
        with step("writing TriG, N-Quads, Turtle and JSON-LD dumps", quiet):
            written = write_dumps(ds, tmp)
        with step(f"writing the SQLite database ({DB_FILE}, {len(an.tables)} analysis tables)", quiet):
            written["sqlite"] = write_sqlite(cat, ds, tmp / DB_FILE, extra_tables=an.tables)
        with step("writing analysis tables, figures and report.md", quiet):
            an.write(tmp / "analysis")
            written["analysis"] = tmp / "analysis"
        files = {}
        for fmt, p in written.items():
            target = out_dir / p.name
            if p.is_dir():
                old = out_dir / f".{p.name}-old"
                shutil.rmtree(old, ignore_errors=True)
                if target.exists():
                    os.replace(target, old)
                os.replace(p, target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(p, target)
            files[fmt] = target
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildResult(cat, ds, files)


def build_analysed_graph(data_dir: Path = paths.DATA_DIR, quiet: bool = False):
    """:func:`build_graph` plus the analyses: returns ``(catalogue, dataset, analysis)`` where the
    dataset holds the derived named graph and passed SHACL. Raises what :func:`build_graph` raises."""
    from .analysis import DERIVED_GRAPH, run

    with step("validating curated records", quiet):
        cat = load_records(data_dir)
    with step(f"building the RDF dataset from {len(cat)} records", quiet):
        ds = build_dataset(cat)
    with step("running the analyses (openness, labels, claims, concentration)", quiet):
        an = run(ds, scope=ANALYSIS_SCOPE)
        add_derived_graph(ds, an.graph, DERIVED_GRAPH)
    with step("SHACL validation (pySHACL)", quiet):
        violations = validate_graph(union_graph(ds))
    if violations:
        raise ShaclFailed(violations)
    return cat, ds, an


def add_derived_graph(ds: Dataset, derived, graph_iri) -> None:
    """Add the analyses' triples to ``ds`` as the named graph ``graph_iri`` and list that graph
    in the dataset description (``void:subset`` of the dataset, in the ``dataset`` graph)."""
    from rdflib import Literal, RDF, RDFS, URIRef

    from .namespaces import DATASET_GRAPH, VOID
    from .rdf import DATASET_IRI

    g = ds.graph(graph_iri)
    g += derived
    desc = ds.graph(DATASET_GRAPH)
    sub = URIRef(str(graph_iri))
    desc.add((DATASET_IRI, VOID.subset, sub))
    desc.add((sub, RDF.type, VOID.Dataset))
    desc.add((sub, RDFS.label, Literal(str(graph_iri).rsplit("graph/", 1)[-1])))


def is_stale(out_dir: Path = paths.BUILD_DIR) -> bool:
    """True when a dump or the SQLite database is missing or older than a curated, schema or
    code file."""
    from .sqlite import DB_FILE

    outputs = [Path(out_dir) / name for name in [*DUMP_FILES.values(), DB_FILE]]
    if not all(p.exists() for p in outputs):
        return True
    built = min(p.stat().st_mtime for p in outputs)
    inputs = list(paths.DATA_DIR.rglob("*.yaml")) + list(paths.GENERATED_DIR.glob("*")) + list(paths.PACKAGE_DIR.rglob("*.py"))
    return any(p.stat().st_mtime > built for p in inputs)


def ensure_built(out_dir: Path | None = None, rebuild: bool = False) -> Path:
    """Path of the N-Quads dump in ``out_dir`` (default ``build/``), building it first (quietly,
    from ``data/``) when it is missing or ``rebuild`` is true, and, for the default ``build/``
    only, when it is stale (see :func:`is_stale`). Another folder may hold a build of other data
    (a test's curated-only build, say), so it is never rebuilt from ``data/`` behind the caller's
    back. Raises what :func:`build` raises."""
    out = Path(out_dir) if out_dir else paths.BUILD_DIR
    missing = not (out / DUMP_FILES["nquads"]).exists()
    default = out.resolve() == paths.BUILD_DIR.resolve()
    if rebuild or missing or (default and is_stale(out)):
        build(out, quiet=True)
    return out / DUMP_FILES["nquads"]
