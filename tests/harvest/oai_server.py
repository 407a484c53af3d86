"""A real OAI-PMH server on 127.0.0.1 for the harvester tests, built from the shared sample pages.

The list is the two sample ``oai_dc`` pages (A, B, deleted E; then C, D) joined by the
sample's own resumption token. A request with ``from`` gets the ``changes`` page.
``faults`` injects, per page, what a flaky endpoint does: 503 with Retry-After, a dropped
connection, a truncated page, badResumptionToken, a response slower than the timeout.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from tests.conftest import SAMPLES

OAI_HEAD = '<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>{date}</responseDate><request verb="{verb}">http://127.0.0.1/oai</request>'
PAGE1 = (SAMPLES / "oai_dc_listrecords_page1.xml").read_bytes()
PAGE2 = (SAMPLES / "oai_dc_listrecords_page2.xml").read_bytes()
TOKEN = "oai_dc///com_11250_2990000/3"

CHANGES = (OAI_HEAD.format(date="2024-04-01T10:00:00Z", verb="ListRecords") + "<ListRecords>"
           "<record><header><identifier>oai:brage.example.no:11250/2990101</identifier><datestamp>2024-03-20T09:00:00Z</datestamp></header><metadata>"
           '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           "<dc:title>Klynger i offentlig forvaltning: En ny studie av kommunesamarbeid i Nordfjord</dc:title><dc:creator>Haugland, Ingrid Marie</dc:creator>"
           "<dc:date>2019-06</dc:date><dc:type>Master thesis</dc:type><dc:identifier>https://hdl.handle.net/11250/2990101</dc:identifier><dc:language>nob</dc:language>"
           "</oai_dc:dc></metadata></record>"
           '<record><header status="deleted"><identifier>oai:brage.example.no:11250/2990102</identifier><datestamp>2024-03-21T09:00:00Z</datestamp></header></record>'
           '<resumptionToken completeListSize="2" cursor="0"/></ListRecords></OAI-PMH>').encode()


class OAIServer:
    def __init__(self) -> None:
        self.faults: dict[str, list[str]] = {}
        self.requests: list[dict[str, str]] = []
        self.hold_page2 = threading.Event()
        self.hold_page2.set()
        self.page2_requested = threading.Event()
        self.slow_seconds = 3.0
        self.offer = ["oai_dc"]
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                params = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                server.requests.append(params)
                verb = params.get("verb")
                if urlparse(self.path).path != "/oai":
                    return self.send(200, b"<html><body>Welcome to DSpace</body></html>", "text/html")
                if verb == "Identify":
                    return self.send(200, (OAI_HEAD.format(date="2024-03-05T09:00:00Z", verb="Identify") +
                                           "<Identify><repositoryName>Test</repositoryName><baseURL>http://127.0.0.1/oai</baseURL><protocolVersion>2.0</protocolVersion>"
                                           "<adminEmail>a@example.no</adminEmail><earliestDatestamp>2001-01-01T00:00:00Z</earliestDatestamp>"
                                           "<deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify></OAI-PMH>").encode())
                if verb == "ListMetadataFormats":
                    formats = "".join(f"<metadataFormat><metadataPrefix>{p}</metadataPrefix><schema>x</schema><metadataNamespace>y</metadataNamespace></metadataFormat>" for p in server.offer)
                    return self.send(200, (OAI_HEAD.format(date="2024-03-05T09:00:00Z", verb="ListMetadataFormats") + f"<ListMetadataFormats>{formats}</ListMetadataFormats></OAI-PMH>").encode())
                if verb != "ListRecords":
                    return self.send(200, (OAI_HEAD.format(date="2024-03-05T09:00:00Z", verb=str(verb)) + '<error code="badVerb">no</error></OAI-PMH>').encode())
                if params.get("metadataPrefix") and params["metadataPrefix"] not in server.offer:
                    return self.send(200, (OAI_HEAD.format(date="2024-03-05T09:00:00Z", verb="ListRecords") + '<error code="cannotDisseminateFormat">no</error></OAI-PMH>').encode())
                if "from" in params:
                    return self.send(200, CHANGES)
                name = "page2" if params.get("resumptionToken") == TOKEN else "page1" if "resumptionToken" not in params else "bad"
                if name == "bad":
                    return self.send(200, (OAI_HEAD.format(date="2024-03-05T09:00:00Z", verb="ListRecords") + '<error code="badResumptionToken">unknown</error></OAI-PMH>').encode())
                if name == "page2":
                    server.page2_requested.set()
                    server.hold_page2.wait(30)
                fault = server.faults.get(name, []).pop(0) if server.faults.get(name) else None
                body = PAGE1 if name == "page1" else PAGE2
                if fault == "503":
                    return self.send(503, b"busy", "text/plain", {"Retry-After": "1"})
                if fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return None
                if fault == "truncate":
                    return self.send(200, body[: len(body) // 2])
                if fault == "slow":
                    time.sleep(server.slow_seconds)
                if fault == "badtoken":
                    return self.send(200, (OAI_HEAD.format(date="2024-03-05T09:00:00Z", verb="ListRecords") + '<error code="badResumptionToken">expired</error></OAI-PMH>').encode())
                return self.send(200, body)

            def send(self, status: int, body: bytes, ctype: str = "text/xml; charset=utf-8", headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/oai"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.hold_page2.set()
        self.httpd.shutdown()
        self.httpd.server_close()
