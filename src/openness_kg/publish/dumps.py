"""Write the knowledge graph as TriG, N-Quads, Turtle (union of all graphs) and JSON-LD.

The quads come sorted (graph, subject, predicate, object) from the
:class:`~openness_kg.graph.KnowledgeGraph` and are serialised with pyoxigraph, so the same inputs
give byte-identical files. File names: ``openness-kg.trig``, ``openness-kg.nq``,
``openness-kg.ttl``, ``openness-kg.jsonld``.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..graph import KnowledgeGraph, union_triples
from ..namespaces import PREFIXES

# okgid:/okgv: local names contain "/", which Turtle would escape ("okgid:model\/llama");
# full IRIs read better, so those two prefixes are left out of the dumps.
DUMP_PREFIXES = {k: v for k, v in PREFIXES.items() if k not in ("okgid", "okgv")}

DUMP_FILES = {
    "trig": "openness-kg.trig",
    "nquads": "openness-kg.nq",
    "turtle": "openness-kg.ttl",
    "jsonld": "openness-kg.jsonld",
}


def write_dumps(kg: KnowledgeGraph, out_dir: Path) -> dict[str, Path]:
    """Write the four dumps of ``kg`` into ``out_dir``; returns ``{format: path}`` (formats
    ``trig``, ``nquads``, ``turtle``, ``jsonld``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    quads = kg.quads
    written = {}
    for fmt, rdf_format, data, prefixes in (
            ("trig", ox.RdfFormat.TRIG, quads, DUMP_PREFIXES),
            ("nquads", ox.RdfFormat.N_QUADS, quads, None),
            ("turtle", ox.RdfFormat.TURTLE, union_triples(quads), DUMP_PREFIXES),
            ("jsonld", ox.RdfFormat.JSON_LD, quads, DUMP_PREFIXES)):
        p = out_dir / DUMP_FILES[fmt]
        if prefixes:
            ox.serialize(data, str(p), rdf_format, prefixes=prefixes)
        else:
            ox.serialize(data, str(p), rdf_format)
        written[fmt] = p
    return written
