"""Openness rules: Model Openness Framework class, OSI-style status, licence openness, score.

The rules work on a model's *profile*: ``{component: ComponentState}`` over the 17 Model
Openness Framework (MOF 1.0) components (the ``ArtifactType`` values of the schema). A component
with no artifact record, or with availability ``unknown``, is **never** counted as released.

The Model Openness Tool's data (lfai/model_openness_tool @ 8b5d30e9, MIT licence, LF AI & Data),
packaged once in :mod:`openness_kg.frameworks.mof`, gives:

* ``MOF_COMPONENTS``: the class, content type and "required" flag of each component
  (``mof.settings.yml``, the authority for MOF 1.0's component-to-class mapping);
* ``MOF_OPEN_LICENCES``: the SPDX ids the tool types for each content type (``mof-licenses.json``
  merged into its licence list as the tool does).

The MOF class itself is the tool's evaluator (:func:`mof_evaluation`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..frameworks.mof import MofSettings, evaluate_components

_MOF = MofSettings.default()
# display order: Class III, II, I (required first, then optional)
COMPONENTS = ["model_architecture", "final_parameters", "model_card", "data_card", "technical_report",
              "evaluation_results", "sample_model_outputs", "training_code", "inference_code", "evaluation_code",
              "evaluation_data", "supporting_libraries", "datasets", "data_preprocessing_code",
              "intermediate_parameters", "research_paper", "model_metadata"]
# component -> (MOF class 1/2/3, content type, required for its class)
MOF_COMPONENTS: dict[str, tuple[int, str, bool]] = {
    c: (_MOF.component(c).mof_class, _MOF.component(c).content_type, _MOF.component(c).required) for c in COMPONENTS}
# content type -> SPDX ids the tool types for it
MOF_OPEN_LICENCES: dict[str, frozenset[str]] = {
    t: frozenset(k for k, lic in _MOF.licences.items() if t in lic.content_types) for t in ("code", "data", "document")}
PARAMETER_COMPONENTS = frozenset({"final_parameters", "intermediate_parameters"})

MOF_CLASSES = ("class_i", "class_ii", "class_iii", "none")
STATUSES = ("open_source", "open_weights", "closed", "unknown")
AVAILABILITY_ORDER = ("released", "partly_released", "withheld")  # most open first
LICENCE_OPENNESS = ("open", "restricted", "non_commercial", "proprietary", "unknown")  # most open first
_CATEGORY_OPENNESS = {"osi_permissive": "open", "copyleft": "open", "open_data": "open",
                      "open_weight_restricted": "restricted", "non_commercial": "non_commercial",
                      "proprietary": "proprietary"}


@dataclass(frozen=True)
class LicenceInfo:
    """What the analyses need of a licence: its id (slug or IRI), SPDX id, ``licence_category``
    value and OSI approval (``None`` when not recorded)."""

    id: str
    spdx_id: str | None = None
    category: str | None = None
    osi_approved: bool | None = None

    @property
    def osi(self) -> bool:
        """OSI-approved: stated so, or of an OSI category (permissive, copyleft)."""
        return bool(self.osi_approved) or self.category in ("osi_permissive", "copyleft")


@dataclass
class ComponentState:
    """The combined state of one component of one model, as the rules read it: ``availability``
    (``released``, ``partly_released``, ``withheld`` or ``unknown``), its licences, how many
    artifact records were combined, whether sources disagreed, the basis (``"artifact"`` or
    ``"access_modes"``) and the :class:`~.evidence.Judgement` it comes from (which sources
    decided, their date, how a disagreement was settled), when combined from records."""

    availability: str
    licences: list[LicenceInfo] = field(default_factory=list)
    records: int = 1
    disagreement: bool = False
    basis: str = "artifact"
    judgement: object = None


def licence_open_for(component: str, lic: LicenceInfo) -> bool:
    """Whether ``lic`` is an open licence of the right type for ``component`` under MOF 1.0.

    Rule: the licence's SPDX id is in the Model Openness Tool's list for the component's content
    type (``MOF_OPEN_LICENCES``); or, for licences the list does not name, code needs an
    OSI-approved licence, data and documents an open data/content licence (``open_data``
    category). Parameters (final and intermediate) also accept an OSI-approved licence, as the
    MOF specification lists Apache-2.0 and MIT for them and the Model Openness Tool gives a
    conditional pass to final parameters under an open source licence.
    """
    ctype = MOF_COMPONENTS[component][1]
    if lic.spdx_id and lic.spdx_id in MOF_OPEN_LICENCES[ctype]:
        return True
    if ctype == "code":
        return lic.osi
    if component in PARAMETER_COMPONENTS and lic.osi:
        return True
    return lic.category == "open_data"


# OSAID 1.0 "Code" requirement: the complete code used to train and run the system; the OSI's
# checklist (Open Source AI Definition 1.0 checklist, opensource.org/ai/checklist) lists data
# pre-processing, training/validation/testing and inference code as required components.
OSAID_CODE = ("training_code", "data_preprocessing_code", "inference_code")
# OSAID 1.0 "Data information": sufficiently detailed information about the training data; the
# checklist asks for the training data (where it can be shared), its card and the training
# methodology (technical report or research paper).
OSAID_DATA_INFORMATION = ("datasets", "data_card", "technical_report", "research_paper")


def evidence_status(profile: dict[str, ComponentState]) -> str:
    """OSI Open Source AI Definition (OSAID 1.0, opensource.org/ai/open-source-ai-definition,
    2024-10-28) style status of a model from its combined component states.

    * ``"unknown"``: nothing is known about the final parameters (no record, or ``unknown``);
    * ``"closed"``: the final parameters are withheld;
    * ``"open_source"``: the OSAID's three requirements, read through its checklist's
      components: **parameters** released under an open licence (OSI-approved, or an open data
      licence the Model Openness Tool accepts for parameters: :func:`licence_open_for`);
      **code**: the training code released under an OSI-approved licence, and no other required
      code component (data pre-processing, inference) recorded as withheld or under a non-OSI
      licence; **data information**: the datasets released or partly released, or a data card,
      technical report or research paper released;
    * ``"open_weights"``: the final parameters are released (fully or partly) but the model
      lacks something ``open_source`` needs.

    The OSI lists Pythia, OLMo, Amber, CrystalCoder and T5 as having passed its validation; the
    tests check that they come out open source where the evidence records them released.
    """
    fp = profile.get("final_parameters")
    if fp is None or fp.availability == "unknown":
        return "unknown"
    if fp.availability == "withheld":
        return "closed"
    return "open_source" if not osaid_missing(profile) else "open_weights"


def osaid_missing(profile: dict[str, ComponentState]) -> list[str]:
    """What keeps a model with released weights from ``open_source`` (see
    :func:`evidence_status`): a list of ``"parameters"``, ``"code:<component>"`` and
    ``"data_information"``; empty when nothing does."""
    out = []
    fp = profile.get("final_parameters")
    if not (fp is not None and fp.availability == "released" and fp.licences
            and all(licence_open_for("final_parameters", lic) for lic in fp.licences)):
        out.append("parameters")
    for c in OSAID_CODE:
        s = profile.get(c)
        osi = s is not None and s.availability == "released" and bool(s.licences) and all(lic.osi for lic in s.licences)
        if c == "training_code" and not osi:
            out.append(f"code:{c}")
        elif c != "training_code" and s is not None and s.availability != "unknown" and not osi:
            out.append(f"code:{c}")
    ds = profile.get("datasets")
    info = (ds is not None and ds.availability in ("released", "partly_released")) or any(
        (s := profile.get(c)) is not None and s.availability == "released" for c in OSAID_DATA_INFORMATION[1:])
    if not info:
        out.append("data_information")
    return out


def mof_evaluation(profile: dict[str, ComponentState]):
    """The Model Openness Tool's evaluation of a combined profile
    (:func:`openness_kg.frameworks.mof.evaluate_components`): components released in full count
    as included, with the SPDX ids of their licences (a licence without an SPDX id passes its
    slug, which no open list holds); partly released, withheld and unknown ones as not
    included. Returns a ``MofEvaluation`` (``mof_class``, ``missing`` per class)."""
    comps = {c: [lic.spdx_id or lic.id.rsplit("/", 1)[-1] for lic in s.licences]
             for c, s in profile.items() if s.availability == "released"}
    return evaluate_components(comps, MofSettings.default())


def component_credit(component: str, state: ComponentState | None) -> float:
    """Credit of one component for the openness score: released 1 (open licence of the right
    type, :func:`licence_open_for` for all its licences) or 0.5 (other or no licence); partly
    released half of that (0.5 or 0.25); withheld, unknown or no record 0."""
    if state is None or state.availability not in ("released", "partly_released"):
        return 0.0
    open_lic = bool(state.licences) and all(licence_open_for(component, lic) for lic in state.licences)
    credit = 1.0 if open_lic else 0.5
    return credit if state.availability == "released" else credit / 2


def openness_score(profile: dict[str, ComponentState]) -> float:
    """Openness score, 0-100: the mean :func:`component_credit` over all 17 MOF components
    (equal weights), times 100, rounded to 2 decimals. A model with only its weights released
    under Apache-2.0 scores 100/17 = 5.88; under a restricted licence 2.94."""
    return round(100.0 * sum(component_credit(c, profile.get(c)) for c in COMPONENTS) / len(COMPONENTS), 2)


def licence_openness(licences: list[LicenceInfo]) -> str:
    """Openness of a model's licence(s): ``"open"`` (OSI-approved or open data),
    ``"restricted"`` (open-weight licence with use restrictions), ``"non_commercial"``,
    ``"proprietary"`` or ``"unknown"`` (none recorded, or no category). A licence without a
    category (known only by SPDX id) is open when OSI-approved or on the Model Openness Tool's
    open lists, non-commercial for the Creative Commons NC variants. With several licences the
    least open is taken (a user must satisfy all of them)."""
    values = []
    for lic in licences:
        spdx = lic.spdx_id or ""
        if lic.category in _CATEGORY_OPENNESS:
            values.append(_CATEGORY_OPENNESS[lic.category])
        elif lic.osi_approved or any(spdx in ids for ids in MOF_OPEN_LICENCES.values()):
            values.append("open")
        elif "-NC" in spdx:        # Creative Commons NonCommercial variants (CC-BY-NC-4.0...)
            values.append("non_commercial")
        else:
            values.append("unknown")
    if not values:
        return "unknown"
    return max(values, key=LICENCE_OPENNESS.index)
