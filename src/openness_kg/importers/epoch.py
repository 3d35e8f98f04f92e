"""Import Epoch AI's database of ML systems and its benchmark files (epoch.ai/data, CC-BY-4.0;
credit "Epoch AI, 'Data on Notable AI Models'" and, for the benchmark files, Cottier et al.
(2024), "How far behind are open models?").

Input: a folder with ``all_ml_systems.csv`` (required: one row per ML system, the published
"All ML Systems" columns: ``System``, ``Organization``, ``Country (from Organization)``,
``Organization categorization``, ``Publication date``, ``Parameters``, ``Training compute
(FLOP)``, ``Training compute lower bound`` / ``upper bound``, ``Training dataset size
(datapoints)``, ``Model accessibility``, ``Training code accessibility``, ``Dataset
accessibility``, ``Base model``, ``Frontier model``, ``Confidence``, ``Notability criteria``,
``Domain``, ``Link``, ``Last modified``) and optionally ``benchmarks_with_model_accessibility.csv``
and ``gsm1k_with_model_accessibility.csv`` (one row per model: ``System``, ``Date``,
``Open/Closed`` and one column per benchmark).

Scope: Epoch's *notable* systems (a non-empty ``Notability criteria``), systems it flags as
frontier models, and the base models these were fine-tuned from (followed through the chain), so
that every lineage edge ends at an imported model. The rest of the database (systems Epoch
tracks but does not count as notable) is left out: counted in the report, not listed.

Output (source ``epoch``, named graph ``graph/source/epoch``); every record cites the CSV row it
was read from, ``<file>#row=<n>`` (RFC 7111 row numbers: the header is row 1):

* a **Model** per system: name, developer(s), ``release_date`` (publication date),
  ``parameter_count`` (parameters), ``training_compute`` with ``training_compute_lower`` /
  ``_upper`` (FLOP), ``training_dataset_size`` (datapoints), ``modalities`` (from the domain),
  ``base_model`` (the lineage edge: fine-tuned from), ``frontier_model``, ``estimate_confidence``,
  ``access_modes`` (open weights -> weights_download, API access -> api, hosted access ->
  hosted_app), ``licence`` (the non-commercial and restricted-use weights terms, defined by the
  crosswalk's ``new_licences``), ``url``. A system the crosswalk maps to a model defined
  elsewhere (curated, or another import) gets only the fields that record lacks: the catalogue
  merges the two, and a value the other record already gives is never contradicted;
* **Artifacts** ``final_parameters`` (Model accessibility), ``training_code`` (Training code
  accessibility) and ``datasets`` (Dataset accessibility): open -> released (with the
  non-commercial / restricted-use terms as licence), unreleased, API or hosted access ->
  withheld; an empty cell gives no artifact (Epoch does not say); ``as_of`` is the row's
  ``Last modified`` date;
* an **Organisation** per name of the ``Organization`` cell (several names are comma-separated,
  their countries and categories in the same order) where the crosswalk finds none of ours:
  ``country`` (ISO 3166-1 via pycountry, or the crosswalk's ``countries`` table) and
  ``org_type`` (Industry -> company, Academia -> university, Research collective ->
  collaboration, Government -> government);
* a **BenchmarkResult** per score in the benchmark files (model name as given, benchmark,
  score, date, open or closed), linked to our model where the name matches one.

Reported and skipped (file, row, field): a row without a system name or with a publication date
that is not YYYY-MM-DD, a system name given twice, a base model that is not a system of the
file; reported with the field left out: a number cell that is not a number (a number followed by
a note keeps the number, with a note in the report), an unknown country, category, accessibility
or confidence value, lists of organisations and countries of different lengths.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .common import Crosswalk, ImportFailed, ImportReport, citation, slugify
from .collect import Collector, match_model, mint_licences, org_ids

DATASET = "epoch"
SYSTEMS_FILE = "all_ml_systems.csv"
BENCHMARK_FILES = {  # file -> benchmark columns
    "benchmarks_with_model_accessibility.csv": ("BBH", "GPQA", "MMLU", "HELM MMLU", "SEAL Coding",
                                                "SEAL Instruction Following", "SEAL Math", "LMSys Elo"),
    "gsm1k_with_model_accessibility.csv": ("GSM8k", "GSM1k"),
}
ORG_TYPES = {"Industry": "company", "Academia": "university", "Research collective": "collaboration",
             "Government": "government"}
NO_COUNTRY = {"Multinational"}  # Epoch's value for organisations spread over countries
CONFIDENCE = {"Confident": "confident", "Likely": "likely", "Speculative": "speculative",
              "Unverified": "unverified", "Unknown": "unknown", "Wrong": "wrong"}
MODALITIES = {"Language": ["text"], "Vision": ["image"], "Image generation": ["image"], "Speech": ["audio"],
              "Audio": ["audio"], "Video": ["video"]}
# accessibility cell -> (availability, licence string for the crosswalk or None)
WEIGHTS = {"Open weights (unrestricted)": ("released", None),
           "Open weights (non-commercial)": ("released", "Open weights (non-commercial)"),
           "Open weights (restricted use)": ("released", "Open weights (restricted use)"),
           "API access": ("withheld", None), "Hosted access (no API)": ("withheld", None),
           "Unreleased": ("withheld", None)}
ACCESS_MODES = {"Open weights (unrestricted)": "weights_download", "Open weights (non-commercial)": "weights_download",
                "Open weights (restricted use)": "weights_download", "API access": "api",
                "Hosted access (no API)": "hosted_app"}
OPEN_PARTS = {"Open source": ("released", None),
              "Open (non-commercial)": ("released", "Open (non-commercial)"),
              "Open (restricted use)": ("released", "Open (restricted use)"),
              "Unreleased": ("withheld", None)}
ARTIFACT_COLUMNS = (("Model accessibility", "final_parameters", WEIGHTS),
                    ("Training code accessibility", "training_code", OPEN_PARTS),
                    ("Dataset accessibility", "datasets", OPEN_PARTS))
NUMBER_RE = re.compile(r"^\s*([-+]?(?:\d[\d,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*)$", re.S)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HEADER = ("# Imported from Epoch AI, 'Data on Notable AI Models' (epoch.ai/data), CC-BY-4.0, via\n"
          "# epoch-research/open-model-trends. Written by `openness-kg import epoch`: do not edit by hand\n"
          "# (change data/crosswalk.yaml or the importer and re-import).\n")


def parse_number(raw: str) -> tuple[int | float | None, str | None]:
    """A number cell -> ``(value, problem)``: ``"1.2e+11"`` -> ``(120000000000, None)``;
    ``"175,000,000,000"`` -> ``(175000000000, None)``; ``"7e9 (estimate)"`` -> ``(7000000000,
    "a note follows the number: '(estimate)'")``; ``""`` -> ``(None, None)``; ``"unknown"`` ->
    ``(None, "not a number: 'unknown'")``. Whole values are ints (exact, so that the RDF literal
    is a valid xsd:decimal however large); others floats."""
    s = (raw or "").strip()
    if not s:
        return None, None
    m = NUMBER_RE.match(s)
    if not m:
        return None, f"not a number: {s!r}"
    try:
        d = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        return None, f"not a number: {s!r}"
    if not d.is_finite() or d < 0:
        return None, f"not a non-negative number: {s!r}"
    value: int | float = int(d) if d == d.to_integral_value() else float(d)
    note = m.group(2).strip()
    return value, (f"a note follows the number: {note!r}" if note else None)


def country_code(name: str, cw: Crosswalk) -> str | None:
    """ISO 3166-1 alpha-2 code of one of Epoch's country names: the crosswalk's ``countries``
    table first (``"Korea (Republic of)": KR``), then pycountry's lookup (names, official names,
    codes); None when neither knows it."""
    table = cw.doc.get("countries") or {}
    if name in table:
        return table[name] or None
    import pycountry

    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def _read_csv(path: Path, f: str, rep: ImportReport, required: bool) -> list[dict[str, str]] | None:
    """Rows of a CSV file (UTF-8, byte-order mark dropped) as dicts, or None after reporting why
    it cannot be read; a required file that cannot be read fails the import."""
    def fail(msg: str):
        if required:
            raise ImportFailed(f"{path}: {msg}")
        rep.add(f, None, msg)
        return None

    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        return fail("a folder, not a CSV file")
    except OSError as exc:
        return fail(f"cannot be read ({exc.strerror or exc})")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return fail(f"not UTF-8 text at line {line} (byte {exc.start})")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        return fail(f"malformed CSV at line {reader.line_num}: {exc}")
    if "System" not in (reader.fieldnames or []):
        return fail("field 'System': missing required column")
    return rows


def import_epoch(folder: Path, cw: Crosswalk) -> tuple[dict[str, str], ImportReport]:
    """Read ``folder/all_ml_systems.csv`` and the benchmark files beside it; return ``({file
    name: YAML text}, report)``. Raises :class:`ImportFailed` (one line naming the file) when the
    folder or the systems file is missing or cannot be read as CSV with a ``System`` column."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportFailed(f"not a folder: {folder}")
    if not (folder / SYSTEMS_FILE).exists():
        raise ImportFailed(f"no Epoch systems file ({SYSTEMS_FILE}) in {folder}")
    report = ImportReport(DATASET)
    col = Collector(DATASET, report)
    rows = _read_csv(folder / SYSTEMS_FILE, SYSTEMS_FILE, report, required=True)
    report.files_read = 1
    _systems(rows, cw, col)
    for fname, benchmarks in BENCHMARK_FILES.items():
        p = folder / fname
        if p.exists():
            report.files_read += 1
            brows = _read_csv(p, fname, report, required=False)
            if brows is not None:
                _benchmarks(brows, fname, benchmarks, cw, col)
    return col.files(HEADER), report


def _cell(row: dict, key: str) -> str:
    return (row.get(key) or "").strip()


def _selected(rows: list[dict[str, str]], rep: ImportReport) -> list[tuple[int, dict[str, str]]]:
    """``(row number, row)`` of the systems in scope (see the module docstring), in file order;
    rows without a name or with a name given before are reported and skipped."""
    by_name: dict[str, tuple[int, dict]] = {}
    for i, row in enumerate(rows, start=2):
        name = _cell(row, "System")
        if not name:
            rep.add(f"{SYSTEMS_FILE}#row={i}", "System", "empty: a system needs a name")
            continue
        if name in by_name:
            rep.add(f"{SYSTEMS_FILE}#row={i}", "System", f"system {name!r} is also row {by_name[name][0]}")
            continue
        by_name[name] = (i, row)
    keep = {n for n, (_, r) in by_name.items() if _cell(r, "Notability criteria") or _cell(r, "Frontier model")}
    todo = list(keep)
    while todo:  # the base models of the systems kept, through the chain
        base = _cell(by_name[todo.pop()][1], "Base model")
        if base in by_name and base not in keep:
            keep.add(base)
            todo.append(base)
    rep.add(SYSTEMS_FILE, None, f"{len(by_name) - len(keep)} of {len(by_name)} systems are neither notable nor "
            f"frontier nor the base of one: not imported", "")
    return sorted((i, r) for n, (i, r) in by_name.items() if n in keep)


def _systems(rows: list[dict[str, str]], cw: Crosswalk, col: Collector) -> None:
    rep = col.report
    selected = _selected(rows, rep)
    ids: dict[str, str] = {}  # system name -> our model id
    known: dict[str, dict] = {}  # model id -> the record defined elsewhere (curated or another import)
    for i, row in selected:
        mid = _system(i, row, cw, col, known)
        if mid:
            ids[_cell(row, "System")] = mid
    # the lineage edges, once every system has its id
    for i, row in selected:
        name, base = _cell(row, "System"), _cell(row, "Base model")
        if not base or name not in ids:
            continue
        loc = f"{SYSTEMS_FILE}#row={i}"
        if base not in ids:
            rep.add(loc, "Base model", f"base model {base!r} is not an imported system of {SYSTEMS_FILE}", "field")
            continue
        rec = col.lists["models"].get(ids[name])
        if rec is None or ids[base] == ids[name]:
            continue
        if "base_model" in known.get(ids[name], {}):
            continue  # the model's own record already names its base model
        cits = rec.pop("dataset_record")
        rec["base_model"] = ids[base]  # written before the provenance, like every field
        rec["dataset_record"] = cits
        _support(rec, loc, "base_model")


def _support(rec: dict, loc: str, fld: str) -> None:
    """Add ``fld`` to the supports of ``rec``'s citation of ``loc``."""
    cits = rec["dataset_record"]
    for k, c in enumerate(cits):
        if c["locator"] == loc:
            cits[k] = citation(DATASET, loc, [*c["supports"], fld], c.get("links", ()))
            return
    cits.append(citation(DATASET, loc, [fld]))


def _number(row: dict, key: str, loc: str, rep: ImportReport) -> int | float | None:
    value, problem = parse_number(row.get(key) or "")
    if problem:  # a number with a note keeps the number (a note); no number: the field is left out
        rep.add(loc, key, problem, "" if value is not None else "field")
    return value


def _organisations(row: dict, loc: str, cw: Crosswalk, col: Collector) -> list[str] | None:
    """Our ids of the organisations of the row (None: reported, the system is skipped)."""
    rep = col.report
    names = [n.strip() for n in _cell(row, "Organization").split(",") if n.strip()]
    if not names:
        rep.add(loc, "Organization", "empty: a model needs a developer")
        return None
    countries = [c.strip() for c in _cell(row, "Country (from Organization)").split(",")]
    kinds = [c.strip() for c in _cell(row, "Organization categorization").split(",")]
    if len(countries) != len(names):
        if any(countries):
            rep.add(loc, "Country (from Organization)", f"{len(countries)} countries for {len(names)} "
                    "organisations: countries left out", "field")
        countries = [""] * len(names)
    if len(kinds) != len(names):
        if any(kinds):
            rep.add(loc, "Organization categorization", f"{len(kinds)} categories for {len(names)} "
                    "organisations: categories left out", "field")
        kinds = [""] * len(names)
    out: list[str] = []
    for name, country, kind in zip(names, countries, kinds):
        extra: dict[str, Any] = {}
        if country and country not in NO_COUNTRY:
            code = country_code(country, cw)
            if code:
                extra["country"] = code
            else:
                rep.add(loc, "Country (from Organization)", f"unknown country {country!r} (add it to "
                        "data/crosswalk.yaml countries)", "field")
        if kind:
            if kind in ORG_TYPES:
                extra["org_type"] = ORG_TYPES[kind]
            else:
                rep.add(loc, "Organization categorization", f"unknown category {kind!r}", "field")
        got = org_ids(cw, col, DATASET, name, loc, "Organization", loc, extra)
        if got is None:
            return None
        out += [g for g in got if g not in out]
    return out


def _system(i: int, row: dict, cw: Crosswalk, col: Collector, known_by_id: dict[str, dict]) -> str | None:
    """Import one system row; returns our model id, or None (reported). ``known_by_id`` gets
    the record of a model defined elsewhere that the row adds fields to."""
    rep = col.report
    loc = f"{SYSTEMS_FILE}#row={i}"
    name = _cell(row, "System")
    date = _cell(row, "Publication date")
    if not DATE_RE.match(date):
        rep.add(loc, "Publication date", f"not a date (YYYY-MM-DD): {date!r}" if date else "empty")
        return None
    m = match_model(cw, rep, DATASET, name, name, loc, "System", "system", "Epoch system")
    if m is None:
        return None
    dev = _organisations(row, loc, cw, col)
    if dev is None:
        return None
    model = m.ids[0]
    known = cw.known.models.get(model) if not m.minted else None
    if known is not None:
        known_by_id[model] = known
    rec: dict[str, Any] = {"id": model, "name": name if known is None else known.get("name", name),
                           "developer": dev if known is None else known.get("developer", dev),
                           "release_date": date}
    fields = ["name", "developer", "release_date"] if known is None else ["release_date"]
    mods = sorted({x for d in _cell(row, "Domain").split(",") for x in MODALITIES.get(d.strip(), [])})
    if mods:
        rec["modalities"] = mods
        fields.append("modalities")
    for key, fld in (("Parameters", "parameter_count"), ("Training compute (FLOP)", "training_compute"),
                     ("Training compute lower bound", "training_compute_lower"),
                     ("Training compute upper bound", "training_compute_upper"),
                     ("Training dataset size (datapoints)", "training_dataset_size")):
        v = _number(row, key, loc, rep)
        if v is not None:
            rec[fld] = v
            fields.append(fld)
    if _cell(row, "Frontier model"):
        rec["frontier_model"] = True
        fields.append("frontier_model")
    conf = _cell(row, "Confidence")
    if conf:
        if conf in CONFIDENCE:
            rec["estimate_confidence"] = CONFIDENCE[conf]
            fields.append("estimate_confidence")
        else:
            rep.add(loc, "Confidence", f"unknown value {conf!r} (one of {', '.join(CONFIDENCE)})", "field")
    access = _cell(row, "Model accessibility")
    if access in ACCESS_MODES:
        rec["access_modes"] = [ACCESS_MODES[access]]
        fields.append("access_modes")
    link = _cell(row, "Link")
    if re.match(r"^https?://\S+$", link):
        rec["url"] = link
        fields.append("url")
    as_of = _cell(row, "Last modified")[:10]
    as_of = as_of if DATE_RE.match(as_of) else None
    arts = []
    for column, component, table in ARTIFACT_COLUMNS:
        v = _cell(row, column)
        if not v:
            continue
        if v not in table:
            rep.add(loc, column, f"unknown value {v!r} (one of {', '.join(table)})", "field")
            continue
        availability, lic_raw = table[v]
        lic = _licence(lic_raw, cw, col, loc, column) if lic_raw else []
        arts.append((column, component, availability, lic))
        if component == "final_parameters" and lic:
            rec["licence"] = lic
            fields.append("licence")
    if known is not None:  # a model defined elsewhere: add only what its record lacks
        for fld in [f for f in fields if f in known and f not in ("name", "developer")]:
            if known[fld] != rec[fld]:
                rep.add(loc, fld.replace("_", " "), f"{model!r} already gives {known[fld]!r}; Epoch's {rec[fld]!r} "
                        "is left out", "")
            fields.remove(fld)
            del rec[fld]
    rec["dataset_record"] = [citation(DATASET, loc, fields)] if fields else []
    if m.minted:
        family, why = cw.family(DATASET, name, name)
        if why:
            rep.add(loc, "System", why, "field")
        if not col.mint_model(loc, "System", "system", name, model, model if m.how == "crosswalk" else name, rec,
                              family):
            return None
    elif fields and not col.add("models", rec, loc, "System"):
        return None
    rep.imported_units += 1
    for column, component, availability, lic in arts:
        art = {"id": f"epoch-{model}-{component.replace('_', '-')}", "name": f"{name}: {component.replace('_', ' ')} (Epoch AI)",
               "artifact_of": model, "component": component, "availability": availability}
        afields = ["artifact_of", "component", "availability"]
        if lic:
            art["licence"] = lic
            afields.append("licence")
        if as_of:
            art["as_of"] = as_of
            afields.append("as_of")
        art["dataset_record"] = [citation(DATASET, loc, afields)]
        col.add("artifacts", art, loc, column)
    return model


def _licence(raw: str, cw: Crosswalk, col: Collector, loc: str, column: str) -> list[str]:
    ids, status = cw.licence(raw, {}, {})
    if status == "ok":
        mint_licences(ids, cw, col, loc)
        return ids
    col.report.add(loc, column, f"no licence for {raw!r} (add it to data/crosswalk.yaml licences)", "field")
    return []


def _benchmarks(rows: list[dict[str, str]], fname: str, benchmarks: tuple[str, ...], cw: Crosswalk,
                col: Collector) -> None:
    rep = col.report
    models = col.lists.get("models", {})
    for i, row in enumerate(rows, start=2):
        loc = f"{fname}#row={i}"
        name = _cell(row, "System")
        if not name:
            rep.add(loc, "System", "empty: a benchmark result needs a model name")
            continue
        date = _cell(row, "Date")
        if not DATE_RE.match(date):
            rep.add(loc, "Date", f"not a date (YYYY-MM-DD): {date!r}" if date else "empty")
            continue
        oc = _cell(row, "Open/Closed")
        if oc not in ("Open", "Closed"):
            rep.add(loc, "Open/Closed", f"not Open or Closed: {oc!r}")
            continue
        m = cw.match("models", DATASET, name, name)
        ours = None
        if m.how in ("crosswalk", "exact") and len(m.ids) == 1 and (not m.minted or m.ids[0] in models):
            ours = m.ids[0]
        elif m.how == "new" and m.ids[0] in models:
            ours = m.ids[0]
        for bench in benchmarks:
            score, problem = parse_number(row.get(bench) or "")
            if problem:
                rep.add(loc, bench, problem, "" if score is not None else "field")
            if score is None:
                continue
            r: dict[str, Any] = {"id": f"epoch-{slugify(name)}-{slugify(bench)}",
                                 "name": f"{name} on {bench} (Epoch AI)", "variant_name": name, "benchmark": bench,
                                 "benchmark_score": score, "release_date": date, "open_weights": oc == "Open"}
            fields = ["variant_name", "benchmark", "benchmark_score", "release_date", "open_weights"]
            if ours:
                r["evaluated_model"] = ours
                fields.append("evaluated_model")
            r["dataset_record"] = [citation(DATASET, loc, fields)]
            col.add("benchmark_results", r, loc, bench)
