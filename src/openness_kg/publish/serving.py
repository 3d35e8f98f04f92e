"""The Datasette plugin of ``openness-kg serve`` (loaded from
``openness_kg/datasette_plugins/openness_kg_serving.py``, like the other plugins there, by
``--plugins-dir``): it bounds what one request can cost, sets security headers, hides the
database's path and follows a rebuilt database. The settings it works with are
:data:`openness_kg.publish.datasette.SERVE_SETTINGS`.

* **Time**: ``sql_time_limit_ms`` interrupts a query between SQLite
  instructions. A single huge value (``randomblob(1e9)``) is one instruction, so the plugin also
  sets SQLite's ``SQLITE_LIMIT_LENGTH`` to :data:`MAX_VALUE_BYTES` on every connection: such a
  query fails at once ("string or blob too big") instead of allocating a gigabyte.
* **Size**: at most ``max_returned_rows`` rows per query, and at most :data:`MAX_RESULT_BYTES`
  of text and blobs in one query's rows (counted as they are fetched; past it the query fails
  with a one-line error); CSV downloads stop at ``max_csv_mb``.
* **No writes**: the database is opened ``immutable`` (read-only) and Datasette runs only
  ``SELECT``; arbitrary SQL (``?sql=``) is on when listening on a loopback address and off
  elsewhere unless asked for (:func:`sql_allowed`); stored queries, tables, facets and
  search work either way.
* **Headers**: ``Content-Security-Policy``, ``X-Content-Type-Options``, ``X-Frame-Options``,
  ``Referrer-Policy`` and ``Cross-Origin-Opener-Policy`` on every response, and
  ``X-Database-Modified`` (the served file's modification time, UTC ISO 8601).
* **Path**: ``/-/databases`` (HTML and JSON) shows the database's file name, not its absolute path.
* **Rebuilds**: the build replaces ``build/`` as a whole, so the database is a new file at the
  same path. Before each query the file at the path is compared (inode, size, mtime) with the
  one the connection has open; when it changed, the thread's connection is reopened on the new
  file and Datasette's cached counts, size and schema are dropped. Requests never see a mix:
  each query runs on one file.
"""
from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

from datasette import hookimpl
from datasette.database import Database

PLUGIN_NAME = "openness-kg-serving"
MAX_VALUE_BYTES = 1_000_000  # the longest value in the database is ~4 kB; text fields are <= 10,000 characters
MAX_RESULT_BYTES = 20_000_000  # per query; a full page of 1,000 rows of the widest table is ~0.5 MB
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def sql_allowed(host: str, allow_sql: bool | None = None) -> bool:
    """Whether ``?sql=`` is on: ``allow_sql`` when given, else whether ``host`` is loopback."""
    return host in LOOPBACK if allow_sql is None else allow_sql


def sql_setting(host: str, allow_sql: bool | None = None) -> list[str]:
    """The ``datasette serve`` option for :func:`sql_allowed`: ``["--setting", "default_allow_sql", "on"]``
    or ``... "off"``."""
    return ["--setting", "default_allow_sql", "on" if sql_allowed(host, allow_sql) else "off"]


# ---------------------------------------------------------------- bounded results

class ResultTooLarge(sqlite3.DatabaseError):
    pass


_fetching = threading.local()


def _counting_row(cursor, row):
    """Datasette's ``sqlite3.Row``, after adding the row's text and blob bytes to its cursor's
    total; raises :class:`ResultTooLarge` past :data:`MAX_RESULT_BYTES`."""
    if getattr(_fetching, "cursor", None) is not cursor:
        _fetching.cursor, _fetching.bytes = cursor, 0  # holding the cursor keeps its id unique
    _fetching.bytes += sum(len(v) for v in row if isinstance(v, (str, bytes)))
    if _fetching.bytes > MAX_RESULT_BYTES:
        raise ResultTooLarge(f"the result is larger than {MAX_RESULT_BYTES // 1_000_000} MB; "
                             f"select fewer rows or columns")
    return sqlite3.Row(cursor, row)


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.row_factory = _counting_row


# ---------------------------------------------------------------- following a rebuilt file

def _identity(path: str) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None  # between the two renames of a fallback swap: keep the file open
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


class FollowingDatabase(Database):
    """An immutable Datasette database whose file may be replaced (by rename) while serving:
    each query runs on the file found at ``path`` when it starts. Raises nothing new."""

    def __init__(self, ds, path: str):
        super().__init__(ds, path=path, is_mutable=False)
        self.identity = _identity(path)
        self._local = threading.local()

    async def _check_file(self) -> tuple | None:
        now = _identity(self.path)
        if now is not None and now != self.identity:
            self.identity = now
            self.cached_hash = self.cached_size = self._cached_table_counts = None
            internal = self.ds.databases.get("_internal")
            if internal is not None and self.ds.internal_db_created:  # Datasette re-reads the schema
                await internal.execute_write("delete from databases where database_name = ?", [self.name])
        return self.identity

    async def execute_fn(self, fn):
        wanted = await self._check_file()
        if self.ds.executor is None:  # Datasette's non-threaded mode
            return await super().execute_fn(fn)

        def in_thread():
            conn, opened = getattr(self._local, "conn", None), getattr(self._local, "identity", None)
            if conn is None or opened != wanted:
                if conn is not None:
                    conn.close()
                    self._all_file_connections.remove(conn)
                conn = self.connect()
                self.ds._prepare_connection(conn, self.name)
                self._local.conn, self._local.identity = conn, wanted
            return fn(conn)

        return await asyncio.get_event_loop().run_in_executor(self.ds.executor, in_thread)


@hookimpl
def startup(datasette):
    for name, db in list(datasette.databases.items()):
        if name != "_internal" and not db.is_mutable and not db.is_memory and db.path \
                and not isinstance(db, FollowingDatabase):
            datasette.remove_database(name)
            datasette.add_database(FollowingDatabase(datasette, db.path), name=name, route=db.route)


# ---------------------------------------------------------------- headers and the path

def _modified(datasette) -> bytes | None:
    times = []
    for name, db in datasette.databases.items():
        if name != "_internal" and db.path:
            try:
                times.append(os.stat(db.path).st_mtime)
            except OSError:
                pass
    if not times:
        return None
    return datetime.fromtimestamp(max(times), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def wrapped(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            hide_path = scope.get("path", "").rstrip("/") in ("/-/databases", "/-/databases.json")
            held: list[dict] = []

            async def send_with_headers(message):
                if message["type"] == "http.response.start":
                    headers = [(k, v) for k, v in message.get("headers", [])
                               if k.lower() not in {h for h, _ in SECURITY_HEADERS}]
                    headers += SECURITY_HEADERS
                    modified = _modified(datasette)
                    if modified:
                        headers.append((b"x-database-modified", modified))
                    message = dict(message, headers=headers)
                if hide_path:
                    held.append(message)
                    if message["type"] == "http.response.body" and not message.get("more_body"):
                        await _send_without_paths(held, send, datasette)
                    return
                await send(message)

            await app(scope, receive, send_with_headers)
        return wrapped
    return wrap


async def _send_without_paths(messages: list[dict], send, datasette) -> None:
    """Re-send a held ``/-/databases`` response (JSON or HTML) with each database's absolute
    path replaced by its file name."""
    start, body = messages[0], b"".join(m.get("body", b"") for m in messages[1:])
    for name, db in datasette.databases.items():
        if db.path:
            body = body.replace(str(Path(db.path).resolve()).encode(), Path(db.path).name.encode())
            body = body.replace(str(db.path).encode(), Path(db.path).name.encode())
    headers = [(k, str(len(body)).encode() if k.lower() == b"content-length" else v)
               for k, v in start.get("headers", [])]
    await send(dict(start, headers=headers))
    await send({"type": "http.response.body", "body": body})
