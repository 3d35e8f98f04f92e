"""Datasette plugin (loaded with ``datasette --plugins-dir``; ``openness-kg serve`` passes it):
count the rows of every table *and view* of an immutable database once, when the server starts,
and give Datasette those counts as its inspect data (what ``datasette inspect`` writes and
``--inspect-file`` reads).

Datasette 0.65 counts a table page's rows with ``select count(*)`` on every request unless the
inspect data holds the count; for tables it keeps the counts after the first database page, but
it never keeps a view's. The ``triples`` view over ``quads`` and ``terms`` (about 150,000 rows)
took about 190 ms of count per unfiltered page at 1x, 0.7 s at the benchmark's 10x. The database
is served immutable; when ``openness-kg serve`` follows a rebuilt database to its new file, the
counts are taken again before its first query. A filtered page still counts its own rows.
Databases that already have inspect data (``--inspect-file``) and mutable ones are left alone.
"""
from __future__ import annotations

from datasette import hookimpl
from datasette.utils import escape_sqlite


async def _count(datasette, name: str, db) -> None:
    """Count every table and view of ``db`` and store the counts as its inspect data."""
    views = set(await db.view_names())
    counts = {}
    for t in [*await db.table_names(), *sorted(views)]:
        try:
            rows = await db.execute(f"select count(*) from {escape_sqlite(t)}", custom_time_limit=10_000)
            counts[t] = {"count": rows.first()[0]}
        except Exception:  # an FTS5 shadow table or a view that fails to count: skip
            continue
    data = dict(datasette.inspect_data or {})
    data.pop(name, None)
    datasette.inspect_data = data
    db.cached_hash = db.cached_size = None  # read off the file, not the inspect data
    data[name] = {"hash": db.hash, "size": db.size, "file": str(db.path), "tables": counts}
    # the database page lists what these counts name: tables only, as `datasette inspect`
    # counts them (Datasette would otherwise read them off the inspect data)
    db._cached_table_counts = {t: c["count"] for t, c in counts.items() if t not in views}


def _follow(datasette, name: str, db) -> None:
    """Recount when ``openness-kg serve``'s following database (``openness_kg_serving.py``)
    finds a rebuilt file at its path: the old counts are dropped before the first query on the
    new file."""
    original = getattr(db, "_check_file", None)
    if original is None or getattr(original, "openness_kg_counts", False):
        return
    state = {"identity": getattr(db, "identity", None)}

    async def check_file():
        identity = await original()
        if identity != state["identity"]:
            state["identity"] = identity  # first: the recount's own queries pass straight through
            data = dict(datasette.inspect_data or {})
            data.pop(name, None)
            datasette.inspect_data = data
            await _count(datasette, name, db)
        return identity

    check_file.openness_kg_counts = True
    db._check_file = check_file


@hookimpl
def startup(datasette):
    # awaited after every plugin's synchronous start-up, so these are the databases served
    async def count_all():
        known = set(datasette.inspect_data or {})
        for name, db in list(datasette.databases.items()):
            if db.is_mutable or db.is_memory or name in known or name.startswith("_"):
                continue
            await _count(datasette, name, db)
            _follow(datasette, name, db)

    return count_all
