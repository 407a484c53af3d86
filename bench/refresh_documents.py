"""Re-make a benchmark store's documents with the current writers, without publishing it again.

Publishing a million records takes over an hour here; when only the way documents are written
has changed (Turtle writer, compression, page size), this gives the documents table a fresh
publish would give: each record's stored N-Triples are read back and every form made from them
with ``documents.render``, into a new file with the current table settings, which then
replaces the old one. The quads are not touched. Two worker processes.

Run: python bench/refresh_documents.py STORE_DIR
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.documents import Documents, Packed, render, unpack  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.terms import read_ntriples  # noqa: E402

CHUNK = 2000


def _render(rows: list[tuple[str, bytes]]) -> list[tuple[str, Packed]]:
    context_url = Settings().context_url
    return [(name, render(read_ntriples(unpack(blob)), context_url)) for name, blob in rows]


def _chunks(db: sqlite3.Connection) -> Iterator[list[tuple[str, bytes]]]:
    after = ""
    while True:
        rows = db.execute("SELECT name, ntriples FROM graph WHERE name > ? ORDER BY name LIMIT ?", (after, CHUNK)).fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def main() -> None:
    store = Path(sys.argv[1])
    old_path = store / "lodpub-documents.sqlite"
    new_path = store / "lodpub-documents.sqlite.new"
    new_path.unlink(missing_ok=True)
    old = sqlite3.connect(f"file:{old_path}?mode=ro", uri=True, check_same_thread=False)  # read by the pool's feeder thread
    new = Documents(new_path, read_only=False)
    start, done = time.perf_counter(), 0
    with Pool(2) as pool:
        for packed in pool.imap(_render, _chunks(old)):
            new.replace(packed, ())
            done += len(packed)
            print(f"\r{done:,} documents, {done / (time.perf_counter() - start):,.0f}/s", end="", file=sys.stderr, flush=True)
    new.close()
    old.close()
    for suffix in ("-wal", "-shm"):
        Path(str(old_path) + suffix).unlink(missing_ok=True)
    os.replace(new_path, old_path)
    print(f"\n{done:,} documents made again in {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
