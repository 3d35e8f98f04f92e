"""Curated records: load ``data/**/*.yaml``, validate them, resolve references.

Validation runs every rule and reports every problem at once (not only the first); nothing is
written and no rule ends in a traceback, whatever the files hold:

* the file itself: UTF-8 text (else the byte offset of the first invalid byte), well-formed
  YAML, a mapping of record lists;
* no records: a file that is empty or holds no record list (comments only, ``{}``, ``models:``
  with nothing under it) is an error, since an editor or script that empties a file would
  otherwise drop every record it held without a word. A file empty by design says so: a
  mapping of empty lists (``claims: []``) is accepted;
* keys: a mapping (a record, a passage, the file's top level) gives no key twice (YAML keeps
  only the last value), and every key is text (``2024:`` is an integer);
* anchors and aliases: allowed (PyYAML's dumper writes ``&id001``/``*id001`` for repeated
  values), but a file whose aliases expand to more than :data:`MAX_ALIAS_NODES` nodes in all
  (an alias bomb, "billion laughs") or to a node inside itself is refused before anything walks
  it; merge keys (``<<``) are refused;
* the generated JSON Schema (unknown field, missing required field, unknown vocabulary term,
  wrong type or pattern, minimum);
* integers: a whole number (not ``7.0``), at least the field's minimum (the schema's, and
  ``char_count >= 0``), and within SQLite's signed 64-bit INTEGER (-2**63 .. 2**63-1);
* dates (``release_date``, ``date_published``, ``as_of``, ``edition``): ``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD``, a real calendar date (no ``2024-02-30``, no month 13, no year 0), and not after
  the build's as-of date (``load_records(as_of=...)``, default today), compared at the precision
  given;
* text (every string field that has no pattern of its own): no control characters but newline and
  tab (C0, DEL, C1), no zero-width or bidirectional-control characters (U+200B-U+200F,
  U+202A-U+202E, U+2066-U+2069), no byte order mark (U+FEFF) and no lone surrogate; and no
  longer than :data:`TEXT_MAX_LENGTH` allows: 10,000 characters for ``text``, ``description``,
  ``correction``, ``credit`` and ``judgement``, 300 for ``name``, ``variant_name``, ``author`` and
  ``criterion``, :data:`DEFAULT_TEXT_MAX_LENGTH` (2,000) for any other (URLs, locators...);
* licences: ``spdx_id`` is an id of the SPDX License List (:mod:`.spdx`, deprecated ids
  included), or ``LicenseRef-<name>`` for a licence the list lacks;
* duplicate ids within a class;
* references to ids that do not exist (or are ambiguous across classes);
* hierarchies: a single-valued reference to the record's own class (``parent_organisation``) has
  no cycle (an organisation that is its own parent, or a chain back to itself; each cycle
  reported once, naming its records); a multi-valued one (``related_claims``, ``about``) may link
  two records both ways but never names the record itself;
* passages whose span lies outside its source (``0 <= start < end <= char_count``);
* provenance: every field of a record is backed by a passage, a public record or a dataset
  record (``dataset_record``, for records imported from an openness dataset), and every
  ``supports`` entry names a field the record sets;
* sources: a document needs ``file_name`` (a file name, no folder), ``sha256`` and
  ``char_count``; a dataset (``source_type: dataset``) needs ``url``, ``commit`` and ``licence``
  (JSON Schema rule), and a ``dataset_record`` must name a dataset source;
* source texts, when ``load_records(sources_dir=...)`` names a folder that exists: each document's
  file is there, with the recorded SHA-256 and length, and every span covers text
  (:func:`openness_kg.ingest.verify_sources`).

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
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import yaml

from .. import paths
from ..paths import data_files
from ..namespaces import CLASS_SEGMENTS
from ..files import yaml_error_text
from ..schema import Schema, SlotInfo, get_schema
from .spdx import SPDX_LICENCE_IDS, SPDX_LIST_VERSION

SEGMENT_CLASSES = {v: k for k, v in CLASS_SEGMENTS.items()}
# fields that never need backing: identity and the provenance fields themselves
UNBACKED_FIELDS = {"id", "evidence", "public_record", "dataset_record"}
PROVENANCE_FIELDS = ("evidence", "public_record", "dataset_record")
IMPORTED_DIR_NAME = "imported"
MERGEABLE = {"Organisation", "Licence"}  # imported entities two datasets may both define
DOCUMENT_FIELDS = ("file_name", "sha256", "char_count")
EMPTY_FILE = ("no records: an empty file loses every record it held (a file empty by design holds "
              "empty lists, e.g. 'claims: []')")
# text: the longest value a field may hold (characters); other text fields: DEFAULT_TEXT_MAX_LENGTH
TEXT_MAX_LENGTH = {"text": 10_000, "description": 10_000, "correction": 10_000, "credit": 10_000,
                   "judgement": 10_000, "name": 300, "variant_name": 300, "author": 300, "criterion": 300}
DEFAULT_TEXT_MAX_LENGTH = 2_000  # URLs, locators, file names, version strings, references
# control characters but newline and tab; zero-width and bidirectional controls; BOM; surrogates
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                              "\u2066-\u2069\ufeff\ud800-\udfff]")
MAX_MESSAGE_LENGTH = 500
INT64_MIN, INT64_MAX = -2**63, 2**63 - 1  # SQLite's INTEGER
INT_MINIMUM = {"char_count": 0}  # minimums the schema does not state
DATE_TYPES = {"PartialDate"}
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
SPDX_REF = re.compile(r"^LicenseRef-[A-Za-z0-9.-]+$")


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
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


MAX_ALIAS_NODES = 100_000  # nodes a file's aliases may expand to, all aliases together


class AliasBomb(yaml.YAMLError):
    """A curated file whose aliases expand to too many nodes, or to a node inside itself."""

    def __init__(self, mark, why: str):
        self.mark = mark
        super().__init__(
            f"YAML aliases {why}: the node anchored at line "
            f"{mark.line + 1}, column {mark.column + 1} is used again by an alias")


class _Loader(_SafeBase):
    """Safe YAML loader (libyaml's C parser) that keeps dates as strings (the schema checks
    their pattern), limits what aliases expand to, and notes, without stopping, every mapping
    key given twice and every key that is not text (``key_problems``: ``(mark, key, message)``).

    Aliases: the C parser shares an aliased node, so parsing costs no more than the text; a
    consumer walking the expanded tree (the JSON Schema validation, the graph) is what blows up.
    A node constructed a second time is an alias; its size when expanded (aliases within it
    expanded too, counted without expanding them) is added up, and a file is refused when its
    aliases expand to more than :data:`MAX_ALIAS_NODES` nodes, or to a node inside itself.
    (PyYAML's dumper writes ``&id001``/``*id001`` for repeated lists and passages, so curated
    files do hold a few small aliases.) Merge keys (``<<``) are refused: curated files never
    need them."""

    def __init__(self, stream):
        super().__init__(stream)
        self.key_problems: list[tuple[Any, str, str]] = []
        self._alias_nodes = 0
        self._sizes: dict[Any, int] = {}

    def _expanded_size(self, node, active: set) -> int:
        size = self._sizes.get(node)
        if size is not None:
            return size
        if node in active:
            raise AliasBomb(node.start_mark, "make a node contain itself (it never ends when walked)")
        active.add(node)
        size = 1
        if isinstance(node, yaml.SequenceNode):
            for v in node.value:
                size += self._expanded_size(v, active)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                size += self._expanded_size(k, active) + self._expanded_size(v, active)
        active.discard(node)
        self._sizes[node] = size
        return size

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:  # an alias
            self._alias_nodes += self._expanded_size(node, set())
            if self._alias_nodes > MAX_ALIAS_NODES:
                raise AliasBomb(node.start_mark, f"expand to more than {MAX_ALIAS_NODES:,} nodes "
                                                "(an alias bomb, 'billion laughs')")
        return super().construct_object(node, deep)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, f"expected a mapping node, but found {node.id}",
                                                    node.start_mark)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STR_TAG:
                key = key_node.value
            elif key_node.tag == _MERGE_TAG:
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed in curated files", key_node.start_mark)
            else:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else f"<{key_node.id}>"
                self.key_problems.append((key_node.start_mark, key,
                                          f"a field name must be text: {key!r} is read as "
                                          f"{key_node.tag.rsplit(':', 1)[-1]} (quote it)"))
            if key in mapping:
                first = next(k for k, _ in node.value if k.value == key).start_mark.line + 1
                line = key_node.start_mark.line + 1
                lines = f"lines {first} and {line}" if first != line else f"twice on line {line}"
                self.key_problems.append((key_node.start_mark, key, f"duplicate key '{key}' ({lines}): "
                                          "YAML would keep only the last value"))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(text: str) -> tuple[Any, Any, list[tuple[Any, str, str]]]:
    """Parse one file's text: ``(document, root node, key problems)``. Raises
    ``yaml.YAMLError`` (including :class:`AliasBomb`)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        doc = loader.construct_document(node) if node is not None else None
        return doc, node, loader.key_problems
    finally:
        loader.dispose()


def _locate(root, mark) -> tuple[str | None, list[str | int]]:
    """The record (its id, or ``key[i]`` when it has none) and the path inside it of the key
    node at ``mark``, found by walking down the node tree (the document may have lost the node:
    a duplicate key keeps only the last value)."""
    path: list[str | int] = []
    nodes = []
    node = root
    while node is not None:
        nodes.append(node)
        nxt = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                name = k.value if isinstance(k, yaml.ScalarNode) else f"<{k.id}>"
                if k.start_mark.index == mark.index:
                    path.append(name)
                    break
                if v.start_mark.index <= mark.index < v.end_mark.index:
                    path.append(name)
                    nxt = v
                    break
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                if v.start_mark.index <= mark.index < v.end_mark.index:
                    path.append(i)
                    nxt = v
                    break
        node = nxt
    if len(path) >= 2 and isinstance(path[1], int) and len(nodes) >= 3:
        item = nodes[2]
        rid = None
        if isinstance(item, yaml.MappingNode):
            rid = next((v.value for k, v in item.value
                        if k.value == "id" and isinstance(v, yaml.ScalarNode) and v.value), None)
        return rid or f"{path[0]}[{path[1]}]", path[2:]
    return None, path


def _field_path(path: list[str | int]) -> str | None:
    """``["evidence", 0, "start"]`` -> ``"evidence[0].start"``."""
    out = ""
    for x in path:
        out += f"[{x}]" if isinstance(x, int) else (f".{x}" if out else str(x))
    return out or None


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


def _is_imported(rel: str) -> bool:
    return f"/{IMPORTED_DIR_NAME}/" in f"/{rel}"


def _adds_fields(a: Record, b: Record) -> bool:
    """True when one of two models with the same id is an imported record that backs neither
    its name nor its developer (an import adding, say, Epoch AI's parameter count and training
    compute to a model defined elsewhere): the two are merged, a differing value is a problem."""
    if a.class_name != "Model":
        return False
    for r in (a, b):
        cits = r.data.get("dataset_record") or []
        if _is_imported(r.file) and cits and not any(
                {"name", "developer"} & set(c.get("supports") or []) for c in cits):
            return True
    return False


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
            rid = item.get("id") if isinstance(item, dict) else None
            record = rid if isinstance(rid, str) and rid else f"{pth[0]}[{pth[1]}]"
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
        if len(msg) > MAX_MESSAGE_LENGTH:  # jsonschema quotes the whole value
            msg = msg[:MAX_MESSAGE_LENGTH - 25] + " [...] " + msg[-18:]
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


def _names(v: Any) -> list[str]:
    """The field names a ``supports`` list gives (anything else in it the schema reports)."""
    return [f for f in as_list(v) if isinstance(f, str)]


def as_list(v: Any) -> list:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def load_records(data_dir: Path = paths.DATA_DIR, schema: Schema | None = None, *,
                 sources_dir: Path | None = None, as_of: date | None = None) -> Catalogue:
    """Load and validate every curated file under ``data_dir``.

    ``sources_dir``: when given and it is a folder, each document source is also checked against
    its text there (:func:`openness_kg.ingest.verify_sources`: the file exists, its SHA-256 and
    length match, every span covers text); when ``None`` or absent, the texts are not read.
    ``as_of``: the build's as-of date (default: today); no date may lie after it.

    Returns a :class:`Catalogue`; raises :class:`ValidationFailed` listing every problem.
    """
    schema = schema or get_schema()
    as_of = as_of or date.today()
    as_of_text = f"{as_of.isoformat()}{' (today)' if as_of == date.today() else ''}"
    containers = schema.container_classes()
    problems: list[Problem] = []
    cat = Catalogue()
    files = data_files(data_dir)
    if not files:
        raise ValidationFailed([Problem(str(data_dir), None, None, "no curated YAML files found")])

    for path in files:
        rel = _rel(path, data_dir)
        try:
            doc = _load_file(path, rel, containers, schema, as_of, as_of_text, problems)
        except RecursionError:
            problems.append(Problem(rel, None, None, "nested too deeply to be checked"))
            continue
        if doc is None:
            continue
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
                    if (cls in MERGEABLE and _is_imported(rel) and _is_imported(other.file)) \
                            or _adds_fields(rec, other):
                        problems.extend(_merge(other, rec))
                        continue
                    problems.append(Problem(rel, rec.id, "id", f"duplicate id: {CLASS_SEGMENTS[cls]} "
                                            f"'{rec.id}' is also defined in {other.file}"))
                    continue
                cat.records[rec.key] = rec

    keys = set(cat.records)
    for rec in cat:
        problems.extend(_record_problems(rec, cat, keys, schema))
    problems.extend(_cycle_problems(cat, keys, schema))
    if sources_dir is not None and Path(sources_dir).is_dir():
        from .sources import verify_sources

        problems.extend(verify_sources(cat, Path(sources_dir))[0])
    if problems:
        raise ValidationFailed(list(dict.fromkeys(problems)))  # the same problem found twice, once
    return cat


def _load_file(path: Path, rel: str, containers: dict[str, str], schema: Schema, as_of: date,
               as_of_text: str, problems: list[Problem]) -> dict | None:
    """Read, parse and check one file (everything that needs only the file itself), adding to
    ``problems``; returns the document when it is a mapping, else ``None``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(rel, None, None, f"cannot be read: {exc.strerror or exc}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(rel, None, None, f"not UTF-8 text: invalid byte 0x{raw[exc.start]:02x} "
                                f"at byte offset {exc.start} (line {line})"))
        return None
    try:
        doc, root, key_problems = _read_yaml(text)
    except AliasBomb as exc:
        problems.append(Problem(rel, None, None, str(exc)))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, None, None, yaml_error_text(exc)))
        return None
    for mark, key, message in sorted(key_problems, key=lambda p: p[0].index):
        rid, pth = _locate(root, mark)
        problems.append(Problem(rel, rid, _field_path(pth), message))
    if doc is not None and not isinstance(doc, dict):
        problems.append(Problem(rel, None, None, "a curated file must be a mapping of lists "
                                f"({', '.join(containers)})"))
        return None
    if not doc or not any(isinstance(doc.get(k), list) for k in containers):
        problems.append(Problem(rel, None, None, EMPTY_FILE))
    if not doc:
        return None
    problems.extend(_schema_problems(doc, rel, schema))
    for key, items in doc.items():
        cls = containers.get(key)
        if cls is None or not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict):
                rid = item.get("id")
                rid = rid if isinstance(rid, str) and rid else f"{key}[{i}]"
                _value_problems(item, cls, schema, rel, rid, "", as_of, as_of_text, problems)
    return doc


# ---- checks of single values: text, integers, dates (the rules JSON Schema cannot state)

def _forbidden_char_message(value: str, m: re.Match) -> str:
    ch = m.group()
    name = unicodedata.name(ch, "") or {0x7f: "DELETE"}.get(ord(ch), "control character")
    return (f"character U+{ord(ch):04X} ({name}) at position {m.start()} is not allowed in text "
            "(no control characters but newline and tab, no zero-width or bidirectional-control characters)")


@lru_cache(maxsize=None)
def _value_kinds(schema: Schema, class_name: str) -> dict[str, tuple]:
    """Field -> how :func:`_value_problems` checks its values: ``("text", max length)``,
    ``("int", minimum or None, minimum is the schema's)``, ``("date", schema has a pattern)``,
    ``("inline", class)`` or ``("skip",)`` (enums, booleans: the schema checks them)."""
    view = schema.view
    out: dict[str, tuple] = {}
    for name, info in schema.slots(class_name).items():
        slot = view.induced_slot(name, class_name)
        if info.kind == "class" and info.inlined:
            out[name] = ("inline", info.range)
        elif info.kind == "enum" or info.base in ("boolean", "float", "double", "decimal"):
            out[name] = ("skip",)
        elif info.base == "integer":
            minimum = slot.minimum_value
            out[name] = ("int", minimum, True) if minimum is not None else ("int", INT_MINIMUM.get(name), False)
        elif info.base == "date" or info.range in DATE_TYPES:
            out[name] = ("date", bool(_pattern(schema, slot, info)))
        elif _pattern(schema, slot, info):
            out[name] = ("skip",)  # ids, hashes, codes: the schema's pattern allows no odd character
        else:
            out[name] = ("text", TEXT_MAX_LENGTH.get(name, DEFAULT_TEXT_MAX_LENGTH))
    return out


def _pattern(schema: Schema, slot, info: SlotInfo) -> str | None:
    if slot.pattern:
        return slot.pattern
    t = schema.view.get_type(info.range) if info.kind == "type" else None
    while t is not None:
        if t.pattern:
            return t.pattern
        t = schema.view.get_type(t.typeof) if t.typeof else None
    return None


def _value_problems(item: dict, class_name: str, schema: Schema, rel: str, rid: str, prefix: str,
                    as_of: date, as_of_text: str, problems: list[Problem]) -> None:
    kinds = _value_kinds(schema, class_name)
    for name, value in item.items():
        kind = kinds.get(name)
        if kind is None or kind[0] == "skip" or value is None:
            continue  # an unknown field: the schema reports it
        where = prefix + name
        values = value if isinstance(value, list) else (value,)
        for j, v in enumerate(values):
            at = f"{where}[{j}]" if isinstance(value, list) else where
            tag = kind[0]
            if tag == "text":
                if not isinstance(v, str):
                    continue
                m = _FORBIDDEN_CHARS.search(v)
                if m:
                    problems.append(Problem(rel, rid, at, _forbidden_char_message(v, m)))
                if len(v) > kind[1]:
                    problems.append(Problem(rel, rid, at, f"text of {len(v):,} characters is longer than "
                                            f"the {kind[1]:,} this field allows"))
            elif tag == "int":
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    continue  # the schema reports the type
                if isinstance(v, float):
                    problems.append(Problem(rel, rid, at, f"{v!r} is not an integer (write a whole number)"))
                elif kind[1] is not None and v < kind[1]:
                    if not kind[2]:
                        problems.append(Problem(rel, rid, at, f"{v} is less than the minimum of {kind[1]}"))
                elif not INT64_MIN <= v <= INT64_MAX:
                    problems.append(Problem(rel, rid, at, f"{v} is outside the signed 64-bit integer range "
                                            "(-2**63 .. 2**63-1) that the SQLite export can store"))
            elif tag == "date":
                if isinstance(v, str):
                    msg = _date_problem(v, kind[1], as_of, as_of_text)
                    if msg:
                        problems.append(Problem(rel, rid, at, msg))
            elif tag == "inline" and isinstance(v, dict):
                _value_problems(v, kind[1], schema, rel, rid, f"{at}.", as_of, as_of_text, problems)


def _date_problem(v: str, schema_pattern: bool, as_of: date, as_of_text: str) -> str | None:
    m = _DATE.match(v)
    if m is None:
        if schema_pattern:
            return None  # the schema reports the pattern
        return f"{v!r} is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)"
    y, mo, d = (int(x) if x else None for x in m.groups())
    try:
        date(y, mo or 1, d or 1)
    except ValueError as exc:
        return f"{v!r} is not a calendar date ({exc})"
    given = (y, mo or 0, d or 0)
    limit = (as_of.year, as_of.month if mo else 0, as_of.day if d else 0)
    if given > limit:
        return f"date {v} is after the build's as-of date {as_of_text}"
    return None


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
                if d.get(f) is None:
                    problems.append(Problem(rec.file, rec.id, f, "missing required field (a document source "
                                            "needs file_name, sha256 and char_count)"))
            fname = d.get("file_name")
            if isinstance(fname, str) and (fname in ("", ".", "..") or "/" in fname or "\\" in fname):
                problems.append(Problem(rec.file, rec.id, "file_name", f"{fname!r} is not a file name "
                                        "(the name of a file in the sources folder, without a folder)"))
        return problems
    if rec.class_name == "Licence":
        spdx = d.get("spdx_id")
        if isinstance(spdx, str) and spdx not in SPDX_LICENCE_IDS and not SPDX_REF.match(spdx):
            near = [i for i in SPDX_LICENCE_IDS if i.lower() == spdx.lower()]
            hint = f" (did you mean {near[0]}?)" if near else " (write LicenseRef-<name> for a licence it lacks)"
            problems.append(Problem(rec.file, rec.id, "spdx_id", f"'{spdx}' is not an id of the SPDX "
                                    f"License List {SPDX_LIST_VERSION}{hint}"))
    # passages
    backed: set[str] = set()
    public_fields: set[str] = set()
    settable = {n for n in d if n not in UNBACKED_FIELDS}
    for j, cit in enumerate(as_list(d.get("public_record"))):
        if not isinstance(cit, dict):
            continue
        for f in _names(cit.get("supports")):
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
        for f in _names(sup):
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
        for f in _names(cit.get("supports")):
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


@lru_cache(maxsize=None)
def _self_references(schema: Schema, class_name: str) -> list[tuple[str, bool]]:
    """Reference fields of ``class_name`` whose range it belongs to: ``[(field, single-valued)]``
    (``parent_organisation`` on organisations; ``related_claims`` and ``about`` on claims)."""
    return [(name, not info.multivalued) for name, info in schema.slots(class_name).items()
            if info.kind == "class" and not info.inlined and class_name in schema.subclasses(info.range)]


def _cycle_problems(cat: Catalogue, keys: set, schema: Schema) -> list[Problem]:
    """Records that reference themselves through a field whose range is their own class.

    A single-valued such field (``parent_organisation``) is a hierarchy: it may have no cycle,
    and each cycle is reported once, on its first record (by id), naming every record in it.
    A multi-valued one (``related_claims``, ``about``) is a relation in which two records may
    name each other: only a record naming itself is a problem."""
    problems: list[Problem] = []
    by_class: dict[str, list[Record]] = {}
    for rec in cat.records.values():
        by_class.setdefault(rec.class_name, []).append(rec)
    for cls, recs in sorted(by_class.items()):
        for name, single in _self_references(schema, cls):
            parent: dict[tuple[str, str], tuple[str, str]] = {}
            for rec in recs:
                for v in as_list(rec.data.get(name)):
                    if not isinstance(v, str):
                        continue
                    target, _ = resolve_ref(keys, schema, schema.slots(cls)[name].range, v)
                    if target is None:
                        continue  # reported as an unknown reference
                    if target == rec.key:
                        what = f"is its own {name.replace('_', ' ')}" if single else "names the record itself"
                        problems.append(Problem(rec.file, rec.id, name, f"{CLASS_SEGMENTS[cls]} '{rec.id}' {what}"))
                    elif single:
                        parent[rec.key] = target
            done: set = set()
            for start in sorted(parent):
                chain: list = []
                node = start
                while node in parent and node not in done and node not in chain:
                    chain.append(node)
                    node = parent[node]
                if node in chain:
                    cycle = chain[chain.index(node):]
                    first = min(cycle)
                    i = cycle.index(first)
                    cycle = cycle[i:] + cycle[:i]
                    rec = cat.records[first]
                    names = " -> ".join(k[1] for k in cycle + [first])
                    problems.append(Problem(rec.file, rec.id, name, f"{name} cycle: {names}"))
                done.update(chain)
    return problems
