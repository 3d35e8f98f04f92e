"""Import the Model Openness Framework tool's model records (LF AI & Data, MIT licence).

Input: the tool's folder with ``models/*.yml`` (one model each, checked against
``mof_schema.json``), ``mof.settings.yml`` (the 17 components, their content type and MOF class)
and ``licenses.json`` (the SPDX licence list the tool resolves licence strings with).

Licence of a component (the tool's rules): its own ``license``; when omitted, the release
licence for the component's content type (``release.license.code`` / ``data`` / ``document``),
and when that is empty, ``release.license.distribution``. ``unlicensed`` means included without
a licence. Strings resolve through ``data/crosswalk.yaml`` (licences) and then the SPDX list.

Output records (source ``mof``, named graph ``graph/source/mof``):

* one **Artifact** per listed component: availability ``released``; ``withheld`` where the
  licence field says the component is not included; ``unknown`` where the licence is
  ``Undisclosed`` (the tool does not know) or resolves to a proprietary licence (the record lists
  the component, but under proprietary terms we cannot tell whether it is public); ``unlicensed``
  is released without a licence. Each artifact carries the file's ``release.date`` as ``as_of``
  (the date the record speaks for). Components a record does not list are not imported (the
  record does not say whether they were assessed);
* one **Assessment** per listed component keeping the licence string as the tool states it and
  where it was read (``<file>#release.components[i].license`` or the release licence it inherits);
* the **Model** (name, developer, version, modalities, url, distribution licence) and its
  producer **Organisation** where the crosswalk finds none of ours.

A model file that cannot be read (not UTF-8, malformed YAML, a folder) or breaks
``mof_schema.json`` (missing required field, unknown type or architecture value...) is reported
with the field and skipped; so is a record with an empty producer (a model
needs a developer). An unknown component name is reported and that component skipped; an
unknown licence string is reported and the licence left out of the artifact.
"""
from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml

from ..files import yaml_error_text
from ..frameworks.mof import PROJECT_IDS, evaluate_release
from .common import (Crosswalk, ImportFailed, ImportReport, as_links, citation, load_spdx, read_json, read_yaml,
                     slugify)
from .collect import Collector, match_model, mint_licences, org_ids

DATASET = "mof"
# MOF component name -> our component (the evaluator's mapping: one copy)
COMPONENTS = PROJECT_IDS
TYPES = {"language": ["text"], "code": ["code"], "image": ["image"], "vision": ["image"],
         "audio": ["audio"], "video": ["video"]}
PROPRIETARY_LICENCES = {"proprietary-terms"}
HEADER = ("# Imported from the Model Openness Framework tool (lfai/model_openness_tool, LF AI & Data),\n"
          "# MIT licence. Written by `openness-kg import mof`: do not edit by hand (change\n"
          "# data/crosswalk.yaml or the importer and re-import).\n")


def import_mof(folder: Path, cw: Crosswalk, spdx_list: Path | None = None) -> tuple[dict[str, str], ImportReport]:
    """Read ``folder/models/*.yml`` with the tool's schema, settings and licence list
    (``spdx_list``, default ``folder/licenses.json``); return ``({file name: YAML text}, report)``.
    Raises :class:`ImportFailed` (one line naming the file and field) when the folder lacks
    ``models/``, ``mof_schema.json``, ``mof.settings.yml`` or ``licenses.json``, when one of the
    last three cannot be read (not UTF-8, not JSON / YAML, not a JSON Schema, no ``components``
    list of names and content types, no ``licenses`` list) or when ``models/`` holds no model."""
    folder = Path(folder)
    need = [folder / "models", folder / "mof_schema.json", folder / "mof.settings.yml", folder / "licenses.json"]
    missing = [str(p) for p in need if not p.exists()]
    if missing:
        raise ImportFailed(f"not a MOF tool folder; missing: {', '.join(missing)}")
    if not (folder / "models").is_dir():
        raise ImportFailed(f"not a folder: {folder / 'models'}")
    validator = _validator(folder / "mof_schema.json")
    content = _settings(folder / "mof.settings.yml")
    unknown = sorted(set(content) - set(COMPONENTS))
    if unknown:
        raise ImportFailed(f"mof.settings.yml lists components this importer does not map: {', '.join(unknown)}")
    spdx = load_spdx(spdx_list or folder / "licenses.json")
    files = sorted((folder / "models").glob("*.yml")) + sorted((folder / "models").glob("*.yaml"))
    if not files:
        raise ImportFailed(f"no MOF model files (models/*.yml) in {folder}")
    report = ImportReport(DATASET, files_read=len(files))
    col = Collector(DATASET, report)
    for p in files:
        _model(p, cw, col, validator, content, spdx)
    return col.files(HEADER), report


def _validator(path: Path) -> jsonschema.Draft7Validator:
    """The model-record validator from the tool's ``mof_schema.json`` (ImportFailed if broken)."""
    schema = read_json(path)
    try:
        jsonschema.Draft7Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = ".".join(str(x) for x in exc.absolute_path)
        raise ImportFailed(f"{path}: " + (f"field '{where}': " if where else "")
                           + f"not a JSON Schema: {str(exc.message).splitlines()[0]}") from None
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def _settings(path: Path) -> dict[str, str]:
    """``{component name: content type}`` from the tool's ``mof.settings.yml`` (ImportFailed,
    naming the file and field, if it cannot be read or lacks them)."""
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise ImportFailed(f"{path}: {yaml_error_text(exc)}") from None
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror or exc})") from None
    comps = settings.get("components") if isinstance(settings, dict) else None
    if not isinstance(comps, list) or not comps:
        raise ImportFailed(f"{path}: field 'components': missing (the list of components and their content types)")
    content = {}
    for i, c in enumerate(comps):
        for key in ("name", "content_type"):
            if not isinstance(c, dict) or not isinstance(c.get(key), str) or not c[key].strip():
                raise ImportFailed(f"{path}: field 'components[{i}].{key}': missing or not a string")
        content[c["name"]] = c["content_type"]
    return content


def _licence(raw: str, cw: Crosswalk, spdx, col: Collector, f: str, fld: str) -> tuple[list[str] | None, str]:
    ids, status = cw.licence(raw, *spdx)
    if status == "ok":
        mint_licences(ids, cw, col, f"{f}#{fld}")
        return ids, status
    if status in ("unstated", "undisclosed", "not_included"):
        return [], status
    why = (f"SPDX licence {status.split(':', 1)[1]} has no licence record in data/licences.yaml"
           if status.startswith("no-record") else "unknown licence string")
    col.report.add(f, fld, f"{why}: {raw!r} (add it to data/crosswalk.yaml licences)", "field")
    return None, "unknown"


def _model(p: Path, cw: Crosswalk, col: Collector, validator, content: dict, spdx) -> None:
    f = f"models/{p.name}"
    rep = col.report
    ok, doc = read_yaml(p, f, rep)
    if not ok:
        return
    # the tool's YAML may hold dates as dates; its schema wants strings
    for part in ("framework", "release"):
        if isinstance(doc, dict) and isinstance(doc.get(part), dict) and doc[part].get("date") is not None:
            doc[part]["date"] = str(doc[part]["date"])
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        for e in errors:
            pth = ".".join(str(x) for x in e.absolute_path)
            if e.validator == "required":
                missing = e.message.split("'")[1]
                rep.add(f, ".".join(filter(None, [pth, missing])), "missing required field")
            elif e.validator == "enum":
                rep.add(f, pth, f"unknown value {e.instance!r} (allowed: {', '.join(map(repr, e.validator_value))})")
            else:
                rep.add(f, pth or None, e.message)
        return
    rel = doc.get("release") if isinstance(doc, dict) else None
    if not isinstance(rel, dict) or rel.get("name") in (None, ""):
        rep.add(f, "release.name", "missing required field")
        return
    if not isinstance(rel.get("components"), list):
        rep.add(f, "release.components", "missing required field (a list of components)")
        return
    name = str(rel["name"]).strip()
    producer = str(rel.get("producer") or "").strip()
    if not producer:
        rep.add(f, "release.producer", "empty: a model needs a developer")
        return
    stem = p.stem
    m = match_model(cw, rep, DATASET, stem, name, f, "release.name", "model", "MOF model")
    if m is None:
        return
    model = m.ids[0]
    dev = org_ids(cw, col, DATASET, producer, f, "release.producer", f"{f}#release.producer")
    if dev is None:
        return

    lic = rel.get("license") if isinstance(rel.get("license"), dict) else {}

    def release_licence(kind: str) -> tuple[str | None, str]:
        v = (lic.get(kind) or {}).get("name") if isinstance(lic.get(kind), dict) else None
        return (str(v).strip(), f"release.license.{kind}.name") if v and str(v).strip() else (None, "")

    dist_raw, dist_fld = release_licence("distribution")
    dist_ids = None
    if dist_raw:
        dist_ids, _ = _licence(dist_raw, cw, spdx, col, f, dist_fld)
    if m.minted:
        rec = {"id": model, "name": name, "developer": dev}
        fields = ["name", "developer"]
        if str(rel.get("version") or "").strip():
            rec["version"] = str(rel["version"]).strip()
            fields.append("version")
        mods = TYPES.get(str(rel.get("type") or ""))
        if mods:
            rec["modalities"] = mods
            fields.append("modalities")
        urls = as_links(rel.get("huggingface"))[0] or as_links(rel.get("repository"))[0]
        if urls:
            rec["url"] = urls[0]
            fields.append("url")
        cits = [citation(DATASET, f"{f}#release", fields)]
        if dist_ids:
            rec["licence"] = dist_ids
            cits.append(citation(DATASET, f"{f}#{dist_fld}", ["licence"]))
        rec["dataset_record"] = cits
        family, why = cw.family(DATASET, stem, name)
        if why:
            rep.add(f, "release.name", why, "field")
        if not col.mint_model(f, "release.name", "MOF model", name, model, model if m.how == "crosswalk" else stem, rec,
                              family):
            return
    rep.imported_units += 1

    base = slugify(stem)
    # the date this file speaks for (release.date: when the record was made or last evaluated,
    # e.g. 2025-11-03 for Pythia-70M, not the model's release): the analyses date its evidence by it
    rec_date = str(rel.get("date") or "").strip()
    rec_date = rec_date if len(rec_date) in (4, 7, 10) and rec_date[:4].isdigit() else None
    seen = set()
    for i, comp in enumerate(rel["components"]):
        cfld = f"release.components[{i}]"
        if not isinstance(comp, dict):
            rep.add(f, cfld, "not a mapping of name, description, license...")
            continue
        cname = str(comp.get("name") or "").strip()
        our = COMPONENTS.get(cname)
        if our is None or cname not in content:
            rep.add(f, f"{cfld}.name", f"unknown component {cname!r} (not in mof.settings.yml)")
            continue
        if our in seen:
            rep.add(f, f"{cfld}.name", f"component {cname!r} listed twice; the first is kept")
            continue
        seen.add(our)
        if "license" in comp and comp["license"] is not None and str(comp["license"]).strip():
            raw, lfld = str(comp["license"]).strip(), f"{cfld}.license"
        else:
            raw, lfld = release_licence(content[cname])
            if raw is None:
                raw, lfld = release_licence("distribution")
        availability, ids = "released", []
        if raw is None or raw.lower() == "unlicensed":
            ids = []
        else:
            got, status = _licence(raw, cw, spdx, col, f, lfld)
            if status == "not_included":
                availability = "withheld"
            elif status == "undisclosed":     # "Undisclosed": the tool does not know -> unknown
                availability = "unknown"
            ids = got or []
            if set(ids) & PROPRIETARY_LICENCES:
                availability = "unknown"
        aid = f"mof-{base}-{our.replace('_', '-')}"
        links = as_links(comp.get("component_path"))[0]
        art = {"id": aid, "name": f"{name}: {cname} (MOF)", "artifact_of": model, "component": our,
               "availability": availability}
        fields = ["artifact_of", "component", "availability"]
        if rec_date:
            art["as_of"] = rec_date
            fields.append("as_of")
        if links:
            art["url"] = links[0]
            fields.append("url")
        cits = [citation(DATASET, f"{f}#{cfld}", fields, links)]
        if ids:
            art["licence"] = ids
            cits.append(citation(DATASET, f"{f}#{lfld}", ["licence"], as_links(comp.get("license_path"))[0]))
        art["dataset_record"] = cits
        col.add("artifacts", art, f, cfld)
        a = {"id": f"mof-{base}-{our.replace('_', '-')}-licence", "name": f"{name}: {cname} licence (MOF)",
             "assessed": f"model/{model}", "variant_name": name, "criterion": cname,
             "judgement": raw if raw is not None else "(none given)", "component": our, "mapped_artifacts": [aid]}
        a["dataset_record"] = [citation(DATASET, f"{f}#{lfld or cfld}", ["assessed", "criterion", "judgement",
                                                                             "component", "mapped_artifacts"],
                                        as_links(comp.get("license_path"))[0]),
                               citation(DATASET, f"{f}#release.name", ["variant_name"])]
        col.add("assessments", a, f, cfld)
    _release_class(doc, f, base, name, model, col)


def _release_class(doc: dict, f: str, base: str, name: str, model: str, col: Collector) -> None:
    """The class the Model Openness Tool gives this file (release), as an Assessment of the
    variant: criterion ``MOF class``, judgement ``class_i`` / ``class_ii`` / ``class_iii`` /
    ``none``, from the tool's own evaluator ported in :mod:`openness_kg.frameworks.mof` (the
    tool judges each checkpoint; the analyses derive the model's class from its combined
    evidence). Components the importer skipped (an unknown name, already reported) are left out
    of the evaluation; a file the evaluator still cannot read is reported and gets no class."""
    rel = dict(doc["release"])
    rel["components"] = [c for c in rel["components"] if isinstance(c, dict) and str(c.get("name") or "").strip()
                         in COMPONENTS]
    try:
        ev = evaluate_release({**doc, "release": rel})
    except (ValueError, KeyError) as exc:
        col.report.add(f, "release.components", f"the MOF evaluator cannot judge this file: {exc}", "field")
        return
    a = {"id": f"mof-{base}-class", "name": f"{name}: MOF class (Model Openness Tool)",
         "assessed": f"model/{model}", "variant_name": name, "criterion": "MOF class",
         "judgement": ev.mof_class}
    a["dataset_record"] = [citation(DATASET, f"{f}#release", ["assessed", "criterion", "judgement", "variant_name"])]
    col.add("assessments", a, f, "release")
