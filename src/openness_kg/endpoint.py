"""A remote SPARQL 1.1 endpoint, read-only and within a total time limit; and the guard that lets
only query forms through, locally and remotely.

:func:`query_form` parses a query with rdflib's SPARQL parser (no evaluation) and accepts only the
four query forms, SELECT, ASK, CONSTRUCT and DESCRIBE: an update (``DROP``, ``INSERT``, ``LOAD``...)
is refused whatever its comments say. :func:`check_local` is the guard for the local engines
(updates and ``SERVICE`` clauses refused, other syntax errors left to the engine, whose messages
give line and column).

:func:`select` and :func:`ask` send one query to an endpoint with the SPARQL 1.1 protocol (POST,
form field ``query``: never ``update``), answer ``application/sparql-results+json``. Every failure
is a :class:`~openness_kg.sparql.QueryError` with a one-line message: a URL that is not
``http(s)://host...``, an unreachable server, an HTTP error or redirect, an answer that is not
SPARQL JSON results of the expected shape, an answer larger than :data:`MAX_ANSWER_BYTES`, and no
complete answer before the deadline. The deadline is total (connection, headers and body), so a
server that sends one byte every few seconds is cut off at it.
"""
from __future__ import annotations

import json
import re
import time
from typing import Any

from .sparql import QueryError

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # bytes of one answer; the whole graph as JSON results is ~40 MB
_TERM_TYPES = {"uri", "literal", "typed-literal", "bnode", "triple"}


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _parse(text: str):
    """rdflib's parse tree of ``text`` as a query, or the ``ParseException``."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text), None
    except ParseException as exc:
        return None, exc


def _update_kind(text: str) -> str | None:
    """The first operation's name (``DROP``, ``INSERT DATA``...) when ``text`` parses as a SPARQL
    update, else ``None``."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        ops = parseUpdate(text).request
    except (ParseException, RecursionError):
        return None
    names = {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
             "Modify": "DELETE/INSERT"}
    return next((names.get(op.name, op.name.upper()) for op in ops), "empty update")


def _refuse_update(text: str) -> None:
    kind = _update_kind(text)
    if kind is not None:
        raise QueryError(f"This is a SPARQL update ({kind}), not a query: only SELECT, ASK, CONSTRUCT "
                         f"and DESCRIBE are run; nothing was sent or changed.")


def _has_service(tree) -> bool:
    from pyparsing import ParseResults

    stack = [tree]
    while stack:
        node = stack.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(node, (ParseResults, list, tuple)):
            stack.extend(node)
        if isinstance(node, dict):
            stack.extend(node.values())
    return False


def query_form(text: str) -> str:
    """``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``: the form of the SPARQL query
    ``text``, read by rdflib's parser (comments are comments: ``DROP ALL # select`` is an
    update). Raises :class:`QueryError` for an update (naming its operation) or text that is not
    a query (with line and column). About 10 ms for a library query."""
    tree, exc = _parse(text)
    if tree is None:
        _refuse_update(text)
        raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {_one_line(exc.msg)}")
    return FORMS.get(tree[1].name, tree[1].name)


# Every SPARQL update operation starts with one of these keywords and a SERVICE clause with its
# own; rdflib also reads \u escapes outside strings. Text with none of them is neither.
_MAY_BE_UPDATE_OR_SERVICE = re.compile(r"\b(SERVICE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b|\\[uU]",
                                       flags=re.I)


def check_local(text: str) -> None:
    """The guard for a query run on the local build: raises :class:`QueryError` for an update
    and for a ``SERVICE`` clause (a local query never reaches other servers; pyoxigraph would
    wait on a silent one without limit); text that does not parse is left to the engine, whose
    syntax errors give line and column. Only text holding one of the update or ``SERVICE``
    keywords (or a ``\\u`` escape) is parsed, so a usual query costs no parser (rdflib's takes
    ~0.4 s to import)."""
    if not _MAY_BE_UPDATE_OR_SERVICE.search(text):
        return
    tree, _ = _parse(text)
    if tree is None:
        _refuse_update(text)
        return
    if _has_service(tree):
        raise QueryError("SERVICE clauses are refused on the local build (a local query does not reach "
                         "other servers); send the query to an endpoint with --endpoint instead.")


# ---------------------------------------------------------------- the HTTP client

def check_url(url: str):
    """``url`` split (``urllib.parse.SplitResult``), when it is ``http://`` or ``https://`` with
    a host; else :class:`QueryError`."""
    import urllib.parse

    try:
        u = urllib.parse.urlsplit(url)
        u.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError as exc:
        raise QueryError(f"'{_one_line(url, 80)}' is not an endpoint URL ({exc}).") from None
    if u.scheme not in ("http", "https") or not u.hostname:
        raise QueryError(f"'{_one_line(url, 80)}' is not an endpoint URL: give http://host[:port]/path "
                         f"or https://...")
    return u


def _user_agent() -> str:
    from importlib import metadata

    try:
        return f"openness-kg/{metadata.version('openness-kg')}"
    except metadata.PackageNotFoundError:
        return "openness-kg"


def _post(url: str, text: str, deadline: float) -> tuple[int, str, bytes, str]:
    """POST ``query=text`` to ``url``; ``(status, content type, body, location)``. A watchdog
    closes the socket at ``deadline`` (``time.monotonic()`` seconds), so no phase of the exchange
    can outlast it. (The HTTP modules are imported here: the local query path, which imports
    this module for :func:`check_local`, stays light.)"""
    import http.client
    import socket
    import threading
    import urllib.parse

    u = check_url(url)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise QueryError(f"The SPARQL endpoint {url} gave no complete answer in time.")
    cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    conn = cls(u.hostname, u.port, timeout=remaining)
    path = urllib.parse.urlunsplit(("", "", u.path or "/", u.query, ""))
    body = urllib.parse.urlencode({"query": text}).encode()
    fired = threading.Event()

    def cut() -> None:
        fired.set()
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(remaining, cut)
    timer.daemon = True
    timer.start()
    try:
        conn.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json", "User-Agent": _user_agent()})
        resp = conn.getresponse()
        chunks, size = [], 0
        while True:
            chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise QueryError(f"The SPARQL endpoint {url} sent more than {MAX_ANSWER_BYTES // 2**20} MB; "
                                 f"add a LIMIT to the query.")
            chunks.append(chunk)
            if fired.is_set():
                break
        if fired.is_set():
            raise socket.timeout()
        return resp.status, resp.getheader("Content-Type", ""), b"".join(chunks), resp.getheader("Location", "")
    except QueryError:
        raise
    except (socket.timeout, TimeoutError):
        raise QueryError(f"The SPARQL endpoint {url} gave no complete answer within "
                         f"{remaining:.0f} s.") from None
    except (OSError, http.client.HTTPException) as exc:
        if fired.is_set():
            raise QueryError(f"The SPARQL endpoint {url} gave no complete answer within "
                             f"{remaining:.0f} s.") from None
        reason = getattr(exc, "strerror", None) or _one_line(exc) or type(exc).__name__
        raise QueryError(f"Cannot reach the SPARQL endpoint {url}: {reason}") from None
    finally:
        timer.cancel()
        conn.close()


def _request(url: str, text: str, deadline: float, form: str) -> dict[str, Any]:
    got = query_form(text)
    if got != form:
        raise QueryError(f"Only {form} queries are supported here, not {got}.")
    status, ctype, body, location = _post(url, text, deadline)
    if 300 <= status < 400:
        raise QueryError(f"The SPARQL endpoint {url} answered HTTP {status} (a redirect to "
                         f"{_one_line(location, 100) or 'nowhere'}); give the final URL.")
    if status != 200:
        detail = _one_line(body[:400].decode("utf-8", "replace"))
        raise QueryError(f"The SPARQL endpoint {url} answered HTTP {status}" + (f": {detail}" if detail else "."))
    try:
        data = json.loads(body)
    except ValueError:
        start = _one_line(body[:60].decode("utf-8", "replace"), 60)
        raise QueryError(f"The SPARQL endpoint {url} did not answer with SPARQL JSON results "
                         f"(Content-Type '{_one_line(ctype, 60)}', starting '{start}').") from None
    problem = _shape_problem(data, form)
    if problem:
        raise QueryError(f"The SPARQL endpoint {url} answered JSON that is not SPARQL {form} results: {problem}.")
    return data


def _shape_problem(data: Any, form: str) -> str | None:
    """What is wrong with ``data`` as SPARQL 1.1 JSON results of a ``form`` query, or ``None``."""
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, not an object"
    if form == "ASK":
        return None if isinstance(data.get("boolean"), bool) else "no boolean 'boolean' member"
    head, results = data.get("head"), data.get("results")
    if not isinstance(head, dict) or not isinstance(head.get("vars"), list) \
            or not all(isinstance(v, str) for v in head["vars"]):
        return "no 'head.vars' list of names"
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        return "no 'results.bindings' list"
    for i, row in enumerate(results["bindings"]):
        if not isinstance(row, dict):
            return f"binding {i} is not an object"
        for var, term in row.items():
            if not isinstance(term, dict) or term.get("type") not in _TERM_TYPES \
                    or not isinstance(term.get("value"), (str, dict)):
                return f"binding {i}, variable '{_one_line(var, 40)}' is not an RDF term"
    return None


def select(url: str, text: str, deadline: float) -> tuple[list[str], list[dict[str, dict]]]:
    """Run the SELECT query ``text`` on the endpoint ``url`` before ``deadline``
    (``time.monotonic()`` seconds): ``(variables, bindings)`` as in SPARQL 1.1 JSON results
    (``{var: {"type": ..., "value": ...}}``, unbound variables absent). Raises :class:`QueryError`."""
    data = _request(url, text, deadline, "SELECT")
    return data["head"]["vars"], data["results"]["bindings"]


def ask(url: str, text: str, deadline: float) -> bool:
    """Run the ASK query ``text`` on the endpoint ``url`` before ``deadline``. Raises
    :class:`QueryError`."""
    return _request(url, text, deadline, "ASK")["boolean"]
