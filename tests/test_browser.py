"""Browse a running `openness-kg serve` in headless Chromium (Debian's chromium driven by
Playwright), assert on what a reader sees, and save screenshots under $OPENNESS_KG_SCREENSHOTS (default: the temporary folder)/openness-kg-screenshots/.

Chromium is installed by the project (`make browser`, run by `.ci/run`); where it is absent these
tests skip with that reason.
"""
from __future__ import annotations

import pytest

from conftest import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, serve_process
from openness_kg.publish import DB_FILE

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    """`openness-kg serve` on the test build's database, on a free 127.0.0.1 port: (base URL, log)."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    server = serve_process(built[1] / DB_FILE, log)
    try:
        yield next(server), log
    finally:
        server.close()   # stops the server


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield pg
        browser.close()


def test_serve_prints_the_url(server):
    base, log = server
    assert f"at {base}/" in log.read_text()


def test_home_page_lists_the_tables_and_stored_queries(server, page):
    base, _ = server
    page.goto(base + "/openness-kg")
    body = page.locator("body")
    assert "open and closed AI models" in page.locator("h1").inner_text() or "openness-kg" in page.locator("h1").inner_text()
    text = body.inner_text()
    for table in ("models", "claims", "provenance", "triples"):
        assert table in text
    assert "Contested claims" in text  # a stored query's title
    assert "CC-BY-4.0" in text
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=False)


def test_models_table_with_facets(server, page, built):
    import sqlite_utils

    base, _ = server
    n_models = sqlite_utils.Database(built[1] / DB_FILE)["models"].count
    page.goto(base + "/openness-kg/models")
    text = page.locator("body").inner_text()
    assert f"{n_models:,} rows" in text
    facets = page.locator(".facet-info")
    names = [facets.nth(i).get_attribute("data-column") for i in range(facets.count())]
    assert "developer" in names and "family" in names
    # facet values show labels (array facet on developer: Meta's slug)
    assert "meta" in page.locator('.facet-info[data-column="developer"]').inner_text()
    assert page.get_by_role("link", name="Llama 3.1").count() >= 1 or "Llama 3.1" in text
    page.locator(".facet-results").first.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -80)")
    page.screenshot(path=str(SCREENSHOTS / "models.png"), full_page=False)


def test_claim_row_page(server, page):
    base, _ = server
    page.goto(base + "/openness-kg/claims/examples-def-closed")
    text = page.locator("body").inner_text()
    assert "trade secrets" in text
    assert "neutral" in text  # its stance (data/claims/open-closed-examples.yaml)
    # the project's stylesheet gives the claim text room (26em), so it reads as prose
    assert page.locator("td.col-text").bounding_box()["width"] > 300
    page.screenshot(path=str(SCREENSHOTS / "claim.png"), full_page=False)


def test_stored_query_page(server, page):
    base, _ = server
    page.goto(base + "/openness-kg/contested-claims?dimension=safety")
    assert "Contested claims" in page.locator("h1").inner_text()
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() > 0
    assert "safety" in rows.first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "contested-claims.png"), full_page=False)


def test_search_box_finds_a_claim(server, page):
    base, _ = server
    page.goto(base + "/openness-kg/claims")
    page.fill('input[name="_search"]', "secrets")
    page.press('input[name="_search"]', "Enter")
    page.wait_for_load_state()
    text = page.locator("body").inner_text()
    assert "1 row" in text and "examples-def-closed" in text


def test_security_policy_blocks_nothing_datasette_needs(server, page):
    """The Content-Security-Policy set by `openness-kg serve` leaves Datasette's own scripts,
    styles and the SQL editor working: no CSP violation on the pages people use."""
    base, _ = server
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    for path in ("/", "/openness-kg", "/openness-kg/models", "/openness-kg/claims/examples-def-closed",
                 "/openness-kg/contested-claims", "/openness-kg?sql=select+id+from+models+limit+3"):
        response = page.goto(base + path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert page.locator(".CodeMirror, .cm-editor").count() >= 1  # the SQL editor's script ran
    assert violations == []


# --- Datasette as a researcher browses it (issue 13) --------------------------------------------

def test_model_row_page_shows_names_and_links_to_its_evidence(server, page):
    """data/models.yaml: llama-3-1 is developed by meta (Meta) under llama-3-1-community-licence
    (Llama 3.1 Community License Agreement), with a passage of open-closed-examples at
    characters 1603-1650; data/labels.yaml labels it twice."""
    base, _ = server
    page.goto(base + "/openness-kg/models/llama-3-1")
    row = page.locator("table.rows-and-columns tbody tr").first
    developer = row.locator("td.col-developer a")
    assert developer.inner_text() == "Meta"
    assert developer.get_attribute("href") == "/openness-kg/organisations/meta"
    assert row.locator("td.col-licence a").inner_text() == "Llama 3.1 Community License Agreement"
    assert "meta" not in row.locator("td.col-developer").inner_text()  # the name, not the slug
    links = page.locator("ul li a")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    for link in ("/openness-kg/openness_labels?labelled_model=llama-3-1",
                 "/openness-kg/provenance?model=llama-3-1", "/openness-kg/artifacts?artifact_of=llama-3-1"):
        assert link in hrefs, link
    page.screenshot(path=str(SCREENSHOTS / "model-row.png"), full_page=True)
    page.locator('a[href="/openness-kg/provenance?model=llama-3-1"]').first.click()
    page.wait_for_load_state()
    page.locator("table.rows-and-columns").scroll_into_view_if_needed()
    passages = page.locator("table.rows-and-columns tbody tr")
    texts = [passages.nth(i).inner_text() for i in range(passages.count())]
    assert any("1603" in t and "1650" in t and "open-closed-examples" in t.lower() for t in texts)
    page.screenshot(path=str(SCREENSHOTS / "model-provenance.png"), full_page=False)


def test_claims_filtered_by_source_show_names_not_slugs(server, page):
    """data/claims/open-closed-glossary.yaml: 17 claims; glossary-def-open is about the Llama,
    Mistral and DeepSeek families and Meta."""
    base, _ = server
    page.goto(base + "/openness-kg/claims?source=open-closed-glossary")
    text = page.locator("body").inner_text()
    assert "17 rows" in text
    assert page.locator('.facet-info[data-column="source"]').count() == 1
    row = page.locator("table.rows-and-columns tbody tr", has_text="glossary-def-open")
    about = row.locator("td.col-about")
    names = [about.locator("a").nth(i).inner_text() for i in range(about.locator("a").count())]
    assert names == ["DeepSeek", "Llama", "Mistral", "Meta"]
    assert about.locator("a", has_text="Meta").get_attribute("href") == "/openness-kg/organisations/meta"
    assert "model-family/" not in about.inner_text()
    page.locator(".facet-results").first.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -60)")
    page.screenshot(path=str(SCREENSHOTS / "claims-by-source.png"), full_page=False)


def test_home_page_leads_to_the_docs_and_the_report(server, page):
    base, _ = server
    page.goto(base + "/")
    page.screenshot(path=str(SCREENSHOTS / "home-entry-points.png"), full_page=False)
    page.get_by_role("link", name="The vocabulary and data dictionary").click()
    page.wait_for_load_state()
    assert page.url.endswith("/vocab/index.html")
    assert "openness-kg" in page.locator("h1").first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "docs.png"), full_page=False)
    page.goto(base + "/")
    page.get_by_role("link", name="The analysis report").click()
    page.wait_for_load_state()
    assert page.url.endswith("/analysis/report.html")
    figure = page.locator('img[src="openness_heatmap.png"]')
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=False)
