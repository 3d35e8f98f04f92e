"""The knowledge graph every stage after ``graph`` works on: named graphs of pyoxigraph quads.

A :class:`KnowledgeGraph` holds its quads sorted by (graph, subject, predicate, object) in
N-Triples form and without duplicates, so every serialisation of it is deterministic. It is
immutable: the analyses add their named graph with :meth:`KnowledgeGraph.with_graph`, which
returns a new object.
"""
from __future__ import annotations

import heapq
from functools import cached_property
from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox

Quad = ox.Quad


def quad_key(q: ox.Quad) -> tuple[str, str]:
    """Sort key of a quad: its graph, then the quad in N-Quads syntax, which orders it by
    subject, predicate and object (terms in N-Triples syntax: an IRI closes with ``>``, so no
    term is a prefix of another and the joined text sorts like the tuple of terms)."""
    return (str(q.graph_name), str(q))


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term (``URIRef``, ``BNode``, ``Literal``) as the pyoxigraph term. Raises
    ``TypeError`` for anything else."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


def rdflib_quads(graph, graph_iri: str) -> list[ox.Quad]:
    """The triples of an rdflib ``Graph`` as pyoxigraph quads in the named graph ``graph_iri``."""
    g = ox.NamedNode(str(graph_iri))
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in graph]


class KnowledgeGraph:
    """Named graphs of quads, sorted and duplicate-free.

    ``quads``: ``list[pyoxigraph.Quad]``, every quad in a named graph (IRIs under
    ``https://w3id.org/openness-kg/graph/``). :meth:`store` gives an in-memory
    ``pyoxigraph.Store`` of the same quads for SPARQL (query it with
    ``use_default_graph_as_union=True`` to see all graphs at once).
    """

    def __init__(self, quads: Iterable[ox.Quad], presorted: bool = False):
        qs = list(quads)
        self.quads: list[ox.Quad] = qs if presorted else sorted(set(qs), key=quad_key)

    def __len__(self) -> int:
        return len(self.quads)

    def __iter__(self):
        return iter(self.quads)

    @cached_property
    def _store(self) -> ox.Store:
        st = ox.Store()
        st.bulk_extend(self.quads)
        return st

    def store(self) -> ox.Store:
        """An in-memory ``pyoxigraph.Store`` holding the quads (built once, then shared: do not
        write to it)."""
        return self._store

    def write_store(self, path: Path) -> Path:
        """Write the quads as an Oxigraph store on disk (a new folder ``path`` of RocksDB
        files; the readers open it read-only, in milliseconds). Returns ``path``. Raises
        ``OSError`` when ``path`` exists or cannot be written."""
        path = Path(path)
        if path.exists():
            raise FileExistsError(f"{path} exists: an on-disk store is written into a new folder")
        st = ox.Store(str(path))
        st.bulk_extend(self.quads)
        st.flush()
        del st  # closes the database, releasing its lock
        return path

    def graph_names(self) -> list[str]:
        """IRIs of the named graphs, sorted."""
        return sorted({q.graph_name.value for q in self.quads})

    def quads_in(self, graph_iri: str) -> list[ox.Quad]:
        """The quads of one named graph, in order."""
        return [q for q in self.quads if q.graph_name.value == str(graph_iri)]

    def with_graph(self, graph_iri: str, quads: Iterable[ox.Quad]) -> "KnowledgeGraph":
        """A new graph with ``quads`` added (each moved into the named graph ``graph_iri``);
        only the new quads are sorted, then merged into the sorted list."""
        g = ox.NamedNode(str(graph_iri))
        have = set(self.quads)
        extra = sorted({ox.Quad(q.subject, q.predicate, q.object, g) for q in quads} - have, key=quad_key)
        return KnowledgeGraph(heapq.merge(self.quads, extra, key=quad_key), presorted=True)

    def nquads(self) -> bytes:
        """The graph as N-Quads (UTF-8), in order."""
        return ox.serialize(self.quads, format=ox.RdfFormat.N_QUADS)

    @classmethod
    def read(cls, path: Path | str) -> "KnowledgeGraph":
        """Read an N-Quads file (such as ``build/openness-kg.nq``)."""
        return cls(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))

    @classmethod
    def from_rdflib(cls, ds) -> "KnowledgeGraph":
        """From an rdflib ``Dataset`` (quads in the default graph are left out)."""
        out = []
        for s, p, o, g in ds.quads((None, None, None, None)):
            gid = getattr(g, "identifier", g)
            if gid is None or str(gid).startswith("urn:x-rdflib:default"):
                continue
            out.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(gid))))
        return cls(out)


def union_triples(quads: Sequence[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of ``quads`` (the union of the named graphs), sorted."""
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
