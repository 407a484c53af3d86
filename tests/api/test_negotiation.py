"""Content negotiation and HTTP semantics against a real uvicorn process."""

from __future__ import annotations

import json
from dataclasses import replace

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from api.negotiation import NotAcceptable, choose

SEED = "/handle/11250/132277"
FORMATS = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"), "nt": ("application/n-triples", "nt"),
           "rdf": ("application/rdf+xml", "xml"), "nq": ("application/n-quads", "nquads")}


def get(server, path, **headers):
    return requests.get(server.url + path, headers=headers, timeout=10, allow_redirects=False)


def parse(body: str, fmt: str) -> Graph:
    if fmt == "json-ld":
        from pipeline.rdf_output import context

        doc = json.loads(body)
        doc["@context"] = context() if isinstance(doc["@context"], str) else doc["@context"]
        return Graph().parse(data=json.dumps(doc), format="json-ld")
    if fmt == "nquads":
        from rdflib import Dataset

        ds = Dataset().parse(data=body, format="nquads")
        g = Graph()
        for s, p, o, _c in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    return Graph().parse(data=body, format=fmt)


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_every_format_by_accept_and_by_suffix_parses_and_all_are_isomorphic(server, suffix):
    media, fmt = FORMATS[suffix]
    by_accept = get(server, SEED, Accept=media)
    assert by_accept.status_code == 200 and by_accept.headers["Content-Type"].startswith(media)
    assert by_accept.headers["Content-Location"] == f"{SEED}.{suffix}"
    by_suffix = get(server, f"{SEED}.{suffix}")
    assert by_suffix.status_code == 200 and by_suffix.content == by_accept.content
    by_param = get(server, f"{SEED}?format={suffix}")
    assert by_param.content == by_accept.content
    g = parse(by_accept.text, fmt)
    reference = parse(get(server, SEED + ".nt").text, "nt")
    assert isomorphic(g, reference)
    assert (URIRef("https://hdl.handle.net/11250/132277"), URIRef("http://purl.org/dc/terms/issued"), None) in g
    if fmt != "json-ld":
        ox_fmt = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML, "nquads": ox.RdfFormat.N_QUADS}[fmt]
        assert len(list(ox.parse(by_accept.content, format=ox_fmt))) == len(reference)


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/ld+json;q=0.5, text/turtle;q=0.9", "text/turtle"),
        ("application/ld+json;q=0.9, text/html;q=0.8", "application/ld+json"),
        ("*/*", "text/turtle"),
        ("text/*", "text/turtle"),
        ("text/*;q=0.5, text/html", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("application/rdf+xml, text/n3, text/turtle;q=0.9, */*;q=0.1", "application/rdf+xml"),
        ("application/json", "application/ld+json"),
    ],
)
def test_q_values_wildcards_and_specificity(server, accept, expected):
    r = get(server, SEED, Accept=accept)
    assert r.status_code == 200 and r.headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in r.headers["Vary"]


def test_unacceptable_type_is_406_listing_the_alternatives(server):
    r = get(server, SEED, Accept="image/png")
    assert r.status_code == 406
    body = r.json()
    assert {a["type"] for a in body["available"]} >= {"text/turtle", "application/ld+json", "text/html"}
    assert f"{SEED}.ttl" in r.headers["Link"]


def test_unknown_format_parameter_is_400_and_unknown_suffix_is_not_a_format(server):
    r = get(server, SEED + "?format=yaml")
    assert r.status_code == 400 and "turtle" in r.json()["detail"]


def test_conditional_requests_and_head(server):
    r = get(server, SEED, Accept="text/turtle")
    etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert get(server, SEED, Accept="text/turtle", **{"If-None-Match": etag}).status_code == 304
    assert get(server, SEED, Accept="text/turtle", **{"If-Modified-Since": modified}).status_code == 304
    assert get(server, SEED, Accept="text/turtle", **{"If-None-Match": '"other"'}).status_code == 200
    h = requests.head(server.url + SEED, headers={"Accept": "text/turtle"}, timeout=10)
    assert h.status_code == 200 and h.content == b"" and h.headers["ETag"] == etag and int(h.headers["Content-Length"]) == len(r.content)


def test_cors_and_preflight(server):
    r = get(server, SEED, Origin="https://example.org")
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    pre = requests.options(server.url + SEED, headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET",
                                                       "Access-Control-Request-Headers": "accept"}, timeout=10)
    assert pre.status_code == 204 and "GET" in pre.headers["Access-Control-Allow-Methods"]
    assert pre.headers["Access-Control-Allow-Origin"] == "*" and pre.headers["Access-Control-Allow-Headers"] == "accept"
    assert int(pre.headers["Access-Control-Max-Age"]) > 0
    # the same on errors and SPARQL answers; scripts can read the validators and the links
    for path in ("/handle/11250/99999999", "/sparql?query=ASK%7B%7D"):
        r = get(server, path, Origin="https://example.org")
        assert r.headers["Access-Control-Allow-Origin"] == "*", path
    assert {"ETag", "Link"} <= {h.strip() for h in get(server, SEED).headers["Access-Control-Expose-Headers"].split(",")}


def test_link_headers_alternates_and_signposting(server):
    r = get(server, "/handle/11250/3100001", Accept="text/turtle")
    links = r.headers["Link"]
    for suffix, (media, _f) in FORMATS.items():
        assert f'</handle/11250/3100001.{suffix}>; rel="alternate"; type="{media}"' in links
    assert '<https://hdl.handle.net/11250/3100001>; rel="cite-as"' in links
    assert 'rel="describedby"' in links
    assert '<http://purl.org/coar/resource_type/c_bdcc>; rel="type"' in links
    assert '<https://orcid.org/0000-0002-1825-0097>; rel="author"' in links


def test_404_410_and_400(server):
    r = get(server, "/handle/11250/999999")
    assert r.status_code == 404 and "999999" in r.json()["detail"]
    r = get(server, "/handle/11250/3100004")
    assert r.status_code == 410 and r.json()["deleted_at"].startswith("2026-10-09")
    assert get(server, "/handle/abc/1").status_code == 400
    assert get(server, "/resource?uri=not-a-handle").status_code == 400
    assert get(server, "/handle/11250/..%2F..%2Fetc%2Fpasswd").status_code in (400, 404)
    assert get(server, "/dumps/..%2Fstore%2FLOCK").status_code in (400, 404)
    page = get(server, "/handle/11250/999999", Accept="text/html")
    assert page.status_code == 404 and "text/html" in page.headers["Content-Type"] and "999999" in page.text


def test_resource_by_handle_iri_either_scheme(server):
    for uri in ("http://hdl.handle.net/11250/132277", "https://hdl.handle.net/11250/132277"):
        r = get(server, f"/resource?uri={uri}", Accept="application/n-triples")
        assert r.status_code == 200 and "<https://hdl.handle.net/11250/132277>" in r.text


def test_rdflib_parse_of_the_handle_url_negotiates_by_itself(server):
    g = Graph().parse(server.url + SEED)
    assert (URIRef("https://hdl.handle.net/11250/132277"), URIRef("http://purl.org/dc/terms/title"), None) in g
    assert len(g) > 30


def test_vocabulary_endpoints(server):
    r = get(server, "/vocab/vdp/242", Accept="text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert (URIRef("https://w3id.org/lodpub/vocab/vdp/242"), URIRef("http://www.w3.org/2004/02/skos/core#broader"), URIRef("https://w3id.org/lodpub/vocab/vdp/240")) in g
    assert get(server, "/vocab/vdp/999").status_code == 404
    whole = Graph().parse(data=get(server, "/vocab/vdp.ttl").text, format="turtle")
    assert len(set(whole.subjects(URIRef("http://www.w3.org/2004/02/skos/core#notation")))) == 404
    page = get(server, "/vocab/vdp?page=2", Accept="application/n-triples")
    assert 'rel="next"' in page.headers["Link"] and 'rel="prev"' in page.headers["Link"]


def test_negotiation_unit_rules():
    assert choose("text/turtle;q=0, */*;q=0.1").name == "jsonld"
    with pytest.raises(NotAcceptable):
        choose("text/turtle;q=0")


def test_turtle_and_jsonld_come_from_the_store_and_a_stale_context_is_not_sent(published):
    """The store keeps each record's Turtle and JSON-LD as published; a server configured for
    another JSON-LD context makes the JSON-LD afresh rather than send one naming the old context."""
    from pipeline.documents import jsonld_start
    from pipeline.settings import Settings
    from pipeline.store import EmbeddedStore
    from tests.servers import start_server

    store = EmbeddedStore(published / "store", read_only=True)
    document = store.document(Settings().document_iri("11250/132277"))
    store.close()
    assert document is not None and document.turtle and document.jsonld.startswith(jsonld_start(Settings().context_url))
    other = start_server(published, env={"LODPUB_VOCAB_BASE": "https://vocab.example.org/"})
    try:
        turtle = get(other, SEED, Accept="text/turtle")
        assert turtle.content == document.turtle  # the stored bytes, sent as they are
        jsonld = get(other, SEED, Accept="application/ld+json")
        assert jsonld.status_code == 200 and jsonld.json()["@context"] == "https://vocab.example.org/context.jsonld"
        assert isomorphic(parse(jsonld.text, "json-ld"), parse(turtle.text, "turtle"))
    finally:
        other.stop()


def test_the_head_of_a_document_is_the_lines_of_the_header_predicates():
    from pipeline.documents import head_lines

    nt = (b'<https://w3id.org/lodpub/handle/1/2> <http://purl.org/dc/terms/modified> "2024-01-01T10:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n'
          b'<https://hdl.handle.net/1/2> <http://purl.org/dc/terms/title> "quoting <http://purl.org/dc/terms/creator> in a title" .\n'
          b'<https://hdl.handle.net/1/2> <http://purl.org/dc/terms/creator> <https://orcid.org/0000-0002-1825-0097> .\n')
    lines = nt.splitlines(keepends=True)
    assert sorted(head_lines(nt).splitlines(keepends=True)) == sorted([lines[0], lines[2]])
    assert head_lines(nt.rstrip(b"\n")) == head_lines(nt) and head_lines(b"") == b""


def test_the_head_of_each_document_holds_its_header_triples(published):
    from pipeline.documents import Document, head_lines
    from pipeline.settings import Settings
    from pipeline.store import EmbeddedStore
    from pipeline.terms import from_oxigraph

    store = EmbeddedStore(published / "store", read_only=True)
    documents = [store.document(g) for g in store.live_graphs(Settings().document_base)]
    store.close()
    assert len(documents) > 5
    predicates = set()
    for document in documents:
        expected = sorted(from_oxigraph(ox.parse(head_lines(document.ntriples), format=ox.RdfFormat.N_TRIPLES)), key=repr)
        assert document.packed.head is not None and sorted(document.head(), key=repr) == expected
        without = Document(replace(document.packed, head=None))  # as an older store left it: read from the N-Triples
        assert sorted(without.head(), key=repr) == expected
        predicates |= {p for _s, p, _o in expected}
    assert {"http://purl.org/dc/terms/modified", "http://purl.org/dc/terms/creator", "http://purl.org/dc/terms/type"} <= predicates


def test_the_page_embeds_the_records_json_ld_with_its_context(server):
    import re

    page = get(server, SEED, Accept="text/html").text
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert script is not None
    doc = json.loads(script.group(1).replace("<\\/", "</"))
    assert isinstance(doc["@context"], dict)  # self-contained: a crawler need not fetch the context
    embedded = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert isomorphic(embedded, parse(get(server, SEED + ".nt").text, "nt"))


def test_the_json_ld_context_is_served_and_expands_the_records(server):
    got = get(server, "/vocab/context.jsonld")
    assert got.status_code == 200 and got.headers["Content-Type"].startswith("application/ld+json") and got.headers["ETag"]
    assert got.headers["Access-Control-Allow-Origin"] == "*"  # JSON-LD processors in browsers fetch it cross-origin
    context = got.json()["@context"]
    doc = get(server, SEED, Accept="application/ld+json").json()
    doc["@context"] = context  # what a processor does with the URL, done here without the network
    assert isomorphic(Graph().parse(data=json.dumps(doc), format="json-ld"), parse(get(server, SEED + ".nt").text, "nt"))
