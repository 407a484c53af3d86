"""End to end on 127.0.0.1: Handle proxy -> nginx (the shipped configuration) -> lodpub or the DSpace UI."""

from __future__ import annotations

import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from rdflib import Graph, URIRef

from tests.servers import start_server
from tests.conftest import ROOT
from tests.servers import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DSPACE_PAGE = b"<!DOCTYPE html><html><head><title>DSpace</title></head><body><h1>DSpace item page</h1></body></html>"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


class Static(ThreadingHTTPServer):
    """Either the Handle proxy (302 to the repository) or the DSpace UI (static HTML)."""

    def __init__(self, redirect_to: str | None = None) -> None:
        parent = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                parent.paths.append(self.path)
                if parent.redirect_to is not None:
                    self.send_response(302)
                    self.send_header("Location", parent.redirect_to + self.path.lstrip("/"))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(DSPACE_PAGE)))
                self.end_headers()
                self.wfile.write(DSPACE_PAGE)

        super().__init__(("127.0.0.1", 0), Handler)
        self.redirect_to = redirect_to
        self.paths: list[str] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"
        threading.Thread(target=self.serve_forever, daemon=True).start()


def nginx_config(tmp: Path, port: int, lodpub_port: int, dspace_port: int) -> Path:
    """The shipped server block, pointed at this test's ports, in a minimal nginx.conf."""
    block = (ROOT / "deploy" / "nginx" / "lodpub.conf").read_text("utf-8")
    block = block.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{lodpub_port};").replace("server 127.0.0.1:4000;", f"server 127.0.0.1:{dspace_port};")
    block = block.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    (tmp / "lodpub.conf").write_text(block, "utf-8")
    for d in ("client", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / d).mkdir(exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(f"""daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {tmp}/lodpub.conf;
}}
""", "utf-8")
    return conf


@pytest.fixture(params=["dspace7", "dspace6"])
def stack(request, published, tmp_path):
    lodpub = start_server(published)
    dspace = Static()
    port = free_port()
    conf = nginx_config(tmp_path, port, int(lodpub.url.rsplit(":", 1)[1]), dspace.server_address[1])
    check = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/" + ("xmlui/" if request.param == "dspace6" else "")
    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{port}/void", timeout=1)
            break
        except requests.RequestException:
            import time

            time.sleep(0.05)
    handle_proxy = Static(redirect_to=base + "handle/")
    try:
        yield {"handle": handle_proxy.url + "11250/132277", "nginx": f"http://127.0.0.1:{port}", "dspace": dspace, "base": base}
    finally:
        nginx.terminate()
        nginx.wait(10)
        for s in (handle_proxy, dspace):
            s.shutdown()
            s.server_close()
        lodpub.stop()


def test_handle_uri_dereferences_to_data_and_browsers_get_dspace(stack):
    url = stack["handle"]
    curl = subprocess.run(["curl", "-sSL", "-H", "Accept: text/turtle", url], capture_output=True, text=True, timeout=30) if shutil.which("curl") else None
    if curl is not None:
        assert curl.returncode == 0 and "<https://hdl.handle.net/11250/132277>" in curl.stdout
    ttl = requests.get(url, headers={"Accept": "text/turtle"}, timeout=10)
    assert ttl.status_code == 200 and ttl.headers["Content-Type"].startswith("text/turtle") and "Vary" in ttl.headers and "Accept" in ttl.headers["Vary"]
    g = Graph().parse(url)
    assert (URIRef("https://hdl.handle.net/11250/132277"), URIRef("http://purl.org/dc/terms/title"), None) in g
    jsonld = requests.get(url, headers={"Accept": "application/ld+json;q=0.9, text/html;q=0.8"}, timeout=10)
    assert jsonld.headers["Content-Type"].startswith("application/ld+json") and jsonld.json()["@graph"]
    page = requests.get(url, headers={"Accept": BROWSER}, timeout=10)
    assert page.status_code == 200 and page.content == DSPACE_PAGE and "Accept" in page.headers["Vary"]
    assert stack["dspace"].paths[-1].endswith("handle/11250/132277")
    prefer_html = requests.get(url, headers={"Accept": "text/html;q=0.9, text/turtle;q=0.8"}, timeout=10)
    assert prefer_html.content == DSPACE_PAGE


def test_vocabulary_dumps_and_suffix_urls_go_to_lodpub(stack):
    nginx = stack["nginx"]
    concept = requests.get(nginx + "/vocab/vdp/242", headers={"Accept": "text/turtle"}, timeout=10)
    assert concept.status_code == 200 and "skos:prefLabel" in concept.text and "Accept" in concept.headers["Vary"]
    assert requests.get(nginx + "/dumps/items.nt.gz", timeout=10).status_code == 200
    assert "void:Dataset" in requests.get(nginx + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=10).text
    suffix = requests.get(stack["base"] + "handle/11250/132277.ttl", headers={"Accept": BROWSER}, timeout=10)
    assert suffix.headers["Content-Type"].startswith("text/turtle")
    sparql = requests.get(nginx + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert sparql.json()["boolean"] is True


def test_html_redirect_option(published):
    server = start_server(published, "--html-redirect", "https://brage.example.no/handle/{handle}")
    try:
        r = requests.get(server.url + "/handle/11250/132277", headers={"Accept": BROWSER}, allow_redirects=False, timeout=10)
        assert r.status_code == 303 and r.headers["Location"] == "https://brage.example.no/handle/11250/132277"
        data = requests.get(server.url + "/handle/11250/132277", headers={"Accept": "text/turtle"}, allow_redirects=False, timeout=10)
        assert data.status_code == 200
    finally:
        server.stop()
