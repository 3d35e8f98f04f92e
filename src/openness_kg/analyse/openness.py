"""Openness rules: Model Openness Framework class, OSI-style status, licence openness, score.

The rules work on a model's *profile*: ``{component: ComponentState}`` over the 17 Model
Openness Framework (MOF 1.0) components (the ``ArtifactType`` values of the schema). A component
with no artifact record, or with availability ``unknown``, is **never** counted as released.

Data copied into this module (the package does not read it at run time):

* ``MOF_COMPONENTS``: the class, content type and "required" flag of each component, from
  ``mof.settings.yml`` of the Model Openness Tool (lfai/model_openness_tool @ 8b5d30e9, MIT
  licence, LF AI & Data), which is the authority for MOF 1.0's component-to-class mapping;
* ``MOF_OPEN_LICENCES``: the SPDX ids the Model Openness Tool accepts as open for each content
  type (``mof-licenses.json`` of the same commit).
"""
from __future__ import annotations

from collections import Counter

from dataclasses import dataclass, field

# component -> (MOF class 1/2/3, content type, required for its class); mof.settings.yml
MOF_COMPONENTS: dict[str, tuple[int, str, bool]] = {
    "model_architecture": (3, "code", True),
    "final_parameters": (3, "data", True),
    "model_card": (3, "document", True),
    "data_card": (3, "document", True),
    "technical_report": (3, "document", True),
    "evaluation_results": (3, "document", True),
    "sample_model_outputs": (3, "document", False),
    "training_code": (2, "code", True),
    "inference_code": (2, "code", True),
    "evaluation_code": (2, "code", True),
    "evaluation_data": (2, "data", True),
    "supporting_libraries": (2, "code", False),
    "datasets": (1, "data", True),
    "data_preprocessing_code": (1, "code", True),
    "intermediate_parameters": (1, "data", True),
    "research_paper": (1, "document", True),
    "model_metadata": (1, "data", False),
}
COMPONENTS = list(MOF_COMPONENTS)  # display order: Class III, II, I

# content type -> SPDX ids accepted as open by the Model Openness Tool (mof-licenses.json)
MOF_OPEN_LICENCES: dict[str, frozenset[str]] = {
    "code": frozenset({"0BSD", "AFL-1.1", "AFL-1.2", "AFL-2.0", "AFL-2.1", "AFL-3.0", "Apache-1.0", "Apache-1.1",
                       "Apache-2.0", "ECL-1.0", "ECL-2.0", "ISC", "MIT", "MIT-0", "MulanPSL-1.0", "MulanPSL-2.0",
                       "NCSA", "UPL-1.0", "OpenMDW-1.0"}),
    "data": frozenset({"CDLA-Permissive-1.0", "CDLA-Permissive-2.0", "C-UDA-1.0", "CC-PDDC", "CC0-1.0", "PDDL-1.0",
                       "OpenMDW-1.0"}),
    "document": frozenset({"Apache-2.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "FreeBSD-DOC", "CC-PDDC",
                           "CC0-1.0", "OpenMDW-1.0"}),
}
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
    """The combined state of one component of one model: ``availability`` (``released``,
    ``partly_released``, ``withheld`` or ``unknown``), its licences, how many artifact records
    were combined, whether they disagreed, and the basis (``"artifact"`` or ``"access_modes"``)."""

    availability: str
    licences: list[LicenceInfo] = field(default_factory=list)
    records: int = 1
    disagreement: bool = False
    basis: str = "artifact"


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


def openly_released(component: str, state: ComponentState | None) -> bool:
    """Released in full (not partly), with at least one licence, every licence open for the
    component (:func:`licence_open_for`)."""
    return (state is not None and state.availability == "released" and bool(state.licences)
            and all(licence_open_for(component, lic) for lic in state.licences))


def mof_class(profile: dict[str, ComponentState]) -> str:
    """The highest MOF 1.0 class the profile reaches: ``"class_i"``, ``"class_ii"``,
    ``"class_iii"`` or ``"none"``.

    Class III needs every required Class III component (architecture, final parameters, model
    card, data card, technical report, evaluation results); Class II adds the required Class II
    ones (training, inference and evaluation code, evaluation data); Class I adds datasets,
    data preprocessing code, intermediate parameters and research paper. Each must be openly
    released (:func:`openly_released`). Optional components (sample outputs, supporting
    libraries, model metadata) never block a class. Source: MOF 1.0 (LF AI & Data, 2024-12-15)
    and the Model Openness Tool's ``mof.settings.yml``.
    """
    reached = "none"
    for cls, name in ((3, "class_iii"), (2, "class_ii"), (1, "class_i")):
        needed = [c for c, (k, _, req) in MOF_COMPONENTS.items() if req and k >= cls]
        if not all(openly_released(c, profile.get(c)) for c in needed):
            break
        reached = name
    return reached


def evidence_status(profile: dict[str, ComponentState]) -> str:
    """OSI Open Source AI Definition (OSAID 1.0) style status of a model.

    * ``"unknown"``: nothing is known about the final parameters (no record, or ``unknown``);
    * ``"closed"``: the final parameters are withheld;
    * ``"open_source"``: the final parameters are released under an open licence (OSI-approved
      or open data: :func:`licence_open_for`), the training code is released under an OSI-approved licence, and training
      data information is released (datasets released or partly released, or a data card
      released) — the OSAID's three requirements: parameters, code, data information;
    * ``"open_weights"``: the final parameters are released (fully or partly) but the model
      lacks something ``open_source`` needs.
    """
    fp = profile.get("final_parameters")
    if fp is None or fp.availability == "unknown":
        return "unknown"
    if fp.availability == "withheld":
        return "closed"
    weights_open = (fp.availability == "released" and bool(fp.licences)
                    and all(licence_open_for("final_parameters", lic) for lic in fp.licences))
    tc = profile.get("training_code")
    code_open = (tc is not None and tc.availability == "released" and bool(tc.licences)
                 and all(lic.osi for lic in tc.licences))
    ds, dc = profile.get("datasets"), profile.get("data_card")
    data_info = ((ds is not None and ds.availability in ("released", "partly_released"))
                 or (dc is not None and dc.availability == "released"))
    return "open_source" if weights_open and code_open and data_info else "open_weights"


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


def combine(states: list[ComponentState]) -> ComponentState:
    """Combine several artifact records for the same (model, component), e.g. from different
    sources' graphs (the curated record from the source documents, one record per imported
    index). Rule: records with availability ``unknown`` are ignored when any record knows; of
    the known ones, the availability that **most records** state wins, and a tie goes to the
    **least open** (withheld over partly released over released), so a claim of release never
    overrides an equally supported statement that a part is withheld. Majority rather than
    "least open always" because the indexes grade openness, not only availability: the OSAI
    index calls Llama 3.1's end-model weights closed because they sit behind a bespoke licence,
    while the source documents and the MOF record them as downloadable. The licences are those
    of the winning records (deduplicated, sorted by id). ``disagreement`` is true when the known
    records differ in availability (the analysis counts and reports these)."""
    if not states:
        raise ValueError("no states to combine")
    known = [s for s in states if s.availability != "unknown"]
    if not known:
        return ComponentState("unknown", [], records=len(states), basis=states[0].basis)
    votes = Counter(s.availability for s in known)
    most = max(votes.values())
    winner = max((a for a, n in votes.items() if n == most), key=AVAILABILITY_ORDER.index)
    lics = {lic.id: lic for s in known if s.availability == winner for lic in s.licences}
    return ComponentState(winner, [lics[k] for k in sorted(lics)], records=len(states),
                          disagreement=len(votes) > 1, basis=known[0].basis)
