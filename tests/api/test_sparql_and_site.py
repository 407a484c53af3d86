"""SPARQL, dumps, VoID, health and POST /validate over HTTP."""

from __future__ import annotations

import gzip
import threading
import time

import requests
from rdflib import Graph

from tests.conftest import SAMPLES


def test_sparql_select_in_every_results_format(server):
    q = "SELECT ?item ?title WHERE { GRAPH ?g { ?item <http://purl.org/dc/terms/title> ?title } } ORDER BY ?item LIMIT 3"
    j = requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert j.status_code == 200 and len(j.json()["results"]["bindings"]) == 3
    x = requests.post(server.url + "/sparql", data=q.encode(), headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"}, timeout=10)
    assert x.status_code == 200 and "<sparql" in x.text and x.text.count("<result>") == 3
    c = requests.post(server.url + "/sparql", data={"query": q}, headers={"Accept": "text/csv"}, timeout=10)
    assert c.text.splitlines()[0] == "item,title" and len(c.text.strip().splitlines()) == 4
    t = requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept": "text/tab-separated-values"}, timeout=10)
    assert t.text.splitlines()[0] == "?item\t?title"


def test_sparql_ask_construct_and_describe(server):
    ask = requests.get(server.url + "/sparql", params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"}, headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert ask.json()["boolean"] is True
    construct = requests.get(server.url + "/sparql", params={"query": "CONSTRUCT { ?s <http://purl.org/dc/terms/title> ?t } WHERE { GRAPH ?g { ?s <http://purl.org/dc/terms/title> ?t } }"},
                             headers={"Accept": "text/turtle"}, timeout=10)
    assert construct.headers["Content-Type"].startswith("text/turtle") and len(Graph().parse(data=construct.text, format="turtle")) >= 10
    describe = requests.get(server.url + "/sparql", params={"query": "DESCRIBE <https://w3id.org/lodpub/vocab/vdp/242>"}, headers={"Accept": "application/n-triples"}, timeout=10)
    assert describe.status_code == 200


def test_sparql_updates_are_refused_and_bad_queries_are_400(server):
    r = requests.post(server.url + "/sparql", data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}, timeout=10)
    assert r.status_code == 403
    r = requests.post(server.url + "/sparql", data={"update": "DROP ALL"}, timeout=10)
    assert r.status_code == 403
    r = requests.get(server.url + "/sparql", params={"query": "SELEKT nothing"}, timeout=10)
    assert r.status_code == 400 and "syntax" in r.json()["detail"].lower()
    assert requests.get(server.url + "/sparql", headers={"Accept": "text/html"}, timeout=10).text.count("<textarea") == 1


def test_result_limit_is_applied(published):
    from tests.servers import start_server

    s = start_server(published, env={"LODPUB_SPARQL_LIMIT": "5"})
    try:
        r = requests.get(s.url + "/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"}, headers={"Accept": "application/sparql-results+json"}, timeout=10)
        assert len(r.json()["results"]["bindings"]) == 5 and "truncated" in r.headers["X-Result-Limit"]
    finally:
        s.stop()


def test_expensive_query_is_cut_off_and_the_server_keeps_answering(server):
    expensive = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s1 ?p1 ?o1 } GRAPH ?b { ?s2 ?p2 ?o2 } GRAPH ?c { ?s3 ?p3 ?o3 } }"
    result: dict[str, object] = {}

    def run() -> None:
        start = time.monotonic()
        r = requests.get(server.url + "/sparql", params={"query": expensive}, timeout=30)
        result["status"], result["seconds"], result["body"] = r.status_code, time.monotonic() - start, r.json()

    t = threading.Thread(target=run)
    t.start()
    time.sleep(0.3)
    answered = []
    while t.is_alive():
        r = requests.get(server.url + "/handle/11250/132277.ttl", timeout=5)
        answered.append((r.status_code, r.elapsed.total_seconds()))
        time.sleep(0.1)
    t.join()
    assert result["status"] == 503 and "2 s" in str(result["body"]) and float(result["seconds"]) < 6  # type: ignore[arg-type]
    assert answered and all(code == 200 for code, _ in answered) and max(e for _, e in answered) < 3.0


def test_dumps_with_range_void_and_health(server):
    full = requests.get(server.url + "/dumps/items.nt.gz", timeout=10)
    assert full.status_code == 200 and gzip.decompress(full.content)
    part = requests.get(server.url + "/dumps/items.nt.gz", headers={"Range": "bytes=0-99"}, timeout=10)
    assert part.status_code == 206 and part.content == full.content[:100]
    for path in ("/void", "/.well-known/void"):
        v = requests.get(server.url + path, headers={"Accept": "text/turtle"}, timeout=10)
        assert v.status_code == 200 and "void:Dataset" in v.text
    jv = requests.get(server.url + "/void", headers={"Accept": "application/ld+json"}, timeout=10)
    assert jv.status_code == 200 and jv.json()
    assert requests.get(server.url + "/dumps/nothing.gz", timeout=10).status_code == 404
    h = requests.get(server.url + "/health", timeout=10).json()
    assert h["status"] == "ok" and h["records"] >= 12
    assert requests.get(server.url + "/-/openapi.json", timeout=10).json()["info"]["title"] == "lodpub"


def test_post_validate_json_turtle_and_limits(server):
    csv = (SAMPLES / "metadata_export.csv").read_bytes()
    r = requests.post(server.url + "/validate", data=csv, headers={"Content-Type": "text/csv"}, timeout=30)
    assert r.status_code == 200
    report = r.json()
    assert len(report["records"]) == 6 and report["conforms"] is True
    assert any(f["shape"] == "lps:VdpSubjectPresent" for rec in report["records"] for f in rec["findings"])
    bad = b'id,dc.title[en],dc.identifier.uri\n"1",,"https://hdl.handle.net/11250/1"\n'
    r = requests.post(server.url + "/validate", data=bad, headers={"Content-Type": "text/csv", "Accept-Language": "nb"}, timeout=30)
    assert r.json()["conforms"] is False and any("fyll ut dc.title" in f["message"] for f in r.json()["records"][0]["findings"])
    ttl = requests.post(server.url + "/validate", data=bad, headers={"Content-Type": "text/csv", "Accept": "text/turtle"}, timeout=30)
    assert "sh:ValidationReport" in ttl.text
    rdf = requests.get(server.url + "/handle/11250/132277.ttl", timeout=10).content
    r = requests.post(server.url + "/validate", data=rdf, headers={"Content-Type": "text/turtle"}, timeout=30)
    assert r.status_code == 200 and r.json()["records"][0]["handle"] == "11250/132277"
    big = requests.post(server.url + "/validate", data=b"x" * 6_000_000, headers={"Content-Type": "text/csv"}, timeout=30)
    assert big.status_code == 413
    junk = requests.post(server.url + "/validate", data=b"\x00\x01\x02 not records", headers={"Content-Type": "application/octet-stream"}, timeout=30)
    assert junk.status_code == 400 and "Traceback" not in junk.text
