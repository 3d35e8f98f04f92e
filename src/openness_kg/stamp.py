"""The build stamp, ``<build>/build-info.json``: what a build was made from, and whether it is
still current.

The build writes it last; the readers (:mod:`openness_kg.read`) read it to tell a finished build
from a missing, partial or stale one without opening the data. Shape::

    {"version": "0.1.0", "data_dir": "/abs/path/data", "inputs": {"files": 30,
     "newest_mtime": 1764450000.0, "paths": ["/abs/path/data/models.yaml", ...],
     "folders": {"/abs/path/data": 1764450000123456789, ...}}, "records": 8008,
     "quads": 149050, "stages": [{"stage": "ingest", "label": "...", "wall_s": 1.2,
     "cpu_s": 1.1}, ...]}

A build is stale when its data folder now holds a different number of YAML files or one newer
than the newest the build read (schema changes count too: ``schema/generated/``). The check
reads the stamp and stats the files and folders it lists (``paths``: the input files;
``folders``: every folder that could hold one, with its modification time in ns, which changes
when an entry is added, removed or renamed); only when a folder changed does it walk the data
folder to tell a new input file from, say, an import's hidden leftovers.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import paths

BUILD_INFO = "build-info.json"


def input_files(data_dir: Path) -> list[Path]:
    """The files a build reads: the record files (:func:`openness_kg.paths.data_files`) and the
    generated schema files."""
    return paths.data_files(data_dir) + sorted(paths.GENERATED_DIR.glob("*"))


def inputs_state(data_dir: Path) -> dict[str, Any]:
    """``{"files": n, "newest_mtime": seconds since the epoch, "paths": [...], "folders":
    {folder: mtime_ns}}`` of :func:`input_files` (absolute paths, sorted) and of the folders
    that could hold one (``data_dir`` and its subfolders but hidden ones, and
    ``schema/generated/``)."""
    data_dir = Path(data_dir).resolve()
    files = input_files(data_dir)
    folders = [paths.GENERATED_DIR]
    for top, dirs, _ in os.walk(data_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        folders.append(Path(top))
    return {"files": len(files), "newest_mtime": max((p.stat().st_mtime for p in files), default=0.0),
            "paths": [str(p) for p in files],
            "folders": {str(f): f.stat().st_mtime_ns for f in sorted(folders) if f.is_dir()}}


def _unchanged(then: dict[str, Any]) -> bool:
    """True when the files and folders listed in a stamp's ``inputs`` are all still there,
    no file is newer than ``newest_mtime`` and no folder's entries changed; stats only, no
    walk. False also for a stamp without the lists (an older build)."""
    listed, folders = then.get("paths"), then.get("folders")
    if listed is None or folders is None:
        return False
    newest = then.get("newest_mtime", 0)
    try:
        return all(os.stat(f).st_mtime_ns == ns for f, ns in folders.items()) and \
            all(os.stat(p).st_mtime <= newest for p in listed)
    except OSError:
        return False


def read_info(build_dir: Path) -> dict[str, Any] | None:
    """The stamp of ``build_dir``, or ``None`` when there is none (or it is unreadable)."""
    try:
        return json.loads((Path(build_dir) / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stale_reason(info: dict[str, Any]) -> str | None:
    """Why the build described by ``info`` no longer matches its data folder, or ``None``."""
    data_dir = Path(info.get("data_dir", ""))
    if not data_dir.is_dir():
        return None  # built from a folder that is gone (a test's copy): nothing to compare
    then = info.get("inputs", {})
    if _unchanged(then):
        return None
    files = input_files(data_dir)
    now = {"files": len(files), "newest_mtime": max((p.stat().st_mtime for p in files), default=0.0)}
    if now["files"] != then.get("files"):
        return f"{data_dir} now holds {now['files']} input files, the build read {then.get('files')}"
    if now["newest_mtime"] > then.get("newest_mtime", 0):
        return f"a file under {data_dir} or schema/generated/ changed after the build"
    return None
