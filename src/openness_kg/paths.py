"""Where things are: the repository's data, schema and build folders, and the source texts."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent.parent
"""Repository root (the package is installed in editable mode from ``src/``)."""

DATA_DIR = ROOT / "data"
SCHEMA_DIR = ROOT / "schema"
SCHEMA_FILE = SCHEMA_DIR / "openness_kg.yaml"
GENERATED_DIR = SCHEMA_DIR / "generated"
OWL_FILE = GENERATED_DIR / "openness_kg.owl.ttl"
ONTOLOGY_FILE = GENERATED_DIR / "openness_kg.ontology.nt"
SHACL_FILE = GENERATED_DIR / "openness_kg.shacl.ttl"
JSON_SCHEMA_FILE = GENERATED_DIR / "openness_kg.schema.json"
DOCS_DIR = ROOT / "docs" / "schema"
BUILD_DIR = ROOT / "build"
STORE_DIR = "openness-kg.oxigraph"
"""The build's on-disk Oxigraph store (a folder of RocksDB files inside the build folder)."""

NOT_RECORD_FILES = {"crosswalk.yaml"}  # data/crosswalk.yaml: the importers' mapping table


def data_files(data_dir: Path) -> list[Path]:
    """The record files under ``data_dir``: every ``*.yaml``, sorted, but the crosswalk (not a
    record file) and hidden files and folders (such as an interrupted import's leftovers). The
    files the ingest stage reads, and whose modification times the build stamp records."""
    data_dir = Path(data_dir)
    return sorted(p for p in data_dir.rglob("*.yaml")
                  if p.is_file() and not (p.parent == data_dir and p.name in NOT_RECORD_FILES)
                  and not any(part.startswith(".") for part in p.relative_to(data_dir).parts))


SOURCES_ENV = "OPENNESS_KG_SOURCES"
BUILD_ENV = "OPENNESS_KG_BUILD"


def build_dir() -> Path:
    """The build folder the readers use by default: ``$OPENNESS_KG_BUILD``, default ``build/``
    in the repository."""
    env = os.environ.get(BUILD_ENV)
    return Path(env) if env else BUILD_DIR


def sources_dir() -> Path:
    """The folder holding the source texts: ``$OPENNESS_KG_SOURCES``, default ``../shared/seeds``
    beside the repository."""
    env = os.environ.get(SOURCES_ENV)
    return Path(env) if env else ROOT.parent / "shared" / "seeds"


def version() -> str:
    """The package version, from the installed package's metadata (``pyproject.toml`` is its
    one home)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _version

    try:
        return _version("openness-kg")
    except PackageNotFoundError:  # running from a source tree that was never installed
        import tomllib

        return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
