"""The SPARQL query library (``queries/*.rq``) and the engines that run it, on a store given.

Used by the check stage (the ``*-violation`` queries) and by the readers (:mod:`openness_kg.read`).

A library query is a ``.rq`` file whose header comment block gives its title, description and
parameters::

    # title: Models by developer
    # description: Every model with its developer ...
    # param developer = <https://w3id.org/openness-kg/id/organisation/meta> : the developer organisation

A parameter is a variable of the query, bound before evaluation with its default or with the
value given: every engine (pyoxigraph, rdflib, a remote endpoint) receives the same query text
with a ``VALUES`` block inserted at the start of the outermost ``WHERE`` group, so all three
evaluate exactly the same SPARQL. A value for a parameter whose default is an IRI may be the
bare slug, as in the SQLite tables (``meta``, resolved against the default's namespace
``.../id/organisation/``; ``favours_open`` names ``.../favours-open``), ``<class>/<slug>``, a
prefixed name or a full IRI (:func:`bind_param`); a given IRI that is not in the graph is an
error naming the closest values (:func:`check_given`), never an empty result.

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
import os
import re
from dataclasses import dataclass, field
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
    _prepared: dict = field(default_factory=dict, repr=False, compare=False)

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


def library(queries_dir: Path = QUERIES_DIR) -> dict[str, LibraryQuery]:
    """All library queries by name, sorted. Parsed once per process and folder: read again only
    when the folder's modification time changes (a query file added, removed or renamed, or
    saved by an editor that writes a new file); a file edited in place is seen by a new process.
    Raises ``OSError`` when ``queries_dir`` cannot be read."""
    if not isinstance(queries_dir, Path):
        queries_dir = Path(queries_dir)
    return _parsed_library(queries_dir, os.stat(queries_dir).st_mtime_ns)


@lru_cache(maxsize=4)
def _parsed_library(queries_dir: Path, mtime_ns: int) -> dict[str, LibraryQuery]:
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

_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", flags=re.I | re.M)
_SEGMENT = r"[a-z][a-z-]*"
_SLUG = r"[A-Za-z0-9][A-Za-z0-9._-]*"


def parse_term(value: str, prefixes: dict[str, str] | None = None):
    """A parameter value -> pyoxigraph term, without a declared default to go by (the
    default itself, a parameter of an inline query). Accepts ``<iri>``, ``http(s)://...``, a
    prefixed name (``okgid:model/llama-3-1``; the project's prefixes and those of
    ``prefixes``), ``<class>/<slug>`` (an openness-kg instance, e.g. ``model/llama-3-1``), a
    ``vocab`` path (``stance/favours-open``), ``"literal"``, an integer or a bare word (a
    plain literal)."""
    import pyoxigraph as ox

    v = value.strip()
    iri = _explicit_iri(v, prefixes)
    if iri is not None:
        return ox.NamedNode(iri)
    if v.startswith('"') and v.endswith('"') and len(v) >= 2:
        return ox.Literal(v[1:-1])
    if re.fullmatch(r"-?\d+", v):
        return ox.Literal(v, datatype=ox.NamedNode(_XSD_INTEGER))
    if re.fullmatch(f"{_SEGMENT}/{_SLUG}", v):
        return ox.NamedNode(_segment_iri(*v.split("/", 1)))
    return ox.Literal(v)


def _explicit_iri(v: str, prefixes: dict[str, str] | None) -> str | None:
    """The IRI ``v`` spells out: ``<iri>``, ``http(s)://...`` or a prefixed name whose prefix
    is known (the project's, then the query's own ``PREFIX`` lines; ``okgv:stance/favours_open``
    is ``.../vocab/stance/favours-open``); ``None`` otherwise."""
    from .namespaces import PREFIXES

    if v.startswith("<") and v.endswith(">"):
        return v[1:-1]
    if re.match(r"^https?://", v):
        return v
    m = re.fullmatch(r"([A-Za-z][\w.-]*):([^\s<>\"]*)", v)
    if m:
        known = {**PREFIXES, **(prefixes or {})}
        if m.group(1) in known:
            iri = known[m.group(1)] + m.group(2)
            if iri.startswith((PREFIXES["okgid"], PREFIXES["okgv"])):
                head, _, last = iri.rpartition("/")
                iri = f"{head}/{_hyphens(last)}"
            return iri
    return None


def _segment_iri(segment: str, slug: str) -> str:
    """``model`` + ``llama-3-1`` -> the instance IRI; a segment that is no record class is a
    vocabulary (``stance`` + ``favours_open`` -> ``.../vocab/stance/favours-open``)."""
    from .namespaces import CLASS_SEGMENTS, PREFIXES

    base = PREFIXES["okgid"] if segment in CLASS_SEGMENTS.values() else PREFIXES["okgv"]
    return f"{base}{segment}/{_hyphens(slug)}"


def _hyphens(slug: str) -> str:
    """Slugs and concept IRIs are hyphenated; the SQLite tables and the curated files spell the
    concepts with underscores (``favours_open``), so both spellings name the same thing."""
    return slug.replace("_", "-")


def _query_prefixes(text: str) -> dict[str, str]:
    return {(m.group(1) or ""): m.group(2) for m in _PREFIX_DECL.finditer(text)}


@dataclass
class Binding:
    """A parameter bound for one run: ``term`` (pyoxigraph), ``given`` (the value as the caller
    wrote it; ``None`` when the default is used) and, for an IRI-valued parameter, the
    ``namespace`` its bare slugs resolve against and its close matches are sought in."""

    name: str
    term: Any
    given: str | None = None
    namespace: str | None = None

    @property
    def iri(self) -> str | None:
        import pyoxigraph as ox

        return self.term.value if isinstance(self.term, ox.NamedNode) else None

    @property
    def kind(self) -> str:
        """What the namespace holds, for messages: ``model``, ``organisation``, ``dimension``."""
        seg = (self.namespace or "").rstrip("/#").rsplit("/", 1)[-1]
        return seg if re.fullmatch(_SEGMENT, seg or "") else self.name


def _namespace(iri: str) -> str:
    """An IRI minus its last path segment: ``.../id/model/phi-3`` -> ``.../id/model/``."""
    return iri.rsplit("/", 1)[0] + "/"


def bind_param(p: Param | None, value: str, prefixes: dict[str, str] | None = None,
               query_name: str = "inline") -> Binding:
    """Bind ``value`` to the declared parameter ``p`` (``None`` for a parameter of an inline
    query). When ``p``'s default is an IRI, ``value`` may be a bare slug (``llama-3-1``,
    ``performance``, ``favours_open``: resolved against the default's namespace, e.g.
    ``.../id/model/`` or ``.../vocab/dimension/``), ``<class>/<slug>`` or ``<class>:<slug>``
    (``model/llama-3-1``), a full IRI (``<...>`` or ``https://...``) or a prefixed name
    (``okgid:model/llama-3-1``, or one of the query's own ``PREFIX``es). When the default is a
    literal, ``value`` is a literal of the same kind."""
    import pyoxigraph as ox

    v = value.strip()
    if p is None:
        try:
            term = parse_term(v, prefixes)
        except ValueError as exc:
            raise QueryError(f"Query '{query_name}': '{value}' is not a valid parameter value ({exc}).") from None
        ns = _namespace(term.value) if isinstance(term, ox.NamedNode) else None
        return Binding("", term, value, ns)  # named by the caller
    default = parse_term(p.default, prefixes)
    if isinstance(default, ox.Literal):
        if v.startswith('"') and v.endswith('"') and len(v) >= 2:
            v = v[1:-1]
        if default.datatype.value == _XSD_INTEGER:
            if not re.fullmatch(r"-?\d+", v):
                raise QueryError(f"Query '{query_name}': parameter {p.name} takes an integer, not '{value}'.")
            return Binding(p.name, ox.Literal(v, datatype=ox.NamedNode(_XSD_INTEGER)), value)
        return Binding(p.name, ox.Literal(v), value)
    ns = _namespace(default.value)
    if not v:
        raise QueryError(f"Query '{query_name}': parameter {p.name} needs a value (a {Binding(p.name, default, None, ns).kind}).")
    iri = _explicit_iri(v, prefixes)
    if iri is None:
        m = re.fullmatch(f"({_SEGMENT})[/:]({_SLUG})", v)
        if m:
            iri = _segment_iri(m.group(1), m.group(2))
        elif ":" not in v and "/" not in v:
            iri = ns + _hyphens(v)
        else:
            raise QueryError(f"Query '{query_name}': cannot read '{value}' as a value of parameter {p.name}: "
                             f"give a slug (e.g. {default.value[len(ns):]}), <class>/<slug>, a prefixed "
                             f"name or a full IRI.")
    try:
        return Binding(p.name, ox.NamedNode(iri), value, ns)
    except ValueError as exc:
        raise QueryError(f"Query '{query_name}': '{value}' is not a valid value of parameter {p.name} ({exc}).") from None


def resolve_params(q: LibraryQuery, params: dict[str, str] | None) -> dict[str, Binding]:
    """Parameter name -> :class:`Binding`, defaults filled in (see :func:`bind_param` for the
    forms a value may take). Raises :class:`QueryError` for a parameter the query does not
    declare or a value that cannot be read."""
    import pyoxigraph as ox

    params = dict(params or {})
    declared = {p.name: p for p in q.params}
    unknown = set(params) - set(declared)
    if unknown and q.name != "inline":
        raise QueryError(f"Query '{q.name}' has no parameter {', '.join(sorted(unknown))}; "
                         f"its parameters: {', '.join(declared) or 'none'}.")
    prefixes = _query_prefixes(q.text)
    out = {}
    for p in q.params:
        term = parse_term(p.default, prefixes)
        out[p.name] = Binding(p.name, term, None, _namespace(term.value) if isinstance(term, ox.NamedNode) else None)
    for k, v in params.items():
        b = bind_param(declared.get(k), v, prefixes, q.name)
        b.name = k
        out[k] = b
    return out


def bindings(q: LibraryQuery, params: dict[str, str] | None) -> dict[str, Any]:
    """Parameter name -> pyoxigraph term, defaults filled in (see :func:`resolve_params`)."""
    return {k: b.term for k, b in resolve_params(q, params).items()}


def check_given(q: LibraryQuery, binds: dict[str, Binding], exists, listing) -> None:
    """Raise :class:`QueryError` when an IRI given for a declared parameter is not in the graph,
    naming the parameter, the value and up to 5 closest values of its namespace.
    ``exists(iri)`` says whether the IRI occurs (as subject, else object, predicate or graph
    name: one lookup when it is a subject); ``listing(namespace)`` gives the IRIs under the
    namespace and runs only on a miss. Defaults and the parameters of inline queries (which
    declare none, so nothing says what they should name) are not checked."""
    if q.name == "inline" or not q.params:
        return
    for b in binds.values():
        if b.given is None or b.iri is None or exists(b.iri):
            continue
        ns = b.namespace if b.namespace and b.iri.startswith(b.namespace) else _namespace(b.iri)
        kind = Binding(b.name, b.term, b.given, ns).kind
        slugs = sorted({i[len(ns):] for i in listing(ns)} - {""})
        slugs = [s for s in slugs if "/" not in s and "#" not in s]
        typed = b.iri[len(ns):]
        by_lower = {s.lower(): s for s in slugs}
        close = [by_lower[s] for s in difflib.get_close_matches(typed.lower(), list(by_lower), n=5, cutoff=0.6)]
        msg = f"Query '{q.name}': no {kind} '{b.given.strip()}'"
        msg += " in the graph" if kind == b.name else f" (parameter {b.name}) in the graph"
        if close:
            msg += f"; closest: {', '.join(close)}"
        elif slugs:
            msg += f"; nothing close among the {len(slugs)} values under {ns}"
        else:
            msg += f"; the graph has nothing under {ns}"
        raise QueryError(msg)


def _listing_sparql(ns: str) -> str:
    lit = ns.replace("\\", "\\\\").replace('"', '\\"')
    return ("SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } "
            f'FILTER (isIRI(?x) && STRSTARTS(STR(?x), "{lit}")) }}')


def _ask_sparql(iri: str) -> str:
    return (f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} UNION {{ ?s <{iri}> ?o }} "
            f"UNION {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} }}")


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
        """Render as ``table`` (readable: IRIs abbreviated by the project's prefixes, the row count
        and a ``Prefixes:`` legend of the prefixes used), ``csv``, ``tsv`` or ``json`` (full
        IRIs)."""
        if fmt == "json":
            return json.dumps({"variables": self.variables, "rows": list(self)}, indent=2, default=str)
        if fmt in ("csv", "tsv"):
            buf = io.StringIO()
            w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
            w.writerow(self.variables)
            w.writerows(self.as_strings())
            return buf.getvalue()
        from tabulate import tabulate

        from .namespaces import NAMESPACES, PREFIXES

        prefixes = {**PREFIXES, "graph": NAMESPACES["GRAPH"]}
        used: dict[str, str] = {}

        def short(s: str) -> str:
            for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
                if s.startswith(ns):
                    used[prefix] = ns
                    return f"{prefix}:{s[len(ns):]}"
            return s

        rows = [[short(c) for c in row] for row in self.as_strings()]
        legend = "".join(f"\n  {p}: = {ns}" for p, ns in sorted(used.items()))
        return (tabulate(rows, headers=self.variables, tablefmt="simple", disable_numparse=True)
                + f"\n({len(self)} row{'s' if len(self) != 1 else ''})"
                + (f"\nPrefixes:{legend}" if legend else ""))


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

    text = _prepared_text(q, params)
    if text is None:
        binds = resolve_params(q, params)
        check_given(q, binds, lambda iri: _ox_exists(st, iri),
                    lambda ns: [s["x"].value for s in st.query(_listing_sparql(ns), use_default_graph_as_union=True)])
        text = _with_values(q.text, {k: b.term for k, b in binds.items()})
    try:
        sols = st.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    except (RuntimeError, ValueError) as exc:
        raise QueryError(f"The query failed: {exc}") from None
    if not isinstance(sols, ox.QuerySolutions):
        raise QueryError("Only SELECT queries are supported here.")
    variables = [v.value for v in sols.variables]
    value = _ox_converter()
    rows = [dict(zip(variables, map(value, s))) for s in sols]
    return Result(rows, variables)


def _prepared_text(q: LibraryQuery, params: dict[str, str] | None) -> str | None:
    """The text to run for a library query called without parameters: the query with its
    defaults bound, made on the first call and kept on ``q``. ``None`` when parameters are
    given (they are resolved and checked against the store each time)."""
    if params:
        return None
    text = q._prepared.get("defaults")
    if text is None:
        text = q._prepared["defaults"] = _with_values(q.text, bindings(q, None))
    return text


@lru_cache(maxsize=1)
def _ox_converter():
    """A fast :func:`_ox_value`: IRIs and ``xsd:string`` literals (most terms) without the
    general path."""
    import pyoxigraph as ox

    named, literal, xsd_string = ox.NamedNode, ox.Literal, _XSD + "string"

    def value(term):
        kind = type(term)
        if kind is named:
            return term.value
        if kind is literal and term.datatype.value == xsd_string:
            return term.value
        return _ox_value(term)

    return value


def _ox_exists(st, iri: str) -> bool:
    import pyoxigraph as ox

    node = ox.NamedNode(iri)
    return next(st.quads_for_pattern(node, None, None), None) is not None or \
        next(st.quads_for_pattern(None, None, node), None) is not None or \
        next(st.quads_for_pattern(None, node, None), None) is not None or st.contains_named_graph(node)


def run_rdflib(q: LibraryQuery, ds, params: dict[str, str] | None = None) -> Result:
    """Run a SELECT query on the rdflib ``Dataset`` ``ds`` (union default graph), for
    cross-checking."""
    from pyparsing import ParseException
    from rdflib import URIRef

    def exists(iri: str) -> bool:  # a subject: one index lookup; else one ASK
        return next(iter(ds.triples((URIRef(iri), None, None))), None) is not None or \
            bool(ds.query(_ask_sparql(iri)).askAnswer)

    def listing(ns: str) -> set[str]:  # rdflib's SPARQL takes seconds for this scan; Python, ms
        return {str(t) for s, _, o in ds.triples((None, None, None)) for t in (s, o)
                if isinstance(t, URIRef) and str(t).startswith(ns)}

    binds = resolve_params(q, params)
    check_given(q, binds, exists, listing)
    text = _with_values(q.text, {k: b.term for k, b in binds.items()})
    try:
        res = ds.query(text)
    except ParseException as exc:
        raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    variables = [str(v) for v in res.vars]
    rows = [{v: _rdflib_value(row[i]) for i, v in enumerate(variables)} for row in res]
    return Result(rows, variables)


def run_endpoint(q: LibraryQuery, endpoint: str, params: dict[str, str] | None = None, timeout: float = 30) -> Result:
    """Send the query to a remote SPARQL 1.1 endpoint (HTTP, :mod:`openness_kg.endpoint`: query
    forms only, never an update); parameters are bound with a ``VALUES`` block. Each IRI given for
    a parameter is first checked with one ``ASK``. ``timeout`` (seconds) bounds the whole run.
    Raises :class:`QueryError` (one line) when the query is not a SELECT, the endpoint is
    unreachable, slow or answers something that is not SPARQL JSON results, or a given IRI is not
    in its graph."""
    import time

    from . import endpoint as ep

    deadline = time.monotonic() + timeout
    binds = resolve_params(q, params)

    def listing(ns: str) -> list[str]:
        try:  # only on a miss; a store too big to list in time gives no suggestions
            _, bindings = ep.select(endpoint, _listing_sparql(ns), deadline)
            return [b["x"]["value"] for b in bindings if "x" in b]
        except QueryError:
            return []

    check_given(q, binds, lambda iri: ep.ask(endpoint, _ask_sparql(iri), deadline), listing)
    variables, bindings = ep.select(endpoint, _with_values(q.text, {k: b.term for k, b in binds.items()}), deadline)
    rows = []
    for b in bindings:
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
