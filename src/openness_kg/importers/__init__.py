"""Importers of the public openness indexes: ``osai`` (European Open Source AI Index), ``mof``
(Model Openness Framework tool) and ``fmti`` (Foundation Model Transparency Index).

``run_import(name, path)`` reads the dataset's published files, maps them onto our records with
the crosswalk (``data/crosswalk.yaml``) and replaces ``data/imported/<dataset id>/`` (one YAML
file per record list plus ``import-report.txt``), canonical and sorted so that a re-import shows
a readable diff. Returns the :class:`~openness_kg.importers.common.ImportReport`.
"""
from __future__ import annotations

from pathlib import Path

from .. import paths
from .common import Crosswalk, ImportFailed, ImportReport, load_spdx, write_dataset

DATASETS = {"osai": "osai-index", "mof": "mof", "fmti": "fmti"}
"""CLI name -> dataset (Source) id, which is also the folder under data/imported/."""


def run_import(name: str, path: Path, data_dir: Path = paths.DATA_DIR, write: bool = True,
               spdx_list: Path | None = None) -> tuple[ImportReport, dict[str, str]]:
    """Import dataset ``name`` (``osai``, ``mof`` or ``fmti``) from ``path``.

    ``spdx_list`` is the SPDX licence list used to resolve licence strings (default: the MOF
    tool's ``licenses.json``: ``<path>/licenses.json`` for mof, ``<path>/../mof/licenses.json``
    for osai if present; without it, OSAI licence strings resolve through the crosswalk and our
    licences' SPDX ids only).
    Writes ``<data_dir>/imported/<dataset>/`` unless ``write`` is false. Returns
    ``(report, {file name: text})``. Raises :class:`ImportFailed` (nothing written) when the
    input folder or the crosswalk cannot be read.
    """
    from .fmti import import_fmti
    from .mof import import_mof
    from .osai import import_osai

    if name not in DATASETS:
        raise ImportFailed(f"unknown dataset {name!r} (one of {', '.join(DATASETS)})")
    path = Path(path)
    cw = Crosswalk.load(data_dir)
    if name == "osai":
        spdx_path = spdx_list or path.parent / "mof" / "licenses.json"
        spdx = load_spdx(spdx_path) if spdx_path.is_file() else ({}, {})
        files, report = import_osai(path, cw, spdx)
    elif name == "mof":
        files, report = import_mof(path, cw, spdx_list)
    else:
        files, report = import_fmti(path, cw)
    files["import-report.txt"] = report.text()
    if write:
        write_dataset(DATASETS[name], files, data_dir / "imported")
    return report, files


__all__ = ["DATASETS", "ImportFailed", "ImportReport", "run_import"]
