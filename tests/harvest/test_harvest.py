"""The harvester against a real HTTP server on 127.0.0.1 with injected faults."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import time

import pytest

from pipeline.errors import CannotDisseminateFormat, HarvestError
from pipeline.harvest import HarvestState, OAIClient, harvest
from pipeline.readers import read_files
from pipeline.report import Report
from tests.harvest.oai_server import OAIServer
from tests.servers import BIN

ALL = ["11250/2990101", "11250/2990102", "11250/2990103", "11250/2990104", "11250/2990105"]


@pytest.fixture
def oai():
    server = OAIServer()
    yield server
    server.stop()


def harvested(result) -> list[str]:
    return sorted(r.handle for r in read_files(result.pages, report=Report()))


def client(url: str, **kw) -> OAIClient:
    kw.setdefault("timeout", 2)
    kw.setdefault("backoff", 0.05)
    return OAIClient(url, **kw)


def test_clean_harvest_two_pages_every_record_once_and_state(oai, tmp_path):
    result = harvest(oai.url, tmp_path, client=client(oai.url))
    assert harvested(result) == ALL and len(result.pages) == 2
    assert [r for r in read_files(result.pages, report=Report()) if r.deleted][0].handle == "11250/2990105"
    state = HarvestState.load(tmp_path / "state.json")
    assert state.complete and state.last_harvest == "2024-03-05T09:12:44Z" and state.metadata_prefix == "oai_dc"
    assert gzip.decompress(result.pages[0].read_bytes()).startswith(b"<?xml")
    first = [r for r in oai.requests if r.get("verb") == "ListRecords"][0]
    assert first == {"verb": "ListRecords", "metadataPrefix": "oai_dc"}


def test_faults_are_survived_and_every_record_comes_once(oai, tmp_path):
    oai.slow_seconds = 3
    oai.faults = {"page2": ["503", "drop", "truncate", "slow"]}
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        time.sleep(min(s, 0.05))

    result = harvest(oai.url, tmp_path, client=client(oai.url, timeout=1, sleep=sleep))
    assert harvested(result) == ALL
    assert 1.0 in waits  # Retry-After: 1 honoured
    page2_requests = [r for r in oai.requests if r.get("resumptionToken")]
    assert len(page2_requests) == 5  # 503, dropped, truncated, too slow, then the page


def test_retries_are_bounded(oai, tmp_path):
    oai.faults = {"page2": ["503"] * 10}
    with pytest.raises(HarvestError, match="retries used up"):
        harvest(oai.url, tmp_path, client=client(oai.url, retries=3, sleep=lambda s: None))
    assert len([r for r in oai.requests if r.get("resumptionToken")]) == 4


def test_bad_resumption_token_restarts_from_the_checkpoint(oai, tmp_path):
    oai.faults = {"page2": ["badtoken"]}
    result = harvest(oai.url, tmp_path, client=client(oai.url))
    assert harvested(result) == ALL  # once each: the first attempt's pages are set aside
    assert any(p.name.startswith("run-0001-superseded") for p in (tmp_path / "pages").iterdir())
    assert [r.get("resumptionToken") for r in oai.requests if r.get("verb") == "ListRecords"] == [None, "oai_dc///com_11250_2990000/3", None, "oai_dc///com_11250_2990000/3"]


def test_killed_harvest_resumes_at_page_2_without_fetching_page_1(oai, tmp_path):
    oai.hold_page2.clear()
    cmd = [str(BIN / "lodpub"), "harvest", oai.url, "-o", str(tmp_path), "--timeout", "5"]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert oai.page2_requested.wait(30)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    oai.hold_page2.set()
    state = HarvestState.load(tmp_path / "state.json")
    assert not state.complete and state.pages == 1 and state.token == "oai_dc///com_11250_2990000/3"
    oai.requests.clear()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert oai.requests == [{"verb": "ListRecords", "resumptionToken": "oai_dc///com_11250_2990000/3"}]
    pages = sorted((tmp_path / "pages" / "run-0001").glob("page-*.xml.gz"))
    assert sorted(r.handle for r in read_files(pages, report=Report())) == ALL


def test_second_harvest_is_incremental_with_from(oai, tmp_path):
    harvest(oai.url, tmp_path, client=client(oai.url))
    oai.requests.clear()
    result = harvest(oai.url, tmp_path, client=client(oai.url))
    first = [r for r in oai.requests if r.get("verb") == "ListRecords"][0]
    assert first["from"] == "2024-03-05T09:12:44Z"
    records = list(read_files(result.pages, report=Report()))
    assert [(r.handle, r.deleted) for r in records] == [("11250/2990101", False), ("11250/2990102", True)]


def test_clear_errors(oai, tmp_path):
    with pytest.raises(HarvestError, match="not an OAI-PMH endpoint"):
        harvest(oai.url.replace("/oai", "/"), tmp_path / "a", client=client(oai.url.replace("/oai", "/")))
    with pytest.raises(CannotDisseminateFormat, match="offers oai_dc"):
        harvest(oai.url, tmp_path / "b", prefix="dim", client=client(oai.url))
    with pytest.raises(HarvestError, match="HTTP 404|not answer|connection"):
        harvest("http://127.0.0.1:9/oai", tmp_path / "c", client=client("http://127.0.0.1:9/oai", retries=1, sleep=lambda s: None))
    oai.faults = {"page1": ["truncate"] * 10}
    with pytest.raises(HarvestError, match="invalid XML"):
        harvest(oai.url, tmp_path / "d", client=client(oai.url, retries=2, sleep=lambda s: None))


def test_cli_reports_errors_without_traceback(oai, tmp_path):
    r = subprocess.run([str(BIN / "lodpub"), "harvest", oai.url.replace("/oai", "/nothing"), "-o", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 3 and "not an OAI-PMH endpoint" in r.stderr and "Traceback" not in r.stderr
