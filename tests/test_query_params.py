"""Query parameters: a bare slug, <class>/<slug>, a prefixed name and a full IRI bind the same
value; a value that is not in the graph is an error naming the closest values, never 0 rows;
literal parameters stay literals. Fast layer: the curated-only build and the small example
graph, no full build."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

import openness_kg
from openness_kg.cli import main
from openness_kg.read import store
from openness_kg.sparql import (Param, QueryError, bind_param, check_given, library, parse_query_file,
                                resolve_params, run_oxigraph, run_rdflib)

from conftest import as_rdflib
from conftest import oxigraph_server as run_server

ID = "https://w3id.org/openness-kg/id/"
VOCAB = "https://w3id.org/openness-kg/vocab/"
LIB = library()


@pytest.fixture(scope="module")
def curated_dir(curated_built):
    return curated_built[1]


def slug(iri) -> str:
    return "" if iri is None else str(iri).rsplit("/", 1)[-1]


# ------------------------------------------------------------------ the forms of a value

LLAMA_3_1_FORMS = ["llama-3-1", "llama_3_1", "model/llama-3-1", "model:llama-3-1", "okgid:model/llama-3-1",
                   f"<{ID}model/llama-3-1>", f"{ID}model/llama-3-1"]


@pytest.mark.parametrize("value", LLAMA_3_1_FORMS)
def test_every_form_of_a_model_gives_its_artifacts(curated_dir, value):
    # data/artifacts.yaml: Llama 3.1 has one artifact, its final parameters, released under
    # the Llama 3.1 Community License Agreement (data/licences.yaml)
    rows = run_oxigraph(LIB["model-artifacts"], store(curated_dir), {"model": value})
    assert [(slug(r["model"]), slug(r["artifact"]), slug(r["component"]), slug(r["availability"]),
             slug(r["licence"])) for r in rows] == [
        ("llama-3-1", "llama-3-1-final-parameters", "final-parameters", "released", "llama-3-1-community-licence")]


def test_a_bare_slug_is_not_the_default(curated_dir):
    # data/artifacts.yaml: Phi-3 (the default) has final parameters (released, MIT) and
    # datasets (withheld, no licence); Mistral 7B only its final parameters (Apache 2.0)
    st = store(curated_dir)
    default = {(slug(r["artifact"]), slug(r["licence"])) for r in run_oxigraph(LIB["model-artifacts"], st)}
    assert default == {("phi-3-final-parameters", "mit"), ("phi-3-datasets", "")}
    mistral = {(slug(r["artifact"]), slug(r["licence"]))
               for r in run_oxigraph(LIB["model-artifacts"], st, {"model": "mistral-7b"})}
    assert mistral == {("mistral-7b-final-parameters", "apache-2-0")}


@pytest.mark.parametrize("value", ["llama", "model-family/llama", "okgid:model-family/llama", f"{ID}model-family/llama"])
def test_every_form_of_a_family_gives_its_models(curated_dir, value):
    # data/models.yaml: family llama holds llama-3, llama-3-1 and llama-3-2
    rows = run_oxigraph(LIB["models-by-family"], store(curated_dir), {"family": value})
    assert {slug(r["model"]) for r in rows} == {"llama-3", "llama-3-1", "llama-3-2"}


def test_every_form_of_a_dimension_gives_the_same_claims(curated_dir):
    st = store(curated_dir)
    q = LIB["claims-by-dimension"]
    forms = ["performance", "dimension/performance", "dimension:performance", "okgv:dimension/performance",
             f"<{VOCAB}dimension/performance>", f"{VOCAB}dimension/performance"]
    results = [sorted(run_oxigraph(q, st, {"dimension": v}).as_strings()) for v in forms]
    assert results[0] and all(r == results[0] for r in results)
    assert {row[0] for row in results[0]} == {f"{VOCAB}dimension/performance"}


def test_underscored_concepts_are_the_hyphenated_iris():
    q = LIB["claims-by-dimension"]
    assert resolve_params(q, {"dimension": "iteration_speed"})["dimension"].iri == f"{VOCAB}dimension/iteration-speed"
    assert resolve_params(q, {"dimension": "dimension/vendor_risk"})["dimension"].iri == f"{VOCAB}dimension/vendor-risk"
    # the query's own PREFIX lines count as prefixed names
    assert bind_param(Param("s", f"<{VOCAB}stance/mixed>"), "stance:favours_open",
                      {"stance": f"{VOCAB}stance/"}).iri == f"{VOCAB}stance/favours-open"


def test_the_rdflib_engine_resolves_slugs_too(small_graph):
    ds = as_rdflib(small_graph[1])
    rows = run_rdflib(LIB["model-artifacts"], ds, {"model": "example-7b"})
    assert {slug(r["artifact"]) for r in rows} >= {"example-7b-final-parameters"}
    with pytest.raises(QueryError, match=r"no model 'example-7c' in the graph; closest: example-7b"):
        run_rdflib(LIB["model-artifacts"], ds, {"model": "example-7c"})


def test_python_api_takes_slugs(curated_dir):
    rows = openness_kg.query("model-artifacts", model="phi-3", build_dir=curated_dir)
    assert {slug(r["artifact"]) for r in rows} == {"phi-3-final-parameters", "phi-3-datasets"}


# ------------------------------------------------------------------ values not in the graph

def test_an_unknown_slug_names_the_closest_ones(curated_dir):
    with pytest.raises(QueryError) as exc:
        run_oxigraph(LIB["model-artifacts"], store(curated_dir), {"model": "llama-3.1"})
    msg = str(exc.value)
    assert msg.startswith("Query 'model-artifacts': no model 'llama-3.1' in the graph; closest: llama-3-1")
    closest = msg.split("closest: ", 1)[1].split(", ")
    assert 1 <= len(closest) <= 5 and {"llama-3", "llama-3-2"} <= set(closest)


def test_an_unknown_value_names_the_parameter_and_its_kind(curated_dir):
    st = store(curated_dir)
    with pytest.raises(QueryError, match=r"no organisation 'metaa' \(parameter developer\) in the graph; closest: meta"):
        run_oxigraph(LIB["models-by-developer"], st, {"developer": "metaa"})
    with pytest.raises(QueryError, match=r"no dimension 'perfomance' in the graph; closest: performance"):
        run_oxigraph(LIB["contested-claims"], st, {"dimension": "perfomance"})
    with pytest.raises(QueryError, match=r"no model '\S+model/no-such-thing>' in the graph; nothing close"):
        run_oxigraph(LIB["model-artifacts"], st, {"model": f"<{ID}model/no-such-thing>"})


def test_values_that_cannot_be_an_iri_say_so():
    q = LIB["model-artifacts"]
    with pytest.raises(QueryError, match="not a valid value of parameter model"):
        resolve_params(q, {"model": "llama 3"})
    with pytest.raises(QueryError, match="parameter model needs a value"):
        resolve_params(q, {"model": ""})


def test_the_namespace_is_listed_only_on_a_miss(curated_dir):
    """The existence check is one lookup per given IRI; the listing for close matches runs only
    when that lookup misses, and defaults are not checked."""
    q = LIB["model-artifacts"]
    calls = []

    def listing(ns):
        calls.append(ns)
        return [f"{ns}phi-3"]

    check_given(q, resolve_params(q, {"model": "phi-3"}), lambda iri: True, listing)
    check_given(q, resolve_params(q, {}), lambda iri: False, listing)
    assert calls == []
    with pytest.raises(QueryError, match="closest: phi-3"):
        check_given(q, resolve_params(q, {"model": "phi-33"}), lambda iri: False, listing)
    assert calls == [f"{ID}model/"]


def test_inline_queries_bind_without_a_check(curated_dir):
    """An inline query declares no parameters, so nothing says what a value should name: it is
    bound as given (a question such as "is this IRI in the graph?" may well answer nothing)."""
    res = openness_kg.query("SELECT ?p WHERE { ?x ?p ?o }", build_dir=curated_dir, x=f"<{ID}model/no-such-thing>")
    assert list(res) == []


# ------------------------------------------------------------------ literal parameters

@pytest.fixture
def by_name_query(tmp_path):
    path = tmp_path / "model-by-name.rq"
    path.write_text('# title: Model by name\n# description: The model with a name.\n'
                    '# param name = "Phi-3" : the model\'s name (a literal)\n'
                    'PREFIX schema: <http://schema.org/>\nPREFIX okg: <https://w3id.org/openness-kg/ontology#>\n'
                    'SELECT DISTINCT ?model WHERE { ?model a okg:Model ; schema:name ?name . }\n')
    return path


def test_a_literal_parameter_stays_a_literal(curated_dir, by_name_query):
    q = parse_query_file(by_name_query)
    st = store(curated_dir)
    assert [slug(r["model"]) for r in run_oxigraph(q, st)] == ["phi-3"]
    # data/models.yaml: llama-3-1 is named "Llama 3.1"
    assert [slug(r["model"]) for r in run_oxigraph(q, st, {"name": "Llama 3.1"})] == ["llama-3-1"]
    assert [slug(r["model"]) for r in run_oxigraph(q, st, {"name": '"Llama 3.1"'})] == ["llama-3-1"]
    # a slug-like value is still a literal: no model is named "model/llama-3-1", and no check runs
    assert list(run_oxigraph(q, st, {"name": "model/llama-3-1"})) == []


def test_an_integer_parameter_takes_integers():
    p = Param("year", "2024")
    assert bind_param(p, "2025").term.value == "2025"
    with pytest.raises(QueryError, match="takes an integer"):
        bind_param(p, "last-year")


# ------------------------------------------------------------------ CLI

def test_cli_unknown_slug_is_an_error_with_the_closest_ones(curated_dir):
    res = CliRunner().invoke(main, ["query", "model-artifacts", "--param", "model=llama-3.1",
                                    "--build-dir", str(curated_dir)])
    assert res.exit_code == 1
    assert "Error: Query 'model-artifacts': no model 'llama-3.1' in the graph; closest: llama-3-1" in res.output


def test_cli_bare_slug(curated_dir):
    res = CliRunner().invoke(main, ["query", "model-artifacts", "--param", "model=llama-3-1", "--format", "csv",
                                    "--build-dir", str(curated_dir)])
    assert res.exit_code == 0, res.output
    assert f"{ID}artifact/llama-3-1-final-parameters" in res.output


def test_cli_contested_claims_accepts_a_dimension_slug(curated_dir):
    res = CliRunner().invoke(main, ["query", "contested-claims", "--param", "dimension=performance",
                                    "--build-dir", str(curated_dir)])
    assert res.exit_code == 0, res.output


def test_cli_literal_parameter(curated_dir, by_name_query):
    res = CliRunner().invoke(main, ["query", str(by_name_query), "--param", "name=Llama 3.1", "--format", "csv",
                                    "--build-dir", str(curated_dir)])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["model", f"{ID}model/llama-3-1"]


# ------------------------------------------------------------------ a remote endpoint

@pytest.fixture(scope="module")
def curated_server(curated_dir, tmp_path_factory):
    """The `oxigraph` server on the curated build (conftest.oxigraph_server); stopped after the tests."""
    yield from run_server(curated_dir / "openness-kg.nq", tmp_path_factory.mktemp("oxigraph-curated"))


@pytest.mark.endpoint
def test_endpoint_resolves_slugs_and_checks_them(curated_server, curated_dir):
    from openness_kg.sparql import run_endpoint

    q = LIB["model-artifacts"]
    remote = run_endpoint(q, curated_server, {"model": "llama-3-1"})
    assert remote.as_strings() == run_oxigraph(q, store(curated_dir), {"model": "llama-3-1"}).as_strings()
    with pytest.raises(QueryError, match=r"no model 'llama-3.1' in the graph; closest: llama-3-1"):
        run_endpoint(q, curated_server, {"model": "llama-3.1"})
