"""Each record as published, ready to send: its N-Triples, Turtle and JSON-LD, in SQLite.

Oxigraph answers SPARQL, but reading one graph back out of it costs about 0.5 ms here (a
lookup per term), and turning it into Turtle or compacted JSON-LD in Python costs as much
again: more than all the rest of an HTTP request. So publishing writes each record three
times over, once into the quads and once into this table as the bytes the server and the
dumps send, made by the worker processes that mapped the record. A request for Turtle or
JSON-LD is then one indexed read and an inflate.

The quads stay the truth: opening the store after a crash rewrites the documents of the
graphs a batch touched from them (``render`` is the one place documents are made), and a
document whose JSON-LD names another context than the server's is made afresh.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .rdf_output import compact_jsonld, prefixes
from .terms import RdfTriple, nt_lines, to_oxigraph


@dataclass(frozen=True)
class Packed:
    """A record's document as stored: each form zlib-compressed (level 1: fast, and enough)."""

    ntriples: bytes
    turtle: bytes | None = None
    jsonld: bytes | None = None


@dataclass(frozen=True)
class Document:
    """A record's document as read: N-Triples, and Turtle and JSON-LD where the table has them."""

    ntriples: bytes
    turtle: bytes | None = None
    jsonld: bytes | None = None


def _pack(data: bytes) -> bytes:
    return zlib.compress(data, 1)


def ntriples_only(ntriples: bytes) -> Packed:
    """A document with N-Triples alone; the other forms are made when asked for."""
    return Packed(_pack(ntriples))


def render(triples: list[RdfTriple], context_url: str | None, ntriples: str | None = None) -> Packed:
    """The three forms of one record graph, compressed.

    Turtle is what the server sends (with every prefix of the context); JSON-LD is one
    compacted document on one line, against ``context_url`` (embedded when there is none).
    """
    text = ntriples if ntriples is not None else "".join(nt_lines(triples))
    turtle = ox.serialize(to_oxigraph(triples), format=ox.RdfFormat.TURTLE, prefixes=prefixes())
    jsonld = json.dumps(compact_jsonld(triples, context_url), ensure_ascii=False).encode("utf-8")
    return Packed(_pack(text.encode("utf-8")), _pack(turtle), _pack(jsonld))


def jsonld_start(context_url: str | None) -> bytes:
    """How a stored JSON-LD document made for ``context_url`` begins (to tell a stale one)."""
    if context_url is None:
        return b'{"@context": {'
    return b'{"@context": ' + json.dumps(context_url, ensure_ascii=False).encode("utf-8") + b","


class Documents:
    """The table ``graph(name, ntriples, turtle, jsonld)``, one row per published record graph."""

    def __init__(self, path: Path, read_only: bool) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.db: sqlite3.Connection | None = None
        if read_only:
            if path.exists():
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            return
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS graph (name TEXT PRIMARY KEY, ntriples BLOB NOT NULL, turtle BLOB, jsonld BLOB) WITHOUT ROWID")
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(graph)")}
        for column in ("turtle", "jsonld"):  # a table from before they were kept: NULL until rewritten
            if column not in columns:
                self.db.execute(f"ALTER TABLE graph ADD COLUMN {column} BLOB")

    def get(self, name: str) -> Document | None:
        if self.db is None:
            return None
        with self.lock:
            row = self.db.execute("SELECT ntriples, turtle, jsonld FROM graph WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        nt, turtle, jsonld = row
        return Document(zlib.decompress(nt), zlib.decompress(turtle) if turtle else None, zlib.decompress(jsonld) if jsonld else None)

    def replace(self, put: Iterable[tuple[str, Packed]], delete: Iterable[str]) -> None:
        """Store and remove documents in one transaction."""
        assert self.db is not None
        with self.lock:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO graph (name, ntriples, turtle, jsonld) VALUES (?, ?, ?, ?)",
                                ((name, p.ntriples, p.turtle, p.jsonld) for name, p in put))
            self.db.executemany("DELETE FROM graph WHERE name = ?", ((n,) for n in delete))
            self.db.execute("COMMIT")

    def missing_forms(self) -> list[str]:
        """Graphs whose Turtle or JSON-LD is not kept (written by an older lodpub)."""
        assert self.db is not None
        with self.lock:
            return [row[0] for row in self.db.execute("SELECT name FROM graph WHERE turtle IS NULL OR jsonld IS NULL ORDER BY name")]

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
