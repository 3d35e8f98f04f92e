"""Provenance check against the source texts: hashes, lengths and every span."""
from __future__ import annotations

import hashlib
from pathlib import Path

from .catalogue import Catalogue, Problem


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
        path = sources_dir / src.data["file_name"]
        if not path.is_file():
            problems.append(Problem(src.file, src.id, "file_name", f"source text not found: {path}"))
            continue
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != src.data["sha256"]:
            problems.append(Problem(src.file, src.id, "sha256",
                                    f"{path.name} has sha256 {digest}, the record says {src.data['sha256']}"))
            continue
        text = raw.decode("utf-8")
        if len(text) != src.data["char_count"]:
            problems.append(Problem(src.file, src.id, "char_count",
                                    f"{path.name} has {len(text)} characters, the record says {src.data['char_count']}"))
        texts[src.id] = text
    passages = 0
    for rec in cat:
        for j, ev in enumerate(rec.data.get("evidence") or []):
            passages += 1
            text = texts.get(ev["source"])
            if text is None:
                continue
            start, end = ev["start"], ev["end"]
            where = f"evidence[{j}]"
            if not (0 <= start < end <= len(text)):
                problems.append(Problem(rec.file, rec.id, where,
                                        f"span {start}-{end} lies outside source '{ev['source']}' ({len(text)} characters)"))
            elif not text[start:end].strip():
                problems.append(Problem(rec.file, rec.id, where, f"span {start}-{end} covers no text"))
    return problems, {"sources": len(texts), "passages": passages}
