"""Datasette plugin (loaded with ``datasette --plugins-dir``; ``openness-kg serve`` passes it):
read the schema of an immutable database once per server, not once per page.

Datasette 0.65's home and database pages ask, for every table, for its columns, primary keys
and full-text search table, and table and row pages ask for foreign keys and column details (and Datasette 0.65.5 looks
each table's name up in ``sqlite_master`` before every ``view-table`` permission check):
each question is a query sent to a worker thread. The export has about 130 tables (with the
full-text search shadow tables), so a database page sent about 400 such queries, about half its
time. An immutable database's schema cannot change while it is served, so this plugin keeps
each answer per (database, arguments), and forgets them when ``openness-kg serve`` follows a
rebuilt database to its new file. Mutable and in-memory databases are left alone. If a Datasette
release renames a method, that method is simply not cached.
"""
from __future__ import annotations

import copy
import functools

from datasette import hookimpl

# Database methods whose answer depends only on the database file's schema
SCHEMA_METHODS = ("table_names", "view_names", "table_columns", "table_column_details",
                  "primary_keys", "fts_table", "foreign_keys_for_table", "get_all_foreign_keys",
                  "table_exists")


async def generation(db):
    """The identity of the file ``db`` serves now: ``openness-kg serve``'s following database
    (``openness_kg_serving.py``) checks the file at its path and reopens it after a rebuild;
    any other database is one generation (None)."""
    check = getattr(db, "_check_file", None)
    return await check() if check is not None else None

# statements Datasette runs through ``Database.execute`` that only read the schema: the
# case-folding look-up of a table's name before every view-table permission check (0.65.5),
# about 250 of them on a database page
SCHEMA_SQL = ("select name from sqlite_master where type in ('table', 'view') and name = ? collate nocase",)


def _cached(db, method):
    state: dict = {"generation": None, "answers": {}}

    @functools.wraps(method)
    async def wrapper(*args):
        gen = await generation(db)
        if gen != state["generation"]:  # a rebuilt file: forget the old schema
            state["generation"], state["answers"] = gen, {}
        answers = state["answers"]
        if args not in answers:
            answers[args] = await method(*args)
        value = answers[args]
        # callers may change what they get (lists, dicts): hand each its own copy
        return copy.deepcopy(value) if isinstance(value, (list, dict)) else value

    wrapper.openness_kg_cached = True
    return wrapper


def _cached_execute(db, execute):
    """``db.execute`` answering the schema look-ups in :data:`SCHEMA_SQL` from a cache (per file),
    every other statement as before."""
    state: dict = {"generation": None, "answers": {}}

    @functools.wraps(execute)
    async def wrapper(sql, params=None, *args, **kwargs):
        if not sql.startswith(SCHEMA_SQL) or args or kwargs:
            return await execute(sql, params, *args, **kwargs)
        gen = await generation(db)
        if gen != state["generation"]:
            state["generation"], state["answers"] = gen, {}
        key = (sql, tuple(params) if isinstance(params, (list, tuple)) else repr(params))
        if key not in state["answers"]:
            state["answers"][key] = await execute(sql, params)
        return state["answers"][key]  # a Results object: callers only read its rows

    wrapper.openness_kg_cached = True
    return wrapper


@hookimpl
def startup(datasette):
    # run after every plugin's synchronous start-up (Datasette calls them all, then awaits what
    # they return), so the databases wrapped are the ones served
    async def wrap():
        for db in list(datasette.databases.values()):
            if db.is_mutable or db.is_memory:
                continue
            for name in SCHEMA_METHODS:
                method = getattr(db, name, None)
                if method is None or getattr(method, "openness_kg_cached", False):
                    continue
                setattr(db, name, _cached(db, method))
            if not getattr(db.execute, "openness_kg_cached", False):
                db.execute = _cached_execute(db, db.execute)

    return wrap
