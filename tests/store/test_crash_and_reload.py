"""A publish killed mid-run leaves a consistent store; a rerun completes it; dumps load back."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import time

import pyoxigraph as ox
import pytest
import requests
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from bench.generate import write_corpus
from pipeline.dump import dump
from pipeline.publish import publish
from pipeline.settings import Settings
from pipeline.store import META_GRAPH, SHA256, EmbeddedStore
from tests.conftest import EXAMPLES, SAMPLES
from tests.rdf_compare import as_oxigraph_stores_it
from tests.servers import BIN, ServerProcess, free_port

PREFIX = Settings().document_base


def graphs_with_hash(store: EmbeddedStore) -> dict[str, str]:
    rows = store.select(f"SELECT ?g ?h WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{SHA256}> ?h }} }}")
    return {r["g"].value: r["h"].value for r in rows if r["g"].value.startswith(PREFIX)}


def assert_consistent(store: EmbeddedStore) -> int:
    """Every record graph with a hash is whole (has its document and item triples), and no graph lacks a hash."""
    hashed = graphs_with_hash(store)
    present = {q.graph_name.value for q in store.store.quads_for_pattern(None, None, None, None)
               if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(PREFIX)}
    live = {g for g, h in hashed.items() if h != "deleted"}
    assert present == live, (len(present - live), len(live - present))
    for g in list(live)[:300]:
        quads = list(store.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        predicates = {q.predicate.value for q in quads}
        # the provenance triples are written last in each graph: a half-written graph lacks them
        assert "http://www.w3.org/ns/prov#wasAttributedTo" in predicates and "http://purl.org/dc/terms/title" in predicates, g
    # the documents table (what the server and the dumps read) holds exactly the live graphs, as the quads say
    documents = {name for (name,) in store.documents.db.execute("SELECT name FROM graph") if name.startswith(PREFIX)}
    assert documents == live, (len(documents - live), len(live - documents))
    for g in list(live)[:100]:
        from_document = Graph().parse(data=store.graph_ntriples(g).decode(), format="nt")
        from_quads = Graph().parse(data=store._quads_as_ntriples(g).decode(), format="nt")
        assert isomorphic(as_oxigraph_stores_it(from_document), from_quads), g
    return len(live)


@pytest.mark.timeout(300)
def test_sigkill_during_publish_leaves_a_consistent_store_and_a_rerun_finishes(tmp_path):
    pages = write_corpus(3000, tmp_path / "corpus", page_size=100, seed=3)
    from pipeline.readers import read_files
    from pipeline.report import Report

    live = sum(1 for r in read_files(pages, report=Report()) if not r.deleted)
    store_dir = tmp_path / "store"
    cmd = [str(BIN / "lodpub"), "publish", "--store", str(store_dir), "--batch", "100", *map(str, pages)]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    # Kill while a bulk load is under way (the journal exists), once the run is past its start.
    while process.poll() is None and not (time.monotonic() - started > 1.5 and (store_dir / "lodpub-journal.json").exists()):
        if time.monotonic() - started > 120:
            break
        time.sleep(0.005)
    assert process.poll() is None, "publish finished before it could be killed: make the corpus larger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    store = EmbeddedStore(store_dir)  # opening rolls back the interrupted bulk load
    partial = assert_consistent(store)
    assert partial < live
    store.close()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    store = EmbeddedStore(store_dir)
    assert assert_consistent(store) == live
    store.close()


@pytest.mark.timeout(120)
def test_items_nq_gz_loads_into_a_fresh_oxigraph_server_and_gives_back_the_graphs(tmp_path):
    settings = Settings()
    store = EmbeddedStore(tmp_path / "store")
    publish([str(p) for p in sorted(SAMPLES.iterdir()) if p.suffix in (".xml", ".json", ".csv", ".txt")] + [str(EXAMPLES / "oai_dim_examples.xml")], store, settings)
    dump(store, tmp_path / "dumps", settings)
    location = tmp_path / "fresh"
    # the command the README gives under "Loading the dumps"
    subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(tmp_path / "dumps" / "items.nq.gz")], check=True, timeout=60, capture_output=True)
    port = free_port()
    server = ServerProcess([str(BIN / "oxigraph"), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}", ready_path="/query?query=ASK%7B%7D")
    try:
        dumped = Dataset().parse(data=gzip.decompress((tmp_path / "dumps" / "items.nq.gz").read_bytes()).decode(), format="nquads")
        names = [str(g.identifier) for g in dumped.graphs() if len(g)]
        assert len(names) == store.record_graphs(settings.document_base)
        for name in names:
            r = requests.get(f"{server.url}/store", params={"graph": name}, headers={"Accept": "application/n-triples"}, timeout=10)
            assert r.status_code == 200
            # the dump keeps the mapping's xsd:nonNegativeInteger, Oxigraph loads it as xsd:integer
            assert isomorphic(Graph().parse(data=r.text, format="nt"), as_oxigraph_stores_it(dumped.graph(name))), name
        # the example query of the README works on the loaded data
        query = (EXAMPLES.parent / "api" / "example-query.rq").read_text("utf-8")
        r = requests.post(f"{server.url}/query", data=query.encode(), headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}, timeout=10)
        rows = r.json()["results"]["bindings"]
        assert any(row["code"]["value"] == "242" for row in rows)
    finally:
        server.stop()
        store.close()
