"""The build stamp, ``<build>/build-info.json``: what a build was made from, and whether it is
still current.

The build writes it last; the readers (:mod:`openness_kg.read`) read it to tell a finished build
from a missing, partial or stale one without opening the data. Shape::

    {"version": "0.1.0", "data_dir": "/abs/path/data", "inputs": {"files": 30,
     "newest_mtime": 1764450000.0}, "records": 8008, "quads": 149050,
     "stages": [{"stage": "ingest", "label": "...", "wall_s": 1.2, "cpu_s": 1.1}, ...]}

A build is stale when its data folder now holds a different number of YAML files or one newer
than the newest the build read (schema changes count too: ``schema/generated/``).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import paths

BUILD_INFO = "build-info.json"


def input_files(data_dir: Path) -> list[Path]:
    """The files a build reads: the record files (:func:`openness_kg.paths.data_files`) and the
    generated schema files."""
    return paths.data_files(data_dir) + sorted(paths.GENERATED_DIR.glob("*"))


def inputs_state(data_dir: Path) -> dict[str, Any]:
    """``{"files": n, "newest_mtime": seconds since the epoch}`` of :func:`input_files`."""
    files = input_files(data_dir)
    return {"files": len(files), "newest_mtime": max((p.stat().st_mtime for p in files), default=0.0)}


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
    now = inputs_state(data_dir)
    then = info.get("inputs", {})
    if now["files"] != then.get("files"):
        return f"{data_dir} now holds {now['files']} input files, the build read {then.get('files')}"
    if now["newest_mtime"] > then.get("newest_mtime", 0):
        return f"a file under {data_dir} or schema/generated/ changed after the build"
    return None
