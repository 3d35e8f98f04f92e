"""Writing files and folders so that a reader never sees half of one, and reading YAML errors.

Every stage that writes (the build, the exporters, the analyses' output, the importers) uses
these helpers: the new content is written under a temporary, hidden name beside its target
(``.<name>-<random>``) and moved into place with one ``os.replace``, so a failure or a kill
leaves either the old or the new content, never a mix. A folder replaces the old one with one
atomic exchange of the two (Linux ``renameat2(RENAME_EXCHANGE)``), where the system has it; a
kill can then only leave a hidden ``.<name>-<random>`` folder beside the target, which
:func:`remove_leftovers` clears.
"""
from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import sys
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


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV}


def exchange_paths(a: Path | str, b: Path | str) -> bool:
    """Swap two existing paths (files or folders) in one atomic rename: Linux's
    ``renameat2(..., RENAME_EXCHANGE)``. Returns False, having changed nothing, where the system,
    the C library or the file system cannot do it; raises :class:`OSError` on another failure."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc < 2.28, some musl)
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NO_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


@contextmanager
def atomic_dir(target: Path | str) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``target``; when the block succeeds it replaces
    ``target`` (a folder, possibly absent), and when the block raises the temporary folder is
    removed and ``target`` is left as it was.

    The replacement is one rename: an absent ``target`` is renamed into place; an existing one
    is exchanged with the new folder in one atomic step (:func:`exchange_paths`), after which the
    old content, now under the temporary name, is deleted. At every instant ``target`` is the
    whole old folder or the whole new one; a kill can leave the hidden temporary folder
    (``.<name>-<random>``), which :func:`remove_leftovers` removes. Where the exchange is not
    available, the old folder is first renamed aside (``.<name>-old-<random>/<name>``) and the new
    one renamed into place: a kill between the two renames leaves ``target`` absent and the old
    folder whole beside it, which :func:`remove_leftovers` moves back."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        yield tmp
        if not target.exists():
            os.replace(tmp, target)
        elif not exchange_paths(tmp, target):
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
            os.replace(target, old / target.name)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        # after an exchange tmp holds the old content: removed below
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def remove_leftovers(target: Path | str) -> list[Path]:
    """Clear what killed runs of :func:`atomic_dir` on ``target`` left beside it: the hidden
    temporary folders ``.<name>-<random>`` and ``.<name>-old-<random>``. When ``target`` is absent
    (a run killed between the two renames of the fallback swap), the newest old folder that holds
    it whole is moved back first. Returns the paths removed. Not for a target that another
    process is writing at the same time (its temporary folder would be removed)."""
    target = Path(target)
    if not target.parent.is_dir():
        return []
    pat = re.compile(rf"^\.{re.escape(target.name)}-(old-)?[a-z0-9_]{{8}}$")
    found = sorted((p for p in target.parent.iterdir() if pat.match(p.name)),
                   key=lambda p: p.lstat().st_mtime, reverse=True)
    if not target.exists():
        kept = next((p / target.name for p in found if p.name.startswith(f".{target.name}-old-")
                     and (p / target.name).is_dir()), None)
        if kept is not None:
            os.replace(kept, target)
    for p in found:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
    return found


def yaml_error_text(exc: Exception) -> str:
    """A one-line description of a PyYAML error: ``malformed YAML at line L, column C: what``."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"malformed YAML{where}: {problem}"
