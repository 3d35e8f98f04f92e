"""The vocabulary docs as `openness-kg serve` shows them (/vocab/), in headless Chromium (Debian's
chromium driven by Playwright, as in test_browser.py); screenshots under
$OPENNESS_KG_SCREENSHOTS (default: the temporary folder)/openness-kg-screenshots/."""
from __future__ import annotations

import pytest

from conftest import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, serve_process

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def docs_server(curated_built, tmp_path_factory):
    """`openness-kg serve` on the curated build's database, on a free 127.0.0.1 port."""
    log = tmp_path_factory.mktemp("serve-docs") / "serve.log"
    yield from serve_process(curated_built[1] / "openness-kg.db", log, ready_path="/vocab/index.html")


def test_docs_index_leads_to_a_vocabulary_page_with_concept_iris(docs_server):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(docs_server + "/vocab/index.html")
        assert page.locator("h1").first.inner_text().strip() == "openness-kg schema"
        page.get_by_role("link", name="Model", exact=True).first.click()
        assert page.url.endswith("/vocab/Model.html")
        assert "okg:Model" in page.locator("body").inner_text()
        page.goto(docs_server + "/vocab/ArtifactType.html")
        iri = "https://w3id.org/openness-kg/vocab/component/final-parameters"
        link = page.get_by_role("link", name=iri)
        assert link.count() == 1 and link.get_attribute("href") == iri
        page.screenshot(path=str(SCREENSHOTS / "docs-vocabulary.png"), full_page=False)
        page.get_by_role("link", name="Prefixes").click()
        assert "https://w3id.org/openness-kg/ontology#" in page.locator("table").inner_text()
        browser.close()
