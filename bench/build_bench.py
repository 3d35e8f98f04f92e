#!/usr/bin/env python3
"""Build benchmark: ``openness-kg build`` against a floor measured in the same run.

Run as ``.venv/bin/python bench/build_bench.py [--scale 1,10] [--out FILE]`` (``make bench``).
Not a pytest test: it prints ratios against a baseline measured in the same run, so the numbers
mean the same on a fast or a slow (or busy) machine.

For each scale (1 = the repo's ``data/``; N > 1 = a data folder generated from it, see below):

* **build** — ``openness-kg build --data DIR --out TMP -q`` in a child process; its CPU seconds
  (user + sys) and peak RSS come from ``os.wait4`` of that child, wall time from the clock. The
  stages come from ``TMP/build-info.json`` (stages of the same name summed).
* **floor** — three fresh child processes, each timing only its work with
  ``time.process_time`` (the child's whole CPU, interpreter start included, is reported too):

  a. ``yaml``: libyaml's C loader (``yaml.CSafeLoader``) reading every record file the build reads;
  b. ``rdf``: pyoxigraph parsing the build's N-Quads dump into a list of quads and serialising
     it as TriG, N-Quads, Turtle (the union triples) and JSON-LD into a temporary folder;
  c. ``sqlite``: raw ``executemany`` of the same quads (graph, subject, predicate, object,
     object_type, datatype, language) into a new database file in one transaction, plus two
     indexes (subject, predicate).

  floor = a + b + c; the target is build CPU / floor <= 4 at 1x (today's data).
* **scale-up** — for N > 1 the records under ``data/imported/`` are replicated N - 1 more times,
  copy k in ``data/imported/<dataset>-xk/``, every imported id suffixed ``-xk`` and every
  reference to an imported id renamed the same way (references to curated records, and the
  ``dataset_record`` sources and locators, kept; an imported record with a curated record's id
  only adds fields to it and is not copied). Targets at 10x: build CPU and peak RSS grow at
  most 11x.
* **memory** — the 1x peak RSS is compared with ``bench/baseline.json`` (today's, written by
  ``--write-baseline``): at most that, give or take ``--rss-tolerance`` (RSS moves by a few MB
  from run to run).

Progress goes to stderr; the result tables (markdown, ready for the README) to stdout, and with
``--out FILE`` to FILE, with the raw numbers as JSON beside it (FILE with suffix ``.json``).
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_BASELINE = BENCH_DIR / "baseline.json"
IMPORTED = "imported"
STAGE_ORDER = ["ingest", "graph", "check", "analyse", "publish-dumps", "publish-sqlite",
               "publish-analysis"]
RATIO_LIMIT = 4.0     # build CPU / floor CPU at 1x
GROWTH_LIMIT = 11.0   # 10x data: build CPU and peak RSS grow at most this much
HEARTBEAT_S = 30.0


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the data files

def record_files(data_dir: Path) -> list[Path]:
    """The YAML files the build reads (``openness_kg.paths.data_files``)."""
    from openness_kg.paths import data_files

    return data_files(data_dir)


# ------------------------------------------------------------------ child processes

def run_measured(cmd: list[str], label: str, stdout=subprocess.DEVNULL, env=None,
                 heartbeat: bool = False) -> dict:
    """Run ``cmd`` to completion; returns its exit code, CPU seconds (user, sys) and peak RSS
    from ``os.wait4`` (this child and the children it waited for), and wall seconds."""
    err = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=err, stdin=subprocess.DEVNULL, env=env,
                            cwd=REPO)
    next_beat = t0 + HEARTBEAT_S
    try:
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG if heartbeat else 0)
            if pid:
                break
            now = time.perf_counter()
            if now >= next_beat:
                log(f"  {label}: still running ({now - t0:.0f} s)")
                next_beat += HEARTBEAT_S
            time.sleep(0.2)
    except BaseException:
        proc.send_signal(signal.SIGTERM)
        raise
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err.seek(0)
    stderr = err.read().decode("utf-8", "replace")
    err.close()
    return {"returncode": proc.returncode, "cpu_s": ru.ru_utime + ru.ru_stime,
            "user_s": ru.ru_utime, "sys_s": ru.ru_stime,
            "maxrss_mb": ru.ru_maxrss / 1024.0,  # Linux: kilobytes
            "wall_s": wall, "stderr": stderr}


def build_command() -> list[str]:
    exe = Path(sys.executable).parent / "openness-kg"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "openness_kg.cli"]


def run_build(data_dir: Path, out_dir: Path, label: str) -> dict:
    log(f"{label}: openness-kg build --data {data_dir} --out {out_dir} -q")
    res = run_measured(build_command() + ["build", "--data", str(data_dir), "--out", str(out_dir), "-q"],
                       f"{label} build", heartbeat=True)
    if res["returncode"] != 0:
        sys.stderr.write(res["stderr"][-5000:])
        raise SystemExit(f"{label}: the build failed (exit status {res['returncode']})")
    info = json.loads((out_dir / "build-info.json").read_text(encoding="utf-8"))
    stages: dict[str, dict] = {}
    for s in info.get("stages", []):
        agg = stages.setdefault(s["stage"], {"wall_s": 0.0, "cpu_s": 0.0, "labels": []})
        agg["wall_s"] += float(s.get("wall_s", 0.0))
        agg["cpu_s"] += float(s.get("cpu_s", 0.0))
        if s.get("label") and s["label"] not in agg["labels"]:
            agg["labels"].append(s["label"])
    res.pop("stderr")
    res.update(records=info.get("records"), quads=info.get("quads"), stages=stages)
    log(f"{label}: build done: {res['cpu_s']:.1f} s CPU, {res['wall_s']:.1f} s wall, "
        f"peak RSS {res['maxrss_mb']:.0f} MB, {res['records']} records, {res['quads']} quads")
    return res


def run_floor(data_dir: Path, build_dir: Path, work: Path, label: str) -> dict:
    parts = {}
    for part in ("yaml", "rdf", "sqlite"):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--floor-part", part,
               "--data", str(data_dir), "--build-dir", str(build_dir), "--work", str(work / part)]
        (work / part).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile() as out:
            res = run_measured(cmd, f"{label} floor {part}", stdout=out)
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
        if res["returncode"] != 0:
            sys.stderr.write(res["stderr"][-5000:])
            raise SystemExit(f"{label}: floor part {part} failed (exit status {res['returncode']})")
        inner = json.loads(text.strip().splitlines()[-1])
        parts[part] = {"cpu_s": inner["cpu_s"], "wall_s": inner["wall_s"], "detail": inner.get("detail"),
                       "process_cpu_s": res["cpu_s"], "process_maxrss_mb": res["maxrss_mb"]}
        shutil.rmtree(work / part, ignore_errors=True)
        log(f"{label}: floor {part}: {inner['cpu_s']:.2f} s CPU (process {res['cpu_s']:.2f} s) "
            f"{inner.get('detail') or ''}")
    total = sum(p["cpu_s"] for p in parts.values())
    return {"parts": parts, "cpu_s": total,
            "process_cpu_s": sum(p["process_cpu_s"] for p in parts.values())}


# ------------------------------------------------------------------ the floor parts (children)

def floor_yaml(data_dir: Path, build_dir: Path, work: Path) -> str:
    import yaml
    files = record_files(data_dir)
    n = 0
    size = 0
    for p in files:
        text = p.read_text(encoding="utf-8")
        size += len(text)
        doc = yaml.load(text, Loader=yaml.CSafeLoader)
        n += sum(len(v) for v in doc.values() if isinstance(v, list)) if isinstance(doc, dict) else 0
    return f"({len(files)} files, {size / 1e6:.1f} MB, {n} list items)"


def _dump_prefixes(build_dir: Path) -> dict[str, str]:
    """The prefixes the build's TriG dump declares (so the floor's dumps use the same ones)."""
    out = {}
    trig = build_dir / "openness-kg.trig"
    if trig.exists():
        with trig.open(encoding="utf-8") as f:
            for line in f:
                if not line.startswith("@prefix"):
                    break
                _, name, iri, *_ = line.split()
                out[name.rstrip(":")] = iri.strip("<>")
    return out


def floor_rdf(data_dir: Path, build_dir: Path, work: Path) -> str:
    import pyoxigraph as ox
    prefixes = _dump_prefixes(build_dir)
    quads = list(ox.parse(path=str(build_dir / "openness-kg.nq"), format=ox.RdfFormat.N_QUADS))
    triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    ox.serialize(quads, str(work / "floor.trig"), ox.RdfFormat.TRIG, prefixes=prefixes)
    ox.serialize(quads, str(work / "floor.nq"), ox.RdfFormat.N_QUADS)
    ox.serialize(triples, str(work / "floor.ttl"), ox.RdfFormat.TURTLE, prefixes=prefixes)
    ox.serialize(quads, str(work / "floor.jsonld"), ox.RdfFormat.JSON_LD, prefixes=prefixes)
    return f"({len(quads)} quads, {len(triples)} union triples)"


def floor_sqlite_rows(quads):
    import pyoxigraph as ox
    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    for q in quads:
        s, o = q.subject, q.object
        if isinstance(o, ox.Literal):
            lang = o.language
            dt_ = None if lang else o.datatype.value
            yield (q.graph_name.value, str(s) if isinstance(s, ox.BlankNode) else s.value,
                   q.predicate.value, o.value, "literal",
                   None if dt_ == xsd_string else dt_, lang)
        else:
            bnode = isinstance(o, ox.BlankNode)
            yield (q.graph_name.value, str(s) if isinstance(s, ox.BlankNode) else s.value,
                   q.predicate.value, str(o) if bnode else o.value, "bnode" if bnode else "iri",
                   None, None)


def floor_sqlite(data_dir: Path, build_dir: Path, work: Path, quads=None) -> str:
    import sqlite3
    con = sqlite3.connect(str(work / "floor.db"), isolation_level=None)
    con.execute("BEGIN")
    con.execute("CREATE TABLE triples (graph TEXT, subject TEXT, predicate TEXT, object TEXT, "
                "object_type TEXT, datatype TEXT, language TEXT)")
    con.executemany("INSERT INTO triples VALUES (?, ?, ?, ?, ?, ?, ?)", floor_sqlite_rows(quads))
    con.execute("CREATE INDEX triples_subject ON triples (subject)")
    con.execute("CREATE INDEX triples_predicate ON triples (predicate)")
    con.execute("COMMIT")
    n = con.execute("SELECT count(*) FROM triples").fetchone()[0]
    con.close()
    size = (work / "floor.db").stat().st_size
    return f"({n} rows, {size / 1e6:.1f} MB)"


def floor_child(part: str, data_dir: Path, build_dir: Path, work: Path) -> None:
    """Run one floor part in this (fresh) process; print ``{"cpu_s", "wall_s", "detail"}``."""
    kwargs = {}
    if part == "sqlite":  # the quads are read first, untimed: parsing them is part "rdf"
        import pyoxigraph as ox
        kwargs["quads"] = list(ox.parse(path=str(build_dir / "openness-kg.nq"), format=ox.RdfFormat.N_QUADS))
    elif part == "rdf":
        import pyoxigraph  # noqa: F401  (importing it is not the work)
    else:
        import yaml  # noqa: F401
    fn = {"yaml": floor_yaml, "rdf": floor_rdf, "sqlite": floor_sqlite}[part]
    c0, t0 = time.process_time(), time.perf_counter()
    detail = fn(data_dir, build_dir, work, **kwargs)
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    print(json.dumps({"cpu_s": cpu, "wall_s": wall, "detail": detail}))


# ------------------------------------------------------------------ the scaled-up data folder

def _make_loader():
    import yaml
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # keeps dates as strings, as the build's loader does
        pass

    Loader.yaml_implicit_resolvers = {
        k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def _make_dumper():
    """libyaml's emitter writing the importers' canonical style: records as block mappings, lists
    of scalars and citations (``{source: ..., locator: ..., supports: [...]}``) on one line."""
    import yaml
    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):
        pass

    def list_repr(dumper, data):
        flow = all(not isinstance(x, (dict, list)) for x in data)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    def dict_repr(dumper, data):
        flow = "id" not in data and all(
            not isinstance(v, dict) and not (isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v))
            for v in data.values())
        return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)

    Dumper.add_representer(list, list_repr)
    Dumper.add_representer(dict, dict_repr)
    return Dumper


def make_scaled_data(src: Path, dest: Path, scale: int) -> dict:
    """Copy ``src`` (a data folder) to ``dest`` and add ``scale - 1`` renamed copies of the records
    under ``src/imported/``; returns counts. Needs the project's schema (reference fields)."""
    import yaml
    from openness_kg.namespaces import CLASS_SEGMENTS
    from openness_kg.schema import get_schema

    seg_classes = {v: k for k, v in CLASS_SEGMENTS.items()}
    schema = get_schema()
    containers = schema.container_classes()
    loader, dumper = _make_loader(), _make_dumper()

    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".*"))
    imported_root = dest / IMPORTED
    docs: dict[Path, dict] = {}
    all_keys: set[tuple[str, str]] = set()
    imported_keys: set[tuple[str, str]] = set()
    curated_keys: set[tuple[str, str]] = set()
    for p in record_files(dest):
        doc = yaml.load(p.read_text(encoding="utf-8"), Loader=loader)
        if not isinstance(doc, dict):
            continue
        is_imported = IMPORTED in p.relative_to(dest).parts[:-1]
        if is_imported:
            docs[p] = doc
        for key, items in doc.items():
            cls = containers.get(key)
            if cls is None or not isinstance(items, list):
                continue
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    all_keys.add((cls, item["id"]))
                    (imported_keys if is_imported else curated_keys).add((cls, item["id"]))

    # an imported record with a curated record's id only adds fields to it (the catalogue merges
    # them; its dataset_record supports just those fields): it is not copied, and references
    # to it stay references to the curated record
    imported_keys -= curated_keys
    counts = {"copies": scale - 1, "imported_records": 0, "records_written": 0,
              "refs_renamed": 0, "refs_kept": 0, "files_written": 0}
    subclasses: dict[str, list[str]] = {}

    def rename(value, range_cls: str, suffix: str):
        if not isinstance(value, str):
            return value
        if "/" in value:
            seg, slug = value.split("/", 1)
            if (seg_classes.get(seg), slug) in imported_keys:
                counts["refs_renamed"] += 1
                return f"{seg}/{slug}{suffix}"
            counts["refs_kept"] += 1
            return value
        cands = subclasses.setdefault(range_cls, schema.subclasses(range_cls))
        hits = [c for c in cands if (c, value) in all_keys]
        if len(hits) == 1 and (hits[0], value) in imported_keys:
            counts["refs_renamed"] += 1
            return value + suffix
        counts["refs_kept"] += 1
        return value

    def rename_refs(obj: dict, cls: str, suffix: str) -> None:
        slots = schema.slots(cls)
        for name, value in list(obj.items()):
            info = slots.get(name)
            if info is None or info.kind != "class":
                continue
            if info.inlined:
                for sub in (value if isinstance(value, list) else [value]):
                    if isinstance(sub, dict):
                        rename_refs(sub, info.range, suffix)
            elif isinstance(value, list):
                obj[name] = [rename(v, info.range, suffix) for v in value]
            else:
                obj[name] = rename(value, info.range, suffix)

    for doc in docs.values():
        counts["imported_records"] += sum(len(v) for k, v in doc.items()
                                          if k in containers and isinstance(v, list))
    for k in range(2, scale + 1):
        suffix = f"-x{k}"
        for p, doc in docs.items():
            rel = p.relative_to(imported_root)
            top = rel.parts[0] if len(rel.parts) > 1 else "imported"
            out = imported_root / f"{top}{suffix}" / Path(*rel.parts[1:]) if len(rel.parts) > 1 \
                else imported_root / f"{top}{suffix}" / rel.name
            new = copy.deepcopy(doc)
            for key, items in new.items():
                cls = containers.get(key)
                if cls is None or not isinstance(items, list):
                    continue
                items[:] = [i for i in items if not (isinstance(i, dict) and (cls, i.get("id")) in curated_keys)]
                for item in items:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        item["id"] += suffix
                        rename_refs(item, cls, suffix)
                        counts["records_written"] += 1
            out.parent.mkdir(parents=True, exist_ok=True)
            header = (f"# Generated by bench/build_bench.py: copy {k} of data/imported/{rel} "
                      f"(ids suffixed {suffix}).\n")
            out.write_text(header + yaml.dump(new, Dumper=dumper, sort_keys=False, allow_unicode=True,
                                              width=100), encoding="utf-8")
            counts["files_written"] += 1
    return counts


# ------------------------------------------------------------------ reporting

def machine_info() -> dict:
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_gb = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        mem_gb = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {"cpu": model, "cores": os.cpu_count(), "mem_gb": round(mem_gb, 1) if mem_gb else None,
            "python": platform.python_version(), "loadavg_start": os.getloadavg(),
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "commit": commit}


def fmt(x, nd=1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def mark(ok: bool | None) -> str:
    return "–" if ok is None else ("✓" if ok else "✗")


def stage_table(run: dict) -> str:
    b = run["build"]
    names = [s for s in STAGE_ORDER if s in b["stages"]] + [s for s in b["stages"] if s not in STAGE_ORDER]
    lines = ["| stage | wall s | CPU s | % of build CPU |", "|---|---:|---:|---:|"]
    staged = 0.0
    for n in names:
        s = b["stages"][n]
        staged += s["cpu_s"]
        lines.append(f"| {n} | {s['wall_s']:.1f} | {s['cpu_s']:.1f} | {100 * s['cpu_s'] / b['cpu_s']:.0f}% |")
    other = b["cpu_s"] - staged
    lines.append(f"| (start-up, imports, outside stages) | – | {other:.1f} | {100 * other / b['cpu_s']:.0f}% |")
    lines.append(f"| **build (child process)** | {b['wall_s']:.1f} | {b['cpu_s']:.1f} | 100% |")
    return "\n".join(lines)


def floor_table(run: dict) -> str:
    f, b = run["floor"], run["build"]
    lines = ["| floor part | CPU s | process CPU s |", "|---|---:|---:|"]
    names = {"yaml": "libyaml CSafeLoader, every record file",
             "rdf": "pyoxigraph: parse N-Quads, write TriG/N-Quads/Turtle/JSON-LD",
             "sqlite": "sqlite3 executemany of the quads + 2 indexes"}
    for part, p in f["parts"].items():
        lines.append(f"| {part}: {names[part]} {p.get('detail') or ''} | {p['cpu_s']:.2f} | {p['process_cpu_s']:.2f} |")
    lines.append(f"| **floor** | {f['cpu_s']:.2f} | {f['process_cpu_s']:.2f} |")
    lines.append(f"| **build / floor** | {b['cpu_s'] / f['cpu_s']:.1f}x | |")
    return "\n".join(lines)


def summary(result: dict) -> str:
    m = result["machine"]
    runs = result["runs"]
    scales = sorted(runs, key=int)
    head = "| | " + " | ".join(f"{s}x" for s in scales)
    top = str(max(int(s) for s in scales))
    if len(scales) > 1:
        head += f" | {top}x / 1x | target |"
    else:
        head += " | target |"
    sep = "|---|" + "---:|" * len(scales) + ("---:|---|" if len(scales) > 1 else "---|")
    checks = result["checks"]

    def row(label, key, nd=1, target="", growth=False):
        vals = [key(runs[s]) for s in scales]
        cells = " | ".join(fmt(v, nd) for v in vals)
        line = f"| {label} | {cells}"
        if len(scales) > 1:
            g = vals[-1] / vals[0] if growth and vals[0] else None
            line += f" | {fmt(g, 1) + 'x' if g is not None else ''}"
        return line + f" | {target} |"

    ratio_ok = checks.get("ratio_1x_ok")
    rss_ok = checks.get("rss_vs_baseline_ok")
    cpu_g_ok = checks.get("cpu_growth_ok")
    rss_g_ok = checks.get("rss_growth_ok")
    base = result.get("baseline") or {}
    lines = [
        f"Build benchmark, {m['date'][:10]}, commit {m['commit'] or '?'}: {m['cpu']}, {m['cores']} cores"
        + (f", {m['mem_gb']} GB" if m.get("mem_gb") else "") + f", Python {m['python']}"
        + f" (load average at start {m['loadavg_start'][0]:.1f}).",
        "",
        head, sep,
        row("records", lambda r: r["build"]["records"], growth=True),
        row("quads", lambda r: r["build"]["quads"], growth=True),
        row("build CPU s", lambda r: r["build"]["cpu_s"], growth=True,
            target=(f"growth ≤ {GROWTH_LIMIT:g}x {mark(cpu_g_ok)}" if cpu_g_ok is not None else "")),
        row("build wall s", lambda r: r["build"]["wall_s"], growth=True),
        row("build peak RSS MB", lambda r: r["build"]["maxrss_mb"], nd=0, growth=True,
            target="; ".join(filter(None, [
                (f"1x ≤ baseline {base['maxrss_mb']:.0f} MB {mark(rss_ok)}" if rss_ok is not None else ""),
                (f"growth ≤ {GROWTH_LIMIT:g}x {mark(rss_g_ok)}" if rss_g_ok is not None else "")]))),
    ]
    for part in ("yaml", "rdf", "sqlite"):
        lines.append(row(f"floor: {part} CPU s", lambda r, p=part: r["floor"]["parts"][p]["cpu_s"], nd=2, growth=True))
    lines.append(row("floor CPU s", lambda r: r["floor"]["cpu_s"], nd=2, growth=True))
    lines.append(row("build CPU / floor", lambda r: r["build"]["cpu_s"] / r["floor"]["cpu_s"],
                     target=f"1x ≤ {RATIO_LIMIT:g} {mark(ratio_ok)}"))
    names = []
    for s in scales:
        names += [n for n in runs[s]["build"]["stages"] if n not in names]
    names = [n for n in STAGE_ORDER if n in names] + [n for n in names if n not in STAGE_ORDER]
    for n in names:
        lines.append(row(f"stage {n} CPU s", lambda r, n=n: r["build"]["stages"].get(n, {}).get("cpu_s"),
                         growth=True))
    if "1" in runs and rss_ok is None:
        lines += ["", "(no peak-memory baseline: `--write-baseline` records today's in bench/baseline.json)"]
    elif base:
        lines += ["", f"Peak-memory baseline: {base['maxrss_mb']:.0f} MB, {base.get('date', '?')[:10]}, "
                  f"commit {base.get('commit') or '?'} (bench/baseline.json); "
                  f"tolerance {100 * result['rss_tolerance']:.0f}% for run-to-run noise."]
    return "\n".join(lines)


def evaluate(result: dict, rss_tolerance: float) -> dict:
    runs = result["runs"]
    checks: dict = {}
    if "1" in runs:
        r = runs["1"]
        checks["ratio_1x"] = r["build"]["cpu_s"] / r["floor"]["cpu_s"]
        checks["ratio_1x_ok"] = checks["ratio_1x"] <= RATIO_LIMIT
        base = result.get("baseline")
        if base and base.get("maxrss_mb"):
            checks["rss_vs_baseline"] = r["build"]["maxrss_mb"] / base["maxrss_mb"]
            checks["rss_vs_baseline_ok"] = checks["rss_vs_baseline"] <= 1.0 + rss_tolerance
    if "1" in runs and "10" in runs:
        a, b = runs["1"]["build"], runs["10"]["build"]
        checks["cpu_growth"] = b["cpu_s"] / a["cpu_s"]
        checks["cpu_growth_ok"] = checks["cpu_growth"] <= GROWTH_LIMIT
        checks["rss_growth"] = b["maxrss_mb"] / a["maxrss_mb"]
        checks["rss_growth_ok"] = checks["rss_growth"] <= GROWTH_LIMIT
    return checks


# ------------------------------------------------------------------ main

def bench_scale(scale: int, data: Path, tmp_root: Path, keep: bool) -> dict:
    label = f"{scale}x"
    run: dict = {"scale": scale}
    work = Path(tempfile.mkdtemp(prefix=f"scale{scale}-", dir=tmp_root))
    if scale == 1:
        data_dir = data
    else:
        data_dir = work / "data"
        log(f"{label}: generating the data folder in {data_dir} ...")
        t0 = time.perf_counter()
        run["generated"] = make_scaled_data(data, data_dir, scale)
        log(f"{label}: generated in {time.perf_counter() - t0:.1f} s: {run['generated']}")
    run["data_dir"] = str(data_dir)
    out_dir = work / "build"
    run["build"] = run_build(data_dir, out_dir, label)
    print(f"\n### {label}: build stages ({run['build']['records']} records, {run['build']['quads']} quads)\n",
          flush=True)
    print(stage_table(run), flush=True)
    log(f"{label}: measuring the floor ...")
    run["floor"] = run_floor(data_dir, out_dir, work / "floor", label)
    print(f"\n### {label}: floor (same data, same quads)\n", flush=True)
    print(floor_table(run), flush=True)
    ratio = run["build"]["cpu_s"] / run["floor"]["cpu_s"]
    verdict = f"within {RATIO_LIMIT:g}x" if ratio <= RATIO_LIMIT else f"NOT within {RATIO_LIMIT:g}x"
    print(f"\n{label}: build {run['build']['cpu_s']:.1f} s CPU / floor {run['floor']['cpu_s']:.2f} s CPU "
          f"= {ratio:.1f}x ({verdict})\n", flush=True)
    if keep:
        log(f"{label}: kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return run


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", default="1", help="comma-separated scales, e.g. 1,10 (default: 1)")
    ap.add_argument("--out", type=Path, help="also write the summary as markdown to FILE and the raw "
                    "numbers as JSON beside it (FILE with suffix .json)")
    ap.add_argument("--data", type=Path, default=REPO / "data", help="the 1x data folder (default: data/)")
    ap.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE,
                    help="today's numbers, for 'peak memory at most today's' (default: bench/baseline.json)")
    ap.add_argument("--write-baseline", action="store_true",
                    help="write this run's 1x numbers to --baseline")
    ap.add_argument("--rss-tolerance", type=float, default=0.05,
                    help="peak RSS may exceed the baseline by this fraction (run-to-run noise; default 0.05)")
    ap.add_argument("--tmp", type=Path, default=None, help="folder for temporary data and builds")
    ap.add_argument("--keep", action="store_true", help="keep the generated data and builds")
    ap.add_argument("--generate-only", type=Path, metavar="DIR",
                    help="only write the scaled data folder (the largest --scale) to DIR and exit")
    # internal: one floor part in a fresh process
    ap.add_argument("--floor-part", choices=["yaml", "rdf", "sqlite"], help=argparse.SUPPRESS)
    ap.add_argument("--build-dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.floor_part:
        floor_child(args.floor_part, args.data, args.build_dir, args.work)
        return 0

    scales = sorted({int(s) for s in args.scale.split(",") if s.strip()})
    if not scales or min(scales) < 1:
        ap.error("--scale takes positive integers, e.g. 1,10")
    data = args.data.resolve()
    if args.generate_only:
        counts = make_scaled_data(data, args.generate_only, max(scales))
        log(f"generated {args.generate_only}: {counts}")
        return 0

    result: dict = {"machine": machine_info(), "scales": scales, "rss_tolerance": args.rss_tolerance,
                    "runs": {}}
    if args.baseline and args.baseline.exists():
        result["baseline"] = json.loads(args.baseline.read_text(encoding="utf-8"))
    log(f"machine: {result['machine']['cpu']}, {result['machine']['cores']} cores; scales {scales}")
    tmp_root = Path(tempfile.mkdtemp(prefix="openness-kg-bench-", dir=args.tmp))
    try:
        for s in scales:
            result["runs"][str(s)] = bench_scale(s, data, tmp_root, args.keep)
    finally:
        if not args.keep:
            shutil.rmtree(tmp_root, ignore_errors=True)
    result["checks"] = evaluate(result, args.rss_tolerance)
    text = summary(result)
    print("\n## Summary\n")
    print(text)
    ok = [v for k, v in result["checks"].items() if k.endswith("_ok")]
    print(f"\ntargets met: {sum(ok)} of {len(ok)}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        body = ["# openness-kg build benchmark", "", text, ""]
        for s in sorted(result["runs"], key=int):
            body += [f"## {s}x: build stages", "", stage_table(result["runs"][s]), "",
                     f"## {s}x: floor", "", floor_table(result["runs"][s]), ""]
        args.out.write_text("\n".join(body), encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        log(f"wrote {args.out} and {args.out.with_suffix('.json')}")
    if args.write_baseline and "1" in result["runs"]:
        b = result["runs"]["1"]["build"]
        base = {"date": result["machine"]["date"], "commit": result["machine"]["commit"],
                "cpu": result["machine"]["cpu"], "records": b["records"], "quads": b["quads"],
                "maxrss_mb": round(b["maxrss_mb"], 1), "cpu_s": round(b["cpu_s"], 2),
                "floor_cpu_s": round(result["runs"]["1"]["floor"]["cpu_s"], 2)}
        args.baseline.write_text(json.dumps(base, indent=2) + "\n", encoding="utf-8")
        log(f"wrote the baseline {args.baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
