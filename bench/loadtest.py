#!/usr/bin/env python3
"""Bounded load test on loopback (``make loadtest``; not part of ``make test``).

Run as ``.venv/bin/python bench/loadtest.py [--requests 2000] [--concurrency 8] [--sparql 500]``.
Everything runs on 127.0.0.1 in a temporary folder; nothing in the repository is written.

1. **Setup**: the current ``build/`` is copied to a temporary folder (or built there when there
   is no finished build), ``openness-kg serve --db TMP/build/openness-kg.db`` starts on a free
   port, and ``oxigraph serve-read-only --union-default-graph`` on the build's N-Quads dump.
2. **Datasette**: at least ``--requests`` GET requests from ``--concurrency`` threads (one
   keep-alive connection each) over five kinds of page, taken in turn, HTML and JSON alternately:
   table pages, row pages (the first rows of every record table), facet pages (the facets in
   ``metadata.yml``), full-text search pages (every table with a search index) and the stored
   queries (``queries/sql/``, default parameters). When a quarter of them are done,
   ``openness-kg build --out TMP/build`` rebuilds the served folder; the load goes on until the
   rebuild has finished and ``--after`` more requests have been answered. A request is an error
   when it fails or its status is not 200. Each answer's ``X-Database-Modified`` header says which
   database file served it: after the rebuild every answer must name the new file.
3. **SPARQL**: ``--sparql`` POST requests of the library queries (``queries/*.rq``, in turn,
   parameters at their defaults), ``--concurrency`` at a time; an error is a failure, a status
   other than 200 or an answer that is not SPARQL JSON results.

Prints, per server and per kind of page: requests, errors, p50 / p95 / p99 / max latency (ms);
the rebuild's duration and the requests answered during it; the slowest library queries. Exit 1
when there was any error or an answer after the rebuild came from the old database.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from openness_kg import paths  # noqa: E402
from openness_kg.publish.datasette import DATABASE, METADATA_FILE, stored_queries  # noqa: E402
from openness_kg.read import DB_FILE, NQUADS_FILE, BuildNotReady, build_dir  # noqa: E402
from openness_kg.sparql import bindings, library, _with_values  # noqa: E402

BIN = Path(sys.executable).parent
KINDS = ["table", "row", "facet", "search", "stored query"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen, what: str, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            sys.exit(f"{what} exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{what} did not listen on port {port} within {seconds:.0f} s")


def percentiles(ms: list[float]) -> dict[str, float]:
    if not ms:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    qs = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else [ms[0]] * 99
    return {"p50": qs[49], "p95": qs[94], "p99": qs[98], "max": max(ms)}


# ---------------------------------------------------------------- the pages

def datasette_pages(db_file: Path) -> dict[str, list[str]]:
    """Paths of each kind of page, from the database and metadata.yml."""
    import yaml
    from datasette.utils import tilde_encode

    meta = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))["databases"][DATABASE]
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' "
                                         "and name not like '%_fts%' order by name")]
    searchable = sorted(t for t in tables if f"{t}_fts" in {r[0] for r in conn.execute(
        "select name from sqlite_master where type = 'table'")})
    pages: dict[str, list[str]] = {k: [] for k in KINDS}
    db = f"/{DATABASE}"
    for t in tables:
        pages["table"].append(f"{db}/{t}")
        for facet in meta["tables"].get(t, {}).get("facets", []):
            if isinstance(facet, str):
                pages["facet"].append(f"{db}/{t}?_facet={urllib.parse.quote(facet)}")
        cols = [r[1] for r in conn.execute(f"pragma table_info([{t}])")]
        pk = [r[1] for r in conn.execute(f"pragma table_info([{t}])") if r[5]]
        if pk == ["id"] and "iri" in cols:  # a record table
            for (rid,) in conn.execute(f"select id from [{t}] order by id limit 20"):
                pages["row"].append(f"{db}/{t}/{tilde_encode(str(rid))}")
    for t in searchable:
        for word in ("open", "licence", "weights"):
            pages["search"].append(f"{db}/{t}?_search={word}")
    for q in stored_queries():
        query = urllib.parse.urlencode(q.params)
        pages["stored query"].append(f"{db}/{q.name}" + (f"?{query}" if query else ""))
    return pages


def request_list(pages: dict[str, list[str]], n: int) -> list[tuple[str, str]]:
    """``n`` (kind, path) pairs: kinds in turn, each kind's pages in turn, HTML and JSON alternately."""
    out, pos = [], {k: 0 for k in KINDS}
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        path = pages[kind][pos[kind] % len(pages[kind])]
        pos[kind] += 1
        if (i // len(KINDS)) % 2:
            base, _, query = path.partition("?")
            path = base + ".json" + (f"?{query}" if query else "")
        out.append((kind, path))
    return out


# ---------------------------------------------------------------- the clients

class Worker(threading.local):
    conn: http.client.HTTPConnection | None = None


def get(local: Worker, port: int, path: str) -> tuple[int | None, float, str, str]:
    """One GET on a kept-alive connection: (status or None, ms, X-Database-Modified, error)."""
    start = time.perf_counter()
    for attempt in (1, 2):  # a kept-alive connection the server closed is reopened once
        if local.conn is None:
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            local.conn.request("GET", path)
            resp = local.conn.getresponse()
            resp.read()
            return resp.status, (time.perf_counter() - start) * 1000, resp.getheader("X-Database-Modified", ""), ""
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
            local.conn.close()
            local.conn = None
            if attempt == 2:
                return None, (time.perf_counter() - start) * 1000, "", repr(exc)
        except OSError as exc:
            local.conn.close()
            local.conn = None
            return None, (time.perf_counter() - start) * 1000, "", repr(exc)
    raise AssertionError("unreachable")


def file_modified(db_file: Path) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(db_file.stat().st_mtime, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def datasette_load(args, port: int, db_file: Path, build: Path, log) -> dict:
    pages = datasette_pages(db_file)
    plan = request_list(pages, args.requests)  # taken in turn, again from the start if the rebuild lasts
    results: list[dict] = []
    lock = threading.Lock()
    state = {"next": 0, "rebuild_started": None, "rebuild_done": None, "after": 0, "new_modified": None,
             "rebuild_status": None}
    local = Worker()

    def rebuild() -> None:
        state["rebuild_started"] = time.monotonic()
        log(f"rebuilding {build} while serving")
        p = subprocess.run([str(BIN / "openness-kg"), "build", "--out", str(build), "-q"],
                           capture_output=True, text=True, env=os.environ)
        state["rebuild_status"] = p.returncode
        if p.returncode:
            log(f"rebuild failed:\n{p.stderr}")
        state["new_modified"] = file_modified(db_file)
        state["rebuild_done"] = time.monotonic()
        log(f"rebuild done in {state['rebuild_done'] - state['rebuild_started']:.0f} s")

    def work() -> None:
        while True:
            with lock:
                i = state["next"]
                done_enough = i >= args.requests and state["rebuild_done"] is not None and state["after"] >= args.after
                if done_enough:
                    return
                state["next"] += 1
                if i == args.requests // 4 and not args.no_rebuild:
                    threading.Thread(target=rebuild, daemon=True).start()
                phase = ("after" if state["rebuild_done"] is not None else
                         "during" if state["rebuild_started"] is not None else "before")
            kind, path = plan[i % len(plan)]
            status, ms, modified, err = get(local, port, path)
            with lock:
                if phase == "after":
                    state["after"] += 1
                results.append({"kind": kind, "path": path, "status": status, "ms": ms, "phase": phase,
                                "modified": modified, "error": err})

    if args.no_rebuild:
        state["rebuild_done"] = time.monotonic()
        state["after"] = args.after
    log(f"Datasette: {args.requests}+ requests at concurrency {args.concurrency}")
    start = time.monotonic()
    with ThreadPoolExecutor(args.concurrency) as pool:
        for _ in range(args.concurrency):
            pool.submit(work)
    wall = time.monotonic() - start
    stale = [r for r in results if r["phase"] == "after" and not args.no_rebuild
             and r["modified"] != state["new_modified"]]
    return {"results": results, "wall_s": wall, "stale_after_rebuild": len(stale),
            "rebuild_s": (state["rebuild_done"] - state["rebuild_started"]) if state["rebuild_started"] else None,
            "rebuild_status": state["rebuild_status"], "pages": {k: len(v) for k, v in pages.items()}}


def sparql_load(args, port: int, log) -> dict:
    from openness_kg.endpoint import _shape_problem

    lib = [q for q in library().values()]
    texts = [(q.name, _with_values(q.text, bindings(q, None))) for q in lib]
    plan = [texts[i % len(texts)] for i in range(args.sparql)]
    results: list[dict] = []
    local = threading.local()

    def one(item):
        name, text = item
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        body = urllib.parse.urlencode({"query": text})
        start = time.perf_counter()
        status, err = None, ""
        try:
            local.conn.request("POST", "/query", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
            resp = local.conn.getresponse()
            data = resp.read()
            status = resp.status
            if status == 200:
                err = _shape_problem(json.loads(data), "SELECT") or ""
        except (OSError, http.client.HTTPException, ValueError) as exc:
            err = repr(exc)
            local.conn.close()
            local.conn = None
        results.append({"kind": name, "status": status, "ms": (time.perf_counter() - start) * 1000, "error": err})

    log(f"SPARQL: {args.sparql} library queries at concurrency {args.concurrency}")
    start = time.monotonic()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(one, plan))
    return {"results": results, "wall_s": time.monotonic() - start}


# ---------------------------------------------------------------- report

def table(rows: list[dict], by: str, keys: list[str]) -> list[str]:
    lines = [f"| {by} | requests | errors | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|"]
    for key in keys:
        sel = [r for r in rows if key == "all" or r[by] == key]
        if not sel:
            continue
        errors = sum(1 for r in sel if r["status"] != 200 or r["error"])
        p = percentiles([r["ms"] for r in sel])
        lines.append(f"| {key} | {len(sel)} | {errors} | {p['p50']:.0f} | {p['p95']:.0f} | {p['p99']:.0f} | {p['max']:.0f} |")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=2000, help="Datasette requests (at least)")
    ap.add_argument("--after", type=int, default=200, help="Datasette requests after the rebuild (at least)")
    ap.add_argument("--sparql", type=int, default=500, help="SPARQL requests")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--no-rebuild", action="store_true", help="skip the rebuild during the Datasette load")
    ap.add_argument("--out", type=Path, help="also write the raw figures as JSON here")
    args = ap.parse_args()

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    os.environ.setdefault(paths.SOURCES_ENV, str(paths.sources_dir()))
    procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="okg-loadtest-") as tmp:
        build = Path(tmp) / "build"
        try:
            src = build_dir()
            log(f"copying {src} to {build}")
            shutil.copytree(src, build)
        except BuildNotReady as exc:
            log(f"{exc} Building into {build}")
            subprocess.run([str(BIN / "openness-kg"), "build", "--out", str(build), "-q"], check=True)
        db_file = build / DB_FILE
        try:
            dport, sport = free_port(), free_port()
            serve_log = open(Path(tmp) / "serve.log", "w")
            procs.append(subprocess.Popen([str(BIN / "openness-kg"), "serve", "--db", str(db_file), "-p", str(dport)],
                                          stdout=serve_log, stderr=subprocess.STDOUT))
            ox = shutil.which("oxigraph") or str(BIN / "oxigraph")
            log("loading the N-Quads dump into oxigraph")
            subprocess.run([ox, "load", "--location", str(Path(tmp) / "ox"), "--file", str(build / NQUADS_FILE)],
                           check=True, capture_output=True)
            ox_copy = Path(tmp) / "ox"
            procs.append(subprocess.Popen([ox, "serve-read-only", "--location", str(ox_copy), "--bind",
                                           f"127.0.0.1:{sport}", "--union-default-graph"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_for(dport, procs[0], "openness-kg serve")
            wait_for(sport, procs[1], "oxigraph serve-read-only")
            ds = datasette_load(args, dport, db_file, build, log)
            sp = sparql_load(args, sport, log)
        finally:
            for p in procs:
                p.terminate()
                p.wait(timeout=30)

    d_rows, s_rows = ds["results"], sp["results"]
    d_err = sum(1 for r in d_rows if r["status"] != 200 or r["error"])
    s_err = sum(1 for r in s_rows if r["status"] != 200 or r["error"])
    cpus = os.cpu_count()
    print(f"## Load test ({time.strftime('%Y-%m-%d')}, {platform.machine()}, {cpus} CPUs, "
          f"{platform.python_implementation()} {platform.python_version()}, loopback, concurrency {args.concurrency})")
    print()
    print(f"Datasette (`openness-kg serve`): {len(d_rows)} requests in {ds['wall_s']:.0f} s, {d_err} errors; "
          f"pages per kind: {ds['pages']}.")
    if ds["rebuild_s"] is not None:
        during = sum(1 for r in d_rows if r["phase"] == "during")
        after = sum(1 for r in d_rows if r["phase"] == "after")
        print(f"Rebuild while serving: {ds['rebuild_s']:.0f} s (exit {ds['rebuild_status']}), {during} requests "
              f"answered during it, {after} after it, {ds['stale_after_rebuild']} of those from the old database.")
    print()
    print("\n".join(table(d_rows, "kind", ["all", *KINDS])))
    print()
    if ds["rebuild_s"] is not None:
        print("\n".join(table(d_rows, "phase", ["before", "during", "after"])))
        print()
    print(f"SPARQL (`oxigraph serve-read-only`): {len(s_rows)} library queries in {sp['wall_s']:.0f} s, "
          f"{s_err} errors.")
    print()
    print("\n".join(table(s_rows, "kind", ["all"])))
    by_query = sorted({r["kind"] for r in s_rows}, key=lambda k: -max(r["ms"] for r in s_rows if r["kind"] == k))
    print()
    print("Slowest library queries on the server:")
    print()
    print("\n".join(table(s_rows, "kind", by_query[:5])))
    over = [k for k in by_query if max(r["ms"] for r in s_rows if r["kind"] == k) > 1000]
    print()
    print(f"Library queries with an answer over 1 s: {len(over)}" + (f" ({', '.join(over)})" if over else "") + ".")
    if args.out:
        args.out.write_text(json.dumps({"datasette": ds, "sparql": sp}, indent=1, default=str))
    failed = d_err or s_err or ds["stale_after_rebuild"] or (ds["rebuild_status"] not in (None, 0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
