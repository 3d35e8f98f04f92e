"""The readers: a finished build as rdflib, pyoxigraph, SQLite, networkx or query results.

Readers never build and never write. Each one finds the build folder (default ``build/`` in
the repository), checks its stamp (``build-info.json``, see :mod:`openness_kg.stamp`) and raises
:class:`BuildNotReady`, naming the command to run, when the build is missing, unfinished or older
than its data. The check reads one small JSON file and the modification times of the data files.
"""
from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

from .. import paths
from ..stamp import read_info, stale_reason

NQUADS_FILE = "openness-kg.nq"
DB_FILE = "openness-kg.db"


class BuildNotReady(RuntimeError):
    """There is no finished, current build to read; the message names the command to run."""


def build_dir(path: Path | str | None = None, check_stale: bool = True) -> Path:
    """The build folder to read (``path``, default ``$OPENNESS_KG_BUILD`` or ``build/``) after
    checking it is finished and, unless ``check_stale`` is false, current. Raises
    :class:`BuildNotReady`."""
    d = Path(path) if path is not None else paths.build_dir()
    cmd = "openness-kg build" + ("" if path is None else f" --out {d}")
    info = read_info(d)
    if info is None or not (d / NQUADS_FILE).is_file():
        raise BuildNotReady(f"No finished build in {d}/: run `{cmd}` (or `make build`) first.")
    if check_stale:
        why = stale_reason(info)
        if why:
            raise BuildNotReady(f"The build in {d}/ is out of date ({why}): run `{cmd}` (or `make build`).")
    return d


def nquads_path(path: Path | str | None = None) -> Path:
    """The N-Quads dump of the finished build (see :func:`build_dir`)."""
    return build_dir(path) / NQUADS_FILE


@lru_cache(maxsize=4)
def _store_for(nq_path: str, mtime: float):
    import pyoxigraph as ox

    st = ox.Store()
    st.bulk_load(path=nq_path, format=ox.RdfFormat.N_QUADS)
    return st


def store(path: Path | str | None = None):
    """The build as an in-memory ``pyoxigraph.Store`` (read from the N-Quads dump once per
    process and build). Query it with ``use_default_graph_as_union=True`` to see every named
    graph. Raises :class:`BuildNotReady`."""
    nq = nquads_path(path)
    return _store_for(str(nq), nq.stat().st_mtime)


def load(path: Path | str | None = None):
    """The build as an ``rdflib.Dataset`` backed by Oxigraph (``oxrdflib``): rdflib's API with
    Oxigraph's parser and SPARQL engine. The default graph is the union of all named graphs, so
    queries without ``GRAPH`` see every fact. Named graphs:
    ``https://w3id.org/openness-kg/graph/source/<source id>`` (one per source document or
    imported dataset), ``.../graph/curated``, ``.../graph/derived``, ``.../graph/ontology`` and
    ``.../graph/dataset``. Raises :class:`BuildNotReady`."""
    from rdflib import Dataset

    from ..namespaces import PREFIXES

    ds = Dataset(store="Oxigraph", default_union=True)
    ds.parse(str(nquads_path(path)), format="ox-nquads")
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    return ds


def database(path: Path | str | None = None):
    """The SQLite export (``<build>/openness-kg.db``) as a read-only ``sqlite_utils.Database``.
    Tables and columns: :mod:`openness_kg.publish.database` and ``metadata.yml``. Raises
    :class:`BuildNotReady`."""
    import sqlite_utils

    db = build_dir(path) / DB_FILE
    return sqlite_utils.Database(sqlite3.connect(f"file:{db}?mode=ro", uri=True))


def query(name_or_sparql: str, *, engine: str = "oxigraph", endpoint: str | None = None,
          build_dir: Path | str | None = None, **params: str):
    """Run a library query (by name), a ``.rq`` file or SPARQL text on the build.

    ``params`` bind the query's declared parameters: the bare slug (``model="phi-3"``,
    ``dimension="performance"``), ``<class>/<slug>`` (``model="model/phi-3"``), a prefixed
    name or a full IRI (see :func:`openness_kg.sparql.bind_param`). ``engine`` is
    ``"oxigraph"`` (default) or ``"rdflib"`` (rdflib's own SPARQL engine on an in-memory graph,
    for cross-checks; slow on joins); ``endpoint`` sends the query to a remote SPARQL endpoint
    instead (no build needed). Returns a :class:`~openness_kg.sparql.Result` (list of dict
    rows, ``.variables``, ``.to_pandas()``). Raises :class:`~openness_kg.sparql.QueryError` for
    an unknown name (with suggestions), a parameter value not in the graph (naming the closest
    values), a syntax error (with line and column) or an unreachable endpoint, and
    :class:`BuildNotReady` when there is no build to read.
    """
    from ..sparql import QueryError, resolve, run_endpoint, run_oxigraph, run_rdflib

    q = resolve(name_or_sparql)
    if endpoint:
        return run_endpoint(q, endpoint, params)
    if engine == "rdflib":
        return run_rdflib(q, _rdflib_dataset(nquads_path(build_dir)), params)
    if engine != "oxigraph":
        raise QueryError(f"Unknown engine '{engine}' (use oxigraph or rdflib).")
    return run_oxigraph(q, store(build_dir), params)


def _rdflib_dataset(nq: Path):
    return _cached_rdflib(str(nq), nq.stat().st_mtime)


@lru_cache(maxsize=2)
def _cached_rdflib(nq_path: str, mtime: float):
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(nq_path, format="nquads")
    return ds


def to_networkx(path: Path | str | None = None, include_passages: bool = False):
    """The build as a ``networkx.MultiDiGraph``; see :func:`openness_kg.read.network.to_networkx`."""
    from .network import to_networkx as _to_networkx

    return _to_networkx(store(path), include_passages=include_passages)


__all__ = ["BuildNotReady", "build_dir", "database", "load", "query", "store", "to_networkx"]
