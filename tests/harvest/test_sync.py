"""`lodpub sync`: the second run asks with `from` and the store and dumps show exactly the changes."""

from __future__ import annotations

import gzip
import subprocess

from rdflib import Dataset

from pipeline.settings import Settings
from pipeline.store import EmbeddedStore
from tests.harvest.oai_server import OAIServer
from tests.servers import BIN


def graphs_of_dump(dumps) -> dict[str, set]:
    ds = Dataset().parse(data=gzip.decompress((dumps / "items.nq.gz").read_bytes()).decode(), format="nquads")
    return {str(g.identifier): isomorphic_key(g) for g in ds.graphs() if len(g)}


def isomorphic_key(g) -> str:
    """A canonical form of a graph (blank nodes relabelled), so that equal graphs compare equal."""
    from rdflib.compare import to_canonical_graph

    return "\n".join(sorted(line for line in to_canonical_graph(g).serialize(format="nt").splitlines() if line.strip()))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "lodpub"), *args], capture_output=True, text=True, timeout=120)


def test_sync_twice(tmp_path):
    oai = OAIServer()
    try:
        store, harvest_dir, dumps1, dumps2 = tmp_path / "store", tmp_path / "harvest", tmp_path / "d1", tmp_path / "d2"
        first = run("sync", oai.url, "--store", str(store), "-o", str(harvest_dir))
        assert first.returncode == 0, first.stderr
        assert run("dump", "--store", str(store), "-o", str(dumps1)).returncode == 0
        oai.requests.clear()
        second = run("sync", oai.url, "--store", str(store), "-o", str(harvest_dir))
        assert second.returncode == 0, second.stderr
        assert "1 published" in second.stderr and "1 deleted" in second.stderr
        listed = [r for r in oai.requests if r.get("verb") == "ListRecords"]
        assert listed and listed[0]["from"] == "2024-03-05T09:12:44Z"
        assert run("dump", "--store", str(store), "-o", str(dumps2)).returncode == 0
    finally:
        oai.stop()
    settings = Settings()
    before, after = graphs_of_dump(dumps1), graphs_of_dump(dumps2)
    a, b = settings.document_iri("11250/2990101"), settings.document_iri("11250/2990102")
    assert set(before) - set(after) == {b}  # B deleted
    assert set(after) == set(before) - {b}
    changed = {g for g in after if after[g] != before[g]}
    assert changed == {a}
    assert "En ny studie" in after[a]
    s = EmbeddedStore(store, read_only=True)
    assert s.tombstone(settings.item_iri("11250/2990102")).startswith("2024-03-21T09:00:00")
    assert s.tombstone(settings.item_iri("11250/2990105")) is not None
    s.close()
