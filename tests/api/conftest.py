from __future__ import annotations

import pytest

from tests.servers import start_server

@pytest.fixture(scope="session")
def server(published):
    s = start_server(published, env={"LODPUB_SPARQL_TIMEOUT": "2"})
    yield s
    s.stop()


