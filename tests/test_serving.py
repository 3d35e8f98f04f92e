"""`openness-kg serve` (Datasette with openness_kg.publish.serving): one request cannot stall or
flood the server, nothing can be written, the headers are set, the database's path is not shown,
and a database replaced by a rebuild is served at once (issue 14). Fast: a three-table SQLite
file made here, Datasette's own test client, and one real `openness-kg serve` process."""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from openness_kg.cli import main
from openness_kg.publish import serving
from openness_kg.publish.datasette import PLUGINS_DIR, SERVE_SETTINGS

SQL_PAGE = "/okg.json?sql="


def make_db(path: Path, names: list[str]) -> Path:
    """A small immutable-style database: ``models(id, name)`` with one row per name."""
    tmp = path.with_suffix(".tmp")
    conn = sqlite3.connect(tmp)
    conn.execute("create table models (id text primary key, name text)")
    conn.executemany("insert into models values (?, ?)", [(n.lower(), n) for n in names])
    conn.commit()
    conn.close()
    os.replace(tmp, path)  # as the build does: a new file at the same path
    return path


def datasette(db: Path, allow_sql: bool = True):
    """A Datasette as `openness-kg serve` configures it (its settings and plugins) on ``db``."""
    from datasette.app import Datasette

    return Datasette(immutables=[str(db)], settings={**SERVE_SETTINGS, "default_allow_sql": allow_sql},
                     plugins_dir=str(PLUGINS_DIR),
                     metadata={"databases": {"okg": {"queries": {
                         "names": {"sql": "select name from models order by name", "title": "Names"}}}}})


@pytest.fixture()
def served(tmp_path):
    db = make_db(tmp_path / "okg.db", ["Phi-3", "OLMo"])
    return datasette(db), db


def get(ds, *paths: str):
    async def go():
        return [await ds.client.get(p) for p in paths]
    out = asyncio.run(go())
    return out if len(out) > 1 else out[0]


def sql(query: str) -> str:
    from urllib.parse import quote

    return SQL_PAGE + quote(query)


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


# ------------------------------------------------------------------ bounded requests

def test_gigabyte_value_fails_at_once(served):
    ds, _ = served
    start = time.monotonic()
    r = get(ds, sql("select randomblob(1000000000)"))
    assert time.monotonic() - start < 2
    assert r.status_code == 400 and r.json()["error"] == "string or blob too big"


def test_many_large_values_are_cut_at_the_result_limit(served):
    ds, _ = served  # 1,000 rows of 0.9 MB each: no single value too big, 900 MB in all
    r = get(ds, sql("with recursive r(i) as (select 1 union all select i + 1 from r where i < 1000) "
                    "select zeroblob(900000) from r"))
    assert r.status_code == 400 and "larger than 20 MB" in r.json()["error"]


@pytest.mark.slow  # waits out Datasette's 1 s time limit on purpose
def test_runaway_query_is_cut_at_the_time_limit(served):
    ds, _ = served
    start = time.monotonic()
    r = get(ds, sql("with recursive r(i) as (select 1 union all select i + 1 from r) select count(*) from r"))
    took = time.monotonic() - start
    assert r.status_code == 400 and "took too long" in r.json()["error"]
    assert 0.9 < took < 3


def test_rows_are_capped(served):
    ds, _ = served
    r = get(ds, sql("with recursive r(i) as (select 1 union all select i + 1 from r where i < 5000) "
                    "select i from r") + "&_shape=objects")
    assert r.status_code == 200
    assert len(r.json()["rows"]) == SERVE_SETTINGS["max_returned_rows"] and r.json()["truncated"]


@pytest.mark.parametrize("statement", [
    "drop table models", "delete from models", "update models set name = 'x'",
    "insert into models values ('a', 'b')", "create table t (x)", "attach database 'x.db' as x",
    "pragma writable_schema = 1", "vacuum", "select 1; drop table models",
    "with x as (select 1) delete from models",
])
def test_write_attempts_through_sql_change_nothing(served, statement):
    ds, db = served
    before = digest(db)
    r = get(ds, sql(statement))
    assert r.status_code in (400, 403)
    assert digest(db) == before
    rows = get(ds, "/okg/models.json?_shape=array").json()
    assert sorted(row["name"] for row in rows) == ["OLMo", "Phi-3"]


# ------------------------------------------------------------------ headers and the path

def test_security_headers_on_every_kind_of_page(served):
    ds, _ = served
    for r in get(ds, "/", "/okg/models", "/okg/models.json", "/okg/names", "/no-such-page", sql("select 1")):
        h = r.headers
        assert "frame-ancestors 'none'" in h["content-security-policy"], r.url
        assert h["x-content-type-options"] == "nosniff"
        assert h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "no-referrer"


def test_databases_page_hides_the_absolute_path(served, tmp_path):
    ds, db = served
    data, html = get(ds, "/-/databases.json", "/-/databases")
    assert data.status_code == 200 and html.status_code == 200
    assert [d["name"] for d in data.json()] == ["okg"]
    assert data.json()[0]["path"] == "okg.db"
    for r in (data, html):
        assert str(tmp_path) not in r.text and str(tmp_path.resolve()) not in r.text


def test_sql_off_still_serves_tables_and_stored_queries(tmp_path):
    ds = datasette(make_db(tmp_path / "okg.db", ["Phi-3"]), allow_sql=False)
    refused, table, stored = get(ds, sql("select 1"), "/okg/models.json?_shape=array",
                                 "/okg/names.json?_shape=array")
    assert refused.status_code == 403
    assert table.json() == [{"id": "phi-3", "name": "Phi-3"}]
    assert stored.json() == [{"name": "Phi-3"}]


@pytest.mark.parametrize("host,allow_sql,expected", [
    ("127.0.0.1", None, "on"), ("::1", None, "on"), ("localhost", None, "on"),
    ("0.0.0.0", None, "off"), ("192.0.2.7", None, "off"),
    ("0.0.0.0", True, "on"), ("127.0.0.1", False, "off"),
])
def test_arbitrary_sql_is_off_on_a_public_address_unless_asked(host, allow_sql, expected):
    assert serving.sql_setting(host, allow_sql) == ["--setting", "default_allow_sql", expected]


# ------------------------------------------------------------------ a rebuilt database

def test_a_replaced_database_is_served_at_once(served):
    ds, db = served
    first, count = get(ds, "/okg/models.json?_shape=array", "/okg.json")
    assert sorted(r["name"] for r in first.json()) == ["OLMo", "Phi-3"]
    assert {t["name"]: t["count"] for t in count.json()["tables"]}["models"] == 2
    old_modified = first.headers["x-database-modified"]
    make_db(db, ["Phi-3", "OLMo", "Pythia"])
    os.utime(db, (time.time() + 5, time.time() + 5))
    rows, page, count = get(ds, "/okg/models.json?_shape=array", "/okg/models/pythia.json?_shape=array",
                            "/okg.json")
    assert sorted(r["name"] for r in rows.json()) == ["OLMo", "Phi-3", "Pythia"]
    assert page.status_code == 200 and page.json() == [{"id": "pythia", "name": "Pythia"}]
    assert {t["name"]: t["count"] for t in count.json()["tables"]}["models"] == 3
    assert rows.headers["x-database-modified"] != old_modified


# ------------------------------------------------------------------ the real command

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow   # builds, or runs a child process: seconds
def test_serve_command_applies_the_limits_and_headers(tmp_path):
    db = make_db(tmp_path / "okg.db", ["Phi-3"])
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(serving.__file__).parents[2])}
    proc = subprocess.Popen([sys.executable, "-m", "openness_kg.cli", "serve", "--db", str(db), "-p", str(port),
                             "--no-sql"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{base}/-/settings.json", timeout=2) as r:
                    settings, headers = json.loads(r.read()), r.headers
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("openness-kg serve did not answer")
        for name, value in SERVE_SETTINGS.items():
            assert settings[name] == value, name
        assert settings["default_allow_sql"] is False
        assert headers["X-Frame-Options"] == "DENY"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}{sql('select 1')}", timeout=5)
        assert refused.value.code == 403
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_never_builds(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENNESS_KG_BUILD", str(tmp_path / "build"))
    start = time.monotonic()
    res = CliRunner().invoke(main, ["serve", "-p", str(free_port())])
    assert time.monotonic() - start < 5
    assert res.exit_code == 1
    assert "No finished build" in res.output and "openness-kg build" in res.output
    assert list(tmp_path.iterdir()) == []


def test_a_replaced_database_brings_its_own_schema_and_view_counts(tmp_path):
    """The Datasette plugins that keep the schema and the row counts per server
    (openness_kg_schema_cache.py, openness_kg_counts.py) start again on a rebuilt file."""
    def build(names: list[str], extra_table: bool) -> None:
        make_db(tmp_path / "okg.tmp.db", names)
        conn = sqlite3.connect(tmp_path / "okg.tmp.db")
        conn.execute("create view model_names as select name from models")
        if extra_table:
            conn.execute("create table licences (id text primary key)")
        conn.commit()
        conn.close()
        os.replace(tmp_path / "okg.tmp.db", tmp_path / "okg.db")

    build(["Phi-3", "OLMo"], extra_table=False)
    ds = datasette(tmp_path / "okg.db")
    view, database = get(ds, "/okg/model_names.json?_shape=objects", "/okg.json")
    assert view.json()["filtered_table_rows_count"] == 2
    assert "licences" not in {t["name"] for t in database.json()["tables"]}
    build(["Phi-3", "OLMo", "Pythia"], extra_table=True)
    os.utime(tmp_path / "okg.db", (time.time() + 5, time.time() + 5))
    view, database = get(ds, "/okg/model_names.json?_shape=objects", "/okg.json")
    assert view.json()["filtered_table_rows_count"] == 3
    assert "licences" in {t["name"] for t in database.json()["tables"]}
