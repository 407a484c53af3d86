"""The documents table beside the quads: kept in step, repaired after a crash, filled for old stores."""

from __future__ import annotations

import json
import sqlite3

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from pipeline.documents import Documents, head_lines
from pipeline.publish import publish
from pipeline.rdf_output import context
from pipeline.settings import Settings
from pipeline.store import EmbeddedStore
from pipeline.terms import from_oxigraph
from tests.conftest import EXAMPLES
from tests.rdf_compare import as_oxigraph_stores_it

EXAMPLE = EXAMPLES / "oai_dim_examples.xml"
OLD_TITLE = "Innbyggerpaneler i kommunal planlegging: hvem blir hørt?"
NEW_TITLE = "Innbyggerpaneler i kommunal planlegging: kven blir høyrd?"


def record_graphs(store: EmbeddedStore) -> list[str]:
    return list(store.live_graphs(Settings().document_base))


def same_as_quads(store: EmbeddedStore, graph: str) -> bool:
    document = Graph().parse(data=store.graph_ntriples(graph).decode(), format="nt")
    quads = Graph().parse(data=store._quads_as_ntriples(graph).decode(), format="nt")
    return len(document) > 0 and isomorphic(as_oxigraph_stores_it(document), quads)


def same_in_every_form(store: EmbeddedStore, graph: str) -> bool:
    """The document's Turtle and JSON-LD hold exactly its N-Triples' triples."""
    document = store.document(graph)
    assert document is not None and document.turtle is not None and document.jsonld is not None
    nt = Graph().parse(data=document.ntriples.decode(), format="nt")
    turtle = Graph().parse(data=document.turtle.decode(), format="turtle")
    jsonld = json.loads(document.jsonld)
    assert jsonld["@context"] == Settings().context_url and b"\n" not in document.jsonld  # one line, our context
    jsonld["@context"] = context()  # what a client gets when it fetches the published context
    head = from_oxigraph(pyoxigraph.parse(head_lines(document.ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert sorted(document.head(), key=repr) == sorted(head, key=repr) and any(p.endswith("/modified") for _s, p, _o in head)
    return len(nt) > 20 and isomorphic(nt, turtle) and isomorphic(nt, Graph().parse(data=json.dumps(jsonld), format="json-ld"))


def changed_copy(tmp_path):
    path = tmp_path / "changed.xml"
    text = EXAMPLE.read_text("utf-8")
    assert OLD_TITLE in text
    path.write_text(text.replace(OLD_TITLE, NEW_TITLE), "utf-8")
    return str(path)


def test_documents_follow_the_quads_through_a_change(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    publish([str(EXAMPLE)], store, Settings())
    graphs = record_graphs(store)
    assert len(graphs) == 3 and all(same_as_quads(store, g) and same_in_every_form(store, g) for g in graphs)
    stats = publish([changed_copy(tmp_path)], store, Settings())
    assert stats.published == 1
    assert sum(NEW_TITLE.encode("utf-8") in store.graph_ntriples(g) for g in graphs) == 1
    assert sum(NEW_TITLE.encode("utf-8") in (store.document(g).turtle or b"") for g in graphs) == 1
    assert all(same_as_quads(store, g) and same_in_every_form(store, g) for g in graphs)
    store.close()


def test_a_crash_between_quads_and_documents_is_repaired_on_opening(tmp_path, monkeypatch):
    store = EmbeddedStore(tmp_path / "store")
    publish([str(EXAMPLE)], store, Settings())

    def killed(self, put, delete):
        raise KeyboardInterrupt("killed after the quads, before the documents")

    monkeypatch.setattr(Documents, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        publish([changed_copy(tmp_path)], store, Settings())
    monkeypatch.undo()
    assert (tmp_path / "store" / "lodpub-journal.json").exists()
    stale = [g for g in record_graphs(store) if not same_as_quads(store, g)]
    assert len(stale) == 1  # the changed record: new quads, old document
    store.close()

    store = EmbeddedStore(tmp_path / "store", context_url=Settings().context_url)  # opening finishes the job from the journal
    assert not (tmp_path / "store" / "lodpub-journal.json").exists()
    assert all(same_as_quads(store, g) and same_in_every_form(store, g) for g in record_graphs(store))
    assert NEW_TITLE in Graph().parse(data=store.graph_ntriples(stale[0]).decode(), format="nt").serialize(format="nt")
    store.close()


def test_a_store_from_before_the_documents_table_is_read_and_then_upgraded(tmp_path):
    where = tmp_path / "store"
    store = EmbeddedStore(where)
    publish([str(EXAMPLE)], store, Settings())
    expected = {g: store.graph_ntriples(g) for g in record_graphs(store)}
    store.close()
    for path in where.glob("lodpub-documents.sqlite*"):
        path.unlink()
    (where / "lodpub-store.json").write_text(json.dumps({"lodpub": "0.1.0", "format": 1}), "utf-8")

    reader = EmbeddedStore(where, read_only=True)  # the server on an old store: graphs come from the quads
    assert all(same_as_quads(reader, g) for g in expected)
    reader.close()
    store = EmbeddedStore(where)  # the first writer fills the table
    assert {name for (name,) in store.documents.db.execute("SELECT name FROM graph")} >= set(expected)
    assert all(same_as_quads(store, g) for g in expected)
    assert json.loads((where / "lodpub-store.json").read_text("utf-8"))["format"] == EmbeddedStore.FORMAT
    store.close()


def test_a_store_that_kept_only_n_triples_gets_the_other_forms_on_its_first_writer(tmp_path):
    where = tmp_path / "store"
    store = EmbeddedStore(where)
    publish([str(EXAMPLE)], store, Settings())
    graphs = record_graphs(store)
    store.documents.db.execute("UPDATE graph SET turtle = NULL, jsonld = NULL")  # as lodpub 0.1 (format 2) left it
    store.close()
    (where / "lodpub-store.json").write_text(json.dumps({"lodpub": "0.1.0", "format": 2}), "utf-8")

    reader = EmbeddedStore(where, read_only=True)  # read as it is: N-Triples only, the rest made on request
    assert all(reader.document(g).turtle is None and same_as_quads(reader, g) for g in graphs)
    reader.close()
    store = EmbeddedStore(where, context_url=Settings().context_url)
    assert store.documents.missing_forms() == []
    assert all(same_in_every_form(store, g) for g in graphs)
    store.close()


def test_live_graphs_come_from_the_documents_in_the_order_sparql_gives(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    publish([str(EXAMPLE)], store, Settings())
    base = Settings().document_base
    by_sparql = [r["g"].value for r in store.select(
        f"SELECT ?g WHERE {{ GRAPH <https://w3id.org/lodpub/graph/meta> {{ ?g ?p ?h }} FILTER(STRSTARTS(STR(?g), \"{base}\") && ?h != \"deleted\") }} ORDER BY STR(?g)")]
    assert len(by_sparql) == 3
    assert list(store.live_graphs(base)) == by_sparql == list(store.live_graphs(base, page=1)) == list(store.live_graphs(base, page=2))
    assert list(store.live_graphs(by_sparql[1])) == [by_sparql[1]] and list(store.live_graphs(base + "no-such/")) == []
    store.close()


def test_dump_counts_the_same_from_the_text_as_from_parsed_graphs(tmp_path):
    from pipeline.dump import dump

    store = EmbeddedStore(tmp_path / "store")
    publish([str(EXAMPLE), *map(str, sorted((EXAMPLES).glob("*.xml")))], store, Settings())
    from_text = dump(store, tmp_path / "a", Settings())
    store.documents.db.execute("UPDATE graph SET turtle = NULL, jsonld = NULL")  # forms to make: the graphs are parsed
    parsed = dump(store, tmp_path / "b", Settings())
    store.close()
    assert from_text.records == parsed.records >= 3 and from_text.triples == parsed.triples
    assert (from_text.classes, from_text.properties, from_text.distinct_subjects, from_text.example) == \
           (parsed.classes, parsed.properties, parsed.distinct_subjects, parsed.example)
    for name in ("items.nt.gz", "items.nq.gz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_publishing_again_makes_no_documents_and_a_rewrite_gets_them_all(tmp_path, monkeypatch):
    import pipeline.publish

    made = []
    real_with_forms = pipeline.publish.with_forms
    monkeypatch.setattr(pipeline.publish, "with_forms", lambda *args: made.append(args[0]) or real_with_forms(*args))
    store = EmbeddedStore(tmp_path / "store", context_url=Settings().context_url)
    publish([str(EXAMPLE)], store, Settings())
    assert len(made) == 3
    made.clear()
    assert publish([str(EXAMPLE)], store, Settings()).published == 0 and made == []  # the table holds the same N-Triples
    graph = record_graphs(store)[0]
    store.set_hash(graph, "0" * 64)  # the stored hash disagrees with the table: the record is written again
    assert publish([str(EXAMPLE)], store, Settings()).published == 1 and made == []
    assert same_as_quads(store, graph) and same_in_every_form(store, graph)  # its documents made whole by the store
    store.close()


def test_documents_an_older_lodpub_compressed_with_zlib_are_read_and_not_made_again(tmp_path, monkeypatch):
    import zlib

    import pipeline.publish

    store = EmbeddedStore(tmp_path / "store", context_url=Settings().context_url)
    publish([str(EXAMPLE)], store, Settings())
    graph = record_graphs(store)[0]
    before = store.document(graph)
    assert before is not None and before.turtle is not None and before.jsonld is not None
    ntriples, turtle, jsonld = before.ntriples, before.turtle, before.jsonld
    store.close()
    with sqlite3.connect(tmp_path / "store" / "lodpub-documents.sqlite") as db:  # as format 3 wrote them
        db.execute("UPDATE graph SET ntriples = ?, turtle = ?, jsonld = ? WHERE name = ?",
                   (zlib.compress(ntriples, 1), zlib.compress(turtle, 1), zlib.compress(jsonld, 1), graph))
    store = EmbeddedStore(tmp_path / "store", context_url=Settings().context_url)
    after = store.document(graph)
    assert after is not None and (after.ntriples, after.turtle, after.jsonld) == (ntriples, turtle, jsonld)
    made = []
    real_with_forms = pipeline.publish.with_forms
    monkeypatch.setattr(pipeline.publish, "with_forms", lambda *args: made.append(args[0]) or real_with_forms(*args))
    assert publish([str(EXAMPLE)], store, Settings()).published == 0 and made == []
    store.close()
