"""The README's examples run as shown."""
from __future__ import annotations

import re
import shutil

import pytest
import yaml
from click.testing import CliRunner

from openness_kg import paths
from openness_kg.cli import main

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_python_example_runs_and_prints_models(built, capsys, monkeypatch):
    monkeypatch.setenv(paths.BUILD_ENV, str(built[1]))
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "DeepSeek R1 - " in out and "MIT" in out.split("DeepSeek R1 - ", 1)[1].splitlines()[0]


def test_readme_commands_exist():
    names = set(re.findall(r"^openness-kg ([a-z-]+)", README, flags=re.M))
    assert names and names <= set(main.commands), names - set(main.commands)


@pytest.mark.slow   # builds, or runs a child process: seconds
def test_readme_error_example_is_what_validate_prints(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    models = data / "models.yaml"
    doc = yaml.safe_load(models.read_text())
    for m in doc["models"]:
        if m["id"] == "llama-3-1":
            m["developer"] = ["metaa"]
    models.write_text(yaml.safe_dump(doc, sort_keys=False))
    res = CliRunner().invoke(main, ["validate", "--no-shacl", "--data", str(data)])
    assert res.exit_code == 1
    expected = re.search(r"^  (data/models.yaml: record 'llama-3-1'.*)$", README, flags=re.M).group(1)
    assert expected in res.output


def test_readme_quotes_the_current_stats(built):
    """The counts in the README are what `openness-kg stats` prints for the current data."""
    _, out = built
    res = CliRunner().invoke(main, ["stats", "--build-dir", str(out)])
    assert res.exit_code == 0
    for table in res.output.strip().split("\n\n"):
        assert table.strip() in README, f"README does not quote this stats table:\n{table}"


def test_documents_quote_the_package_version():
    """The version lives in pyproject.toml; the code reads it from the package metadata, and
    the files that must spell it out (citation, schema, README) agree with it."""
    import openness_kg

    v = paths.version()
    assert openness_kg.__version__ == v
    assert re.search(rf"^version: {re.escape(v)}$", (paths.ROOT / "CITATION.cff").read_text(), flags=re.M)
    assert re.search(rf"^version: {re.escape(v)}$", paths.SCHEMA_FILE.read_text(), flags=re.M)
    assert f"version {v}." in README
