"""One suite, two stores: the embedded pyoxigraph store and a real Oxigraph server process."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from pipeline.dump import dump
from pipeline.publish import publish
from pipeline.settings import Settings
from pipeline.store import TOMBSTONE_GRAPH, EmbeddedStore, RemoteStore
from tests.conftest import EXAMPLES, SAMPLES
from tests.rdf_compare import as_oxigraph_stores_it
from tests.servers import oxigraph_server

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCT = Namespace("http://purl.org/dc/terms/")
SAMPLE_FILES = [str(p) for p in sorted(SAMPLES.iterdir()) if p.suffix in (".xml", ".json", ".csv", ".txt")]
EXAMPLE_FILES = [str(EXAMPLES / "oai_dim_examples.xml"), str(EXAMPLES / "seed_item_page_132277.txt")]


@pytest.fixture(params=["embedded", "remote"])
def store(request, tmp_path):
    if request.param == "embedded":
        s = EmbeddedStore(tmp_path / "store")
        yield s
        s.close()
    else:
        server = oxigraph_server(tmp_path / "oxigraph")
        s = RemoteStore(server.url)
        yield s
        s.close()
        server.stop()


def graph_text(store, graph: str) -> set[str]:
    return {str(q.triple) for q in store.graph_quads(graph)}


def test_publish_is_idempotent_and_keeps_one_graph_per_record(store):
    settings = Settings()
    first = publish(EXAMPLE_FILES, store, settings)
    assert (first.published, first.deleted, first.quarantined) == (4, 1, 0)
    assert store.record_graphs(settings.document_base) == 4
    before = {h: graph_text(store, settings.document_iri(h)) for h in ("11250/3100001", "11250/132277")}
    modified = store.modified()
    again = publish(EXAMPLE_FILES, store, settings)
    assert (again.published, again.deleted, again.unchanged) == (0, 0, 5)
    assert store.modified() == modified  # nothing written, not even the timestamp
    assert {h: graph_text(store, settings.document_iri(h)) for h in before} == before
    seed = graph_text(store, settings.document_iri("11250/132277"))
    assert any("Klyngeinitiativ i Hedmark" in t for t in seed)


def test_changed_record_replaces_its_graph_and_nothing_else(store, tmp_path):
    settings = Settings()
    publish(EXAMPLE_FILES, store, settings)
    other = graph_text(store, settings.document_iri("11250/3100002"))
    changed = tmp_path / "changed.xml"
    changed.write_text((EXAMPLES / "oai_dim_examples.xml").read_text("utf-8").replace("Innbyggerpaneler i kommunal planlegging", "Innbyggerpanel i kommunal planlegging"), "utf-8")
    stats = publish([str(changed)], store, settings)
    assert stats.published == 1 and stats.unchanged == 3
    g = graph_text(store, settings.document_iri("11250/3100001"))
    assert any("Innbyggerpanel i kommunal" in t for t in g) and not any("Innbyggerpaneler" in t for t in g)
    assert graph_text(store, settings.document_iri("11250/3100002")) == other


def test_deleted_record_leaves_a_tombstone(store, tmp_path):
    settings = Settings()
    publish(EXAMPLE_FILES, store, settings)
    item = settings.item_iri("11250/3100003")
    assert store.tombstone(item) is None
    deleting = tmp_path / "delete.xml"
    deleting.write_text(
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-11-02T00:00:00Z</responseDate><ListRecords>'
        '<record><header status="deleted"><identifier>oai:brage.example.no:11250/3100003</identifier><datestamp>2026-11-02T08:00:00Z</datestamp></header></record>'
        "</ListRecords></OAI-PMH>", "utf-8")
    stats = publish([str(deleting)], store, settings)
    assert stats.deleted == 1
    assert store.graph_quads(settings.document_iri("11250/3100003")) == []
    assert store.tombstone(item).startswith("2026-11-02T08:00:00")
    assert store.record_graphs(settings.document_base) == 3
    assert store.tombstone(settings.item_iri("11250/3100004")) is not None  # deleted in the example file itself


def test_records_with_violations_are_quarantined_and_the_rest_published(store, tmp_path):
    bad = tmp_path / "harvest.csv"
    rows = ["id,dc.title[nb],dc.contributor.author,dc.date.issued,dc.identifier.uri,dc.language.iso"]
    for i in range(60):
        title = "" if i % 20 == 7 else f"Tittel nummer {i} om kommunalt samarbeid"
        date = "i fjor" if i % 20 == 13 else "2019"
        rows.append(f'"{i}","{title}","Nordmann, Kari","{date}","https://hdl.handle.net/11250/{5000 + i}","nob"')
    bad.write_text("\n".join(rows) + "\n", "utf-8")
    q = io.StringIO()
    stats = publish([str(bad)], store, Settings(), quarantine=q)
    assert stats.published == 54 and stats.quarantined == 6
    quarantined = [json.loads(line) for line in q.getvalue().splitlines()]
    assert {r["handle"] for r in quarantined} == {f"11250/{5000 + i}" for i in range(60) if i % 20 in (7, 13)}
    assert all(any(f["severity"] == "violation" and f["field"] in ("dc.title", "dc.date.issued") for f in r["findings"]) for r in quarantined)


def test_vocabularies_sit_in_their_own_graphs(store):
    settings = Settings()
    publish(EXAMPLE_FILES, store, settings)
    vdp = store.graph_quads(settings.vdp_namespace.rstrip("/"))
    assert len({q.subject for q in vdp if q.predicate.value.endswith("#notation")}) == 404
    assert store.graph_quads("https://w3id.org/lodpub/graph/coar")


def read_gz(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def test_dumps_hold_exactly_the_stores_triples_and_void_is_right(store, tmp_path):
    settings = Settings()
    publish(SAMPLE_FILES + EXAMPLE_FILES, store, settings)
    out = tmp_path / "dumps"
    stats = dump(store, out, settings)
    prefix = settings.document_base
    # the store's record quads, as N-Quads, parsed by rdflib
    store_nq = "".join(f"{q} .\n" for q in store.iter_quads() if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(prefix))
    ds_store = Dataset().parse(data=store_nq, format="nquads")
    ds_dump = Dataset().parse(data=read_gz(out / "items.nq.gz").decode(), format="nquads")
    quads = sum(len(g) for g in ds_store.graphs())
    assert sum(len(g) for g in ds_dump.graphs()) == quads == stats.triples
    for g in ds_store.graphs():
        if len(g):
            # the dumps keep the mapping's datatypes; Oxigraph's quads hold xsd:integer for its subtypes
            assert isomorphic(g, as_oxigraph_stores_it(ds_dump.graph(g.identifier))), g.identifier
    merged = Graph()
    for s_, p_, o_, _g in ds_store.quads((None, None, None, None)):
        merged.add((s_, p_, o_))
    for name, fmt in (("items.nt.gz", "nt"), ("items.ttl.gz", "turtle")):
        assert isomorphic(as_oxigraph_stores_it(Graph().parse(data=read_gz(out / name).decode(), format=fmt)), merged), name
        assert len(set(ox.parse(read_gz(out / name), format=ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE))) == len(merged)
    lines = read_gz(out / "items.jsonld.gz").decode().splitlines()
    assert len(lines) == stats.records == store.record_graphs(prefix)
    # VoID
    void = Graph().parse(out / "void.ttl")
    (ds,) = void.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), VOID.Dataset)
    assert int(void.value(ds, VOID.triples)) == quads  # every record graph's triples
    assert int(void.value(ds, VOID.entities)) == stats.records
    assert int(void.value(ds, VOID.distinctSubjects)) == len(set(merged.subjects()))
    assert void.value(ds, VOID.exampleResource) is not None and void.value(ds, VOID.sparqlEndpoint) is not None
    dists = list(void.objects(ds, DCAT.distribution))
    assert len(dists) == len(stats.files) >= 7
    for d in dists:
        name = str(void.value(d, DCAT.downloadURL)).rsplit("/", 1)[-1]
        path = out / name
        assert int(void.value(d, DCAT.byteSize)) == path.stat().st_size
        checksum = void.value(d, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(path.read_bytes()).hexdigest()
        assert str(void.value(d, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
        assert void.value(d, DCT.issued) is not None
    classes = {str(void.value(p, VOID["class"])): int(void.value(p, VOID.entities)) for p in void.objects(ds, VOID.classPartition)}
    assert classes["http://purl.org/dc/terms/BibliographicResource"] == stats.records
    assert classes["http://www.w3.org/ns/prov#SoftwareAgent"] == 1
    props = {str(void.value(p, VOID.property)): int(void.value(p, VOID.triples)) for p in void.objects(ds, VOID.propertyPartition)}
    assert sum(props.values()) == quads


def test_dumps_are_deterministic_with_any_number_of_workers(store, tmp_path):
    settings = Settings()
    publish(SAMPLE_FILES + EXAMPLE_FILES, store, settings)
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    dump(store, a, settings)
    dump(store, b, settings)
    dump(store, c, settings, workers=2, batch=3)  # several batches, two processes reading the store
    for path in a.iterdir():
        assert path.read_bytes() == (b / path.name).read_bytes() == (c / path.name).read_bytes(), path.name
    assert len(read_gz(a / "items.jsonld.gz").splitlines()) > 6


def test_tombstones_are_not_in_the_item_dumps(store, tmp_path):
    settings = Settings()
    publish(EXAMPLE_FILES, store, settings)
    dump(store, tmp_path / "d", settings)
    assert TOMBSTONE_GRAPH.encode() not in read_gz(tmp_path / "d" / "items.nq.gz")


def test_a_batch_bigger_than_one_update_request_is_written_whole(store, tmp_path, monkeypatch):
    """A remote store writes a batch in several update requests (RemoteStore.UPDATE_RECORDS records each)."""
    monkeypatch.setattr(RemoteStore, "UPDATE_RECORDS", 2)
    settings = Settings()
    stats = publish(EXAMPLE_FILES, store, settings, batch=100)
    assert (stats.published, stats.deleted) == (4, 1)
    assert store.record_graphs(settings.document_base) == 4
    assert all(graph_text(store, settings.document_iri(h)) for h in ("11250/3100001", "11250/132277"))
    assert store.tombstone(settings.item_iri("11250/3100004")) is not None
