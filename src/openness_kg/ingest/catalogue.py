"""Curated records: load ``data/**/*.yaml``, validate them, resolve references.

Validation runs every rule and reports every problem at once (not only the first):

* malformed YAML;
* the generated JSON Schema (unknown field, missing required field, unknown vocabulary term,
  wrong type or pattern);
* duplicate ids within a class;
* references to ids that do not exist (or are ambiguous across classes);
* passages whose span lies outside its source (``0 <= start < end <= char_count``);
* provenance: every field of a record is backed by a passage, a public record or a dataset
  record (``dataset_record``, for records imported from an openness dataset), and every
  ``supports`` entry names a field the record sets;
* sources: a document needs ``file_name``, ``sha256`` and ``char_count``; a dataset
  (``source_type: dataset``) needs ``url``, ``commit`` and ``licence`` (JSON Schema rule), and a
  ``dataset_record`` must name a dataset source.

Files under ``data/imported/`` are written by the importers (``openness-kg import``). There, and
only there, several files may hold the same organisation or licence (one that two datasets both
name and neither finds among ours): the parts are merged, lists joined, the longest ``name`` kept, and any other
single-valued field set differently in two files is a problem. ``data/crosswalk.yaml`` is the importers' mapping table, not records.

Each problem names the file, the record id and the field. ``load_records()`` raises
:class:`ValidationFailed` carrying the list of :class:`Problem`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import yaml

from .. import paths
from ..namespaces import CLASS_SEGMENTS
from ..files import yaml_error_text
from ..schema import Schema, get_schema

SEGMENT_CLASSES = {v: k for k, v in CLASS_SEGMENTS.items()}
# fields that never need backing: identity and the provenance fields themselves
UNBACKED_FIELDS = {"id", "evidence", "public_record", "dataset_record"}
PROVENANCE_FIELDS = ("evidence", "public_record", "dataset_record")
IMPORTED_DIR_NAME = "imported"
NOT_RECORD_FILES = {"crosswalk.yaml"}
MERGEABLE = {"Organisation", "Licence"}  # imported entities two datasets may both define
DOCUMENT_FIELDS = ("file_name", "sha256", "char_count")


@dataclass(frozen=True)
class Problem:
    """One validation problem: where (file, record id, field) and what."""

    file: str
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.record:
            where.append(f"record '{self.record}'")
        if self.field:
            where.append(f"field '{self.field}'")
        return ": ".join(where) + ": " + self.message


class ValidationFailed(Exception):
    """Raised when curated data breaks a rule; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the curated data:\n"
                         + "\n".join(str(p) for p in problems))


@dataclass
class Record:
    """One curated record: its class, slug, field values and where it was read."""

    class_name: str
    id: str
    data: dict[str, Any]
    file: str
    index: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.class_name, self.id)


@dataclass
class Catalogue:
    """All validated records, by class and id."""

    records: dict[tuple[str, str], Record] = field(default_factory=dict)

    def of_class(self, class_name: str) -> list[Record]:
        return sorted((r for r in self.records.values() if r.class_name == class_name), key=lambda r: r.id)

    def get(self, class_name: str, slug: str) -> Record | None:
        return self.records.get((class_name, slug))

    def __iter__(self) -> Iterator[Record]:
        return iter(sorted(self.records.values(), key=lambda r: (r.class_name, r.id)))

    def __len__(self) -> int:
        return len(self.records)


_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser: ~10x faster on data/imported


class _Loader(_SafeBase):
    """Safe YAML loader that keeps dates as strings (the schema checks their pattern)."""


_Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@lru_cache(maxsize=1)
def _fast_validator():
    """The JSON Schema compiled to Python by fastjsonschema: a quick yes for valid files (about
    20x faster than jsonschema here). Only a file it rejects is run through jsonschema, whose
    error list is what gets reported, so the verdict is always jsonschema's."""
    import fastjsonschema

    return fastjsonschema.compile(json.loads(paths.JSON_SCHEMA_FILE.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(paths.JSON_SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def data_files(data_dir: Path) -> list[Path]:
    """Curated YAML files under ``data_dir``, sorted (the crosswalk, which is not a record file,
    and hidden files and folders, such as an interrupted import's leftovers, left out)."""
    return sorted(p for p in data_dir.rglob("*.yaml")
                  if p.is_file() and not (p.parent == data_dir and p.name in NOT_RECORD_FILES)
                  and not any(part.startswith(".") for part in p.relative_to(data_dir).parts))


def _is_imported(rel: str) -> bool:
    return f"/{IMPORTED_DIR_NAME}/" in f"/{rel}"


def _merge(into: Record, other: Record) -> list[Problem]:
    """Merge the imported record ``other`` into ``into`` (same class and id, two files)."""
    problems = []
    merged = dict(into.data)
    for k, v in other.data.items():
        if k not in merged:
            merged[k] = v
        elif k in PROVENANCE_FIELDS:
            merged[k] = list(merged[k]) + list(v)
        elif isinstance(v, list) and isinstance(merged[k], list):
            merged[k] = merged[k] + [x for x in v if x not in merged[k]]
        elif k == "name":
            # datasets spell names differently ("BAAI", "Beijing Academy of Artificial
            # Intelligence"): the longest is kept, the first on a tie
            if len(str(v)) > len(str(merged[k])):
                merged[k] = v
        elif merged[k] != v:
            problems.append(Problem(other.file, other.id, k, f"conflicting value {v!r}: "
                                    f"{into.file} gives {merged[k]!r} for the same record"))
    into.data = merged
    return problems


def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base.parent))
    except ValueError:
        return str(path)


def _schema_problems(doc: Any, rel: str, schema: Schema) -> list[Problem]:
    import fastjsonschema

    try:
        _fast_validator()(doc)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # report with jsonschema: every error, with its path
    problems = []
    for err in sorted(_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        pth = list(err.absolute_path)
        record = None
        fld = None
        if len(pth) >= 2 and isinstance(pth[1], int):
            items = doc.get(pth[0]) or []
            item = items[pth[1]] if pth[1] < len(items) else None
            record = item.get("id") if isinstance(item, dict) and item.get("id") else f"{pth[0]}[{pth[1]}]"
            rest = [str(x) for x in pth[2:]]
            fld = ".".join(rest) if rest else None
        elif len(pth) == 1:
            fld = str(pth[0])
        msg = err.message
        if err.validator == "additionalProperties":
            extra = re.findall(r"'([^']+)'", err.message.split("(")[-1])
            for name in extra or ["?"]:
                problems.append(Problem(rel, record, ".".join(filter(None, [fld, name])),
                                        "unknown field (not in the schema)"))
            continue
        if err.validator == "required":
            m = re.match(r"'([^']+)' is a required property", err.message)
            name = m.group(1) if m else "?"
            problems.append(Problem(rel, record, ".".join(filter(None, [fld, name])),
                                    "missing required field"))
            continue
        if err.validator == "enum":
            allowed = ", ".join(map(str, err.validator_value))
            msg = f"unknown vocabulary term {err.instance!r} (allowed: {allowed})"
        elif err.validator == "pattern":
            msg = f"{err.instance!r} does not match the pattern {err.validator_value}"
        problems.append(Problem(rel, record, fld, msg))
    return problems


def resolve_ref(catalogue_keys: set[tuple[str, str]], schema: Schema, range_class: str,
                value: str) -> tuple[tuple[str, str] | None, str | None]:
    """Resolve a reference ``value`` to a record of class ``range_class`` (or a subclass).

    ``value`` is a slug, or ``<class segment>/<slug>`` where several classes share the slug.
    Returns ``((class_name, slug), None)`` or ``(None, error message)``.
    """
    candidates = schema.subclasses(range_class)
    if "/" in value:
        seg, slug = value.split("/", 1)
        cls = SEGMENT_CLASSES.get(seg)
        if cls is None or cls not in candidates:
            allowed = ", ".join(CLASS_SEGMENTS[c] for c in candidates)
            return None, f"'{value}': '{seg}' is not a class this field accepts ({allowed})"
        if (cls, slug) in catalogue_keys:
            return (cls, slug), None
        return None, f"reference to unknown {seg} '{slug}'"
    hits = [(c, value) for c in candidates if (c, value) in catalogue_keys]
    if len(hits) == 1:
        return hits[0], None
    if not hits:
        what = " or ".join(CLASS_SEGMENTS[c] for c in candidates)
        return None, f"reference to unknown {what} '{value}'"
    opts = ", ".join(f"{CLASS_SEGMENTS[c]}/{value}" for c, _ in hits)
    return None, f"'{value}' is ambiguous; write one of {opts}"


def as_list(v: Any) -> list:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def load_records(data_dir: Path = paths.DATA_DIR, schema: Schema | None = None) -> Catalogue:
    """Load and validate every curated file under ``data_dir``.

    Returns a :class:`Catalogue`; raises :class:`ValidationFailed` listing every problem.
    """
    schema = schema or get_schema()
    containers = schema.container_classes()
    problems: list[Problem] = []
    cat = Catalogue()
    files = data_files(data_dir)
    if not files:
        raise ValidationFailed([Problem(str(data_dir), None, None, "no curated YAML files found")])

    for path in files:
        rel = _rel(path, data_dir)
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        except yaml.YAMLError as exc:
            problems.append(Problem(rel, None, None, yaml_error_text(exc)))
            continue
        if doc is None:
            continue
        if not isinstance(doc, dict):
            problems.append(Problem(rel, None, None, "a curated file must be a mapping of lists "
                                    f"({', '.join(containers)})"))
            continue
        problems.extend(_schema_problems(doc, rel, schema))
        for key, items in doc.items():
            cls = containers.get(key)
            if cls is None or not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                    continue
                rec = Record(cls, item["id"], item, rel, i)
                if rec.key in cat.records:
                    other = cat.records[rec.key]
                    if cls in MERGEABLE and _is_imported(rel) and _is_imported(other.file):
                        problems.extend(_merge(other, rec))
                        continue
                    problems.append(Problem(rel, rec.id, "id", f"duplicate id: {CLASS_SEGMENTS[cls]} "
                                            f"'{rec.id}' is also defined in {other.file}"))
                    continue
                cat.records[rec.key] = rec

    keys = set(cat.records)
    for rec in cat:
        problems.extend(_record_problems(rec, cat, keys, schema))
    if problems:
        raise ValidationFailed(problems)
    return cat


def _record_problems(rec: Record, cat: Catalogue, keys: set, schema: Schema) -> list[Problem]:
    problems = []
    slots = schema.slots(rec.class_name)
    d = rec.data
    # references
    for name, value in d.items():
        info = slots.get(name)
        if info is None or info.kind != "class" or info.inlined:
            continue
        for v in as_list(value):
            if not isinstance(v, str):
                continue
            _, err = resolve_ref(keys, schema, info.range, v)
            if err:
                problems.append(Problem(rec.file, rec.id, name, err))
    if rec.class_name == "Source":
        if d.get("source_type", "document") == "document":
            for f in DOCUMENT_FIELDS:
                if f not in d:
                    problems.append(Problem(rec.file, rec.id, f, "missing required field (a document source "
                                            "needs file_name, sha256 and char_count)"))
        return problems
    # passages
    backed: set[str] = set()
    public_fields: set[str] = set()
    settable = {n for n in d if n not in UNBACKED_FIELDS}
    for j, cit in enumerate(as_list(d.get("public_record"))):
        if not isinstance(cit, dict):
            continue
        for f in as_list(cit.get("supports")):
            if f not in settable:
                problems.append(Problem(rec.file, rec.id, f"public_record[{j}].supports",
                                        f"names field '{f}', which the record does not set"))
            public_fields.add(f)
    evidence = [e for e in as_list(d.get("evidence")) if isinstance(e, dict)]
    for j, ev in enumerate(evidence):
        where = f"evidence[{j}]"
        src = ev.get("source")
        start, end = ev.get("start"), ev.get("end")
        srec = cat.get("Source", src) if isinstance(src, str) else None
        if srec is None:
            if isinstance(src, str):
                problems.append(Problem(rec.file, rec.id, f"{where}.source", f"reference to unknown source '{src}'"))
        elif isinstance(start, int) and isinstance(end, int):
            n = srec.data.get("char_count")
            if start >= end:
                problems.append(Problem(rec.file, rec.id, where, f"empty or reversed span {start}-{end}"))
            elif isinstance(n, int) and end > n:
                problems.append(Problem(rec.file, rec.id, where,
                                        f"span {start}-{end} lies outside source '{src}' ({n} characters)"))
        sup = ev.get("supports")
        if sup is None:
            backed |= settable - public_fields
        for f in as_list(sup):
            if f not in settable:
                problems.append(Problem(rec.file, rec.id, f"{where}.supports",
                                        f"names field '{f}', which the record does not set"))
            backed.add(f)
    for j, cit in enumerate(as_list(d.get("dataset_record"))):
        if not isinstance(cit, dict):
            continue
        where = f"dataset_record[{j}]"
        src = cit.get("source")
        srec = cat.get("Source", src) if isinstance(src, str) else None
        if srec is None:
            if isinstance(src, str):
                problems.append(Problem(rec.file, rec.id, f"{where}.source", f"reference to unknown source '{src}'"))
        elif srec.data.get("source_type") != "dataset":
            problems.append(Problem(rec.file, rec.id, f"{where}.source",
                                    f"source '{src}' is a document, not a dataset (use evidence with a span)"))
        for f in as_list(cit.get("supports")):
            if f not in settable:
                problems.append(Problem(rec.file, rec.id, f"{where}.supports",
                                        f"names field '{f}', which the record does not set"))
            backed.add(f)
    backed |= public_fields
    if not evidence and not d.get("public_record") and not d.get("dataset_record"):
        problems.append(Problem(rec.file, rec.id, "evidence",
                                "no provenance: give at least one evidence passage, public record or dataset record"))
    else:
        for f in sorted(settable - backed - {"name"}):
            problems.append(Problem(rec.file, rec.id, f,
                                    "fact without provenance: no passage or public record supports this field"))
    return problems
