"""Importers of the public openness indexes: ``osai`` (European Open Source AI Index), ``mof``
(Model Openness Framework tool), ``fmti`` (Foundation Model Transparency Index) and ``epoch``
(Epoch AI's database of ML systems: parameters, training compute, lineage, benchmarks).

``run_import(name, path)`` reads the dataset's published files, maps them onto our records with
the crosswalk (``data/crosswalk.yaml``) and replaces ``data/imported/<dataset id>/`` (one YAML
file per record list, ``import-report.txt`` and ``mappings.sssom.tsv``, the index entities
matched onto our records: :mod:`.mappings`), canonical and sorted so that a re-import shows a
readable diff. Returns ``(report, files)``: the
:class:`~openness_kg.importers.common.ImportReport` and ``{file name: text}`` of the files
written (or, with ``write=False``, that would be).

An import that yields no record, or fewer than half the records of the import it would replace,
is not written (:class:`ImportFailed`) unless ``allow_shrink`` is given: an emptied or broken
download must not silently wipe the committed import. The folder is replaced in one atomic
exchange: whenever the process stops, ``data/imported/<dataset>/`` is the whole old import or the
whole new one; hidden ``.<dataset>-*`` folders a killed run left beside it are removed at the
start of the next import.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import paths
from ..files import remove_leftovers
from .common import Crosswalk, ImportFailed, ImportReport, count_records, load_spdx, write_dataset
from .mappings import SSSOM_FILE, dataset_sssom

@dataclass(frozen=True)
class Importer:
    """One dataset's importer: the CLI ``name``, the ``dataset`` (Source) id, which is also the
    folder under ``data/imported/``, and ``run(path, crosswalk, spdx_list) -> ({file: text},
    report)``, the module's own function."""

    name: str
    dataset: str
    run: Callable[[Path, Crosswalk, Path | None], tuple[dict[str, str], ImportReport]]


def _osai(path: Path, cw: Crosswalk, spdx_list: Path | None):
    from .osai import import_osai

    spdx_path = spdx_list or path.parent / "mof" / "licenses.json"
    return import_osai(path, cw, load_spdx(spdx_path) if spdx_path.is_file() else ({}, {}))


def _mof(path: Path, cw: Crosswalk, spdx_list: Path | None):
    from .mof import import_mof

    return import_mof(path, cw, spdx_list)


def _fmti(path: Path, cw: Crosswalk, spdx_list: Path | None):
    from .fmti import import_fmti

    return import_fmti(path, cw)


def _epoch(path: Path, cw: Crosswalk, spdx_list: Path | None):
    from .epoch import import_epoch

    return import_epoch(path, cw)


REGISTRY: dict[str, Importer] = {i.name: i for i in (
    Importer("osai", "osai-index", _osai),   # European Open Source AI Index (importers/osai.py)
    Importer("mof", "mof", _mof),            # Model Openness Framework tool (importers/mof.py)
    Importer("fmti", "fmti", _fmti),         # Foundation Model Transparency Index (importers/fmti.py)
    Importer("epoch", "epoch", _epoch),      # Epoch AI's ML systems and benchmarks (importers/epoch.py)
)}
"""The importers by CLI name; a new dataset is one module and one entry here."""

DATASETS = {name: imp.dataset for name, imp in REGISTRY.items()}
"""CLI name -> dataset (Source) id, which is also the folder under data/imported/."""


def run_import(name: str, path: Path, data_dir: Path = paths.DATA_DIR, write: bool = True,
               spdx_list: Path | None = None, allow_shrink: bool = False) -> tuple[ImportReport, dict[str, str]]:
    """Import dataset ``name`` (a key of :data:`REGISTRY`: ``osai``, ``mof``, ``fmti`` or ``epoch``) from
    ``path``.

    ``spdx_list`` is the SPDX licence list used to resolve licence strings (default: the MOF
    tool's ``licenses.json``: ``<path>/licenses.json`` for mof, ``<path>/../mof/licenses.json``
    for osai if present; without it, OSAI licence strings resolve through the crosswalk and our
    licences' SPDX ids only).
    Writes ``<data_dir>/imported/<dataset>/`` unless ``write`` is false (first removing what a
    killed earlier import left beside it). Returns ``(report, {file name: text})``. Raises
    :class:`ImportFailed` (nothing written) when the dataset is unknown, the input folder, a file
    the whole import needs or the crosswalk cannot be read, or, unless ``allow_shrink``, when the
    import yields no record or fewer than half the records of the current
    ``<data_dir>/imported/<dataset>/`` (also when ``write`` is false: a dry run tells what the
    import would do); its ``report`` then holds the problems found.
    """
    if name not in REGISTRY:
        raise ImportFailed(f"unknown dataset {name!r} (one of {', '.join(REGISTRY)})")
    imp = REGISTRY[name]
    path = Path(path)
    out = data_dir / "imported" / imp.dataset
    with _exclusive(out) if write else contextlib.nullcontext():
        if write:
            remove_leftovers(out)
        cw = Crosswalk.load(data_dir)
        files, report = imp.run(path, cw, spdx_list)
        if not allow_shrink:
            _check_size(report, path, out)
        files["import-report.txt"] = report.text()
        files[SSSOM_FILE] = dataset_sssom(imp.dataset, cw.kept, cw.known.names)
        if write:
            write_dataset(imp.dataset, files, data_dir / "imported")
    return report, files


@contextlib.contextmanager
def _exclusive(out: Path):
    """Hold an exclusive ``flock`` on the data folder (``out``'s grandparent: no lock file is
    written; released when the process ends, even by ``kill -9``) for the whole import, so
    imports into one data folder run one at a time; raises :class:`ImportFailed` at once when
    another import holds it."""
    import fcntl
    import os

    data_dir = out.parent.parent
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ImportFailed(f"another import into {data_dir} is running; wait for it to finish") from None
        yield
    finally:
        os.close(fd)  # releases the lock


def _check_size(report: ImportReport, path: Path, out: Path) -> None:
    """Refuse (:class:`ImportFailed`) an import with no record, or with fewer than half the
    records of the import in ``out``."""
    new = sum(report.records.values())
    first = min(report.issues, key=lambda i: (i.skipped != "record", i.file, i.field or "", i.message),
                default=None)
    why = (f"{report.files_read} file(s) read, {report.skipped_records} record(s) skipped"
           + (f"; first: {str(first).rsplit(' [', 1)[0]}" if first else ""))
    if report.imported_units == 0 or new == 0:
        raise ImportFailed(f"no record imported from {path} ({why}); pass --allow-shrink to write "
                           f"an empty import", report)
    old = count_records(out)
    if 2 * new < old:
        raise ImportFailed(f"the import from {path} has {new} record(s), fewer than half the {old} of "
                           f"{out} ({why}); pass --allow-shrink to replace it", report)


__all__ = ["DATASETS", "REGISTRY", "Importer", "ImportFailed", "ImportReport", "run_import"]
