"""The importers of the openness indexes (OSAI index, MOF tool, FMTI), the crosswalk, the
bad-input report and the imported records in the build.

Expected values were read by hand from the external files named in each test
(../shared/external/...) and from the fixtures in tests/examples/import/.
"""
from __future__ import annotations

import os

import copy
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from rdflib import URIRef

from openness_kg import paths
from openness_kg.cli import main
from openness_kg.importers import ImportFailed, run_import
from openness_kg.importers.common import Crosswalk, Known, slugify
from openness_kg.namespaces import GRAPH, OKG, instance_iri

from conftest import EXAMPLES, curated_data

FIXTURES = EXAMPLES / "import"
# the external datasets: $OPENNESS_KG_EXTERNAL, else beside the source texts
# ($OPENNESS_KG_SOURCES/../external, i.e. ../shared/external by default)
EXTERNAL = Path(os.environ.get("OPENNESS_KG_EXTERNAL") or paths.sources_dir().parent / "external")
IMPORTED = paths.DATA_DIR / "imported"


@lru_cache(maxsize=None)
def _imported(dataset: str, key: str) -> dict[str, dict]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = yaml.load((IMPORTED / dataset / f"{key}.yaml").read_text(encoding="utf-8"), Loader=loader)
    return {r["id"]: r for r in doc[key]}


def imported(dataset: str, key: str) -> dict[str, dict]:
    """Records of one list of the committed import, by id (a fresh copy)."""
    return copy.deepcopy(_imported(dataset, key))


def state(rec: dict) -> tuple:
    return (rec["artifact_of"], rec["availability"], tuple(rec.get("licence", [])))


@pytest.fixture()
def data_dir(tmp_path) -> Path:
    """The curated data files and the crosswalk, without any import (conftest.curated_data)."""
    return curated_data(tmp_path)


# ------------------------------------------------------------------ models read by hand

def test_osai_llama_3_1_read_by_hand():
    # osai-index/llama-3.1.yaml: weights_endmodel closed, datasources_endmodel closed,
    # trainingcode partial, preprint open, paper closed, modelcard partial, datasheet closed;
    # endmodellicense "Meta Llama 3 Community License" (sic: the Llama 3 licence for 3.1)
    arts = imported("osai-index", "artifacts")
    got = {k[len("osai-llama-3-1-"):]: state(v) for k, v in arts.items() if k.startswith("osai-llama-3-1-")}
    assert got == {
        "datasets": ("llama-3-1", "withheld", ()),
        "final-parameters": ("llama-3-1", "withheld", ("llama-3-community-licence",)),
        "training-code": ("llama-3-1", "partly_released", ()),
        "data-preprocessing-code": ("llama-3-1", "partly_released", ()),
        "technical-report": ("llama-3-1", "released", ()),
        "research-paper": ("llama-3-1", "withheld", ()),
        "model-card": ("llama-3-1", "partly_released", ()),
        "data-card": ("llama-3-1", "withheld", ()),
    }
    a = imported("osai-index", "assessments")
    judged = {k[len("osai-llama-3-1-"):]: v["judgement"] for k, v in a.items() if k.startswith("osai-llama-3-1-")}
    assert judged == {"datasources-basemodel": "closed", "datasources-endmodel": "closed",
                      "weights-basemodel": "partial", "weights-endmodel": "closed", "trainingcode": "partial",
                      "code": "partial", "hardware-architecture": "partial", "preprint": "open",
                      "paper": "closed", "modelcard": "partial", "datasheet": "closed", "licenses": "closed"}
    w = a["osai-llama-3-1-weights-endmodel"]
    assert w["assessed"] == "model/llama-3-1" and w["mapped_artifacts"] == ["osai-llama-3-1-final-parameters"]
    # the weights_endmodel entry gives no link; the preprint entry gives two (sorted on the record;
    # the artifact's url is the first the index gives)
    assert w["dataset_record"] == [{"source": "osai-index", "locator": "llama-3.1.yaml#weights_endmodel",
                                    "supports": ["assessed", "component", "criterion", "judgement",
                                                 "mapped_artifacts"]},
                                   {"source": "osai-index", "locator": "llama-3.1.yaml#system.endmodelname",
                                    "supports": ["variant_name"]}]
    # base / end model names: Llama-3.1-405B / Llama-3.1-405B-Instruct
    assert w["variant_name"] == "Llama-3.1-405B-Instruct"
    assert a["osai-llama-3-1-weights-basemodel"]["variant_name"] == "Llama-3.1-405B"
    assert a["osai-llama-3-1-datasources-basemodel"]["variant_name"] == "Llama-3.1-405B"
    assert a["osai-llama-3-1-licenses"]["variant_name"] == "Llama-3.1-405B-Instruct"
    assert a["osai-llama-3-1-preprint"]["dataset_record"][0]["links"] == [
        "https://ai.meta.com/blog/meta-llama-3-1/", "https://arxiv.org/abs/2407.21783"]
    assert arts["osai-llama-3-1-technical-report"]["url"] == "https://arxiv.org/abs/2407.21783"
    # no model record: Llama 3.1 is ours
    assert "llama-3-1" not in imported("osai-index", "models")


def test_mof_llama_3_1_8b_read_by_hand():
    # mof/models/Llama-3.1-8B.yml: distribution licence "Llama 3.1 Community License Agreement";
    # no code/data/document licences, so unlabelled components inherit the distribution licence;
    # Evaluation data and Technical report "unlicensed"; Research paper under arXiv's licence
    arts = imported("mof", "artifacts")
    got = {k[len("mof-llama-3-1-8b-"):]: state(v) for k, v in arts.items()
           if k.startswith("mof-llama-3-1-8b-") and not k.startswith("mof-llama-3-1-8b-instruct")}
    l31 = ("llama-3-1-community-licence",)
    assert got == {
        "model-architecture": ("llama-3-1", "released", l31),
        "inference-code": ("llama-3-1", "released", l31),
        "supporting-libraries": ("llama-3-1", "released", l31),
        "final-parameters": ("llama-3-1", "released", l31),
        "evaluation-data": ("llama-3-1", "released", ()),
        "model-card": ("llama-3-1", "released", l31),
        "technical-report": ("llama-3-1", "released", ()),
        "research-paper": ("llama-3-1", "released", ("arxiv-nonexclusive-distrib-1-0",)),
        "evaluation-results": ("llama-3-1", "released", l31),
    }
    assert arts["mof-llama-3-1-8b-research-paper"]["url"] == "https://arxiv.org/abs/2407.21783"
    a = imported("mof", "assessments")["mof-llama-3-1-8b-final-parameters-licence"]
    assert a["judgement"] == "Llama 3.1 Community License Agreement"
    assert (a["assessed"], a["variant_name"]) == ("model/llama-3-1", "Llama-3.1-8B")
    assert a["dataset_record"][0]["locator"] == "models/Llama-3.1-8B.yml#release.license.distribution.name"


def test_mof_proprietary_components_are_not_counted_as_released():
    # mof/models/GPT-4.yml: distribution licence "Proprietary"; 8 components listed, the
    # research paper under arXiv's licence
    arts = {k: v for k, v in imported("mof", "artifacts").items() if k.startswith("mof-gpt-4-")
            and not k.startswith("mof-gpt-4o")}
    assert len(arts) == 8
    assert arts["mof-gpt-4-final-parameters"]["availability"] == "unknown"
    assert arts["mof-gpt-4-final-parameters"]["licence"] == ["proprietary-terms"]
    assert arts["mof-gpt-4-research-paper"]["availability"] == "released"
    assert {v["artifact_of"] for v in arts.values()} == {"gpt-4"}
    assert imported("mof", "licences")["proprietary-terms"]["licence_category"] == "proprietary"


def test_mof_component_not_included_is_withheld():
    # mof/models/StarCoder.yml lists four components as "Component not include(d)"
    arts = imported("mof", "artifacts")
    assert arts["mof-starcoder-model-architecture"]["availability"] == "withheld"
    assert "licence" not in arts["mof-starcoder-model-architecture"]


def test_fmti_scores_read_by_hand():
    # October2023: Total row gives Meta 54, Amazon 12; Dec2025: Meta's 100 indicators sum to 31,
    # IBM's to 95
    a = imported("fmti", "assessments")
    assert (a["fmti-2023-10-meta"]["score"], a["fmti-2023-10-meta"]["max_score"]) == (54, 100)
    assert a["fmti-2023-10-amazon"]["score"] == 12
    assert a["fmti-2025-12-meta"]["score"] == 31 and a["fmti-2025-12-ibm"]["score"] == 95
    assert a["fmti-2025-12-meta"]["assessed"] == "organisation/meta"
    assert a["fmti-2024-05-ai21-labs"]["assessed"] == "organisation/ai21-labs"
    # editions: 10 developers in 2023, 14 in 2024, 13 in 2025
    editions = [v["edition"] for v in a.values()]
    assert (editions.count("2023-10"), editions.count("2024-05"), editions.count("2025-12")) == (10, 14, 13)


# ------------------------------------------------------------------ crosswalk

NAMED = {  # our model -> (dataset, record) that the crosswalk or an exact name links to it
    "llama-3-1": [("osai-index", "llama-3.1"), ("mof", "Llama-3.1-8B")],
    "mistral-7b": [("mof", "Mistral-7B-v0.1")],
    "mixtral-8x7b": [("mof", "Mixtral-8x7B-v0.1")],
    "falcon-180b": [("mof", "Falcon-180B")],
    "falcon-40b": [("mof", "Falcon-40B")],
    "qwen-2-5": [("mof", "Qwen2.5-7B")],
    "deepseek-r1": [("osai-index", "deepseek-R1"), ("mof", "DeepSeek-R1")],
    "phi-4": [("osai-index", "Phi")],
    "gemma-2": [("mof", "gemma-2-9b-it")],
    "bloom": [("mof", "BLOOM")],
    "gpt-oss-120b": [("osai-index", "GPT-OSS"), ("mof", "gpt-oss-120b")],
    "gpt-oss-20b": [("mof", "gpt-oss-20b")],
}


@pytest.mark.parametrize("model", sorted(NAMED))
def test_named_models_get_index_evidence(model):
    for dataset, record in NAMED[model]:
        prefix = ("osai-" if dataset == "osai-index" else "mof-") + slugify(record) + "-"
        arts = [v for k, v in imported(dataset, "artifacts").items() if k.startswith(prefix)]
        assert arts and {a["artifact_of"] for a in arts} == {model}, (dataset, record)


def test_crosswalk_keeps_lookalikes_apart():
    arts = imported("osai-index", "artifacts")
    # the index's Gemma is Gemma 3, its Falcon is Falcon-H1R, its OLMo is Olmo 3
    assert arts["osai-gemma-final-parameters"]["artifact_of"] == "gemma-3"
    assert arts["osai-falcon-final-parameters"]["artifact_of"] == "falcon-h1r"
    assert arts["osai-olmo-final-parameters"]["artifact_of"] == "olmo-3"
    # MOF's Command-R is not our Command R+; its Command-R+ is
    mof = imported("mof", "artifacts")
    assert mof["mof-command-r-model-card"]["artifact_of"] == "command-r"
    assert mof["mof-command-r-plus-model-card"]["artifact_of"] == "command-r-plus"


def test_crosswalk_matching_rules(data_dir):
    cw = Crosswalk({}, Known.read(data_dir))  # an empty crosswalk: only the name rules
    m = cw.match("organisations", "fmti", "Meta", "Meta")
    assert (m.how, m.ids) == ("exact", ["meta"])
    # AI21 Labs is not the Allen Institute (ai2): reported, never guessed
    m = cw.match("organisations", "fmti", "AI21 Labs", "AI21 Labs")
    assert (m.how, m.ids, m.candidates) == ("ambiguous", [], ["ai2"])
    m = cw.match("models", "osai-index", "Qwen", "Qwen")
    assert m.how == "ambiguous" and m.candidates == ["qwen-2-5", "qwen-vl"]
    m = cw.match("models", "mof", "Command-R", "Command-R")
    assert m.how == "ambiguous" and m.candidates == ["command-r-plus"]
    m = cw.match("models", "mof", "Pythia-70M", "Pythia-70M")
    assert (m.how, m.ids, m.minted) == ("new", ["pythia-70m"], ["pythia-70m"])
    # with the real crosswalk
    cw = Crosswalk.load(data_dir)
    assert cw.match("organisations", "fmti", "AI21 Labs", "AI21 Labs").ids == ["ai21-labs"]
    assert cw.match("models", "osai-index", "llama-3.1", "Llama 3.1").ids == ["llama-3-1"]
    assert cw.match("organisations", "osai-index", "Mistral AI and NVIDIA", "Mistral AI and NVIDIA").ids == [
        "mistral-ai", "nvidia"]


def test_ambiguous_names_are_reported_and_skipped(data_dir):
    (data_dir / "crosswalk.yaml").write_text("organisations: {}\nmodels: {}\nlicences: {}\n")
    report, files = run_import("fmti", FIXTURES / "fmti", data_dir, write=False)
    assert report.imported_units == 2  # Example Lab and Meta; Odd Co has a bad value
    if not EXTERNAL.is_dir():
        return
    report, _ = run_import("fmti", EXTERNAL / "fmti", data_dir, write=False)
    lines = [str(i) for i in report.issues]
    assert ("October2023/October2023_scores.csv: field 'AI21 Labs': ambiguous organisation name 'AI21 Labs': "
            "could be ai2; add it to data/crosswalk.yaml (organisations/fmti) [skipped]") in lines


# ------------------------------------------------------------------ bad input: fixtures

def test_osai_bad_input_is_reported_and_the_rest_imports(data_dir):
    report, files = run_import("osai", FIXTURES / "osai", data_dir)
    issues = {(i.file, i.field, i.skipped): i.message for i in report.issues}
    assert issues[("unknown-class.yaml", "weights_endmodel.class", "record")].startswith("unknown class value 'opne'")
    assert issues[("missing-name.yaml", "system.name", "record")] == "missing required field"
    assert issues[("missing-dimension.yaml", "paper.class", "record")].startswith("missing required field")
    assert issues[("unknown-licence.yaml", "system.endmodellicense", "field")].startswith(
        "unknown licence string: 'Frobnicator Licence 9'")
    assert issues[("extra-dimension.yaml", "vibes", "field")] == "unknown dimension (not in _parameters.yml)"
    assert (report.files_read, report.imported_units, report.skipped_records, report.skipped_fields) == (6, 3, 3, 2)
    assert "skipped 3 record(s) and 2 field(s)" in report.summary()

    out = data_dir / "imported" / "osai-index"
    models = {r["id"]: r for r in yaml.safe_load((out / "models.yaml").read_text())["models"]}
    assert models["example-lm"] == {
        "id": "example-lm", "name": "Example LM", "developer": ["example-lab"],
        "url": "https://example.org/example-lm", "modalities": ["text"], "licence": ["apache-2-0"],
        "dataset_record": [{"source": "osai-index", "locator": "good-system.yaml#system",
                            "supports": ["developer", "licence", "modalities", "name", "url"]}]}
    assert models["odd-licence-lm"]["developer"] == ["meta"] and "licence" not in models["odd-licence-lm"]
    assert models["odd-licence-lm"]["modalities"] == ["code", "text"]
    assert models["extra-lm"]["modalities"] == ["audio"]
    a = {r["id"]: r for r in yaml.safe_load((out / "assessments.yaml").read_text())["assessments"]}
    assert a["osai-extra-dimension-weights-basemodel"]["variant_name"] == "Extra-Base"
    assert a["osai-extra-dimension-weights-endmodel"]["variant_name"] == "Extra-Chat"
    assert not [k for k in a if "vibes" in k]
    arts = {r["id"]: r for r in yaml.safe_load((out / "artifacts.yaml").read_text())["artifacts"]}
    fp = arts["osai-good-system-final-parameters"]
    assert (fp["availability"], fp["licence"], fp["url"]) == ("released", ["apache-2-0"], "https://example.org/weights")
    assert arts["osai-good-system-datasets"]["availability"] == "partly_released"
    assert arts["osai-good-system-technical-report"]["availability"] == "released"
    assert arts["osai-good-system-research-paper"]["availability"] == "withheld"
    assert len([a for a in arts if a.startswith("osai-good-system-")]) == 8
    assert not any(a.startswith(("osai-unknown-class", "osai-missing")) for a in arts)
    orgs = yaml.safe_load((out / "organisations.yaml").read_text())["organisations"]
    assert [(o["id"], o["url"]) for o in orgs] == [("example-lab", "https://example.org/")]
    assert (out / "import-report.txt").read_text() == report.text()


def test_mof_bad_input_is_reported_and_the_rest_imports(data_dir):
    report, _ = run_import("mof", FIXTURES / "mof", data_dir)
    issues = {(i.file, i.field, i.skipped): i.message for i in report.issues}
    assert issues[("models/No-Producer.yml", "release.producer", "record")] == "missing required field"
    assert issues[("models/Bad-Type.yml", "release.type", "record")].startswith("unknown value 'spoken'")
    assert issues[("models/Odd-Parts.yml", "release.components[1].name", "record")].startswith(
        "unknown component 'Model vibes'")
    assert issues[("models/Odd-Parts.yml", "release.components[2].license", "field")].startswith(
        "unknown licence string: 'Frobnicator Licence 9'")
    assert (report.files_read, report.imported_units, report.skipped_records, report.skipped_fields) == (4, 2, 3, 1)

    out = data_dir / "imported" / "mof"
    arts = {r["id"]: state(r) for r in yaml.safe_load((out / "artifacts.yaml").read_text())["artifacts"]}
    assert arts == {
        "mof-good-model-model-architecture": ("good-model-7b", "released", ("mit",)),        # code licence
        "mof-good-model-final-parameters": ("good-model-7b", "released", ("apache-2-0",)),  # distribution
        "mof-good-model-research-paper": ("good-model-7b", "released", ("cc-by-4-0",)),     # its own
        "mof-good-model-evaluation-data": ("good-model-7b", "released", ()),                # unlicensed
        "mof-good-model-datasets": ("good-model-7b", "withheld", ()),                       # not included
        "mof-odd-parts-model-architecture": ("odd-parts", "released", ("mit",)),
        "mof-odd-parts-inference-code": ("odd-parts", "released", ()),
    }
    models = {r["id"]: r for r in yaml.safe_load((out / "models.yaml").read_text())["models"]}
    assert (models["good-model-7b"]["version"], models["good-model-7b"]["licence"]) == ("7B", ["apache-2-0"])


def test_fmti_bad_value_skips_that_developer(data_dir):
    report, _ = run_import("fmti", FIXTURES / "fmti", data_dir)
    assert [str(i) for i in report.issues] == [
        "May2024/May2024_scores.csv: field 'Odd Co': indicator 'Data sources': value '2' is not 0 or 1 [skipped]"]
    out = yaml.safe_load((data_dir / "imported" / "fmti" / "assessments.yaml").read_text())["assessments"]
    assert {(a["assessed"], a["score"], a["max_score"], a["edition"]) for a in out} == {
        ("organisation/example-lab", 2, 3, "2024-05"), ("organisation/meta", 2, 3, "2024-05")}


def test_cli_import_exit_codes_and_no_partial_output(data_dir):
    runner = CliRunner()
    res = runner.invoke(main, ["import", "fmti", str(FIXTURES / "fmti"), "--data", str(data_dir)])
    assert res.exit_code == 3, res.output  # written, but a developer was skipped
    assert (data_dir / "imported" / "fmti" / "assessments.yaml").exists()
    before = (data_dir / "imported" / "fmti" / "assessments.yaml").read_bytes()
    res = runner.invoke(main, ["import", "mof", str(data_dir / "no-such-folder"), "--data", str(data_dir)])
    assert res.exit_code == 1 and "nothing written" in res.output
    res = runner.invoke(main, ["import", "fmti", str(FIXTURES / "osai"), "--data", str(data_dir)])
    assert res.exit_code == 1 and "no FMTI scores files" in res.output
    assert (data_dir / "imported" / "fmti" / "assessments.yaml").read_bytes() == before
    assert not [p for p in (data_dir / "imported").iterdir() if p.name.startswith(".")]


def test_a_second_import_waits_for_none(data_dir):
    """While one import runs (holds the data folder's lock), another is refused at once, writing
    nothing, whatever its dataset; a dry run still runs."""
    import fcntl

    runner = CliRunner()
    assert runner.invoke(main, ["import", "fmti", str(FIXTURES / "fmti"), "--data", str(data_dir)]).exit_code == 3
    before = snapshot(data_dir)
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running import holds it
        res = runner.invoke(main, ["import", "fmti", str(EXTERNAL / "fmti"), "--data", str(data_dir)])
        assert res.exit_code == 1, res.output
        assert f"another import into {data_dir} is running" in res.output and "nothing written" in res.output
        assert "Traceback" not in res.output
        for dataset in ("fmti", "mof"):
            with pytest.raises(ImportFailed, match="another import"):
                run_import(dataset, FIXTURES / dataset, data_dir)
        _, files = run_import("fmti", FIXTURES / "fmti", data_dir, write=False)  # a dry run writes nothing
        assert files
    finally:
        os.close(fd)
    assert snapshot(data_dir) == before
    assert runner.invoke(main, ["import", "fmti", str(FIXTURES / "fmti"), "--data", str(data_dir)]).exit_code == 3


def test_canonical_yaml_writes_shared_values_in_full():
    from openness_kg.importers.common import canonical_yaml

    shared = ["text", "code"]
    text = canonical_yaml({"models": [{"id": "b", "modalities": shared}, {"id": "a", "modalities": shared}]}, "")
    assert "&id" not in text and "*id" not in text
    assert text.count("modalities: [text, code]") == 2
    assert yaml.safe_load(text) == {"models": [{"id": "a", "modalities": shared}, {"id": "b", "modalities": shared}]}


def test_committed_imports_have_no_yaml_aliases():
    for p in sorted(IMPORTED.glob("*/*.yaml")):
        text = p.read_text(encoding="utf-8")
        assert "&id0" not in text and "*id0" not in text, p


@pytest.mark.slow   # builds, or runs a child process: seconds
def test_imported_fixtures_build_with_shacl(data_dir):
    from openness_kg.pipeline import checked_graph
    from conftest import as_rdflib

    for name in ("osai", "mof", "fmti"):
        run_import(name, FIXTURES / name, data_dir)
    cat, kg = checked_graph(data_dir, quiet=True)
    ds = as_rdflib(kg)
    g = ds.graph(GRAPH["source/osai-index"])
    art = instance_iri("Artifact", "osai-good-system-final-parameters")
    assert (art, OKG.availability, URIRef("https://w3id.org/openness-kg/vocab/availability/released")) in g
    locators = {str(g.value(c, OKG.locator)) for c in g.objects(art, OKG.datasetRecord)}
    assert "good-system.yaml#weights_endmodel" in locators
    # the imported facts are in the dataset's graph only
    assert (art, OKG.availability, None) not in ds.graph(GRAPH["curated"])


# ------------------------------------------------------------------ committed import is current

@pytest.mark.slow
@pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"external datasets not found at {EXTERNAL}")
@pytest.mark.parametrize("name,folder", [("osai", "osai-index"), ("mof", "mof"), ("fmti", "fmti"), ("epoch", "epoch")])
def test_committed_import_matches_a_fresh_import(name, folder):
    _, files = run_import(name, EXTERNAL / folder, write=False)
    out = IMPORTED / {"osai": "osai-index"}.get(name, name)
    assert sorted(p.name for p in out.iterdir()) == sorted(files)
    for fname, text in files.items():
        assert (out / fname).read_text(encoding="utf-8") == text, f"{fname} differs: run `make import`"


def test_every_external_file_imports_or_is_reported():
    for dataset, pattern in (("osai-index", "*.yaml"), ("mof", "models/*.yml")):
        ext = EXTERNAL / dataset
        if not ext.is_dir():
            pytest.skip(f"external datasets not found at {EXTERNAL}")
        report = (IMPORTED / dataset / "import-report.txt").read_text()
        files = [p for p in ext.glob(pattern) if not p.name.startswith("_") and p.name != "a_submission_template.yaml"]
        imported_ok = int(report.split("imported ", 1)[1].split(";")[0])
        skipped = {line.split(":")[0].strip() for line in report.splitlines()[1:] if line.endswith("[skipped]")
                   and "component" not in line}
        assert imported_ok + len(skipped) == len(files), (dataset, imported_ok, len(skipped), len(files))


def test_import_fails_cleanly_without_a_crosswalk(tmp_path):
    with pytest.raises(ImportFailed, match="crosswalk not found"):
        run_import("fmti", FIXTURES / "fmti", tmp_path)


def test_sources_disagree_on_llama_3_1_weights(built):
    # the documents state Llama 3.1's weights are released; the OSAI index judges the end
    # model's weights closed (llama-3.1.yaml#weights_endmodel); MOF lists them for its three
    # Llama 3.1 checkpoints
    from openness_kg.read import store
    from openness_kg.sparql import library, run_oxigraph

    rows = run_oxigraph(library()["index-disagreements"], store(built[1]), {"model": "model/llama-3-1"})
    fp = {(r["sourceGraph"].rsplit("/", 1)[-1], r["artifact"].rsplit("/", 1)[-1], r["availability"].rsplit("/", 1)[-1])
          for r in rows if r["component"].endswith("/final-parameters")}
    assert ("osai-index", "osai-llama-3-1-final-parameters", "withheld") in fp
    assert ("open-closed-examples", "llama-3-1-final-parameters", "released") in fp
    assert ("mof", "mof-llama-3-1-8b-final-parameters", "released") in fp
    assert {g for g, _, _ in fp} == {"osai-index", "mof", "open-closed-examples", "open-closed-glossary",
                                     "open-weight-closed-tradeoffs"}


def test_evidence_status_uses_the_index_evidence(built):
    """models-by-evidence-status reads the analyses' judgement, which weighs the imported
    evidence with the documents', one vote per source. Worked out from the files: MOF's BLOOM.yml
    is the only source on BLOOM's final parameters (released, under the BLOOM RAIL licence, not
    an open one) -> open_weights; Llama 3.1's weights: released per the glossary (2026) and the
    undated trade-offs guide, withheld per the OSAI index (2026-06-12) -> released by 2 to 1,
    unresolved -> open_weights; DeepSeek R1: weights released in every source, training code
    withheld (OSAI) -> open_weights."""
    from openness_kg.read import store
    from openness_kg.sparql import library, run_oxigraph

    rows = run_oxigraph(library()["models-by-evidence-status"], store(built[1]))
    got = {r["model"].rsplit("/", 1)[-1]: (r["status"], r["resolution"]) for r in rows}
    assert got["bloom"] == ("open_weights", "agreed")
    assert got["llama-3-1"] == ("open_weights", "unresolved")
    assert got["deepseek-r1"][0] == "open_weights"


def test_cli_offers_every_registered_importer():
    from openness_kg.importers import REGISTRY

    param = next(p for p in main.commands["import"].params if p.name == "dataset")
    assert list(param.type.choices) == list(REGISTRY)


# ------------------------------------------------------------------ broken input, shrinking, interrupted imports

BROKEN = FIXTURES / "broken"  # overlays on the fixture datasets; see broken/README.md


def dataset_copy(tmp_path: Path, dataset: str, overlay: str | None = None) -> Path:
    """A copy of the fixture dataset ``dataset`` in ``tmp_path``, with the files of
    ``broken/<overlay>/`` laid over it (a ``models/`` folder of the overlay replaces the fixture's)."""
    out = tmp_path / "in" / dataset
    shutil.copytree(FIXTURES / dataset, out)
    if overlay:
        for p in sorted((BROKEN / overlay).rglob("*")):
            rel = p.relative_to(BROKEN / overlay)
            if p.is_dir():
                if (out / rel).is_dir():
                    shutil.rmtree(out / rel)
                (out / rel).mkdir(parents=True, exist_ok=True)
            else:
                shutil.copy(p, out / rel)
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cli_import(*args: str):
    res = CliRunner().invoke(main, ["import", *map(str, args)])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output, res.output
    return res


def failure_line(res) -> str:
    """The one line that tells why an import failed."""
    lines = [l for l in res.output.splitlines() if l.startswith("Import failed:")]
    assert len(lines) == 1 and lines[0].endswith("; nothing written."), res.output
    return lines[0]


@pytest.fixture(scope="module")
def _previous_template(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("previous") / "data"
    d.mkdir()
    for p in paths.DATA_DIR.glob("*.yaml"):
        shutil.copy(p, d / p.name)
    for name in ("osai", "mof", "fmti"):
        run_import(name, FIXTURES / name, d)
    return d


@pytest.fixture()
def previous(tmp_path, _previous_template) -> tuple[Path, dict[str, bytes]]:
    """A copy of the curated data holding an earlier import of each fixture dataset, and the
    bytes of its imported/."""
    d = tmp_path / "data"
    shutil.copytree(_previous_template, d)
    return d, snapshot(d / "imported")


@pytest.mark.slow  # hostile input, one case each
def test_mof_empty_models_folder_writes_nothing(tmp_path, previous):
    data_dir, before = previous
    src = dataset_copy(tmp_path, "mof")
    for p in (src / "models").iterdir():
        p.unlink()
    for extra in ([], ["--allow-shrink"]):  # no model file: not a MOF import at all
        res = cli_import("mof", src, "--data", data_dir, *extra)
        assert res.exit_code == 1, res.output
        assert f"no MOF model files (models/*.yml) in {src}" in failure_line(res)
        assert snapshot(data_dir / "imported") == before


@pytest.mark.slow  # hostile input, one case each
def test_mof_all_models_malformed_writes_nothing_unless_allowed(tmp_path, previous):
    data_dir, before = previous
    src = dataset_copy(tmp_path, "mof", "mof-all-malformed")
    res = cli_import("mof", src, "--data", data_dir)
    assert res.exit_code == 1, res.output
    line = failure_line(res)
    assert "no record imported from" in line and "2 file(s) read, 2 record(s) skipped" in line
    assert "first: models/Broken-A.yml: malformed YAML at line 3, column 1: expected" in line
    assert "--allow-shrink" in line
    assert "  models/Broken-B.yml: malformed YAML at line 3" in res.output  # the report is shown too
    assert snapshot(data_dir / "imported") == before
    res = cli_import("mof", src, "--data", data_dir, "--dry-run")
    assert res.exit_code == 1 and snapshot(data_dir / "imported") == before
    # allowed: the (empty) import and its report are written, exit 3 as records were skipped
    res = cli_import("mof", src, "--data", data_dir, "--allow-shrink")
    assert res.exit_code == 3, res.output
    assert sorted(p.name for p in (data_dir / "imported" / "mof").iterdir()) == [
        "import-report.txt", "mappings.sssom.tsv"]
    from openness_kg.importers.mappings import read_rows

    assert read_rows(data_dir / "imported" / "mof" / "mappings.sssom.tsv") == []  # no match kept


@pytest.mark.slow  # hostile input, one case each
def test_import_shrinking_to_under_half_writes_nothing(tmp_path, data_dir):
    shutil.copytree(IMPORTED / "mof", data_dir / "imported" / "mof")  # the committed import
    before = snapshot(data_dir / "imported")
    res = cli_import("mof", FIXTURES / "mof", "--data", data_dir)
    assert res.exit_code == 1, res.output
    line = failure_line(res)
    old = sum(len(_imported("mof", p.stem)) for p in (IMPORTED / "mof").glob("*.yaml"))
    # 17 records plus the MOF class assessment of each of the two files imported
    assert f"the import from {FIXTURES / 'mof'} has 19 record(s), fewer than half the {old} of " in line, line
    assert "first: models/Bad-Type.yml: field 'release.type': unknown value 'spoken'" in line
    assert snapshot(data_dir / "imported") == before
    with pytest.raises(ImportFailed, match="fewer than half"):
        run_import("mof", FIXTURES / "mof", data_dir, write=False)
    res = cli_import("mof", FIXTURES / "mof", "--data", data_dir, "--allow-shrink")
    assert res.exit_code == 3, res.output
    assert len(yaml.safe_load((data_dir / "imported" / "mof" / "artifacts.yaml").read_text())["artifacts"]) == 7
    # half or more is kept: re-importing the same fixture is no shrink
    res = cli_import("mof", FIXTURES / "mof", "--data", data_dir)
    assert res.exit_code == 3, res.output


BAD_UTF8 = b"caf\xe9"  # Latin-1, not UTF-8


def _bad_osai(src: Path) -> str:
    (src / "latin1.yaml").write_bytes(b"system: {name: " + BAD_UTF8 + b" LM}\n")
    return "latin1.yaml: not UTF-8 text (byte 18)"


def _bad_mof(src: Path) -> str:
    (src / "models" / "Latin1.yml").write_bytes(b"release:\n  name: " + BAD_UTF8 + b"\n")
    return "models/Latin1.yml: not UTF-8 text (byte 20)"


def _bad_fmti(src: Path) -> str:
    (src / "June2024").mkdir()
    (src / "June2024" / "June2024_scores.csv").write_bytes(
        b"Indicator,Example Lab\nData size,1\n" + BAD_UTF8 + b",0\n")
    return "June2024/June2024_scores.csv: not UTF-8 text at line 3 (byte 37)"


@pytest.mark.slow  # hostile input, one case each
@pytest.mark.parametrize("name,write_bad", [("osai", _bad_osai), ("mof", _bad_mof), ("fmti", _bad_fmti)])
def test_file_not_utf8_is_reported_and_skipped(tmp_path, previous, name, write_bad):
    data_dir, _ = previous
    src = dataset_copy(tmp_path, name)
    expected = write_bad(src)
    res = cli_import(name, src, "--data", data_dir)
    assert res.exit_code == 3, res.output
    assert f"  {expected} [skipped]" in res.output.splitlines(), res.output
    dataset = {"osai": "osai-index"}.get(name, name)
    assert f"  {expected} [skipped]\n" in (data_dir / "imported" / dataset / "import-report.txt").read_text()


@pytest.mark.slow  # hostile input, one case each
def test_osai_dimension_class_as_a_list_is_reported(tmp_path, previous):
    data_dir, _ = previous
    src = dataset_copy(tmp_path, "osai", "osai-class-list")
    res = cli_import("osai", src, "--data", data_dir)
    assert res.exit_code == 3, res.output
    assert ("  class-list.yaml: field 'weights_endmodel.class': unknown class value ['open', 'partial'] "
            "(allowed: open, partial, closed) [skipped]") in res.output.splitlines()
    arts = (data_dir / "imported" / "osai-index" / "artifacts.yaml").read_text()
    assert "osai-good-system-final-parameters" in arts and "osai-class-list" not in arts


@pytest.mark.slow  # hostile input, one case each
def test_fmti_folder_named_like_a_scores_file_is_reported(tmp_path, previous):
    data_dir, _ = previous
    src = dataset_copy(tmp_path, "fmti")
    (src / "2024-05" / "2024-05_scores.csv").mkdir(parents=True)
    res = cli_import("fmti", src, "--data", data_dir)
    assert res.exit_code == 3, res.output
    assert "  2024-05/2024-05_scores.csv: a folder, not a scores file [skipped]" in res.output.splitlines()
    assert "organisation/example-lab" in (data_dir / "imported" / "fmti" / "assessments.yaml").read_text()


@pytest.mark.slow  # hostile input, one case each
def test_folders_named_like_data_files_are_reported(tmp_path, previous):
    data_dir, _ = previous
    for name, folder, expected in (("osai", "dir.yaml", "dir.yaml"), ("mof", "models/Dir.yml", "models/Dir.yml")):
        src = dataset_copy(tmp_path / name, name)
        (src / folder).mkdir()
        res = cli_import(name, src, "--data", data_dir)
        assert res.exit_code == 3, res.output
        assert f"  {expected}: a folder, not a file [skipped]" in res.output.splitlines(), res.output


def _not_utf8_settings(src: Path) -> None:
    (src / "mof.settings.yml").write_bytes(b"components:\n  - {name: " + BAD_UTF8 + b"}\n")


@pytest.mark.slow  # hostile input, one case each
@pytest.mark.parametrize("overlay,change,expected", [
    ("mof-schema-not-json", None, "mof_schema.json: not JSON (line 62, column 28: Unterminated string"),
    ("mof-settings-no-components", None,
     "mof.settings.yml: field 'components': missing (the list of components and their content types)"),
    ("mof-licenses-truncated", None, "licenses.json: not JSON (line 23, column 12"),
    (None, _not_utf8_settings, "mof.settings.yml: not UTF-8 text (byte 26)"),
])
def test_mof_broken_setup_file_fails_the_import(tmp_path, previous, overlay, change, expected):
    data_dir, before = previous
    src = dataset_copy(tmp_path, "mof", overlay)
    if change:
        change(src)
    res = cli_import("mof", src, "--data", data_dir)
    assert res.exit_code == 1, res.output
    assert f"Import failed: {src}/{expected}" in failure_line(res)
    assert snapshot(data_dir / "imported") == before


def test_mof_schema_that_is_not_a_json_schema_fails_the_import(tmp_path, previous):
    data_dir, before = previous
    src = dataset_copy(tmp_path, "mof")
    (src / "mof_schema.json").write_text('{"type": "object", "properties": {"release": {"type": 7}}}')
    res = cli_import("mof", src, "--data", data_dir)
    assert res.exit_code == 1, res.output
    assert f"{src}/mof_schema.json: field 'properties.release.type': not a JSON Schema" in failure_line(res)
    assert snapshot(data_dir / "imported") == before


@pytest.mark.slow  # hostile input, one case each
def test_broken_spdx_list_fails_the_osai_import(tmp_path, previous):
    data_dir, before = previous
    bad = tmp_path / "licenses.json"
    bad.write_text('{"licenseListVersion": "x"}')
    res = cli_import("osai", FIXTURES / "osai", "--data", data_dir, "--spdx-list", bad)
    assert res.exit_code == 1, res.output
    assert f"{bad}: field 'licenses': missing (not an SPDX licence list)" in failure_line(res)
    assert snapshot(data_dir / "imported") == before


# interrupted imports

@pytest.mark.slow  # hostile input, one case each
def test_next_import_removes_what_a_killed_import_left(previous):
    from openness_kg.files import remove_leftovers

    data_dir, before = previous
    imp = data_dir / "imported"
    shutil.copytree(imp / "mof", imp / ".mof-abcd1234")          # killed after the exchange
    shutil.copytree(imp / "mof", imp / ".mof-old-wxyz5678" / "mof")  # killed in the fallback swap
    (imp / ".mof-k1ll3d__").mkdir()                               # killed while writing
    (imp / ".mof-notes").mkdir()  # not a name atomic_dir makes: left alone
    # a dry run leaves them, and reads no record from them (no model "created by" .mof-abcd1234)
    _, dry = run_import("mof", FIXTURES / "mof", data_dir, write=False)
    assert dry["import-report.txt"].encode() == before["mof/import-report.txt"]
    assert (imp / ".mof-abcd1234").is_dir()
    res = cli_import("mof", FIXTURES / "mof", "--data", data_dir)
    assert res.exit_code == 3, res.output
    assert sorted(p.name for p in imp.iterdir() if p.name.startswith(".")) == [".mof-notes"]
    assert snapshot(imp) == before  # the same import again: the same bytes
    # killed between the fallback's two renames: the old folder is moved back whole
    (imp / ".mof-old-0000aaaa").mkdir()
    os.rename(imp / "mof", imp / ".mof-old-0000aaaa" / "mof")
    assert remove_leftovers(imp / "mof") == [imp / ".mof-old-0000aaaa"]
    assert snapshot(imp / "mof") == {k[4:]: v for k, v in before.items() if k.startswith("mof/")}


@pytest.mark.slow  # hostile input, one case each
def test_swap_leaves_the_old_or_the_new_folder_whole(tmp_path, monkeypatch, previous):
    """A stop at any step of the swap (simulated by an exception where the kill would come)
    leaves data/imported/<dataset> whole: old before the exchange, new after it."""
    import openness_kg.files as files

    data_dir, before = previous
    imp = data_dir / "imported"
    old = {k: v for k, v in before.items() if k.startswith("fmti/")}
    src = dataset_copy(tmp_path, "fmti")
    (src / "May2024" / "May2024_scores.csv").write_text(
        "Indicator,Example Lab,Meta\nData size,1,1\nData sources,0,1\nCompute,1,1\n")

    class Killed(BaseException):
        pass

    def boom(*a, **k):
        raise Killed

    # killed after the exchange, before the old content is deleted: the new import is in place
    monkeypatch.setattr(files.shutil, "rmtree", boom)
    with pytest.raises(Killed):
        run_import("fmti", src, data_dir)
    monkeypatch.undo()
    new = {k: v for k, v in snapshot(imp).items() if k.startswith("fmti/")}
    assert new != old and "score: 3" in new["fmti/assessments.yaml"].decode()  # Meta's 3 of 3
    left = [p for p in imp.iterdir() if p.name.startswith(".fmti-")]
    assert len(left) == 1 and snapshot(left[0]) == {k[5:]: v for k, v in old.items()}
    # without the exchange (another system): killed between the two renames
    run_import("fmti", FIXTURES / "fmti", data_dir)
    calls = []

    def replace(a, b):
        calls.append((a, b))
        if len(calls) == 2:
            raise Killed
        os.rename(a, b)

    monkeypatch.setattr(files, "exchange_paths", lambda a, b: False)
    monkeypatch.setattr(files.os, "replace", replace)
    with pytest.raises(Killed):
        run_import("fmti", src, data_dir)
    monkeypatch.undo()
    assert not (imp / "fmti").exists()
    run_import("fmti", FIXTURES / "fmti", data_dir, write=False)  # a dry run changes nothing
    assert not (imp / "fmti").exists()
    files.remove_leftovers(imp / "fmti")
    assert {f"fmti/{k}": v for k, v in snapshot(imp / "fmti").items()} == old
    assert not [p for p in imp.iterdir() if p.name.startswith(".")]


KILL_SCRIPT = """
import sys
from pathlib import Path
from openness_kg.importers import run_import
data, a, b = map(Path, sys.argv[1:4])
print("ready", flush=True)
while True:
    for src in (a, b):
        run_import("osai", src, data, allow_shrink=True)
"""


@pytest.mark.slow
def test_kill_9_during_imports_leaves_a_whole_folder(tmp_path, data_dir):
    """kill -9 a process that re-imports two different inputs in a loop, at random moments:
    data/imported/osai-index is always exactly one of the two imports."""
    import random
    import signal
    import subprocess
    import sys
    import time

    a = dataset_copy(tmp_path / "a", "osai")
    b = dataset_copy(tmp_path / "b", "osai")
    (b / "extra-dimension.yaml").unlink()
    out = data_dir / "imported" / "osai-index"
    whole = []
    for src in (a, b):
        run_import("osai", src, data_dir, allow_shrink=True)
        whole.append(snapshot(out))
    assert whole[0] != whole[1]
    rng = random.Random(14)
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(data_dir), str(a), str(b)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        assert snapshot(out) in whole
        run_import("osai", a, data_dir, allow_shrink=True)  # removes leftovers
        assert snapshot(out) == whole[0]
        assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]


# property: whatever a system file holds, the OSAI import imports it or reports it


ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


@st.composite
def mutated_system(draw):
    """The good fixture system with, per key (top level and one level down), the value kept,
    replaced by a value of a random type, or the key dropped."""
    doc = yaml.safe_load((FIXTURES / "osai" / "good-system.yaml").read_text())

    def mutate(value):
        how = draw(st.sampled_from(["keep", "keep", "replace", "drop"]))
        return how, (draw(ANY_VALUE) if how == "replace" else value)

    out = {}
    for key, value in doc.items():
        if isinstance(value, dict) and draw(st.integers(0, 3)):  # mostly: mutate inside
            inner = {}
            for k, v in value.items():
                how, nv = mutate(v)
                if how != "drop":
                    inner[k] = nv
            out[key] = inner
            continue
        how, nv = mutate(value)
        if how != "drop":
            out[key] = nv
    return out


_load_crosswalk = Crosswalk.load


@lru_cache(maxsize=None)
def _crosswalk(data_dir: Path) -> Crosswalk:
    return _load_crosswalk(data_dir)


@pytest.mark.slow
@settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=mutated_system())
def test_osai_import_imports_or_reports_any_system_file(data_dir, tmp_path_factory, doc):
    from unittest import mock

    src = tmp_path_factory.mktemp("osai")
    for p in FIXTURES.joinpath("osai").glob("*.yaml"):
        shutil.copy(p, src / p.name)
    (src / "good-system.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    # the crosswalk and curated records are read once (the import only reads them)
    with mock.patch.object(Crosswalk, "load", _crosswalk):
        report, files = run_import("osai", src, data_dir, write=False, allow_shrink=True)
    skipped = [i for i in report.issues if i.file == "good-system.yaml" and i.skipped == "record"]
    # the other fixture files give 2 systems; the mutated one imports or is reported
    assert report.imported_units == (2 if skipped else 3), report.text()
    assert files["import-report.txt"] == report.text()


def test_run_import_returns_report_and_files_with_the_sssom_mappings(data_dir):
    """As the README says: ``report, files = run_import(...)``; ``files`` holds the mapping table."""
    from openness_kg.importers.mappings import read_rows

    (data_dir / "crosswalk.yaml").write_text(
        "organisations:\n  fmti:\n    Example Lab: new:example-lab\nmodels: {}\nlicences: {}\n")
    report, files = run_import("fmti", FIXTURES / "fmti", data_dir, write=False)
    assert report.imported_units == 2
    assert {"import-report.txt", "mappings.sssom.tsv", "organisations.yaml"} <= set(files)
    out = data_dir / "m.sssom.tsv"
    out.write_text(files["mappings.sssom.tsv"])
    rows = {r["subject_id"]: r for r in read_rows(out)}
    # the fixture's developers: "Example Lab" (the crosswalk entry above) and "Meta", equal to
    # our organisation meta's name (data/organisations.yaml); "Odd Co" is skipped (bad value)
    assert set(rows) == {"fmti:organisation/Example%20Lab", "fmti:organisation/Meta"}
    assert (rows["fmti:organisation/Example%20Lab"]["object_id"],
            rows["fmti:organisation/Example%20Lab"]["mapping_justification"]) == (
        "okgid:organisation/example-lab", "semapv:ManualMappingCuration")
    assert (rows["fmti:organisation/Meta"]["object_id"], rows["fmti:organisation/Meta"]["mapping_justification"]) == (
        "okgid:organisation/meta", "semapv:LexicalMatching")
    assert files["mappings.sssom.tsv"].startswith("#curie_map:\n")
