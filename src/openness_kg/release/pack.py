"""The release: a finished build packed as a citable, versioned folder and one archive.

``release(build_dir, dist_dir)`` reads a finished, current build (it never builds) and writes::

    dist/openness-kg-<version>/
        openness-kg.nq.gz  openness-kg.trig.gz  openness-kg.ttl.gz  openness-kg.jsonld.gz
        openness-kg.db                the SQLite database (Datasette)
        analysis/                     CSV tables, figures, report.md and report.html
        openness-kg.sssom.tsv         the index-to-project mappings (:mod:`openness_kg.importers.mappings`)
        croissant.json                Croissant 1.0 description of the CSV tables (:mod:`.descriptions`)
        dataset.ttl                   DCAT 3 + VoID description of the release (:mod:`.descriptions`)
        CHANGELOG.md  CITATION.cff  LICENSE  LICENSE-DATA
        SHA256SUMS                    ``sha256sum -c SHA256SUMS`` checks every other file
    dist/openness-kg-<version>.tar.gz  the folder as one archive

The version comes from ``pyproject.toml`` (:func:`openness_kg.paths.version`); the release date
from ``CITATION.cff`` (``date-released``), which must carry the same version, and
``CHANGELOG.md`` must have a section for that version and date. Everything is deterministic:
gzip streams without a time stamp, archive members sorted with a fixed owner, mode and time (the
release date), so the same build gives byte-identical files. The folder and the archive each
appear in one rename, whole, or not at all.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import importlib.util
import re
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import paths
from ..files import atomic_dir, atomic_file
from ..publish.dumps import DUMP_FILES

DIST_DIR = paths.ROOT / "dist"
CITATION_FILE = paths.ROOT / "CITATION.cff"
CHANGELOG_FILE = paths.ROOT / "CHANGELOG.md"
COPIED_FILES = ("CHANGELOG.md", "CITATION.cff", "LICENSE", "LICENSE-DATA")
DB_FILE = "openness-kg.db"
SUMS_FILE = "SHA256SUMS"
SSSOM_FILE = "openness-kg.sssom.tsv"
GZIP_LEVEL = 6


class ReleaseError(Exception):
    """The release cannot be made (a missing or mismatched version, date or input file); the
    message is one line naming the file and field. Nothing is written."""


@dataclass(frozen=True)
class ReleaseInfo:
    """What a release is: ``version`` (``"0.1.0"``), ``date`` (the release date) and its
    ``name`` (``"openness-kg-0.1.0"``)."""

    version: str
    date: dt.date

    @property
    def name(self) -> str:
        return f"openness-kg-{self.version}"


def release_info(citation: Path = CITATION_FILE, changelog: Path = CHANGELOG_FILE,
                 version: str | None = None) -> ReleaseInfo:
    """The version (``pyproject.toml``) and release date (``CITATION.cff``), after checking that
    ``CITATION.cff`` carries the same version and ``CHANGELOG.md`` has a ``## [<version>] -
    <date>`` section. Raises :class:`ReleaseError`."""
    version = version or paths.version()
    try:
        cff = yaml.safe_load(citation.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ReleaseError(f"{citation}: cannot be read ({exc})") from None
    if str(cff.get("version")) != version:
        raise ReleaseError(f"{citation}: field 'version' is {cff.get('version')!r}, "
                           f"pyproject.toml says {version!r}")
    date = cff.get("date-released")
    if not isinstance(date, dt.date):
        raise ReleaseError(f"{citation}: field 'date-released' is {date!r}, not a YYYY-MM-DD date")
    entry = changelog_entry(changelog, version)
    if entry is None:
        raise ReleaseError(f"{changelog}: no section '## [{version}] - {date.isoformat()}'")
    if entry != date:
        raise ReleaseError(f"{changelog}: section [{version}] is dated {entry.isoformat()}, "
                           f"CITATION.cff says {date.isoformat()}")
    return ReleaseInfo(version, date)


def changelog_entry(changelog: Path, version: str) -> dt.date | None:
    """The date of the ``## [<version>] - YYYY-MM-DD`` section of ``changelog`` (Keep a
    Changelog style), or ``None`` when there is none."""
    try:
        text = changelog.read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})\s*$", text, re.M)
    return dt.date.fromisoformat(m.group(1)) if m else None


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def gzip_file(src: Path, dest: Path) -> Path:
    """Gzip ``src`` into ``dest`` without a file name or time stamp in the header (the same bytes
    give the same ``.gz``)."""
    with open(src, "rb") as fin, open(dest, "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=GZIP_LEVEL) as gz:
        shutil.copyfileobj(fin, gz, 1 << 20)
    return dest


def released_files(folder: Path) -> list[str]:
    """Every file under ``folder`` as a ``/``-separated relative path, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def write_sums(folder: Path) -> Path:
    """Write ``SHA256SUMS`` (``sha256sum`` format, sorted) over every other file of ``folder``."""
    lines = [f"{sha256(folder / rel)}  {rel}\n" for rel in released_files(folder) if rel != SUMS_FILE]
    out = folder / SUMS_FILE
    out.write_text("".join(lines), encoding="utf-8")
    return out


def write_archive(folder: Path, dest: Path, mtime: int) -> Path:
    """Pack ``folder`` as ``dest`` (tar.gz) with the folder's name as the top directory: members
    sorted, owner 0/0 without names, modes 0644/0755, every time ``mtime``, and a gzip header
    without time stamp, so the same folder gives the same bytes."""
    top = folder.name
    dirs = sorted({p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()})
    members = sorted([(d, True) for d in ["", *dirs]] + [(f, False) for f in released_files(folder)])

    def info(rel: str, is_dir: bool) -> tarfile.TarInfo:
        ti = tarfile.TarInfo(f"{top}/{rel}".rstrip("/"))
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = ""
        ti.mtime = mtime
        if is_dir:
            ti.type, ti.mode = tarfile.DIRTYPE, 0o755
        else:
            ti.size, ti.mode = (folder / rel).stat().st_size, 0o644
        return ti

    with atomic_file(dest, suffix=".tar.gz") as tmp:
        with open(tmp, "wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=GZIP_LEVEL) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            for rel, is_dir in members:
                ti = info(rel, is_dir)
                if is_dir:
                    tar.addfile(ti)
                else:
                    with open(folder / rel, "rb") as f:
                        tar.addfile(ti, f)
    return dest


def release(build_dir: Path | None = None, dist_dir: Path = DIST_DIR, data_dir: Path = paths.DATA_DIR,
            info: ReleaseInfo | None = None) -> tuple[Path, Path]:
    """Write the release of the finished build in ``build_dir`` (default ``build/``) into
    ``dist_dir``: the folder ``openness-kg-<version>/`` and ``openness-kg-<version>.tar.gz``
    (see the module docstring). ``data_dir`` holds the importers' mapping tables
    (``imported/<dataset>/mappings.sssom.tsv``). Returns ``(folder, archive)``. Raises
    :class:`~openness_kg.read.BuildNotReady` (no finished, current build),
    :class:`ReleaseError` (version, date or changelog; a build made by another version; the
    ``mlcroissant`` package missing: the ``release`` extra)."""
    from ..read import build_dir as finished_build
    from ..stamp import read_info
    from .descriptions import write_croissant, write_dcat_void
    from ..importers.mappings import merged_sssom

    if importlib.util.find_spec("mlcroissant") is None:  # before anything is written
        raise ReleaseError("the release's croissant.json needs the mlcroissant package: "
                           "pip install 'openness-kg[release]'")
    info = info or release_info()
    build = finished_build(build_dir)
    built_by = (read_info(build) or {}).get("version")
    if built_by != info.version:
        raise ReleaseError(f"{build}/build-info.json: field 'version' is {built_by!r}, the release is "
                           f"{info.version}; rebuild with `openness-kg build`")
    for name in (*DUMP_FILES.values(), DB_FILE, "analysis"):
        if not (build / name).exists():
            raise ReleaseError(f"{build}/{name}: missing from the build; rebuild with `openness-kg build`")
    dist_dir = Path(dist_dir)
    dist_dir.mkdir(parents=True, exist_ok=True)
    folder = dist_dir / info.name
    with atomic_dir(folder) as tmp:
        for name in sorted(DUMP_FILES.values()):
            gzip_file(build / name, tmp / f"{name}.gz")
        shutil.copyfile(build / DB_FILE, tmp / DB_FILE)
        shutil.copytree(build / "analysis", tmp / "analysis")
        for name in COPIED_FILES:
            shutil.copyfile(paths.ROOT / name, tmp / name)
        try:
            sssom = merged_sssom(data_dir / "imported", info.version)
        except FileNotFoundError as exc:
            raise ReleaseError(str(exc)) from None
        (tmp / SSSOM_FILE).write_text(sssom, encoding="utf-8")
        write_croissant(tmp, info)
        write_dcat_void(tmp, build / DUMP_FILES["nquads"], info)
        write_sums(tmp)
        for p in [tmp, *tmp.rglob("*")]:  # temporary folders are private (0700); a release is not
            p.chmod(0o755 if p.is_dir() else 0o644)
    epoch = int(dt.datetime.combine(info.date, dt.time(), dt.timezone.utc).timestamp())
    archive = write_archive(folder, dist_dir / f"{info.name}.tar.gz", epoch)
    return folder, archive
