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
    """Run the whole pipeline and write the dumps and the SQLite database into ``out_dir``.

    Everything is written to a temporary folder beside ``out_dir`` and moved into place only
    after validation, serialisation and export succeed, so a failed build leaves the last good
    build. Returns the catalogue, the dataset and ``{format: path}`` of the files written
    (formats: ``trig``, ``nquads``, ``turtle``, ``jsonld``, ``sqlite``).
    """
    from .sqlite import DB_FILE, write_sqlite

    cat, ds = build_graph(data_dir, quiet)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir.parent))
    try:
        with step("writing TriG, N-Quads, Turtle and JSON-LD dumps", quiet):
            written = write_dumps(ds, tmp)
        with step(f"writing the SQLite database ({DB_FILE})", quiet):
            written["sqlite"] = write_sqlite(cat, ds, tmp / DB_FILE)
        files = {}
        for fmt, p in written.items():
            target = out_dir / p.name
            os.replace(p, target)
            files[fmt] = target
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildResult(cat, ds, files)


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
    """Path of the N-Quads dump in ``out_dir`` (default ``build/``), building it first (quietly)
    when it is missing, stale (see :func:`is_stale`) or ``rebuild`` is true. Raises what
    :func:`build` raises."""
    out = Path(out_dir) if out_dir else paths.BUILD_DIR
    if rebuild or is_stale(out):
        build(out, quiet=True)
    return out / DUMP_FILES["nquads"]
