"""The real build: SHACL passes, dumps are complete and byte-identical across builds, and every
fact in a source graph is traceable to a passage of that source."""
from __future__ import annotations

import os
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import RDF, Dataset, URIRef

from openness_kg.namespaces import CURATED_GRAPH, GRAPH, OA, OKG, ONTOLOGY_GRAPH
from openness_kg.namespaces import VOID
from openness_kg.check.shacl import union_graph, validate_graph, validate_store

from conftest import ROOT, curated_data

DUMPS = ["openness-kg.trig", "openness-kg.nq", "openness-kg.ttl", "openness-kg.jsonld"]


def test_build_writes_the_four_dumps_the_database_and_its_stamp(built):
    _, out = built
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == sorted(DUMPS + ["openness-kg.db", "build-info.json"])
    assert (out / "analysis" / "report.md").is_file()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "temporary folders left behind"


def test_real_build_conforms_to_the_shapes(built):
    assert validate_store(built[0].graph.store()) == []


@pytest.mark.slow
def test_curated_build_conforms_in_the_reference_engine_too(curated_built):
    """pySHACL, the reference engine (35-40 s on the full graph, so on the curated build)."""
    assert validate_graph(union_graph(curated_built[0].graph)) == []


def test_dumps_hold_the_same_quads(curated_built):
    result, out = curated_built
    n_quads = len(result.graph)
    nq = list(ox.parse(path=str(out / "openness-kg.nq"), format=ox.RdfFormat.N_QUADS))
    trig = list(ox.parse(path=str(out / "openness-kg.trig"), format=ox.RdfFormat.TRIG))
    jsonld = list(ox.parse(path=str(out / "openness-kg.jsonld"), format=ox.RdfFormat.JSON_LD))
    assert len(nq) == n_quads
    assert len(set(map(str, trig))) == len(set(map(str, nq)))
    assert len(set(map(str, jsonld))) == len(set(map(str, nq)))
    union = {(str(q.subject), str(q.predicate), str(q.object)) for q in nq}
    ttl = list(ox.parse(path=str(out / "openness-kg.ttl"), format=ox.RdfFormat.TURTLE))
    assert len(ttl) == len(union)
    # rdflib reads the dumps too (the API researchers use)
    ds = Dataset()
    ds.parse(out / "openness-kg.trig", format="trig")
    assert len(list(ds.quads((None, None, None, None)))) == n_quads


@pytest.mark.slow
def test_two_builds_are_byte_identical(curated_built, tmp_path):
    """A second build of the curated data, in a separate process with another hash seed,
    writes the same bytes: dumps, database and every analysis file."""
    first = curated_built[1]
    data = curated_data(tmp_path)
    second = tmp_path / "second"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "openness_kg.cli", "build", "--quiet", "--data", str(data),
                    "--out", str(second)], check=True, cwd=ROOT, env=env)
    names = DUMPS + ["openness-kg.db"] + [f"analysis/{p.name}" for p in (first / "analysis").iterdir()]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} differs between builds"


def test_one_named_graph_per_source_plus_curated_ontology_dataset_derived(dataset, catalogue):
    names = {str(g.identifier) for g in dataset.graphs() if str(g.identifier).startswith(str(GRAPH))}
    expected = {str(GRAPH[f"source/{s.id}"]) for s in catalogue.of_class("Source")}
    expected |= {str(CURATED_GRAPH), str(ONTOLOGY_GRAPH), str(GRAPH["dataset"]), str(GRAPH["derived"])}
    assert names == expected
    # the dataset description lists every other named graph, the derived one included
    subsets = {str(o) for o in dataset.graph(GRAPH["dataset"]).objects(None, VOID.subset)}
    assert subsets == expected - {str(GRAPH["dataset"])}


def test_every_fact_in_a_source_graph_has_a_passage_in_that_graph(dataset, catalogue):
    """Each subject of a document's graph is a record with okg:evidence in the same graph, one of
    its passages, or the source itself; every passage points back at that graph's source. In an
    imported dataset's graph, okg:datasetRecord and okg:DatasetCitation take their place."""
    problems = []
    for src in catalogue.of_class("Source"):
        gi = GRAPH[f"source/{src.id}"]
        g = dataset.graph(gi)
        src_iri = URIRef(f"https://w3id.org/openness-kg/id/source/{src.id}")
        is_dataset = src.data.get("source_type") == "dataset"
        link, node_type = (OKG.datasetRecord, OKG.DatasetCitation) if is_dataset else (OKG.evidence, OA.TextPositionSelector)
        passages = set(g.subjects(RDF.type, node_type))
        if is_dataset:
            assert passages, f"no dataset records in {gi}"
        for p in passages:
            if g.value(p, URIRef("http://purl.org/dc/terms/source")) != src_iri:
                problems.append(f"{p} in {gi} points at another source")
        for s in set(g.subjects()):
            if s in passages or s == src_iri:
                continue
            if (s, link, None) not in g:
                problems.append(f"{s} has facts in {gi} but no passage there")
    assert not problems, "\n".join(problems[:20])


def test_every_curated_fact_names_its_public_record(dataset):
    g = dataset.graph(CURATED_GRAPH)
    citations = set(g.subjects(RDF.type, OKG.PublicRecordCitation))
    for s in set(g.subjects()):
        if s in citations:
            assert g.value(s, URIRef("http://schema.org/url")) is not None, s
        else:
            assert (s, OKG.publicRecord, None) in g, f"{s} has curated facts without a public record"


def test_every_record_has_a_licence_statement_in_the_dataset_description(dataset):
    d = dataset.graph(GRAPH["dataset"])
    assert (URIRef("https://w3id.org/openness-kg/"), URIRef("http://purl.org/dc/terms/license"),
            URIRef("http://creativecommons.org/licenses/by/4.0/")) in d
