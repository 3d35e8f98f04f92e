"""Where the sources disagree: opposite claims on one proposition, and different labels for one model.

Pure functions on the plain rows :func:`openness_kg.analyse.extract.read_graph` gives
(``GraphData.claims``, ``GraphData.labels``, ``GraphData.source_dates``); each judgement is made
here once, and the SPARQL and SQL queries read its result (the derived graph's
``okg:ClaimConflict`` and ``okg:LabelConflict`` nodes, the ``analysis_claim_conflicts`` and
``analysis_label_conflicts`` tables).

>>> from openness_kg.analyse.extract import read_graph
>>> d = read_graph(kg)
>>> conflicts = claim_conflicts(d.claims, d.source_dates)     # table analysis_claim_conflicts
>>> labels = label_conflicts(d.labels)                         # table analysis_label_conflicts
>>> triples = conflict_triples(conflicts, labels)              # for the derived named graph

**Claim conflicts.** Curators point claims at a proposition (a neutral statement of one
comparison, ``data/propositions.yaml``) with a polarity: ``affirms``, ``denies`` or ``qualifies``.
Two claims conflict when they come from different sources, are on the same proposition, and one
affirms it while the other denies it. A claim that qualifies its proposition (holds in part, in
some cases, with a reservation) pairs with neither side: it is recorded on the claim, not
counted as a conflict.

Each claim's date is its own ``as_of`` when it has one, else its source's date
(``source_dates``: the publication date, else the date the source speaks for). The kind of a
conflict:

* ``change_over_time`` — both claims are dated and their dates fall in different calendar years
  ("the same period" means the same calendar year, the precision most sources give);
* ``contradiction`` — both fall in the same calendar year, or at least one claim has no date at
  all (nothing then shows that time explains the disagreement).

Claim A is the older of the pair: dated before undated, earlier dates first (ISO text order, so a
bare year comes before a full date within that year), then by source and claim id. Rows are
ordered by dimension, proposition, then the dates of A and B.

**Label conflicts.** Two sources label the same model or model family (the same ``labelled``
record, as written: a label on a family is not compared with labels on its models) with
different values. The unspecific ``open`` is compatible with every more specific open label
(``open_weight``, ``open_source``, ``fully_open``, ``deeply_open``, ``semi_open``), since it does
not say how open; it still conflicts with ``closed``. Any other two different values conflict.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

CLAIM_CONFLICT_COLUMNS = ["proposition", "dimension", "claim_a", "source_a", "as_of_a", "text_a",
                          "claim_b", "source_b", "as_of_b", "text_b", "kind", "polarity_a", "polarity_b"]
LABEL_CONFLICT_COLUMNS = ["labelled", "label_id_a", "source_a", "label_a", "label_id_b", "source_b", "label_b"]
OPPOSITE = {"affirms": "denies", "denies": "affirms"}
UNSPECIFIC_OPEN = "open"


def _bare(value: str | None, segment: str) -> str | None:
    """``claim/x`` -> ``x`` (the record slug without its class segment); ``x`` unchanged."""
    if value is None:
        return None
    return value[len(segment) + 1:] if value.startswith(segment + "/") else value


def _date_key(as_of: str | None) -> tuple:
    """Sort key: dated before undated, then the ISO text of the date."""
    return (0, as_of) if as_of else (1, "")


def conflict_kind(as_of_a: str | None, as_of_b: str | None) -> str:
    """``change_over_time`` when both dates are known and their calendar years differ, else
    ``contradiction`` (see the module docstring)."""
    if as_of_a and as_of_b and as_of_a[:4] != as_of_b[:4]:
        return "change_over_time"
    return "contradiction"


def claim_conflicts(claims: Iterable[Mapping], source_dates: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every pair of claims from different sources that take opposite sides (``affirms`` against
    ``denies``) on the same proposition, as the table ``analysis_claim_conflicts``.

    ``claims``: rows with ``claim_id`` (``claim/<id>`` or ``<id>``), ``source``, ``proposition``
    (``proposition/<id>``, ``<id>`` or ``None``), ``polarity``, ``proposition_dimension``,
    ``as_of`` and ``text``, as :func:`~openness_kg.analyse.extract.read_graph` gives them (one
    row per claim, graph, dimension and passage; repeats are merged). ``source_dates``: source
    id -> the source's date (``GraphData.source_dates``), the fallback for a claim without its
    own ``as_of``.

    Columns (:data:`CLAIM_CONFLICT_COLUMNS`): proposition and claim ids without their class
    segment; ``as_of_a``/``as_of_b`` the dates compared (``None`` when unknown); ``kind``
    ``contradiction`` or ``change_over_time``; ``polarity_a``/``polarity_b`` which side each
    claim takes. Claim A is the older one; rows are ordered as the module docstring says."""
    source_dates = source_dates or {}
    stated: dict[tuple[str, str], dict] = {}
    for row in claims:
        prop = _bare(row.get("proposition"), "proposition")
        polarity = row.get("polarity")
        if not prop or polarity not in OPPOSITE:
            continue
        claim, source = _bare(row["claim_id"], "claim"), row["source"]
        c = stated.setdefault((claim, source), {"claim": claim, "source": source, "proposition": prop,
                                                "polarity": polarity, "dimension": None, "as_of": None,
                                                "text": None})
        c["dimension"] = c["dimension"] or row.get("proposition_dimension")
        c["as_of"] = c["as_of"] or row.get("as_of")
        c["text"] = c["text"] or row.get("text")
    for c in stated.values():
        c["as_of"] = c["as_of"] or source_dates.get(c["source"])
        c["key"] = (_date_key(c["as_of"]), c["source"], c["claim"])

    by_prop: dict[str, list[dict]] = {}
    for c in stated.values():
        by_prop.setdefault(c["proposition"], []).append(c)
    rows = []
    for prop, cs in by_prop.items():
        cs.sort(key=lambda c: c["key"])
        for i, a in enumerate(cs):
            for b in cs[i + 1:]:
                if a["source"] == b["source"] or a["claim"] == b["claim"] or OPPOSITE[a["polarity"]] != b["polarity"]:
                    continue
                rows.append({
                    "proposition": prop, "dimension": a["dimension"] or b["dimension"],
                    "claim_a": a["claim"], "source_a": a["source"], "as_of_a": a["as_of"], "text_a": a["text"],
                    "claim_b": b["claim"], "source_b": b["source"], "as_of_b": b["as_of"], "text_b": b["text"],
                    "kind": conflict_kind(a["as_of"], b["as_of"]),
                    "polarity_a": a["polarity"], "polarity_b": b["polarity"],
                    "_order": (a["dimension"] or b["dimension"] or "", prop, a["key"], b["key"]),
                })
    rows.sort(key=lambda r: r["_order"])
    for r in rows:
        del r["_order"]
    return pd.DataFrame(rows, columns=CLAIM_CONFLICT_COLUMNS)


def labels_conflict(a: str, b: str) -> bool:
    """Whether two label values disagree: different, and not the unspecific ``open`` beside
    another open label."""
    if a == b:
        return False
    if UNSPECIFIC_OPEN in (a, b):
        return "closed" in (a, b)
    return True


def label_conflicts(labels: Iterable[Mapping]) -> pd.DataFrame:
    """Every pair of label records from different sources that label the same model or family
    (``labelled``) with conflicting values (:func:`labels_conflict`), as the table
    ``analysis_label_conflicts``.

    ``labels``: rows with ``label_id`` (``openness-label/<id>`` or ``<id>``), ``source``,
    ``labelled`` (``model/<id>`` or ``model-family/<id>``) and ``label``, as
    :func:`~openness_kg.analyse.extract.read_graph` gives them.

    Columns (:data:`LABEL_CONFLICT_COLUMNS`): ``labelled``; for each side the label record id
    (without its class segment), the source and the label value. Side A is the first by
    (source, label id); rows are ordered by ``labelled``, then A, then B."""
    recs: dict[tuple[str, str, str], dict] = {}
    for row in labels:
        lid = _bare(row["label_id"], "openness-label")
        recs.setdefault((row["labelled"], row["source"], lid), {
            "labelled": row["labelled"], "source": row["source"], "label_id": lid, "label": row["label"]})
    by_entity: dict[str, list[dict]] = {}
    for r in recs.values():
        by_entity.setdefault(r["labelled"], []).append(r)
    rows = []
    for entity in sorted(by_entity):
        ls = sorted(by_entity[entity], key=lambda r: (r["source"], r["label_id"]))
        for i, a in enumerate(ls):
            for b in ls[i + 1:]:
                if a["source"] != b["source"] and labels_conflict(a["label"], b["label"]):
                    rows.append({"labelled": entity, "label_id_a": a["label_id"], "source_a": a["source"],
                                 "label_a": a["label"], "label_id_b": b["label_id"], "source_b": b["source"],
                                 "label_b": b["label"]})
    return pd.DataFrame(rows, columns=LABEL_CONFLICT_COLUMNS)


def conflict_triples(conflicts: pd.DataFrame, label_conflicts_df: pd.DataFrame) -> list[tuple]:
    """rdflib triples for the derived named graph, sorted:

    * one ``okg:ClaimConflict`` per row of ``conflicts`` (:func:`claim_conflicts`), IRI
      ``https://w3id.org/openness-kg/id/claim-conflict/<claim_a>/<claim_b>``, with
      ``okg:claimA``, ``okg:claimB``, ``okg:proposition``, ``okg:conflictKind`` (a SKOS concept
      of the ``ConflictKind`` scheme) and, where known, ``okg:asOfA`` / ``okg:asOfB`` (the dates
      compared, plain literals like the records' ``okg:asOf``);
    * one ``okg:LabelConflict`` per row of ``label_conflicts_df`` (:func:`label_conflicts`), IRI
      ``.../id/label-conflict/<label_id_a>/<label_id_b>``, with ``okg:labelA``, ``okg:labelB``
      and ``okg:conflictedModel`` (the model or model family)."""
    from rdflib import RDF, Literal, URIRef

    from ..namespaces import OKG, OKGID
    from ..schema import get_schema

    kinds = get_schema().enum_values("ConflictKind")
    out: set[tuple] = set()
    for r in conflicts.itertuples(index=False):
        s = OKGID[f"claim-conflict/{r.claim_a}/{r.claim_b}"]
        out.add((s, RDF.type, OKG.ClaimConflict))
        out.add((s, OKG.claimA, OKGID[f"claim/{r.claim_a}"]))
        out.add((s, OKG.claimB, OKGID[f"claim/{r.claim_b}"]))
        out.add((s, OKG.proposition, OKGID[f"proposition/{r.proposition}"]))
        out.add((s, OKG.conflictKind, URIRef(kinds[r.kind])))
        for pred, value in ((OKG.asOfA, r.as_of_a), (OKG.asOfB, r.as_of_b)):
            if isinstance(value, str) and value:
                out.add((s, pred, Literal(value)))
    for r in label_conflicts_df.itertuples(index=False):
        s = OKGID[f"label-conflict/{r.label_id_a}/{r.label_id_b}"]
        out.add((s, RDF.type, OKG.LabelConflict))
        out.add((s, OKG.labelA, OKGID[f"openness-label/{r.label_id_a}"]))
        out.add((s, OKG.labelB, OKGID[f"openness-label/{r.label_id_b}"]))
        out.add((s, OKG.conflictedModel, OKGID[r.labelled]))
    return sorted(out)
