"""openness-kg: a knowledge graph of open and closed AI models.

>>> import openness_kg
>>> ds = openness_kg.load()          # rdflib.Dataset (Oxigraph-backed), one named graph per source
>>> rows = openness_kg.query("models-by-licence")   # list of dict rows, .to_pandas()
>>> st = openness_kg.store()         # pyoxigraph.Store
>>> G = openness_kg.to_networkx()    # networkx.MultiDiGraph
>>> db = openness_kg.database()      # sqlite_utils.Database of the SQLite export

These read a finished build (``openness-kg build`` or ``make build`` writes it); they never
build, and raise :class:`BuildNotReady` naming the command to run when there is none or it is
older than the data. The pipeline's stages are :mod:`.ingest`, :mod:`.graph`, :mod:`.check`,
:mod:`.analyse` and :mod:`.publish`, run in order by :mod:`.pipeline`.
"""
from __future__ import annotations

from .read import BuildNotReady, database, load, query, store, to_networkx


def __getattr__(name: str):
    if name == "__version__":  # read from the installed package's metadata (pyproject.toml)
        from .paths import version

        return version()
    raise AttributeError(f"module 'openness_kg' has no attribute {name!r}")


__all__ = ["load", "store", "query", "to_networkx", "database", "BuildNotReady", "__version__"]
