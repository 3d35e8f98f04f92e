#!/usr/bin/env python3
"""Datasette benchmark: every kind of page of the SQLite export, against the same SQL run raw.

Run as ``.venv/bin/python bench/datasette_bench.py [--scale 1,10] [--requests 15] [--out FILE]``
(``make bench-datasette``). Not a pytest test: it prints ratios against a baseline measured in the
same run, so the numbers mean the same on a fast or a slow (or busy) machine.

For each scale (1 = the repo's ``data/``; 10 = the build benchmark's scale-up, see
``bench/build_bench.py``: the imported records copied nine more times) the database is written by
``openness-kg export sqlite --data DIR`` into a temporary folder (``--db SCALE=PATH`` uses an
existing file instead). Datasette serves it in this process as ``openness-kg serve`` does
(:func:`openness_kg.publish.datasette.datasette_app`: immutable, the project's metadata, settings
and plugins) and its own test client (``Datasette.client``, no network) asks for:

* **home** ``/``, **database** ``/openness-kg``;
* **table** pages with their default facets (``models``, ``claims``), the four largest tables, and
  the ``triples`` view; a **filter** of the view by subject (the first model's IRI);
* **row** pages (the first model; the ``rdf:type`` term, whose page counts the quads using it);
* **facet** pages (``artifacts`` by component, ``quads`` by predicate), **search** (``claims``
  and ``models`` full-text search);
* every **stored query** in ``metadata.yml`` with its default parameters.

Per page: one warm-up request, then ``--requests`` timed ones; the median wall time and the
median CPU time of this process (``time.process_time``: Datasette's threads included; on a shared
machine the wall time also holds the waits for a core). **raw** is the same SQL run with the
standard ``sqlite3`` module on its own connection: the statements Datasette ran for that page
(captured with Datasette's tracer), in order, median over the same number of runs. Targets:
median wall time under 100 ms at 1x and under 250 ms at 10x for every page. Also printed: the
first request (Datasette's start: it counts the rows of every table of an immutable database
once), the database size and its bytes per quad.

Progress goes to stderr; the result table (markdown, ready for the README) to stdout, and with
``--out FILE`` to FILE, with the raw numbers as JSON beside it (FILE with suffix ``.json``).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

TARGET_MS = {1: 100.0, 10: 250.0}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the databases

def export_db(data_dir: Path, out: Path) -> Path:
    """``openness-kg export sqlite --data data_dir --out out`` in a child process."""
    exe = Path(sys.executable).with_name("openness-kg")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "openness_kg.cli"]
    subprocess.run([*cmd, "export", "sqlite", "--data", str(data_dir), "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    return out


def make_db(scale: int, data: Path, work: Path) -> Path:
    from openness_kg.publish.database import DB_FILE

    if scale == 1:
        data_dir = data
    else:
        from build_bench import make_scaled_data  # the build benchmark's scale-up

        data_dir = work / "data"
        log(f"{scale}x: generating the data folder in {data_dir} ...")
        make_scaled_data(data, data_dir, scale)
    log(f"{scale}x: exporting the database (openness-kg export sqlite) ...")
    t0 = time.perf_counter()
    db = export_db(data_dir, work / DB_FILE)
    log(f"{scale}x: exported in {time.perf_counter() - t0:.0f} s")
    return db


# ------------------------------------------------------------------ the pages

def pages(db_path: Path) -> list[tuple[str, str]]:
    """``[(kind, path)]``: the pages to time, from what the database holds."""
    from openness_kg.publish.datasette import DATABASE, stored_queries

    d = f"/{DATABASE}"
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        views = {r[0] for r in conn.execute("select name from sqlite_master where type = 'view'")}
        counts = {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0]
                  for t in tables if not t.startswith("sqlite_") and "_fts" not in t}
        model, model_iri = conn.execute("select id, iri from models order by id limit 1").fetchone()
        rdf_type = (conn.execute("select id from terms where value = ? and term_type = 'iri'", [RDF_TYPE]).fetchone()
                    if "terms" in tables else None)
    finally:
        conn.close()
    out = [("home", "/"), ("database", d)]
    for t in ["models", "claims"] + sorted(counts, key=lambda t: (-counts[t], t))[:4]:
        if ("table", f"{d}/{t}") not in out:
            out.append(("table", f"{d}/{t}"))
    if "triples" in views:
        out.append(("table (view)", f"{d}/triples"))
        out.append(("filter (view)", f"{d}/triples?subject={quote(model_iri, safe='')}"))
    out.append(("row", f"{d}/models/{model}"))
    if rdf_type:
        out.append(("row", f"{d}/terms/{rdf_type[0]}"))
    out.append(("facet", f"{d}/artifacts?_facet=component"))
    if "quads" in tables:
        out.append(("facet", f"{d}/quads?_facet=predicate"))
    out += [("search", f"{d}/claims?_search=open"), ("search", f"{d}/models?_search=llama")]
    for q in stored_queries():
        qs = "&".join(f"{k}={quote(v, safe='')}" for k, v in q.params.items())
        out.append(("stored query", f"{d}/{q.name}" + (f"?{qs}" if qs else "")))
    return out


async def _time_pages(db_path: Path, paths: list[tuple[str, str]], n: int) -> dict:
    from datasette.tracer import capture_traces

    from openness_kg.publish.datasette import DATABASE, datasette_app

    ds = datasette_app(db_path)
    t0 = time.perf_counter()
    r = await ds.client.get("/")
    startup_ms = 1000 * (time.perf_counter() - t0)
    if r.status_code != 200:
        raise SystemExit(f"{db_path}: the home page answered {r.status_code}")
    results = []
    for kind, path in paths:
        traces: list[dict] = []
        with capture_traces(traces):
            r = await ds.client.get(path)  # warm-up; its SQL is the raw baseline's
        if r.status_code != 200:
            raise SystemExit(f"{db_path}: {path} answered {r.status_code}")
        sql = [(t["sql"], t.get("params")) for t in traces
               if t.get("type") == "sql" and t.get("database") == DATABASE]
        wall, cpu = [], []
        for _ in range(n):
            w0, c0 = time.perf_counter(), time.process_time()
            r = await ds.client.get(path)
            cpu.append(1000 * (time.process_time() - c0))
            wall.append(1000 * (time.perf_counter() - w0))
        results.append({"kind": kind, "path": path, "wall_ms": statistics.median(wall),
                        "cpu_ms": statistics.median(cpu), "bytes": len(r.content), "sql": sql})
    return {"startup_ms": startup_ms, "pages": results}


def raw_sql_ms(db_path: Path, statements: list[tuple[str, object]], n: int) -> float:
    """Median over ``n`` runs of running ``statements`` in order with ``sqlite3``, in ms."""
    from datasette.utils import escape_fts

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.create_function("escape_fts", 1, escape_fts)  # as Datasette's connections have it
    try:
        runs = []
        for _ in range(n + 1):
            t0 = time.perf_counter()
            for sql, params in statements:
                conn.execute(sql, params or ()).fetchall()
            runs.append(1000 * (time.perf_counter() - t0))
        return statistics.median(runs[1:])
    finally:
        conn.close()


def bench_db(scale: int, db_path: Path, n: int) -> dict:
    paths = pages(db_path)
    log(f"{scale}x: timing {len(paths)} pages, {n} requests each ...")
    run = asyncio.run(_time_pages(db_path, paths, n))
    for p in run["pages"]:
        p["raw_ms"] = raw_sql_ms(db_path, p.pop("sql"), n)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        quads = conn.execute(f"select count(*) from {'quads' if 'quads' in names else 'triples'}").fetchone()[0]
    finally:
        conn.close()
    size = db_path.stat().st_size
    run.update(scale=scale, db=str(db_path), db_bytes=size, quads=quads, bytes_per_quad=size / quads)
    return run


# ------------------------------------------------------------------ reporting

def machine_info() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version}


def table(result: dict) -> str:
    scales = sorted(result["runs"], key=int)
    head = ["kind", "page"]
    for s in scales:
        head += [f"{s}x wall ms", f"{s}x CPU ms", f"{s}x raw SQL ms", f"{s}x wall / raw"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    first = result["runs"][scales[0]]["pages"]
    by_scale = {s: {p["path"]: p for p in result["runs"][s]["pages"]} for s in scales}
    for i, p in enumerate(first):
        row = [p["kind"], f"`{p['path'][:60]}`"]
        for s in scales:
            other = result["runs"][s]["pages"]
            # the same page at each scale: by path, else by place (a row page's id may differ)
            q = by_scale[s].get(p["path"]) or (
                other[i] if len(other) == len(first) and other[i]["kind"] == p["kind"] else None)
            if q is None:
                row += ["-"] * 4
                continue
            ok = q["wall_ms"] < TARGET_MS.get(int(s), TARGET_MS[10])
            row += [f"{q['wall_ms']:.1f}" + ("" if ok else " ✗"), f"{q['cpu_ms']:.1f}", f"{q['raw_ms']:.2f}",
                    f"{q['wall_ms'] / max(q['raw_ms'], 0.01):.0f}x"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def summary(result: dict) -> str:
    out = []
    for s in sorted(result["runs"], key=int):
        run = result["runs"][s]
        walls = [p["wall_ms"] for p in run["pages"]]
        target = TARGET_MS.get(int(s), TARGET_MS[10])
        slow = [p["path"] for p in run["pages"] if p["wall_ms"] >= target]
        out.append(f"- {s}x: {run['quads']:,} quads, database {run['db_bytes'] / 1e6:.1f} MB "
                   f"({run['bytes_per_quad']:.0f} bytes per quad); first request (Datasette's start) "
                   f"{run['startup_ms']:.0f} ms; pages: median {statistics.median(walls):.1f} ms, "
                   f"slowest {max(walls):.1f} ms; {len(walls) - len(slow)} of {len(walls)} under "
                   f"{target:.0f} ms" + (f" (over: {', '.join(slow)})" if slow else ""))
    m = result["machine"]
    out.append(f"- machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, SQLite {m['sqlite']}; "
               f"load average {result['load_before']:.1f} before, {result['load_after']:.1f} after")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", default="1", help="comma-separated scales, e.g. 1,10 (default: 1)")
    ap.add_argument("--db", action="append", default=[], metavar="SCALE=PATH",
                    help="use an existing database for a scale instead of exporting one")
    ap.add_argument("--requests", type=int, default=15, help="timed requests per page (default 15)")
    ap.add_argument("--data", type=Path, default=REPO / "data", help="the 1x data folder (default: data/)")
    ap.add_argument("--out", type=Path, help="also write the table as markdown to FILE and the raw "
                    "numbers as JSON beside it (FILE with suffix .json)")
    ap.add_argument("--tmp", type=Path, default=None, help="folder for the temporary data and databases")
    ap.add_argument("--keep", action="store_true", help="keep the generated data and databases")
    args = ap.parse_args(argv)

    scales = sorted({int(s) for s in args.scale.split(",") if s.strip()})
    if not scales or min(scales) < 1:
        ap.error("--scale takes positive integers, e.g. 1,10")
    given = {}
    for item in args.db:
        s, _, p = item.partition("=")
        if not s.isdigit() or not Path(p).is_file():
            ap.error(f"--db {item}: expected SCALE=PATH of an existing file")
        given[int(s)] = Path(p)
    result: dict = {"machine": machine_info(), "requests": args.requests, "runs": {},
                    "load_before": os.getloadavg()[0]}
    tmp_root = Path(tempfile.mkdtemp(prefix="openness-kg-dsbench-", dir=args.tmp))
    try:
        for s in scales:
            work = tmp_root / f"scale{s}"
            work.mkdir()
            db = given.get(s) or make_db(s, args.data.resolve(), work)
            result["runs"][str(s)] = bench_db(s, db, args.requests)
    finally:
        if args.keep:
            log(f"kept {tmp_root}")
        else:
            shutil.rmtree(tmp_root, ignore_errors=True)
    result["load_after"] = os.getloadavg()[0]
    text = table(result) + "\n\n" + summary(result)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("# openness-kg Datasette benchmark\n\n" + text + "\n", encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
