"""The hand-written Turtle of a record graph: the same triples as its N-Triples, valid where it is odd."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from pipeline.mapping import Mapper
from pipeline.rdf_output import prefixes, turtle_document
from pipeline.terms import Lit, RdfTriple, nt_lines
from pipeline.turtle import TurtleWriter
from tests.conftest import EXAMPLES, SAMPLES, records_of

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EX = "http://example.org/"


def same_triples(triples: list[RdfTriple], turtle: bytes) -> bool:
    """The Turtle parses in rdflib and pyoxigraph and holds exactly the N-Triples' triples."""
    nt = Graph().parse(data="".join(nt_lines(triples)), format="nt")
    ttl = Graph().parse(data=turtle.decode("utf-8"), format="turtle")
    oxigraph = set(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    return isomorphic(nt, ttl) and len(oxigraph) == len(nt)


def mapped_samples():
    mapper = Mapper()
    paths = [EXAMPLES / "oai_dim_examples.xml", *sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix in (".xml", ".csv", ".json"))]
    for path in paths:
        for record in records_of(path)[0]:
            mapped = mapper.map(record)
            if mapped.triples:
                yield pytest.param(mapped.triples, id=f"{path.name}:{record.handle}")


@pytest.mark.parametrize("triples", list(mapped_samples()))
def test_every_sample_record_has_the_same_triples_in_turtle(triples):
    assert same_triples(triples, turtle_document(triples))


def test_the_author_list_is_a_collection_in_author_order():
    record = next(r for r in records_of(EXAMPLES / "oai_dim_examples.xml")[0] if r.values("dc.contributor.author")[1:])
    mapped = Mapper().map(record)
    turtle = turtle_document(mapped.triples).decode("utf-8")
    assert "rdf:first" not in turtle and "bibo:authorList ( _:" in turtle
    names = [name for s, p, o in mapped.triples if p == "http://xmlns.com/foaf/0.1/name" for name in [o.value]]  # type: ignore[union-attr]
    g = Graph().parse(data=turtle, format="turtle")
    in_list = [str(g.value(node, g.namespace_manager.expand_curie("foaf:name")))
               for node in g.items(next(g.objects(None, g.namespace_manager.expand_curie("bibo:authorList"))))]
    assert in_list == [n for n in names if n in in_list] and len(in_list) == len(record.values("dc.contributor.author"))


ODD: list[RdfTriple] = [
    (EX + "a", EX + "text", Lit('say "hi"\\ \n\r\tend')),
    (EX + "a", EX + "text", Lit("ok", "nb")),
    (EX + "a", EX + "number", Lit("5", None, "http://www.w3.org/2001/XMLSchema#integer")),
    (EX + "a", EX + "odd", Lit("x", None, "http://example.org/types/dt.")),
    (EX + "a", EX + "ends.", EX + "path/with/slashes"),
    (EX + "a", EX + "p", EX + "paren(1)"),
    (EX + "a", EX + "p", EX),
    (EX + "a", EX + "p", "https://w3id.org/lodpub/vocab/vdp/242"),
    (EX + "a", EX + "p", "http://purl.org/dc/terms/-dash"),
    (EX + "a", EX + "p", RDF + "nil"),
    # a good list holding a nested list
    (EX + "a", EX + "list", "_:l1"),
    ("_:l1", RDF + "first", Lit("one")),
    ("_:l1", RDF + "rest", "_:l2"),
    ("_:l2", RDF + "first", "_:inner"),
    ("_:l2", RDF + "rest", RDF + "nil"),
    ("_:inner", RDF + "first", EX + "b"),
    ("_:inner", RDF + "rest", RDF + "nil"),
    # a cell with a third property, a cell used twice, a chain without nil, a cycle
    (EX + "a", EX + "list", "_:m1"),
    ("_:m1", RDF + "first", Lit("m")),
    ("_:m1", RDF + "rest", RDF + "nil"),
    ("_:m1", EX + "extra", Lit("e")),
    (EX + "a", EX + "list", "_:t1"),
    (EX + "c", EX + "list", "_:t1"),
    ("_:t1", RDF + "first", Lit("t")),
    ("_:t1", RDF + "rest", RDF + "nil"),
    (EX + "a", EX + "list", "_:o1"),
    ("_:o1", RDF + "first", Lit("o")),
    ("_:o1", RDF + "rest", "_:o2"),
    (EX + "a", EX + "list", "_:c1"),
    ("_:c1", RDF + "first", Lit("c")),
    ("_:c1", RDF + "rest", "_:c2"),
    ("_:c2", RDF + "first", Lit("d")),
    ("_:c2", RDF + "rest", "_:c1"),
]


def test_odd_literals_iris_and_lists_stay_valid_and_complete():
    turtle = TurtleWriter(prefixes()).write(ODD).encode("utf-8")
    assert same_triples(ODD, turtle)
    text = turtle.decode("utf-8")
    assert "vdp:242" in text and "<http://purl.org/dc/terms/-dash>" in text and "<http://example.org/ends.>" in text
    assert '( "one" ( <http://example.org/b> ) )' in text


def test_a_namespace_nested_in_another_gets_the_longer_prefix():
    writer = TurtleWriter({"a": "http://example.org/", "b": "http://example.org/sub/"})
    assert writer.iri("http://example.org/sub/x") == "b:x" and writer.iri("http://example.org/x") == "a:x"
