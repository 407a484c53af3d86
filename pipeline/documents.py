"""Each record as published, ready to send: its N-Triples, Turtle, JSON-LD and head, in SQLite.

Oxigraph answers SPARQL, but reading one graph back out of it costs about 0.5 ms here (a
lookup per term), and parsing it and turning it into Turtle or compacted JSON-LD in Python
costs as much again: more than all the rest of an HTTP request. So publishing writes each
record twice, once into the quads and once into this table as the bytes the server and the
dumps send, made by the worker processes that mapped the record. A request for Turtle or
JSON-LD is then one indexed read and an inflate, and its headers come from the head.

The quads stay the truth: opening the store after a crash rewrites the documents of the
graphs a batch touched from them (``with_forms`` is the one place documents are made), and a
document whose JSON-LD names another context than the server's is made afresh.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import zstandard

from .rdf_output import jsonld_line, turtle_document
from .terms import Lit, RdfTriple, grouped, nt_lines, read_ntriples

DCTERMS = "http://purl.org/dc/terms/"
# What the server's HTTP headers are made from: Last-Modified (the document's dcterms:modified)
# and FAIR Signposting (the item's type, authors, files and their media types).
HEAD_PREDICATES = frozenset({DCTERMS + "modified", DCTERMS + "type", DCTERMS + "creator", DCTERMS + "hasPart", DCTERMS + "format"})
_HEAD_TOKENS = tuple(f" <{p}> ".encode() for p in sorted(HEAD_PREDICATES))


@dataclass(frozen=True)
class Packed:
    """A record's document as stored: each form compressed (``pack``), and its head: the triples of ``HEAD_PREDICATES`` as JSON, ``[s, p, o]`` with a literal
    object as ``[value, language, datatype]``, which every request reads."""

    ntriples: bytes
    turtle: bytes | None = None
    jsonld: bytes | None = None
    head: bytes | None = None


class Document:
    """A record's document as read: N-Triples, and Turtle and JSON-LD where the table has them.

    Each form is inflated when first asked for: a request needs one or two of the three. A
    store that keeps no documents gives its N-Triples as they are (``ntriples``)."""

    def __init__(self, packed: Packed | None = None, *, ntriples: bytes | None = None) -> None:
        self.packed = packed or Packed(b"")
        self._ntriples = ntriples

    @property
    def ntriples(self) -> bytes:
        if self._ntriples is None:
            self._ntriples = unpack(self.packed.ntriples)
        return self._ntriples

    @cached_property
    def turtle(self) -> bytes | None:
        return unpack(self.packed.turtle) if self.packed.turtle else None

    @cached_property
    def jsonld(self) -> bytes | None:
        return unpack(self.packed.jsonld) if self.packed.jsonld else None

    def jsonld_for(self, start: bytes) -> bytes | None:
        """The stored JSON-LD if it was made for the context that ``start`` (``jsonld_start``)
        names; ``None`` if there is none or it names another (it must then be made afresh)."""
        jsonld = self.jsonld
        return jsonld if jsonld is not None and jsonld.startswith(start) else None

    def head(self) -> list[RdfTriple]:
        """The triples whose predicate is one of ``HEAD_PREDICATES`` (what HTTP headers say).

        Read from the stored JSON (about 10 µs; parsing N-Triples and converting Oxigraph's
        terms costs five times more), or from the N-Triples where no head was stored."""
        if self.packed.head is None:
            return read_ntriples(head_lines(self.ntriples))
        return [(s, p, o if isinstance(o, str) else Lit(*o)) for s, p, o in json.loads(self.packed.head)]


def head_lines(ntriples: bytes) -> bytes:
    """The lines of an N-Triples text whose predicate is one of ``HEAD_PREDICATES``.

    The predicate follows the subject, which has no space in it (an IRI or a blank node);
    the lines are found with ``bytes.find``, several times faster than a regular expression."""
    lines = []
    for token in _HEAD_TOKENS:
        at = ntriples.find(token)
        while at >= 0:
            start = ntriples.rfind(b"\n", 0, at) + 1
            end = ntriples.find(b"\n", at)
            end = len(ntriples) if end < 0 else end
            if b" " not in ntriples[start:at]:
                lines.append(ntriples[start:end] + b"\n")
            at = ntriples.find(token, end)
    return b"".join(lines)


# Zstandard level 1: a third of zlib's time to compress a record's form, half its time to
# decompress one, for the same size. Stores written before (format 3) hold zlib streams,
# which never begin with zstd's magic number, so both are read.
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_codecs = threading.local()  # a zstd context is not to be shared between threads, and costs 13 µs to make


def pack(data: bytes) -> bytes:
    compressor = getattr(_codecs, "compressor", None)
    if compressor is None:
        compressor = _codecs.compressor = zstandard.ZstdCompressor(level=1)
    return compressor.compress(data)  # type: ignore[no-any-return]


def unpack(blob: bytes) -> bytes:
    if blob[:4] != _ZSTD_MAGIC:
        return zlib.decompress(blob)
    decompressor = getattr(_codecs, "decompressor", None)
    if decompressor is None:
        decompressor = _codecs.decompressor = zstandard.ZstdDecompressor()
    return decompressor.decompress(blob)  # type: ignore[no-any-return]


def ntriples_only(ntriples: bytes) -> Packed:
    """A document with N-Triples alone; the other forms are made when asked for."""
    return Packed(pack(ntriples))


def with_forms(document: Packed, triples: list[RdfTriple], context_url: str | None) -> Packed:
    """``document`` (its N-Triples packed) with the other forms of its graph ``triples`` added.

    Turtle is what the server sends (with every prefix of the context); JSON-LD is one
    compacted document on one line, against ``context_url`` (embedded when there is none).
    """
    shape = grouped(triples)  # by subject and predicate, lists found: for Turtle and JSON-LD alike
    turtle = turtle_document(triples, shape)
    head = json.dumps([t for t in triples if t[1] in HEAD_PREDICATES], ensure_ascii=False).encode("utf-8")
    return Packed(document.ntriples, pack(turtle), pack(jsonld_line(triples, context_url, shape)), head)


def render(triples: list[RdfTriple], context_url: str | None) -> Packed:
    """Every form of one record graph, compressed."""
    return with_forms(ntriples_only("".join(nt_lines(triples)).encode("utf-8")), triples, context_url)


def jsonld_start(context_url: str | None) -> bytes:
    """How a stored JSON-LD document made for ``context_url`` begins (to tell a stale one)."""
    if context_url is None:
        return b'{"@context": {'
    return b'{"@context": ' + json.dumps(context_url, ensure_ascii=False).encode("utf-8") + b","


class Documents:
    """The table ``graph(name, ntriples, turtle, jsonld, head)``, one row per published record graph."""

    def __init__(self, path: Path, read_only: bool, *, memory_map: bool = False) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.db: sqlite3.Connection | None = None
        if read_only:
            if path.exists():
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                if memory_map:
                    # The server reads pages through a memory map: half the time of a read call per
                    # page. SQLite caps the size (2 GB in common builds); the pages are the shared,
                    # reclaimable page cache, but a process's resident size counts those it touched.
                    self.db.execute(f"PRAGMA mmap_size = {1 << 40}")
            return
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        # 32 KB pages (on a new file; WAL fixes the size): a row of about 5 KB fits in its B-tree page
        # instead of overflowing into a chain of 4 KB ones, so a lookup reads one page, not three or
        # four (a quarter less time where the file is beyond SQLite's memory map), and the file is a
        # fifth smaller.
        self.db.execute("PRAGMA page_size = 32768")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS graph (name TEXT PRIMARY KEY, ntriples BLOB NOT NULL, turtle BLOB, jsonld BLOB, head BLOB) WITHOUT ROWID")
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(graph)")}
        for column in ("turtle", "jsonld", "head"):  # a table from before they were kept: NULL until rewritten
            if column not in columns:
                self.db.execute(f"ALTER TABLE graph ADD COLUMN {column} BLOB")

    def _row(self, columns: str, name: str) -> tuple[bytes | None, ...] | None:
        if self.db is None:
            return None
        with self.lock:
            return self.db.execute(f"SELECT {columns} FROM graph WHERE name = ?", (name,)).fetchone()  # type: ignore[no-any-return]

    def get(self, name: str) -> Document | None:
        row = self._row("ntriples, turtle, jsonld, head", name)
        return Document(Packed(*row)) if row is not None else None  # type: ignore[arg-type]

    def holds(self, name: str, document: Packed, ntriples: bytes) -> bool:
        """Whether the table holds ``ntriples`` (packed as ``document``) for graph ``name``.

        The packed bytes are compared, without unpacking, unless the stored ones are from
        an older lodpub's codec."""
        row = self._row("ntriples", name)
        if row is None:
            return False
        stored: bytes = row[0]  # type: ignore[assignment]
        return stored == document.ntriples if stored[:4] == _ZSTD_MAGIC else unpack(stored) == ntriples

    def replace(self, put: Iterable[tuple[str, Packed]], delete: Iterable[str]) -> None:
        """Store and remove documents in one transaction."""
        assert self.db is not None
        with self.lock:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO graph (name, ntriples, turtle, jsonld, head) VALUES (?, ?, ?, ?, ?)",
                                ((name, p.ntriples, p.turtle, p.jsonld, p.head) for name, p in put))
            self.db.executemany("DELETE FROM graph WHERE name = ?", ((n,) for n in delete))
            self.db.execute("COMMIT")

    def names(self, prefix: str, page: int = 10_000) -> Iterator[str]:
        """The graph names that start with ``prefix``, in code point order (as SPARQL's
        ``ORDER BY STR(?g)``), read a page at a time from the primary key."""
        assert self.db is not None
        after = ""
        while True:
            with self.lock:
                rows = self.db.execute("SELECT name FROM graph WHERE name >= ? AND name > ? ORDER BY name LIMIT ?", (prefix, after, page)).fetchall()
            for (name,) in rows:
                if not name.startswith(prefix):
                    return
                yield name
            if len(rows) < page:
                return
            after = rows[-1][0]

    def missing_forms(self) -> list[str]:
        """Graphs whose Turtle, JSON-LD or head is not kept (written by an older lodpub)."""
        assert self.db is not None
        with self.lock:
            return [row[0] for row in self.db.execute("SELECT name FROM graph WHERE turtle IS NULL OR jsonld IS NULL OR head IS NULL ORDER BY name")]

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
