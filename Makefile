# openness-kg: two commands set everything up on a fresh machine with Python 3.11:
#   make build   create .venv, install, build the graph and every export into build/,
#                and the analyses (tables, figures, report) into build/analysis/
#   make test    run the test suite (verifies spans against $(OPENNESS_KG_SOURCES))
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
OPENNESS_KG_SOURCES ?= ../shared/seeds
export OPENNESS_KG_SOURCES
EXTERNAL ?= ../shared/external

.PHONY: build test test-fast bench bench-build bench-datasette bench-read install schema validate verify-sources stats serve browser import clean release loadtest

$(BIN)/openness-kg: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; run: make PYTHON=python3 build"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/openness-kg

build: install
	$(BIN)/openness-kg build --out build

# Release (openness-kg release): build, then pack build/ as dist/openness-kg-<version>/ and its
# .tar.gz with checksums, DCAT + VoID, Croissant and SSSOM; the version comes from pyproject.toml.
release: build
	$(BIN)/openness-kg release

test: install browser
	@if [ -d "$(OPENNESS_KG_SOURCES)" ]; then $(BIN)/openness-kg verify-sources $(OPENNESS_KG_SOURCES); \
	else echo "verify-sources skipped: no source texts at $(OPENNESS_KG_SOURCES) (set OPENNESS_KG_SOURCES)"; fi
	$(BIN)/python -m pytest

# The fast layer (under a minute): no full build, no browser, no SPARQL server
test-fast: install
	$(BIN)/python -m pytest -m "not slow and not browser and not endpoint"

# Build benchmark (bench/build_bench.py): the build's stages, CPU seconds and peak memory against
# a floor measured in the same run (libyaml, pyoxigraph, raw sqlite); 10x adds about 10 minutes.
BENCH_SCALE ?= 1,10
BENCH_OUT ?=
# `make bench` runs the three (build, read, Datasette); `make -k bench` goes on past one whose
# target is missed (each script exits 1 then).
bench: bench-build bench-read bench-datasette

bench-build: install
	$(BIN)/python bench/build_bench.py --scale $(BENCH_SCALE) $(if $(BENCH_OUT),--out $(BENCH_OUT))

# Datasette benchmark (bench/datasette_bench.py): every kind of page (home, database, table, row,
# facet, search, stored query) through Datasette's test client, against the same SQL run raw;
# 10x exports a scaled-up database first (about 10 minutes).
bench-datasette: install
	$(BIN)/python bench/datasette_bench.py --scale $(BENCH_SCALE) $(if $(BENCH_OUT),--out $(BENCH_OUT))

# Read benchmark (bench/read_bench.py): each library query through the package against raw
# pyoxigraph on the same store, and the cold CLI against `python -c 'import pyoxigraph'`, in one run
bench-read: install
	$(BIN)/python bench/read_bench.py $(if $(BENCH_OUT),--out $(BENCH_OUT))

# Bounded load test on loopback (bench/loadtest.py; not part of `make test`): Datasette pages with a
# rebuild during the load, and the SPARQL library against `oxigraph serve-read-only`; 3-4 minutes.
LOADTEST_ARGS ?=
loadtest: install
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

# Re-import the openness indexes from $(EXTERNAL) into data/imported/ (committed; `make build`
# reads data/ only). Exit status 3 from an import means some records were reported and skipped.
import: install
	$(BIN)/openness-kg import osai $(EXTERNAL)/osai-index || [ $$? -eq 3 ]
	$(BIN)/openness-kg import mof $(EXTERNAL)/mof || [ $$? -eq 3 ]
	$(BIN)/openness-kg import fmti $(EXTERNAL)/fmti || [ $$? -eq 3 ]
	$(BIN)/openness-kg import epoch $(EXTERNAL)/epoch || [ $$? -eq 3 ]

# Regenerate the OWL ontology, SHACL shapes, JSON Schema and docs from schema/openness_kg.yaml
schema: install
	$(BIN)/openness-kg generate-schema

validate: install
	$(BIN)/openness-kg validate

verify-sources: install
	$(BIN)/openness-kg verify-sources $(OPENNESS_KG_SOURCES)

stats: install
	$(BIN)/openness-kg stats

# Browse build/openness-kg.db in Datasette at http://127.0.0.1:8001/ (PORT=... to change)
PORT ?= 8001
serve: install
	$(BIN)/openness-kg serve --port $(PORT)

# Debian's Chromium for the browser tests (tests/test_browser.py); installed when missing and
# possible (root with apt-get), otherwise those tests skip and say why.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
	else echo "browser tests will skip: no Chromium at $(CHROMIUM) (install Debian's chromium)"; fi

clean:
	rm -rf build dist
