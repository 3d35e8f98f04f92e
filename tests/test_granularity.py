"""One granularity rule (data/README.md, "Models, families and hosted products"): a model is one
released version that can be evaluated on its own, a family groups versions, a hosted product is
an access channel. The `seeds` scope counts a family the documents name through its member
models, imported ones included; families without members are reported.

The expected members were worked out by hand from data/crosswalk.yaml (`families`) and the
committed imports (data/imported/mof/models.yaml, data/imported/osai-index/models.yaml). The graph
these tests read is checked from the curated records plus the imported models, organisations and
licences (no artifacts or assessments: a few seconds, not the full build)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from openness_kg import paths
from openness_kg.analyse import metrics
from openness_kg.analyse.core import document_families, families_without_members, scope_models, scope_note
from openness_kg.analyse.extract import GraphData, read_graph
from openness_kg.importers import run_import
from openness_kg.importers.common import Crosswalk, Known

from conftest import EXAMPLES

DATA = paths.DATA_DIR

# data/crosswalk.yaml `families`: OSAI's OLMo.yaml (Olmo-3.1-32B-Think, id olmo-3) and
# "Olmo 3 RL-Zero Code.yaml" (olmo-3-1-rl-zero-code); MOF's four OLMo files. Not AMD OLMo (AMD),
# not Tulu (a Llama fine-tune).
OLMO = {"olmo-3", "olmo-3-1-rl-zero-code", "olmo-1b-hf", "olmo-7b", "olmo-7b-hf", "olmo-7b-twin-2t-hf"}
# MOF's files with producer EleutherAI alone: ten Pythia sizes, GPT-Neo, GPT-J, GPT-NeoX-20B,
# Polyglot-Ko, Pile-T5 XXL, T5-Pile. Not OSAI's Pythia (Together's Pythia-Chat-Base-7B) or GPT-NeoXT
# (Together), not MOF's Eagle (RWKV, with LF AI & Data) or Bilingual-gpt-neox-4b (rinna).
ELEUTHER = {"pythia-14m", "pythia-31m", "pythia-70m", "pythia-160m", "pythia-410m", "pythia-1b", "pythia-1-4b",
            "pythia-2-8b", "pythia-6-9b", "pythia-12b", "gpt-neo", "gpt-j", "gpt-neox-20b", "polyglot-ko",
            "pile-t5-xxl", "t5-pile"}
# data/models.yaml: 32 model records, one retired (phi-hosted), all typed in a document's graph but it
CURATED_SEEDS = 31


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    """GraphData of the curated records plus the imported models, organisations and licences."""
    from openness_kg.pipeline import checked_graph

    d = tmp_path_factory.mktemp("granularity") / "data"
    d.mkdir()
    for p in DATA.glob("*.yaml"):
        shutil.copy(p, d / p.name)
    shutil.copytree(DATA / "claims", d / "claims")
    for ds in ("mof", "osai-index", "fmti"):
        (d / "imported" / ds).mkdir(parents=True)
        for name in ("models.yaml", "organisations.yaml", "licences.yaml"):
            if (DATA / "imported" / ds / name).exists():
                shutil.copy(DATA / "imported" / ds / name, d / "imported" / ds / name)
    _, kg = checked_graph(d, quiet=True)
    return read_graph(kg)


def _slugs(ms):
    return {m.split("/", 1)[1] for m in ms}


# ------------------------------------------------------------------ the seeds scope

def test_olmo_and_eleutherai_have_their_members_in_seeds(graph):
    seeds = scope_models(graph, "seeds")
    fam = {m.split("/", 1)[1]: graph.models[m]["family"] for m in seeds}
    assert {m for m, f in fam.items() if f == "model-family/olmo"} == OLMO
    assert {m for m, f in fam.items() if f == "model-family/eleutherai-models"} == ELEUTHER
    # the models the documents name themselves are all still there
    in_docs = [m for m in seeds if m.split("/", 1)[1] not in OLMO | ELEUTHER]
    assert len(in_docs) == CURATED_SEEDS and len(seeds) == CURATED_SEEDS + len(OLMO) + len(ELEUTHER)
    # the lookalikes the crosswalk leaves out are not members, so not seeds
    assert not _slugs(seeds) & {"amd-olmo", "tulu", "pythia", "gpt-neoxt", "eagle", "bilingual-gpt-neox-4b"}


def test_imported_models_outside_the_named_families_stay_out_of_seeds(graph):
    seeds = set(scope_models(graph, "seeds"))
    imported_only = {m for m, v in graph.models.items()
                     if all("/source/mof" in g or "/source/osai-index" in g for g in v["graphs"])}
    assert {m for m in imported_only & seeds} == {f"model/{m}" for m in OLMO | ELEUTHER}


def test_families_without_members_are_listed(graph):
    # the differences blog's "Hugging Face models" and the guide's "Perplexity's hosted systems"
    assert families_without_members(graph, "seeds") == ["model-family/hugging-face-models",
                                                        "model-family/perplexity-hosted"]
    note = scope_note(graph, "seeds", len(scope_models(graph, "seeds")))
    assert "hugging-face-models, perplexity-hosted" in note and "(22 more" in note
    # every family of data/models.yaml is named by a document, so each is either counted or listed
    families = {f"model-family/{f['id']}" for f in _yaml(DATA / "models.yaml")["model_families"]}
    assert document_families(graph) == families


def test_families_without_members_on_hand_made_data():
    d = GraphData(sources={"doc": "A document", "idx": "An index"}, dataset_sources={"idx"})
    doc, idx = "https://w3id.org/openness-kg/graph/source/doc", "https://w3id.org/openness-kg/graph/source/idx"
    base = {"name": None, "developers": set(), "licences": set(), "access_modes": set()}
    d.models = {"model/a": {**base, "graphs": {doc}, "family": "model-family/f"},
                "model/b": {**base, "graphs": {idx}, "family": "model-family/g"},   # a member of a named family
                "model/c": {**base, "graphs": {idx}, "family": "model-family/h"},   # its family is not named
                "model/r": {**base, "graphs": {doc}, "family": "model-family/f", "deprecated": True}}
    d.labels = [{"label_id": "openness-label/x", "source": "doc", "labelled": "model-family/g", "label": "open",
                 "spectrum_rank": None},
                {"label_id": "openness-label/y", "source": "doc", "labelled": "model-family/empty", "label": "open",
                 "spectrum_rank": None},
                {"label_id": "openness-label/z", "source": "idx", "labelled": "model-family/h", "label": "open",
                 "spectrum_rank": None}]
    assert scope_models(d, "seeds") == ["model/a", "model/b"]
    assert scope_models(d, "all") == ["model/a", "model/b", "model/c"]   # a retired model is in no scope
    assert families_without_members(d, "seeds") == ["model-family/empty"]
    assert "so not counted: empty." in scope_note(d, "seeds", 2)


# ------------------------------------------------------------------ the records follow the rule

HOSTED_NAME = re.compile(r"\bhosted\b|\bapp\b|\bchatbot\b|\bassistant\b|\bcopilot\b", re.I)
HOSTED_DESCRIPTION = re.compile(r"\bhosted (offering|product|service|version)s?\b|\bAPI-only product\b|\bchat app\b",
                                re.I)


def test_no_model_record_is_a_hosted_product():
    models = _yaml(DATA / "models.yaml")["models"]
    products = _yaml(DATA / "products.yaml")["products"]
    product_names = {p["name"].casefold() for p in products}
    for m in models:
        if m.get("deprecated"):
            continue
        assert not HOSTED_NAME.search(m["name"]), m["id"]
        assert not HOSTED_DESCRIPTION.search(m.get("description", "")), m["id"]
        assert m["name"].casefold() not in product_names, m["id"]


def test_hosted_phi_is_a_product_and_its_model_record_is_retired():
    models = {m["id"]: m for m in _yaml(DATA / "models.yaml")["models"]}
    products = {p["id"]: p for p in _yaml(DATA / "products.yaml")["products"]}
    labels = {lab["id"]: lab for lab in _yaml(DATA / "labels.yaml")["openness_labels"]}
    old = models["phi-hosted"]
    assert old["deprecated"] is True and "family" not in old and "access_modes" not in old
    assert "product/phi-hosted" in old["description"]
    new = products["phi-hosted"]
    assert new["operator"] == "microsoft" and "model-family/phi" in new["serves"]
    assert {e["start"] for e in new["evidence"]} >= {2141}   # the examples source's "Copilot / Phi (hosted)" row
    assert labels["examples-phi-hosted"]["deprecated"] is True
    # gpt-oss stays two models under the rule (two downloads, each with its own MOF record)
    assert {models["gpt-oss-120b"]["family"], models["gpt-oss-20b"]["family"]} == {"gpt-oss"}


def test_xai_and_x_corp_roll_up_to_one_parent():
    orgs = {o["id"]: o for o in _yaml(DATA / "organisations.yaml")["organisations"]}
    parent = {o: v["parent_organisation"] for o, v in orgs.items() if v.get("parent_organisation")}
    assert metrics.rollup("xai", parent) == metrics.rollup("x-corp", parent) == "xai"
    # a curated fact names its public record
    assert any("parent_organisation" in c["supports"] for c in orgs["x-corp"]["public_record"])


def test_every_seed_model_has_an_access_mode_or_a_channel(graph):
    served = set()
    for c in graph.channels.values():
        served |= c["serves"]
    lacking = [m for m in scope_models(graph, "seeds")
               if not graph.models[m]["access_modes"] and m not in served and graph.models[m]["family"] not in served]
    assert lacking == []


# ------------------------------------------------------------------ the crosswalk's families

@pytest.mark.slow   # builds, or runs a child process: seconds
def test_crosswalk_family_lookup(tmp_path):
    known = Known.read(DATA)
    cw = Crosswalk({"families": {"mof": {"GPT-J": "eleutherai-models", "OLMo-*": "olmo", "X-*": "olmo",
                                         "*-7B": "llama", "Odd": "no-such-family"}}}, known)
    assert cw.family("mof", "GPT-J", "GPT-J") == ("eleutherai-models", None)
    assert cw.family("mof", "OLMo-1B-hf", "OLMo-1B-hf") == ("olmo", None)       # a pattern
    assert cw.family("mof", "Some-File", "GPT-J") == ("eleutherai-models", None)  # by the model name
    assert cw.family("mof", "Pythia-70M", "Pythia-70M") == (None, None)
    fam, why = cw.family("mof", "OLMo-7B", "OLMo-7B")                             # two patterns disagree
    assert fam is None and "several families (llama, olmo)" in why
    fam, why = cw.family("mof", "Odd", "Odd")
    assert fam is None and "'no-such-family'" in why
    assert cw.family("osai-index", "GPT-J", "GPT-J") == (None, None)            # per dataset


def test_every_family_entry_names_a_model_of_its_import():
    """Keys are spelt as the index spells them: each entry gave its family to an imported model."""
    families = _yaml(DATA / "crosswalk.yaml")["families"]
    for dataset, table in families.items():
        models = _yaml(DATA / "imported" / dataset / "models.yaml")["models"]
        for key, fam in table.items():
            hits = [m for m in models
                    if key in (m["name"], m["dataset_record"][0]["locator"].split("#")[0].rsplit("/", 1)[-1]
                               .rsplit(".", 1)[0])]
            assert hits and all(m.get("family") == fam for m in hits), (dataset, key)
            for m in hits:  # backed by the index record that names the model
                assert "family" in m["dataset_record"][0]["supports"]


@pytest.mark.parametrize("name,folder,key,slug", [("mof", "mof", "Good-Model", "good-model-7b"),
                                                  ("osai", "osai", "good-system", "example-lm")])
def test_importers_set_the_family_the_crosswalk_gives(tmp_path, name, folder, key, slug):
    d = tmp_path / "data"
    d.mkdir()
    for p in DATA.glob("*.yaml"):
        shutil.copy(p, d / p.name)
    cw = _yaml(d / "crosswalk.yaml")
    dataset = {"osai": "osai-index"}.get(name, name)
    cw.setdefault("families", {})[dataset] = {key: "olmo"}
    (d / "crosswalk.yaml").write_text(yaml.safe_dump(cw, allow_unicode=True), encoding="utf-8")
    fixtures = EXAMPLES / "import" / folder
    if name == "osai":  # one good system in a folder of its own
        src = tmp_path / "osai"
        src.mkdir()
        shutil.copy(fixtures / "good-system.yaml", src / "good-system.yaml")
        fixtures = src
    _, files = run_import(name, fixtures, d, write=False)
    models = yaml.safe_load(files["models.yaml"])["models"]
    got = [m for m in models if m.get("family")]
    assert len(got) == 1 and got[0]["family"] == "olmo"
    if slug:
        assert got[0]["id"] == slug
    assert list(got[0]).index("family") == list(got[0]).index("developer") + 1
    assert "family" in got[0]["dataset_record"][0]["supports"]
