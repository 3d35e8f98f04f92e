#!/usr/bin/env python3
"""Read benchmark (queries and command line): the package against raw pyoxigraph, measured in
the same run.

Run as ``.venv/bin/python bench/read_bench.py [--build-dir build] [--repeat 7] [--out FILE]``
(``make bench-read``; needs a finished build: ``openness-kg build``). Not a pytest test: it
prints ratios against a baseline measured in the same run, so the numbers mean the same on a
fast or a slow (or busy) machine.

* **queries** — for every library query (``queries/*.rq``), in one process, on the one
  in-memory store the package holds (``openness_kg.store()``): the median wall time of
  ``openness_kg.query(name)`` (rows as dicts, freshness check, library lookup: everything a
  user pays) and of raw pyoxigraph on the same store (``Store.query`` of the same text, its
  defaults bound, every solution's terms read). Each repetition runs the two back to back, so
  a busy machine slows both. Targets: median package / raw ratio <= 1.2; no query over 100 ms
  on raw pyoxigraph.
* **cold CLI** — ``openness-kg query contested-claims --format csv`` and ``openness-kg --help``
  in fresh processes against ``python -c 'import pyoxigraph'`` (the interpreter's start and the
  engine's import: the floor of any command that queries), median wall time of ``--repeat``
  runs each, interleaved. Target: the query under 1 s wall.

Progress goes to stderr; the result tables (markdown, ready for the README) to stdout, and with
``--out FILE`` to FILE, with the raw numbers as JSON beside it (FILE with suffix ``.json``).
Exit status 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RATIO_LIMIT = 1.2      # median over the library of package time / raw pyoxigraph time
QUERY_LIMIT_MS = 100.0  # every library query on raw pyoxigraph
CLI_LIMIT_S = 1.0      # cold `openness-kg query`, wall


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bench_queries(build_dir: Path, repeat: int) -> list[dict]:
    """Per library query: median package and raw times (ms), rows, ratio."""
    import openness_kg
    from openness_kg.sparql import bindings, library, _with_values

    st = openness_kg.store(build_dir)  # loaded once, shared by both sides
    out = []
    for name, q in library().items():
        text = _with_values(q.text, bindings(q, None))

        def raw():
            return [tuple(s) for s in st.query(text, use_default_graph_as_union=True)]

        def package():
            return openness_kg.query(name, build_dir=build_dir)

        assert len(raw()) == len(package()), name  # same answer; also warms both paths
        raw_s, pkg_s = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            rows = raw()
            raw_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            package()
            pkg_s.append(time.perf_counter() - t)
        r, p = statistics.median(raw_s) * 1000, statistics.median(pkg_s) * 1000
        out.append({"query": name, "rows": len(rows), "raw_ms": r, "package_ms": p, "ratio": p / r})
        log(f"  {name}: raw {r:.2f} ms, package {p:.2f} ms ({p / r:.2f}x)")
    return out


def cli_command() -> list[str]:
    """The installed ``openness-kg`` script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).parent / "openness-kg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "openness_kg.cli"]


def bench_cli(build_dir: Path, repeat: int) -> dict[str, float]:
    """Median wall seconds of each cold command, interleaved run by run."""
    cmds = {
        "import pyoxigraph (floor)": [sys.executable, "-c", "import pyoxigraph"],
        "openness-kg --help": cli_command() + ["--help"],
        "openness-kg query contested-claims --format csv":
            cli_command() + ["query", "contested-claims", "--format", "csv", "--build-dir", str(build_dir)],
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(repeat):
        for k, cmd in cmds.items():
            t = time.perf_counter()
            res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            times[k].append(time.perf_counter() - t)
            if res.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed: {res.stderr.strip()}")
    return {k: statistics.median(v) for k, v in times.items()}


def report(queries: list[dict], cli: dict[str, float], meta: dict) -> tuple[str, bool]:
    ratios = [q["ratio"] for q in queries]
    med = statistics.median(ratios)
    slow = [q for q in queries if q["raw_ms"] > QUERY_LIMIT_MS]
    floor = cli["import pyoxigraph (floor)"]
    cold = cli["openness-kg query contested-claims --format csv"]
    ok = med <= RATIO_LIMIT and not slow and cold < CLI_LIMIT_S
    lines = [f"Read benchmark ({meta['date']}, commit {meta['commit']}; {meta['machine']}; "
             f"{meta['quads']:,} quads; median of {meta['repeat']} runs)", "",
             "| query | rows | raw pyoxigraph ms | package ms | package / raw |", "|---|---:|---:|---:|---:|"]
    for q in sorted(queries, key=lambda q: -q["raw_ms"]):
        lines.append(f"| {q['query']} | {q['rows']} | {q['raw_ms']:.2f} | {q['package_ms']:.2f} | {q['ratio']:.2f} |")
    lines += ["", f"**median package / raw: {med:.2f}x** (target <= {RATIO_LIMIT}); slowest on raw pyoxigraph: "
              f"{max(queries, key=lambda q: q['raw_ms'])['query']} {max(q['raw_ms'] for q in queries):.1f} ms "
              f"(target <= {QUERY_LIMIT_MS:.0f} ms{'; over: ' + ', '.join(q['query'] for q in slow) if slow else ''})",
              "", "| cold command | wall s | / import pyoxigraph |", "|---|---:|---:|"]
    for k, v in cli.items():
        lines.append(f"| `{k}` | {v:.3f} | {v / floor:.1f}x |")
    lines += ["", f"cold query {cold:.2f} s wall (target < {CLI_LIMIT_S:.0f} s); "
              f"{'all targets met' if ok else 'TARGET MISSED'}"]
    return "\n".join(lines) + "\n", ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir", type=Path, default=None, help="finished build (default: build/)")
    ap.add_argument("--repeat", type=int, default=7, help="runs per query and per command (median)")
    ap.add_argument("--out", type=Path, help="also write the tables here (and the numbers as .json)")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from openness_kg import paths
    from openness_kg.read import BuildNotReady, build_dir
    from openness_kg.stamp import read_info

    try:
        bdir = build_dir(args.build_dir or paths.build_dir())
    except BuildNotReady as exc:
        log(f"Error: {exc}")
        return 1
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    meta = {"date": dt.date.today().isoformat(), "commit": commit, "repeat": args.repeat,
            "quads": (read_info(bdir) or {}).get("quads", 0),
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                       f"Python {platform.python_version()}, load average {os.getloadavg()[1]:.1f} at the start"}
    log(f"library queries on {bdir} ({args.repeat} runs each)")
    queries = bench_queries(bdir, args.repeat)
    log("cold commands")
    cli = bench_cli(bdir, args.repeat)
    text, ok = report(queries, cli, meta)
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps({"meta": meta, "queries": queries, "cli": cli},
                                                            indent=2) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
