"""The compiled SHACL engine (shapes -> SPARQL on pyoxigraph) reports what pySHACL, the
reference engine, reports: on the invalid examples and on a mutation of a real record for every
constraint of every shape."""
from __future__ import annotations

import random
import re

import pyoxigraph as ox
import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from openness_kg import paths
from openness_kg.check.shacl import (UnsupportedShape, compile_shapes, shapes_graph, union_graph,
                                     validate_graph, validate_store)
from openness_kg.graph import KnowledgeGraph
from openness_kg.namespaces import ONTOLOGY_GRAPH

from conftest import EXAMPLES

SH = Namespace("http://www.w3.org/ns/shacl#")


def compiled(g: Graph):
    """Run the compiled engine on an rdflib graph (loaded into a pyoxigraph store)."""
    st = ox.Store()
    st.load(g.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:g"))
    return validate_store(st)


@pytest.fixture(scope="module")
def ontology(small_graph) -> Graph:
    return union_graph(KnowledgeGraph(small_graph[1].quads_in(str(ONTOLOGY_GRAPH))))


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
def test_each_engine_rejects_the_invalid_examples(ontology, engine):
    path = EXAMPLES / "shacl-invalid" / "violations.ttl"
    g = Graph().parse(path, format="turtle")
    g += ontology
    violations = compiled(g) if engine == "compiled" else validate_graph(g)
    expects = re.findall(r"# expect: (\S+) \| (\S+) \| (.+)", path.read_text())
    assert expects
    for focus, pth, msg in expects:
        hits = [v for v in violations if v.focus.endswith("/id/" + focus) and v.path == pth and msg in v.message]
        assert hits, f"{engine}: no violation {focus} {pth} {msg!r} in:\n" + "\n".join(map(str, violations))


def test_the_small_graph_conforms_in_both_engines(small_graph):
    kg = small_graph[1]
    assert validate_store(kg.store()) == []
    assert validate_graph(union_graph(kg)) == []


def test_an_unsupported_constraint_is_refused_not_skipped():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
             sh:property [ sh:path ex:p ; sh:uniqueLang true ] .""", format="turtle")
    with pytest.raises(UnsupportedShape, match="uniqueLang"):
        compile_shapes(shapes)


def mutations(full: Graph, shapes: Graph):
    """(label, focus, triples) cases: one real node of each shape's target class, copied under a
    new IRI (``<node>#case-<n>``) and broken on one constraint; the copies of all cases are
    validated together, in the graph they were taken from (after the differential test of the
    engine choice)."""
    rnd = random.Random(1)
    count = 0

    def copy(base, fn):
        nonlocal count
        count += 1
        g = Graph()
        for t in full.triples((base, None, None)):
            g.add(t)
        fn(g)
        new = URIRef(f"{base}#case-{count}")
        out = Graph()
        for s_, p_, o_ in g:
            out.add((new if s_ == base else s_, p_, o_))
        return str(new), out

    for ns in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        tc = shapes.value(ns, SH.targetClass)
        nodes = sorted(s for s in full.subjects(RDF.type, tc) if isinstance(s, URIRef))
        if not nodes:
            continue
        for ps in sorted(shapes.objects(ns, SH.property), key=lambda p: str(shapes.value(p, SH.path))):
            path = shapes.value(ps, SH.path)
            with_val = [n for n in nodes if (n, path, None) in full]
            base = rnd.choice(with_val or nodes)
            vals = sorted(full.objects(base, path))
            label = f"{ns.rsplit('#', 1)[-1]}/{path.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}"

            def case(kind, fn, base=base, label=label):
                return (f"{label}:{kind}", *copy(base, fn))

            if shapes.value(ps, SH.minCount) is not None and vals:
                yield case("minCount", lambda g, base=base, path=path: g.remove((base, path, None)))
            mx = shapes.value(ps, SH.maxCount)
            if mx is not None and vals:
                v = vals[0]

                def more(g, v=v, n=int(mx), base=base, path=path):
                    for i in range(n):
                        if isinstance(v, Literal) and v.datatype == XSD.boolean:
                            g.add((base, path, Literal(not v.toPython())))
                        elif isinstance(v, Literal):
                            g.add((base, path, Literal(f"{v}1{i}", datatype=v.datatype, lang=v.language)))
                        else:
                            o = URIRef(f"{v}-x{i}")
                            g.add((base, path, o))
                            for t in full.triples((v, RDF.type, None)):
                                g.add((o, RDF.type, t[2]))
                yield case("maxCount", more)
            if not vals:
                continue
            v0 = vals[0]

            def repl(newv, base=base, path=path, v0=v0):
                def f(g):
                    g.remove((base, path, v0))
                    g.add((base, path, newv))
                return f
            dt, nk = shapes.value(ps, SH.datatype), shapes.value(ps, SH.nodeKind)
            if dt is not None:
                yield case("datatype", repl(Literal("zzz", lang="en") if dt == XSD.string else Literal("zzz")))
                if dt not in (XSD.string, XSD.anyURI, XSD.boolean):  # rdflib writes any boolean as true/false
                    yield case("datatype-ill-formed", repl(Literal("zzz", datatype=dt)))
            if nk in (SH.IRI, SH.BlankNodeOrIRI):
                yield case("nodeKind", repl(Literal("zzz")))
            if nk == SH.Literal:
                yield case("nodeKind", repl(URIRef("https://example.org/zzz")))
            if nk == SH.IRI:
                yield case("nodeKind-blank", repl(BNode("b0")))
            if shapes.value(ps, SH["class"]) is not None:
                yield case("class-untyped", repl(URIRef("https://example.org/untyped")))

                def wrong(g, r=repl(URIRef("https://example.org/wrongclass"))):
                    r(g)
                    g.add((URIRef("https://example.org/wrongclass"), RDF.type, URIRef("https://example.org/Other")))
                yield case("class-wrong", wrong)
            lst = shapes.value(ps, SH["in"])
            if lst is not None:
                first = list(Collection(shapes, lst))[0]
                yield case("in", repl(URIRef(f"{first}-zzz") if isinstance(first, URIRef)
                                      else Literal(f"{first}zzz", datatype=first.datatype)))
            if shapes.value(ps, SH.pattern) is not None:
                yield case("pattern", repl(Literal("!! no !!", datatype=v0.datatype if isinstance(v0, Literal) else None)))
            for key, step in ((SH.minInclusive, -1), (SH.maxInclusive, 1)):
                lim = shapes.value(ps, key)
                if lim is not None:
                    new = int(lim) + step if lim.datatype == XSD.integer else float(lim) + step
                    yield case(str(key).rsplit("#", 1)[-1], repl(Literal(new, datatype=lim.datatype)))
        if shapes.value(ns, SH.closed) == Literal(True):
            base = nodes[0]
            yield (f"{ns.rsplit('#', 1)[-1]}:closed",
                   *copy(base, lambda g, base=base: g.add((base, URIRef("http://example.org/colour"), Literal("blue")))))


@pytest.mark.slow
def test_compiled_engine_agrees_with_pyshacl_on_a_mutation_of_every_constraint(curated_built):
    """For every constraint of every shape whose target class has a record in the curated
    build (derived graph included), break a copy of one real record, and require both engines
    to reject every copy with the same (focus node, path) results, and to agree on the rest."""
    kg = curated_built[0].graph
    full = union_graph(kg)
    cases = list(mutations(full, shapes_graph()))
    assert len(cases) > 250
    data = Graph()
    data += full
    for _, _, g in cases:
        data += g
    data = Graph().parse(data=data.serialize(format="nt"), format="nt")  # both engines read the same text
    a = sorted({(v.focus, v.path) for v in validate_graph(data)})
    b = sorted({(v.focus, v.path) for v in compiled(data)})
    assert set(a) - set(b) == set() and set(b) - set(a) == set()
    rejected = {f for f, _ in b}
    assert [label for label, focus, _ in cases if focus not in rejected] == []


def test_an_ill_formed_boolean_is_rejected():
    """rdflib rewrites a weird boolean as "false" when it serialises, so the mutation test cannot
    make one: check the compiled engine on N-Triples text."""
    st = ox.Store()
    st.load(b'<https://w3id.org/openness-kg/id/licence/x> <https://w3id.org/openness-kg/ontology#osiApproved> '
            b'"zzz"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n'
            b'<https://w3id.org/openness-kg/id/licence/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
            b'<http://purl.org/dc/terms/LicenseDocument> .\n', format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:g"))
    found = [v for v in validate_store(st) if v.path == "https://w3id.org/openness-kg/ontology#osiApproved"]
    assert found and "not Literal with datatype xsd:boolean" in found[0].message


def test_shapes_file_compiles():
    checks = compile_shapes(Graph().parse(paths.SHACL_FILE, format="turtle"))
    kinds = {c.component for c in checks}
    assert {"MinCountConstraintComponent", "MaxCountConstraintComponent", "ClassConstraintComponent",
            "DatatypeConstraintComponent", "NodeKindConstraintComponent", "InConstraintComponent",
            "PatternConstraintComponent", "ClosedConstraintComponent"} <= kinds
