"""Export the checked knowledge graph to SQLite (sqlite-utils) for browsing in Datasette.

Every table is derived from the knowledge graph (:class:`~openness_kg.graph.KnowledgeGraph`, the
checked graph with the analyses' derived graph) and the LinkML schema; the YAML records are not
read. A *record* of a class is a subject typed with the class's IRI (``rdf:type``) in a named
graph that holds records: any graph but ``ontology``, ``dataset`` and ``derived``. Its field
values are the union, over those graphs, of the objects of the field's predicate, mapped back to
the values of the curated files: a record IRI to the record's id, a SKOS concept to its enum
value, a typed literal to an integer, a boolean (0/1) or a string. The tables follow the schema,
so a class added to the schema gets its table without code:

* **class tables** — one per list of a curated file (``sources``, ``organisations``,
  ``model_families``, ``models``, ``artifacts``, ``licences``, ``products``, ``claims``,
  ``openness_labels``, ``assessments``): primary key ``id`` (the record's slug), ``iri`` (its
  IRI), then one column per field; rows ordered by ``id``. A single reference is a foreign key to
  the referenced table's ``id``; a reference that may point to several classes (``labelled``,
  ``serves``, ``about``, ``assessed``) holds the record's IRI, a foreign key to ``records.iri``,
  and is followed by one column per class it may point to (``labelled_model``,
  ``assessed_model``...: the record's id when it is of that class, a foreign key to that class's
  table, so a model's row page lists its labels and assessments). A claim's ``source`` column
  holds the source document its passages cite (empty when they cite several). A
  controlled value (enum) is a foreign key to its vocabulary table. A multivalued field is a
  sorted JSON array column (for Datasette's array facets; polymorphic references written
  ``<class segment>/<slug>`` as in the curated files) *and* a link table.
* **vocabulary tables** — one per enum (``licence_terms``, ``artifact_types``, ``dimensions``...),
  from the schema: ``id`` (the value as written in the curated files), ``iri`` (its SKOS concept),
  ``label``, ``description``.
* **link tables** ``<table>_<field>`` — one row per value of a multivalued field: the owning
  record (column named after its class, e.g. ``model``) and the value (column named after the
  field), both foreign keys where the value is a record or a vocabulary term; a reference to
  records of several classes (``claims_about``) has the per-class columns too (``about_model``).
* ``records`` — every record, ordered by IRI: ``iri`` (primary key), ``class``, ``table_name``,
  ``id``, ``label`` (its name, else a claim's text, else its id).
* ``provenance`` — one row per passage (``oa:TextPositionSelector``), public-record citation
  (``okg:PublicRecordCitation``) or dataset record (``okg:DatasetCitation``) a record points to
  (``okg:evidence``, ``okg:publicRecord``, ``okg:datasetRecord``): ``record`` (IRI), ``kind``
  (``passage`` / ``public_record`` / ``dataset_record``), ``source``, ``start``, ``end``
  (character offsets, end exclusive), ``url``, ``locator`` (``<file>#<field>`` in an imported
  dataset), ``links`` (sorted JSON array of the dataset's evidence links), ``supports`` (sorted
  JSON array of field names), ``graph`` (the named graph holding the node), ``iri`` (the passage
  or citation node), and one column per class (``model``, ``claim``...) holding the record's id
  as a foreign key, so Datasette's row pages list their evidence. Rows are ordered by record
  (class, id), then kind in the order above, then source and offsets / URL / source and locator
  (RDF keeps no order, so not the order of the curated files).
* ``terms`` — every RDF term once: ``id`` (integer primary key, 1, 2, ... in order of first use
  in the quads), ``value`` (an IRI, ``_:<label>`` for a blank node, or a literal's text),
  ``term_type`` (``iri`` / ``literal`` / ``bnode``), ``datatype`` (none for plain strings and
  language-tagged text), ``language``;
* ``quads`` — every quad of the RDF dataset as four term ids (``graph``, ``subject``,
  ``predicate``, ``object``, foreign keys to ``terms.id``), in the graph's order;
* ``triples`` — a view of ``quads`` with the terms written out: ``graph``, ``subject``,
  ``predicate``, ``object``, ``object_type``, ``datatype``, ``language`` (:data:`TRIPLES_VIEW`);
  a filter on a value is answered through ``terms.value`` and the ``quads`` indexes.
* analysis tables, passed in as pandas data frames; a ``model`` column whose values are all model
  ids is a foreign key to ``models.id``.

Foreign-key columns are indexed, and so are the columns of the default facets of the Datasette
display settings (:func:`openness_kg.publish.datasette.facet_columns`); names, descriptions and
claim texts have full-text search (FTS5); ``ANALYZE`` statistics (``sqlite_stat1``) let the query
planner choose its indexes. The whole file
is written in one transaction, under a temporary name beside the target, and moved into place
when complete; the same graph gives the same bytes.
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any, Iterator, Mapping

import pyoxigraph as ox
import sqlite_utils
from sqlite_utils.utils import suggest_column_types

from ..files import atomic_file
from ..namespaces import CLASS_SEGMENTS, DATASET_GRAPH, OA, OKG, OKGID, ONTOLOGY_GRAPH, SCHEMA
from ..schema import Schema, SlotInfo, get_schema

DB_FILE = "openness-kg.db"
# fields kept out of the class tables: provenance goes to the provenance table
PROVENANCE_FIELDS = ("evidence", "public_record", "dataset_record")
# columns searched by full-text search, per table (those present are used)
FTS_COLUMNS = ("name", "description", "text", "correction")
SQL_TYPES = {"integer": int, "boolean": int, "float": float, "decimal": float}
TRIPLE_COLUMNS = ("graph", "subject", "predicate", "object", "object_type", "datatype", "language")
# classes whose table has a ``source`` column: the one source document their passages cite
SOURCE_CLASSES = ("Claim",)
# analysis tables with a ``model`` column of model ids get a foreign key to this class's table
MODEL_CLASS = "Model"
# indexes for the stored queries (queries/sql/) beyond the foreign-key and facet indexes: a
# model's artifact of one component, with its availability, read from the index alone
# (models-per-country, index-comparison; 91 -> 35 ms at the benchmark's 10x)
QUERY_INDEXES = {"artifacts": [("artifact_of", "component", "availability")]}
# the triples view: every quad with its terms written out. LEFT JOINs on the terms' primary key
# add no rows and drop none, so SQLite leaves out the joins a query does not read (a count(*)
# reads the quads table alone)
TRIPLES_VIEW = """select g.value as graph, s.value as subject, p.value as predicate, o.value as object,
  o.term_type as object_type, o.datatype as datatype, o.language as language
from quads q
left join terms g on g.id = q.graph
left join terms s on s.id = q.subject
left join terms p on p.id = q.predicate
left join terms o on o.id = q.object"""

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DCT_SOURCE = "http://purl.org/dc/terms/source"
OKG_SUPPORTS = str(OKG["supports"])
OKG_LOCATOR = str(OKG["locator"])
OKG_EVIDENCE_LINK = str(OKG["evidenceLink"])
OA_START, OA_END = str(OA["start"]), str(OA["end"])
SCHEMA_URL = str(SCHEMA["url"])
# provenance kinds: (kind, predicate from the record to the node, class of the node), in row order
PROVENANCE_KINDS = (
    ("passage", str(OKG["evidence"]), str(OA["TextPositionSelector"])),
    ("public_record", str(OKG["publicRecord"]), str(OKG["PublicRecordCitation"])),
    ("dataset_record", str(OKG["datasetRecord"]), str(OKG["DatasetCitation"])),
)


def snake(name: str) -> str:
    """``ModelFamily`` -> ``model_family``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def plural(word: str) -> str:
    """English plural of a snake_case table stem: ``modality`` -> ``modalities``."""
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy", "uy")):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclass(frozen=True)
class Layout:
    """Table and column names derived from the schema (see the module docstring)."""

    schema: Schema

    def class_tables(self) -> dict[str, str]:
        """Class name -> table name, e.g. ``{"Model": "models", ...}``."""
        return {cls: key for key, cls in self.schema.container_classes().items()}

    def enum_table(self, enum_name: str) -> str:
        """``LicenceTerm`` -> ``licence_terms``."""
        return plural(snake(enum_name))

    def owner_column(self, class_name: str) -> str:
        """Column naming the owning record in a link table: ``ModelFamily`` -> ``model_family``."""
        return CLASS_SEGMENTS[class_name].replace("-", "_")

    def link_table(self, class_name: str, slot: str) -> str:
        return f"{self.class_tables()[class_name]}_{slot}"

    def fields(self, class_name: str) -> list[SlotInfo]:
        """Fields of a class that become columns (all but ``id`` and the provenance fields):
        ``name`` first, then the class's own fields in schema order, ``description`` last."""
        slots = [s for n, s in self.schema.slots(class_name).items()
                 if n != "id" and n not in PROVENANCE_FIELDS and not s.inlined]
        rank = {"name": 0, "description": 2}
        return sorted(slots, key=lambda s: rank.get(s.name, 1))

    def is_polymorphic(self, info: SlotInfo) -> bool:
        return info.kind == "class" and len(self.schema.subclasses(info.range)) > 1

    def target(self, info: SlotInfo) -> tuple[str, str] | None:
        """``(table, column)`` a field's values point to, or None for plain values."""
        if info.kind == "enum":
            return self.enum_table(info.range), "id"
        if info.kind == "class":
            if self.is_polymorphic(info):
                return "records", "iri"
            return self.class_tables()[self.schema.subclasses(info.range)[0]], "id"
        return None

    def companions(self, info: SlotInfo) -> list[tuple[str, str, str]]:
        """``[(column, class, table), ...]`` for a reference that may point to several classes
        (its values are record IRIs): one column per class, named ``<field>_<class segment>``
        (``labelled_model``), holding the record's id when it is of that class, a foreign key
        to that class's table, so the record's row page lists what points at it. Empty for
        any other field."""
        if not self.is_polymorphic(info):
            return []
        tables = self.class_tables()
        return [(f"{info.name}_{self.owner_column(c)}", c, tables[c])
                for c in self.schema.subclasses(info.range)]

    def enums(self) -> list[str]:
        """Enums used by any class table's fields, sorted."""
        out = set()
        for cls in self.class_tables():
            out |= {s.range for s in self.fields(cls) if s.kind == "enum"}
        return sorted(out)


def _column_type(info: SlotInfo) -> type:
    if info.multivalued:
        return str  # JSON array
    if info.kind == "type":
        return SQL_TYPES.get(info.base or "string", str)
    return str


def _json_list(values: list) -> str | None:
    return json.dumps(sorted(values), ensure_ascii=False) if values else None


@dataclass
class _Triples:
    """The compact form of the quads: ``terms`` rows ``(id, value, term_type, datatype,
    language)``, one per distinct RDF term, ids 1, 2, ... in order of first appearance; ``quads``
    rows ``(graph, subject, predicate, object)`` of term ids, in the graph's order."""

    terms: list[tuple]
    quads: list[tuple]

    def rows(self) -> Iterator[tuple]:
        """The quads written out whole, as the ``triples`` view shows them (columns
        :data:`TRIPLE_COLUMNS`)."""
        by_id = {t[0]: t for t in self.terms}
        for g, s, p, o in self.quads:
            ot = by_id[o]
            yield by_id[g][1], by_id[s][1], by_id[p][1], ot[1], ot[2], ot[3], ot[4]


def _scan(kg, skip_graphs: frozenset[str] | set[str] = frozenset()):
    """One pass over the quads of ``kg``: the compact ``terms`` and ``quads`` rows (a
    :class:`_Triples`), and the facts of the graphs not in ``skip_graphs``: ``{subject:
    {predicate: {(object value, object type, datatype)}}}`` (the union over those graphs) and
    ``{subject: graphs of its rdf:type quads}``. A blank node's value is ``_:<label>``; a plain
    string literal has no datatype."""
    terms: list[tuple] = []
    quads: list[tuple] = []
    append = quads.append
    # term ids: IRIs and blank nodes by their text (a blank node's starts with "_:", which no
    # IRI does), literals by (value, datatype, language)
    nodes: dict[str, int] = {}
    literals: dict[tuple, int] = {}

    def node_id(text: str, kind: str) -> int:
        i = nodes.get(text)
        if i is None:
            i = nodes[text] = len(terms) + 1
            terms.append((i, text, kind, None, None))
        return i

    facts: dict[str, dict[str, set]] = {}
    type_graphs: dict[str, set[str]] = {}
    Literal, BlankNode = ox.Literal, ox.BlankNode
    last_s = by_p = None
    for q in kg.quads:
        s, o = q.subject, q.object
        s = str(s) if isinstance(s, BlankNode) else s.value
        g, p = q.graph_name.value, q.predicate.value
        if isinstance(o, Literal):
            lang = o.language
            dt = None if lang else o.datatype.value
            if dt == XSD_STRING:
                dt = None
            obj = (o.value, "literal", dt)
            key = (o.value, dt, lang)
            oi = literals.get(key)
            if oi is None:
                oi = literals[key] = len(terms) + 1
                terms.append((oi, o.value, "literal", dt, lang))
        elif isinstance(o, BlankNode):
            obj = (str(o), "bnode", None)
            oi = nodes.get(obj[0]) or node_id(obj[0], "bnode")
        else:
            obj = (o.value, "iri", None)
            oi = nodes.get(obj[0]) or node_id(obj[0], "iri")
        append((nodes.get(g) or node_id(g, "iri"),
                nodes.get(s) or node_id(s, "bnode" if s.startswith("_:") else "iri"),
                nodes.get(p) or node_id(p, "iri"), oi))
        if g in skip_graphs:
            continue
        if s != last_s:  # quads come sorted by graph and subject: most rows reuse the subject
            by_p = facts.get(s)
            if by_p is None:
                by_p = facts[s] = {}
            last_s = s
        objs = by_p.get(p)
        if objs is None:
            by_p[p] = {obj}
        else:
            objs.add(obj)
        if p == RDF_TYPE:
            gs = type_graphs.get(s)
            if gs is None:
                type_graphs[s] = {g}
            else:
                gs.add(g)
    return _Triples(terms, quads), facts, type_graphs


# an object of a quad as read from the triples rows: (value, object_type, datatype)
_Obj = tuple[str, str, "str | None"]


class _GraphTables:
    """The rows of the class, link, ``records`` and ``provenance`` tables, read off the facts of
    the record graphs (see :func:`_scan`). Raises ``ValueError`` (naming the record IRI, the field
    and the value) when a value cannot be mapped back to what the curated files would hold."""

    def __init__(self, layout: Layout, facts: dict[str, dict[str, set[_Obj]]],
                 type_graphs: dict[str, set[str]]):
        self.layout = layout
        schema = layout.schema
        self.tables = layout.class_tables()
        self.facts = facts
        self.type_graphs = type_graphs

        class_of: dict[str, str] = {}
        for cls in self.tables:
            ciri = schema.class_iri(cls)
            if ciri in class_of:
                raise ValueError(f"classes {class_of[ciri]} and {cls} share the IRI <{ciri}>")
            class_of[ciri] = cls
        records: dict[str, tuple[str, str]] = {}
        for s, by_p in facts.items():
            found = {class_of[o] for o, ot, _ in by_p.get(RDF_TYPE, ()) if ot == "iri" and o in class_of}
            if not found:
                continue
            if len(found) > 1:
                raise ValueError(f"<{s}> is typed with several record classes ({', '.join(sorted(found))})")
            cls = found.pop()
            prefix = f"{OKGID}{CLASS_SEGMENTS[cls]}/"
            if not s.startswith(prefix) or len(s) == len(prefix):
                raise ValueError(f"<{s}> is typed {cls} but is no {cls} IRI ({prefix}<id>)")
            records[s] = (cls, s[len(prefix):])
        self.records = records
        self.by_class: dict[str, list[tuple[str, str]]] = {cls: [] for cls in self.tables}
        for iri, (cls, slug) in records.items():
            self.by_class[cls].append((slug, iri))
        for rows in self.by_class.values():
            rows.sort()
        self.enum_values = {e: {iri: v for v, iri in schema.enum_values(e).items()} for e in layout.enums()}
        self._allowed = {}
        # record IRI -> field name -> values (stored form; lists for multivalued fields)
        self.values: dict[str, dict[str, Any]] = {}
        for cls in self.tables:
            fields = layout.fields(cls)
            preds = {}
            for info in fields:
                if info.iri in preds:
                    raise ValueError(f"{cls}: fields {preds[info.iri]!r} and {info.name!r} share the "
                                     f"predicate <{info.iri}>")
                preds[info.iri] = info.name
            for _, iri in self.by_class[cls]:
                by_p = facts[iri]
                self.values[iri] = {info.name: self._field(iri, info, by_p.get(info.iri, ()))
                                    for info in fields}

    # --- mapping objects back to field values ---------------------------------------------

    def _field(self, iri: str, info: SlotInfo, objs) -> Any:
        """The value(s) of field ``info`` of record ``iri``: for a single value the stored form
        (or None); for a multivalued field a sorted list of ``(stored form, JSON form)``."""
        vals = [self._value(iri, info, o) for o in objs]
        if info.multivalued:
            return sorted(vals, key=lambda v: v[1])
        if not vals:
            return None
        if len(vals) > 1:
            shown = ", ".join(sorted(repr(o[0]) for o in objs))
            raise ValueError(f"record <{iri}>, field {info.name!r}: {len(vals)} values ({shown}) "
                             f"where the schema allows one")
        return vals[0][0]

    def _value(self, iri: str, info: SlotInfo, obj: _Obj) -> tuple[Any, Any]:
        value, otype, _ = obj

        def bad(what: str) -> ValueError:
            return ValueError(f"record <{iri}>, field {info.name!r}: value {value!r} is {what}")

        if info.kind == "class":
            key = self.records.get(value) if otype == "iri" else None
            allowed = self._allowed.get(info.range)
            if allowed is None:
                allowed = self._allowed[info.range] = set(self.layout.schema.subclasses(info.range))
            if key is None or key[0] not in allowed:
                raise bad(f"no record of class {' or '.join(sorted(allowed))} in the graph")
            if self.layout.is_polymorphic(info):
                return value, f"{CLASS_SEGMENTS[key[0]]}/{key[1]}"
            return key[1], key[1]
        if info.kind == "enum":
            v = self.enum_values[info.range].get(value) if otype == "iri" else None
            if v is None:
                raise bad(f"no concept of the vocabulary {info.range}")
            return v, v
        base = info.base or "string"
        try:
            if base == "integer":
                v = int(value)
                return v, v
            if base == "boolean":
                b = {"true": True, "1": True, "false": False, "0": False}[value]
                return int(b), b
            if base in ("float", "decimal"):
                v = float(value)
                return v, v
        except (KeyError, ValueError):
            raise bad(f"no {base}") from None
        return value, value

    # --- the rows ---------------------------------------------------------------------------

    def record_rows(self) -> list[tuple]:
        """``records`` rows (iri, class, table_name, id, label), ordered by IRI."""
        out = []
        for iri in sorted(self.records):
            cls, slug = self.records[iri]
            vals = self.values[iri]
            label = vals.get("name") or vals.get("text") or slug
            out.append((iri, cls, self.tables[cls], slug, label))
        return out

    def _companion_values(self, info: SlotInfo, value: str | None) -> list[str | None]:
        """The values of :meth:`Layout.companions` columns for the record IRI ``value``."""
        key = self.records.get(value) if value else None
        return [key[1] if key and key[0] == c else None for _, c, _ in self.layout.companions(info)]

    def class_rows(self, cls: str, sources: Mapping[str, str | None] | None = None
                   ) -> tuple[list[str], list[tuple]]:
        """Columns and rows of the table of class ``cls``, ordered by id: ``id``, each field
        (followed by its :meth:`Layout.companions` columns), ``source`` for the classes in
        :data:`SOURCE_CLASSES` (from ``sources``: record IRI -> source id), ``iri``."""
        fields = self.layout.fields(cls)
        with_source = cls in SOURCE_CLASSES
        cols = ["id"]
        for info in fields:
            cols.append(info.name)
            if not info.multivalued:
                cols += [c for c, _, _ in self.layout.companions(info)]
        cols += ["source"] * with_source + ["iri"]
        rows = []
        for slug, iri in self.by_class[cls]:
            vals = self.values[iri]
            row = [slug]
            for info in fields:
                v = vals[info.name]
                if info.multivalued:
                    v = json.dumps([j for _, j in v], ensure_ascii=False) if v else None
                    row.append(v)
                else:
                    row.append(v)
                    row += self._companion_values(info, v)
            if with_source:
                row.append((sources or {}).get(iri))
            row.append(iri)
            rows.append(tuple(row))
        return cols, rows

    def link_rows(self, cls: str, info: SlotInfo) -> list[tuple]:
        """(owner id, value, *companions) rows of the link table of a multivalued field, sorted
        (see :meth:`Layout.companions`)."""
        return sorted((slug, v, *self._companion_values(info, v)) for slug, iri in self.by_class[cls]
                      for v, _ in self.values[iri][info.name])

    def provenance_rows(self, owners: Mapping[str, str]) -> tuple[list[str], list[tuple]]:
        """Columns and rows of the ``provenance`` table; ``owners``: class -> owner column."""
        owner_cols = list(owners.values())
        cols = ["record", "kind", "source", "start", "end", "url", "locator", "links", "supports",
                "graph", "iri", *owner_cols]
        out = []
        for cls in sorted(owners):
            col_index = owner_cols.index(owners[cls])
            for slug, riri in self.by_class[cls]:
                by_p = self.facts[riri]
                for kind, link, node_class in PROVENANCE_KINDS:
                    rows = []
                    for node, otype, _ in by_p.get(link, ()):
                        row = self._provenance(riri, kind, link, node, otype, node_class)
                        owner = [None] * len(owner_cols)
                        owner[col_index] = slug
                        rows.append((riri, kind, *row, *owner))
                    # source, start, end, url, locator: the order within a record and kind
                    rows.sort(key=lambda r: tuple((v is None, v) for v in r[2:7]))
                    out.extend(rows)
        return cols, out

    def _provenance(self, riri: str, kind: str, link: str, node: str, otype: str,
                    node_class: str) -> tuple:
        """(source, start, end, url, locator, links, supports, graph, iri) of the provenance node
        ``node`` (an object of ``link`` of record ``riri``)."""
        where = f"record <{riri}>, {kind} <{node}>"
        by_p = self.facts.get(node, {}) if otype == "iri" else {}
        if (node_class, "iri", None) not in by_p.get(RDF_TYPE, ()):
            raise ValueError(f"record <{riri}>, <{link}>: value {node!r} is no <{node_class}> in the graph")
        graphs = self.type_graphs[node]
        if len(graphs) != 1:
            raise ValueError(f"{where} is typed in {len(graphs)} named graphs ({', '.join(sorted(graphs))})")

        def values(pred: str) -> list[_Obj]:
            return sorted(by_p.get(pred, ()))

        def one(pred: str) -> _Obj:
            vals = values(pred)
            if len(vals) != 1:
                raise ValueError(f"{where}: {len(vals)} values of <{pred}> where it takes one")
            return vals[0]

        def source() -> str:
            value, otype, _ = one(DCT_SOURCE)
            key = self.records.get(value) if otype == "iri" else None
            if key is None or key[0] != "Source":
                raise ValueError(f"{where}: source {value!r} is no Source record in the graph")
            return key[1]

        def integer(pred: str) -> int:
            value = one(pred)[0]
            try:
                return int(value)
            except ValueError:
                raise ValueError(f"{where}: <{pred}> value {value!r} is no integer") from None

        supports = _json_list([v for v, _, _ in values(OKG_SUPPORTS)])
        src = start = end = url = locator = links = None
        if kind == "passage":
            src, start, end = source(), integer(OA_START), integer(OA_END)
        elif kind == "public_record":
            url = one(SCHEMA_URL)[0]
        else:
            src, locator = source(), one(OKG_LOCATOR)[0]
            links = _json_list([v for v, _, _ in values(OKG_EVIDENCE_LINK)])
        return src, start, end, url, locator, links, supports, next(iter(graphs)), node


def write_sqlite(kg, path: Path, extra_tables: Mapping[str, Any] | None = None,
                 schema: Schema | None = None) -> Path:
    """Write the SQLite database of the knowledge graph ``kg`` (a
    :class:`~openness_kg.graph.KnowledgeGraph`: the checked graph, usually with the derived
    graph) to ``path``.

    ``extra_tables`` maps table names to pandas data frames (the analysis tables); ``schema``
    defaults to the project's schema. Every table is derived from ``kg`` and the schema (see the
    module docstring); the whole file is written in one transaction under a temporary name in
    the same folder and moved onto ``path`` only when complete, so a failure leaves any previous
    file untouched. The same graph and tables give a byte-identical file. Returns ``path``.

    Raises ``ValueError`` when a record's value cannot be mapped back (an object that is no
    record of the field's range, an unknown SKOS concept, a malformed typed literal, several
    values for a single-valued field, a provenance node without its source or offsets: the
    message names the record IRI, the field and the value), or when an extra table's name
    clashes with a generated table.
    """
    from ..analyse import DERIVED_GRAPH  # imported here: the analysis package loads pandas
    from .datasette import facet_columns  # imported here: that module imports this one

    schema = schema or get_schema()
    layout = Layout(schema)
    path = Path(path)
    extra_tables = extra_tables or {}
    triples, facts, type_graphs = _scan(kg, {str(ONTOLOGY_GRAPH), str(DATASET_GRAPH), str(DERIVED_GRAPH)})
    content = _GraphTables(layout, facts, type_graphs)
    with atomic_file(path, suffix=".db") as tmp:
        tmp.unlink()  # SQLite creates the file, with the usual permissions (mkstemp's are 0600)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            db = sqlite_utils.Database(conn)
            conn.execute("BEGIN")
            _write(db, layout, content, triples, extra_tables, facet_columns())
            conn.execute("ANALYZE")
            conn.execute("COMMIT")
        finally:
            conn.close()
    return path


def _write(db: sqlite_utils.Database, layout: Layout, content: _GraphTables, triples: _Triples,
           extra_tables: Mapping[str, Any], facet_index: Mapping[str, list[str]]) -> None:
    conn = db.conn
    tables = layout.class_tables()
    created: set[str] = set()

    def create(name: str, columns: dict, pk=None, fks=(), not_null=()):
        if name in created:
            raise ValueError(f"table {name!r} defined twice")
        db[name].create(columns, pk=pk, foreign_keys=list(fks), not_null=set(not_null))
        created.add(name)

    def insert(name: str, columns, rows, ignore: bool = False):
        cols = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        verb = "INSERT OR IGNORE" if ignore else "INSERT"
        conn.executemany(f'{verb} INTO "{name}" ({cols}) VALUES ({marks})', rows)

    # records: the hub every polymorphic reference points to
    record_cols = {"iri": str, "class": str, "table_name": str, "id": str, "label": str}
    create("records", record_cols, pk="iri", not_null=("class", "table_name", "id"))
    insert("records", record_cols, content.record_rows())

    # vocabulary tables
    for enum_name in layout.enums():
        t = layout.enum_table(enum_name)
        create(t, {"id": str, "iri": str, "label": str, "description": str}, pk="id")
        enum = layout.schema.view.get_enum(enum_name)
        insert(t, ("id", "iri", "label", "description"),
               [(v, iri, v.replace("_", " "), enum.permissible_values[v].description)
                for v, iri in layout.schema.enum_values(enum_name).items()])

    # provenance rows first: a claim's source column is read off its passages
    owners = {cls: layout.owner_column(cls) for cls in sorted(tables) if cls != "Source"}
    prov_columns, prov_rows = content.provenance_rows(owners)
    passage_sources: dict[str, set[str]] = {}
    for r in prov_rows:
        if r[1] == "passage":
            passage_sources.setdefault(r[0], set()).add(r[2])
    # the one source a record's passages cite (none when they cite several)
    sources = {iri: next(iter(s)) for iri, s in passage_sources.items() if len(s) == 1}

    # class tables, referenced tables before the tables pointing at them
    # sorted lists, not sets: the sorter's order (and so the file's bytes) follows their order
    deps = {cls: sorted(c for c, t in tables.items() if t != tables[cls] and any(
        t in {(layout.target(i) or ("", ""))[0], *(o for _, _, o in layout.companions(i))}
        for i in layout.fields(cls) if not i.multivalued))
        for cls in sorted(tables)}
    order = list(TopologicalSorter(deps).static_order())
    for cls in order:
        t = tables[cls]
        cols: dict[str, type] = {"id": str}
        fks = []
        for info in layout.fields(cls):
            cols[info.name] = _column_type(info)
            tgt = layout.target(info)
            if tgt and not info.multivalued:
                fks.append((info.name, *tgt))
                for col, _, other in layout.companions(info):
                    cols[col] = str
                    fks.append((col, other, "id"))
        if cls in SOURCE_CLASSES:
            cols["source"] = str
            fks.append(("source", tables["Source"], "id"))
        cols["iri"] = str
        create(t, cols, pk="id", fks=fks, not_null=("iri",))
        insert(t, *content.class_rows(cls, sources))
        for col, _, _ in fks:
            db[t].create_index([col])

    # link tables for multivalued fields
    for cls in order:
        for info in layout.fields(cls):
            if not info.multivalued:
                continue
            lt = layout.link_table(cls, info.name)
            owner = layout.owner_column(cls)
            value_col = info.name if info.name != owner else f"{info.name}_value"
            tgt = layout.target(info)
            fks = [(owner, tables[cls], "id")] + ([(value_col, *tgt)] if tgt else [])
            lcols = {owner: str, value_col: str}
            for col, _, other in layout.companions(info):
                lcols[col] = str
                fks.append((col, other, "id"))
            create(lt, lcols, pk=(owner, value_col), fks=fks)
            insert(lt, tuple(lcols), content.link_rows(cls, info), ignore=True)
            for col in [value_col, *(c for c, _, _ in layout.companions(info))]:
                db[lt].create_index([col])

    # provenance, with one foreign-key column per class so each row page lists its evidence
    prov_cols = {"record": str, "kind": str, "source": str, "start": int, "end": int,
                 "url": str, "locator": str, "links": str, "supports": str, "graph": str, "iri": str}
    prov_cols.update({col: str for col in owners.values()})
    create("provenance", prov_cols,
           fks=[("record", "records", "iri"), ("source", "sources", "id")]
           + [(col, tables[cls], "id") for cls, col in owners.items()])
    insert("provenance", prov_columns, prov_rows)
    for col in ["record", "source", *owners.values()]:
        db["provenance"].create_index([col])

    # every RDF fact: terms interned once, quads as rows of term ids, the view shows them whole
    create("terms", {"id": int, "value": str, "term_type": str, "datatype": str, "language": str},
           pk="id", not_null=("value", "term_type"))
    insert("terms", ("id", "value", "term_type", "datatype", "language"), triples.terms)
    db["terms"].create_index(["value"])
    quad_cols = ("graph", "subject", "predicate", "object")
    create("quads", {c: int for c in quad_cols}, fks=[(c, "terms", "id") for c in quad_cols],
           not_null=quad_cols)
    insert("quads", quad_cols, triples.quads)
    for col in ("subject", "predicate", "object", "graph"):
        db["quads"].create_index([col])
    db.create_view("triples", TRIPLES_VIEW)

    # analysis tables
    for name, frame in sorted(extra_tables.items()):
        if name in created:
            raise ValueError(f"analysis table {name!r} clashes with a generated table")
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        # a model column naming models links to their rows (and their row pages list it)
        model_ids = {slug for slug, _ in content.by_class[MODEL_CLASS]}
        fks = ([("model", tables[MODEL_CLASS], "id")] if "model" in frame.columns and records
               and all(r["model"] in model_ids for r in records) else [])
        # column types from every row (sqlite-utils looks at the first batch only: a column empty
        # there, such as the leave-one-out range of the last cumulative rows, became TEXT)
        db[name].insert_all(records, batch_size=500, foreign_keys=fks, columns=suggest_column_types(records))
        for col, _, _ in fks:
            db[name].create_index([col])
        if not records:  # keep the columns of an empty frame
            db[name].create({c: str for c in frame.columns}, if_not_exists=True)
        created.add(name)

    # the facets Datasette shows by default count from an index
    for t, cols in sorted(facet_index.items()):
        if t not in created:
            continue
        indexed = {i.columns[0] for i in db[t].indexes}
        for col in cols:
            if col not in indexed and col in db[t].columns_dict:
                db[t].create_index([col])
                indexed.add(col)

    for t, indexes in sorted(QUERY_INDEXES.items()):
        for cols in indexes:
            db[t].create_index(list(cols))

    # full-text search
    for cls, t in tables.items():
        cols = [c for c in FTS_COLUMNS if c in db[t].columns_dict]
        if cols:
            db[t].enable_fts(cols, fts_version="FTS5", tokenize="porter")


def table_names(db_path: Path) -> list[str]:
    """Tables of a database written by :func:`write_sqlite`, without the FTS5 shadow tables (and
    without SQLite's own ``sqlite_stat1``)."""
    db = sqlite_utils.Database(db_path)
    return [t for t in db.table_names() if not re.search(r"_fts(_\w+)?$", t) and not t.startswith("sqlite_")]
