"""The command line imports only what a command needs: `openness-kg --help` and
`openness-kg query` start without LinkML's runtime, pySHACL, matplotlib, networkx, pandas or
rdflib (each costs 0.1-1.2 s of a cold start). Checked in a fresh interpreter's
``sys.modules``, not by timing (the read benchmark, bench/read_bench.py, times it)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ["linkml_runtime", "linkml", "pyshacl", "matplotlib", "networkx", "pandas", "rdflib"]

MODEL = "https://w3id.org/openness-kg/id/model/example-7b"
NQUADS = (f'<{MODEL}> <http://schema.org/name> "Example 7B" '
          "<https://w3id.org/openness-kg/graph/curated> .\n")


def heavy_modules_after(code: str) -> list[str]:
    """Run ``code`` in a new interpreter; the heavy modules it left imported."""
    probe = code + f"\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=os.environ)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_importing_the_cli_and_its_help_import_no_heavy_library():
    assert heavy_modules_after("import openness_kg.cli") == []
    code = ("from click.testing import CliRunner\nfrom openness_kg.cli import main\n"
            "res = CliRunner().invoke(main, ['--help'])\nassert res.exit_code == 0 and 'query' in res.output")
    assert heavy_modules_after(code) == []


def test_a_query_from_the_command_line_imports_no_heavy_library(tmp_path):
    build = tmp_path / "build"  # a finished build as the readers see it: stamp and dump
    build.mkdir()
    (build / "openness-kg.nq").write_text(NQUADS, encoding="utf-8")
    (build / "build-info.json").write_text(json.dumps({"data_dir": str(tmp_path / "gone")}), encoding="utf-8")
    code = ("from click.testing import CliRunner\nfrom openness_kg.cli import main\n"
            "for fmt in ['csv', 'table', 'json']:\n"
            f"    opts = ['--format', fmt, '--build-dir', {str(build)!r}]\n"
            "    res = CliRunner().invoke(main, ['query', 'models-by-developer', *opts])\n"
            "    assert res.exit_code == 0, res.output\n"
            "    res = CliRunner().invoke(main, ['query', *opts, '-e', "
            "'SELECT ?name WHERE { ?model <http://schema.org/name> ?name }'])\n"
            "    assert res.exit_code == 0 and 'Example 7B' in res.output, res.output")
    assert heavy_modules_after(code) == []


def test_a_library_query_from_python_imports_no_heavy_library(tmp_path):
    build = tmp_path / "build"
    build.mkdir()
    (build / "openness-kg.nq").write_text(NQUADS, encoding="utf-8")
    (build / "build-info.json").write_text(json.dumps({"data_dir": str(tmp_path / "gone")}), encoding="utf-8")
    code = ("import openness_kg\n"
            f"rows = openness_kg.query('models-by-family', build_dir={str(build)!r})\n"
            "assert rows == [] and rows.variables, rows\nrows.format('csv')")
    assert heavy_modules_after(code) == []
