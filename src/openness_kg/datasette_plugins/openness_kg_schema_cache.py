"""Datasette plugin (loaded with ``datasette --plugins-dir``; ``openness-kg serve`` passes it):
read the schema of an immutable database once per server, not once per page.

Datasette 0.65's home and database pages ask, for every table, for its columns, primary keys
and full-text search table, and table and row pages ask for foreign keys and column details:
each question is a query sent to a worker thread. The export has about 130 tables (with the
full-text search shadow tables), so a database page sent about 400 such queries, about half its
time. An immutable database's schema cannot change while it is served, so this plugin keeps
each answer per (database, arguments). Mutable and in-memory databases are left alone. If a Datasette
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


def _cached(method):
    cache: dict = {}

    @functools.wraps(method)
    async def wrapper(*args):
        if args not in cache:
            cache[args] = await method(*args)
        value = cache[args]
        # callers may change what they get (lists, dicts): hand each its own copy
        return copy.deepcopy(value) if isinstance(value, (list, dict)) else value

    wrapper.openness_kg_cached = True
    return wrapper


@hookimpl
def startup(datasette):
    for db in list(datasette.databases.values()):
        if db.is_mutable or db.is_memory:
            continue
        for name in SCHEMA_METHODS:
            method = getattr(db, name, None)
            if method is None or getattr(method, "openness_kg_cached", False):
                continue
            setattr(db, name, _cached(method))
