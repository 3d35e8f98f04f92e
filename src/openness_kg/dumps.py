"""Write the dataset as TriG, N-Quads, Turtle (union of all graphs) and JSON-LD.

Quads are sorted (graph, subject, predicate, object) and serialised with pyoxigraph, so the same
inputs give byte-identical files. File names: ``openness-kg.trig``, ``openness-kg.nq``,
``openness-kg.ttl``, ``openness-kg.jsonld``.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

from .namespaces import PREFIXES

# okgid:/okgv: local names contain "/", which Turtle would escape ("okgid:model\/llama");
# full IRIs read better, so those two prefixes are left out of the dumps.
DUMP_PREFIXES = {k: v for k, v in PREFIXES.items() if k not in ("okgid", "okgv")}

DUMP_FILES = {
    "trig": "openness-kg.trig",
    "nquads": "openness-kg.nq",
    "turtle": "openness-kg.ttl",
    "jsonld": "openness-kg.jsonld",
}


def to_oxigraph(term):
    """rdflib term -> pyoxigraph term."""
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


def sorted_quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of ``ds`` as a pyoxigraph ``Quad``, sorted by graph, subject, predicate, object."""
    quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(g.identifier if hasattr(g, "identifier") else g)))
             for s, p, o, g in ds.quads((None, None, None, None)) if g is not None]
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def write_dumps(ds: Dataset, out_dir: Path) -> dict[str, Path]:
    """Write the four dumps into ``out_dir``; returns ``{format: path}``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    quads = sorted_quads(ds)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    written = {}
    p = out_dir / DUMP_FILES["trig"]
    ox.serialize(quads, str(p), ox.RdfFormat.TRIG, prefixes=DUMP_PREFIXES)
    written["trig"] = p
    p = out_dir / DUMP_FILES["nquads"]
    ox.serialize(quads, str(p), ox.RdfFormat.N_QUADS)
    written["nquads"] = p
    p = out_dir / DUMP_FILES["turtle"]
    ox.serialize(triples, str(p), ox.RdfFormat.TURTLE, prefixes=DUMP_PREFIXES)
    written["turtle"] = p
    p = out_dir / DUMP_FILES["jsonld"]
    ox.serialize(quads, str(p), ox.RdfFormat.JSON_LD, prefixes=DUMP_PREFIXES)
    written["jsonld"] = p
    return written
