"""One rule, one home: every judgement is computed once (src/openness_kg/analyse/) and the views
read it. The four views of a model's status (the SPARQL library, the Datasette stored query, the
analysis table in SQLite and CSV, and report.md) must agree model by model; so must the
open-washing candidates. Plus the evidence-combination rule on hand-made cases."""
from __future__ import annotations

import re
import sqlite3

import pandas as pd
import pytest

from openness_kg.analyse.evidence import Record, combine, newer, period, source_votes
from openness_kg.publish.datasette import stored_queries
from openness_kg.read import query


# ---------------------------------------------------------------- the four views agree
@pytest.fixture(scope="module")
def views(curated_built):
    _, out = curated_built
    sparql = {r["model"].rsplit("/", 1)[-1]: r["status"]
              for r in query("models-by-evidence-status", build_dir=out)}
    sq = {q.name: q for q in stored_queries()}["models-by-evidence-status"]
    with sqlite3.connect(out / "openness-kg.db") as db:
        stored = {m: s for m, _, s, *_ in db.execute(sq.sql, {"status": ""})}
        table = dict(db.execute("SELECT model, evidence_status FROM analysis_model_openness"))
    csv = pd.read_csv(out / "analysis" / "analysis_model_openness.csv")
    names = dict(zip(csv.name, csv.model))
    report = (out / "analysis" / "report.md").read_text(encoding="utf-8")
    section = report.split("**Which evidence decided each model's status**", 1)[1].split("\n\n", 2)[1]
    rep = {}
    for line in section.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rep[names[cells[0]]] = cells[1]
    return {"sparql": sparql, "stored query": stored, "sqlite table": table,
            "csv": dict(zip(csv.model, csv.evidence_status)), "report": rep}


def test_every_view_gives_every_model_the_same_status(views):
    base = views["sqlite table"]
    assert len(base) >= 30
    for name, got in views.items():
        assert set(got) == set(base), f"{name}: models differ: {sorted(set(got) ^ set(base))}"
        diff = {m: (got[m], base[m]) for m in base if got[m] != base[m]}
        assert not diff, f"{name} disagrees with analysis_model_openness: {diff}"


def test_one_spelling_of_each_status(views):
    for name, got in views.items():
        assert set(got.values()) <= {"open_source", "open_weights", "closed", "unknown"}, name


def test_open_washing_candidates_agree(curated_built):
    _, out = curated_built
    sparql = {r["model"].rsplit("/", 1)[-1] for r in query("open-washing-candidates", build_dir=out)}
    with sqlite3.connect(out / "openness-kg.db") as db:
        table = {m for (m,) in db.execute(
            "SELECT DISTINCT model FROM analysis_label_checks WHERE open_washing_candidate")}
    report = (out / "analysis" / "report.md").read_text(encoding="utf-8")
    section = report.split("**Open-washing candidates**", 1)[1].split("\n\n", 2)[1]
    rep = {[c.strip() for c in line.strip("|").split("|")][3] for line in section.splitlines()[2:]}
    # data/labels.yaml: the differences blog calls the Llama family open source; Llama 3, 3.1 and
    # 3.2 have no released training code or data recorded
    assert sparql == table == rep == {"llama-3", "llama-3-1", "llama-3-2"}


def test_no_library_query_or_stored_query_restates_a_status_rule():
    """The rules live in Python; a query that spells an availability test of the final
    parameters next to a status value is re-deriving one."""
    from openness_kg.sparql import QUERIES_DIR

    texts = {p.name: p.read_text() for p in QUERIES_DIR.glob("*.rq")}
    texts |= {p.name: p.read_text() for p in (QUERIES_DIR / "sql").glob("*.sql")}
    for name, text in texts.items():
        body = "\n".join(x for x in text.splitlines() if not x.lstrip().startswith(("#", "--")))
        assert not (re.search(r"final.parameters", body) and re.search(r"open.?weight|open.?source", body, re.I)), name


# ---------------------------------------------------------------- the combination rule
def rec(src, date, av, lic=(), r="x"):
    return Record(src, date, av, tuple(lic), r)


def test_partial_dates_are_periods():
    assert period("2025") == (pd.Timestamp("2025-01-01").date(), pd.Timestamp("2025-12-31").date())
    assert period("2024-02")[1].day == 29
    assert newer("2026-06-12", "2025") and not newer("2025-08", "2025") and not newer("2025", "2025-08")
    assert not newer(None, "2020") and not newer("2030", None)


def test_one_vote_per_source_however_many_files():
    # six checkpoint files of one dataset against one judgement of another, same date:
    # two votes, a tie, so the least open wins and the conflict is unresolved
    recs = [rec("mof", "2025-05-26", "released", r=f"f{i}") for i in range(6)]
    recs.append(rec("osai-index", "2025-05", "withheld"))
    j = combine(recs)
    assert len(j.votes) == 2 and j.availability == "withheld" and j.resolution == "unresolved"
    assert j.records == 7


def test_newer_evidence_supersedes_older():
    # Grok 2: a 2025 document says withheld; the 2026 index snapshot records the release
    j = combine([rec("doc", "2025", "withheld"), rec("osai-index", "2026-06-12", "released", ["xai"])])
    assert (j.availability, j.resolution, j.decided_by, j.date) == ("released", "superseded", ("osai-index",),
                                                                     "2026-06-12")
    assert j.licences == ("xai",)
    # a later take-down supersedes an earlier release
    j = combine([rec("mof", "2024-10-01", "released"), rec("osai-index", "2026-06-12", "withheld")])
    assert j.availability == "withheld" and j.resolution == "superseded"


def test_undated_evidence_is_never_superseded():
    j = combine([rec("curated", None, "withheld"), rec("mof", "2024-10-03", "released", ["mit"])])
    assert j.resolution == "unresolved" and j.availability == "withheld"


def test_unknown_never_votes_when_a_source_knows():
    j = combine([rec("mof", "2026", "unknown"), rec("doc", "2025", "released")])
    assert j.availability == "released" and j.resolution is None
    assert combine([rec("mof", "2026", "unknown")]).availability == "unknown"


def test_a_source_speaks_with_its_newest_records():
    votes = source_votes([rec("mof", "2024", "released", r="old"), rec("mof", "2025-03", "withheld", r="new")])
    assert [(v.availability, v.records) for v in votes] == [("withheld", ("new",))]


def test_majority_of_the_newest_sources_decides():
    j = combine([rec("a", None, "released"), rec("b", None, "released"), rec("c", None, "withheld")])
    assert j.availability == "released" and j.resolution == "unresolved" and j.decided_by == ("a", "b")
