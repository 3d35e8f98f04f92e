"""openness-kg: a knowledge graph of open and closed AI models.

>>> import openness_kg
>>> ds = openness_kg.load()          # rdflib.Dataset, one named graph per source
>>> rows = openness_kg.query("models-by-licence")   # list of dict rows, .to_pandas()
>>> st = openness_kg.store()         # pyoxigraph.Store
>>> G = openness_kg.to_networkx()    # networkx.MultiDiGraph
>>> db = openness_kg.database()      # sqlite_utils.Database of the SQLite export
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Dataset


__version__ = "0.1.0"
__all__ = ["load", "store", "query", "to_networkx", "database", "__version__"]

from .query import query, store  # noqa: E402
from .graph import to_networkx  # noqa: E402


def load(build_dir: Path | str | None = None, rebuild: bool = False) -> Dataset:
    """Return the knowledge graph as an ``rdflib.Dataset``.

    The default graph is the union of all named graphs (as in pyoxigraph and most SPARQL
    servers), so queries without ``GRAPH`` see every fact. Reads ``<build_dir>/openness-kg.nq``
    (default ``build/`` in the repository); builds it first when it is missing, older than the curated data or code, or when ``rebuild`` is true. Named
    graphs: ``https://w3id.org/openness-kg/graph/source/<source id>`` (one per source document),
    ``.../graph/curated``, ``.../graph/ontology`` and ``.../graph/dataset``.

    Raises ``openness_kg.records.ValidationFailed`` or ``openness_kg.build.ShaclFailed`` when a
    needed build fails.
    """
    from .build import ensure_built
    from .namespaces import PREFIXES

    ds = Dataset(default_union=True)
    ds.parse(ensure_built(build_dir, rebuild), format="nquads")
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    return ds


def database(build_dir: Path | str | None = None, rebuild: bool = False):
    """Return the SQLite export (``<build_dir>/openness-kg.db``, default ``build/``) as a
    read-only ``sqlite_utils.Database``, building it first like :func:`load`. Tables and columns:
    see :mod:`openness_kg.sqlite` and ``metadata.yml``.

    Raises what :func:`load` raises when a needed build fails.
    """
    import sqlite3

    import sqlite_utils

    from .build import ensure_built
    from .sqlite import DB_FILE

    path = ensure_built(build_dir, rebuild).parent / DB_FILE
    return sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
