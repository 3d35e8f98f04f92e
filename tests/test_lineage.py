"""The fine-tune network and whose base models others build on (analyse/lineage.py), on a
hand-made lineage:

  m/base-a (org a) -> m/ft-1 (org a), m/ft-2 (org b), m/ft-3 (org c)
  m/base-ab (orgs a and b) -> m/ft-4 (org c)
  m/ft-2 (org b) -> m/ft-5 (org b)
"""
from __future__ import annotations

import pytest

from openness_kg.analyse.lineage import Edge, dependency_table, lineage_graph

A, B, C = "organisation/a", "organisation/b", "organisation/c"
EDGES = [Edge("model/base-a", "model/ft-1", (A,), (A,)), Edge("model/base-a", "model/ft-2", (A,), (B,)),
         Edge("model/base-a", "model/ft-3", (A,), (C,)), Edge("model/base-ab", "model/ft-4", (A, B), (C,)),
         Edge("model/ft-2", "model/ft-5", (B,), (B,))]


def test_graph_marks_cross_organisation_edges():
    G = lineage_graph(EDGES)
    assert (G.number_of_nodes(), G.number_of_edges()) == (7, 5)
    assert not G.edges["model/base-a", "model/ft-1"]["cross_org"]
    assert G.edges["model/base-a", "model/ft-2"]["cross_org"]
    assert sorted(G.successors("model/base-a")) == ["model/ft-1", "model/ft-2", "model/ft-3"]


def test_dependency_shares_and_hhi():
    t, facts = dependency_table(EDGES)
    rows = {r.holder: (r.base_models, r.derived_models, r.derived_by_others, r.share) for r in t.itertuples()}
    # a: 3 from base-a + 0.5 from base-ab = 3.5 of 5; by others: ft-2, ft-3, half of ft-4 = 2.5
    # b: 0.5 from base-ab + 1 from ft-2 = 1.5 of 5; by others: half of ft-4
    assert rows == {"a": (2, 3.5, 2.5, 0.7), "b": (2, 1.5, 0.5, 0.3)}
    assert list(t.holder) == ["a", "b"]
    # HHI: 70^2 + 30^2
    assert facts == {"edges": 5, "cross_org_edges": 3, "hhi": 5800.0, "cr4": 1.0, "largest": "a"}


def test_no_edges():
    t, facts = dependency_table([])
    assert t.empty and facts["hhi"] is None and facts["edges"] == 0


@pytest.mark.slow   # reads the full build
def test_lineage_dependency_measure_in_the_derived_graph_matches_the_table(built):
    # the derived graph's lineage measure against analysis_lineage.csv: HHI = sum of the squared
    # percentage shares, CR4 = the four largest shares (shares rounded to 4 decimals in the CSV)
    import csv

    import pyoxigraph as ox

    from openness_kg.read import store

    _, out = built
    with open(out / "analysis" / "analysis_lineage.csv", newline="", encoding="utf-8") as f:
        shares = sorted((float(r["share"]) for r in csv.DictReader(f)), reverse=True)
    okg = "https://w3id.org/openness-kg/ontology#"
    node = ox.NamedNode("https://w3id.org/openness-kg/id/concentration-measure/lineage/all/organisation")
    vals = {q.predicate.value[len(okg):]: q.object.value for q in store(out).quads_for_pattern(node, None, None, None)
            if q.predicate.value.startswith(okg)}
    assert vals["weightedBy"] == "https://w3id.org/openness-kg/vocab/concentration-weight/derived-models"
    assert float(vals["herfindahlHirschmanIndex"]) == pytest.approx(sum((100 * s) ** 2 for s in shares), abs=1.0)
    assert float(vals["concentrationRatio4"]) == pytest.approx(sum(shares[:4]), abs=1e-3)
