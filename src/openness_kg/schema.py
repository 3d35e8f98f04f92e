"""The LinkML schema (``schema/openness_kg.yaml``), read once, and the artefacts generated from it.

Everything that maps curated records to RDF reads this module: class IRIs, slot IRIs (predicates),
ranges and the SKOS concept IRI of every enum value come from the schema file, so the schema is
the single source of truth. ``generate()`` writes the OWL ontology, SHACL shapes and JSON Schema
(``schema/generated/``) with LinkML's own generators.
"""
from __future__ import annotations

import io
import json
from contextlib import redirect_stderr
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from linkml_runtime.utils.schemaview import SchemaView

from . import paths
from .files import write_text_atomic

BUILTIN_TYPES = {"string", "integer", "boolean", "date", "uri", "uriorcurie", "float", "decimal"}


@dataclass(frozen=True)
class SlotInfo:
    """One field of a class: its predicate IRI, range and cardinality.

    ``kind`` is ``"class"`` (a reference to or an inlined record), ``"enum"`` (a SKOS concept) or
    ``"type"`` (a literal or IRI); ``base`` is the builtin type for ``"type"`` slots (``string``,
    ``integer``, ``boolean``, ``date``, ``uri``).
    """

    name: str
    iri: str
    range: str
    kind: str
    base: str | None
    multivalued: bool
    required: bool
    inlined: bool
    identifier: bool


class Schema:
    """Read-only view of the schema, with the lookups the builder needs."""

    def __init__(self, path: Path = paths.SCHEMA_FILE):
        self.path = path
        self.view = SchemaView(str(path))
        self.view.merge_imports()

    @lru_cache(maxsize=None)
    def container_classes(self) -> dict[str, str]:
        """Curated-file list keys -> class name, e.g. ``{"models": "Model", ...}``."""
        root = self.view.get_class("CuratedFile")
        return {s: self.view.get_slot(s).range for s in root.slots}

    @lru_cache(maxsize=None)
    def class_iri(self, class_name: str) -> str:
        return self.view.get_uri(class_name, expand=True)

    @lru_cache(maxsize=None)
    def slots(self, class_name: str) -> dict[str, SlotInfo]:
        """Fields of a class (inherited ones included), by name, in schema order."""
        out = {}
        for s in self.view.class_induced_slots(class_name):
            rng = s.range or self.view.schema.default_range
            if rng in self.view.all_classes():
                kind, base = "class", None
            elif rng in self.view.all_enums():
                kind, base = "enum", None
            else:
                kind, base = "type", self._base_type(rng)
            iri = self.view.expand_curie(s.slot_uri) if s.slot_uri else self.view.get_uri(s, expand=True)
            out[s.name] = SlotInfo(
                name=s.name, iri=iri, range=rng, kind=kind, base=base,
                multivalued=bool(s.multivalued), required=bool(s.required),
                inlined=bool(s.inlined or s.inlined_as_list), identifier=bool(s.identifier),
            )
        return out

    def _base_type(self, type_name: str) -> str:
        t = type_name
        while t not in BUILTIN_TYPES:
            typ = self.view.get_type(t)
            if typ is None or not typ.typeof:
                return "string"
            t = typ.typeof
        return t

    @lru_cache(maxsize=None)
    def enum_values(self, enum_name: str) -> dict[str, str]:
        """Enum value -> SKOS concept IRI (its ``meaning``), e.g.
        ``enum_values("Stance")["favours_open"]`` ->
        ``https://w3id.org/openness-kg/vocab/stance/favours-open``."""
        enum = self.view.get_enum(enum_name)
        return {k: self.view.expand_curie(v.meaning) for k, v in enum.permissible_values.items()}

    @lru_cache(maxsize=None)
    def subclasses(self, class_name: str) -> list[str]:
        """Concrete classes a reference of range ``class_name`` may point to."""
        names = self.view.class_descendants(class_name, reflexive=True)
        return sorted(n for n in names if not self.view.get_class(n).abstract)


@lru_cache(maxsize=1)
def get_schema() -> Schema:
    """The project's schema, loaded once per process."""
    return Schema()


def generated_texts(schema_path: Path = paths.SCHEMA_FILE) -> dict[str, str]:
    """Run LinkML's generators and return ``{file name: text}`` for the OWL ontology (Turtle),
    the ontology graph of the build (OWL + SKOS vocabularies, N-Triples, :func:`ontology_text`),
    SHACL shapes (Turtle) and JSON Schema. Needs the ``linkml`` package (``pip install .[dev]``).
    """
    from linkml.generators.jsonschemagen import JsonSchemaGenerator
    from linkml.generators.owlgen import OwlSchemaGenerator
    from linkml.generators.shaclgen import ShaclGenerator

    src = str(schema_path)
    with redirect_stderr(io.StringIO()):
        owl = OwlSchemaGenerator(
            src, use_native_uris=False, consolidate_cardinality_axioms=True,
            skip_vacuous_local_range_axioms=True, skip_vacuous_min_zero_cardinality_axioms=True,
            default_permissible_value_type="http://www.w3.org/2004/02/skos/core#Concept",
        ).serialize()
        shacl = ShaclGenerator(src).serialize()
        jsonschema = JsonSchemaGenerator(src).serialize()
    jsonschema = json.dumps(json.loads(jsonschema), indent=2, sort_keys=True) + "\n"
    return {
        paths.OWL_FILE.name: owl,
        paths.ONTOLOGY_FILE.name: ontology_text(owl, Schema(schema_path)),
        paths.SHACL_FILE.name: shacl,
        paths.JSON_SCHEMA_FILE.name: jsonschema,
    }


def generate(out_dir: Path = paths.GENERATED_DIR) -> list[Path]:
    """Write the generated files into ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generated_texts().items():
        written.append(write_text_atomic(out_dir / name, text))
    return written


def vocabulary_graph(schema: "Schema"):
    """SKOS concept schemes of the schema's enums: one ``skos:ConceptScheme`` per enum
    (``.../vocab/<scheme>``), one ``skos:Concept`` per value with its label, definition and
    ``skos:exactMatch`` to external terms (ccREL) where the schema maps one."""
    from rdflib import RDF, SKOS, Graph, Literal, URIRef

    g = Graph()
    view = schema.view
    for enum_name in sorted(view.all_enums()):
        enum = view.get_enum(enum_name)
        meanings = schema.enum_values(enum_name)
        if not meanings:
            continue
        first = next(iter(meanings.values()))
        scheme = URIRef(first.rsplit("/", 1)[0])
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(enum_name, lang="en")))
        if enum.description:
            g.add((scheme, SKOS.definition, Literal(enum.description, lang="en")))
        for value, meaning in meanings.items():
            c = URIRef(meaning)
            pv = enum.permissible_values[value]
            g.add((c, RDF.type, SKOS.Concept))
            g.add((c, SKOS.prefLabel, Literal(value.replace("_", " "), lang="en")))
            g.add((c, SKOS.notation, Literal(value)))
            g.add((c, SKOS.inScheme, scheme))
            g.add((c, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, c))
            if pv.description:
                g.add((c, SKOS.definition, Literal(pv.description, lang="en")))
            for mapping in pv.exact_mappings or []:
                g.add((c, SKOS.exactMatch, URIRef(view.expand_curie(mapping))))
    return g


def ontology_text(owl_turtle: str, schema: "Schema") -> str:
    """The ontology graph as sorted N-Triples: the OWL ontology (Turtle text ``owl_turtle``)
    plus :func:`vocabulary_graph`, with blank nodes given canonical labels (rdflib's
    ``to_canonical_graph``), so the text is the same on every run."""
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    g = Graph()
    g.parse(data=owl_turtle, format="turtle")
    g += vocabulary_graph(schema)
    nt = to_canonical_graph(g).serialize(format="nt")
    triples = sorted(ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES),
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
