"""The SQLite export, the generated Datasette metadata, the stored queries against their SPARQL
twins, and Datasette itself (its own test client) on the built database."""
from __future__ import annotations

import asyncio
import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils
import yaml
from click.testing import CliRunner

from openness_kg.cli import main
from openness_kg.publish.database import DB_FILE, table_names, write_sqlite
from openness_kg.publish.datasette import DATABASE, METADATA_FILE, metadata_text, stored_queries
from openness_kg.read import store
from openness_kg.sparql import library, run_oxigraph

from conftest import EXAMPLES, example_data

QUERIES = stored_queries()


# Most checks read the curated-only build (data/ without data/imported/), whose contents the
# expected values below were read from; the imported indexes are checked on the full build.
@pytest.fixture(scope="module")
def cbuild(curated_built):
    return curated_built


@pytest.fixture(scope="module")
def db_path(cbuild) -> Path:
    return cbuild[1] / DB_FILE


@pytest.fixture(scope="module")
def catalogue(cbuild):
    return cbuild[0].catalogue


@pytest.fixture(scope="module")
def dataset(cbuild):
    return cbuild[0].graph


@pytest.fixture(scope="module")
def db(db_path) -> sqlite_utils.Database:
    return sqlite_utils.Database(db_path)


@pytest.fixture(scope="module")
def metadata() -> dict:
    return yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))


def rows(db, sql, params=()):
    return [tuple(r) for r in db.execute(sql, params).fetchall()]


# --- the tables --------------------------------------------------------------------------

def test_one_table_per_class_with_every_record(db):
    # counts read off data/*.yaml (curated build): 9 sources (5 documents in sources.yaml, 4
    # datasets in datasets.yaml), 24 organisations, 22 families, 40 models (one retired: Phi
    # (hosted); 8 only the indexes name, curated from the public record), 39 artifacts, 32 licences, 15 products (Phi (hosted) among them), 398 claims,
    # 64 openness labels, no assessments, 15 propositions (data/propositions.yaml)
    expected = {"sources": 9, "organisations": 24, "model_families": 22, "models": 40, "artifacts": 39,
                "licences": 32, "products": 15, "claims": 398, "openness_labels": 64, "assessments": 0,
                "propositions": 15}
    assert {t: db[t].count for t in expected} == expected
    assert db["records"].count == sum(expected.values())


def test_licence_terms_and_other_vocabularies_are_tables(db):
    terms = {r[0] for r in rows(db, "select id from licence_terms")}
    assert {"commercial_use", "modification", "redistribution", "attribution"} <= terms
    assert rows(db, "select iri from availabilities where id = 'withheld'") == [
        ("https://w3id.org/openness-kg/vocab/availability/withheld",)]
    assert db["artifact_types"].count == 17  # the MOF 1.0 component list


def test_a_row_carries_its_iri_fields_and_links(db):
    # data/artifacts.yaml: llama-3-1-final-parameters
    row = db["artifacts"].get("llama-3-1-final-parameters")
    assert row["iri"] == "https://w3id.org/openness-kg/id/artifact/llama-3-1-final-parameters"
    assert (row["artifact_of"], row["component"], row["availability"]) == ("llama-3-1", "final_parameters", "released")
    assert json.loads(row["licence"]) == ["llama-3-1-community-licence"]
    assert rows(db, "select licence from artifacts_licence where artifact = ?", ["llama-3-1-final-parameters"]) == [
        ("llama-3-1-community-licence",)]
    # data/models.yaml: llama-3-1 is Meta's, in the llama family, released 2024-07-23
    m = db["models"].get("llama-3-1")
    assert (m["family"], m["release_date"], json.loads(m["developer"])) == ("llama", "2024-07-23", ["meta"])
    assert rows(db, "select developer from models_developer where model = 'llama-3-1'") == [("meta",)]


def test_polymorphic_references_point_at_records(db):
    # data/labels.yaml: examples-llama-3-1 labels model/llama-3-1 'open'
    lab = db["openness_labels"].get("examples-llama-3-1")
    assert lab["labelled"] == "https://w3id.org/openness-kg/id/model/llama-3-1"
    assert rows(db, "select class, table_name, id from records where iri = ?", [lab["labelled"]]) == [
        ("Model", "models", "llama-3-1")]


def test_foreign_keys_everywhere_a_row_points_to_another(db):
    fks = {(t, fk.column): (fk.other_table, fk.other_column)
           for t in table_names(db.conn.execute("pragma database_list").fetchone()[2]) for fk in db[t].foreign_keys}
    assert fks[("models", "family")] == ("model_families", "id")
    assert fks[("artifacts", "artifact_of")] == ("models", "id")
    assert fks[("artifacts", "availability")] == ("availabilities", "id")
    assert fks[("organisations", "parent_organisation")] == ("organisations", "id")
    assert fks[("products", "operator")] == ("organisations", "id")
    assert fks[("openness_labels", "labelled")] == ("records", "iri")
    assert fks[("models_developer", "model")] == ("models", "id")
    assert fks[("models_developer", "developer")] == ("organisations", "id")
    assert fks[("claims_dimensions", "dimensions")] == ("dimensions", "id")
    assert fks[("licences_permits", "permits")] == ("licence_terms", "id")
    assert fks[("provenance", "source")] == ("sources", "id")
    assert fks[("provenance", "record")] == ("records", "iri")
    # every foreign-key column is indexed, and no key dangles
    for (t, col) in fks:
        indexed = {tuple(ix.columns)[0] for ix in db[t].indexes}
        assert col in indexed or col in db[t].pks, f"{t}.{col} has no index"
    assert db.execute("pragma foreign_key_check").fetchall() == []


def test_provenance_table_gives_every_passage(db, catalogue):
    # llama-3-1-final-parameters has four passages (data/artifacts.yaml)
    got = rows(db, "select source, start, end, graph from provenance where record = ? order by source, start",
               ["https://w3id.org/openness-kg/id/artifact/llama-3-1-final-parameters"])
    assert got == [
        ("open-closed-examples", 251, 417, "https://w3id.org/openness-kg/graph/source/open-closed-examples"),
        ("open-closed-examples", 1603, 1650, "https://w3id.org/openness-kg/graph/source/open-closed-examples"),
        ("open-closed-glossary", 31, 149, "https://w3id.org/openness-kg/graph/source/open-closed-glossary"),
        ("open-weight-closed-tradeoffs", 693, 823, "https://w3id.org/openness-kg/graph/source/open-weight-closed-tradeoffs"),
    ]
    # data/models.yaml: llama-3-1 cites two public records (release date and description; licence)
    cited = rows(db, "select url, supports, graph from provenance where kind = 'public_record' and record = ? order by url",
                 ["https://w3id.org/openness-kg/id/model/llama-3-1"])
    curated = "https://w3id.org/openness-kg/graph/curated"
    # supports: the fields, sorted (RDF keeps no order)
    assert cited == [("https://en.wikipedia.org/wiki/Llama_(language_model)", '["description", "release_date"]', curated),
                     ("https://www.llama.com/llama3_1/license/", '["licence"]', curated)]
    without = rows(db, "select iri from records where class != 'Source' and iri not in (select record from provenance)")
    assert without == []


def test_triples_table_holds_every_quad(db, cbuild):
    import pyoxigraph as ox

    def text(t):
        return "_:" + t.value if isinstance(t, ox.BlankNode) else t.value

    dump = list(ox.parse(path=str(cbuild[1] / "openness-kg.nq"), format=ox.RdfFormat.N_QUADS))
    assert db["triples"].count == len(dump)
    got = Counter(rows(db, "select graph, subject, predicate, object from triples"))
    want = Counter((q.graph_name.value, text(q.subject), q.predicate.value, text(q.object)) for q in dump)
    assert got == want
    # a fact read off data/models.yaml, in the graph of the source that states it
    assert rows(db, "select object, object_type from triples where subject = ? and predicate = ? and graph = ?", [
        "https://w3id.org/openness-kg/id/model/llama-3-1", "http://schema.org/version",
        "https://w3id.org/openness-kg/graph/source/open-closed-examples"]) == [("3.1", "literal")]


def test_full_text_search_finds_a_claim_by_a_word_in_it(db):
    # only examples-def-closed speaks of trade secrets (data/claims/open-closed-examples.yaml)
    hits = [r["id"] for r in db["claims"].search("secrets")]
    assert hits == ["examples-def-closed"]
    assert "llama-3-1" in [r["id"] for r in db["models"].search("Llama 3.1", quote=True)]


def test_failed_export_leaves_the_previous_database(tmp_path, small_graph):
    import pandas as pd

    target = tmp_path / DB_FILE
    write_sqlite(small_graph[1], target)
    before = target.read_bytes()
    with pytest.raises(ValueError, match="clashes"):
        write_sqlite(small_graph[1], target, extra_tables={"models": pd.DataFrame({"x": [1]})})
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [DB_FILE]


# --- metadata.yml -------------------------------------------------------------------------

def test_metadata_yml_is_generated_from_the_schema(metadata):
    assert METADATA_FILE.read_text(encoding="utf-8") == metadata_text(), \
        "metadata.yml is stale: run `openness-kg generate-schema`"


def test_metadata_describes_every_table_and_column(db, metadata):
    tables = metadata["databases"][DATABASE]["tables"]
    assert metadata["license"] == "CC-BY-4.0" and metadata["license_url"].startswith("https://creativecommons.org/")
    assert metadata["title"] and metadata["source"] and metadata["about"]
    for t in table_names(db.conn.execute("pragma database_list").fetchone()[2]) + db.view_names():
        assert t in tables, f"no description for table {t}"
        assert tables[t]["description"].strip()
        for col in db[t].columns_dict:
            assert (tables[t]["columns"].get(col) or "").strip(), f"no description for {t}.{col}"
    assert set(tables) <= set(db.table_names()) | set(db.view_names()), "metadata describes tables the database lacks"


def test_facets_sort_and_label_columns_name_real_columns(db, metadata):
    tables = metadata["databases"][DATABASE]["tables"]
    for t, entry in tables.items():
        cols = db[t].columns_dict
        for facet in entry.get("facets", []):
            col = facet["array"] if isinstance(facet, dict) else facet
            assert col in cols, f"{t}: facet on unknown column {col}"
        for key in ("sort", "sort_desc", "label_column"):
            if key in entry:
                assert entry[key] in cols, f"{t}: {key} names unknown column {entry[key]}"
    # the default facets the issue asks for
    facets = {(t, f["array"] if isinstance(f, dict) else f) for t, e in tables.items() for f in e.get("facets", [])}
    assert {("models", "developer"), ("organisations", "country"), ("licences", "licence_category"),
            ("artifacts", "availability"), ("claims", "dimensions"), ("claims", "stance"),
            ("provenance", "source")} <= facets


# --- stored queries and their SPARQL twins --------------------------------------------------

def test_at_least_ten_stored_queries_with_sparql_twins(metadata):
    stored = metadata["databases"][DATABASE]["queries"]
    assert len(stored) >= 10
    twins = {q.sparql for q in QUERIES if q.sparql}
    assert {"contested-claims", "models-by-evidence-status", "withheld-artifacts", "models-by-developer",
            "organisations-by-country", "claims-by-dimension"} <= twins
    assert twins <= set(library())


def _norm(value) -> str:
    """Compare SPARQL and SQL answers: IRIs by their last path segment, '_' as '-'."""
    if value is None:
        return ""
    s = str(value)
    if s.startswith(("http://", "https://")):
        s = re.split(r"[/#]", s.rstrip("/"))[-1]
    return s.replace("_", "-")


@pytest.mark.parametrize("q", [q for q in QUERIES if q.sparql], ids=lambda q: q.name)
def test_stored_query_gives_the_same_answer_as_its_sparql_twin(db, cbuild, q):
    sparql = library()[q.sparql]
    res = run_oxigraph(sparql, store(cbuild[1]), params=q.sparql_params or None)
    n = len(res.variables)
    want = Counter(tuple(_norm(row.get(v)) for v in res.variables) for row in res)
    cur = db.execute(q.sql, q.params)
    got = Counter(tuple(_norm(x) for x in r[:n]) for r in cur.fetchall())
    assert len(cur.description) >= n
    assert got == want
    assert sum(got.values()) > 0


def test_empty_parameter_lists_every_dimension(db):
    q = next(q for q in QUERIES if q.name == "claims-by-dimension")
    all_dims = {r[0] for r in db.execute(q.sql, {"dimension": ""}).fetchall()}
    assert {"cost", "safety", "privacy"} <= all_dims


@pytest.mark.parametrize("name", ["released-artifacts", "withheld-artifacts"])
def test_artifact_lists_narrow_to_one_model_or_component(db, name):
    # the page shows 1,000 rows at most (2,623 released on the full data): a model or a component
    # narrows it to exactly the rows of the whole list that match, whichever way the slug is written
    q = next(q for q in QUERIES if q.name == name)
    every = db.execute(q.sql, {"model": "", "component": ""}).fetchall()
    model, component = every[0][0], every[-1][3]
    for m in (model, model.replace("-", "_").upper()):
        assert db.execute(q.sql, {"model": m, "component": ""}).fetchall() == [r for r in every if r[0] == model]
    for c in (component, component.replace("_", "-")):
        assert db.execute(q.sql, {"model": "", "component": c}).fetchall() == [r for r in every if r[3] == component]
    assert db.execute(q.sql, {"model": model, "component": "no-such-component"}).fetchall() == []


# --- Datasette, through its own test client -------------------------------------------------

def _datasette(db_path: Path):
    from openness_kg.publish.datasette import datasette_app

    return datasette_app(db_path)  # as `openness-kg serve` serves it: settings, plugins


def _get_all(ds, paths_: list[str]) -> dict[str, tuple[int, str]]:
    async def go():
        out = {}
        for p in paths_:
            r = await ds.client.get(p)
            out[p] = (r.status_code, r.text)
        return out
    return asyncio.run(go())


@pytest.fixture(scope="module")
def datasette_app(db_path):
    return _datasette(db_path)


@pytest.mark.slow   # builds, or runs a child process: seconds
def test_every_table_page_answers_with_its_rows(datasette_app, db, db_path):
    names = table_names(db_path)
    pages = [f"/{DATABASE}/{t}.json?_shape=objects&_size=5" for t in names] + [f"/{DATABASE}/{t}" for t in names]
    got = _get_all(datasette_app, pages)
    for t in names:
        status, body = got[f"/{DATABASE}/{t}.json?_shape=objects&_size=5"]
        assert status == 200, t
        data = json.loads(body)
        assert data["filtered_table_rows_count"] == db[t].count, t
        html_status, html = got[f"/{DATABASE}/{t}"]
        assert html_status == 200, t


def test_a_row_page_of_every_class_table(datasette_app, db):
    pages = {}
    for t in ["sources", "organisations", "model_families", "models", "artifacts", "licences",
              "products", "claims", "openness_labels", "licence_terms"]:
        first = rows(db, f"select id from [{t}] order by id limit 1")[0][0]
        pages[t] = (f"/{DATABASE}/{t}/{first}", first)
    got = _get_all(datasette_app, [p for p, _ in pages.values()])
    for t, (p, ident) in pages.items():
        status, html = got[p]
        assert status == 200, p
        assert ident in html


def test_foreign_keys_render_as_links_with_labels(datasette_app):
    models, artifacts = f"/{DATABASE}/models?id=llama-3-1", f"/{DATABASE}/artifacts?id=llama-3-1-final-parameters"
    got = _get_all(datasette_app, [models, artifacts, f"/{DATABASE}/models/llama-3-1"])
    status, html = got[models]
    assert status == 200
    assert re.search(r'<a href="/openness-kg/model_families/llama">Llama</a>', html)
    # a row page lists the rows of other tables that point at it
    assert 'href="/openness-kg/artifacts?artifact_of=llama-3-1"' in got[f"/{DATABASE}/models/llama-3-1"][1]
    status, html = got[artifacts]
    assert re.search(r'<a href="/openness-kg/models/llama-3-1">Llama 3.1</a>', html)
    assert re.search(r'<a href="/openness-kg/availabilities/released">released</a>', html)


def test_arrays_of_ids_show_as_linked_names(datasette_app):
    """data/models.yaml: llama-3-1 has developer [meta] (Meta), licence
    [llama-3-1-community-licence] (Llama 3.1 Community License Agreement), access_modes
    [weights_download]; the cells show those names, linked to their rows, not the JSON arrays."""
    for p in (f"/{DATABASE}/models?id=llama-3-1", f"/{DATABASE}/models/llama-3-1"):
        status, page = _get_all(datasette_app, [p])[p]
        assert status == 200, p
        assert re.search(r'<a href="/openness-kg/organisations/meta"[^>]*>Meta</a>', page), p
        assert re.search(r'<a href="/openness-kg/licences/llama-3-1-community-licence"[^>]*>'
                         r'Llama 3.1 Community License Agreement</a>', page), p
        assert re.search(r'<a href="/openness-kg/access_modes/weights_download"[^>]*>weights download</a>', page), p
        assert "[&#34;meta&#34;]" not in page and '["meta"]' not in page, p
    # the JSON export keeps the stored array
    p = f"/{DATABASE}/models/llama-3-1.json?_shape=objects"
    assert json.loads(_get_all(datasette_app, [p])[p][1])["rows"][0]["developer"] == '["meta"]'


def test_a_model_row_page_links_its_labels_claims_evidence_and_analyses(datasette_app):
    """data/labels.yaml labels model/llama-3-1 twice (examples-llama-3-1,
    examples-spectrum-llama-3-1); data/models.yaml gives it passages; three claims name
    model-family/llama in their about list (glossary, tradeoffs, differences)."""
    model, family = f"/{DATABASE}/models/llama-3-1", f"/{DATABASE}/model_families/llama"
    got = _get_all(datasette_app, [model, family, f"/{DATABASE}/openness_labels?labelled_model=llama-3-1"
                                   "&_shape=objects", f"/{DATABASE}/claims_about.json?about_model_family=llama&_shape=objects"])
    page = got[model][1]
    for link in ("/openness-kg/openness_labels?labelled_model=llama-3-1",
                 "/openness-kg/provenance?model=llama-3-1",
                 "/openness-kg/artifacts?artifact_of=llama-3-1",
                 "/openness-kg/analysis_model_openness?model=llama-3-1"):
        assert f'href="{link}"' in page, link
    assert f'href="/openness-kg/claims_about?about_model_family=llama"' in got[family][1]
    claims = {r["claim"] for r in json.loads(got[f"/{DATABASE}/claims_about.json?about_model_family=llama&_shape=objects"][1])["rows"]}
    assert len(claims) == 3 and "glossary-def-open" in claims


def test_claims_have_their_source_as_a_column_and_facet(datasette_app):
    """data/claims/open-closed-glossary.yaml holds 17 claims, each with a passage of that source."""
    p = f"/{DATABASE}/claims?source=open-closed-glossary"
    status, page = _get_all(datasette_app, [p])[p]
    assert status == 200
    assert "17 rows" in page
    assert 'data-column="source"' in page
    assert re.search(r'<a href="/openness-kg/sources/open-closed-glossary">', page)


def test_home_page_leads_to_the_entry_points_and_hides_internal_tables(datasette_app):
    got = _get_all(datasette_app, [f"/{DATABASE}", "/"])
    status, page = got[f"/{DATABASE}"]
    assert status == 200
    for link in ("/openness-kg/contested-claims", "/openness-kg/index-comparison", "/analysis/report.html"):
        assert f'href="{link}"' in got["/"][1], link
    visible = page.split("hidden tables")[0]
    assert 'href="/openness-kg/models"' in visible
    for internal in ("models_developer", "quads", "terms", "claims_about"):
        assert f'href="/openness-kg/{internal}"' not in visible, internal


def test_stored_query_pages_are_titled_by_their_title(datasette_app):
    q = next(q for q in QUERIES if q.name == "index-comparison")
    p = f"/{DATABASE}/{q.name}"
    page = html.unescape(_get_all(datasette_app, [p])[p][1])
    assert re.search(r"<title>([^<]*)</title>", page).group(1).startswith(q.title)


def test_the_triples_view_shows_its_count_without_counting_per_page(datasette_app, db):
    p = f"/{DATABASE}/triples"
    status, page = _get_all(datasette_app, [p])[p]
    assert status == 200
    assert f"{db['quads'].count:,} rows" in page


def test_the_report_reads_in_the_browser_with_its_figures(datasette_app):
    got = _get_all(datasette_app, ["/analysis/report.html", "/analysis/openness_heatmap.png"])
    status, page = got["/analysis/report.html"]
    assert status == 200
    assert "<h1" in page and 'src="openness_heatmap.png"' in page
    assert got["/analysis/openness_heatmap.png"][0] == 200


def test_table_descriptions_and_facets_show(datasette_app):
    status, html = _get_all(datasette_app, [f"/{DATABASE}/claims"])[f"/{DATABASE}/claims"]
    assert status == 200
    assert "A statement a source makes" in html or "claim" in html.lower()
    assert 'data-column="stance"' in html and 'data-column="dimensions"' in html
    assert "CC-BY-4.0" in html


def test_search_finds_a_claim_by_a_word_in_it(datasette_app):
    p = f"/{DATABASE}/claims.json?_search=secrets&_shape=objects"
    status, body = _get_all(datasette_app, [p])[p]
    assert status == 200
    assert [r["id"] for r in json.loads(body)["rows"]] == ["examples-def-closed"]


def test_stored_query_takes_a_slug_with_hyphens(datasette_app):
    """A dimension spelt as in its IRI (`iteration-speed`) or as stored (`iteration_speed`) gives the
    same rows; data/claims/open-closed-examples.yaml has examples-iteration-speed-open among them."""
    pages = {d: f"/{DATABASE}/claims-by-dimension.json?_shape=array&dimension={d}"
             for d in ("iteration-speed", "iteration_speed")}
    got = _get_all(datasette_app, list(pages.values()))
    rows = {d: [r["claim"] for r in json.loads(got[p][1])] for d, p in pages.items()}
    assert "examples-iteration-speed-open" in rows["iteration-speed"]
    assert rows["iteration-speed"] == rows["iteration_speed"]


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_stored_query_page_answers_with_the_expected_rows(datasette_app, db, q):
    qs = "&".join(f"{k}={v}" for k, v in q.params.items())
    p = f"/{DATABASE}/{q.name}.json?_shape=array&{qs}"
    html_p = f"/{DATABASE}/{q.name}?{qs}"
    got = _get_all(datasette_app, [p, html_p])
    status, body = got[p]
    assert status == 200, body[:300]
    want = [list(r) for r in db.execute(q.sql, q.params).fetchall()]
    assert [list(r.values()) for r in json.loads(body)] == want
    assert got[html_p][0] == 200 and q.title in html.unescape(got[html_p][1])


# --- the imported indexes, on the full build ------------------------------------------------

def test_imported_assessments_and_dataset_records(built):
    full = sqlite_utils.Database(built[1] / DB_FILE)
    # data/imported/*/assessments.yaml: 2,040 OSAI + 1,719 MOF component licences + 250 MOF
    # classes (one per imported file: `grep -c "criterion: MOF class"`) + 37 FMTI judgements
    assert full["assessments"].count == 2040 + 1719 + 250 + 37
    # data/imported/osai-index/artifacts.yaml: Llama 3.1's end-model weights, judged closed,
    # backed by two records of the index (the weights dimension and the end-model licence)
    got = rows(full, "select source, locator, graph, supports from provenance "
                     "where artifact = 'osai-llama-3-1-final-parameters' order by locator")
    g = "https://w3id.org/openness-kg/graph/source/osai-index"
    assert got == [("osai-index", "llama-3.1.yaml#system.endmodellicense", g, '["licence"]'),
                   ("osai-index", "llama-3.1.yaml#weights_endmodel", g, '["artifact_of", "availability", "component"]')]
    art = full["artifacts"].get("osai-llama-3-1-final-parameters")
    assert (art["artifact_of"], art["availability"]) == ("llama-3-1", "withheld")
    # the datasets are sources with their licence
    kinds = dict(rows(full, "select id, source_type from sources"))
    assert {k for k, v in kinds.items() if v == "dataset"} == {"osai-index", "mof", "fmti", "epoch"}


def test_index_comparison_view_puts_the_sources_side_by_side(built):
    """Llama 3.1, read off data/artifacts.yaml and data/imported/*/artifacts.yaml: the documents
    say its weights are released, the OSAI index judges them withheld, the MOF tool records three
    released checkpoints; the OSAI index alone judges its training code (partly released)."""
    full = sqlite_utils.Database(built[1] / DB_FILE)
    q = next(q for q in QUERIES if q.name == "index-comparison")
    got = {r[2]: r[3:] for r in full.execute(q.sql, {"model": "llama-3-1"}).fetchall()}
    assert got["final_parameters"] == ("released", "withheld", "released, released, released", 1)
    assert got["training_code"] == (None, "partly_released", None, 0)
    every = {r[0] for r in full.execute(q.sql, {"model": ""}).fetchall()}
    assert "llama-3-1" in every and "olmo-3" not in every  # only the models the documents name


# --- CLI ------------------------------------------------------------------------------------

@pytest.mark.slow   # builds, or runs a child process: seconds
def test_export_sqlite_command(tmp_path, cbuild):
    out = tmp_path / "kg.db"
    data = _curated_data(tmp_path)
    r = CliRunner().invoke(main, ["export", "sqlite", "--out", str(out), "--data", str(data)])
    assert r.exit_code == 0, r.output
    assert sqlite_utils.Database(out)["models"].count == 40
    # scope seeds: the 31 models the documents name (the retired Phi (hosted) and the 8 models only
    # the public record adds are not among them)
    assert sqlite_utils.Database(out)["analysis_model_openness"].count == 31


def _curated_data(tmp_path: Path) -> Path:
    from openness_kg import paths

    d = tmp_path / "curated-src"
    shutil.copytree(paths.DATA_DIR, d, ignore=shutil.ignore_patterns("imported"))
    return d


def test_export_with_bad_data_fails_and_keeps_the_previous_file(tmp_path):
    out = tmp_path / "kg.db"
    out.write_bytes(b"previous")
    bad = example_data(tmp_path / "bad", EXAMPLES / "invalid" / "unknown-reference.yaml")
    r = CliRunner().invoke(main, ["export", "sqlite", "--out", str(out), "--data", str(bad)])
    assert r.exit_code == 1
    assert "unknown-reference.yaml" in r.output and "unchanged" in r.output
    assert out.read_bytes() == b"previous"


def test_export_unknown_format_names_the_choices():
    r = CliRunner().invoke(main, ["export", "sqlit"])
    assert r.exit_code == 2 and "sqlite" in r.output


def test_serve_without_a_database_says_what_to_do(tmp_path):
    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "missing.db")])
    assert r.exit_code == 1
    assert "openness-kg build" in r.output


# --- analysis tables: the same numbers in SQLite, CSV and the report --------------------------

def _same_cell(a, b) -> bool:
    empty = (None, "", "nan", "NaN", "<NA>")
    a = "" if a is None or (isinstance(a, float) and a != a) else a
    b = "" if b is None or (isinstance(b, float) and b != b) else b
    if str(a) in empty and str(b) in empty:
        return True
    a, b = ({"True": 1, "False": 0}.get(str(v), v) for v in (a, b))  # SQLite stores booleans as 0/1
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    except (TypeError, ValueError):
        return str(a) == str(b)


def test_analysis_tables_in_sqlite_equal_the_csv_files(db, cbuild):
    import csv

    analysis_dir = cbuild[1] / "analysis"
    csvs = sorted(analysis_dir.glob("analysis_*.csv"))
    assert {p.stem for p in csvs} == {t for t in db.table_names() if t.startswith("analysis_")}
    assert len(csvs) >= 10
    for p in csvs:
        with open(p, newline="", encoding="utf-8") as f:
            rows_csv = list(csv.reader(f))
        header, body = rows_csv[0], rows_csv[1:]
        assert list(db[p.stem].columns_dict) == header, p.stem
        rows_db = db.execute(f"select * from [{p.stem}]").fetchall()
        assert len(rows_db) == len(body), p.stem
        for i, (r_db, r_csv) in enumerate(zip(rows_db, body)):
            for col, x, y in zip(header, r_db, r_csv):
                assert _same_cell(x, y), f"{p.stem} row {i} column {col}: SQLite {x!r} != CSV {y!r}"


def test_report_quotes_the_concentration_numbers_of_the_database(db, cbuild):
    """Every HHI in the concentration table appears, as the report formats it, in report.md."""
    report = (cbuild[1] / "analysis" / "report.md").read_text(encoding="utf-8")
    cols = db["analysis_concentration"].columns_dict
    assert "hhi" in cols
    hhis = [r[0] for r in db.execute("select hhi from analysis_concentration where hhi is not null").fetchall()]
    assert hhis
    quoted = set(re.findall(r"\d[\d,]*\.\d+|\d[\d,]*", report.replace(",", "")))
    missing = [h for h in hhis if f"{h:.2f}" not in report.replace(",", "") and f"{h:.0f}" not in quoted]
    assert not missing, f"HHI values not in report.md: {missing}"


def test_an_analysis_column_empty_in_its_first_rows_keeps_its_numbers_numeric(tmp_path):
    # the leave-one-out range of analysis_compute_concentration is filled on the last cumulative
    # rows only: with 600 empty rows before two numbers (more than one insert batch), the
    # column must still be REAL, so sorting and filtering in Datasette compare numbers
    import pandas as pd

    from openness_kg.graph import KnowledgeGraph
    from openness_kg.publish.database import write_sqlite

    frame = pd.DataFrame({"row": range(602), "hhi_loo_min": [None] * 600 + [999.5, 1000.25]})
    out = write_sqlite(KnowledgeGraph([]), tmp_path / "t.db", {"analysis_sparse": frame})
    d = sqlite_utils.Database(out)
    assert d["analysis_sparse"].columns_dict["hhi_loo_min"] is float
    assert d.execute("select max(hhi_loo_min) from analysis_sparse").fetchone()[0] == 1000.25
