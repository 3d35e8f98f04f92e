"""Shared fixtures: the source texts, a fresh build of the real data, and example data sets."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from openness_kg import paths

ROOT = paths.ROOT
EXAMPLES = Path(__file__).parent / "examples"


def sources_dir() -> Path:
    return paths.sources_dir()


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The source texts ($OPENNESS_KG_SOURCES, default ../shared/seeds); tests that need them
    skip, with that reason, where they are absent (CI always has them)."""
    d = sources_dir()
    if not d.is_dir():
        pytest.skip(f"source texts not found at {d} (set {paths.SOURCES_ENV})")
    return d


@pytest.fixture(scope="session")
def full_built(tmp_path_factory):
    """A fresh build of the whole of data/ (curated records and imported indexes) into a
    temporary folder: (BuildResult, out_dir). Modules that shadow ``built`` still reach it."""
    from openness_kg.build import build

    out = tmp_path_factory.mktemp("build")
    result = build(out, quiet=True)
    return result, out


@pytest.fixture(scope="session")
def built(full_built):
    """The full build (see ``full_built``)."""
    return full_built


@pytest.fixture(scope="session")
def curated_built(tmp_path_factory):
    """A build of the curated data alone (data/ without data/imported/: the five source
    documents and the public records), into a temporary folder: (BuildResult, out_dir). The
    query library's expected results (queries/expected/) describe this build, except the
    queries about the imported indexes; rdflib is cross-checked on it (rdflib's SPARQL is too
    slow for the full graph of ~125k quads)."""
    from openness_kg.build import build

    data = tmp_path_factory.mktemp("curated") / "data"
    shutil.copytree(paths.DATA_DIR, data, ignore=shutil.ignore_patterns("imported"))
    out = tmp_path_factory.mktemp("curated-build")
    return build(out, data, quiet=True), out


@pytest.fixture(scope="session")
def dataset(built):
    return built[0].dataset


@pytest.fixture(scope="session")
def catalogue(built):
    return built[0].catalogue


def example_data(tmp_path: Path, *extra: Path) -> Path:
    """A data folder: data/sources.yaml + tests/examples/valid/records.yaml + ``extra`` files."""
    d = tmp_path / "data"
    d.mkdir(parents=True)
    shutil.copy(paths.DATA_DIR / "sources.yaml", d / "sources.yaml")
    shutil.copy(EXAMPLES / "valid" / "records.yaml", d / "records.yaml")
    for p in extra:
        shutil.copy(p, d / p.name)
    return d
