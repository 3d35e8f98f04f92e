"""The SPARQL query library (``queries/*.rq``) and the engines that run it, on a store given.

Used by the check stage (the ``*-violation`` queries) and by the readers (:mod:`openness_kg.read`).

A library query is a ``.rq`` file whose header comment block gives its title, description and
parameters::

    # title: Models by developer
    # description: Every model with its developer ...
    # param developer = <https://w3id.org/openness-kg/id/organisation/meta> : the developer (IRI)

A parameter is a variable of the query, bound before evaluation with its default or with the
value given: every engine (pyoxigraph, rdflib, a remote endpoint) receives the same query text
with a ``VALUES`` block inserted at the start of the outermost ``WHERE`` group, so all three
evaluate exactly the same SPARQL.

Engines: ``"oxigraph"`` (default; pyoxigraph store loaded from the N-Quads dump, default graph =
union of all named graphs), ``"rdflib"`` (same semantics, orders of magnitude slower on joins),
or a remote SPARQL 1.1 endpoint URL (``endpoint=``).

Results are :class:`Result`: a list of ``dict`` rows ``{variable: value}`` where IRIs are ``str``
(full IRI), literals their Python value (``str``, ``int``, ``bool``...; dates stay ``str``), and
unbound variables ``None``; ``Result.variables`` lists the columns; ``Result.to_pandas()`` gives a
``pandas.DataFrame``.
"""
from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import paths

QUERIES_DIR = paths.ROOT / "queries"
_HEADER = re.compile(r"^#\s*(title|description)\s*:\s*(.*)$")
_PARAM = re.compile(r"^#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S+)\s*(?::\s*(.*))?$")


class QueryError(Exception):
    """A query could not be found, parsed or run; the message says why in plain words."""


@dataclass
class Param:
    name: str
    default: str
    description: str = ""


@dataclass
class LibraryQuery:
    """One query of the library: ``name`` (file stem), ``title``, ``description``, ``params``,
    ``text`` (the SPARQL) and ``path``."""

    name: str
    title: str
    description: str
    params: list[Param]
    text: str
    path: Path

    @property
    def is_violation(self) -> bool:
        return self.name.endswith("-violation")

    @property
    def is_ordered(self) -> bool:
        return re.search(r"\bORDER\s+BY\b", self.text, flags=re.I) is not None


def parse_query_file(path: Path) -> LibraryQuery:
    """Read a ``.rq`` file and its header block."""
    text = path.read_text(encoding="utf-8")
    title, description, params = path.stem, "", []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            if m.group(1) == "title":
                title = m.group(2).strip()
            else:
                description = (description + " " + m.group(2).strip()).strip()
            continue
        m = _PARAM.match(line)
        if m:
            params.append(Param(m.group(1), m.group(2), (m.group(3) or "").strip()))
    return LibraryQuery(path.stem, title, description, params, text, path)


@lru_cache(maxsize=4)
def library(queries_dir: Path = QUERIES_DIR) -> dict[str, LibraryQuery]:
    """All library queries by name, sorted."""
    return {p.stem: parse_query_file(p) for p in sorted(queries_dir.glob("*.rq"))}


def resolve(name_or_sparql: str, queries_dir: Path = QUERIES_DIR) -> LibraryQuery:
    """A library query by name, a ``.rq`` file path, or SPARQL text (anything with ``SELECT``,
    ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``). Raises :class:`QueryError` for an unknown name,
    suggesting the closest names."""
    lib = library(queries_dir)
    if name_or_sparql in lib:
        return lib[name_or_sparql]
    p = Path(name_or_sparql)
    if p.suffix == ".rq" and p.is_file():
        return parse_query_file(p)
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", name_or_sparql, flags=re.I):
        return LibraryQuery("inline", "inline query", "", [], name_or_sparql, Path("-"))
    close = difflib.get_close_matches(name_or_sparql, list(lib), n=3, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else " Run `openness-kg queries` for the list."
    raise QueryError(f"No query named '{name_or_sparql}'.{hint}")


# ---------------------------------------------------------------- terms and parameters

def parse_term(value: str):
    """A parameter value -> pyoxigraph term. Accepts ``<iri>``, ``http(s)://...``,
    ``<class>/<slug>`` (an openness-kg instance, e.g. ``model/llama-3-1``), a ``vocab`` path
    (``stance/favours-open``), ``"literal"`` or a bare word (a plain literal)."""
    import pyoxigraph as ox

    from .namespaces import CLASS_SEGMENTS, OKGID, OKGV

    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        return ox.NamedNode(v[1:-1])
    if re.match(r"^https?://", v):
        return ox.NamedNode(v)
    if v.startswith('"') and v.endswith('"') and len(v) >= 2:
        return ox.Literal(v[1:-1])
    if re.fullmatch(r"-?\d+", v):
        return ox.Literal(v, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    m = re.fullmatch(r"([a-z-]+)/([a-z0-9][a-z0-9-]*)", v)
    if m:
        if m.group(1) in CLASS_SEGMENTS.values():
            return ox.NamedNode(str(OKGID) + v)
        return ox.NamedNode(str(OKGV) + v)
    return ox.Literal(v)


def bindings(q: LibraryQuery, params: dict[str, str] | None) -> dict[str, Any]:
    """Parameter name -> pyoxigraph term, defaults filled in. Raises :class:`QueryError` for a
    parameter the query does not declare."""
    params = dict(params or {})
    declared = {p.name: p for p in q.params}
    unknown = set(params) - set(declared)
    if unknown and q.name != "inline":
        raise QueryError(f"Query '{q.name}' has no parameter {', '.join(sorted(unknown))}; "
                         f"its parameters: {', '.join(declared) or 'none'}.")
    out = {p.name: parse_term(p.default) for p in q.params}
    out.update({k: parse_term(v) for k, v in params.items()})
    return out


# ---------------------------------------------------------------- results

class Result(list):
    """Rows of a SELECT query: a list of ``{variable: value}`` dicts, with ``variables``."""

    def __init__(self, rows: list[dict], variables: list[str]):
        super().__init__(rows)
        self.variables = variables

    def to_pandas(self):
        """The rows as a ``pandas.DataFrame`` (columns in SELECT order). Needs pandas."""
        import pandas as pd

        return pd.DataFrame(list(self), columns=self.variables)

    def as_strings(self) -> list[tuple[str, ...]]:
        """Rows as tuples of strings (``""`` for unbound), as in the CSV output."""
        return [tuple("" if r[v] is None else _to_str(r[v]) for v in self.variables) for r in self]

    def format(self, fmt: str = "table") -> str:
        """Render as ``table`` (readable), ``csv``, ``tsv`` or ``json``."""
        if fmt == "json":
            return json.dumps({"variables": self.variables, "rows": list(self)}, indent=2, default=str)
        if fmt in ("csv", "tsv"):
            buf = io.StringIO()
            w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
            w.writerow(self.variables)
            w.writerows(self.as_strings())
            return buf.getvalue()
        from tabulate import tabulate

        from .namespaces import GRAPH, PREFIXES

        prefixes = {**PREFIXES, "graph": str(GRAPH)}

        def short(s: str) -> str:
            for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
                if s.startswith(ns):
                    return f"{prefix}:{s[len(ns):]}"
            return s

        rows = [[short(c) for c in row] for row in self.as_strings()]
        return tabulate(rows, headers=self.variables, tablefmt="simple", disable_numparse=True) + \
            f"\n({len(self)} row{'s' if len(self) != 1 else ''})"


def _to_str(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


_XSD = "http://www.w3.org/2001/XMLSchema#"


def _literal_value(lexical: str, datatype: str | None) -> Any:
    if datatype in (_XSD + "integer", _XSD + "int", _XSD + "long", _XSD + "nonNegativeInteger"):
        try:
            return int(lexical)
        except ValueError:
            return lexical
    if datatype == _XSD + "boolean":
        return lexical in ("true", "1")
    return lexical


def _ox_value(term) -> Any:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return _literal_value(term.value, term.datatype.value if term.datatype else None)


def _rdflib_value(term) -> Any:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    if isinstance(term, Literal):
        return _literal_value(str(term), str(term.datatype) if term.datatype else None)
    return str(term)


# ---------------------------------------------------------------- engines

def _syntax_error(exc: Exception) -> QueryError:
    msg = str(exc)
    m = re.search(r"line (\d+),? column (\d+)", msg) or re.search(r"(\d+):(\d+)", msg)
    where = f" at line {m.group(1)}, column {m.group(2)}" if m else ""
    return QueryError(f"SPARQL syntax error{where}: {msg}")


def run_oxigraph(q: LibraryQuery, st, params: dict[str, str] | None = None) -> Result:
    """Run a SELECT query on the ``pyoxigraph.Store`` ``st`` (union default graph)."""
    import pyoxigraph as ox

    text = _with_values(q.text, bindings(q, params))
    try:
        sols = st.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    except (RuntimeError, ValueError) as exc:
        raise QueryError(f"The query failed: {exc}") from None
    if not isinstance(sols, ox.QuerySolutions):
        raise QueryError("Only SELECT queries are supported here.")
    variables = [v.value for v in sols.variables]
    rows = [{v: _ox_value(s[v]) for v in variables} for s in sols]
    return Result(rows, variables)


def run_rdflib(q: LibraryQuery, ds, params: dict[str, str] | None = None) -> Result:
    """Run a SELECT query on the rdflib ``Dataset`` ``ds`` (union default graph), for
    cross-checking."""
    from pyparsing import ParseException

    text = _with_values(q.text, bindings(q, params))
    try:
        res = ds.query(text)
    except ParseException as exc:
        raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    variables = [str(v) for v in res.vars]
    rows = [{v: _rdflib_value(row[i]) for i, v in enumerate(variables)} for row in res]
    return Result(rows, variables)


def run_endpoint(q: LibraryQuery, endpoint: str, params: dict[str, str] | None = None, timeout: float = 30) -> Result:
    """Send the query to a remote SPARQL 1.1 endpoint (HTTP, SPARQLWrapper); parameters are
    bound with a ``VALUES`` block. Raises :class:`QueryError` when the endpoint is unreachable."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
    from urllib.error import URLError

    text = _with_values(q.text, bindings(q, params))
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(text)
    sw.setMethod(POST)
    sw.setReturnFormat(JSON)
    sw.setTimeout(int(timeout))
    try:
        data = sw.queryAndConvert()
    except QueryBadFormed as exc:
        raise QueryError(f"The endpoint rejected the query: {exc}") from None
    except (URLError, ConnectionError, OSError) as exc:
        raise QueryError(f"Cannot reach the SPARQL endpoint {endpoint}: {getattr(exc, 'reason', exc)}") from None
    variables = data["head"]["vars"]
    rows = []
    for b in data["results"]["bindings"]:
        row = {}
        for v in variables:
            t = b.get(v)
            if t is None:
                row[v] = None
            elif t["type"] == "uri":
                row[v] = t["value"]
            elif t["type"] == "bnode":
                row[v] = "_:" + t["value"]
            else:
                row[v] = _literal_value(t["value"], t.get("datatype"))
        rows.append(row)
    return Result(rows, variables)


def _with_values(text: str, binds: dict[str, Any]) -> str:
    """Insert ``VALUES (?a ?b) { (...) }`` right after the outermost WHERE's opening brace."""
    if not binds:
        return text
    names = sorted(binds)
    values = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(binds[n]) for n in names)}) }}"
    m = re.search(r"\bWHERE\s*\{", text, flags=re.I)
    if not m:
        raise QueryError("Cannot bind parameters: the query has no WHERE clause.")
    # on the WHERE line itself, so a syntax error's line number still matches the user's text
    return text[:m.end()] + " " + values + " " + text[m.end():]
