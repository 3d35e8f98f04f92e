"""Bad input, generated: property-based tests (Hypothesis) that feed ``load_records`` malformed
records of every record class (fields of the wrong type, huge integers, control characters,
impossible dates, odd keys, anchors and aliases) and malformed files (random edits of a valid
file's bytes).

The property: ``load_records`` accepts the data or raises :class:`ValidationFailed` whose every
problem names the malformed file; it never raises anything else (no traceback). Each test is
bounded (``max_examples`` 50, no deadline, no example database), so the file runs in seconds.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openness_kg import paths
from openness_kg.ingest import ValidationFailed, load_records
from openness_kg.schema import get_schema

from conftest import EXAMPLES

pytestmark = pytest.mark.slow  # property-based: thorough rather than quick

FUZZ_FILE = "zz-fuzz.yaml"  # sorts after the valid files: a clash of ids is reported on it
BOUNDED = settings(max_examples=50, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

VALID = yaml.safe_load((EXAMPLES / "valid" / "records.yaml").read_text(encoding="utf-8"))
CONTAINERS = get_schema().container_classes()  # list key -> class name


def base_record(key: str) -> dict:
    """A valid record of the list ``key`` (from the valid examples, or a source), with an id of
    its own."""
    if key in VALID:
        rec = dict(VALID[key][0])
    else:  # pragma: no cover - every class has an example today
        rec = {"name": f"Fuzz {key}"}
    rec["id"] = f"fuzz-{key.replace('_', '-')}"
    return rec


def fields_of(key: str) -> list[str]:
    return list(get_schema().slots(CONTAINERS[key]))


# ---- values of the wrong kind
SPECIAL_CHARS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\r", "\t", "\n", "\u200b", "\u200f", "\u202e",
                 "\u2066", "\ufeff", "\u2028", "a", " ", ":", "#", "-", "'", '"', "é", "\U0001f600"]
texts = st.one_of(st.text(max_size=40), st.text(st.sampled_from(SPECIAL_CHARS), max_size=12),
                  st.integers(min_value=290, max_value=10_050).map(lambda n: "x" * n))
dates = st.one_of(st.dates().map(str), st.sampled_from(
    ["2024-02-30", "2025-13", "0000", "2024-00", "2023-02-29", "9999-12-31", "2024-1-1", "24-01-01",
     "yesterday", "2024-02-29", "1970", "2999-01", ""]))
ints = st.one_of(st.integers(), st.integers(min_value=2**62, max_value=2**70),
                 st.integers(min_value=-2**70, max_value=-2**62), st.sampled_from([0, -1, 1, 2**63 - 1, 2**63, -2**63]))
scalars = st.one_of(st.none(), st.booleans(), ints, st.floats(allow_nan=True, allow_infinity=True), texts, dates)
keys = st.one_of(st.text(max_size=10), st.integers(min_value=-5, max_value=5), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)), max_leaves=8)


def run(data_dir: Path, text: str | bytes) -> None:
    """Write ``text`` as the fuzzed file and check the property."""
    f = data_dir / FUZZ_FILE
    if isinstance(text, str):
        f.write_text(text, encoding="utf-8")
    else:
        f.write_bytes(text)
    try:
        load_records(data_dir)
    except ValidationFailed as exc:
        assert exc.problems
        for p in exc.problems:
            assert FUZZ_FILE in str(p), f"a problem not on the fuzzed file: {p}"
            assert p.message and "\n" not in p.file


def dump(doc) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """data/sources.yaml + the valid records; each example writes ``zz-fuzz.yaml`` beside them."""
    d = tmp_path_factory.mktemp("fuzz") / "data"
    d.mkdir()
    shutil.copy(paths.DATA_DIR / "sources.yaml", d / "sources.yaml")
    shutil.copy(EXAMPLES / "valid" / "records.yaml", d / "records.yaml")
    return d


def test_the_base_records_are_valid(data_dir):
    run(data_dir, dump({k: [base_record(k)] for k in CONTAINERS}))
    load_records(data_dir)  # accepted, not only "no stray problem"


@pytest.mark.parametrize("key", sorted(CONTAINERS))
@BOUNDED
@given(data=st.data())
def test_a_record_with_bad_field_values_is_reported_not_raised(data_dir, key, data):
    rec = base_record(key)
    names = fields_of(key) + ["no_such_field"]
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        name = data.draw(st.sampled_from(names), label="field")
        rec[name] = data.draw(values, label=name)
    if data.draw(st.booleans(), label="in a passage") and isinstance(rec.get("evidence"), list) and rec["evidence"]:
        ev = dict(rec["evidence"][0]) if isinstance(rec["evidence"][0], dict) else {}
        ev[data.draw(st.sampled_from(["source", "start", "end", "supports", "other"]), label="passage field")] = \
            data.draw(values, label="passage value")
        rec["evidence"] = [ev]
    run(data_dir, dump({key: [rec]}))


@pytest.mark.parametrize("field,strategy", [
    ("parameter_count", ints), ("release_date", dates), ("name", texts), ("description", texts)],
    ids=["parameter_count", "release_date", "name", "description"])
@BOUNDED
@given(data=st.data())
def test_model_fields_of_the_right_type_but_bad_values(data_dir, field, strategy, data):
    rec = base_record("models")
    rec[field] = data.draw(strategy, label=field)
    rec.setdefault("public_record", []).append({"url": "https://example.org/fuzz", "supports": [field]})
    run(data_dir, dump({"models": [rec]}))


@BOUNDED
@given(doc=st.one_of(values, st.dictionaries(st.sampled_from(sorted(CONTAINERS) + ["other"]), values, max_size=3)))
def test_any_yaml_document_is_reported_not_raised(data_dir, doc):
    run(data_dir, dump(doc))


@BOUNDED
@given(key=st.sampled_from(sorted(CONTAINERS)), shared=values, copies=st.integers(2, 6))
def test_anchors_and_aliases_are_reported_not_raised(data_dir, key, shared, copies):
    """The same object several times: PyYAML's dumper writes an anchor and aliases to it."""
    if not isinstance(shared, (list, dict)):
        shared = [shared]
    recs = []
    for i in range(copies):
        rec = base_record(key)
        rec["id"] = f"{rec['id']}-{i}"
        rec["description"] = shared
        recs.append(rec)
    run(data_dir, dump({key: recs}))


@BOUNDED
@given(data=st.data())
def test_random_edits_of_a_valid_file_are_reported_not_raised(data_dir, data):
    raw = dump({k: [base_record(k)] for k in sorted(CONTAINERS)}).encode("utf-8")
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        at = data.draw(st.integers(0, len(raw)), label="at")
        cut = data.draw(st.integers(0, 8), label="cut")
        new = data.draw(st.one_of(st.binary(max_size=6), st.sampled_from(
            [b"\xff", b"\xc3", b"\x00", b"&a ", b"*a", b"\n  ", b": ", b"- ", b"[", b"{", b"'", b'"', b"\t",
             b"\xe2\x80\xae", b"<<: ", b"!!python/object "])), label="bytes")
        raw = raw[:at] + new + raw[at + cut:]
    run(data_dir, raw)
