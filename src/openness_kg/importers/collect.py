"""Collecting the records one import produces: minted entities once, references checked."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .common import Crosswalk, ImportFailed, ImportReport, Match, canonical_yaml, citation


@dataclass
class Collector:
    """Records of one dataset import, by curated-file list key (``organisations``, ``models``,
    ``artifacts``, ``licences``, ``assessments``), keyed by id."""

    source: str
    report: ImportReport
    lists: dict[str, dict[str, dict]] = field(default_factory=dict)
    minted_by: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, key: str, record: dict, file: str = "", fld: str | None = None) -> bool:
        """Add a record; a second record with the same id is reported (``file``, ``fld``) and
        left out (returns False)."""
        recs = self.lists.setdefault(key, {})
        if record["id"] in recs:
            self.report.add(file, fld, f"gives the id '{record['id']}' that another record of this import has")
            return False
        recs[record["id"]] = record
        return True

    def has(self, key: str, slug: str) -> bool:
        return slug in self.lists.get(key, {})

    def mint_model(self, file: str, fld: str, what: str, name: str, slug: str, owner: str, record: dict,
                   family: str | None = None) -> bool:
        """:meth:`mint` a model; on a clash report it (``file``, ``fld``: the index entity of
        kind ``what`` named ``name`` would take another's id) and return False. ``family``: the
        model family the crosswalk gives the model (:meth:`.Crosswalk.family`), written after
        ``developer`` and backed by the record's first dataset citation (the index record that
        names the model and its developer)."""
        if family:
            record = _with_family(self.source, record, family)
        if self.mint("models", slug, owner, record):
            return True
        self.report.add(file, fld, f"{what} {name!r} would get the model id '{slug}' of another {what}; "
                        f"add it to data/crosswalk.yaml (models/{self.source})")
        return False

    def mint(self, key: str, slug: str, owner: str, record: dict) -> bool:
        """Define a minted entity once. The same slug minted for a different index entity
        (``owner``) is a clash: returns False (the caller reports it)."""
        prev = self.minted_by.get((key, slug))
        if prev is not None:
            if prev != owner:
                return False
            # same entity seen again (an organisation of several systems): join the provenance;
            # of several spellings the longest name is kept (the first on a tie)
            rec = self.lists[key][slug]
            if len(str(record.get("name", ""))) > len(str(rec.get("name", ""))):
                rec["name"] = record["name"]
            differ = set()
            for k, v in record.items():
                if k in ("id", "name", "dataset_record"):
                    continue
                if k not in rec:
                    rec[k] = v  # a field the first mention lacked (an organisation's url)
                elif rec[k] != v:
                    differ.add(k)  # the first mention's value stands; this one backs nothing
            for c in record.get("dataset_record", []):
                if differ:
                    c = type(c)(c, supports=[f for f in c["supports"] if f not in differ])
                    if not c["supports"]:
                        continue
                if c not in rec["dataset_record"]:
                    rec["dataset_record"].append(c)
            rec["dataset_record"].sort(key=lambda c: c["locator"])
            return True
        self.minted_by[(key, slug)] = owner
        self.add(key, record)
        return True

    def files(self, header: str) -> dict[str, str]:
        """``{file name: canonical YAML}``, one file per list."""
        out = {}
        for key in sorted(self.lists):
            recs = list(self.lists[key].values())
            self.report.records[key] = len(recs)
            out[f"{key}.yaml"] = canonical_yaml({key: recs}, header)
        return out


def _with_family(source: str, record: dict, family: str) -> dict:
    """``record`` with ``family`` after ``developer``, its first dataset citation supporting it."""
    out: dict[str, Any] = {}
    for k, v in record.items():
        out[k] = v
        if k == "developer":
            out["family"] = family
    out.setdefault("family", family)
    cits = list(out.get("dataset_record") or [])
    if cits:
        c = cits[0]
        cits[0] = citation(source, c["locator"], [*c["supports"], "family"], c.get("links", ()))
        out["dataset_record"] = cits
    return out


def match_model(cw: Crosswalk, report: Any, dataset: str, key: str, name: str, file: str, fld: str,
                what: str, one: str):
    """The crosswalk's match of an index's model or system (``key``: its file stem; ``name`` as
    the index writes it), or None after reporting ``file``/``fld`` when the name is ambiguous
    (``what``: the noun for the name, e.g. "system") or maps to several models (``one``: the noun
    for the record, e.g. "MOF model"). The match tells whether the model is new (``minted``)."""
    m = cw.match("models", dataset, key, name)
    if m.how == "ambiguous":
        report.add(file, fld, f"ambiguous {what} name {name!r}: could be model {', '.join(m.candidates)}; "
                   f"add it to data/crosswalk.yaml (models/{dataset})")
        return None
    if len(m.ids) != 1:
        report.add(file, fld, f"the crosswalk must map a {one} to one model")
        return None
    cw.keep("models", dataset, key, name, m)
    return m


def org_ids(cw: Crosswalk, col: Collector, dataset: str, name: str, file: str, fld: str,
            locator: str, extra: dict[str, Any] | None = None) -> list[str] | None:
    """Our organisation id(s) for an index organisation name, minting new ones (with ``extra``
    fields such as ``url``) in ``col``; None (reported) when the name is ambiguous or clashes."""
    m: Match = cw.match("organisations", dataset, name, name)
    if m.how == "ambiguous":
        col.report.add(file, fld, f"ambiguous organisation name {name!r}: could be "
                       f"{', '.join(m.candidates)}; add it to data/crosswalk.yaml (organisations/{dataset})")
        return None
    for slug in m.minted:
        rec = {"id": slug, "name": name}
        fields = ["name"]
        for k, v in (extra or {}).items():
            if v:
                rec[k] = v
                fields.append(k)
        rec["dataset_record"] = [citation(col.source, locator, fields)]
        # entries the crosswalk gives one slug (new:<slug>) are one entity however spelt
        owner = slug if m.how == "crosswalk" else name
        if not col.mint("organisations", slug, owner, rec):
            col.report.add(file, fld, f"organisation {name!r} would get the id '{slug}' of another "
                           f"organisation of this dataset; add it to data/crosswalk.yaml")
            return None
    cw.keep("organisations", dataset, name, name, m)
    return m.ids


def mint_licences(ids: list[str], cw: Crosswalk, col: Collector, locator: str) -> None:
    """Define the licences of ``ids`` that the crosswalk's ``new_licences`` section describes
    (a licence the dataset names that none of our records covers, e.g. unnamed proprietary
    terms) in this import, backed by the dataset record where the licence string was read."""
    new = cw.doc.get("new_licences") or {}
    for lid in ids:
        spec = new.get(lid)
        if not spec:
            continue
        rec = {"id": lid, **{k: v for k, v in spec.items()}}
        rec["dataset_record"] = [citation(col.source, locator, [k for k in spec])]
        col.mint("licences", lid, lid, rec)


def collect(source: str, files: list, empty: str, read: Callable[[Any, "Collector"], None],
            header: str) -> tuple[dict[str, str], ImportReport]:
    """Run ``read(file, collector)`` on every one of ``files`` (sorted paths) and return
    ``({file name: canonical YAML}, report)``. Raises :class:`ImportFailed` with ``empty`` when
    there is no file."""
    if not files:
        raise ImportFailed(empty)
    report = ImportReport(source, files_read=len(files))
    col = Collector(source, report)
    for p in files:
        read(p, col)
    return col.files(header), report
