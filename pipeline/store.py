"""Where published records live: one named graph per record, in an embedded or a remote store.

* ``EmbeddedStore``: pyoxigraph on disk (RocksDB), the default; nothing to install.
* ``RemoteStore``: any SPARQL 1.1 server (Oxigraph server, Fuseki, Virtuoso, GraphDB),
  through the SPARQL 1.1 Protocol (queries, updates) and the Graph Store Protocol (graphs).

Graph names:

* a record's graph is named by its document IRI, ``<document_base><handle>``
  (``Settings.document_iri``): the record's data document, also its graph;
* ``META_GRAPH`` holds a content hash per record graph (so republishing unchanged
  records writes nothing) and the dataset's last modification;
* ``TOMBSTONE_GRAPH`` holds ``<item> prov:invalidatedAtTime "…"`` for deleted records,
  so the server can answer 410 Gone;
* the vocabularies sit in their own graphs (``vocabulary_graphs``).

Writes are atomic per record. Changed and deleted records are replaced in one SPARQL
update per batch (a transaction). New records go in through the bulk loader, which is
several times faster but not transactional; so their graph names are written to a journal
first, and opening the store rolls back what a crash left half written. A rerun then
finishes the job.
"""

from __future__ import annotations

import json
import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import requests

from . import __version__
from .documents import Document, Documents, Packed, ntriples_only, render, with_forms
from .errors import StoreError
from .terms import from_oxigraph, read_ntriples

LODPUB_GRAPH = "https://w3id.org/lodpub/graph/"
META_GRAPH = LODPUB_GRAPH + "meta"
TOMBSTONE_GRAPH = LODPUB_GRAPH + "tombstones"
SHA256 = "https://w3id.org/lodpub#sha256"
INVALIDATED = "http://www.w3.org/ns/prov#invalidatedAtTime"
DATASET = "https://w3id.org/lodpub#dataset"
MODIFIED = "http://purl.org/dc/terms/modified"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """A record ready to write: its graph as N-Triples text and a hash of it (or a deletion)."""

    handle: str
    item: str
    graph: str
    ntriples: str = ""
    digest: str = ""
    deleted_at: str | None = None  # xsd:dateTime lexical form, for deletions
    document: Packed | None = None  # its forms for the documents table (made by the worker)

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


DELETED = "deleted"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _values(graphs: list[str]) -> str:
    return " ".join(f"<{g}>" for g in graphs)


def write_update(records: list[Prepared], modified: str) -> str:
    """One SPARQL update replacing these records' graphs, hashes and tombstones (one transaction)."""
    ops = [f"DROP SILENT GRAPH <{r.graph}>" for r in records]
    if records:
        ops.append(f"DELETE {{ GRAPH <{META_GRAPH}> {{ ?g <{SHA256}> ?h }} }} WHERE {{ VALUES ?g {{ {_values([r.graph for r in records])} }} GRAPH <{META_GRAPH}> {{ ?g <{SHA256}> ?h }} }}")
        ops.append(f"DELETE {{ GRAPH <{TOMBSTONE_GRAPH}> {{ ?i <{INVALIDATED}> ?t }} }} WHERE {{ VALUES ?i {{ {_values([r.item for r in records])} }} GRAPH <{TOMBSTONE_GRAPH}> {{ ?i <{INVALIDATED}> ?t }} }}")
    ops.append(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{DATASET}> <{MODIFIED}> ?m }} }}")
    data = []
    for r in records:
        if r.deleted:
            data.append(f'GRAPH <{TOMBSTONE_GRAPH}> {{ <{r.item}> <{INVALIDATED}> "{_escape(r.deleted_at or "")}"^^<{XSD_DATETIME}> }}')
            data.append(f'GRAPH <{META_GRAPH}> {{ <{r.graph}> <{SHA256}> "{DELETED}" }}')
        else:
            data.append(f"GRAPH <{r.graph}> {{\n{r.ntriples}}}")
            data.append(f'GRAPH <{META_GRAPH}> {{ <{r.graph}> <{SHA256}> "{r.digest}" }}')
    data.append(f'GRAPH <{META_GRAPH}> {{ <{DATASET}> <{MODIFIED}> "{_escape(modified)}"^^<{XSD_DATETIME}> }}')
    ops.append("INSERT DATA {\n" + "\n".join(data) + "\n}")
    return " ;\n".join(ops)


class RecordStore(ABC):
    """What the pipeline and the server need from a store."""

    documents_path: Path | None = None  # where the store keeps each record's documents (``Prepared.document``), if it does

    def hashes(self, graphs: list[str]) -> dict[str, str]:
        """The stored content hash of each of these record graphs that exists."""
        if not graphs:
            return {}
        rows = self.select(f"SELECT ?g ?h WHERE {{ VALUES ?g {{ {_values(graphs)} }} GRAPH <{META_GRAPH}> {{ ?g <{SHA256}> ?h }} }}")
        return {r["g"].value: r["h"].value for r in rows}

    @abstractmethod
    def write(self, records: list[Prepared], modified: str, new: set[str]) -> None:
        """Replace, add and delete records; ``new`` names graphs that did not exist before."""

    @abstractmethod
    def update(self, update: str) -> None:
        """Run a SPARQL update (one transaction)."""

    def set_hash(self, graph: str, digest: str) -> None:
        self.update(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph}> <{SHA256}> ?h }} }} ;\n"
                    f'INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{graph}> <{SHA256}> "{digest}" }} }}')

    @abstractmethod
    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace one whole graph (vocabularies), atomically."""

    @abstractmethod
    def graph_quads(self, graph: str) -> list[ox.Quad]:
        """The quads of one graph (a record's, for the server)."""

    @abstractmethod
    def iter_quads(self) -> Iterator[ox.Quad]:
        """Every quad, grouped by graph; streamed."""

    def document(self, graph: str) -> Document | None:
        """A record graph as published; ``None`` when the store holds no such graph.

        Stores that keep documents (the embedded one) give its Turtle and JSON-LD too."""
        ntriples = self.graph_ntriples(graph)
        return Document(ntriples=ntriples) if ntriples else None

    @abstractmethod
    def graph_ntriples(self, graph: str) -> bytes:
        """One graph as N-Triples, serialized by the store itself (for dumps)."""

    @property
    @abstractmethod
    def location(self) -> str:
        """What ``open_store`` opens this store with: a directory or a URL."""

    def flush(self) -> None:
        """Make every write visible to other processes opening the store."""

    def live_graphs(self, prefix: str, page: int = 10_000) -> Iterator[str]:
        """The names of the live record graphs under ``prefix``, in IRI order, streamed a page at a time."""
        last = ""
        while True:
            rows = self.select(
                f"SELECT ?g WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{SHA256}> ?h }} FILTER(?h != \"{DELETED}\" && "
                f"STRSTARTS(STR(?g), \"{_escape(prefix)}\") && STR(?g) > \"{_escape(last)}\") }} ORDER BY STR(?g) LIMIT {page}")
            names = [r["g"].value for r in rows]
            yield from names
            if len(names) < page:
                return
            last = names[-1]

    @abstractmethod
    def select(self, query: str) -> list[dict[str, Any]]:
        """Run a SPARQL SELECT; rows of ``{variable: pyoxigraph term}``."""

    def tombstone(self, item: str) -> str | None:
        rows = self.select(f"SELECT ?t WHERE {{ GRAPH <{TOMBSTONE_GRAPH}> {{ <{item}> <{INVALIDATED}> ?t }} }}")
        return rows[0]["t"].value if rows else None

    def modified(self) -> str | None:
        rows = self.select(f"SELECT ?m WHERE {{ GRAPH <{META_GRAPH}> {{ <{DATASET}> <{MODIFIED}> ?m }} }}")
        return rows[0]["m"].value if rows else None

    def record_graphs(self, prefix: str) -> int:
        """How many live records the store holds (graphs under ``prefix``, the document base)."""
        rows = self.select(f"SELECT (COUNT(?g) AS ?n) WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{SHA256}> ?h }} "
                           f"FILTER(?h != \"{DELETED}\" && STRSTARTS(STR(?g), \"{_escape(prefix)}\")) }}")
        return int(rows[0]["n"].value) if rows else 0

    def close(self) -> None:
        """Release the store."""


def _as_quads(r: Prepared) -> str:
    """A prepared record's N-Triples text as N-Quads in its graph, with its hash."""
    suffix = f" <{r.graph}> .\n"
    body = "".join(line[:-3] + suffix for line in r.ntriples.splitlines(keepends=True))
    return body + f'<{r.graph}> <{SHA256}> "{r.digest}" <{META_GRAPH}> .\n'


class EmbeddedStore(RecordStore):
    """pyoxigraph on disk plus the documents table; one writer process at a time (RocksDB's lock)."""

    FORMAT = 3  # 1: quads only; 2: and each graph's N-Triples; 3: and its Turtle, JSON-LD and head

    def __init__(self, path: str | Path, read_only: bool = False, *, context_url: str | None = None, serving: bool = False) -> None:
        """``context_url``: the JSON-LD context the documents this store writes itself refer to
        (after a crash, or when it upgrades an older store); without it they keep N-Triples only
        and the other forms are made when asked for. ``serving``: read documents through a
        memory map (for the server's random reads)."""
        self.path = Path(path)
        self.read_only = read_only
        self.context_url = context_url
        try:
            if read_only:
                if not (self.path / "CURRENT").exists():
                    ox.Store(str(self.path)).flush()  # an empty store to read, not an error
                self.store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc} (is another lodpub process writing to it?)") from exc
        self.journal = self.path / "lodpub-journal.json"
        marker = self.path / "lodpub-store.json"
        stored_format = json.loads(marker.read_text("utf-8")).get("format", 1) if marker.exists() else None
        self.documents_path = self.path / "lodpub-documents.sqlite"
        self.documents = Documents(self.documents_path, read_only, memory_map=serving and read_only)
        if not read_only:
            if stored_format is not None and stored_format < self.FORMAT:  # written by an older lodpub: fill the table once
                graphs = list(self._live_graphs_in_quads(""))
                logger.warning("%s: store format %s, writing the documents of %d graphs once (format %d)", self.path, stored_format, len(graphs), self.FORMAT)
                self._repair_documents(graphs)
            self._recover()
            marker.write_text(json.dumps({"lodpub": __version__, "format": self.FORMAT}), "utf-8")

    def _recover(self) -> None:
        """Finish what a crash interrupted.

        A bulk load (new records) is not transactional: its records go back to not being
        there. Replacements and deletions are (one SPARQL update), but the documents table
        may lag behind them: their documents are written again from the quads.
        """
        if not self.journal.exists():
            return
        entry = json.loads(self.journal.read_text("utf-8"))
        graphs, others = entry.get("new", []), entry.get("other", [])
        for graph in graphs:
            self.store.remove_graph(ox.NamedNode(graph))
        if graphs:
            self.store.update(f"DELETE {{ GRAPH <{META_GRAPH}> {{ ?g <{SHA256}> ?h }} }} WHERE {{ VALUES ?g {{ {_values(graphs)} }} GRAPH <{META_GRAPH}> {{ ?g <{SHA256}> ?h }} }}")
            self.documents.replace((), graphs)
        self._repair_documents(others)
        self.store.flush()
        self.journal.unlink()

    def _repair_documents(self, graphs: list[str]) -> None:
        """Write these graphs' documents from their quads (or drop them where there are none)."""
        for start in range(0, len(graphs), 1000):
            put: list[tuple[str, Packed]] = []
            gone: list[str] = []
            for graph in graphs[start : start + 1000]:
                quads = self.graph_quads(graph)
                if not quads:
                    gone.append(graph)
                elif self.context_url is None:
                    put.append((graph, ntriples_only(self._quads_as_ntriples(graph))))
                else:
                    put.append((graph, render(from_oxigraph(quads), self.context_url)))
            self.documents.replace(put, gone)

    def _quads_as_ntriples(self, graph: str) -> bytes:
        return self.store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))  # type: ignore[return-value]

    def write(self, records: list[Prepared], modified: str, new: set[str]) -> None:
        """Journal, quads (bulk load for new records, one update for the rest), then documents."""
        fresh = [r for r in records if r.graph in new and not r.deleted]
        others = [r for r in records if r.graph not in new or r.deleted]
        self._write_journal([r.graph for r in fresh], [r.graph for r in others])
        if fresh:
            data = "".join(_as_quads(r) for r in fresh)
            self.store.bulk_load(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        self.store.update(write_update(others, modified))
        self.store.flush()
        self.documents.replace(((r.graph, self._complete(r)) for r in records if not r.deleted), (r.graph for r in records if r.deleted))
        self.journal.unlink()

    def _complete(self, record: Prepared) -> Packed:
        """The record's documents, made here where the worker left them out.

        A worker leaves them out when the table already holds the same N-Triples; the
        record then reaches ``write`` only if the stored hash disagrees (a rare repair)."""
        if record.document is not None and record.document.turtle is not None:
            return record.document
        document = record.document or ntriples_only(record.ntriples.encode("utf-8"))
        if self.context_url is None:
            return document
        return with_forms(document, read_ntriples(record.ntriples.encode("utf-8")), self.context_url)

    def _write_journal(self, new: list[str], other: list[str]) -> None:
        tmp = self.journal.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"new": new, "other": other}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.journal)

    def update(self, update: str) -> None:
        self.store.update(update)

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        self.store.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{ntriples.decode('utf-8')}}} }}")
        self.documents.replace((), [graph])  # graphs written whole are read from the quads (an upgrade may have copied one)

    def graph_quads(self, graph: str) -> list[ox.Quad]:
        return list(self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def iter_quads(self) -> Iterator[ox.Quad]:
        return iter(self.store.quads_for_pattern(None, None, None, None))

    def graph_ntriples(self, graph: str) -> bytes:
        document = self.documents.get(graph)
        # no document: not a record graph (vocabularies), a missing one, or a format-1 store read-only
        return document.ntriples if document is not None else self._quads_as_ntriples(graph)

    def document(self, graph: str) -> Document | None:
        return self.documents.get(graph) or super().document(graph)

    @property
    def location(self) -> str:
        return str(self.path)

    def live_graphs(self, prefix: str, page: int = 10_000) -> Iterator[str]:
        if self.documents.db is not None:
            # Every live record graph has its document (deleted ones lose it), and the table
            # is kept in name order: a page of names is an index range, where Oxigraph first
            # sorts them all (seconds at 100,000 records, minutes at a million).
            yield from self.documents.names(prefix, page)
        else:  # a store from before the documents table, read-only
            yield from self._live_graphs_in_quads(prefix)

    def _live_graphs_in_quads(self, prefix: str) -> Iterator[str]:
        # One query, read lazily: Oxigraph sorts the names, Python holds one at a time.
        solutions = self.store.query(
            f"SELECT ?g WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{SHA256}> ?h }} FILTER(?h != \"{DELETED}\" && "
            f"STRSTARTS(STR(?g), \"{_escape(prefix)}\")) }} ORDER BY STR(?g)")
        for row in solutions:  # type: ignore[union-attr]
            yield row[0].value

    def flush(self) -> None:
        if not self.read_only:
            self.store.flush()

    def select(self, query: str) -> list[dict[str, Any]]:
        result = self.store.query(query)
        names = [v.value for v in result.variables]  # type: ignore[union-attr]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]  # type: ignore[union-attr]

    def query(self, query: str, **kwargs: Any) -> Any:
        return self.store.query(query, **kwargs)

    def close(self) -> None:
        if not self.read_only:
            self.store.flush()
        self.documents.close()
        del self.store


class RemoteStore(RecordStore):
    """A SPARQL 1.1 server. ``base`` is the dataset URL; endpoints follow Oxigraph's names
    (``/query``, ``/update``, ``/store``) unless given (Fuseki: ``/sparql``, ``/update``, ``/data``)."""

    def __init__(self, base: str, *, query: str = "query", update: str = "update", graph_store: str = "store", timeout: float = 300) -> None:
        self.base = base.rstrip("/")
        self.query_url = f"{self.base}/{query}"
        self.update_url = f"{self.base}/{update}"
        self.gsp_url = f"{self.base}/{graph_store}"
        self.timeout = timeout
        self.http = requests.Session()
        self.http.headers["User-Agent"] = f"lodpub/{__version__}"
        try:
            self._post_query("SELECT * WHERE { } LIMIT 1")
        except requests.RequestException as exc:
            raise StoreError(f"cannot reach the SPARQL server at {self.base}: {exc}") from exc

    def _post_query(self, query: str, accept: str = "application/sparql-results+json") -> requests.Response:
        r = self.http.post(self.query_url, data=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query", "Accept": accept}, timeout=self.timeout)
        if r.status_code >= 400:
            raise StoreError(f"SPARQL query failed at {self.query_url}: HTTP {r.status_code}: {r.text[:300]}")
        return r

    def update(self, update: str) -> None:
        self._update(update)

    def _update(self, update: str) -> None:
        try:
            r = self.http.post(self.update_url, data=update.encode("utf-8"), headers={"Content-Type": "application/sparql-update"}, timeout=self.timeout)
        except requests.RequestException as exc:
            raise StoreError(f"SPARQL update failed at {self.update_url}: {exc}") from exc
        if r.status_code >= 400:
            raise StoreError(f"SPARQL update failed at {self.update_url}: HTTP {r.status_code}: {r.text[:300]}")

    def select(self, query: str) -> list[dict[str, Any]]:
        data = self._post_query(query).json()
        rows = []
        for binding in data["results"]["bindings"]:
            row = {}
            for name, v in binding.items():
                if v["type"] == "uri":
                    row[name] = ox.NamedNode(v["value"])
                elif v["type"] == "bnode":
                    row[name] = ox.BlankNode(v["value"])
                elif "xml:lang" in v:
                    row[name] = ox.Literal(v["value"], language=v["xml:lang"])
                elif "datatype" in v:
                    row[name] = ox.Literal(v["value"], datatype=ox.NamedNode(v["datatype"]))
                else:
                    row[name] = ox.Literal(v["value"])
            rows.append(row)
        return rows

    UPDATE_RECORDS = 1000  # records per update request: a few MB, which every server takes

    def write(self, records: list[Prepared], modified: str, new: set[str]) -> None:
        # One update request is one transaction on the server, new records included: each
        # record is replaced whole in one of them.
        for start in range(0, max(len(records), 1), self.UPDATE_RECORDS):
            self._update(write_update(records[start : start + self.UPDATE_RECORDS], modified))

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        r = self.http.put(self.gsp_url, params={"graph": graph}, data=ntriples, headers={"Content-Type": "application/n-triples"}, timeout=self.timeout)
        if r.status_code >= 400:
            raise StoreError(f"Graph Store PUT failed at {self.gsp_url}: HTTP {r.status_code}: {r.text[:300]}")

    def graph_quads(self, graph: str) -> list[ox.Quad]:
        r = self.http.get(self.gsp_url, params={"graph": graph}, headers={"Accept": "application/n-triples"}, timeout=self.timeout)
        if r.status_code == 404:
            return []
        if r.status_code >= 400:
            raise StoreError(f"Graph Store GET failed at {self.gsp_url}: HTTP {r.status_code}")
        g = ox.NamedNode(graph)
        return [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)]

    def graph_ntriples(self, graph: str) -> bytes:
        r = self.http.get(self.gsp_url, params={"graph": graph}, headers={"Accept": "application/n-triples"}, timeout=self.timeout)
        if r.status_code == 404:
            return b""
        if r.status_code >= 400:
            raise StoreError(f"Graph Store GET failed at {self.gsp_url}: HTTP {r.status_code}")
        return r.content

    @property
    def location(self) -> str:
        return self.base

    def iter_quads(self) -> Iterator[ox.Quad]:
        """Graph after graph, a page of graphs per query: bounded memory, a server's own order aside."""
        graphs = [r["g"].value for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")]
        for start in range(0, len(graphs), 200):
            page = graphs[start : start + 200]
            rows = self.select(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {_values(page)} }} GRAPH ?g {{ ?s ?p ?o }} }}")
            rows.sort(key=lambda r: page.index(r["g"].value))
            for r in rows:
                yield ox.Quad(r["s"], r["p"], r["o"], r["g"])

    def query(self, query: str, accept: str = "application/sparql-results+json") -> requests.Response:
        return self._post_query(query, accept)

    def close(self) -> None:
        self.http.close()


def open_store(location: str, read_only: bool = False, *, context_url: str | None = None, serving: bool = False) -> RecordStore:
    """An embedded store for a path, a remote one for an http(s) URL."""
    if location.startswith(("http://", "https://")):
        return RemoteStore(location)
    return EmbeddedStore(location, read_only=read_only, context_url=context_url, serving=serving)
