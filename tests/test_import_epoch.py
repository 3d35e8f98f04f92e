"""The Epoch AI importer (``openness-kg import epoch``): the fixture in tests/examples/import/epoch/
with every malformed kind of the published format (empty cells, numbers with notes, several
organisations in one cell, unknown countries, duplicate names, dates that are not dates), and three
well-known models of the committed import, their values read by hand from
../shared/external/epoch/all_ml_systems.csv.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from openness_kg import paths
from openness_kg.cli import main
from openness_kg.importers import run_import
from openness_kg.importers.epoch import parse_number

from conftest import EXAMPLES, curated_data

FIXTURE = EXAMPLES / "import" / "epoch"
IMPORTED = paths.DATA_DIR / "imported" / "epoch"


@pytest.fixture()
def data_dir(tmp_path) -> Path:
    """The curated data files and the crosswalk, without any import (conftest.curated_data)."""
    return curated_data(tmp_path)


def records(folder: Path, key: str) -> dict[str, dict]:
    return {r["id"]: r for r in yaml.safe_load((folder / f"{key}.yaml").read_text(encoding="utf-8"))[key]}


def test_fixture_import_reports_every_malformed_kind(data_dir):
    report, _ = run_import("epoch", FIXTURE, data_dir)
    assert [str(i) for i in sorted(report.issues, key=lambda i: (i.file, i.field or "", i.message))] == [
        "all_ml_systems.csv: 1 of 7 systems are neither notable nor frontier nor the base of one: not imported [note]",
        "all_ml_systems.csv#row=10: field 'System': empty: a system needs a name [skipped]",
        "all_ml_systems.csv#row=3: field 'Country (from Organization)': unknown country 'Atlantis' (add it to "
        "data/crosswalk.yaml countries) [field left out]",
        "all_ml_systems.csv#row=3: field 'Parameters': a note follows the number: '(estimate from the paper)' [note]",
        "all_ml_systems.csv#row=6: field 'Organization': empty: a model needs a developer [skipped]",
        "all_ml_systems.csv#row=7: field 'Publication date': not a date (YYYY-MM-DD): 'sometime in 2023' [skipped]",
        "all_ml_systems.csv#row=8: field 'Model accessibility': unknown value 'Open weights (sort of)' (one of "
        "Open weights (unrestricted), Open weights (non-commercial), Open weights (restricted use), API access, "
        "Hosted access (no API), Unreleased) [field left out]",
        "all_ml_systems.csv#row=8: field 'Parameters': not a number: 'unknown' [field left out]",
        "all_ml_systems.csv#row=9: field 'System': system 'Good Model 7B' is also row 2 [skipped]",
        "benchmarks_with_model_accessibility.csv#row=4: field 'Open/Closed': not Open or Closed: 'Semi-open' [skipped]",
        "benchmarks_with_model_accessibility.csv#row=5: field 'BBH': not a number: 'n/a' [field left out]",
        "benchmarks_with_model_accessibility.csv#row=5: field 'MMLU': a note follows the number: '(5-shot)' [note]",
    ]
    out = data_dir / "imported" / "epoch"
    models = records(out, "models")
    # in scope: the notable, the frontier one and the fine-tune; not the unnoticed net
    assert sorted(models) == ["frontier-x", "good-model-7b", "good-model-7b-chat", "odd-numbers"]
    good = models["good-model-7b"]
    assert (good["parameter_count"], good["training_compute"], good["training_compute_lower"],
            good["training_compute_upper"], good["training_dataset_size"], good["release_date"]) == (
        7 * 10**9, 84 * 10**21, 5 * 10**22, 12 * 10**22, 2 * 10**12, "2024-03-01")
    # several organisations in one cell, in order; Multinational gives no country
    assert good["developer"] == ["example-lab", "example-collective"]
    chat = models["good-model-7b-chat"]
    assert chat["parameter_count"] == 7 * 10**9            # the number before the note
    assert chat["base_model"] == "good-model-7b"           # the lineage edge
    assert chat["licence"] == ["non-commercial-terms"] and "training_compute" not in chat
    assert "parameter_count" not in models["odd-numbers"]
    assert "access_modes" not in models["odd-numbers"]
    frontier = models["frontier-x"]
    assert (frontier["developer"], frontier["frontier_model"], frontier["access_modes"],
            frontier["estimate_confidence"]) == (["meta"], True, ["api"], "speculative")
    orgs = records(out, "organisations")
    assert "meta" not in orgs                              # one of ours: not minted again
    assert (orgs["example-lab"]["country"], orgs["example-lab"]["org_type"]) == ("DE", "company")
    assert "country" not in orgs["example-collective"] and orgs["example-collective"]["org_type"] == "collaboration"
    assert "country" not in orgs["atlantis-university"]   # the unknown country is left out
    arts = {k: (a["artifact_of"], a["component"], a["availability"], tuple(a.get("licence", [])))
            for k, a in records(out, "artifacts").items()}
    assert arts == {
        "epoch-good-model-7b-final-parameters": ("good-model-7b", "final_parameters", "released", ()),
        "epoch-good-model-7b-training-code": ("good-model-7b", "training_code", "released", ()),
        "epoch-good-model-7b-datasets": ("good-model-7b", "datasets", "withheld", ()),
        "epoch-good-model-7b-chat-final-parameters": ("good-model-7b-chat", "final_parameters", "released",
                                                      ("non-commercial-terms",)),
        "epoch-frontier-x-final-parameters": ("frontier-x", "final_parameters", "withheld", ()),
    }
    bench = {k: (b["variant_name"], b["benchmark"], b["benchmark_score"], b["open_weights"], b.get("evaluated_model"))
             for k, b in records(out, "benchmark_results").items()}
    assert bench == {
        "epoch-good-model-7b-mmlu": ("Good Model 7B", "MMLU", 0.612, True, "good-model-7b"),
        "epoch-frontier-x-mmlu": ("Frontier X", "MMLU", 0.871, False, "frontier-x"),
        "epoch-frontier-x-lmsys-elo": ("Frontier X", "LMSys Elo", 1250, False, "frontier-x"),
        "epoch-noted-model-mmlu": ("Noted Model", "MMLU", 0.55, True, None),
    }
    # every fact cites its row
    for key in ("models", "organisations", "artifacts", "benchmark_results"):
        for r in records(out, key).values():
            assert all(c["source"] == "epoch" and "#row=" in c["locator"] for c in r["dataset_record"]), r["id"]


def test_fixture_import_builds_with_shacl(data_dir):
    from openness_kg.pipeline import checked_graph

    run_import("epoch", FIXTURE, data_dir)
    cat, _ = checked_graph(data_dir, quiet=True)
    assert cat.get("Model", "good-model-7b-chat").data["base_model"] == "good-model-7b"
    assert cat.get("BenchmarkResult", "epoch-frontier-x-mmlu") is not None


def test_cli_exit_codes(data_dir, tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["import", "epoch", str(FIXTURE), "--data", str(data_dir)])
    assert res.exit_code == 3, res.output                   # written, with records skipped
    before = (data_dir / "imported" / "epoch" / "models.yaml").read_bytes()
    res = runner.invoke(main, ["import", "epoch", str(tmp_path), "--data", str(data_dir)])
    assert res.exit_code == 1 and "no Epoch systems file (all_ml_systems.csv)" in res.output
    assert (data_dir / "imported" / "epoch" / "models.yaml").read_bytes() == before


@pytest.mark.parametrize("raw,expected", [
    ("1.2e+11", (120000000000, None)), ("175,000,000,000", (175000000000, None)), ("", (None, None)),
    ("0.4491", (0.4491, None)), ("7e9 (estimate)", (7000000000, "a note follows the number: '(estimate)'")),
    ("unknown", (None, "not a number: 'unknown'")),
])
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


# ------------------------------------------------------------------ read by hand from the real file

def test_three_well_known_models_read_by_hand():
    """all_ml_systems.csv: Mistral Large 2 (row 2): 123000000000.00 parameters, 2.13e+25 FLOP,
    published 2024-07-24; Llama 2-70B (row 40): 70000000000.00, 8.1e+23, 2023-07-18 (a model
    the MOF import defines: Epoch adds its numbers); Whisper (row 296): 1550000000.00,
    4.2072663e+21, 2022-09-21. GPT-4 (row 3): 2.1e+25 FLOP; Epoch's date 2023-03-15 differs
    from our curated 2023-03-14 and is left out."""
    if not IMPORTED.is_dir():
        pytest.skip("no committed Epoch import")
    models = records(IMPORTED, "models")
    got = {k: (models[k].get("parameter_count"), models[k].get("training_compute"), models[k].get("release_date"))
           for k in ("mistral-large-2", "llama-2-70b", "whisper-2022", "gpt-4")}
    assert got == {"mistral-large-2": (123 * 10**9, 213 * 10**23, "2024-07-24"),
                   "llama-2-70b": (70 * 10**9, 81 * 10**22, "2023-07-18"),
                   "whisper-2022": (155 * 10**7, 42072663 * 10**14, "2022-09-21"),
                   "gpt-4": (None, 21 * 10**24, None)}
    assert models["llama-2-70b"]["dataset_record"][0]["locator"] == "all_ml_systems.csv#row=40"
    assert "name" not in models["llama-2-70b"]["dataset_record"][0]["supports"]   # the MOF import names it
