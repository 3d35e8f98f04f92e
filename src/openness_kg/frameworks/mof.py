"""The Model Openness Framework (MOF) class of a model, computed as the Model Openness Tool does.

A port of the tool's evaluator: lfai/model_openness_tool (LF AI & Data, MIT licence, copy in
``data/LICENSE``) at commit 8b5d30e90a7c62d7d6ece48b91e69ff495920a4d, the commit the project's
imported MOF data comes from. Every rule below cites the tool's file and lines at that commit
(paths under ``web/modules/mof/src/`` unless stated). ``tools/mof_oracle/`` runs the tool's own
PHP over the model files; ``tests/fixtures/mof_tool_classes.csv`` is its output, and the tests
hold this port to it.

The rules, in short:

* **Components.** ``mof.settings.yml`` lists the 17 components with their content type
  (``code``, ``data``, ``document``), MOF class (3 = Open Model, 2 = Open Tooling, 1 = Open
  Science) and whether the class requires them. Class *n* needs the required components of
  classes 3 down to *n* (``ModelEvaluator.php:52-77``).
* **Included.** A component is included when the model file lists it, whatever its licence
  says (a listed component licensed ``Component not included`` is included with a licence that
  is not open) (``ModelUpdater.php:89-90``, ``ModelEvaluator.php:106-113``).
* **Licence of a component.** Its own ``license`` when the key is there; ``unlicensed`` (or an
  empty string) there means "no licence" and does *not* fall back. Otherwise the release's
  licence for the component's content type, then the release's ``distribution`` licence, else
  no licence (``ModelUpdater.php:128-138``, ``ModelEvaluator.php:157-182``).
* **Open licence.** Exact, case-sensitive SPDX id: FSF-libre or OSI-approved in the tool's
  licence list, one of 31 open-data licences, or OpenMDW-1.0 (``LicenseHandler.php:13-50,
  161-166``). A component with an open licence counts towards its class; if the licence is not
  listed for the component's content type in ``mof-licenses.json`` it still counts, with a
  warning (``ModelEvaluator.php:121-133``). No licence = ``unlicensed``, any other string =
  ``invalid``: neither counts.
* **Research paper for technical report.** When the technical report does not count, a
  research paper (included, unlicensed or invalid) takes its place in classes 3 and 2
  (``ModelEvaluator.php:323-345``) and class 1 needs one component fewer
  (``ModelEvaluator.php:299-306``).
* **Class.** Progress of class *n* is the share of its required components that count, and 0
  unless every higher class is complete; the class is the lowest one at 100 %
  (``ModelEvaluator.php:220-229, 277-315``).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Mapping

import yaml

TOOL_REPOSITORY = "lfai/model_openness_tool"
TOOL_COMMIT = "8b5d30e90a7c62d7d6ece48b91e69ff495920a4d"

#: The tool's class number -> this project's name for it (0: no class).
CLASS_NAMES = {0: "none", 1: "class_i", 2: "class_ii", 3: "class_iii"}

#: The tool's component name -> this project's component id (``ArtifactType`` value); the MOF
#: importer maps components with it too.
PROJECT_IDS = {
    "Model architecture": "model_architecture",
    "Model parameters (Final)": "final_parameters",
    "Model parameters (Intermediate)": "intermediate_parameters",
    "Training code": "training_code",
    "Inference code": "inference_code",
    "Evaluation code": "evaluation_code",
    "Data preprocessing code": "data_preprocessing_code",
    "Datasets": "datasets",
    "Evaluation data": "evaluation_data",
    "Model metadata": "model_metadata",
    "Model card": "model_card",
    "Data card": "data_card",
    "Technical report": "technical_report",
    "Research paper": "research_paper",
    "Evaluation results": "evaluation_results",
    "Supporting libraries and tools": "supporting_libraries",
    "Sample model outputs": "sample_model_outputs",
}

# ModelEvaluator.php:16-19: "Technical Report may be omitted if a Research Paper is provided."
TECHNICAL_REPORT_CID = 11
RESEARCH_PAPER_CID = 21

# LicenseHandler.php:12-45: "These license IDs are considered open for data component types."
OPEN_DATA_LICENSES = frozenset({
    "CC0-1.0", "CC-BY-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-2.5-AU", "CC-BY-3.0", "CC-BY-3.0-AT",
    "CC-BY-3.0-AU", "CC-BY-3.0-DE", "CC-BY-3.0-IGO", "CC-BY-3.0-NL", "CC-BY-3.0-US", "CC-BY-4.0",
    "CC-BY-SA-1.0", "CC-BY-SA-2.0", "CC-BY-SA-2.0-UK", "CC-BY-SA-2.1-JP", "CC-BY-SA-2.5", "CC-BY-SA-3.0",
    "CC-BY-SA-3.0-AT", "CC-BY-SA-4.0", "CDLA-Permissive-1.0", "CDLA-Permissive-2.0", "CDLA-Sharing-1.0",
    "ODC-PDDL-1.0", "ODC-By-1.0", "ODbL-1.0", "GFDL-1.3", "OGL-Canada-2.0", "OGL-UK-2.0", "OGL-UK-3.0",
})
# LicenseHandler.php:47-50: "These license IDs are considered open."
OPEN_LICENSES = frozenset({"OpenMDW-1.0"})

# ModelEvaluator.php:134, 117: the licence string the evaluator gives a component with none.
UNLICENSED = "unlicensed"

_SETTINGS_FILES = ("mof.settings.yml", "licenses.json", "mof-licenses.json")


@dataclass(frozen=True)
class Component:
    """One MOF component as ``mof.settings.yml`` defines it (``Component.php:5-31``).

    ``id``: the tool's component id; ``key``: this project's component id; ``content_type``:
    ``code``, ``data`` or ``document``; ``mof_class``: 1, 2 or 3; ``required``: whether that
    class requires it (else it is optional there)."""
    id: int
    name: str
    key: str
    content_type: str
    mof_class: int
    weight: int
    required: bool


@dataclass(frozen=True)
class Licence:
    """A licence as the tool's license entity holds it (``Entity/License.php:77-113``):
    SPDX id, OSI approval, FSF libre, and the content types it suits (empty for licences that
    ``mof-licenses.json`` does not type)."""
    licence_id: str
    osi_approved: bool
    fsf_libre: bool
    content_types: tuple[str, ...]


@dataclass(frozen=True)
class MofSettings:
    """The tool's configuration: its components (``mof.settings.yml``, in file order) and its
    licence list (``licenses.json`` then ``mof-licenses.json``, keyed by exact SPDX id).

    Build with :meth:`load` (a folder) or :meth:`default` (the copy packaged with
    openness-kg, taken from the tool at :data:`TOOL_COMMIT`)."""
    components: tuple[Component, ...]
    licences: Mapping[str, Licence]
    source: str = field(compare=False)

    @classmethod
    def load(cls, folder: str | os.PathLike | Traversable) -> MofSettings:
        """Read ``mof.settings.yml``, ``licenses.json`` and ``mof-licenses.json`` from ``folder``
        (a path, or an ``importlib.resources`` folder).

        Licences load as the tool's ``LicenseImporter::import()`` loads them
        (``LicenseImporter.php:65-92``): ``licenses.json`` first, then ``mof-licenses.json``; an
        entry whose id is already there (compared without case, as Drupal's entity query does)
        replaces it whole, so a licence listed twice keeps its last content type (CC0-1.0 and
        CC-PDDC end up ``document`` only). A missing ``isOsiApproved`` / ``isFsfLibre`` counts
        as false (``LicenseImporter.php:44-45``); ``ContentType`` may be a string or a list
        (``LicenseImporter.php:30-36``).

        Raises FileNotFoundError naming a missing file (the tool skips a missing licence file;
        here it would silently change every result), ValueError for a file that is not the
        tool's format or a component this project does not map (see :data:`PROJECT_IDS`)."""
        base = Path(folder) if isinstance(folder, (str, os.PathLike)) else folder
        texts = {}
        for name in _SETTINGS_FILES:
            f = base / name
            if not f.is_file():
                raise FileNotFoundError(f"MOF settings: {f} not found")
            texts[name] = f.read_text(encoding="utf-8")
        return cls(components=_components(texts["mof.settings.yml"], f"{base}/mof.settings.yml"),
                   licences=_licences([(n, texts[n]) for n in ("licenses.json", "mof-licenses.json")], str(base)),
                   source=str(base))

    @classmethod
    def default(cls) -> MofSettings:
        """The settings packaged in ``openness_kg/frameworks/data/`` (verbatim copies of the
        tool's files at :data:`TOOL_COMMIT`); read once and cached."""
        return _default_settings()

    def component(self, key: str) -> Component:
        """The component named ``key``: the tool's component name (``Research paper``) or this
        project's id (``research_paper``). KeyError if neither."""
        for c in self.components:
            if key in (c.name, c.key):
                return c
        raise KeyError(f"not a MOF component: {key!r}")

    def by_id(self, cid: int) -> Component:
        """The component with the tool's id ``cid`` (``ComponentManager.php:49-51``)."""
        for c in self.components:
            if c.id == cid:
                return c
        raise KeyError(f"no MOF component with id {cid}")

    def required(self, mof_class: int) -> list[int]:
        """Tool ids of the components class ``mof_class`` requires, in settings order
        (``ComponentManager.php:56-59``)."""
        return [c.id for c in self.components if c.mof_class == mof_class and c.required]

    def optional(self, mof_class: int) -> list[int]:
        """Tool ids of the components optional in class ``mof_class`` (``ComponentManager.php:64-67``)."""
        return [c.id for c in self.components if c.mof_class == mof_class and not c.required]

    def is_open(self, licence: str) -> bool:
        """Whether the tool counts ``licence`` (exact SPDX id) as open: FSF libre or OSI
        approved in its licence list, an open-data licence, or OpenMDW-1.0
        (``LicenseHandler.php:161-166``)."""
        lic = self.licences.get(licence)
        return (bool(lic and lic.fsf_libre) or licence in OPEN_DATA_LICENSES
                or bool(lic and lic.osi_approved) or licence in OPEN_LICENSES)

    def is_type_appropriate(self, licence: str, content_type: str) -> bool:
        """Whether ``mof-licenses.json`` lists ``licence`` for ``content_type``
        (``LicenseHandler.php:99-101, 182-184``)."""
        lic = self.licences.get(licence)
        return bool(lic and content_type in lic.content_types)


@lru_cache(maxsize=1)
def _default_settings() -> MofSettings:
    return MofSettings.load(resources.files("openness_kg.frameworks") / "data")


def _components(text: str, where: str) -> tuple[Component, ...]:
    """The components of ``mof.settings.yml`` (``ComponentManager.php:22-28``, ``Component.php:26-31``)."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{where}: not YAML ({exc})") from None
    rows = doc.get("components") if isinstance(doc, dict) else None
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{where}: no 'components' list")
    out = []
    for i, row in enumerate(rows):
        try:
            name = row["name"]
            comp = Component(id=int(row["id"]), name=name, key=PROJECT_IDS[name],
                             content_type=str(row["content_type"]), mof_class=int(row["class"]),
                             weight=int(row["weight"]), required=row["required"] is True)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{where}: components[{i}]: missing, unmapped or bad field {exc}") from None
        out.append(comp)
    return tuple(out)


def _licences(files: list[tuple[str, str]], where: str) -> dict[str, Licence]:
    """The licence table after ``LicenseImporter::import()`` (``LicenseImporter.php:27-49, 65-92``)."""
    by_folded: dict[str, Licence] = {}
    for name, text in files:
        try:
            entries = json.loads(text)["licenses"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{where}/{name}: not a licence list ({exc})") from None
        for e in entries:
            types = e.get("ContentType") or []
            types = [types] if isinstance(types, str) else list(types) if isinstance(types, list) else []
            lic = Licence(licence_id=e["licenseId"], osi_approved=bool(e.get("isOsiApproved") or False),
                          fsf_libre=bool(e.get("isFsfLibre") or False),
                          content_types=tuple(t for t in types if t))
            by_folded[lic.licence_id.lower()] = lic
    return {lic.licence_id: lic for lic in by_folded.values()}


@dataclass(frozen=True)
class MofEvaluation:
    """The tool's evaluation of one model.

    ``mof_class``: ``class_i``, ``class_ii``, ``class_iii`` or ``none`` (the tool's
    ``getClassification()``). The per-class mappings are keyed 1, 2, 3 and hold this project's
    component ids in the tool's order; each class counts the components of that class and every
    higher one (class 1 covers all):

    * ``included``: required components that count (open licence); after the research-paper
      rule, classes 2 and 3 may hold ``research_paper`` in place of the technical report;
    * ``missing``: required components the model does not list (the tool's "missing");
    * ``unlicensed`` / ``invalid``: listed components, required or optional, with no licence /
      a licence that is not open; they do not count;
    * ``warnings``: the ``included`` components whose open licence is not one
      ``mof-licenses.json`` lists for their content type (counted, with a warning).

    ``not_type_appropriate``: the tool's warning list over all classes (optional components
    too). ``licences``: component id -> the licence string the tool judged (``unlicensed``
    when none). ``progress``: class -> percent of its required components that count (0-100;
    0 when a higher class is incomplete); ``total_progress``: their mean."""
    mof_class: str
    progress: dict[int, float]
    total_progress: float
    included: dict[int, tuple[str, ...]]
    missing: dict[int, tuple[str, ...]]
    unlicensed: dict[int, tuple[str, ...]]
    invalid: dict[int, tuple[str, ...]]
    warnings: dict[int, tuple[str, ...]]
    not_type_appropriate: tuple[str, ...]
    licences: dict[str, str]


@dataclass(frozen=True)
class _Judgement:
    licence: str
    is_open: bool
    type_appropriate: bool


def evaluate_release(doc: dict, settings: MofSettings | None = None) -> MofEvaluation:
    """Evaluate one of the tool's model files, ``doc`` being the file parsed with
    ``yaml.safe_load`` (the format of ``models/*.yml``, schema ``mof_schema.json``);
    ``settings`` defaults to :meth:`MofSettings.default`.

    Reads ``doc['release']`` as the tool's sync does (``scripts/sync_models.php:49-55``,
    ``ModelUpdater.php:62-96``): ``license`` is the release licences, ``components`` the
    listed (so included) components; a component listed twice keeps its last entry.
    Raises ValueError for a document without ``release.components`` list, a component name
    the settings do not know (the tool would silently file it under its first component,
    ``ComponentManager.php:41-44``) or a licence that is not a string (a TypeError in the
    tool, whose schema requires strings). Does not check the rest of the schema."""
    settings = settings or MofSettings.default()
    release = doc.get("release") if isinstance(doc, dict) else None
    if not isinstance(release, dict) or not isinstance(release.get("components"), list):
        raise ValueError("not a MOF model file: no release.components list")
    global_licences = release.get("license")
    # ModelUpdater.php:118-142 processComponentLicenses(): one entry per listed component, the
    # license key kept when set (PHP isset: not null), 'unlicensed' stored as ''.
    entries: dict[int, dict] = {}
    for i, item in enumerate(release["components"]):
        name = item.get("name") if isinstance(item, dict) else None
        comp = next((c for c in settings.components if c.name == name), None)
        if comp is None:
            raise ValueError(f"release.components[{i}].name: not a MOF component name: {name!r}")
        entry = {}
        if item.get("license") is not None:
            entry["license"] = "" if item["license"] == UNLICENSED else item["license"]
        entries[comp.id] = entry
    judged = {cid: _judge(settings, settings.by_id(cid),
                          [_resolve_licence(settings.by_id(cid), entry, global_licences)])
              for cid, entry in entries.items()}
    return _evaluate(settings, judged)


def evaluate_components(components: Mapping[str, list[str] | None],
                        settings: MofSettings | None = None) -> MofEvaluation:
    """Evaluate a model from what is known of its components, with the rules of
    :func:`evaluate_release`.

    ``components``: component (the tool's name or this project's id) -> SPDX ids of its
    licences, for each component known to be released; ``[]`` means released without a licence
    (the tool's ``unlicensed``). A component absent or mapped to None is not included.
    With one licence per component this is exactly the tool's rule. With several, the
    component counts if any is open, and is warned about only if none of its open licences
    suits its content type; the licence reported is the first open type-appropriate one, else
    the first open one, else the first. Raises KeyError for an unknown component, ValueError
    for one given twice (by name and id) or for licences that are not a list of strings."""
    settings = settings or MofSettings.default()
    judged: dict[int, _Judgement] = {}
    seen: set[int] = set()
    for key, licences in components.items():
        comp = settings.component(key)
        if comp.id in seen:
            raise ValueError(f"MOF component given twice: {comp.name} ({comp.key})")
        seen.add(comp.id)
        if licences is None:
            continue
        if isinstance(licences, str) or not all(isinstance(x, str) for x in licences):
            raise ValueError(f"licences of {key!r} must be a list of SPDX ids, got {licences!r}")
        judged[comp.id] = _judge(settings, comp, list(licences) or [UNLICENSED])
    return _evaluate(settings, judged)


def _php_truthy(value) -> bool:
    """PHP's truth value, for ``?:`` and ``empty()``: '' and '0' are false."""
    return bool(value) and value != "0"


def _resolve_licence(comp: Component, entry: dict, global_licences) -> str:
    """The licence string the tool judges for a listed component
    (``ModelEvaluator.php:117, 157-182``): the component's own ``license`` when set (an empty
    one, i.e. ``unlicensed``, is no licence: no fall-back), else the release licence of the
    component's content type, else the release's distribution licence, else ``unlicensed``."""
    if "license" in entry:                                        # :158-163
        own = entry["license"]
        _check_string(own, f"{comp.name} license")
        return own if _php_truthy(own) else UNLICENSED
    for kind in (comp.content_type, "distribution"):             # :170-178
        part = global_licences.get(kind) if isinstance(global_licences, dict) else None
        name = part.get("name") if isinstance(part, dict) else None
        if _php_truthy(name):
            _check_string(name, f"release.license.{kind}.name")
            return name
    return UNLICENSED                                             # :181, :117


def _check_string(value, where: str) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{where}: a licence must be a string, got {value!r}")


def _judge(settings: MofSettings, comp: Component, licences: list[str]) -> _Judgement:
    """Whether a component's licence is open and suits its content type
    (``ModelEvaluator.php:119-123``); the best of several (see :func:`evaluate_components`)."""
    judged = [_Judgement(lic, settings.is_open(lic), settings.is_type_appropriate(lic, comp.content_type))
              for lic in licences]
    for j in judged:
        if j.is_open and j.type_appropriate:
            return j
    for j in judged:
        if j.is_open:
            return j
    return judged[0]


def _evaluate(settings: MofSettings, judged: dict[int, _Judgement]) -> MofEvaluation:
    """``ModelEvaluator::evaluate()`` (``ModelEvaluator.php:44-83``) then the class and progress
    (``:220-245, 277-315``), over the listed components' judgements (keyed by tool id)."""
    ev = {c: {"missing": [], "included": [], "invalid": [], "unlicensed": [], "optional": []} for c in (3, 2, 1)}
    licences: dict[int, dict[int, str]] = {c: {} for c in (3, 2, 1)}
    not_type_appropriate: list[int] = []
    required: list[int] = []
    optional: list[int] = []
    for cls in (3, 2, 1):                                         # :52-77, cumulative
        required += settings.required(cls)
        optional += settings.optional(cls)
        for cids, status in ((required, "included"), (optional, "optional")):
            _evaluate_components(ev[cls], licences[cls], not_type_appropriate, cids, status, judged)
    _technical_report_omission(ev, licences)                     # :79-80

    progress = {cls: _progress(settings, ev, cls) for cls in (3, 2, 1)}
    completed = 0
    for cls in (3, 2, 1):                                         # :220-229
        if progress[cls] == 100.0:
            completed = cls
    total = 0.0
    for cls in (3, 2, 1):                                         # :237-245
        total += progress[cls]

    def keys(cids) -> tuple[str, ...]:
        return tuple(settings.by_id(c).key for c in cids)

    warned = set(not_type_appropriate)
    return MofEvaluation(
        mof_class=CLASS_NAMES[completed],
        progress={cls: progress[cls] for cls in (1, 2, 3)},
        total_progress=total / 3,
        included={cls: keys(ev[cls]["included"]) for cls in (1, 2, 3)},
        missing={cls: keys(ev[cls]["missing"]) for cls in (1, 2, 3)},
        unlicensed={cls: keys(ev[cls]["unlicensed"]) for cls in (1, 2, 3)},
        invalid={cls: keys(ev[cls]["invalid"]) for cls in (1, 2, 3)},
        warnings={cls: keys(c for c in ev[cls]["included"] if c in warned) for cls in (1, 2, 3)},
        not_type_appropriate=keys(not_type_appropriate),
        licences={settings.by_id(c).key: lic for c, lic in licences[1].items()},
    )


def _evaluate_components(ev: dict, licences: dict, not_type_appropriate: list, cids: list[int], status: str,
                         judged: dict[int, _Judgement]) -> None:
    """``ModelEvaluator::evaluateComponents()`` (``ModelEvaluator.php:102-143``) for one class."""
    for cid in cids:
        j = judged.get(cid)
        if j is None:                                             # :107-113 not listed
            if status == "included":
                ev["missing"].append(cid)
            continue
        if j.is_open:                                             # :125-133 open: counts
            ev[status].append(cid)
            if not j.type_appropriate and cid not in not_type_appropriate:
                not_type_appropriate.append(cid)
        elif j.licence == UNLICENSED:                             # :134-136
            ev["unlicensed"].append(cid)
        else:                                                     # :137-139
            ev["invalid"].append(cid)
        licences[cid] = j.licence                                 # :141


def _component_status(components: dict, cid: int) -> str | None:
    """``ModelEvaluator::getComponentStatus()`` (``ModelEvaluator.php:359-370``)."""
    for status in ("included", "invalid", "unlicensed"):
        if cid in components[status]:
            return status
    return None


def _technical_report_omission(ev: dict, licences: dict) -> None:
    """``ModelEvaluator::handleTechnicalReportOmission()`` (``ModelEvaluator.php:323-345``):
    unless the technical report counts in class 3, a research paper with any status in class 1
    removes the technical report from every class's missing list and joins classes 2 and 3
    with its class-1 status and licence (``:384-389, 409-412``)."""
    if _component_status(ev[3], TECHNICAL_REPORT_CID) == "included":
        return
    paper = _component_status(ev[1], RESEARCH_PAPER_CID)
    if paper is None:
        return
    for cls in (1, 2, 3):
        if TECHNICAL_REPORT_CID in ev[cls]["missing"]:
            ev[cls]["missing"].remove(TECHNICAL_REPORT_CID)
    licence = licences[1].get(RESEARCH_PAPER_CID, "")
    for cls in (2, 3):
        ev[cls][paper].append(RESEARCH_PAPER_CID)
        licences[cls][RESEARCH_PAPER_CID] = licence


def _progress(settings: MofSettings, ev: dict, cls: int) -> float:
    """``ModelEvaluator::getProgress()`` (``ModelEvaluator.php:277-315``), in percent."""
    total = included = 0
    i = 3
    while i >= cls:                                               # :286-293
        total += len(settings.required(i))
        included = len(ev[i]["included"])
        if included < total:                                      # a higher class is not met
            break
        i -= 1
    if i > cls:                                                   # :295-297
        return 0.0
    if (cls == 1 and _component_status(ev[1], TECHNICAL_REPORT_CID) != "included"
            and _component_status(ev[1], RESEARCH_PAPER_CID) == "included"):
        total -= 1                                                # :302-306
    progress = included / total * 100                             # :308
    return 100.0 if progress > 100 else progress                  # :312
