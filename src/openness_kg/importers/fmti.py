"""Import the Foundation Model Transparency Index (Stanford CRFM, CC-BY-4.0): transparency
scores per developer per edition.

Input: the FMTI folder; every ``<Edition>/<Edition>_scores.csv`` (e.g.
``October2023/October2023_scores.csv``) is one edition: one row per indicator (columns
``Indicator``, optionally ``Domain`` and ``Subdomain``), one column per developer holding 0 or 1
(indicator satisfied), optionally a ``Total`` column (per indicator) and a ``Total`` row (per
developer). The edition's date (YYYY-MM) comes from the folder name (month name + year).

Output (source ``fmti``, named graph ``graph/source/fmti``): one **Assessment** per developer
and edition, ``criterion`` "FMTI overall transparency score", ``score`` = indicators satisfied
(sum of the developer's column), ``max_score`` = number of indicators, ``edition``; the
developer's **Organisation** where the crosswalk finds none of ours.

A value other than 0 or 1 is reported (file, developer, indicator) and that developer's score
for the edition is skipped; so is a sum that differs from the file's own ``Total`` row. A scores
file that cannot be read (not UTF-8: the line is named; malformed CSV; a folder named like a
scores file; no ``Indicator`` column) is reported and that edition skipped.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

from .common import Crosswalk, ImportFailed, ImportReport, citation, slugify
from .collect import Collector, collect, org_ids

DATASET = "fmti"
MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                      "nov", "dec"], 1)}
CRITERION = "FMTI overall transparency score"
NON_DEVELOPER = {"Domain", "Subdomain", "Indicator", "Total", "Definition", "Notes"}
HEADER = ("# Imported from the Foundation Model Transparency Index (Stanford CRFM), CC-BY-4.0.\n"
          "# Written by `openness-kg import fmti`: do not edit by hand (change data/crosswalk.yaml\n"
          "# or the importer and re-import).\n")


def edition_of(folder_name: str) -> str | None:
    """``"October2023"`` -> ``"2023-10"``; ``"Dec2025"`` -> ``"2025-12"``; None if no match."""
    m = re.match(r"^([A-Za-z]+)[ _-]?(\d{4})$", folder_name)
    if not m or m.group(1)[:3].lower() not in MONTHS:
        return None
    return f"{m.group(2)}-{MONTHS[m.group(1)[:3].lower()]:02d}"


def import_fmti(folder: Path, cw: Crosswalk) -> tuple[dict[str, str], ImportReport]:
    """Read every edition's scores file under ``folder``; return ``({file name: YAML}, report)``.
    Raises :class:`ImportFailed` when there is no ``*_scores.csv``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportFailed(f"not a folder: {folder}")
    return collect(DATASET, sorted(folder.glob("*/*_scores.csv")),
                   f"no FMTI scores files (<edition>/<edition>_scores.csv) in {folder}",
                   lambda p, col: _edition(p, folder, cw, col), HEADER)


def _read_text(p: Path, f: str, rep: ImportReport) -> str | None:
    """The scores file's text (UTF-8, a byte-order mark dropped), or None after reporting
    (``f``) why it cannot be read: bytes that are not UTF-8 (with the line they are on)."""
    try:
        raw = p.read_bytes()
    except OSError as exc:
        rep.add(f, None, f"cannot be read ({exc.strerror or exc})")
        return None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        rep.add(f, None, f"not UTF-8 text at line {line} (byte {exc.start})")
        return None


def _edition(p: Path, root: Path, cw: Crosswalk, col: Collector) -> None:
    f = str(p.relative_to(root))
    rep = col.report
    if p.is_dir():
        rep.add(f, None, "a folder, not a scores file")
        return
    edition = edition_of(p.parent.name)
    if edition is None:
        rep.add(f, None, f"cannot read the edition's month and year from the folder name {p.parent.name!r}")
        return
    text = _read_text(p, f, rep)
    if text is None:
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        rep.add(f, None, f"malformed CSV at line {reader.reader.line_num}: {exc}")
        return
    if not rows or "Indicator" not in rows[0]:
        rep.add(f, "Indicator", "missing required column")
        return
    developers = [c for c in rows[0] if c and c.strip() not in NON_DEVELOPER]
    indicators = [r for r in rows if (r.get("Indicator") or "").strip() and r["Indicator"].strip() != "Total"]
    totals = next((r for r in rows if (r.get("Indicator") or "").strip() == "Total"), None)
    for dev in developers:
        name = dev.strip()
        score, bad = 0, None
        for r in indicators:
            v = (r.get(dev) or "").strip()
            if v not in ("0", "1"):
                bad = (r["Indicator"].strip(), v)
                break
            score += int(v)
        if bad:
            rep.add(f, name, f"indicator {bad[0]!r}: value {bad[1]!r} is not 0 or 1")
            continue
        if totals is not None and (totals.get(dev) or "").strip():
            try:
                stated = float(totals[dev])
            except ValueError:
                stated = None
            if stated != score:
                rep.add(f, name, f"the Total row gives {totals[dev]!r}, the indicators sum to {score}")
                continue
        loc = f"{f}#{name}"
        dev_ids = org_ids(cw, col, DATASET, name, f, name, loc)
        if dev_ids is None:
            continue
        if len(dev_ids) != 1:
            rep.add(f, name, "the crosswalk must map an FMTI developer to one organisation")
            continue
        a = {"id": f"fmti-{edition}-{slugify(name)}", "name": f"{name}: FMTI {edition} transparency score",
             "assessed": f"organisation/{dev_ids[0]}", "criterion": CRITERION, "judgement": f"{score}/{len(indicators)}",
             "score": score, "max_score": len(indicators), "edition": edition}
        a["dataset_record"] = [citation(DATASET, loc, ["assessed", "criterion", "judgement", "score", "max_score",
                                                       "edition"])]
        if col.add("assessments", a, f, name):
            rep.imported_units += 1
