"""No write path through `openness-kg query`, and every SPARQL endpoint failure is a one-line
error within the time limit (issue 14). The endpoints here are small stdlib HTTP servers on
127.0.0.1 in a thread, each answering one way (garbage, HTML, JSON of the wrong shape, a byte
at a time...) and recording what reached it; one test (marked ``endpoint``) runs the real
`oxigraph` server with a writable store."""
from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from openness_kg.cli import main
from openness_kg.endpoint import check_local, query_form
from openness_kg.sparql import QueryError, resolve, run_endpoint

SELECT_ANSWER = {"head": {"vars": ["model", "n"]},
                 "results": {"bindings": [
                     {"model": {"type": "uri", "value": "https://w3id.org/openness-kg/id/model/phi-3"},
                      "n": {"type": "literal", "value": "3",
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}},
                     {"model": {"type": "uri", "value": "https://w3id.org/openness-kg/id/model/olmo"}}]}}


class FakeEndpoint:
    """An HTTP server on a free loopback port whose answer is ``respond(handler)``; ``requests``
    lists the decoded form bodies it received."""

    def __init__(self, respond):
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                outer.requests.append({"path": self.path, "accept": self.headers.get("Accept"),
                                       **urllib.parse.parse_qs(body)})
                try:
                    respond(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/query"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def send(status: int, body: bytes, ctype: str = "application/sparql-results+json", headers=()):
    def respond(h):
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)
    return respond


def run_cli(*args: str):
    return CliRunner().invoke(main, ["query", *args])


def one_line_error(res) -> str:
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1, res.output
    assert lines[0].startswith("Error: ")
    return lines[0]


# ------------------------------------------------------------------ no write path

UPDATES = ["DROP ALL # select", "DROP ALL", "# SELECT ?x WHERE { ?x ?y ?z }\nCLEAR DEFAULT",
           "INSERT DATA { <http://a/s> <http://a/p> <http://a/o> } # ask",
           "DELETE WHERE { ?s ?p ?o } #SELECT", "LOAD <http://example.org/x> # describe"]


@pytest.mark.parametrize("text", UPDATES)
def test_update_is_refused_before_anything_is_sent(text):
    with FakeEndpoint(send(200, json.dumps(SELECT_ANSWER).encode())) as ep:
        res = run_cli("-e", text, "--endpoint", ep.url)
    line = one_line_error(res)
    assert "SPARQL update" in line and "nothing was sent" in line
    assert ep.requests == []


@pytest.mark.parametrize("text", UPDATES)
def test_update_is_refused_locally(text, tmp_path):
    # refused before any build is read: the folder given holds none
    line = one_line_error(run_cli("-e", text, "--build-dir", str(tmp_path)))
    assert "SPARQL update" in line


def test_update_names_its_operation():
    with pytest.raises(QueryError, match=r"\(DROP\)"):
        query_form("DROP ALL # select")
    with pytest.raises(QueryError, match=r"\(INSERT DATA\)"):
        query_form("INSERT DATA { <http://a/s> <http://a/p> 1 }")


@pytest.mark.parametrize("text,form", [
    ("SELECT * WHERE { ?s ?p ?o } # DROP ALL", "SELECT"),
    ("# DROP ALL\nASK { ?s ?p ?o }", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://a/x>", "DESCRIBE"),
    ('SELECT ?x WHERE { ?x ?p "DROP ALL" }', "SELECT"),
])
def test_query_forms_are_read_from_the_syntax_not_the_words(text, form):
    assert query_form(text) == form


def test_every_library_query_is_a_query():
    from openness_kg.sparql import library

    assert {query_form(q.text) for q in library().values()} == {"SELECT"}


def test_service_is_refused_locally_without_contacting_the_server(tmp_path):
    with socket.socket() as silent:  # listens, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        silent.settimeout(0.1)
        port = silent.getsockname()[1]
        text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        start = time.monotonic()
        line = one_line_error(run_cli("-e", text, "--build-dir", str(tmp_path)))
        assert time.monotonic() - start < 5
        assert "SERVICE" in line
        with pytest.raises(socket.timeout):
            silent.accept()
    with pytest.raises(QueryError, match="SERVICE"):
        check_local("SELECT * { OPTIONAL { SERVICE SILENT <http://x/> { ?s ?p ?o } } }")
    with pytest.raises(QueryError, match="SERVICE"):  # rdflib reads escapes outside strings
        check_local(r"SELECT * { \u0053ERVICE <http://x/> { ?s ?p ?o } }")


def test_usual_local_queries_load_no_parser():
    """The guard parses only text with an update or SERVICE keyword; the library has none, so a
    local query does not pay for importing rdflib's parser."""
    code = ("import sys; from openness_kg.endpoint import check_local; from openness_kg.sparql import library\n"
            "for q in library().values(): check_local(q.text)\n"
            "check_local('SELECT ?x WHERE { ?x ?p \"a service\" }')\n"
            "assert 'rdflib.plugins.sparql.parser' in sys.modules\n"
            "del sys.modules['rdflib.plugins.sparql.parser']\n"
            "for q in library().values(): check_local(q.text)\n"
            "assert 'rdflib.plugins.sparql.parser' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------------ what is sent, what comes back

def test_good_answer_is_read_and_sent_as_a_query():
    q = resolve("SELECT ?model ?n WHERE { ?model ?p ?n }")
    with FakeEndpoint(send(200, json.dumps(SELECT_ANSWER).encode())) as ep:
        rows = run_endpoint(q, ep.url, timeout=5)
    assert rows.variables == ["model", "n"]
    assert rows == [{"model": "https://w3id.org/openness-kg/id/model/phi-3", "n": 3},
                    {"model": "https://w3id.org/openness-kg/id/model/olmo", "n": None}]
    (req,) = ep.requests
    assert "update" not in req and req["query"] == [q.text]
    assert req["accept"] == "application/sparql-results+json" and req["path"] == "/query"


BAD_ANSWERS = {
    "garbage": (send(200, b"\x00\xff\x13 garbage \x80"), "did not answer with SPARQL JSON results"),
    "html": (send(200, b"<!DOCTYPE html>\n<html><body><h1>Welcome</h1></body></html>", "text/html"),
             "Content-Type 'text/html', starting '<!DOCTYPE html> <html>"),
    "json list": (send(200, b"[1, 2, 3]"), "a JSON list, not an object"),
    "no vars": (send(200, json.dumps({"head": {}, "results": {"bindings": []}}).encode()), "head.vars"),
    "bindings not a list": (send(200, json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": 5}}).encode()),
                            "results.bindings"),
    "term not a term": (send(200, json.dumps({"head": {"vars": ["x"]},
                                              "results": {"bindings": [{"x": "plain"}]}}).encode()),
                        "binding 0, variable 'x' is not an RDF term"),
    "http 500": (send(500, b"Internal error:\n  stack trace line 1\n  line 2", "text/plain"),
                 "answered HTTP 500: Internal error: stack trace line 1 line 2"),
    "redirect": (send(302, b"", headers=[("Location", "file:///etc/passwd")]),
                 "answered HTTP 302 (a redirect to file:///etc/passwd)"),
    "hang up": (lambda h: h.connection.shutdown(socket.SHUT_RDWR), "Cannot reach the SPARQL endpoint"),
}


@pytest.mark.parametrize("kind", list(BAD_ANSWERS))
def test_bad_answer_is_a_one_line_error(kind):
    respond, expected = BAD_ANSWERS[kind]
    with FakeEndpoint(respond) as ep:
        line = one_line_error(run_cli("-e", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", ep.url,
                                      "--timeout", "5"))
    assert expected in line
    assert len(ep.requests) == 1  # no retries, no redirect followed


@pytest.mark.parametrize("url,expected", [
    ("not a url", "is not an endpoint URL"),
    ("file:///etc/passwd", "is not an endpoint URL"),
    ("ftp://127.0.0.1/sparql", "is not an endpoint URL"),
    ("http://", "is not an endpoint URL"),
    ("http://127.0.0.1:notaport/q", "is not an endpoint URL"),
])
def test_url_that_is_no_endpoint_is_refused(url, expected):
    assert expected in one_line_error(run_cli("-e", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", url))


def drip(h):
    """The status line, then one byte every half second: never a whole answer."""
    for b in b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n{}":
        h.wfile.write(bytes([b]))
        h.wfile.flush()
        time.sleep(0.5)


@pytest.mark.slow  # waits out a time limit on purpose (1-2 s)
def test_slow_server_is_cut_at_the_total_time_limit():
    with FakeEndpoint(drip) as ep:
        start = time.monotonic()
        line = one_line_error(run_cli("models-by-licence", "--endpoint", ep.url, "--timeout", "1.5"))
        took = time.monotonic() - start
    assert re.search(r"gave no complete answer within \d s", line)
    assert 1.4 < took < 3.5


@pytest.mark.slow  # waits out a time limit on purpose (1-2 s)
def test_silent_server_is_cut_at_the_total_time_limit():
    with socket.socket() as silent:  # accepts the connection (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        start = time.monotonic()
        with pytest.raises(QueryError, match="no complete answer"):
            run_endpoint(resolve("models-by-licence"), url, timeout=1)
        assert time.monotonic() - start < 2.5


@pytest.mark.slow  # waits out a time limit on purpose (1-2 s)
def test_time_limit_covers_the_parameter_checks_too():
    """A parameter's ASK and the query share one deadline: a server taking 1.2 s per answer
    cannot stretch a 2 s limit to 2.4 s. (The margins leave the ASK's answer 0.8 s to arrive
    before the deadline on a busy machine, so the query is always sent.)"""
    def slow_yes(h):
        time.sleep(1.2)
        send(200, json.dumps({"head": {}, "boolean": True}).encode())(h)

    q = resolve("model-artifacts")
    with FakeEndpoint(slow_yes) as ep:
        start = time.monotonic()
        with pytest.raises(QueryError, match="no complete answer"):
            run_endpoint(q, ep.url, {"model": "phi-3"}, timeout=2)
        assert time.monotonic() - start < 2.35
    assert len(ep.requests) == 2


# ------------------------------------------------------------------ a real writable store

@pytest.mark.endpoint
def test_drop_all_does_not_reach_a_writable_oxigraph(tmp_path):
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    nq = tmp_path / "five.nq"
    nq.write_text("".join(f"<http://a/s{i}> <http://a/p> <http://a/o> <http://a/g> .\n" for i in range(5)))
    subprocess.run([exe, "load", "--location", str(tmp_path / "db"), "--file", str(nq)], check=True,
                   capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/query"
        count = resolve("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        for _ in range(100):
            try:
                assert run_endpoint(count, url, timeout=5)[0]["n"] == 5
                break
            except QueryError:
                time.sleep(0.1)
        for text in UPDATES[:2] + ["DROP ALL # SELECT * WHERE { ?s ?p ?o }"]:
            line = one_line_error(run_cli("-e", text, "--endpoint", url))
            assert "SPARQL update" in line
        assert run_endpoint(count, url, timeout=5)[0]["n"] == 5
    finally:
        proc.terminate()
        proc.wait(timeout=10)
