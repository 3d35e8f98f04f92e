"""Browse a running `openness-kg serve` in headless Chromium (Debian's chromium driven by
Playwright), assert on what a reader sees, and save screenshots under $OPENNESS_KG_SCREENSHOTS (default: the temporary folder)/openness-kg-screenshots/.

Chromium is installed by the project (`make browser`, run by `.ci/run`); where it is absent these
tests skip with that reason.
"""
from __future__ import annotations

import os
import socket
import tempfile
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from openness_kg.publish import DB_FILE

CHROMIUM = os.environ.get("OPENNESS_KG_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("OPENNESS_KG_SCREENSHOTS", tempfile.gettempdir())) / "openness-kg-screenshots"
# Debian's Chromium as root, on a machine with no outside network (see the README)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                 reason=f"no Chromium at {CHROMIUM} (run `make browser` to install it)")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    """`openness-kg serve` on the test build's database, on a free 127.0.0.1 port."""
    db = built[1] / DB_FILE
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "openness_kg.cli", "serve", "--db", str(db), "-p", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("openness-kg serve exited:\n" + log.read_text())
                time.sleep(0.2)
        else:
            pytest.fail("openness-kg serve did not answer:\n" + log.read_text())
        yield base, log
    finally:
        proc.terminate()
        proc.wait(timeout=10)


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
