"""The importers' matches of the indexes' entities onto our records, as SSSOM mapping tables.

Every import records how each index organisation and model it kept was matched
(:meth:`.Crosswalk.match`): by an entry of ``data/crosswalk.yaml`` (reviewed by hand:
``semapv:ManualMappingCuration``) or by the automatic exact-name rule (``semapv:LexicalMatching``).
Entities the import mints by itself are not mappings and are left out. ``run_import`` writes the
table as ``data/imported/<dataset>/mappings.sssom.tsv``; the release merges the three into
``openness-kg.sssom.tsv``.

SSSOM TSV (https://w3id.org/sssom/): a ``#``-commented YAML header (mapping set id, licence,
CURIE map) then one tab-separated row per mapping. Subjects are CURIEs under
``https://w3id.org/openness-kg/index/<dataset>/`` (``organisation/<name>`` with the index's name,
``model/<record key>`` with the index's file name, percent-encoded); objects are our record IRIs
(``okgid:organisation/google``). An index entity mapped to one record is a ``skos:exactMatch``; an
index entity mapped to several (a joint developer, "Mistral AI and NVIDIA") is a
``skos:narrowMatch`` to each. Rows are sorted, so a re-import shows a readable diff.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml

from ..namespaces import BASE, OKGID

SSSOM_FILE = "mappings.sssom.tsv"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
JUSTIFICATION = {"crosswalk": "semapv:ManualMappingCuration", "exact": "semapv:LexicalMatching"}
KIND_SEGMENT = {"organisations": "organisation", "models": "model"}
COLUMNS = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "subject_source", "comment"]
BASE_PREFIXES = {
    "okgid": str(OKGID),
    "okgsrc": f"{BASE}id/source/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": "https://w3id.org/semapv/vocab/",
}


def index_prefix(dataset: str) -> str:
    """The CURIE prefix of a dataset's entities: ``"osai-index"`` -> ``"osai-index"`` (the
    dataset id, expanding to ``https://w3id.org/openness-kg/index/osai-index/``)."""
    return dataset


@dataclass(frozen=True, order=True)
class Mapping:
    """One kept match: the index's entity (``kind`` ``organisations`` or ``models``, its record
    ``key`` and ``name`` as the dataset writes them), our ``ids`` and ``how`` (``crosswalk`` or
    ``exact``)."""

    dataset: str
    kind: str
    key: str
    name: str
    ids: tuple[str, ...]
    how: str


def rows(mappings, labels: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """SSSOM rows (dicts of :data:`COLUMNS`) of ``mappings``, sorted; ``labels``: class key
    (``organisations``/``models``) -> our id -> our record's name (missing: no object label)."""
    out = []
    for m in set(mappings):
        if m.how not in JUSTIFICATION:
            continue
        seg = KIND_SEGMENT[m.kind]
        for our in m.ids:
            out.append({
                "subject_id": f"{index_prefix(m.dataset)}:{seg}/{quote(m.key, safe='')}",
                "subject_label": m.name,
                "predicate_id": "skos:exactMatch" if len(m.ids) == 1 else "skos:narrowMatch",
                "object_id": f"okgid:{seg}/{our}",
                "object_label": labels.get(m.kind, {}).get(our, ""),
                "mapping_justification": JUSTIFICATION[m.how],
                "subject_source": f"okgsrc:{m.dataset}",
                "comment": ("data/crosswalk.yaml" if m.how == "crosswalk"
                            else "name equal to one of ours (case and punctuation folded)"),
            })
    return sorted(out, key=lambda r: (r["subject_id"], r["object_id"]))


def sssom_text(table: list[dict[str, str]], datasets: list[str], mapping_set_id: str,
               title: str, version: str | None = None) -> str:
    """SSSOM TSV text: the YAML metadata header (``#``-commented; CURIE map of the base prefixes
    and one per dataset in ``datasets``) and ``table`` (rows of :func:`rows`)."""
    curie_map = dict(BASE_PREFIXES)
    for d in sorted(datasets):
        curie_map[index_prefix(d)] = f"{BASE}index/{d}/"
    meta = {"curie_map": curie_map, "mapping_set_id": mapping_set_id, "mapping_set_title": title,
            "license": LICENSE, "creator_label": ["openness-kg contributors"]}
    if version:
        meta["mapping_set_version"] = version
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=200)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
    w.writeheader()
    w.writerows(table)
    return "".join(f"#{line}\n" for line in head.splitlines()) + buf.getvalue()


def dataset_sssom(dataset: str, mappings, labels: dict[str, dict[str, str]]) -> str:
    """The SSSOM TSV of one import (``data/imported/<dataset>/mappings.sssom.tsv``)."""
    return sssom_text(rows(mappings, labels), [dataset], f"{BASE}mappings/{dataset}.sssom.tsv",
                      f"{dataset} entities mapped to openness-kg records")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The mapping rows of an SSSOM TSV file written by :func:`sssom_text` (header skipped)."""
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def merged_sssom(imported_dir: Path, version: str) -> str:
    """One SSSOM TSV of every ``<imported_dir>/<dataset>/mappings.sssom.tsv`` (the release's
    ``openness-kg.sssom.tsv``). Raises ``FileNotFoundError`` naming the folder when there is none."""
    files = sorted(p for p in Path(imported_dir).glob(f"*/{SSSOM_FILE}") if not p.parent.name.startswith("."))
    if not files:
        raise FileNotFoundError(f"{imported_dir}: no */{SSSOM_FILE} (run `make import`)")
    table = sorted((r for p in files for r in read_rows(p)), key=lambda r: (r["subject_id"], r["object_id"]))
    return sssom_text(table, [p.parent.name for p in files], f"{BASE}release/{version}/openness-kg.sssom.tsv",
                      "Openness index entities mapped to openness-kg records", version)
