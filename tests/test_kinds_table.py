"""The table of bad-input kinds (tests/examples/invalid/KINDS.md) names only what the fixtures and
tests really cover: every curated row's fixture has an `# expect:` line for that record and field,
every fixture is in the table, and every importer test the table names exists. Fast layer."""
from __future__ import annotations

import re
from pathlib import Path

INVALID = Path(__file__).parent / "examples" / "invalid"
TABLE = (INVALID / "KINDS.md").read_text(encoding="utf-8")


def _rows(section: str) -> list[list[str]]:
    body = TABLE.split(section, 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in body.splitlines()
            if line.startswith("|")]
    return [r for r in rows[2:]]   # header and rule


def _expectations(fixture: Path) -> set[tuple[str, str]]:
    out = set()
    for line in fixture.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("# expect:"):
            record, field, _ = (p.strip() for p in line[len("# expect:"):].split("|", 2))
            out.add((record, field))
    return out


def test_every_curated_kind_has_its_expectation_in_its_fixture():
    rows = _rows("## Curated data")
    assert len(rows) >= 46
    for kind, fixture, record, field in rows:
        path = INVALID / fixture
        assert path.is_file(), f"{kind}: no fixture {fixture}"
        assert (record, field) in _expectations(path), f"{kind}: {fixture} expects no error on {record}.{field}"


def test_every_fixture_is_in_the_table():
    listed = {r[1] for r in _rows("## Curated data")}
    assert {p.name for p in INVALID.glob("*.yaml")} <= listed


def test_every_importer_test_named_exists():
    tests = (Path(__file__).parent / "test_import.py").read_text(encoding="utf-8")
    for kind, where in _rows("## Imported datasets"):
        for name in re.findall(r"\btest_\w+(?![\w.])", where):
            assert f"def {name}(" in tests, f"{kind}: no test {name}"
