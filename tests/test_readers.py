"""Readers read a finished build and never build; every reader and exporter works on a small
checked graph (the valid example records), without running the pipeline's build."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import networkx as nx
import pyoxigraph as ox
import pytest
import sqlite_utils
from click.testing import CliRunner
from rdflib import Dataset

import openness_kg
from openness_kg import paths
from openness_kg.cli import main
from openness_kg.namespaces import GRAPH, instance_iri
from openness_kg.publish import DB_FILE, write_dumps, write_sqlite
from openness_kg.read import BuildNotReady
from openness_kg.read.network import to_networkx
from openness_kg.read.stats import class_counts, graph_counts
from openness_kg.sparql import library, run_oxigraph

from conftest import ROOT, example_data

EXAMPLE_MODEL = str(instance_iri("Model", "example-7b"))


# ------------------------------------------------------------------ readers never build

def test_store_without_a_build_names_the_command_and_writes_nothing(tmp_path):
    empty = tmp_path / "build"
    with pytest.raises(BuildNotReady, match=r"run `openness-kg build --out .*`"):
        openness_kg.store(empty)
    assert not empty.exists()


def test_a_clone_with_no_build_fails_at_once_and_creates_nothing(tmp_path):
    """`python -c "import openness_kg; openness_kg.store()"` with no build: a one-line error
    naming the command, nothing created (the default build folder comes from
    $OPENNESS_KG_BUILD here, so the repository's own build/ is not touched)."""
    target = tmp_path / "no-build"
    env = {**os.environ, paths.BUILD_ENV: str(target)}
    res = subprocess.run([sys.executable, "-c", "import openness_kg; openness_kg.store()"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert res.returncode != 0
    assert "BuildNotReady" in res.stderr and "run `openness-kg build`" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("reader", ["load", "store", "database", "to_networkx"])
def test_every_reader_refuses_a_missing_build(tmp_path, reader):
    with pytest.raises(BuildNotReady):
        getattr(openness_kg, reader)(tmp_path)
    with pytest.raises(BuildNotReady):
        openness_kg.query("models-by-licence", build_dir=tmp_path)


@pytest.mark.slow   # builds, or runs a child process: seconds
def test_a_build_older_than_its_data_is_refused(tmp_path):
    from openness_kg.pipeline import build

    data = example_data(tmp_path)
    out = tmp_path / "build"
    build(out, data, quiet=True)
    assert len(openness_kg.store(out)) > 0

    def read_in_a_new_process() -> subprocess.CompletedProcess:
        # the readers check a build once per process and build: a new process sees the change
        return subprocess.run([sys.executable, "-m", "openness_kg.cli", "query", "models-by-family",
                               "--build-dir", str(out)], capture_output=True, text=True)

    assert read_in_a_new_process().returncode == 0
    later = time.time() + 5
    os.utime(data / "records.yaml", (later, later))
    res = read_in_a_new_process()
    assert res.returncode == 1 and "out of date" in res.stderr and res.stdout == ""
    (data / "extra.yaml").write_text("models: []\n")
    os.utime(data / "records.yaml", None)
    res = read_in_a_new_process()
    assert res.returncode == 1 and "input files" in res.stderr
    (data / "extra.yaml").unlink()
    os.utime(data / "records.yaml", (1e9, 1e9))  # older than the build again
    (data / ".hidden").mkdir()  # a folder the build does not read: still current
    assert read_in_a_new_process().returncode == 0


@pytest.mark.slow   # builds, or runs a child process: seconds
def test_the_on_disk_store_holds_the_dump_and_the_cli_reads_it(tmp_path):
    from openness_kg.pipeline import build

    out = tmp_path / "build"
    build(out, example_data(tmp_path), quiet=True)
    assert (out / "openness-kg.oxigraph").is_dir()
    disk, memory = openness_kg.store(out, in_memory=False), openness_kg.store(out)
    assert disk is not memory


    def named(quads):  # blank nodes get new labels on each parse: compare the rest, and counts
        return {q for q in quads if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}

    # (a store writes numbers in canonical form, so it is compared with a store of the dump)
    assert len(disk) == len(memory) == len(list(ox.parse(path=str(out / "openness-kg.nq"))))
    assert named(disk) == named(memory) and len(named(disk)) > 0
    with pytest.raises(RuntimeError, match="read-write"):  # readers never write: opened read-only
        disk.add(ox.Quad(ox.NamedNode(EXAMPLE_MODEL), ox.NamedNode("http://schema.org/name"), ox.Literal("x")))
    names = "SELECT ?name WHERE { ?m a <https://w3id.org/openness-kg/ontology#Model> ; <http://schema.org/name> ?name }"
    res = CliRunner().invoke(main, ["query", "-e", names, "--format", "csv", "--build-dir", str(out)])
    assert res.exit_code == 0, res.output
    assert res.output == openness_kg.query(names, build_dir=out).format("csv")
    assert "Example 7B" in res.output


def test_cli_query_without_a_build_is_a_one_line_error(tmp_path):
    res = CliRunner().invoke(main, ["query", "models-by-licence", "--build-dir", str(tmp_path / "b")])
    assert res.exit_code == 1
    assert res.output.startswith("Error: No finished build in") and "openness-kg build" in res.output
    assert not (tmp_path / "b").exists()


def test_serve_never_builds(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.BUILD_ENV, str(tmp_path / "b"))
    res = CliRunner().invoke(main, ["serve", "--port", "0"])
    assert res.exit_code == 1 and "openness-kg build" in res.output
    assert not (tmp_path / "b").exists()


def test_build_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path):
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    res = CliRunner().invoke(main, ["build", "-q", "--data", str(example_data(tmp_path)), "--out", str(keep)])
    assert res.exit_code == 1 and "not replacing it" in res.output
    assert (keep / "notes.txt").read_text() == "mine"


# ------------------------------------------------------------------ readers on a small build

def test_load_gives_an_oxigraph_backed_rdflib_dataset(small_build, small_graph):
    ds = openness_kg.load(small_build)
    assert isinstance(ds, Dataset)
    assert len(list(ds.quads((None, None, None, None)))) == len(small_graph[1])
    names = {str(r[0]) for r in ds.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert str(GRAPH["source/example-index"]) in names
    rows = list(ds.query(f"SELECT DISTINCT ?n WHERE {{ <{EXAMPLE_MODEL}> <http://schema.org/name> ?n }}"))
    assert [str(r[0]) for r in rows] == ["Example 7B"]


def test_store_counts_every_quad(small_build, small_graph):
    st = openness_kg.store(small_build)
    assert isinstance(st, ox.Store) and len(st) == len(small_graph[1])


def test_database_is_read_only(small_build):
    db = openness_kg.database(small_build)
    assert db["models"].get("example-7b")["name"] == "Example 7B"
    with pytest.raises(Exception, match="readonly"):
        db.execute("delete from models")


def test_query_reads_the_small_build(small_build):
    rows = openness_kg.query("model-artifacts", model="model/example-7b", build_dir=small_build)
    assert rows and {r["artifact"].rsplit("/", 1)[-1] for r in rows} >= {"example-index-example-7b-final-parameters"}


def test_networkx_on_the_checked_graph(small_graph):
    G = to_networkx(small_graph[1].store())
    assert isinstance(G, nx.MultiDiGraph)
    assert G.nodes[EXAMPLE_MODEL]["type"] == "Model" and G.nodes[EXAMPLE_MODEL]["label"] == "Example 7B"
    assert all(d["graph"].startswith(str(GRAPH)) for _, _, d in G.edges(data=True))


def test_stats_on_the_checked_graph(small_graph):
    cat, kg = small_graph
    counts = dict(class_counts(kg.store()))
    assert counts["Model"] == len(cat.of_class("Model"))
    per_graph = {g: n for g, n, _ in graph_counts(kg.store())}
    assert sum(per_graph.values()) == len(kg)


def test_violation_queries_on_the_checked_graph(small_graph):
    for q in library().values():
        if q.is_violation:
            assert list(run_oxigraph(q, small_graph[1].store())) == [], q.name


# ------------------------------------------------------------------ exporters on the small graph

def test_dumps_round_trip(small_graph, tmp_path):
    kg = small_graph[1]
    files = write_dumps(kg, tmp_path)
    assert sorted(files) == ["jsonld", "nquads", "trig", "turtle"]
    for fmt, rdf_format in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG),
                            ("jsonld", ox.RdfFormat.JSON_LD)):
        assert set(ox.parse(path=str(files[fmt]), format=rdf_format)) == set(kg.quads), fmt
    triples = {(q.subject, q.predicate, q.object) for q in kg.quads}
    ttl = {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(files["turtle"]), format=ox.RdfFormat.TURTLE)}
    assert ttl == triples


def test_sqlite_export_of_the_checked_graph(small_graph, tmp_path):
    cat, kg = small_graph
    path = write_sqlite(kg, tmp_path / DB_FILE)
    db = sqlite_utils.Database(path)
    assert db["models"].count == len(cat.of_class("Model"))
    assert db["triples"].count == len(kg)
    assert {r["id"] for r in db["artifacts"].rows} == {r.id for r in cat.of_class("Artifact")}
    assert sorted(p.name for p in tmp_path.iterdir()) == [DB_FILE]


def test_readers_do_not_import_the_build_stages():
    """The read path needs neither LinkML, pySHACL nor matplotlib."""
    code = ("import sys, openness_kg, openness_kg.read.network, openness_kg.read.stats\n"
            "bad = [m for m in ('linkml_runtime', 'pyshacl', 'matplotlib', 'openness_kg.pipeline') if m in sys.modules]\n"
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_stages_import_only_earlier_stages():
    """ingest -> graph -> check -> analyse -> publish: no stage module imports a later stage
    or the readers (checked on the import statements of each module)."""
    import ast

    order = ["ingest", "graph", "check", "analyse", "publish"]
    pkg = paths.PACKAGE_DIR
    problems = []
    for i, stage in enumerate(order):
        later = set(order[i + 1:]) | {"read", "pipeline", "cli"}
        for f in (pkg / stage).rglob("*.py"):
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    parts = node.module.split(".")
                    mod = parts[0] if node.level >= 2 else (parts[0] if node.level == 0 else stage)
                    if node.level == 0 and parts[0] == "openness_kg":
                        mod = parts[1] if len(parts) > 1 else ""
                    if mod in later:
                        problems.append(f"{f.relative_to(pkg)} imports {node.module}")
    assert not problems, problems


def test_stats_count_organisations_and_licences(small_graph):
    cat, kg = small_graph
    counts = dict(class_counts(kg.store()))
    assert counts["Organisation"] == len(cat.of_class("Organisation")) > 0
    assert counts["Licence"] == len(cat.of_class("Licence")) > 0


@pytest.mark.slow   # builds, or runs a child process: seconds
def test_a_build_removes_what_a_killed_build_left(tmp_path):
    from openness_kg.pipeline import build

    data = example_data(tmp_path)
    out = tmp_path / "build"
    leftover = tmp_path / ".build-abcd1234"
    leftover.mkdir()
    (leftover / "openness-kg.nq").write_text("half a dump")
    build(out, data, quiet=True)
    assert not leftover.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
