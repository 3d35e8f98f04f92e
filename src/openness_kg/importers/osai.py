"""Import the European Open Source AI Index (osai-index.eu; Liesenfeld & Dingemanse 2024, CC-BY-4.0).

Input: a folder of ``*.yaml`` files, one per generative AI system, each with ``system`` (name,
link, type, basemodelname, endmodelname, endmodellicense, releasedate...), ``org`` (name, link)
and the 12 openness dimensions, each ``{class: open | partial | closed, link, notes}``.

Output records (source ``osai-index``, named graph ``graph/source/osai-index``):

* one **Assessment** per system and dimension: the index's own judgement (``judgement`` =
  open / partial / closed, ``criterion`` = the dimension key, ``variant_name`` = the base model's
  name for the two base-model dimensions, else the end model's), its evidence links and the
  locator ``<file>#<dimension>``; the notes are not copied (they are the index's words);
* **Artifacts** for the dimensions that are components of the end-user model (table
  ``DIMENSIONS``): availability open -> released, partial -> partly_released, closed -> withheld;
  the end model's licence goes on the final-parameters artifact;
* the system's **Model** and **Organisation** where the crosswalk finds none of ours (new
  entities: name, developer, url, modalities, licence).

A file that cannot be read (not UTF-8, malformed YAML, a folder named like a system file) or
breaks the published format (not a mapping, missing ``system.name`` or ``org.name``, a missing
dimension, a class outside open / partial / closed) is reported and skipped; an unknown
top-level key, a link that is not a URL and a licence string the crosswalk cannot resolve are
reported and only that value is left out.
"""
from __future__ import annotations

from pathlib import Path

from .common import Crosswalk, ImportFailed, ImportReport, as_links, citation, read_yaml, slugify
from .collect import Collector, collect, match_model, mint_licences, org_ids

DATASET = "osai-index"
CLASSES = {"open": "released", "partial": "partly_released", "closed": "withheld"}
# dimension key -> (name in _parameters.yml, our components it maps onto (end-user model))
DIMENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "datasources_basemodel": ("Base Model Data", ()),
    "datasources_endmodel": ("End User Model Data", ("datasets",)),
    "weights_basemodel": ("Base Model Weights", ()),
    "weights_endmodel": ("End User Model Weights", ("final_parameters",)),
    "trainingcode": ("Training Code", ("training_code", "data_preprocessing_code")),
    "code": ("Code Documentation", ()),
    "hardware_architecture": ("Hardware Architecture", ()),
    "preprint": ("Preprint", ("technical_report",)),
    "paper": ("Paper", ("research_paper",)),
    "modelcard": ("Modelcard", ("model_card",)),
    "datasheet": ("Datasheet", ("data_card",)),
    "licenses": ("Licenses", ()),
}
BASE_MODEL_DIMENSIONS = {"datasources_basemodel", "weights_basemodel"}
SYSTEM_KEYS = {"name", "link", "type", "performanceclass", "basemodelname", "endmodelname",
               "endmodellicense", "releasedate", "notes"}
SYSTEM_ALIASES = {"endmodel license": "endmodellicense"}
MODALITIES = {"text", "code", "image", "audio", "video"}
HEADER = ("# Imported from the European Open Source AI Index (osai-index.eu), CC-BY-4.0;\n"
          "# Liesenfeld & Dingemanse (2024), FAccT 2024. Written by `openness-kg import osai`: do not edit\n"
          "# by hand (change data/crosswalk.yaml or the importer and re-import).\n")


def is_system_file(p: Path) -> bool:
    """System files: ``*.yaml`` except the parameter descriptions (``_*``) and the submission
    template (``a_submission_template.yaml``), which are not systems."""
    return p.suffix == ".yaml" and not p.name.startswith("_") and p.name != "a_submission_template.yaml"


def import_osai(folder: Path, cw: Crosswalk, spdx: tuple[dict, dict] = ({}, {})) -> tuple[dict[str, str], ImportReport]:
    """Read every system file of ``folder``; return ``({file name: YAML text}, report)``.

    Raises :class:`ImportFailed` when ``folder`` is not a folder or holds no system file.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportFailed(f"not a folder: {folder}")
    # a folder named like a system file is read (and reported) like one
    return collect(DATASET, sorted(p for p in folder.iterdir() if is_system_file(p)),
                   f"no OSAI index system files (*.yaml) in {folder}",
                   lambda p, col: _system(p, cw, col, spdx), HEADER)


def _system(p: Path, cw: Crosswalk, col: Collector, spdx) -> None:
    f = p.name
    rep = col.report
    ok, doc = read_yaml(p, f, rep)
    if not ok:
        return
    if not isinstance(doc, dict):
        rep.add(f, None, "not a mapping of system, org and the 12 dimensions")
        return
    system, org = doc.get("system"), doc.get("org")
    if not isinstance(system, dict) or not system.get("name"):
        rep.add(f, "system.name", "missing required field")
        return
    if not isinstance(org, dict) or not org.get("name"):
        rep.add(f, "org.name", "missing required field")
        return
    dims = {}
    for key in DIMENSIONS:
        v = doc.get(key)
        if not isinstance(v, dict) or "class" not in v:
            rep.add(f, f"{key}.class", "missing required field (every system has the 12 dimensions)")
            return
        if not isinstance(v["class"], str) or v["class"] not in CLASSES:
            rep.add(f, f"{key}.class", f"unknown class value {v['class']!r} (allowed: open, partial, closed)")
            return
        dims[key] = v
    for key in doc:
        if key not in DIMENSIONS and key not in ("system", "org"):
            rep.add(f, key, "unknown dimension (not in _parameters.yml)", "field")
    for key in list(system):
        if key in SYSTEM_ALIASES:
            rep.add(f, f"system.{key}", f"misspelt field, read as {SYSTEM_ALIASES[key]}", "")
            system.setdefault(SYSTEM_ALIASES[key], system[key])
        elif key not in SYSTEM_KEYS:
            rep.add(f, f"system.{key}", "unknown field of system", "field")

    name = str(system["name"]).strip()
    stem = p.stem
    # the model
    m = match_model(cw, rep, DATASET, stem, name, f, "system.name", "system", "system")
    if m is None:
        return
    model = m.ids[0]
    org_urls, _ = as_links(org.get("link"))
    dev = org_ids(cw, col, DATASET, str(org["name"]).strip(), f, "org.name", f"{f}#org",
                  {"url": org_urls[0] if org_urls else None})
    if dev is None:
        return
    licences = _licences(system.get("endmodellicense"), cw, spdx, col, f)
    if m.minted:
        rec = {"id": model, "name": name, "developer": dev}
        fields = ["developer"]
        urls, _ = as_links(system.get("link"))
        if urls:
            rec["url"] = urls[0]
            fields.append("url")
        mods = [t.strip() for t in str(system.get("type") or "").split(",") if t.strip()]
        bad = [t for t in mods if t not in MODALITIES]
        for t in bad:
            rep.add(f, "system.type", f"unknown type {t!r} (allowed: {', '.join(sorted(MODALITIES))})", "field")
        if [t for t in mods if t in MODALITIES]:
            rec["modalities"] = sorted(t for t in mods if t in MODALITIES)
            fields.append("modalities")
        if licences:
            rec["licence"] = licences
            fields.append("licence")
        rec["dataset_record"] = [citation(DATASET, f"{f}#system", fields + ["name"])]
        family, why = cw.family(DATASET, stem, name)
        if why:
            rep.add(f, "system.name", why, "field")
        if not col.mint_model(f, "system.name", "system", name, model, model if m.how == "crosswalk" else stem, rec,
                              family):
            return
    rep.imported_units += 1

    base = slugify(stem)
    for key, (label, components) in DIMENSIONS.items():
        v = dims[key]
        urls, bad = as_links(v.get("link"))
        for b in bad:
            rep.add(f, f"{key}.link", f"not a URL: {b!r}", "field")
        loc = f"{f}#{key}"
        arts = []
        for comp in components:
            aid = f"osai-{base}-{comp.replace('_', '-')}"
            art = {"id": aid, "name": f"{name}: {comp.replace('_', ' ')} (OSAI index)", "artifact_of": model,
                   "component": comp, "availability": CLASSES[v["class"]]}
            fields = ["artifact_of", "component", "availability"]
            if comp == "final_parameters" and licences:
                art["licence"] = licences
                fields.append("licence")
            if urls:
                art["url"] = urls[0]
                fields.append("url")
            locs = [citation(DATASET, loc, fields, urls)]
            if "licence" in art:
                locs = [citation(DATASET, loc, [x for x in fields if x != "licence"], urls),
                        citation(DATASET, f"{f}#system.endmodellicense", ["licence"])]
            art["dataset_record"] = locs
            col.add("artifacts", art, f, key)
            arts.append(aid)
        a = {"id": f"osai-{base}-{key.replace('_', '-')}", "name": f"{name}: {label} (OSAI index)",
             "assessed": f"model/{model}"}
        fields = ["assessed", "criterion", "judgement"]
        variant_key = "basemodelname" if key in BASE_MODEL_DIMENSIONS else "endmodelname"
        variant = system.get(variant_key)
        if variant not in (None, ""):
            a["variant_name"] = str(variant).strip()
        a["criterion"], a["judgement"] = key, v["class"]
        if components:
            a["component"] = components[0]
            a["mapped_artifacts"] = arts
            fields += ["component", "mapped_artifacts"]
        a["dataset_record"] = [citation(DATASET, loc, fields, urls)]
        if "variant_name" in a:
            a["dataset_record"].append(citation(DATASET, f"{f}#system.{variant_key}", ["variant_name"]))
        col.add("assessments", a, f, key)


def _licences(raw, cw: Crosswalk, spdx, col: Collector, f: str) -> list[str]:
    if raw in (None, ""):
        return []
    rep = col.report
    ids, status = cw.licence(str(raw), *spdx)
    if status == "ok":
        mint_licences(ids, cw, col, f"{f}#system.endmodellicense")
        return ids
    if status in ("unstated", "undisclosed", "not_included"):
        return []
    why = (f"SPDX licence {status.split(':', 1)[1]} has no licence record in data/licences.yaml"
           if status.startswith("no-record") else "unknown licence string")
    rep.add(f, "system.endmodellicense", f"{why}: {str(raw)!r} (add it to data/crosswalk.yaml licences)", "field")
    return []
