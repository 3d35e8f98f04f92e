"""Shared fixtures: the source texts, one build of the whole data and one of the curated data per
test run (shared by every test, in temporary folders: no test writes into the repository's
build/), and example data sets.

Markers: tests that need the full build are marked ``slow`` here automatically; ``browser``
(Chromium) and ``endpoint`` (an Oxigraph server) are set by the tests. The fast layer is
``pytest -m "not slow and not browser and not endpoint"``."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from openness_kg import paths

ROOT = paths.ROOT
EXAMPLES = Path(__file__).parent / "examples"


def sources_dir() -> Path:
    return paths.sources_dir()


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The source texts ($OPENNESS_KG_SOURCES, default ../shared/seeds); tests that need them
    skip, with that reason, where they are absent (CI always has them)."""
    d = sources_dir()
    if not d.is_dir():
        pytest.skip(f"source texts not found at {d} (set {paths.SOURCES_ENV})")
    return d


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "full_built" in item.fixturenames:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def full_built(tmp_path_factory):
    """A fresh build of the whole of data/ (curated records and imported indexes) into a
    temporary folder: (BuildResult, out_dir). Modules that shadow ``built`` still reach it."""
    from openness_kg.pipeline import build

    out = tmp_path_factory.mktemp("build") / "build"
    result = build(out, quiet=True)
    return result, out


@pytest.fixture(scope="session")
def built(full_built):
    """The full build (see ``full_built``)."""
    return full_built


@pytest.fixture(scope="session")
def curated_built(tmp_path_factory):
    """A build of the curated data alone (data/ without data/imported/: the five source
    documents and the public records), into a temporary folder: (BuildResult, out_dir). The
    query library's expected results (queries/expected/) describe this build, except the
    queries about the imported indexes; rdflib is cross-checked on it (rdflib's SPARQL is too
    slow for the full graph of ~125k quads)."""
    from openness_kg.pipeline import build

    data = curated_data(tmp_path_factory.mktemp("curated"))
    out = tmp_path_factory.mktemp("curated-build") / "build"
    return build(out, data, quiet=True), out


def curated_data(tmp: Path) -> Path:
    """A copy of data/ without data/imported/ in ``tmp``: the curated records alone."""
    data = tmp / "data"
    shutil.copytree(paths.DATA_DIR, data, ignore=shutil.ignore_patterns("imported"))
    return data


@pytest.fixture(scope="session")
def curated_data_dir(tmp_path_factory) -> Path:
    """A copy of data/ without data/imported/ (every passage span is in the curated records)."""
    return curated_data(tmp_path_factory.mktemp("curated-data"))


@pytest.fixture(scope="session")
def curated_catalogue(curated_data_dir):
    from openness_kg.ingest import load_records

    return load_records(curated_data_dir)


@pytest.fixture(scope="session")
def dataset(built):
    """The full build as an rdflib Dataset (Oxigraph-backed, what ``openness_kg.load`` gives)."""
    import openness_kg

    return openness_kg.load(built[1])


@pytest.fixture(scope="session")
def catalogue(built):
    return built[0].catalogue


def example_data(tmp_path: Path, *extra: Path) -> Path:
    """A data folder: data/sources.yaml + tests/examples/valid/records.yaml + ``extra`` files."""
    d = tmp_path / "data"
    d.mkdir(parents=True)
    shutil.copy(paths.DATA_DIR / "sources.yaml", d / "sources.yaml")
    shutil.copy(EXAMPLES / "valid" / "records.yaml", d / "records.yaml")
    for p in extra:
        shutil.copy(p, d / p.name)
    return d


def as_rdflib(kg):
    """A KnowledgeGraph as an rdflib Dataset (Oxigraph-backed), for tests that use rdflib's API."""
    from rdflib import Dataset

    ds = Dataset(store="Oxigraph", default_union=True)
    ds.parse(data=kg.nquads(), format="ox-nquads")
    return ds


@pytest.fixture(scope="session")
def small_graph(tmp_path_factory):
    """A small checked graph, without a build: the valid example records
    (tests/examples/valid/records.yaml + data/sources.yaml) through ingest, graph and check:
    (Catalogue, KnowledgeGraph)."""
    from openness_kg.pipeline import checked_graph

    return checked_graph(example_data(tmp_path_factory.mktemp("small")), quiet=True)


@pytest.fixture(scope="session")
def small_build(small_graph, tmp_path_factory):
    """A build folder published from ``small_graph`` (dumps, SQLite database, stamp; no
    analyses), for the readers' tests. Its stamp names a data folder that no longer changes."""
    import json

    from openness_kg.publish import DB_FILE, write_dumps, write_sqlite
    from openness_kg.stamp import BUILD_INFO

    cat, kg = small_graph
    out = tmp_path_factory.mktemp("small-build")
    write_dumps(kg, out)
    write_sqlite(kg, out / DB_FILE)
    (out / BUILD_INFO).write_text(json.dumps({"data_dir": str(out / "no-data"), "inputs": {},
                                              "records": len(cat), "quads": len(kg)}))
    return out


def oxigraph_server(nq: Path, location: Path):
    """Run the `oxigraph` server (PyPI package) on the N-Quads file ``nq``: loaded into
    ``location``, read-only, union default graph, on a free port of 127.0.0.1. A generator for
    fixtures: yields the query URL, stops the server afterwards."""
    import socket
    import subprocess
    import sys
    import time

    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    subprocess.run([exe, "load", "--location", str(location), "--file", str(nq)], check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/query"
    proc.terminate()
    proc.wait(timeout=10)


# --- headless Chromium against `openness-kg serve` (tests marked `browser`) --------------------
CHROMIUM = os.environ.get("OPENNESS_KG_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("OPENNESS_KG_SCREENSHOTS", tempfile.gettempdir())) / "openness-kg-screenshots"
# Debian's Chromium as root, on a machine with no outside network (see the README)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
BROWSER_MARKS = [pytest.mark.browser,
                 pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"no Chromium at {CHROMIUM} (run `make browser` to install it)")]


def serve_process(db: Path, log: Path, ready_path: str = "/-/versions.json"):
    """Run `openness-kg serve --db DB` on a free port of 127.0.0.1, its output in ``log``, until
    ``ready_path`` answers. A generator for fixtures: yields the base URL, stops the server
    afterwards; fails the test with the log if the server exits or does not answer in 30 s."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "openness_kg.cli", "serve", "--db", str(db), "-p", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + ready_path, timeout=1)
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
