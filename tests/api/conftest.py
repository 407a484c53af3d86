from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.dump import dump
from pipeline.publish import publish
from pipeline.settings import Settings
from pipeline.store import EmbeddedStore
from tests.conftest import EXAMPLES, SAMPLES
from tests.servers import BIN, ServerProcess, free_port

INPUTS = [str(p) for p in sorted(SAMPLES.iterdir()) if p.suffix in (".xml", ".json", ".csv", ".txt")] + [str(EXAMPLES / "oai_dim_examples.xml")]


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """A store with the sample and example records, and its dumps."""
    root = tmp_path_factory.mktemp("published")
    settings = Settings(store=str(root / "store"))
    store = EmbeddedStore(root / "store")
    publish(INPUTS, store, settings)
    dump(store, root / "dumps", settings)
    store.close()
    return root


def start_server(root: Path, *extra: str, env: dict[str, str] | None = None) -> ServerProcess:
    port = free_port()
    args = [str(BIN / "lodpub"), "serve", "--store", str(root / "store"), "--dumps", str(root / "dumps"), "--port", str(port), *extra]
    return ServerProcess(args, f"http://127.0.0.1:{port}", cwd=root, env={**os.environ, **(env or {})}, ready_path="/health")


@pytest.fixture(scope="session")
def server(published):
    s = start_server(published, env={"LODPUB_SPARQL_TIMEOUT": "2"})
    yield s
    s.stop()


