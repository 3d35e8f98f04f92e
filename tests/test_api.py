"""The Python API and the stats command, as the README shows them."""
from __future__ import annotations

from click.testing import CliRunner
from rdflib import Dataset

import openness_kg
from openness_kg.cli import main
from openness_kg.namespaces import GRAPH


def test_load_returns_a_dataset_with_named_graphs(built):
    _, out = built
    ds = openness_kg.load(out)
    assert isinstance(ds, Dataset)
    graphs = {str(g.identifier) for g in ds.graphs()}
    assert str(GRAPH["source/open-closed-examples"]) in graphs
    rows = list(ds.query("""
        PREFIX schema: <http://schema.org/>
        SELECT ?name WHERE { GRAPH ?g { <https://w3id.org/openness-kg/id/model/deepseek-r1> schema:name ?name } }
    """))
    assert rows and str(rows[0][0]).startswith("DeepSeek")


def test_stats_prints_counts_per_class_and_graph(built, catalogue):
    _, out = built
    res = CliRunner().invoke(main, ["stats", "--build-dir", str(out)])
    assert res.exit_code == 0, res.output
    n_models = len(catalogue.of_class("Model"))
    n_claims = len(catalogue.of_class("Claim"))
    assert f"| Model " in res.output and f"| {n_models} " in res.output.split("| Model", 1)[1].splitlines()[0] + " "
    assert f"| {n_claims} " in res.output.split("| Claim ", 1)[1].splitlines()[0] + " "
    assert "source/open-closed-guide" in res.output and "curated" in res.output
