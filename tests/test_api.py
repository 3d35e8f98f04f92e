"""The Python API and the stats command, as the README shows them."""
from __future__ import annotations

import re

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
    assert re.search(rf"^\| Model\s+\|\s+{n_models}\s+\|$", res.output, flags=re.M), res.output
    assert re.search(rf"^\| Claim\s+\|\s+{n_claims}\s+\|$", res.output, flags=re.M), res.output
    assert "source/open-closed-guide" in res.output and "curated" in res.output
