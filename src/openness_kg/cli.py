"""Command line: ``openness-kg build | validate | verify-sources DIR | stats | queries | query |
analyze | export sqlite | serve | release | import osai|mof|fmti|epoch PATH | generate-schema``."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import paths


def _fail(lines: list, header: str) -> None:
    click.echo(header, err=True)
    for line in lines:
        click.echo(f"  {line}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="openness-kg")
def main() -> None:
    """openness-kg: a knowledge graph of open and closed AI models, every fact traceable to
    the passage of the source document that states it."""


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=paths.build_dir(),
              show_default=True, help="Build folder (replaced as a whole when the build succeeds).")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=paths.DATA_DIR, show_default=True, help="Folder of curated YAML files.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
def build(out_dir: Path, data_dir: Path, quiet: bool) -> None:
    """Run the pipeline (ingest, graph, check, analyse, publish): validate the data, build the
    knowledge graph, check it (SHACL shapes and violation queries), run the analyses, and write
    the TriG, N-Quads, Turtle and JSON-LD dumps, the SQLite database and analysis/. OUT is
    replaced as a whole, and only when every stage passes."""
    from .pipeline import build as run_build

    if not quiet:
        click.echo(f"Building openness-kg from {data_dir} into {out_dir}", err=True)
    with _failures(f"Build failed; {out_dir} is unchanged."):
        result = run_build(out_dir, data_dir, quiet=quiet)
    if not quiet:
        for fmt, p in result.files.items():
            size = sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.is_dir() else p.stat().st_size
            click.echo(f"  wrote {p} ({size:,} bytes)", err=True)
        click.echo(f"Built {len(result.catalogue)} records, {len(result.graph):,} quads.", err=True)


@contextmanager
def _failures(header: str):
    """Turn the pipeline's errors into one line per problem under ``header`` and exit 1."""
    from .check import CheckFailed
    from .ingest import ValidationFailed
    from .pipeline import NotABuildFolder

    try:
        yield
    except ValidationFailed as exc:
        _fail(exc.problems, f"{header} {len(exc.problems)} problem(s) in the curated data:")
    except CheckFailed as exc:
        _fail([*exc.violations, *exc.query_violations],
              f"{header} The graph failed {len(exc.violations)} SHACL and "
              f"{len(exc.query_violations)} violation-query check(s):")
    except NotABuildFolder as exc:
        _fail([], f"Error: {exc}")


def _reading(fn):
    """Run ``fn()``; a missing or stale build is a one-line error (exit 1), never a build."""
    from .read import BuildNotReady

    try:
        return fn()
    except BuildNotReady as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


@main.command()
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=paths.DATA_DIR, show_default=True, help="Folder of curated YAML files.")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (records and violation queries only).")
def validate(data_dir: Path, no_shacl: bool) -> None:
    """Check the data without writing anything: the records (schema, ids, references, spans,
    provenance), then the knowledge graph built from them: the violation queries and, unless
    --no-shacl, the SHACL shapes."""
    from .pipeline import checked_graph

    with _failures("Validation failed."):
        cat, kg = checked_graph(data_dir, quiet=True, shacl=not no_shacl)
    click.echo(f"OK: {len(cat)} records valid; {len(kg):,} quads pass the "
               f"{'violation queries' if no_shacl else 'SHACL shapes and violation queries'}.")


@main.command("verify-sources")
@click.argument("sources_dir", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=paths.DATA_DIR, show_default=True, help="Folder of curated YAML files.")
def verify_sources_cmd(sources_dir: Path | None, data_dir: Path) -> None:
    """Re-hash the source texts in SOURCES_DIR (default $OPENNESS_KG_SOURCES or ../shared/seeds)
    and check that every span lies within its source and covers some text."""
    from .ingest import ValidationFailed, load_records, verify_sources

    sources_dir = sources_dir or paths.sources_dir()
    if not sources_dir.is_dir():
        click.echo(f"Source folder not found: {sources_dir}", err=True)
        sys.exit(2)
    try:
        cat = load_records(data_dir)
    except ValidationFailed as exc:
        _fail(exc.problems, f"{len(exc.problems)} problem(s) in the curated data:")
    problems, counts = verify_sources(cat, sources_dir)
    if problems:
        _fail(problems, f"{len(problems)} provenance problem(s) against {sources_dir}:")
    click.echo(f"OK: {counts['sources']} source texts match their sha256; {counts['passages']} spans verified.")


@main.command()
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=paths.build_dir(),
              show_default=True, help="Build folder to read (made by `openness-kg build`).")
def stats(build_dir: Path) -> None:
    """Counts per class and per named graph, as tables."""
    from tabulate import tabulate

    from .read import store
    from .read.stats import class_counts, graph_counts

    st = _reading(lambda: store(build_dir))
    click.echo(tabulate(class_counts(st), headers=["class", "instances"], tablefmt="github"))
    click.echo()
    click.echo(tabulate(graph_counts(st), headers=["named graph", "triples", "records"], tablefmt="github",
                        intfmt=","))


@main.command("queries")
def queries_cmd() -> None:
    """List the SPARQL query library (queries/*.rq): name, title and parameters."""
    from tabulate import tabulate

    from .sparql import library

    rows = [(q.name, q.title, ", ".join(f"{p.name}={p.default}" for p in q.params)) for q in library().values()]
    click.echo(tabulate(rows, headers=["name", "title", "parameters (default)"], tablefmt="simple"))


@main.command("query")
@click.argument("name_or_file", required=False)
@click.option("-e", "--sparql", help="SPARQL text to run instead of a library query.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a query parameter (repeatable). VALUE is the bare slug, as in the SQLite "
                   "tables (model=llama-3-1, dimension=performance, developer=meta), <class>/<slug> "
                   "(model/llama-3-1), a prefixed name (okgid:model/llama-3-1) or a full IRI; a "
                   "parameter whose default is a literal takes a literal. A value not in the graph "
                   "is an error that names the closest ones.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True)
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True)
@click.option("--endpoint", metavar="URL", help="Send the query to this SPARQL 1.1 endpoint instead.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30, show_default=True,
              help="Seconds the endpoint has to answer, in all (with --endpoint).")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=paths.build_dir(),
              show_default=True)
def query_cmd(name_or_file, sparql, params, fmt, engine, endpoint, timeout, build_dir) -> None:
    """Run a library query (NAME), a .rq FILE, or -e SPARQL, and print the rows. Only queries
    run: a SPARQL update is refused before anything is sent."""
    from .read import query
    from .sparql import QueryError

    if bool(name_or_file) == bool(sparql):
        raise click.UsageError("Give a query NAME or FILE, or -e SPARQL (one of them).")
    kv = {}
    for p in params:
        if "=" not in p:
            raise click.BadParameter(f"'{p}' is not KEY=VALUE", param_hint="--param")
        k, v = p.split("=", 1)
        kv[k.strip()] = v.strip()
    try:
        # one query per process: the on-disk store opens in ms, loading the dump takes ~1 s
        result = _reading(lambda: query(sparql or name_or_file, engine=engine, endpoint=endpoint,
                                        build_dir=build_dir, in_memory=False, timeout=timeout, **kv))
    except QueryError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(result.format(fmt), nl=fmt == "table")


@main.command()
@click.option("--scope", default="seeds", show_default=True, metavar="seeds|all|SOURCE",
              help="Models counted: seeds (named by the source documents), all, or one source id.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=paths.build_dir() / "analysis", show_default=True, help="Folder for CSV, figures and report.md.")
@click.option("--no-parents", is_flag=True, help="Do not roll organisations up to their parent organisation.")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=paths.build_dir(),
              show_default=True, help="Build folder to read (made by `openness-kg build`).")
def analyze(scope: str, out_dir: Path, no_parents: bool, build_dir: Path) -> None:
    """Openness per model (MOF class, OSI-style status, score), labels against evidence,
    contested claims and power concentration: CSV tables, PNG+SVG figures and report.md in OUT
    (replaced as a whole only when everything is written). Reads the finished build."""
    from .analyse import run
    from .graph import KnowledgeGraph
    from .progress import step
    from .read import nquads_path

    click.echo(f"Analysing openness-kg (scope {scope}) into {out_dir}", err=True)
    nq = _reading(lambda: nquads_path(build_dir))
    with step("loading the graph"):
        kg = KnowledgeGraph.read(nq)
    try:
        with step(f"running the analyses (scope {scope})"):
            an = run(kg, scope=scope, parents=not no_parents)
    except ValueError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    with step("writing tables, figures and report"):
        files = an.write(out_dir)
    click.echo(f"Wrote {len(files)} files to {out_dir} ({len(an.tables)} tables, {len(an.graph)} derived triples).",
               err=True)

@main.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["sqlite"]))
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write.  [default: build/openness-kg.db]")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=paths.DATA_DIR, show_default=True, help="Folder of curated YAML files.")
def export(fmt: str, out_file: Path | None, data_dir: Path) -> None:
    """Export the knowledge graph in one FORMAT (sqlite: the database Datasette serves).

    Validates and builds the graph first; the file is replaced only when the export succeeds."""
    from .pipeline import analysed_graph, checked_graph
    from .progress import Timings
    from .publish import DB_FILE, write_sqlite

    out_file = out_file or paths.build_dir() / DB_FILE
    t = Timings()
    with _failures(f"Export failed; {out_file} is unchanged."):
        cat, kg = checked_graph(data_dir, timings=t)
        kg, an = analysed_graph(kg, timings=t)
    with t.step("publish-sqlite", f"writing the SQLite database ({out_file.name})"):
        write_sqlite(kg, out_file, extra_tables=an.tables)
    click.echo(f"wrote {out_file} ({out_file.stat().st_size:,} bytes)", err=True)


@main.command()
@click.option("--db", "db_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database to serve.  [default: build/openness-kg.db, made by `openness-kg build`]")
@click.option("--metadata", "metadata_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Datasette metadata.  [default: metadata.yml]")
@click.option("-h", "--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("-p", "--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
@click.option("--allow-sql/--no-sql", default=None,
              help="Allow arbitrary SQL (?sql=).  [default: allowed on a loopback HOST, refused elsewhere]")
def serve(db_file: Path | None, metadata_file: Path | None, host: str, port: int, allow_sql: bool | None) -> None:
    """Browse the SQLite database in Datasette (read-only, immutable) at http://HOST:PORT/, and
    the vocabulary docs (docs/schema/) at http://HOST:PORT/vocab/index.html and the analysis
    report beside the database at http://HOST:PORT/analysis/report.html. Never builds. After
    `openness-kg build` replaces the database, the next query reads the new one. Limits and
    headers: openness_kg.publish.serving."""
    from datasette.cli import cli as datasette_cli

    from .publish import serving
    from .publish.datasette import METADATA_FILE, STATIC_DIR, analysis_mount, serve_options
    from .read import DB_FILE, build_dir

    if db_file is None:
        db_file = _reading(lambda: build_dir()) / DB_FILE
    elif not db_file.exists():
        click.echo(f"Error: no database at {db_file}; run `openness-kg build` or `openness-kg export sqlite`.", err=True)
        sys.exit(1)
    metadata_file = metadata_file or METADATA_FILE
    sql = "allowed" if serving.sql_allowed(host, allow_sql) else "off"
    click.echo(f"Serving {db_file} with {metadata_file.name} at http://{host}:{port}/ (arbitrary SQL {sql}; "
               f"Ctrl-C to stop)", err=True)
    docs = ["--static", f"vocab:{paths.DOCS_DIR}"] if paths.DOCS_DIR.is_dir() else []  # /vocab/index.html
    docs += [o for name, folder in analysis_mount(db_file) for o in ("--static", f"{name}:{folder}")]  # /analysis/report.html
    datasette_cli.main(["serve", "-i", str(db_file), "--metadata", str(metadata_file),
                        "--static", f"okg:{STATIC_DIR}", *docs, *serve_options(),
                        *serving.sql_setting(host, allow_sql), "--host", host, "--port", str(port)],
                       prog_name="datasette")


@main.command()
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=paths.build_dir(),
              show_default=True, help="Finished build to release (made by `openness-kg build`).")
@click.option("--dist", "dist_dir", type=click.Path(file_okay=False, path_type=Path),
              default=paths.ROOT / "dist", show_default=True, help="Folder the release is written into.")
def release(build_dir: Path, dist_dir: Path) -> None:
    """Pack the finished build as release DIST/openness-kg-<version>/ (gzip-compressed dumps,
    SQLite database, analysis/, SSSOM mappings, DCAT + VoID and Croissant descriptions,
    CHANGELOG.md, CITATION.cff, SHA256SUMS) and DIST/openness-kg-<version>.tar.gz. The version
    comes from pyproject.toml, the date from CITATION.cff. Reads the build; never builds."""
    from .progress import step
    from .read import build_dir as finished_build
    from .release import ReleaseError, release_info
    from .release import release as run_release

    _reading(lambda: finished_build(build_dir))
    try:
        info = release_info()
        with step(f"writing release {info.version} ({info.date}) into {dist_dir}"):
            folder, archive = run_release(build_dir, dist_dir, info=info)
    except ReleaseError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {folder}/ and {archive} ({archive.stat().st_size:,} bytes)", err=True)


@main.command("import")
@click.argument("dataset", type=click.Choice(["osai", "mof", "fmti", "epoch"]))  # importers.REGISTRY (a test checks)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=paths.DATA_DIR, show_default=True,
              help="Data folder: reads crosswalk.yaml and the curated records, writes imported/<dataset>/.")
@click.option("--spdx-list", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="SPDX licence list (licenses.json) for resolving licence strings; default: the MOF "
                   "tool's (PATH/licenses.json for mof, PATH/../mof/licenses.json for osai).")
@click.option("--dry-run", is_flag=True, help="Report only; write nothing.")
@click.option("--allow-shrink", is_flag=True,
              help="Write the import even when it yields no record or fewer than half the records "
                   "of the current data/imported/<dataset>/.")
def import_cmd(dataset: str, path: Path, data_dir: Path, spdx_list: Path | None, dry_run: bool,
               allow_shrink: bool) -> None:
    """Import an openness index from its published files at PATH into data/imported/<dataset>/:
    osai (European Open Source AI Index: folder of system YAML files), mof (Model Openness
    Framework tool folder: models/, mof_schema.json, mof.settings.yml, licenses.json), fmti
    (Foundation Model Transparency Index folder with <edition>/<edition>_scores.csv) or epoch
    (Epoch AI folder with all_ml_systems.csv and the benchmark CSV files).

    Records that break the published format are reported (file, field, reason) and skipped; the
    rest import. Exit status 0 when everything imported, 3 when some records or fields were
    skipped (the import is still written), 1 when nothing could be imported (nothing written):
    the input or a file the whole import needs cannot be read, or the import yields no record or
    fewer than half the records of the current import (unless --allow-shrink).

    data/imported/<dataset>/ is replaced in one atomic step: an interrupted import leaves the
    whole old folder or the whole new one (and at most a hidden .<dataset>-* folder, which the
    next import removes)."""
    from .importers import DATASETS, ImportFailed, run_import
    from .progress import step

    try:
        with step(f"importing {DATASETS[dataset]} from {path}"):
            report, files = run_import(dataset, path, data_dir, write=not dry_run, spdx_list=spdx_list,
                                       allow_shrink=allow_shrink)
    except ImportFailed as exc:
        if exc.report is not None:
            click.echo(exc.report.text(), err=True, nl=False)
        click.echo(f"Import failed: {exc}; nothing written.", err=True)
        sys.exit(1)
    click.echo(report.text(), err=True, nl=False)
    if not dry_run:
        click.echo(f"wrote {data_dir / 'imported' / DATASETS[dataset]}/ ({', '.join(sorted(files))})", err=True)
    if report.issues and any(i.skipped for i in report.issues):
        sys.exit(3)


@main.command("generate-schema")
def generate_schema() -> None:
    """Regenerate schema/generated/ (OWL, SHACL, JSON Schema), metadata.yml (Datasette) and the
    HTML vocabulary docs (docs/schema/, LinkML's gen-doc) from schema/openness_kg.yaml,
    schema/datasette.yml, queries/sql/ and queries/*.rq."""
    from .publish.datasette import write_metadata
    from .schema import generate
    from .schema_docs import write_docs

    for p in generate():
        click.echo(f"wrote {p}")
    click.echo(f"wrote {write_metadata()}")
    docs = write_docs()
    click.echo(f"wrote {len(docs)} pages to {paths.DOCS_DIR}/")


if __name__ == "__main__":
    main()
