"""Per source document: the entities, labels and claims a reader finds in it are in the graph,
in that source's named graph. Expected lists: tests/expected/sources.yaml (written by reading)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, URIRef

from openness_kg.namespaces import OKG, OKGV, SCHEMA, instance_iri, source_graph

EXPECTED = yaml.safe_load((Path(__file__).parent / "expected" / "sources.yaml").read_text())
CLASS = {"organisations": ("Organisation", "http://www.w3.org/ns/org#Organization"),
         "model_families": ("ModelFamily", str(OKG.ModelFamily)),
         "models": ("Model", str(OKG.Model)),
         "products": ("Product", str(OKG.AccessChannel))}
OPEN_SUBJECTS = {"open_models", "open_weight_models", "open_source_models"}
SEGMENT_TO_CLASS = {"model": "Model", "model-family": "ModelFamily", "organisation": "Organisation"}


def concept(scheme: str, value: str) -> URIRef:
    return OKGV[f"{scheme}/{value.replace('_', '-')}"]


def local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1].replace("-", "_")


def claims_in(g) -> list[dict]:
    out = []
    for c in set(g.subjects(RDF.type, OKG.Claim)):
        out.append({
            "id": str(c),
            "claim_type": local(g.value(c, OKG.claimType)),
            "dimensions": {local(d) for d in g.objects(c, OKG.dimension)},
            "stance": local(g.value(c, OKG.stance)),
            "subject": local(g.value(c, OKG.subject)),
            "as_of": str(g.value(c, OKG.asOf)) if g.value(c, OKG.asOf) is not None else None,
        })
    return out


def matches(claim: dict, want: dict) -> bool:
    for k, v in want.items():
        if k == "count" or v is None:
            continue
        if k == "dimension":
            if v not in claim["dimensions"]:
                return False
        elif claim.get(k) != v:
            return False
    return True


def params(key):
    return [(src, item) for src, exp in EXPECTED.items() for item in exp.get(key, [])]


@pytest.mark.parametrize("key", list(CLASS))
def test_entities_are_in_their_source_graph(dataset, key):
    cls, cls_iri = CLASS[key]
    missing = []
    for src, exp in EXPECTED.items():
        g = dataset.graph(source_graph(src))
        for item in exp.get(key, []):
            options = item.split("|")
            if not any((instance_iri(cls, o), RDF.type, URIRef(cls_iri)) in g for o in options):
                missing.append(f"{src}: {cls} {item}")
    assert not missing, "missing from their source's named graph:\n" + "\n".join(missing)


@pytest.mark.parametrize("src,item", params("labels"), ids=lambda x: x if isinstance(x, str) else x["labelled"])
def test_labels(dataset, src, item):
    g = dataset.graph(source_graph(src))
    seg, slug = item["labelled"].split("/")
    target = instance_iri(SEGMENT_TO_CLASS[seg], slug)
    labels = {local(g.value(lab, OKG.label)) for lab in g.subjects(OKG.labelledModel, target)}
    assert item["label"] in labels, f"{src} labels {item['labelled']} as {item['label']}; graph has {labels}"


def test_spectrum_order(dataset):
    g = dataset.graph(source_graph("open-closed-examples"))
    ranked = {}
    for lab in g.subjects(OKG.spectrumRank, None):
        ranked[int(g.value(lab, OKG.spectrumRank))] = g.value(lab, OKG.labelledModel)
    order = [str(ranked[k]).rsplit("/", 1)[-1] for k in sorted(ranked)]
    assert order == EXPECTED["open-closed-examples"]["spectrum"]


def test_model_licences_from_the_notable_list(dataset):
    g = dataset.graph(source_graph("open-closed-examples"))
    for model, spdx in EXPECTED["open-closed-examples"]["model_licence_spdx"].items():
        licences = list(g.objects(instance_iri("Model", model), SCHEMA.license))
        ids = {str(o) for lic in licences for _, _, o, _ in dataset.quads((lic, OKG.spdxId, None, None))}
        assert spdx in ids, f"{model}: licence SPDX ids {ids}, expected {spdx}"


@pytest.mark.parametrize("src,item", params("artifacts"), ids=lambda x: x if isinstance(x, str) else x["component"])
def test_artifacts(dataset, src, item):
    g = dataset.graph(source_graph(src))
    model = instance_iri("Model", item["model"])
    found = {(local(g.value(a, OKG.component)), local(g.value(a, OKG.availability)))
             for a in g.subjects(OKG.artifactOf, model)}
    assert (item["component"], item["availability"]) in found, found


@pytest.mark.parametrize("src", [s for s, e in EXPECTED.items() if "claim_types_at_least" in e])
def test_claim_types(dataset, src):
    counts = Counter(c["claim_type"] for c in claims_in(dataset.graph(source_graph(src))))
    for t, n in EXPECTED[src]["claim_types_at_least"].items():
        assert counts[t] >= n, f"{src}: {counts[t]} {t} claims, expected at least {n}"


@pytest.mark.parametrize("src", [s for s, e in EXPECTED.items() if "dimensions" in e])
def test_dimensions_covered(dataset, src):
    dims = set().union(*(c["dimensions"] for c in claims_in(dataset.graph(source_graph(src)))))
    assert set(EXPECTED[src]["dimensions"]) <= dims, set(EXPECTED[src]["dimensions"]) - dims


@pytest.mark.parametrize("src", [s for s, e in EXPECTED.items() if "both_sides" in e])
def test_both_sides_of_each_trade_off(dataset, src):
    claims = claims_in(dataset.graph(source_graph(src)))
    missing = []
    for d in EXPECTED[src]["both_sides"]:
        on_d = [c for c in claims if d in c["dimensions"]]
        if not any(c["subject"] in OPEN_SUBJECTS for c in on_d):
            missing.append(f"{d}: open side")
        if not any(c["subject"] == "closed_models" for c in on_d):
            missing.append(f"{d}: closed side")
    assert not missing, f"{src}: " + ", ".join(missing)


@pytest.mark.parametrize("src,item", params("at_least") + params("dated"), ids=str)
def test_specific_claims(dataset, src, item):
    claims = claims_in(dataset.graph(source_graph(src)))
    hits = [c for c in claims if matches(c, item)]
    assert len(hits) >= item.get("count", 1), f"{src}: {len(hits)} claims match {item}"


def test_every_claim_is_paraphrased_not_empty(catalogue):
    for c in catalogue.of_class("Claim"):
        assert len(c.data["text"].split()) >= 4, c.id
        if c.data["claim_type"] == "misconception":
            assert c.data.get("correction"), f"misconception {c.id} has no correction"
