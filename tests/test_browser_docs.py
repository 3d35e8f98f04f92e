"""The vocabulary docs as `openness-kg serve` shows them (/vocab/), in headless Chromium (Debian's
chromium driven by Playwright, as in test_browser.py); screenshots under
$OPENNESS_KG_SCREENSHOTS (default: the temporary folder)/openness-kg-screenshots/."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("OPENNESS_KG_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("OPENNESS_KG_SCREENSHOTS", tempfile.gettempdir())) / "openness-kg-screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                 reason=f"no Chromium at {CHROMIUM} (run `make browser` to install it)")]


@pytest.fixture(scope="module")
def docs_server(curated_built, tmp_path_factory):
    """`openness-kg serve` on the curated build's database, on a free 127.0.0.1 port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path_factory.mktemp("serve-docs") / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "openness_kg.cli", "serve", "--db",
                                 str(curated_built[1] / "openness-kg.db"), "-p", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/vocab/index.html", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("openness-kg serve exited:\n" + log.read_text())
                time.sleep(0.2)
        else:
            pytest.fail("openness-kg serve did not answer:\n" + log.read_text())
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


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
