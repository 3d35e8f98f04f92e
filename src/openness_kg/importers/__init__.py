"""Importers of the public openness indexes: ``osai`` (European Open Source AI Index), ``mof``
(Model Openness Framework tool) and ``fmti`` (Foundation Model Transparency Index).

``run_import(name, path)`` reads the dataset's published files, maps them onto our records with
the crosswalk (``data/crosswalk.yaml``) and replaces ``data/imported/<dataset id>/`` (one YAML
file per record list plus ``import-report.txt``), canonical and sorted so that a re-import shows
a readable diff. Returns the :class:`~openness_kg.importers.common.ImportReport`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import paths
from .common import Crosswalk, ImportFailed, ImportReport, load_spdx, write_dataset

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


REGISTRY: dict[str, Importer] = {i.name: i for i in (
    Importer("osai", "osai-index", _osai),   # European Open Source AI Index (importers/osai.py)
    Importer("mof", "mof", _mof),            # Model Openness Framework tool (importers/mof.py)
    Importer("fmti", "fmti", _fmti),         # Foundation Model Transparency Index (importers/fmti.py)
)}
"""The importers by CLI name; a new dataset is one module and one entry here."""

DATASETS = {name: imp.dataset for name, imp in REGISTRY.items()}
"""CLI name -> dataset (Source) id, which is also the folder under data/imported/."""


def run_import(name: str, path: Path, data_dir: Path = paths.DATA_DIR, write: bool = True,
               spdx_list: Path | None = None) -> tuple[ImportReport, dict[str, str]]:
    """Import dataset ``name`` (a key of :data:`REGISTRY`: ``osai``, ``mof`` or ``fmti``) from
    ``path``.

    ``spdx_list`` is the SPDX licence list used to resolve licence strings (default: the MOF
    tool's ``licenses.json``: ``<path>/licenses.json`` for mof, ``<path>/../mof/licenses.json``
    for osai if present; without it, OSAI licence strings resolve through the crosswalk and our
    licences' SPDX ids only).
    Writes ``<data_dir>/imported/<dataset>/`` unless ``write`` is false. Returns
    ``(report, {file name: text})``. Raises :class:`ImportFailed` (nothing written) when the
    dataset is unknown or the input folder or the crosswalk cannot be read.
    """
    if name not in REGISTRY:
        raise ImportFailed(f"unknown dataset {name!r} (one of {', '.join(REGISTRY)})")
    imp = REGISTRY[name]
    path = Path(path)
    files, report = imp.run(path, Crosswalk.load(data_dir), spdx_list)
    files["import-report.txt"] = report.text()
    if write:
        write_dataset(imp.dataset, files, data_dir / "imported")
    return report, files


__all__ = ["DATASETS", "REGISTRY", "Importer", "ImportFailed", "ImportReport", "run_import"]
