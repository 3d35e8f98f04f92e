"""The readers: a finished build as rdflib, pyoxigraph, SQLite, networkx or query results.

Readers never build and never write. Each one finds the build folder (default ``build/`` in
the repository), checks its stamp (``build-info.json``, see :mod:`openness_kg.stamp`) and raises
:class:`BuildNotReady`, naming the command to run, when the build is missing, unfinished or older
than its data. The check reads one small JSON file and stats the files and folders it lists,
once per process and build: a later call with the same build (same stamp) skips it, so a data
file edited while a process reads is noticed by the next process, or after a rebuild.
"""
from __future__ import annotations

import os
import sqlite3
from functools import lru_cache
from pathlib import Path

from .. import paths
from ..stamp import BUILD_INFO, read_info, stale_reason

NQUADS_FILE = "openness-kg.nq"
DB_FILE = "openness-kg.db"
STORE_DIR = paths.STORE_DIR
"""The build's Oxigraph store on disk (RocksDB files, read-only for readers): opens in
milliseconds, where loading the N-Quads dump into memory takes about a second."""

_checked: dict[tuple, Path] = {}  # (folder, stamp mtime, check_stale) -> folder, checked once


class BuildNotReady(RuntimeError):
    """There is no finished, current build to read; the message names the command to run."""


def build_dir(path: Path | str | None = None, check_stale: bool = True) -> Path:
    """The build folder to read (``path``, default ``$OPENNESS_KG_BUILD`` or ``build/``) after
    checking it is finished and, unless ``check_stale`` is false, current. Raises
    :class:`BuildNotReady`."""
    d = Path(path) if path is not None else paths.build_dir()
    try:
        key = (str(d), os.stat(d / BUILD_INFO).st_mtime_ns, check_stale)
    except OSError:
        key = None
    if key in _checked:
        return _checked[key]
    cmd = "openness-kg build" + ("" if path is None else f" --out {d}")
    info = read_info(d)
    if info is None or not (d / NQUADS_FILE).is_file():
        raise BuildNotReady(f"No finished build in {d}/: run `{cmd}` (or `make build`) first.")
    if check_stale:
        why = stale_reason(info)
        if why:
            raise BuildNotReady(f"The build in {d}/ is out of date ({why}): run `{cmd}` (or `make build`).")
    if key is not None:
        _checked[key] = d
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


@lru_cache(maxsize=4)
def _disk_store_for(store_path: str, mtime_ns: int):
    import pyoxigraph as ox

    return ox.Store.read_only(store_path)


_opened: dict[tuple, tuple[str, int, object]] = {}  # store() argument -> (stamp, its mtime_ns, store)


def store(path: Path | str | None = None, in_memory: bool = True):
    """The build as a ``pyoxigraph.Store``, opened once per process and build. Query it with
    ``use_default_graph_as_union=True`` to see every named graph.

    ``in_memory=True`` (default): loaded from the N-Quads dump into memory (about a second at
    today's 160k quads; the fastest queries after that). ``in_memory=False``: the build's
    on-disk store (:data:`STORE_DIR`) opened read-only in milliseconds, each query 2-10x slower
    than in memory (for one query per process, as the ``query`` command runs); a build without
    that folder (an older one) is loaded into memory instead. The store must not be written to.
    Raises :class:`BuildNotReady`."""
    # a repeated call costs one stat of the stamp: the same stamp is the same, checked build
    key = (path if path is None else str(path), os.environ.get(paths.BUILD_ENV) if path is None else None, in_memory)
    seen = _opened.get(key)
    if seen is not None:
        try:
            if os.stat(seen[0]).st_mtime_ns == seen[1]:
                return seen[2]
        except OSError:
            pass
    d = build_dir(path)
    stamp = str(d / BUILD_INFO)
    st = None
    if not in_memory and (d / STORE_DIR).is_dir():
        try:
            st = _disk_store_for(str(d / STORE_DIR), os.stat(stamp).st_mtime_ns)
        except OSError:  # unreadable (another version's format, permissions): the dump still is
            pass
    if st is None:
        nq = d / NQUADS_FILE
        st = _store_for(str(nq), nq.stat().st_mtime)
    _opened[key] = (stamp, os.stat(stamp).st_mtime_ns, st)
    return st


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
          build_dir: Path | str | None = None, in_memory: bool = True, timeout: float = 30,
          **params: str):
    """Run a library query (by name), a ``.rq`` file or SPARQL text on the build.

    ``params`` bind the query's declared parameters: the bare slug (``model="phi-3"``,
    ``dimension="performance"``), ``<class>/<slug>`` (``model="model/phi-3"``), a prefixed
    name or a full IRI (see :func:`openness_kg.sparql.bind_param`). ``engine`` is
    ``"oxigraph"`` (default) or ``"rdflib"`` (rdflib's own SPARQL engine on an in-memory graph,
    for cross-checks; slow on joins); ``endpoint`` sends the query to a remote SPARQL endpoint
    instead (no build needed), within ``timeout`` seconds in all. ``in_memory=False`` runs on
    the build's on-disk store, which opens in milliseconds (see :func:`store`): for a single
    query in a fresh process. Only query forms run (SELECT; an update such as ``DROP ALL`` is
    refused whatever its comments say, before anything is sent), and a local query may not hold
    a ``SERVICE`` clause (:mod:`openness_kg.endpoint`). Returns a
    :class:`~openness_kg.sparql.Result` (list of dict rows, ``.variables``, ``.to_pandas()``).
    Raises :class:`~openness_kg.sparql.QueryError` for an unknown name (with suggestions), a
    parameter value not in the graph (naming the closest values), a syntax error (with line and
    column) or an unreachable endpoint, and :class:`BuildNotReady` when there is no build to
    read.
    """
    from ..endpoint import check_local
    from ..sparql import QueryError, resolve, run_endpoint, run_oxigraph, run_rdflib

    try:
        q = resolve(name_or_sparql)
    except QueryError:
        check_local(name_or_sparql)  # an update is refused as one, not as an unknown query name
        raise
    if endpoint:
        return run_endpoint(q, endpoint, params, timeout=timeout)
    check_local(q.text)
    if engine == "rdflib":
        return run_rdflib(q, _rdflib_dataset(nquads_path(build_dir)), params)
    if engine != "oxigraph":
        raise QueryError(f"Unknown engine '{engine}' (use oxigraph or rdflib).")
    return run_oxigraph(q, store(build_dir, in_memory=in_memory), params)


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
