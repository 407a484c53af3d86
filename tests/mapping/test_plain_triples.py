"""Reading lodpub's own N-Triples back as plain terms: the same triples Oxigraph's parser gives, or None."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pipeline.mapping import Mapper
from pipeline.terms import Lit, from_oxigraph, nt_lines, plain_triples, to_oxigraph
from tests.conftest import EXAMPLES, records_of
from tests.mapping.test_turtle_writer import ODD, mapped_samples


def parsed(ntriples: bytes):
    return from_oxigraph(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("triples", list(mapped_samples()))
def test_every_sample_record_reads_back_as_oxigraph_parses_it(triples):
    ntriples = "".join(nt_lines(triples)).encode("utf-8")
    assert plain_triples(ntriples) == parsed(ntriples) == triples


def test_odd_literals_read_back_from_our_writer_and_from_oxigraphs():
    odd = [*ODD, ("http://example.org/a", "http://example.org/p", Lit("tab\there, line\u2028separator, nul-free \u00e9 \U0001F600")),
           ("http://example.org/a", "http://example.org/p", Lit("typed string", None, None))]
    for ntriples in ("".join(nt_lines(odd)).encode("utf-8"), ox.serialize(to_oxigraph(odd), format=ox.RdfFormat.N_TRIPLES)):
        assert plain_triples(ntriples) == parsed(ntriples)


def test_escapes_other_writers_use_are_read():
    ntriples = b'<http://e.org/a> <http://e.org/p> "caf\\u00E9\\tand \\U0001F600 \\"q\\" \\\\"@fr .\n'
    assert plain_triples(ntriples) == parsed(ntriples) == [("http://e.org/a", "http://e.org/p", Lit('café\tand \U0001F600 "q" \\', "fr"))]


@pytest.mark.parametrize("line", [
    b"<http://e.org/a>  <http://e.org/p> <http://e.org/o> .\n",  # two spaces
    b"<http://e.org/a> <http://e.org/p> <http://e.org/o>.\n",  # no space before the dot
    b"# a comment\n",
    b'<http://e.org/a> <http://e.org/p> "x"^^xsd:string .\n',  # not N-Triples
    b"<http://e.org/a> <http://e.org/p> <http://e.org/o> <http://e.org/g> .\n",  # a quad
    b"<http://e.org/\\u0061> <http://e.org/p> <http://e.org/o> .\n",  # an escape in an IRI
])
def test_anything_else_is_left_to_the_parser(line):
    assert plain_triples(line) is None


def test_the_seed_record_page_path_gives_the_same_triples():
    record = records_of(EXAMPLES / "seed_item_page_132277.txt")[0][0]
    triples = Mapper().map(record).triples
    assert plain_triples("".join(nt_lines(triples)).encode("utf-8")) == triples
