"""What the three importers share: the import report, the crosswalk matcher, licence
resolution, slugs, and the canonical, atomic writing of ``data/imported/<dataset>/``.

An importer turns a dataset's published files into records of our schema (organisations, models,
artifacts, licences, assessments), each backed by a ``dataset_record`` naming the dataset, the
file and field it was read from, and the dataset's evidence links. Records that break the
published format are reported (file, field, reason) and skipped; the rest import.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Iterable

import yaml

from .. import paths
from ..files import atomic_dir, yaml_error_text

CROSSWALK_FILE = paths.DATA_DIR / "crosswalk.yaml"
IMPORTED_DIR = paths.DATA_DIR / "imported"
URL_RE = re.compile(r"^https?://\S+$")


class ImportFailed(Exception):
    """The import could not run at all (missing folder, unreadable crosswalk, a broken schema or
    settings file) or would not be kept (no record, or a shrink; see ``run_import``); nothing is
    written. The message is one line; ``report`` is the import's report when it got that far."""

    def __init__(self, message: str, report: "ImportReport | None" = None):
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class Issue:
    """One reported input problem: file (relative to the dataset folder), field, reason, and
    ``skipped``: what was left out because of it (``"record"``, ``"field"`` or ``""`` for a
    warning that dropped nothing)."""

    file: str
    field: str | None
    message: str
    skipped: str = "record"

    def __str__(self) -> str:
        where = self.file + (f": field '{self.field}'" if self.field else "")
        tag = {"record": "skipped", "field": "field left out", "": "note"}[self.skipped]
        return f"{where}: {self.message} [{tag}]"


@dataclass
class ImportReport:
    """What an import did: records written per list, files read, problems found."""

    dataset: str
    files_read: int = 0
    records: dict[str, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    imported_units: int = 0  # systems / models / developer-editions imported

    def add(self, file: str, fld: str | None, message: str, skipped: str = "record") -> None:
        self.issues.append(Issue(file, fld, message, skipped))

    @property
    def skipped_records(self) -> int:
        return sum(1 for i in self.issues if i.skipped == "record")

    @property
    def skipped_fields(self) -> int:
        return sum(1 for i in self.issues if i.skipped == "field")

    def summary(self) -> str:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(self.records.items()))
        return (f"{self.dataset}: read {self.files_read} file(s); imported {self.imported_units}; "
                f"wrote {counts or 'nothing'}; skipped {self.skipped_records} record(s) and "
                f"{self.skipped_fields} field(s); {len(self.issues)} problem(s) reported")

    def text(self) -> str:
        """The report as text: the summary line, then one line per problem, sorted."""
        lines = [self.summary()]
        lines += [f"  {i}" for i in sorted(self.issues, key=lambda i: (i.file, i.field or "", i.message))]
        return "\n".join(lines) + "\n"


def slugify(name: str) -> str:
    """A readable slug: ``"Llama 3.1"`` -> ``"llama-3-1"``, ``"Command-R+"`` -> ``"command-r-plus"``;
    accents folded, ``[a-z0-9-]`` only."""
    s = unicodedata.normalize("NFKD", str(name).replace("+", " plus")).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "unnamed"


def norm(name: str) -> str:
    """Name folded for comparison: lower case, letters and digits only ("+" read as "plus", so
    Command R and Command R+ stay apart)."""
    s = unicodedata.normalize("NFKD", str(name).replace("+", "plus")).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]", "", s)


def as_links(value: Any) -> tuple[list[str], list[str]]:
    """``(urls, not_urls)`` from a link field that is a string, a list or empty; URLs in the
    dataset's order, without repeats."""
    vals = value if isinstance(value, list) else ([value] if value not in (None, "") else [])
    urls, bad = [], []
    for v in vals:
        v = str(v).strip()
        if URL_RE.match(v):
            if v not in urls:
                urls.append(v)
        else:
            bad.append(v)
    return urls, bad


# ------------------------------------------------------------------ our curated entities

@dataclass
class Known:
    """Ids and names of the curated (not imported) records, by class key of a curated file."""

    ids: dict[str, set[str]]
    names: dict[str, dict[str, str]]  # class key -> id -> name
    spdx: dict[str, str]  # SPDX id -> licence id
    imported_models: dict[str, str] = field(default_factory=dict)  # model id -> dataset that made it
    models: dict[str, dict] = field(default_factory=dict)  # model id -> its record (curated or imported)

    @classmethod
    def read(cls, data_dir: Path) -> "Known":
        ids: dict[str, set[str]] = {}
        names: dict[str, dict[str, str]] = {}
        spdx: dict[str, str] = {}
        models: dict[str, dict] = {}
        for p in sorted(data_dir.glob("*.yaml")):
            if p.name == CROSSWALK_FILE.name:
                continue
            doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            for key, items in doc.items():
                for item in items or []:
                    if isinstance(item, dict) and "id" in item:
                        ids.setdefault(key, set()).add(item["id"])
                        names.setdefault(key, {})[item["id"]] = str(item.get("name") or item["id"])
                        if key == "models":
                            models[item["id"]] = item
                        if key == "licences" and item.get("spdx_id"):
                            spdx[item["spdx_id"]] = item["id"]
        imported = {}
        for p in sorted((data_dir / "imported").glob("*/models.yaml")):
            if p.parent.name.startswith("."):  # a killed import's temporary folder
                continue
            doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            for item in doc.get("models") or []:
                if not any("name" in (c.get("supports") or []) for c in item.get("dataset_record") or []):
                    continue  # adds fields to a model defined elsewhere (see ingest's merging)
                if imported.setdefault(item["id"], p.parent.name) == p.parent.name:
                    models.setdefault(item["id"], item)
        return cls(ids, names, spdx, imported, models)


# ------------------------------------------------------------------ crosswalk

NEW = "new"


@dataclass
class Match:
    """Result of matching an index entity: ``ids`` (our ids, possibly minted) and how."""

    ids: list[str]
    how: str  # crosswalk | exact | new | ambiguous
    minted: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)


class Crosswalk:
    """The hand-reviewed mapping table ``data/crosswalk.yaml``.

    Shape::

        organisations:            # per dataset: the index's name -> our id, a list of ids,
          osai-index:             # "new" (mint the slug of the name) or "new:<slug>"
            {"Google AI": google, "Mistral AI and NVIDIA": [mistral-ai, nvidia]}
        models:                   # per dataset: the index's record key -> our model id or "new"
          osai-index: {llama-3.1: llama-3-1}
        families:                 # per dataset: record key, model name or pattern -> family id
          mof: {GPT-J: eleutherai-models, "OLMo-*": olmo}
        licences:                 # licence string (any dataset, case-insensitive) -> licence id(s),
          "Apache 2.0": apache-2-0  # or "unstated" (no licence named) / "not_included"

    Matching (``match``): a crosswalk entry wins; otherwise a name equal (letters and digits,
    case folded) to exactly one of our names or ids matches it; otherwise a name that one of ours
    begins, or that begins one of ours, is ambiguous (reported, never guessed); otherwise the
    entity is new and gets the slug of its name.
    """

    def __init__(self, doc: dict, known: Known, path: Path = CROSSWALK_FILE):
        self.doc = doc
        self.known = known
        self.path = path
        self.licences = {str(k).strip().lower(): v for k, v in (doc.get("licences") or {}).items()}
        self.kept: set = set()  # the matches the import kept (importers.mappings.Mapping)

    @classmethod
    def load(cls, data_dir: Path = paths.DATA_DIR) -> "Crosswalk":
        path = data_dir / CROSSWALK_FILE.name
        if not path.is_file():
            raise ImportFailed(f"crosswalk not found: {path}")
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ImportFailed(f"{path}: {yaml_error_text(exc)}") from exc
        return cls(doc, Known.read(data_dir), path)

    def entry(self, kind: str, dataset: str, key: str) -> Any:
        return ((self.doc.get(kind) or {}).get(dataset) or {}).get(key)

    def family(self, dataset: str, key: str, name: str) -> tuple[str | None, str | None]:
        """The model family the ``families`` section gives a new index model: ``(family id,
        None)``; ``(None, None)`` when no entry names the model; ``(None, problem)`` when the entry
        names a family that is not one of ours or two patterns give different families.

        An entry's key is the index's record key (the file name without extension, as in
        ``models``) or the model's name, spelt exactly as the index spells it; a key with ``*`` is
        a pattern (shell-style, case-sensitive) matched against both. An exact key wins over a
        pattern, the record key over the name."""
        table = (self.doc.get("families") or {}).get(dataset) or {}
        hit = table.get(key, table.get(name))
        if hit is None:
            found = sorted({str(v) for k, v in table.items()
                            if "*" in str(k) and (fnmatchcase(key, str(k)) or fnmatchcase(name, str(k)))})
            if len(found) > 1:
                return None, (f"data/crosswalk.yaml (families/{dataset}): patterns give {name!r} several "
                              f"families ({', '.join(found)})")
            hit = found[0] if found else None
        if hit is None:
            return None, None
        if str(hit) not in self.known.ids.get("model_families", set()):
            return None, (f"data/crosswalk.yaml (families/{dataset}) names {hit!r}, which is not a model "
                          f"family of data/models.yaml")
        return str(hit), None

    def keep(self, kind: str, dataset: str, key: str, name: str, m: Match) -> None:
        """Record that the import kept match ``m`` of an index entity (for the SSSOM mapping
        table, :mod:`.mappings`): crosswalk entries and exact-name matches; minted entities
        that no crosswalk entry names are not mappings and are passed over."""
        from .mappings import Mapping

        if m.how in ("crosswalk", "exact") and m.ids:
            self.kept.add(Mapping(dataset, kind, key, name, tuple(m.ids), m.how))

    def match(self, kind: str, dataset: str, key: str, name: str) -> Match:
        """Match an index entity of ``kind`` (``organisations`` or ``models``) by its record
        ``key`` (crosswalk) and ``name`` (exact / prefix rules above). A new model whose slug
        another dataset's import already uses is ambiguous too (two datasets often give one name
        to different releases); the crosswalk then names a distinct slug or the other's id."""
        m = self._match(kind, dataset, key, name)
        if kind == "models":
            for slug in m.minted:
                other = self.known.imported_models.get(slug)
                if other and other != dataset:
                    return Match([], "ambiguous", candidates=[f"{slug} (created by the {other} import)"])
        return m

    def _match(self, kind: str, dataset: str, key: str, name: str) -> Match:
        ours = self.known.names.get(kind, {})
        hit = self.entry(kind, dataset, key)
        if hit is not None:
            if hit == NEW:
                return Match([slugify(name)], "crosswalk", [slugify(name)])
            if isinstance(hit, str) and hit.startswith(NEW + ":"):
                slug = hit.split(":", 1)[1]
                return Match([slug], "crosswalk", [slug])
            # an id or a list of ids: of our records, or minted by another record of the dataset
            return Match([str(v) for v in (hit if isinstance(hit, list) else [hit])], "crosswalk")
        n = norm(name)
        exact = sorted(i for i, nm in ours.items() if norm(nm) == n or norm(i) == n)
        if len(exact) == 1:
            return Match(exact, "exact")
        cands = sorted(i for i, nm in ours.items()
                       for o in {norm(nm), norm(i)}
                       if len(o) >= 3 and len(n) >= 3 and (n.startswith(o) or o.startswith(n)))
        if exact or cands:
            return Match([], "ambiguous", candidates=sorted(set(exact) | set(cands)))
        slug = slugify(name)
        return Match([slug], "new", [slug])

    def licence(self, raw: str, spdx_ids: dict[str, str], spdx_names: dict[str, str]) -> tuple[list[str] | None, str]:
        """Resolve a licence string to licence ids.

        Order: the crosswalk's ``licences`` table (exact string, case folded); the SPDX id of one
        of our licences (case folded); then an SPDX licence id or name from the MOF tool's
        ``licenses.json`` (``spdx_ids``/``spdx_names``:
        folded string -> SPDX id), mapped to our licence with that ``spdx_id``. Returns
        ``(ids, status)``: status ``ok``, ``unstated`` (the dataset names no licence),
        ``undisclosed`` (the dataset does not know whether the component is released),
        ``not_included`` (the dataset says the component is not released), ``no-record`` (an
        SPDX id we hold no licence record for) or ``unknown``.
        """
        k = str(raw).strip().lower()
        v = self.licences.get(k)
        if v is not None:
            if v in ("unstated", "undisclosed", "not_included"):
                return [], v
            return (v if isinstance(v, list) else [v]), "ok"
        ours = {sid.lower(): lid for sid, lid in self.known.spdx.items()}
        if k in ours:
            return [ours[k]], "ok"
        sid = spdx_ids.get(k) or spdx_names.get(k)
        if sid:
            lid = self.known.spdx.get(sid)
            return ([lid], "ok") if lid else (None, f"no-record:{sid}")
        return None, "unknown"


def read_json(path: Path) -> Any:
    """A JSON file the whole import needs (a schema, a licence list), or :class:`ImportFailed`
    naming the file and why it cannot be read (not UTF-8, not JSON: line and column)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


def load_spdx(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """SPDX licence list (``licenses.json``): ``({folded id: id}, {folded name: id})``. Raises
    :class:`ImportFailed` when the file cannot be read or has no ``licenses`` list; entries
    without a string ``licenseId`` are passed over."""
    doc = read_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("licenses"), list):
        raise ImportFailed(f"{path}: field 'licenses': missing (not an SPDX licence list)")
    ids, names = {}, {}
    for l in doc["licenses"]:
        if isinstance(l, dict) and isinstance(l.get("licenseId"), str):
            ids[l["licenseId"].lower()] = l["licenseId"]
            if isinstance(l.get("name"), str):
                names[l["name"].lower()] = l["licenseId"]
    return ids, names


# ------------------------------------------------------------------ writing

class _Dumper(yaml.SafeDumper):
    """Writes every value where it occurs: no ``&id001`` anchors and ``*id001`` aliases for
    values shared between records (readers of the files, and diffs, see each record whole)."""

    def ignore_aliases(self, data) -> bool:
        return True


def _str_repr(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


class FlowDict(dict):
    """A mapping written on one line (``{source: mof, locator: ..., supports: [...]}``)."""


def _list_repr(dumper, data):
    flow = all(not isinstance(x, (dict, list)) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _flow_dict_repr(dumper, data):
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(str, _str_repr)
_Dumper.add_representer(list, _list_repr)
_Dumper.add_representer(FlowDict, _flow_dict_repr)


def canonical_yaml(doc: dict[str, list[dict]], header: str) -> str:
    """Records as YAML: lists in key order, records sorted by id, fields in insertion order."""
    out = {k: sorted(v, key=lambda r: r["id"]) for k, v in doc.items() if v}
    body = yaml.dump(out, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return header + body


def read_yaml(path: Path, file: str, report: "ImportReport") -> tuple[bool, Any]:
    """Read one of a dataset's YAML files: ``(True, document)``, or ``(False, None)`` after
    reporting (``file``) why it cannot be read (malformed YAML, not UTF-8, a folder)."""
    try:
        return True, yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        report.add(file, None, yaml_error_text(exc))
    except UnicodeDecodeError as exc:
        report.add(file, None, f"not UTF-8 text (byte {exc.start})")
    except OSError as exc:
        report.add(file, None, "a folder, not a file" if path.is_dir() else f"cannot be read ({exc.strerror or exc})")
    return False, None


def count_records(folder: Path) -> int:
    """Records in an import folder's ``*.yaml`` (0 when there is none): the canonical files
    (:func:`canonical_yaml`) start each record of a list with ``- `` at the start of a line."""
    n = 0
    for p in folder.glob("*.yaml") if folder.is_dir() else ():
        try:
            with p.open("rb") as fh:
                n += sum(1 for line in fh if line.startswith(b"- "))
        except OSError:
            continue
    return n


def write_dataset(dataset: str, files: dict[str, str], out_root: Path = IMPORTED_DIR) -> Path:
    """Replace ``out_root/<dataset>/`` with ``files`` ({file name: text}) in one step: the files
    are written to a temporary folder beside it, which then replaces the old folder in one
    atomic exchange (:func:`openness_kg.files.atomic_dir`). Whenever the process stops, even by
    ``kill -9``, ``out_root/<dataset>/`` is the whole old import or the whole new one; a killed
    run may leave a hidden ``.<dataset>-*`` folder, which the next import removes
    (:func:`openness_kg.files.remove_leftovers`) and the ingest stage ignores."""
    target = out_root / dataset
    with atomic_dir(target) as tmp:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
    return target


def citation(source: str, locator: str, supports: Iterable[str], links: Iterable[str] = ()) -> dict:
    """A ``dataset_record`` entry (fields sorted, links sorted and unique)."""
    c: dict[str, Any] = FlowDict(source=source, locator=locator)
    links = sorted(set(links))
    if links:
        c["links"] = links
    c["supports"] = sorted(set(supports))
    return c
