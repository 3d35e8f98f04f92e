"""Provenance check against the source texts: hashes, lengths and every span.

:func:`verify_sources` is run by ``load_records(data_dir, sources_dir=...)`` (when the sources
folder exists) and by ``openness-kg verify-sources``. It reads whatever the catalogue holds,
valid or not (a record that breaks the schema is skipped where it cannot be checked, never a
traceback), so its problems can be reported with every other problem of the data.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .catalogue import Catalogue, Problem


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def verify_sources(cat: Catalogue, sources_dir: Path) -> tuple[list[Problem], dict[str, int]]:
    """Re-hash each source text in ``sources_dir`` and check every passage of every record.

    Checks (document sources; dataset sources are skipped): the file named by each source record exists; its SHA-256 and decoded length match the
    record; every span has ``0 <= start < end <= len(text)`` and covers some non-blank text.
    Returns ``(problems, counts)`` with counts ``{"sources": n, "passages": n}``.
    """
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for src in cat.of_class("Source"):
        if src.data.get("source_type") == "dataset":
            continue  # an imported dataset, not a text: nothing to hash
        fname = src.data.get("file_name")
        if not isinstance(fname, str) or not fname or "/" in fname or "\\" in fname or fname in (".", ".."):
            continue  # missing or not a file name: load_records reports it
        path = sources_dir / fname
        if not path.is_file():
            problems.append(Problem(src.file, src.id, "file_name", f"source text not found: {path}"))
            continue
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != src.data.get("sha256"):
            problems.append(Problem(src.file, src.id, "sha256",
                                    f"{path.name} has sha256 {digest}, the record says {src.data.get('sha256')}"))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(src.file, src.id, "file_name",
                                    f"{path.name} is not UTF-8 text (byte offset {exc.start})"))
            continue
        if len(text) != src.data.get("char_count"):
            problems.append(Problem(src.file, src.id, "char_count",
                                    f"{path.name} has {len(text)} characters, the record says {src.data.get('char_count')}"))
        texts[src.id] = text
    passages = 0
    for rec in cat:
        evidence = rec.data.get("evidence")
        for j, ev in enumerate(evidence if isinstance(evidence, list) else []):
            passages += 1
            if not isinstance(ev, dict) or not isinstance(ev.get("source"), str):
                continue
            text = texts.get(ev["source"])
            start, end = ev.get("start"), ev.get("end")
            if text is None or not (_int(start) and _int(end)):
                continue
            where = f"evidence[{j}]"
            if not (0 <= start < end <= len(text)):
                problems.append(Problem(rec.file, rec.id, where,
                                        f"span {start}-{end} lies outside source '{ev['source']}' ({len(text)} characters)"))
            elif not text[start:end].strip():
                problems.append(Problem(rec.file, rec.id, where, f"span {start}-{end} covers no text"))
    return problems, {"sources": len(texts), "passages": passages}
