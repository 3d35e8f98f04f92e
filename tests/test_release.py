"""The release: version and date from one place each, deterministic packing, checksums, and the
dataset descriptions (DCAT + VoID, Croissant, SSSOM) validated by their own libraries."""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import logging
import subprocess
import tarfile
import tomllib

import pytest
import yaml
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from openness_kg import paths
from openness_kg.release import pack as rel

VOID = Namespace("http://rdfs.org/ns/void#")
SPDXT = Namespace("http://spdx.org/rdf/terms#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
NON_NEGATIVE = URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
PYPROJECT_VERSION = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["version"]


# ------------------------------------------------------------------ version, date, changelog

def test_citation_and_changelog_carry_the_pyproject_version_and_one_date():
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text())
    assert str(cff["version"]) == PYPROJECT_VERSION
    changelog = (paths.ROOT / "CHANGELOG.md").read_text()
    assert f"## [{PYPROJECT_VERSION}] - {cff['date-released'].isoformat()}" in changelog
    info = rel.release_info()
    assert (info.version, info.date, info.name) == (PYPROJECT_VERSION, cff["date-released"],
                                                     f"openness-kg-{PYPROJECT_VERSION}")


def _release_files(tmp_path, version="9.9.9", cff_version="9.9.9", date="2030-01-02", log_date="2030-01-02"):
    cff = tmp_path / "CITATION.cff"
    cff.write_text(f"cff-version: 1.2.0\ntitle: t\nversion: {cff_version}\ndate-released: {date}\n")
    log = tmp_path / "CHANGELOG.md"
    log.write_text(f"# Changelog\n\n## [{version}] - {log_date}\n\n- things\n\n## [0.0.1] - 2020-01-01\n")
    return cff, log


def test_release_info_reads_the_date_from_citation(tmp_path):
    cff, log = _release_files(tmp_path)
    assert rel.release_info(cff, log, version="9.9.9") == rel.ReleaseInfo("9.9.9", dt.date(2030, 1, 2))


@pytest.mark.parametrize("kwargs, words", [
    ({"cff_version": "9.9.8"}, ["CITATION.cff", "'version'", "9.9.8", "9.9.9"]),
    ({"date": "soon"}, ["CITATION.cff", "'date-released'"]),
    ({"log_date": "2030-01-03"}, ["CHANGELOG.md", "2030-01-03", "2030-01-02"]),
    ({"version": "9.9.7"}, ["CHANGELOG.md", "no section", "[9.9.9]"]),
])
def test_release_info_refuses_a_mismatch_naming_file_and_field(tmp_path, kwargs, words):
    cff, log = _release_files(tmp_path, **kwargs)
    with pytest.raises(rel.ReleaseError) as exc:
        rel.release_info(cff, log, version="9.9.9")
    msg = str(exc.value)
    assert "\n" not in msg and all(w in msg for w in words), msg


def test_release_refuses_a_build_of_another_version(tmp_path):
    build = tmp_path / "build"
    build.mkdir()
    (build / "openness-kg.nq").write_text("")
    (build / "build-info.json").write_text(json.dumps({"version": "0.0.1", "data_dir": str(tmp_path / "gone")}))
    with pytest.raises(rel.ReleaseError, match=r"build-info.json: field 'version' is '0.0.1'"):
        rel.release(build, tmp_path / "dist", info=rel.ReleaseInfo("9.9.9", dt.date(2030, 1, 2)))
    assert not (tmp_path / "dist" / "openness-kg-9.9.9").exists()


def test_release_without_mlcroissant_names_the_extra_and_writes_nothing(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "mlcroissant" else real(name, *a))
    with pytest.raises(rel.ReleaseError, match=r"mlcroissant.*pip install 'openness-kg\[release\]'"):
        rel.release(tmp_path / "build", tmp_path / "dist", info=rel.ReleaseInfo("9.9.9", dt.date(2030, 1, 2)))
    assert not (tmp_path / "dist").exists()


# ------------------------------------------------------------------ deterministic packing

def test_gzip_and_archive_are_byte_identical_and_normalised(tmp_path):
    folder = tmp_path / "pkg-1"
    (folder / "b").mkdir(parents=True)
    (folder / "z.txt").write_text("zed\n")
    (folder / "b" / "a.txt").write_text("ay\n")
    one = rel.gzip_file(folder / "z.txt", tmp_path / "one.gz").read_bytes()
    (folder / "z.txt").touch()  # a newer modification time must not change the bytes
    two = rel.gzip_file(folder / "z.txt", tmp_path / "two.gz").read_bytes()
    assert one == two and gzip.decompress(one) == b"zed\n"
    a = rel.write_archive(folder, tmp_path / "a.tar.gz", 1_000_000).read_bytes()
    (folder / "b" / "a.txt").chmod(0o600)
    b = rel.write_archive(folder, tmp_path / "b.tar.gz", 1_000_000).read_bytes()
    assert a == b
    with tarfile.open(fileobj=io.BytesIO(a)) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == ["pkg-1", "pkg-1/b", "pkg-1/b/a.txt", "pkg-1/z.txt"]
        assert {(m.uid, m.gid, m.uname, m.mtime) for m in members} == {(0, 0, "", 1_000_000)}
        assert tar.extractfile("pkg-1/b/a.txt").read() == b"ay\n"


def test_sums_file_lists_every_other_file_in_sha256sum_format(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.csv").write_bytes(b"a,b\n")
    (tmp_path / "y.md").write_bytes(b"")
    sums = rel.write_sums(tmp_path).read_text()
    x_csv = hashlib.sha256(b"a,b\n").hexdigest()
    assert sums == (f"{x_csv}  d/x.csv\n"
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  y.md\n")


# ------------------------------------------------------------------ SSSOM (the importers' matches)

def _sssom_rows(dataset):
    from openness_kg.importers.mappings import read_rows

    return {(r["subject_id"], r["object_id"]): r
            for r in read_rows(paths.DATA_DIR / "imported" / dataset / "mappings.sssom.tsv")}


def test_crosswalk_entries_are_manual_curation_and_joint_developers_narrow_matches():
    rows = _sssom_rows("mof")
    # data/crosswalk.yaml, organisations/mof: "Mistral: mistral-ai", "Microsoft, NVIDIA: [microsoft, nvidia]"
    r = rows[("mof:organisation/Mistral", "okgid:organisation/mistral-ai")]
    assert (r["predicate_id"], r["mapping_justification"]) == ("skos:exactMatch", "semapv:ManualMappingCuration")
    for ours in ("microsoft", "nvidia"):
        r = rows[("mof:organisation/Microsoft%2C%20NVIDIA", f"okgid:organisation/{ours}")]
        assert (r["subject_label"], r["predicate_id"]) == ("Microsoft, NVIDIA", "skos:narrowMatch")


def test_exact_name_matches_are_lexical_and_minted_entities_are_not_mappings():
    rows = _sssom_rows("mof")
    # MOF's "Command-R+" folds to our model "Command R+" (data/models.yaml); no crosswalk entry
    r = rows[("mof:model/Command-R%2B", "okgid:model/command-r-plus")]
    assert (r["mapping_justification"], r["object_label"]) == ("semapv:LexicalMatching", "Command R+")
    # OSAI's AI Sweden is minted by the import (no record of ours, no crosswalk entry)
    assert not any("AI%20Sweden" in s for s, _ in _sssom_rows("osai-index"))


@pytest.mark.slow
def test_committed_mapping_tables_validate_with_sssom_py(caplog):
    from sssom.constants import SchemaValidationType as V
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    for p in sorted((paths.DATA_DIR / "imported").glob("*/mappings.sssom.tsv")):
        with caplog.at_level(logging.WARNING):
            msdf = parse_sssom_table(p)
        assert not [r.message for r in caplog.records if r.levelno >= logging.WARNING], p
        reports = validate(msdf, [V.JsonSchema, V.PrefixMapCompleteness, V.StrictCurieFormat], fail_on_error=False)
        assert all(not r.results for r in reports.values()), (p, reports)
        assert len(msdf.df) > 10


# ------------------------------------------------------------------ the release of the full build

@pytest.fixture(scope="module")
def released(full_built, tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    folder, archive = rel.release(full_built[1], dist)
    return folder, archive, full_built[1]


def test_release_holds_the_promised_files_and_sha256sum_checks_them(released):
    folder, archive, build = released
    assert folder.name == f"openness-kg-{PYPROJECT_VERSION}"
    names = set(rel.released_files(folder))
    for n in ("openness-kg.nq.gz", "openness-kg.trig.gz", "openness-kg.ttl.gz", "openness-kg.jsonld.gz",
              "openness-kg.db", "analysis/report.md", "analysis/analysis_model_openness.csv",
              "SHA256SUMS", "CHANGELOG.md", "CITATION.cff", "croissant.json", "dataset.ttl",
              "openness-kg.sssom.tsv"):
        assert n in names, n
    assert gzip.decompress((folder / "openness-kg.nq.gz").read_bytes()) == (build / "openness-kg.nq").read_bytes()
    res = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count(": OK") == len(names) - 1
    with tarfile.open(archive) as tar:
        assert sorted(m.name for m in tar.getmembers() if m.isfile()) == sorted(f"{folder.name}/{n}" for n in names)


def test_void_triples_equal_the_dump_line_count_and_subsets_add_up(released):
    folder, _, build = released
    lines = gzip.decompress((folder / "openness-kg.nq.gz").read_bytes()).count(b"\n")
    g = Graph().parse(folder / "dataset.ttl")
    ds = URIRef(f"https://w3id.org/openness-kg/release/{PYPROJECT_VERSION}")
    assert g.value(ds, VOID.triples).toPython() == lines
    subsets = list(g.objects(ds, VOID.subset))
    named_graphs = {line.rsplit(b" ", 2)[-2] for line in (build / "openness-kg.nq").read_bytes().splitlines()}
    assert len(subsets) == len(named_graphs)
    assert sum(g.value(s, VOID.triples).toPython() for s in subsets) == lines
    # graph/curated: the curated records' own graph
    assert URIRef("https://w3id.org/openness-kg/graph/curated") in subsets
    models = [p for p in g.objects(ds, VOID.classPartition)
              if g.value(p, VOID["class"]) == URIRef("https://w3id.org/openness-kg/ontology#Model")]
    assert len(models) == 1 and g.value(models[0], VOID.entities).toPython() > 100


def test_one_distribution_per_released_file_with_size_and_checksum(released):
    folder, _, _ = released
    g = Graph().parse(folder / "dataset.ttl")
    ds = URIRef(f"https://w3id.org/openness-kg/release/{PYPROJECT_VERSION}")
    dists = {str(g.value(d, URIRef("http://purl.org/dc/terms/title"))): d for d in g.objects(ds, DCAT.distribution)}
    expected = set(rel.released_files(folder)) - {"dataset.ttl", "SHA256SUMS"}
    assert set(dists) == expected
    sums = dict(reversed(line.split("  ", 1)) for line in (folder / "SHA256SUMS").read_text().splitlines())
    for name, d in dists.items():
        assert (d, RDF.type, DCAT.Distribution) in g
        assert g.value(d, DCAT.byteSize) == Literal((folder / name).stat().st_size, datatype=NON_NEGATIVE)
        cs = g.value(d, SPDXT.checksum)
        assert g.value(cs, SPDXT.algorithm) == SPDXT.checksumAlgorithm_sha256
        assert str(g.value(cs, SPDXT.checksumValue)) == sums[name]
        assert g.value(d, URIRef("http://purl.org/dc/terms/license")) == URIRef("http://creativecommons.org/licenses/by/4.0/")
    nq = dists["openness-kg.nq.gz"]
    assert g.value(nq, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/application/n-quads")
    assert g.value(nq, DCAT.compressFormat) == URIRef("https://www.iana.org/assignments/media-types/application/gzip")


def test_croissant_validates_and_reads_the_csv_rows_with_mlcroissant(released):
    import mlcroissant as mlc

    folder, _, _ = released
    ds = mlc.Dataset(jsonld=folder / "croissant.json")
    assert not ds.metadata.ctx.issues.errors
    doc = json.loads((folder / "croissant.json").read_text())
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.0" and doc["version"] == PYPROJECT_VERSION
    csvs = sorted(p.stem for p in (folder / "analysis").glob("*.csv"))
    assert sorted(r["@id"] for r in doc["recordSet"]) == csvs
    with open(folder / "analysis" / "analysis_model_openness.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    records = list(ds.records("analysis_model_openness"))
    assert len(records) == len(rows)
    assert records[0]["analysis_model_openness/model"].decode() == rows[0]["model"]


def test_released_sssom_validates_with_sssom_py(released):
    from sssom.constants import SchemaValidationType as V
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    folder, _, _ = released
    msdf = parse_sssom_table(folder / "openness-kg.sssom.tsv")
    reports = validate(msdf, [V.JsonSchema, V.PrefixMapCompleteness, V.StrictCurieFormat], fail_on_error=False)
    assert all(not r.results for r in reports.values())
    assert set(msdf.df["mapping_justification"]) == {"semapv:ManualMappingCuration", "semapv:LexicalMatching"}
    n = sum(len(_sssom_rows(d)) for d in ("osai-index", "mof", "fmti", "epoch"))
    assert len(msdf.df) == n


def test_a_second_release_of_the_same_build_is_byte_identical(released, tmp_path):
    folder, archive, build = released
    _, again = rel.release(build, tmp_path)
    assert again.read_bytes() == archive.read_bytes()


def test_cli_release_without_a_build_is_a_one_line_error_and_writes_nothing(tmp_path):
    from click.testing import CliRunner

    from openness_kg.cli import main

    res = CliRunner().invoke(main, ["release", "--build-dir", str(tmp_path / "none"), "--dist", str(tmp_path / "dist")])
    assert res.exit_code == 1
    errors = [line for line in res.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "No finished build" in errors[0] and "openness-kg build" in errors[0]
    assert not (tmp_path / "dist").exists()
