"""The HTML vocabulary docs (docs/schema/, from LinkML's gen-doc) and the w3id.org redirects."""
from __future__ import annotations

import re

import pytest

from openness_kg import paths
from openness_kg.namespaces import PREFIXES
from openness_kg.schema import get_schema

DOCS = paths.DOCS_DIR
HTACCESS = paths.ROOT / "w3id" / ".htaccess"


def _page(name: str) -> str:
    return (DOCS / f"{name}.html").read_text(encoding="utf-8")


def test_a_page_per_class_slot_and_vocabulary():
    view = get_schema().view
    names = {p.stem for p in DOCS.glob("*.html")}
    for kind in (view.all_classes(), view.all_enums(), view.all_slots()):
        missing = sorted(set(kind) - names)
        assert not missing, missing
    assert "okg:Model" in _page("Model") and "<h1>" in _page("Model")
    # gen-doc's front matter (for mkdocs search) is not shown as text
    assert not [p.name for p in DOCS.glob("*.html") if "boost:" in p.read_text(encoding="utf-8")]


def test_every_skos_concept_is_listed_with_its_iri_on_its_vocabulary_page():
    schema = get_schema()
    for enum in schema.view.all_enums():
        page = _page(enum)
        for value, iri in schema.enum_values(enum).items():
            assert f'<a href="{iri}">{iri}</a>' in page, (enum, value)
    # read from schema/openness_kg.yaml by hand: ArtifactType's final_parameters, a licence term
    assert "https://w3id.org/openness-kg/vocab/component/final-parameters" in _page("ArtifactType")
    assert "https://w3id.org/openness-kg/vocab/licence-term/" in _page("LicenceTerm")


def test_prefixes_and_example_queries_pages():
    page = _page("prefixes")
    for prefix, ns in PREFIXES.items():
        assert f"<code>{prefix}:</code>" in page and ns in page, prefix
    queries = _page("queries")
    for name in [p.stem for p in (paths.ROOT / "queries").glob("*.rq")]:
        assert f"openness-kg query {name}" in queries, name


def test_links_between_pages_resolve():
    for p in DOCS.glob("*.html"):
        for href in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', p.read_text(encoding="utf-8")):
            assert (DOCS / href).is_file(), (p.name, href)


def test_w3id_redirects_negotiate_turtle_before_html_for_every_vocabulary():
    text = HTACCESS.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    # every Turtle rule sits right under an Accept condition
    for i, line in enumerate(lines):
        if re.search(r"\.(ttl|ttl\.gz)( |$)", line.split("[")[0]) and line.startswith("RewriteRule"):
            assert lines[i - 1].startswith("RewriteCond %{HTTP_ACCEPT}") and "text/turtle" in lines[i - 1], line
    # one browser rule per concept scheme, to the page that lists its concepts
    base = "https://w3id.org/openness-kg/vocab/"
    schemes = {iri[len(base):].split("/")[0]: enum
               for enum in get_schema().view.all_enums()
               for iri in get_schema().enum_values(enum).values()}
    for scheme, enum in schemes.items():
        assert f"RewriteRule ^vocab/{scheme}(/.*)?$ %{{ENV:HOST}}/docs/schema/{enum}.html [R=303,L]" in lines
    assert "RewriteRule ^vocab/component(/.*)?$ %{ENV:HOST}/docs/schema/ArtifactType.html [R=303,L]" in lines


def test_ontology_turtle_holds_the_concepts():
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, SKOS

    g = Graph().parse(DOCS / "ontology.ttl")
    c = URIRef("https://w3id.org/openness-kg/vocab/component/final-parameters")
    assert (c, RDF.type, SKOS.Concept) in g


@pytest.mark.slow
def test_committed_docs_and_redirects_are_what_the_schema_generates():
    from openness_kg.schema_docs import docs_texts, htaccess_text, ontology_turtle

    texts = docs_texts()
    texts["ontology.ttl"] = ontology_turtle()
    committed = {p.name: p.read_text(encoding="utf-8") for p in DOCS.iterdir()}
    assert sorted(committed) == sorted(texts)
    stale = sorted(n for n in texts if texts[n] != committed[n])
    assert not stale, f"run `openness-kg generate-schema`: {stale[:5]}"
    assert HTACCESS.read_text(encoding="utf-8") == htaccess_text()
