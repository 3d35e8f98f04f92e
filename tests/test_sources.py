"""Provenance against the source texts, and the no-copying rule."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from openness_kg import paths
from openness_kg.cli import main
from openness_kg.ingest import verify_sources


def copycheck_path(seeds: Path) -> Path:
    """The shared copycheck tool: $OPENNESS_KG_COPYCHECK, else tools/ beside the seeds folder."""
    env = os.environ.get("OPENNESS_KG_COPYCHECK")
    return Path(env) if env else seeds.parent / "tools" / "copycheck.py"


def test_verify_sources_passes_on_the_real_texts(seeds, curated_data_dir):
    res = CliRunner().invoke(main, ["verify-sources", str(seeds), "--data", str(curated_data_dir)])
    assert res.exit_code == 0, res.output
    assert "5 source texts match their sha256" in res.output


def test_every_span_covers_text(seeds, curated_catalogue):
    """Every passage is in the curated records (data/ without data/imported/)."""
    problems, counts = verify_sources(curated_catalogue, seeds)
    assert problems == []
    assert counts["passages"] >= 500


def test_verify_sources_catches_a_changed_text(seeds, tmp_path, curated_data_dir):
    for p in seeds.glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    f = tmp_path / "004_ed90a2a941989d8d.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("Open", "Opne", 1), encoding="utf-8")
    res = CliRunner().invoke(main, ["verify-sources", str(tmp_path), "--data", str(curated_data_dir)])
    assert res.exit_code == 1
    assert "record 'open-closed-glossary': field 'sha256': 004_ed90a2a941989d8d.txt has sha256" in res.output


def test_verify_sources_catches_a_short_text(seeds, tmp_path, curated_catalogue):
    """A truncated text: hash and length differ, so the source is reported and not trusted."""
    for p in seeds.glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    f = tmp_path / "001_42ff36c15b2ce5cd.txt"
    f.write_text(f.read_text(encoding="utf-8")[:100], encoding="utf-8")
    problems, _ = verify_sources(curated_catalogue, tmp_path)
    assert any(p.record == "open-closed-examples" and p.field == "sha256" for p in problems)


def test_no_sentence_is_copied_from_the_sources(seeds):
    """copycheck.py lists any run of 8 words repeated from a source; it must list nothing."""
    tool = copycheck_path(seeds)
    if not tool.is_file():
        pytest.skip(f"copycheck.py not found at {tool} (set OPENNESS_KG_COPYCHECK)")
    res = subprocess.run([sys.executable, str(tool), str(paths.ROOT), "--sources", str(seeds)],
                         capture_output=True, text=True)
    assert res.stdout == "" and res.returncode == 0, res.stdout[:3000]
