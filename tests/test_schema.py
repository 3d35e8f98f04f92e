"""The schema is the single source of truth: committed generated files must match it."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph

from openness_kg import paths
from openness_kg.schema import generated_texts, get_schema


@pytest.fixture(scope="module")
def regenerated():
    pytest.importorskip("linkml")
    return generated_texts()


@pytest.mark.slow   # builds, or runs a child process: seconds
@pytest.mark.parametrize("name", [paths.OWL_FILE.name, paths.ONTOLOGY_FILE.name, paths.SHACL_FILE.name, paths.JSON_SCHEMA_FILE.name])
def test_generated_file_matches_schema(regenerated, name):
    committed = (paths.GENERATED_DIR / name).read_text(encoding="utf-8")
    assert regenerated[name] == committed, (
        f"schema/generated/{name} is out of date with schema/openness_kg.yaml; run `make schema`")


def test_generated_files_parse():
    assert len(Graph().parse(paths.OWL_FILE, format="turtle")) > 100
    assert len(Graph().parse(paths.SHACL_FILE, format="turtle")) > 100
    assert "$defs" in json.loads(paths.JSON_SCHEMA_FILE.read_text())


def test_every_enum_value_is_a_concept_under_the_vocab_namespace():
    s = get_schema()
    for enum in s.view.all_enums():
        for value, iri in s.enum_values(enum).items():
            assert iri.startswith("https://w3id.org/openness-kg/vocab/"), (enum, value, iri)


def test_standard_vocabularies_are_reused():
    s = get_schema()
    assert s.class_iri("Organisation") == "http://www.w3.org/ns/org#Organization"
    assert s.class_iri("Passage") == "http://www.w3.org/ns/oa#TextPositionSelector"
    slots = s.slots("Model")
    assert slots["name"].iri == "http://schema.org/name"
    assert slots["licence"].iri == "http://schema.org/license"
    assert slots["same_as"].iri == "http://schema.org/sameAs"
    assert s.slots("Passage")["start"].iri == "http://www.w3.org/ns/oa#start"
    assert s.slots("Organisation")["parent_organisation"].iri == "http://www.w3.org/ns/org#subOrganizationOf"
    assert s.slots("Licence")["permits"].iri == "http://creativecommons.org/ns#permits"


def test_mof_components_are_all_in_the_artifact_vocabulary():
    """All 17 components of MOF 1.0 (mof.settings.yml) have an ArtifactType value."""
    values = set(get_schema().enum_values("ArtifactType"))
    assert values == {
        "model_architecture", "final_parameters", "intermediate_parameters", "training_code",
        "inference_code", "evaluation_code", "data_preprocessing_code", "datasets", "evaluation_data",
        "model_metadata", "model_card", "data_card", "technical_report", "research_paper",
        "evaluation_results", "supporting_libraries", "sample_model_outputs",
    }


def test_class_iris_without_linkml_match_the_schema():
    """The readers map classes to IRIs without loading LinkML: the table must be the schema's."""
    from openness_kg.namespaces import CLASS_IRIS, CLASS_SEGMENTS

    s = get_schema()
    assert set(CLASS_IRIS) == set(CLASS_SEGMENTS) == set(s.container_classes().values())
    assert CLASS_IRIS == {c: s.class_iri(c) for c in CLASS_IRIS}
