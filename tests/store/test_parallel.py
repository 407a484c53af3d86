"""Publishing with two worker processes gives the same store and the same dumps as one process."""

from __future__ import annotations

import gzip

from rdflib import Dataset
from rdflib.compare import isomorphic

from bench.generate import write_corpus
from pipeline.dump import dump
from pipeline.publish import publish
from pipeline.settings import Settings
from pipeline.store import EmbeddedStore


def test_two_workers_same_store_and_dumps_as_one(tmp_path):
    pages = [str(p) for p in write_corpus(400, tmp_path / "corpus", page_size=50, seed=5)]
    settings = Settings()
    outputs = {}
    for workers in (1, 2):
        store = EmbeddedStore(tmp_path / f"store-{workers}")
        stats = publish(pages, store, settings, workers=workers, batch=64)
        dump(store, tmp_path / f"dumps-{workers}", settings)
        hashes = store.select("SELECT ?g ?h WHERE { GRAPH <https://w3id.org/lodpub/graph/meta> { ?g <https://w3id.org/lodpub#sha256> ?h } }")
        outputs[workers] = (stats.published, stats.deleted, sorted((r["g"].value, r["h"].value) for r in hashes))
        store.close()
    # the same records with the same content hashes (the hash is over lodpub's own, deterministic N-Triples)
    assert outputs[1] == outputs[2] and outputs[1][0] > 350
    # the same graphs in the dumps
    one, two = _graphs(tmp_path / "dumps-1"), _graphs(tmp_path / "dumps-2")
    assert one.keys() == two.keys()
    assert all(isomorphic(one[g], two[g]) for g in one)
    assert (tmp_path / "dumps-1" / "vocab-vdp.ttl").read_bytes() == (tmp_path / "dumps-2" / "vocab-vdp.ttl").read_bytes()
    lines = [gzip.decompress((tmp_path / f"dumps-{w}" / "items.jsonld.gz").read_bytes()).count(b"\n") for w in (1, 2)]
    assert lines[0] == lines[1] == len(one)
    # dumps come from the documents table, which keeps lodpub's own blank-node labels: byte for byte the same
    for name in ("items.nq.gz", "items.nt.gz", "items.ttl.gz", "items.jsonld.gz"):
        assert (tmp_path / "dumps-1" / name).read_bytes() == (tmp_path / "dumps-2" / name).read_bytes(), name


def _graphs(dumps):
    ds = Dataset().parse(data=gzip.decompress((dumps / "items.nq.gz").read_bytes()).decode(), format="nquads")
    return {str(g.identifier): g for g in ds.graphs() if len(g)}
