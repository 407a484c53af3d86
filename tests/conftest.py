from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from pipeline.readers import read_file
from pipeline.report import Report

ROOT = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    """``../shared`` beside the checkout (as CI lays it out), or $LODPUB_SHARED."""
    for candidate in (os.environ.get("LODPUB_SHARED"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "sample-records").is_dir():
            return Path(candidate)
    raise RuntimeError("the shared sample records are not found: set LODPUB_SHARED to the folder holding sample-records/ and vocab-sources/")


SHARED = _shared()
SAMPLES = SHARED / "sample-records"
VOCAB_SOURCES = SHARED / "vocab-sources"
EXAMPLES = ROOT / "examples"


def records_of(path: Path | str, from_: str | None = None):
    report = Report()
    return list(read_file(path, report=report, from_=from_)), report


def by_handle(records):
    return {r.handle: r for r in records}


def fields_of(record, key):
    return [f for f in record.fields if f.key == key]


@pytest.fixture
def write(tmp_path):
    """Write bytes to a file in tmp_path and return its path."""

    def _write(name: str, data: bytes | str) -> Path:
        p = tmp_path / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return p

    return _write


def stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """A store with the sample and example records, and its dumps (for server tests)."""
    from pipeline.dump import dump
    from pipeline.publish import publish
    from pipeline.settings import Settings
    from pipeline.store import EmbeddedStore

    inputs = [str(p) for p in sorted(SAMPLES.iterdir()) if p.suffix in (".xml", ".json", ".csv", ".txt")] + [str(EXAMPLES / "oai_dim_examples.xml")]
    root = tmp_path_factory.mktemp("published")
    settings = Settings(store=str(root / "store"))
    store = EmbeddedStore(root / "store")
    publish(inputs, store, settings)
    dump(store, root / "dumps", settings)
    store.close()
    return root
