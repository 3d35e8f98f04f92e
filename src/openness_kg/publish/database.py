"""Export the knowledge graph to SQLite (sqlite-utils) for browsing in Datasette.

The tables follow the LinkML schema, so a class added to the schema gets its table without code:

* **class tables** — one per list of a curated file (``sources``, ``organisations``,
  ``model_families``, ``models``, ``artifacts``, ``licences``, ``products``, ``claims``,
  ``openness_labels``): primary key ``id`` (the record's slug), ``iri`` (its IRI), then one
  column per field. A single reference is a foreign key to the referenced table's ``id``; a
  reference that may point to several classes (``labelled``, ``serves``, ``about``) is a foreign
  key to ``records.iri``. A controlled value (enum) is a foreign key to its vocabulary table. A
  multivalued field is a JSON array column (for Datasette's array facets) *and* a link table.
* **vocabulary tables** — one per enum (``licence_terms``, ``artifact_types``, ``dimensions``...):
  ``id`` (the value as written in the curated files), ``iri`` (its SKOS concept), ``label``,
  ``description``.
* **link tables** ``<table>_<field>`` — one row per value of a multivalued field: the owning
  record (column named after its class, e.g. ``model``) and the value (column named after the
  field), both foreign keys where the value is a record or a vocabulary term.
* ``records`` — every record: ``iri`` (primary key), ``class``, ``table_name``, ``id``, ``label``.
* ``provenance`` — one row per passage, public-record citation or dataset record: ``record``
  (IRI), ``kind`` (``passage`` / ``public_record`` / ``dataset_record``), ``source``, ``start``,
  ``end`` (character offsets, end exclusive), ``url``, ``locator`` (``<file>#<field>`` in an
  imported dataset), ``links`` (JSON array of the dataset's evidence links), ``supports`` (JSON
  array of field names), ``graph`` (named graph IRI),
  ``iri`` (the passage or citation node), and one column per class (``model``, ``claim``...)
  holding the record's id as a foreign key, so Datasette's row pages list their evidence.
* ``triples`` — every quad of the RDF dataset: ``graph``, ``subject``, ``predicate``, ``object``,
  ``object_type`` (``iri`` / ``literal`` / ``bnode``), ``datatype``, ``language``.
* analysis tables, passed in as pandas data frames.

Foreign-key columns are indexed; names, descriptions and claim texts have full-text search (FTS5).
The file is written to a temporary path beside the target and moved into place when complete.
"""
from __future__ import annotations

import json
import re
from graphlib import TopologicalSorter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import sqlite_utils
import pyoxigraph as ox

from ..files import atomic_file
from ..ingest.catalogue import Catalogue, as_list as _as_list, resolve_ref
from ..namespaces import CLASS_SEGMENTS, CURATED_GRAPH, instance_iri, source_graph
from ..schema import Schema, SlotInfo, get_schema

DB_FILE = "openness-kg.db"
# fields kept out of the class tables: provenance goes to the provenance table
PROVENANCE_FIELDS = ("evidence", "public_record", "dataset_record")
# columns searched by full-text search, per table (those present are used)
FTS_COLUMNS = ("name", "description", "text", "correction")
SQL_TYPES = {"integer": int, "boolean": int, "float": float, "decimal": float}


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

    def enums(self) -> list[str]:
        """Enums used by any class table's fields, sorted."""
        out = set()
        for cls in self.class_tables():
            out |= {s.range for s in self.fields(cls) if s.kind == "enum"}
        return sorted(out)


def _ref_value(layout: Layout, info: SlotInfo, value: str, cat_keys: set, for_json: bool = False) -> str:
    """Stored form of a reference: the slug, or the IRI for polymorphic references (in JSON
    arrays the ``segment/slug`` form of the curated files)."""
    key, _ = resolve_ref(cat_keys, layout.schema, info.range, value)
    if key is None:  # validated records always resolve
        raise ValueError(f"unresolved reference {value!r}")
    if layout.is_polymorphic(info):
        return f"{CLASS_SEGMENTS[key[0]]}/{key[1]}" if for_json else str(instance_iri(*key))
    return key[1]


def _column_type(info: SlotInfo) -> type:
    if info.multivalued:
        return str  # JSON array
    if info.kind == "type":
        return SQL_TYPES.get(info.base or "string", str)
    return str


def record_label(rec) -> str:
    """Label shown for a record: its name, else a claim's text, else its id."""
    return rec.data.get("name") or rec.data.get("text") or rec.id


def _json_list(value: Any) -> str | None:
    vals = _as_list(value)
    return json.dumps(vals, ensure_ascii=False) if vals else None


def _graph_of(ev_source: str | None) -> str:
    return str(source_graph(ev_source)) if ev_source else str(CURATED_GRAPH)


def triple_rows(kg) -> Iterable[dict]:
    """One row per quad of the knowledge graph ``kg``, in its order (graph, subject, predicate,
    object)."""
    for q in kg.quads:
        s, o = q.subject, q.object
        if isinstance(o, ox.Literal):
            otype = "literal"
            dt = o.datatype.value if o.datatype else None
            lang = o.language
            if lang:
                dt = None
            elif dt == "http://www.w3.org/2001/XMLSchema#string":
                dt = None
        else:
            otype = "bnode" if isinstance(o, ox.BlankNode) else "iri"
            dt = lang = None
        yield {
            "graph": q.graph_name.value,
            "subject": str(s) if isinstance(s, ox.BlankNode) else s.value,
            "predicate": q.predicate.value,
            "object": str(o) if isinstance(o, ox.BlankNode) else o.value,
            "object_type": otype,
            "datatype": dt,
            "language": lang,
        }


def write_sqlite(cat: Catalogue, kg, path: Path,
                 extra_tables: Mapping[str, Any] | None = None,
                 schema: Schema | None = None) -> Path:
    """Write the SQLite database for ``cat`` (validated records) and ``ds`` (their RDF dataset)
    to ``path``; ``extra_tables`` maps table names to pandas data frames (the analysis tables).

    The tables are described in the module docstring. The file is built under a temporary name
    in the same folder and moved onto ``path`` only when complete, so a failure leaves any
    previous file untouched. Returns ``path``. Raises ``ValueError`` when an extra table's name
    clashes with a generated table.
    """
    schema = schema or get_schema()
    layout = Layout(schema)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path, suffix=".db") as tmp:
        db = sqlite_utils.Database(tmp, recreate=True)
        _write(db, layout, cat, kg, extra_tables or {})
        db.conn.commit()
        db.vacuum()
        db.close()
    return path


def _write(db: sqlite_utils.Database, layout: Layout, cat: Catalogue, kg,
           extra_tables: Mapping[str, Any]) -> None:
    schema = layout.schema
    keys = set(cat.records)
    tables = layout.class_tables()
    created: set[str] = set()

    def create(name: str, columns: dict, pk=None, fks=(), not_null=()):
        if name in created:
            raise ValueError(f"table {name!r} defined twice")
        db[name].create(columns, pk=pk, foreign_keys=list(fks), not_null=set(not_null))
        created.add(name)

    # records: the hub every polymorphic reference points to
    create("records", {"iri": str, "class": str, "table_name": str, "id": str, "label": str},
           pk="iri", not_null=("class", "table_name", "id"))
    db["records"].insert_all(
        ({"iri": str(instance_iri(r.class_name, r.id)), "class": r.class_name,
          "table_name": tables[r.class_name], "id": r.id, "label": record_label(r)}
         for r in sorted(cat, key=lambda r: str(instance_iri(r.class_name, r.id)))),
        batch_size=500)

    # vocabulary tables
    for enum_name in layout.enums():
        t = layout.enum_table(enum_name)
        create(t, {"id": str, "iri": str, "label": str, "description": str}, pk="id")
        enum = schema.view.get_enum(enum_name)
        db[t].insert_all({"id": v, "iri": iri, "label": v.replace("_", " "),
                          "description": enum.permissible_values[v].description}
                         for v, iri in schema.enum_values(enum_name).items())

    # class tables, referenced tables before the tables pointing at them
    deps = {cls: {c for c, t in tables.items() if t != tables[cls] and any(
        (layout.target(i) or ("", ""))[0] == t and not i.multivalued for i in layout.fields(cls))}
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
        cols["iri"] = str
        # self-references (parent_organisation) are declared after the table exists
        self_fks = [fk for fk in fks if fk[1] == t]
        create(t, cols, pk="id", fks=[fk for fk in fks if fk[1] != t], not_null=("iri",))
        for col, other, other_col in self_fks:
            db[t].add_foreign_key(col, other, other_col)
        rows = []
        for rec in cat.of_class(cls):
            row = {"id": rec.id, "iri": str(instance_iri(cls, rec.id))}
            for info in layout.fields(cls):
                value = rec.data.get(info.name)
                if value is None:
                    row[info.name] = None
                elif info.multivalued:
                    vals = [_ref_value(layout, info, v, keys, for_json=True) if info.kind == "class" else v
                            for v in _as_list(value)]
                    row[info.name] = json.dumps(sorted(vals), ensure_ascii=False)
                elif info.kind == "class":
                    row[info.name] = _ref_value(layout, info, value, keys)
                elif info.base == "boolean":
                    row[info.name] = int(bool(value))
                else:
                    row[info.name] = value
            rows.append(row)
        db[t].insert_all(rows, batch_size=200)
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
            create(lt, {owner: str, value_col: str}, pk=(owner, value_col), fks=fks)
            rows = []
            for rec in cat.of_class(cls):
                for v in _as_list(rec.data.get(info.name)):
                    sv = _ref_value(layout, info, v, keys) if info.kind == "class" else v
                    rows.append({owner: rec.id, value_col: sv})
            db[lt].insert_all(sorted(rows, key=lambda r: (r[owner], r[value_col])), ignore=True)
            db[lt].create_index([value_col])

    # provenance, with one foreign-key column per class so each row page lists its evidence
    owners = {cls: layout.owner_column(cls) for cls in sorted(tables) if cls != "Source"}
    prov_cols = {"record": str, "kind": str, "source": str, "start": int, "end": int,
                 "url": str, "locator": str, "links": str, "supports": str, "graph": str, "iri": str}
    prov_cols.update({col: str for col in owners.values()})
    create("provenance", prov_cols,
           fks=[("record", "records", "iri"), ("source", "sources", "id")]
           + [(col, tables[cls], "id") for cls, col in owners.items()])
    from ..graph.mapping import citation_iri, dataset_citation_iri, passage_iri
    prov = []
    for rec in cat:
        if rec.class_name == "Source":
            continue
        riri = str(instance_iri(rec.class_name, rec.id))
        start = len(prov)
        for ev in _as_list(rec.data.get("evidence")):
            prov.append({"record": riri, "kind": "passage", "source": ev["source"],
                         "start": ev["start"], "end": ev["end"], "url": None,
                         "supports": _json_list(ev.get("supports")),
                         "graph": _graph_of(ev["source"]),
                         "iri": str(passage_iri(rec, ev["source"], ev["start"], ev["end"]))})
        for cit in _as_list(rec.data.get("public_record")):
            prov.append({"record": riri, "kind": "public_record", "source": None, "start": None,
                         "end": None, "url": cit["url"],
                         "supports": _json_list(cit.get("supports")),
                         "graph": str(CURATED_GRAPH), "iri": str(citation_iri(rec, cit["url"]))})
        for cit in _as_list(rec.data.get("dataset_record")):
            prov.append({"record": riri, "kind": "dataset_record", "source": cit["source"], "start": None,
                         "end": None, "url": None, "locator": cit["locator"],
                         "links": _json_list(cit.get("links")), "supports": _json_list(cit.get("supports")),
                         "graph": _graph_of(cit["source"]),
                         "iri": str(dataset_citation_iri(rec, cit["source"], cit["locator"]))})
        for row in prov[start:]:
            row[owners[rec.class_name]] = rec.id
    db["provenance"].insert_all(prov, batch_size=500)
    for col in ["record", "source", *owners.values()]:
        db["provenance"].create_index([col])

    # every RDF fact
    create("triples", {"graph": str, "subject": str, "predicate": str, "object": str,
                       "object_type": str, "datatype": str, "language": str})
    db["triples"].insert_all(triple_rows(kg), batch_size=1000)
    for col in ("subject", "predicate", "object", "graph"):
        db["triples"].create_index([col])

    # analysis tables
    for name, frame in sorted(extra_tables.items()):
        if name in created:
            raise ValueError(f"analysis table {name!r} clashes with a generated table")
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        db[name].insert_all(records, batch_size=500)
        if not records:  # keep the columns of an empty frame
            db[name].create({c: str for c in frame.columns}, if_not_exists=True)
        created.add(name)

    # full-text search
    for cls, t in tables.items():
        cols = [c for c in FTS_COLUMNS if c in db[t].columns_dict]
        if cols:
            db[t].enable_fts(cols, fts_version="FTS5", tokenize="porter")


def table_names(db_path: Path) -> list[str]:
    """Tables of a database written by :func:`write_sqlite`, without the FTS5 shadow tables."""
    db = sqlite_utils.Database(db_path)
    return [t for t in db.table_names() if not re.search(r"_fts(_\w+)?$", t)]
