"""Datasette plugin (loaded with ``datasette --plugins-dir``; ``openness-kg serve`` passes it):
answer each table's ``allow`` rules from the metadata once per server, not once per check.

Datasette 0.65 checks the ``view-table`` permission of every table on the home and database
pages, and each check (``Datasette._table_permission_allows``) deep-copies the whole metadata to
find that table's ``allow`` blocks. ``metadata.yml`` describes about 70 tables and 400 columns
and the database has about 120 tables (with the full-text search tables), so a home page made
about 250 copies of 1.3 ms: 300 ms of a 320 ms page. The answer depends only on the metadata,
which Datasette reads once when it starts, and on the (database, table) pair, so this plugin
keeps it per server. Permission results are unchanged: ``allow`` blocks still apply, and the
cache is dropped if the metadata object is replaced. If a Datasette release drops or renames
the method, the plugin does nothing.
"""
from __future__ import annotations

from datasette import hookimpl


@hookimpl
def startup(datasette):
    original = getattr(datasette, "_table_permission_allows", None)
    if original is None or getattr(original, "openness_kg_cached", False):
        return
    cache: dict[tuple, list] = {}

    def table_permission_allows(database, table):
        key = (id(getattr(datasette, "_metadata_local", None)), database, table)
        allows = cache.get(key)
        if allows is None:
            allows = cache[key] = original(database, table)
        return list(allows)

    table_permission_allows.openness_kg_cached = True
    datasette._table_permission_allows = table_permission_allows
