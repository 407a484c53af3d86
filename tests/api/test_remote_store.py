"""The server behaves the same over a real Oxigraph server as over the embedded store."""

from __future__ import annotations

import os
import subprocess

import pytest
import requests
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.conftest import EXAMPLES
from tests.servers import BIN, ServerProcess, free_port, oxigraph_server


@pytest.fixture(scope="module")
def remote_server(tmp_path_factory, server):
    root = tmp_path_factory.mktemp("remote")
    oxigraph = oxigraph_server(root / "oxigraph")
    # the commands of the README's "Running at scale"
    published = subprocess.run([str(BIN / "lodpub"), "publish", "-j", "2", "--store", oxigraph.url, str(EXAMPLES / "oai_dim_examples.xml"),
                                str(EXAMPLES / "seed_item_page_132277.txt")], capture_output=True, text=True, timeout=120, cwd=root)
    assert published.returncode == 0, published.stderr
    port = free_port()
    lodpub = ServerProcess([str(BIN / "lodpub"), "serve", "--store", oxigraph.url, "--workers", "2", "--port", str(port)], f"http://127.0.0.1:{port}", cwd=root,
                           env=dict(os.environ), ready_path="/health")
    yield lodpub
    lodpub.stop()
    oxigraph.stop()


@pytest.mark.parametrize("path", ["/handle/11250/132277", "/handle/11250/3100001", "/vocab/vdp/242"])
@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples"])
def test_same_representations_as_the_embedded_store(remote_server, server, path, accept):
    fmt = "turtle" if accept == "text/turtle" else "nt"
    a = requests.get(remote_server.url + path, headers={"Accept": accept}, timeout=10)
    b = requests.get(server.url + path, headers={"Accept": accept}, timeout=10)
    assert a.status_code == b.status_code == 200
    assert a.headers["Link"] == b.headers["Link"] and a.headers["Content-Type"] == b.headers["Content-Type"]
    assert isomorphic(Graph().parse(data=a.text, format=fmt), Graph().parse(data=b.text, format=fmt))


def test_status_codes_html_and_sparql_over_the_remote_store(remote_server):
    url = remote_server.url
    assert requests.get(url + "/handle/11250/3100004", timeout=10).status_code == 410
    assert requests.get(url + "/handle/11250/999999", timeout=10).status_code == 404
    assert requests.get(url + "/handle/11250/132277", headers={"Accept": "image/png"}, timeout=10).status_code == 406
    page = requests.get(url + "/vocab/vdp/242", headers={"Accept": "text/html"}, timeout=10)
    assert "Klyngeinitiativ i Hedmark" in page.text
    r = requests.get(url + "/sparql", params={"query": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s <http://purl.org/dc/terms/title> ?t } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/lodpub/handle/\")) }"},
                     headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert r.status_code == 200 and int(r.json()["results"]["bindings"][0]["n"]["value"]) == 4
    assert requests.get(url + "/health", timeout=10).json()["records"] == 4
