"""Bad input: every rule is checked both ways with the example files in tests/examples/.

The valid set must pass (records and SHACL); each invalid file, added to the valid set, must
fail with one readable message per problem naming file, record and field. Expected problems are
written in each invalid file's ``# expect: record | field | message`` header lines.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from openness_kg.cli import main
from openness_kg.ingest import ValidationFailed, load_records
from openness_kg.pipeline import checked_graph

from conftest import EXAMPLES, as_rdflib, example_data

INVALID = sorted((EXAMPLES / "invalid").glob("*.yaml"))


def expectations(path: Path) -> list[tuple[str | None, str | None, str]]:
    out = []
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():  # one is not UTF-8
        m = re.match(r"# expect: (.*?) \| (.*?) \| (.*)$", line)
        if m:
            rec, fld, msg = m.groups()
            out.append((None if rec == "-" else rec, None if fld == "-" else fld, msg))
    assert out, f"{path.name} has no '# expect:' lines"
    return out


def test_valid_examples_pass_records_and_shacl(tmp_path):
    cat, ds = checked_graph(example_data(tmp_path), quiet=True)
    assert cat.get("Model", "example-7b") is not None
    assert len(ds) > 0


@pytest.mark.parametrize("bad", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_example_is_rejected_with_readable_messages(tmp_path, bad):
    data = example_data(tmp_path, bad)
    with pytest.raises(ValidationFailed) as exc:
        load_records(data)
    problems = exc.value.problems
    for rec, fld, msg in expectations(bad):
        hits = [p for p in problems
                if bad.name in str(p) and p.record == rec and p.field == fld and msg in p.message]
        assert hits, f"expected {rec} / {fld} / {msg!r} among:\n" + "\n".join(map(str, problems))
    # and nothing is reported against the valid records
    assert all(bad.name in str(p) for p in problems), problems


def test_all_problems_are_reported_at_once(tmp_path):
    data = example_data(tmp_path, *[p for p in INVALID if p.stem != "malformed-yaml"])
    with pytest.raises(ValidationFailed) as exc:
        load_records(data)
    text = "\n".join(map(str, exc.value.problems))
    for p in INVALID:
        if p.stem != "malformed-yaml":
            assert p.name in text, f"no problem reported for {p.name}"
    assert len(exc.value.problems) >= sum(len(expectations(p)) for p in INVALID) - 1


@pytest.mark.slow   # builds, or runs a child process: seconds
def test_cli_build_fails_cleanly_and_leaves_the_last_good_build(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    good = runner.invoke(main, ["build", "--quiet", "--data", str(example_data(tmp_path / "a")), "--out", str(out)])
    assert good.exit_code == 0, good.output
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {"openness-kg.trig", "openness-kg.nq", "openness-kg.ttl", "openness-kg.jsonld", "openness-kg.db",
            "analysis/report.md"} <= set(before)

    bad_data = example_data(tmp_path / "b", EXAMPLES / "invalid" / "unknown-reference.yaml")
    bad = runner.invoke(main, ["build", "--quiet", "--data", str(bad_data), "--out", str(out)])
    assert bad.exit_code == 1
    assert "unknown-reference.yaml: record 'dangling-developer': field 'developer': reference to unknown organisation 'no-such-lab'" in bad.output
    assert "is unchanged" in bad.output
    after = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob("**/.build-*")), "temporary build folder left behind"


def test_cli_validate_reports_problem_and_exit_code(tmp_path):
    data = example_data(tmp_path, EXAMPLES / "invalid" / "unknown-vocabulary-term.yaml")
    res = CliRunner().invoke(main, ["validate", "--data", str(data)])
    assert res.exit_code == 1
    assert "record 'bad-stance': field 'stance': unknown vocabulary term 'pro_open'" in res.output


def test_cli_typo_in_command_is_an_error():
    res = CliRunner().invoke(main, ["biuld"])
    assert res.exit_code == 2
    assert "No such command 'biuld'" in res.output


def test_dataset_records_put_imported_facts_in_the_dataset_graph(tmp_path):
    from rdflib import URIRef

    from openness_kg.namespaces import GRAPH, OKG, instance_iri

    _, kg = checked_graph(example_data(tmp_path), quiet=True)
    ds = as_rdflib(kg)
    g = ds.graph(GRAPH["source/example-index"])
    art = instance_iri("Artifact", "example-index-example-7b-final-parameters")
    assert (art, OKG.availability, URIRef("https://w3id.org/openness-kg/vocab/availability/released")) in g
    assert (art, URIRef("http://schema.org/license"), instance_iri("Licence", "example-permissive")) in g
    locators = sorted(str(g.value(c, OKG.locator)) for c in g.objects(art, OKG.datasetRecord))
    assert locators == ["example-7b.yaml#licence", "example-7b.yaml#weights"]
    assert all((c, URIRef("http://purl.org/dc/terms/source"), instance_iri("Source", "example-index")) in g
               for c in g.objects(art, OKG.datasetRecord))
    # nothing of it in a document's graph or the curated graph
    for other in ("source/open-closed-examples", "curated"):
        assert (art, None, None) not in ds.graph(GRAPH[other])


# ---- issue 14: every curated input is checked before anything is written

def test_a_file_empty_by_design_is_accepted(tmp_path):
    """A mapping of empty lists says the file is empty on purpose; comments alone do not."""
    data = example_data(tmp_path)
    (data / "claims-to-come.yaml").write_text("# claims of the next source go here\nclaims: []\nmodels: []\n",
                                              encoding="utf-8")
    assert load_records(data).get("Model", "example-7b") is not None
    (data / "claims-to-come.yaml").write_text("# claims of the next source go here\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        load_records(data)
    assert [str(p) for p in exc.value.problems] == [
        "data/claims-to-come.yaml: no records: an empty file loses every record it held "
        "(a file empty by design holds empty lists, e.g. 'claims: []')"]


def test_the_as_of_date_can_be_given(tmp_path):
    import datetime

    data = example_data(tmp_path)  # the latest date: a source published on 2026-04-13
    load_records(data, as_of=datetime.date(2026, 4, 13))
    with pytest.raises(ValidationFailed) as exc:
        load_records(data, as_of=datetime.date(2026, 4, 12))
    assert [str(p) for p in exc.value.problems] == [
        "data/sources.yaml: record 'open-source-closed-differences': field 'date_published': date 2026-04-13 "
        "is after the build's as-of date 2026-04-12"]


def _tiny_source_data(tmp_path: Path, text: str) -> tuple[Path, Path]:
    """A data folder with one document source (``tiny.txt`` holding ``text``) and one organisation
    backed by a passage of it, and a sources folder holding the text: (data, sources)."""
    import hashlib

    data, sources = tmp_path / "data", tmp_path / "sources"
    data.mkdir()
    sources.mkdir()
    (sources / "tiny.txt").write_text(text, encoding="utf-8")
    raw = text.encode("utf-8")
    (data / "records.yaml").write_text(f"""\
sources:
  - id: tiny
    name: A tiny source
    file_name: tiny.txt
    sha256: {hashlib.sha256(raw).hexdigest()}
    char_count: {len(text)}
organisations:
  - id: tiny-lab
    name: Tiny lab
    evidence:
      - {{source: tiny, start: 0, end: 8}}
""", encoding="utf-8")
    return data, sources


def test_load_records_verifies_the_source_texts_when_the_folder_exists(tmp_path):
    data, sources = _tiny_source_data(tmp_path, "Tiny lab makes tiny models.\n")
    load_records(data, sources_dir=sources)
    load_records(data, sources_dir=tmp_path / "no-such-folder")  # no texts: nothing to verify
    load_records(data)

    (sources / "tiny.txt").write_text("Tiny lab makes small models.\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        load_records(data, sources_dir=sources)
    assert [(p.record, p.field) for p in exc.value.problems] == [("tiny", "sha256")]
    assert "tiny.txt has sha256" in exc.value.problems[0].message

    (sources / "tiny.txt").unlink()
    with pytest.raises(ValidationFailed) as exc:
        load_records(data, sources_dir=sources)
    assert [(p.file, p.record, p.field) for p in exc.value.problems] == [("data/records.yaml", "tiny", "file_name")]
    assert exc.value.problems[0].message.startswith("source text not found: ")
    load_records(data)  # without the folder, a missing text is not an error


def test_load_records_checks_char_count_and_spans_against_the_text(tmp_path):
    data, sources = _tiny_source_data(tmp_path, "Tiny lab" + " " * 20 + "\n")
    rec = data / "records.yaml"
    rec.write_text(rec.read_text(encoding="utf-8").replace("char_count: 29", "char_count: 30")
                   .replace("start: 0, end: 8", "start: 10, end: 20"), encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        load_records(data, sources_dir=sources)
    assert sorted(str(p) for p in exc.value.problems) == [
        "data/records.yaml: record 'tiny': field 'char_count': tiny.txt has 29 characters, the record says 30",
        "data/records.yaml: record 'tiny-lab': field 'evidence[0]': span 10-20 covers no text"]
