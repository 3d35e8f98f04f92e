"""Descriptions of the analysis tables and their columns (for Datasette's ``metadata.yml``).

``TABLE_DOCS[table] = {"description": str, "columns": {column: description}}``; a test checks
that every column of every table is described. Ids (model, organisation, licence, channel,
claim, label) are the record slugs of ``https://w3id.org/openness-kg/id/<class>/<slug>``; several
values in one cell are separated by ``;``.
"""
from __future__ import annotations

_STATUS = "Evidence-based status: open_source, open_weights, closed or unknown (OSI Open Source AI Definition style)"
_GROUP = "Model group: all, open_weight (open source or open weights) or closed"

TABLE_DOCS: dict[str, dict] = {
    "analysis_model_openness": {
        "description": "Openness of each model in scope, from its artifacts in every named graph: MOF class, "
                       "OSI-style status, licence openness and openness score.",
        "columns": {
            "model": "Model id", "name": "Model name", "developer": "Developer organisation ids, as recorded",
            "organisation": "Developer after rolling up parent organisations (when enabled)",
            "country": "ISO 3166-1 country of the (rolled-up) developer; unknown when not recorded",
            "evidence_status": _STATUS,
            "status_basis": "What the status rests on: artifact (a final-parameters artifact record), access_modes "
                            "(the model's access modes, when no artifact records the weights) or none",
            "mof_class": "Highest Model Openness Framework 1.0 class reached: class_i, class_ii, class_iii or none",
            "licence": "Licence ids of the model (else of its final parameters)",
            "licence_openness": "open, restricted, non_commercial, proprietary or unknown (least open of several)",
            "openness_score": "Mean component credit over the 17 MOF components, 0-100",
            "components_released": "MOF components released or partly released",
            "components_withheld": "MOF components withheld",
            "components_unknown": "MOF components with no record or availability unknown",
            "artifact_disagreements": "Components on which sources disagree (superseded or unresolved; "
                                      "see analysis_evidence_conflicts)",
            "status_decided_by": "Source ids whose evidence on the final parameters decided the status (one vote "
                                 "per source; curated = the curated public records)",
            "status_evidence_date": "Newest date of the deciding evidence (YYYY, YYYY-MM or YYYY-MM-DD; empty when "
                                    "undated)",
            "status_resolution": "agreed, superseded (newer evidence decided), unresolved (sources of the newest "
                                 "date disagree; majority, tie to the least open) or none",
            "status_reason": "One sentence: which evidence decided the status, its date, and what keeps an "
                             "open-weights model from open_source",
            "status_single_record": "True when one record alone decided the status: dropping it would change "
                                    "the status (the report's stability note counts these)",
            "osaid_missing": "For open_weights and open_source models: the OSAID requirements not met "
                             "(parameters, code:<component>, data_information)",
            "mof_blocking": "Components keeping the model from the next MOF class up (Model Openness Tool "
                            "evaluator)",
        },
    },
    "analysis_evidence_conflicts": {
        "description": "Data quality: every (model, component) on which the sources disagree, one row per source's "
                       "vote, with how the disagreement was settled. Newer evidence supersedes older; sources of "
                       "the newest date that still disagree are listed as unresolved, not silently settled.",
        "columns": {
            "model": "Model id", "component": "MOF component",
            "resolution": "superseded or unresolved",
            "availability": "The combined availability the judgement came to",
            "source": "Source id of the vote (curated = the curated public records)",
            "source_date": "The date the source's evidence speaks for (empty when undated)",
            "source_availability": "What this source says",
            "deciding": "True when this source's vote decided the judgement",
            "records": "The artifact records behind the vote (<model>#access_modes: the source's access modes)",
        },
    },
    "analysis_model_components": {
        "description": "Each model's combined state for each of the 17 MOF components (one row per model and component).",
        "columns": {
            "model": "Model id", "component": "MOF component (ArtifactType value)",
            "mof_component_class": "MOF class the component belongs to (1, 2 or 3)",
            "content_type": "MOF content type: code, data or document",
            "availability": "Combined availability: released, partly_released, withheld, unknown or no_record",
            "licences": "Licence ids of the winning records",
            "open_licence": "True when every licence is open for the component's content type (MOF rules)",
            "credit": "Credit towards the openness score (0, 0.25, 0.5 or 1)",
            "records": "Records combined (artifact records, and sources' access modes for the final parameters)",
            "disagreement": "True when the sources disagree on availability",
            "basis": "artifact or access_modes", "graphs": "Source ids of the graphs stating the records",
            "decided_by": "Source ids whose votes decided the availability",
            "evidence_date": "Newest date of the deciding evidence",
            "resolution": "agreed, superseded or unresolved (empty without a record)",
        },
    },
    "analysis_label_checks": {
        "description": "Each source's openness label for a model (or its family) against the model's evidence-based "
                       "status; open-washing candidates.",
        "columns": {
            "source": "Source id of the graph stating the label", "label_id": "Openness label id",
            "label": "The source's label (fully_open, open_source, deeply_open, open, open_weight, semi_open, closed)",
            "spectrum_rank": "Place in the source's openness spectrum, 1 = most open (when given)",
            "labelled": "What the label names: model/<id> or model-family/<id>",
            "model": "The model checked (a family label is checked on each model of the family)",
            "evidence_status": _STATUS,
            "verdict": "consistent, mismatch or no_evidence",
            "open_washing_candidate": "Label says open source or fully open but the status is not open_source",
            "withheld": "Of training code and datasets, those withheld",
            "not_evidenced": "Of training code and datasets, those with no record or unknown availability",
        },
    },
    "analysis_spectrum_correlation": {
        "description": "Kendall's tau-b between each source's openness order and the evidence ranking by openness score.",
        "columns": {
            "source": "Source id", "basis": "spectrum_rank (the source's numbered spectrum) or label_order "
                                             "(its labels ordered fully open > open source > open > open-weight > "
                                             "semi-open > closed)",
            "models": "Models compared", "kendall_tau": "Kendall's tau-b (scipy.stats.kendalltau), -1 to 1",
            "p_value": "Two-sided p-value of tau",
        },
    },
    "analysis_claims_matrix": {
        "description": "Claims per dimension and source, by stance (who says what).",
        "columns": {"dimension": "Claim dimension", "source": "Source id",
                    "favours_open": "Claims favouring open models", "favours_closed": "Claims favouring closed models",
                    "mixed": "Claims with a mixed stance", "neutral": "Neutral claims", "total": "All claims"},
    },
    "analysis_concentration": {
        "description": "Concentration of models across organisations and countries: Herfindahl-Hirschman index, CR4, Gini.",
        "columns": {"model_group": _GROUP, "grouped_by": "organisation or country",
                    "models": "Models in the group", "holders": "Organisations (or countries) with at least one model",
                    "unassigned_models": "Models without a known holder (e.g. no country recorded)",
                    "hhi": "Herfindahl-Hirschman index, 0-10,000", "cr4": "Share of the four largest, 0-1",
                    "gini": "Gini coefficient among holders, 0-1", "largest": "Holder with most models",
                    "largest_share": "Its share, 0-1",
            "hhi_loo_min": "Smallest HHI when any one model is left out (leave-one-out sensitivity)",
            "hhi_loo_max": "Largest HHI when any one model is left out",
            "hhi_ci_low": "2.5th percentile of the HHI over 1,000 bootstrap resamples of the models (seed 0)",
            "hhi_ci_high": "97.5th percentile of the bootstrap HHI",
            "cr4_loo_min": "Smallest CR4 when any one model is left out",
            "cr4_loo_max": "Largest CR4 when any one model is left out",
            "cr4_ci_low": "2.5th percentile of the bootstrap CR4", "cr4_ci_high": "97.5th percentile of the bootstrap CR4"},
    },
    "analysis_concentration_shares": {
        "description": "Models and shares per organisation or country, for all, open-weight and closed models.",
        "columns": {"model_group": _GROUP, "grouped_by": "organisation or country",
                    "holder": "Organisation id or country code", "name": "Organisation name or country code",
                    "models": "Models (a model with k developers counts 1/k to each)", "share": "Share, 0-1"},
    },
    "analysis_compute_concentration": {
        "description": "Concentration of training compute (FLOP, Epoch AI's estimates) across organisations and "
                       "countries, per year and cumulative, next to the same measures on model counts; every model "
                       "with a compute estimate and a release date, whatever the scope.",
        "columns": {"model_group": _GROUP, "grouped_by": "organisation (parents rolled up) or country",
                    "period": "year (models released that year) or cumulative (released up to and including it)",
                    "year": "Year of release", "models": "Models with a compute estimate in the group and period",
                    "holders": "Organisations (or countries) with at least one of them",
                    "total_compute_flop": "Their training compute summed, FLOP (6 significant digits)",
                    "hhi": "Herfindahl-Hirschman index of compute shares, 0-10,000",
                    "cr4": "Compute share of the four largest, 0-1", "gini": "Gini coefficient of compute, 0-1",
                    "hhi_models": "HHI of the same models counted (a model with k holders counts 1/k to each)",
                    "cr4_models": "CR4 of the counts", "gini_models": "Gini of the counts",
                    "largest": "Holder with the most compute", "largest_compute_share": "Its share of compute, 0-1",
                    "hhi_loo_min": "Smallest compute HHI when any one model is left out (last cumulative year only)",
                    "hhi_loo_max": "Largest compute HHI when any one model is left out (last cumulative year only)",
                    "hhi_ci_low": "2.5th percentile of the compute HHI over 1,000 bootstrap resamples (seed 0; "
                                  "last cumulative year only)",
                    "hhi_ci_high": "97.5th percentile of the bootstrap compute HHI (last cumulative year only)"},
    },
    "analysis_largest_training_runs": {
        "description": "The largest open-weight and the largest closed training run (FLOP) of each year, and their ratio.",
        "columns": {"year": "Year of release",
                    "largest_open_model": "Model id of the largest open-weight run (open source or open weights)",
                    "largest_open_name": "Its name", "largest_open_flop": "Its training compute, FLOP",
                    "largest_closed_model": "Model id of the largest closed run", "largest_closed_name": "Its name",
                    "largest_closed_flop": "Its training compute, FLOP",
                    "closed_to_open_ratio": "Closed FLOP divided by open FLOP (empty when a side has no run)"},
    },
    "analysis_open_closed_gap": {
        "description": "Per benchmark and date, the best open and the best closed score so far (Epoch AI's benchmark "
                       "files, models classed open or closed by the dataset) and how many months the open side trails: "
                       "the time since the closed side first reached the best open score (after Cottier et al. 2024, "
                       "How far behind are open models?, Epoch AI).",
        "columns": {"benchmark": "Benchmark name as the dataset writes it", "date": "Date (release of the model scored)",
                    "best_open_model": "Best open model so far (the dataset's name)", "best_open_score": "Its score",
                    "best_closed_model": "Best closed model so far", "best_closed_score": "Its score",
                    "score_gap": "Best closed minus best open score (empty until both sides have a result)",
                    "open_leads": "True when the best open score equals or beats the best closed one",
                    "lag_months": "Months since the closed side first reached the best open score (0 when open leads; "
                                  "a lower bound at the start of the data)",
                    "best_open_result": "The best open score's benchmark-result record",
                    "best_closed_result": "The best closed score's benchmark-result record"},
    },
    "analysis_lineage": {
        "description": "Whose base models others build on: per organisation (parents rolled up), the models fine-tuned "
                       "or further trained from its models (okg:fineTuneOf, from Epoch AI), every edge in the graph.",
        "columns": {"holder": "Organisation id", "base_models": "Its models that at least one other model was built on",
                    "derived_models": "Models built on them (a base with k developers counts 1/k to each)",
                    "derived_by_others": "Of those, models by organisations that did not develop the base",
                    "share": "Share of all derived models, 0-1"},
    },
    "analysis_channels": {
        "description": "Access channels, who operates and controls them, and the models they serve.",
        "columns": {"channel": "Product id", "name": "Channel name", "operator": "Operating organisation id",
                    "controlling_organisation": "Operator after rolling up parent organisations",
                    "channel_types": "Access modes of the channel",
                    "models_served": "Models in scope it serves (a family's models included)",
                    "models": "Their ids"},
    },
    "analysis_model_access": {
        "description": "How each model reaches users, and whether one organisation controls all of its channels.",
        "columns": {"model": "Model id", "evidence_status": _STATUS,
                    "weights_downloadable": "True for open source and open-weight models",
                    "channels": "Channels serving the model",
                    "controlling_organisations": "Rolled-up operators of those channels",
                    "access": "weights_downloadable, single_organisation (only channels one organisation "
                              "controls), several_organisations or no_recorded_channel"},
    },
    "analysis_network_centrality": {
        "description": "Nodes of the organisation-model-licence-channel network with degree and betweenness "
                       "centrality and articulation points (networkx).",
        "columns": {"node": "Node id (<class>/<id>)", "type": "Organisation, Model, Licence or Channel",
                    "label": "Name", "country": "Country (organisations)", "degree": "Number of neighbours",
                    "degree_centrality": "Degree / (nodes - 1)",
                    "betweenness": "Normalised betweenness centrality",
                    "articulation_point": "True when removing the node disconnects part of the network"},
    },
    "analysis_claim_checks": {
        "description": "The sources' concentration claims, and their dated performance claims, checked against the computed figures (concentration measures; the open-closed benchmark gap).",
        "columns": {"check": "Which claim is checked", "claims": "Claim ids making it",
                    "measure": "Figures compared", "open_weight_hhi": "HHI of open-weight models",
                    "closed_hhi": "HHI of closed models", "open_weight_cr4": "CR4 of open-weight models",
                    "closed_cr4": "CR4 of closed models",
                    "open_weight_holders": "Organisations or countries with open-weight models",
                    "closed_holders": "Organisations or countries with closed models",
                    "verdict": "supported, not_supported, mixed or not_testable; supported_not_robust / not_supported_not_robust when leaving out one model can reverse the ordering; for the benchmark checks supported, contradicted, mixed or data_does_not_reach_date",
                    "statement": "The figures in words"},
    },
    "analysis_claim_conflicts": {
        "description": "Pairs of claims from different sources that take opposite sides on one proposition (one "
                       "affirms it, the other denies it; claims that only qualify it are not paired), and whether "
                       "the pair is a contradiction within one period or a change over time. Claim A is the older.",
        "columns": {"proposition": "Proposition id (data/propositions.yaml): the neutral statement both claims "
                                   "take sides on",
                    "dimension": "The proposition's dimension",
                    "claim_a": "Claim id of the older claim (dated before undated)", "source_a": "Its source id",
                    "as_of_a": "Date compared: the claim's own as-of date, else its source's date (empty when "
                               "neither is known)",
                    "text_a": "Claim A in the project's words",
                    "claim_b": "Claim id of the other claim", "source_b": "Its source id",
                    "as_of_b": "Date compared for claim B", "text_b": "Claim B in the project's words",
                    "kind": "change_over_time (both dated, different calendar years) or contradiction (same "
                            "calendar year, or a claim without any date)",
                    "polarity_a": "affirms or denies: claim A's side", "polarity_b": "The opposite side, claim B's"},
    },
    "analysis_label_conflicts": {
        "description": "The same model or model family labelled differently by two sources (open source against "
                       "open-weight, open against closed...); the unspecific 'open' does not conflict with a more "
                       "specific open label.",
        "columns": {"labelled": "What both labels name: model/<id> or model-family/<id>",
                    "label_id_a": "Openness label id of one source", "source_a": "Its source id",
                    "label_a": "Its label", "label_id_b": "Openness label id of the other source",
                    "source_b": "Its source id", "label_b": "Its label"},
    },
}
