"""The SQLite export reads the knowledge graph alone: a small hand-made graph (no YAML records)
gives the class, link, records, provenance and triples tables, the same bytes on every run, and
readable errors for values that cannot be mapped back."""
from __future__ import annotations

import sqlite3

import pyoxigraph as ox
import pytest
import sqlite_utils

from openness_kg.graph import KnowledgeGraph
from openness_kg.publish.database import DB_FILE, table_names, write_sqlite
from openness_kg.schema import get_schema

ID = "https://w3id.org/openness-kg/id/"
GRAPH = "https://w3id.org/openness-kg/graph/"
OKG = "https://w3id.org/openness-kg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
NAME = "http://schema.org/name"


def term(x):
    if isinstance(x, (ox.NamedNode, ox.Literal)):
        return x
    return ox.NamedNode(x) if x.startswith(("http:", "https:")) else ox.Literal(x)


def quads(graph: str, *triples) -> list[ox.Quad]:
    g = ox.NamedNode(GRAPH + graph)
    return [ox.Quad(ox.NamedNode(s), ox.NamedNode(p), term(o), g) for s, p, o in triples]


def integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def small_graph(**extra) -> list[ox.Quad]:
    """A source document, an organisation, a model (two passages, one public record) and a claim
    about the model (whose label is its text)."""
    schema = get_schema()
    slot = lambda cls, name: schema.slots(cls)[name].iri  # noqa: E731
    doc, acme, model, claim = ID + "source/doc", ID + "organisation/acme", ID + "model/m1", ID + "claim/c1"
    p1, p2 = ID + "passage/model/m1/doc/50-60", ID + "passage/model/m1/doc/0-10"
    cit = ID + "citation/model/m1/0123456789ab"
    out = quads(
        "source/doc",
        (doc, RDF_TYPE, schema.class_iri("Source")), (doc, NAME, "A document"),
        (acme, RDF_TYPE, schema.class_iri("Organisation")), (acme, NAME, "Acme"),
        (acme, slot("Organisation", "org_type"), schema.enum_values("OrganisationType")["company"]),
        (model, RDF_TYPE, schema.class_iri("Model")), (model, NAME, "Model One"),
        (model, slot("Model", "developer"), acme),
        (model, slot("Model", "modalities"), schema.enum_values("Modality")["text"]),
        (model, slot("Model", "modalities"), schema.enum_values("Modality")["code"]),
        (model, slot("Model", "deprecated"), ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean"))),
        (model, OKG + "evidence", p1), (model, OKG + "evidence", p2),
        *[t for p, start, sup in ((p1, 50, ("name", "developer")), (p2, 0, ()))
          for t in [(p, RDF_TYPE, "http://www.w3.org/ns/oa#TextPositionSelector"),
                    (p, "http://purl.org/dc/terms/source", doc),
                    (p, "http://www.w3.org/ns/oa#start", integer(start)),
                    (p, "http://www.w3.org/ns/oa#end", integer(start + 10)),
                    *[(p, OKG + "supports", f) for f in sup]]],
        (claim, RDF_TYPE, schema.class_iri("Claim")),
        (claim, slot("Claim", "text"), "Model One is open."),
        (claim, slot("Claim", "about"), model),
        (claim, slot("Claim", "stance"), schema.enum_values("Stance")["favours_open"]),
        (claim, OKG + "evidence", p2.replace("model/m1", "claim/c1")),
        (p2.replace("model/m1", "claim/c1"), RDF_TYPE, "http://www.w3.org/ns/oa#TextPositionSelector"),
        (p2.replace("model/m1", "claim/c1"), "http://purl.org/dc/terms/source", doc),
        (p2.replace("model/m1", "claim/c1"), "http://www.w3.org/ns/oa#start", integer(0)),
        (p2.replace("model/m1", "claim/c1"), "http://www.w3.org/ns/oa#end", integer(10)),
    )
    out += quads(
        "curated",
        (model, RDF_TYPE, schema.class_iri("Model")), (model, NAME, "Model One"),
        (model, slot("Model", "parameter_count"), integer(7_000_000_000)),
        (model, OKG + "publicRecord", cit),
        (cit, RDF_TYPE, OKG + "PublicRecordCitation"), (cit, "http://schema.org/url", "https://example.org/m1"),
        (cit, OKG + "supports", "parameter_count"),
    )
    # the ontology and derived graphs hold no records
    out += quads("ontology", (ID + "model/ghost", RDF_TYPE, schema.class_iri("Model")))
    out += quads("derived", (model, slot("Model", "parameter_count"), integer(1)))
    for graph, triples in extra.items():
        out += quads(graph, *triples)
    return out


def rows(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        return [tuple(r) for r in conn.execute(sql, params)]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return write_sqlite(KnowledgeGraph(small_graph()), tmp_path_factory.mktemp("db") / DB_FILE)


def test_class_and_link_tables_come_from_the_graph(db_path):
    assert rows(db_path, "select id, name, developer, modalities, parameter_count, deprecated, iri from models") == [
        ("m1", "Model One", '["acme"]', '["code", "text"]', 7_000_000_000, 0, ID + "model/m1")]
    assert rows(db_path, "select * from models_developer") == [("m1", "acme")]
    assert rows(db_path, "select * from models_modalities") == [("m1", "code"), ("m1", "text")]
    assert rows(db_path, "select id, org_type from organisations") == [("acme", "company")]
    # a polymorphic reference: the IRI in the column, segment/slug in the JSON array
    assert rows(db_path, "select id, about, stance from claims") == [("c1", '["model/m1"]', "favours_open")]
    assert rows(db_path, "select claim, about, about_model, about_organisation from claims_about") == [
        ("c1", ID + "model/m1", "m1", None)]


def test_a_claims_source_is_the_document_its_passage_cites(db_path):
    # small_graph(): claim c1's one passage is in source "doc"
    assert rows(db_path, "select id, source from claims") == [("c1", "doc")]
    fks = {(fk.column, fk.other_table, fk.other_column)
           for fk in sqlite_utils.Database(db_path)["claims"].foreign_keys}
    assert ("source", "sources", "id") in fks


def test_a_reference_to_several_classes_links_each_class_by_its_own_column(db_path):
    # claims_about.about may name any record; about_model links the model row, so the model's
    # row page lists the claims about it
    fks = {(fk.column, fk.other_table, fk.other_column)
           for fk in sqlite_utils.Database(db_path)["claims_about"].foreign_keys}
    assert {("about", "records", "iri"), ("about_model", "models", "id"),
            ("about_organisation", "organisations", "id")} <= fks


def test_records_table_labels_every_record(db_path):
    assert rows(db_path, "select iri, class, table_name, id, label from records") == [
        (ID + "claim/c1", "Claim", "claims", "c1", "Model One is open."),
        (ID + "model/m1", "Model", "models", "m1", "Model One"),
        (ID + "organisation/acme", "Organisation", "organisations", "acme", "Acme"),
        (ID + "source/doc", "Source", "sources", "doc", "A document"),
    ]


def test_provenance_rows_are_read_off_the_passage_and_citation_nodes(db_path):
    got = rows(db_path, "select record, kind, source, start, end, url, supports, graph, model, claim "
                        "from provenance order by rowid")
    doc, cur = GRAPH + "source/doc", GRAPH + "curated"
    assert got == [
        (ID + "claim/c1", "passage", "doc", 0, 10, None, None, doc, None, "c1"),
        (ID + "model/m1", "passage", "doc", 0, 10, None, None, doc, "m1", None),
        (ID + "model/m1", "passage", "doc", 50, 60, None, '["developer", "name"]', doc, "m1", None),
        (ID + "model/m1", "public_record", None, None, None, "https://example.org/m1", '["parameter_count"]',
         cur, "m1", None),
    ]


def odd_terms() -> list[ox.Quad]:
    """Terms the record quads lack: a blank node, a language-tagged and a typed literal, a string
    equal to an IRI used elsewhere."""
    g, b = ox.NamedNode(GRAPH + "curated"), ox.BlankNode("n1")
    m1, note = ox.NamedNode(ID + "model/m1"), ox.NamedNode("http://example.org/note")
    return [ox.Quad(m1, note, b, g),
            ox.Quad(b, note, ox.Literal("Modèle un", language="fr"), g),
            ox.Quad(b, note, ox.Literal("2024-05-01", datatype=ox.NamedNode(XSD + "date")), g),
            ox.Quad(b, note, ox.Literal(ID + "model/m1"), g)]


@pytest.fixture(scope="module")
def odd_db(tmp_path_factory):
    kg = KnowledgeGraph(small_graph() + odd_terms())
    nq = ox.serialize(kg.quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return write_sqlite(kg, tmp_path_factory.mktemp("odd") / DB_FILE), nq


def test_triples_view_shows_every_quad_of_the_n_quads_dump(odd_db):
    db_path, nq = odd_db
    lines = nq.splitlines()
    assert rows(db_path, "select count(*) from triples") == [(len(lines),)]
    assert rows(db_path, "select count(*) from quads") == [(len(lines),)]
    # the same quads, term for term, written out as N-Quads again
    def term(value, kind, datatype, language):
        if kind == "iri":
            return ox.NamedNode(value)
        if kind == "bnode":
            return ox.BlankNode(value[2:])
        return ox.Literal(value, language=language,
                          datatype=ox.NamedNode(datatype) if datatype else None)
    got = [ox.Quad(ox.NamedNode(s) if not s.startswith("_:") else ox.BlankNode(s[2:]), ox.NamedNode(p),
                   term(o, ot, dt, lang), ox.NamedNode(g))
           for g, s, p, o, ot, dt, lang in rows(db_path, "select * from triples")]
    assert sorted(ox.serialize(got, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines()) == sorted(lines)


def test_terms_are_stored_once_and_the_view_reads_them(odd_db):
    db_path, _ = odd_db
    assert rows(db_path, "select count(*) from (select distinct value, term_type, datatype, language from terms)") \
        == rows(db_path, "select count(*) from terms")
    # the IRI and the plain string with the same text are two terms
    assert rows(db_path, "select term_type from terms where value = ? order by term_type", [ID + "model/m1"]) == [
        ("iri",), ("literal",)]
    note = "http://example.org/note"
    assert sorted(rows(db_path, "select subject, object, object_type, datatype, language from triples "
                                "where predicate = ?", [note])) == [
        ("_:n1", "2024-05-01", "literal", XSD + "date", None),
        ("_:n1", "Modèle un", "literal", None, "fr"),
        ("_:n1", ID + "model/m1", "literal", None, None),
        (ID + "model/m1", "_:n1", "bnode", None, None),
    ]
    assert rows(db_path, "pragma foreign_key_check") == []


def test_statistics_are_kept_and_the_view_is_read_through_the_indexes(db_path):
    stats = {t for t, in rows(db_path, "select distinct tbl from sqlite_stat1")}
    assert {"quads", "terms", "provenance", "models"} <= stats
    assert "sqlite_stat1" not in table_names(db_path)
    plan = " | ".join(r[3] for r in rows(
        db_path, "explain query plan select object from triples where subject = 'https://w3id.org/openness-kg/id/model/m1'"))
    assert "SCAN" not in plan, plan
    # a facet column the display settings name (schema/datasette.yml: provenance by kind)
    assert ("kind",) in rows(db_path, "select i.name from pragma_index_list('provenance') l, "
                                      "pragma_index_info(l.name) i")


def test_the_same_graph_gives_the_same_bytes(tmp_path, db_path):
    again = write_sqlite(KnowledgeGraph(small_graph()), tmp_path / DB_FILE)
    assert again.read_bytes() == db_path.read_bytes()


@pytest.mark.parametrize("triples, words", [
    # a reference to an IRI that is no record
    ([(ID + "model/m1", "http://schema.org/creator", ID + "organisation/nobody")],
     ["<https://w3id.org/openness-kg/id/model/m1>", "'developer'", "organisation/nobody"]),
    # a SKOS concept outside the field's vocabulary
    ([(ID + "model/m1", OKG + "modality", "https://w3id.org/openness-kg/vocab/modality/smell")],
     ["<https://w3id.org/openness-kg/id/model/m1>", "'modalities'", "modality/smell"]),
    # two values for a single-valued field
    ([(ID + "model/m1", OKG + "parameterCount", integer(8))],
     ["<https://w3id.org/openness-kg/id/model/m1>", "'parameter_count'", "2 values"]),
])
def test_values_that_cannot_be_mapped_back_are_named(tmp_path, triples, words):
    target = tmp_path / DB_FILE
    with pytest.raises(ValueError) as err:
        write_sqlite(KnowledgeGraph(small_graph(**{"source/doc": triples})), target)
    for w in words:
        assert w in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_failed_export_leaves_the_previous_database(tmp_path):
    import pandas as pd

    target = write_sqlite(KnowledgeGraph(small_graph()), tmp_path / DB_FILE)
    before = target.read_bytes()
    with pytest.raises(ValueError, match="clashes"):
        write_sqlite(KnowledgeGraph(small_graph()), target, extra_tables={"models": pd.DataFrame({"x": [1]})})
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [DB_FILE]
    # analysis tables are written as given
    write_sqlite(KnowledgeGraph(small_graph()), target, extra_tables={"analysis_x": pd.DataFrame({"x": [1, 2]})})
    assert rows(target, "select x from analysis_x") == [(1,), (2,)]
    assert rows(target, "select count(*) from models") == [(1,)]


def test_datasette_pages_keep_the_metadata_permissions(db_path):
    """The plugin that keeps each table's allow rules (openness_kg_permissions.py) answers as
    Datasette does: a table the metadata closes stays closed, the others open."""
    import asyncio

    from datasette.app import Datasette

    from openness_kg.publish.datasette import DATABASE, PLUGINS_DIR

    meta = {"databases": {DATABASE: {"tables": {"models": {"allow": False}}}}}
    ds = Datasette(immutables=[str(db_path)], metadata=meta, plugins_dir=str(PLUGINS_DIR))

    async def get(paths):
        return [(await ds.client.get(p)) for p in paths]
    pages = ["/", f"/{DATABASE}", f"/{DATABASE}/models", f"/{DATABASE}/claims", f"/{DATABASE}/models", "/"]
    home, database, models, claims, models_again, home_again = asyncio.run(get(pages))
    assert getattr(ds._table_permission_allows, "openness_kg_cached", False)
    assert (home.status_code, database.status_code, claims.status_code) == (200, 200, 200)
    assert models.status_code == models_again.status_code == 403
    assert f'href="/{DATABASE}/models"' not in database.text and f'href="/{DATABASE}/claims"' in database.text
