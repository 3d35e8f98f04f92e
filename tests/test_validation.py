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
    for line in path.read_text().splitlines():
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
