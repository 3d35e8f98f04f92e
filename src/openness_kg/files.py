"""Writing files and folders so that a reader never sees half of one, and reading YAML errors.

Every stage that writes (the build, the exporters, the analyses' output, the importers) uses
these helpers: the new content is written under a temporary, hidden name beside its target
(``.<name>-<random>``) and moved into place with one ``os.replace``, so a failure or a kill
leaves either the old or the new content, never a mix.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_file(target: Path | str, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block succeeds the file written there
    replaces ``target`` in one rename, when it raises the temporary file is removed and
    ``target`` is left as it was.

    >>> with atomic_file("build/openness-kg.db", suffix=".db") as tmp:
    ...     write_database(tmp)
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}-", suffix=suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text_atomic(target: Path | str, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` through :func:`atomic_file`; returns ``target``."""
    with atomic_file(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


@contextmanager
def atomic_dir(target: Path | str) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``target``; when the block succeeds it replaces
    ``target`` (a folder, possibly absent): the old folder is renamed aside, the new one renamed
    into place, then the old one deleted. When the block raises, the temporary folder is removed
    and ``target`` is left as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        yield tmp
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def yaml_error_text(exc: Exception) -> str:
    """A one-line description of a PyYAML error: ``malformed YAML at line L, column C: what``."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"malformed YAML{where}: {problem}"
