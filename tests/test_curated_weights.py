"""Curated public-record evidence on the final parameters (weights) of eight models that only the
imported indexes describe: Claude 1 and 2, PaLM and PaLM 2, Doubao, Grok-0, GPT-2 and StarCoder.

For these models the Model Openness Tool's files (data/imported/mof/) are the only other voice,
and they contradict every public record: MIT-licensed Claude weights, PaLM components
``unlicensed`` (read as released), Apache-2.0 Grok-0 weights, GPT-2 and StarCoder weights "not
included", Doubao ``Undisclosed``. The expected values below were established by reading the
developers' announcements, the Hugging Face model pages and Wikipedia (each named in a comment);
they are the point of these tests, not a copy of what the YAML says.

Fast layer: reads data/artifacts.yaml, data/licences.yaml and data/imported/mof/models.yaml only.
"""
from __future__ import annotations

from functools import lru_cache

import pytest
import yaml

from conftest import ROOT

DATA = ROOT / "data"

# model id (as the MOF import mints it) -> (availability, licence ids) from the public record.
EXPECTED = {
    # Anthropic, "Introducing Claude" (https://www.anthropic.com/news/introducing-claude, March
    # 2023): Claude was opened to users as a hosted service (API, chat interface); the weights
    # were never published. The MOF file says MIT-licensed final parameters.
    "claude-1": ("withheld", set()),
    # Anthropic, "Claude 2" (https://www.anthropic.com/news/claude-2, July 2023): offered through
    # the API and the new claude.ai website; no weights. The MOF file says MIT.
    "claude-2": ("withheld", set()),
    # Google Research blog on PaLM (April 2022) and https://en.wikipedia.org/wiki/PaLM: a research
    # model whose weights Google never released. The MOF file lists every component `unlicensed`.
    "palm": ("withheld", set()),
    # Google, "Introducing PaLM 2" (https://blog.google/technology/ai/google-palm-2-ai-large-language-model/,
    # May 2023): used in Bard and Google products, offered to developers through the PaLM API;
    # no weights. The MOF file lists every component `unlicensed`.
    "palm-2": ("withheld", set()),
    # https://en.wikipedia.org/wiki/Doubao and Volcano Engine's Doubao page: ByteDance serves the
    # models through its app and cloud, weights unpublished. The MOF file says `Undisclosed`.
    "dou-bao": ("withheld", set()),
    # xAI, "Announcing Grok" (https://x.ai/news/grok): Grok-0 was a 33B prototype; xAI's open
    # release (https://x.ai/news/grok-os, March 2024) was of Grok-1's weights, not Grok-0's. The
    # MOF file gives Grok-0 Apache-2.0 final parameters.
    "grok-0": ("withheld", set()),
    # OpenAI, "GPT-2: 1.5B release" (https://openai.com/index/gpt-2-1-5b-release/, November 2019),
    # https://huggingface.co/openai-community/gpt2-xl and https://github.com/openai/gpt-2: the
    # weights are downloadable under the MIT licence. The MOF file says "Component not included".
    "gpt-2": ("released", {"mit"}),
    # Hugging Face, "StarCoder: A State-of-the-Art LLM for Code" (https://huggingface.co/blog/starcoder)
    # and https://huggingface.co/bigcode/starcoder: weights on the Hub under the BigCode
    # OpenRAIL-M licence, behind a licence-acceptance gate. The MOF file says "Component not include."
    "starcoder": ("released", {"bigcode-openrail-m"}),
}


@lru_cache(maxsize=None)
def records(rel: str, key: str) -> tuple[dict, ...]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml: the MOF import is 4 MB of YAML
    return tuple(yaml.load((DATA / rel).read_text(encoding="utf-8"), Loader=loader)[key])


def curated_final_parameters(model: str) -> list[dict]:
    return [a for a in records("artifacts.yaml", "artifacts")
            if a["artifact_of"] == model and a["component"] == "final_parameters"]


def test_the_eight_models_are_curated_and_the_mof_import_refers_to_them():
    """The eight models are curated records (data/models.yaml, ids kept from when the MOF import
    minted them), so the curated-only data loads; the crosswalk maps the MOF files onto them, so
    the import refers to them (its artifacts) and no longer mints them."""
    curated = {m["id"]: m for m in records("models.yaml", "models")}
    assert set(EXPECTED) <= set(curated), sorted(set(EXPECTED) - set(curated))
    for m in EXPECTED:
        assert curated[m].get("public_record") and not curated[m].get("evidence"), m
    minted = {m["id"] for m in records("imported/mof/models.yaml", "models")}
    assert not set(EXPECTED) & minted
    referred = {a["artifact_of"] for a in records("imported/mof/artifacts.yaml", "artifacts")}
    assert set(EXPECTED) <= referred, sorted(set(EXPECTED) - referred)


def test_the_public_record_votes_are_dated():
    """Each vote is dated by the day the public record was read, so it supersedes the older MOF
    snapshots (2024-2025) instead of tying with them."""
    for m in EXPECTED:
        art = curated_final_parameters(m)[0]
        assert str(art["as_of"]) == "2026-11-29", m
        assert any("as_of" in c["supports"] for c in art["public_record"]), m


@pytest.mark.parametrize("model", sorted(EXPECTED))
def test_curated_final_parameters_availability_and_licence(model):
    found = curated_final_parameters(model)
    assert len(found) == 1, f"{model}: expected one curated final_parameters record, found {len(found)}"
    art = found[0]
    availability, licences = EXPECTED[model]
    assert art["id"] == f"{model}-final-parameters"
    assert art["availability"] == availability
    assert set(art.get("licence", [])) == licences


@pytest.mark.parametrize("model", sorted(EXPECTED))
def test_availability_is_backed_by_a_public_record(model):
    art = curated_final_parameters(model)[0]
    urls = [c["url"] for c in art.get("public_record", []) if "availability" in c["supports"]]
    assert urls, f"{art['id']}: no public record supports its availability"
    assert all(u.startswith("https://") for u in urls)
    # curated from public records only: no passage of the five documents speaks for these models
    assert not art.get("evidence")


@pytest.mark.parametrize("model", sorted(m for m, (_, lic) in EXPECTED.items() if lic))
def test_licences_exist_and_are_backed(model):
    art = curated_final_parameters(model)[0]
    known = {lic["id"] for lic in records("licences.yaml", "licences")}
    assert set(art["licence"]) <= known
    assert any("licence" in c["supports"] for c in art["public_record"])
