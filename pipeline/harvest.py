"""OAI-PMH harvesting: pages kept on disk as they arrive, resumable, incremental.

Spec: https://www.openarchives.org/OAI/openarchivesprotocol.html

* Identify, ListMetadataFormats, ListSets; ListRecords in ``dim`` when the repository
  offers it (DSpace's own model, with languages and authorities), else xoai, qdc, oai_dc.
* Resumption tokens are opaque; an empty token ends the list (spec 3.5); DSpace's
  page-index ``cursor`` is ignored. ``noRecordsMatch`` means nothing new.
* Every page is written (gzip) before the token in it is used, and the state file is
  updated after: a harvest killed at any point resumes with the next page, and
  conversion can be rerun from the pages without harvesting again.
* Incremental: the ``responseDate`` of a completed harvest's first page becomes the next
  run's ``from``, at the repository's granularity.
* HTTP 503 with ``Retry-After`` (seconds or an HTTP date) is honoured, capped; connection
  errors, timeouts, 5xx and truncated pages are retried with exponential backoff and
  jitter, a bounded number of times. ``badResumptionToken`` restarts the list from the
  run's checkpoint (its ``from``), setting the pages fetched so far aside.
"""

from __future__ import annotations

import email.utils
import gzip
import io
import json
import logging
import os
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests
from lxml import etree

from . import __version__
from .errors import BadResumptionToken, CannotDisseminateFormat, HarvestError, LodpubError, OAIError
from .readers.oai import OAI, OAIPage, read_oai
from .readers.xml import checked_stream
from .report import Report

logger = logging.getLogger(__name__)
PREFERRED_PREFIXES = ("dim", "xoai", "qdc", "oai_dc")
USER_AGENT = f"lodpub/{__version__} (+https://w3id.org/lodpub; OAI-PMH harvester)"


@dataclass
class Identify:
    repository_name: str
    base_url: str
    granularity: str  # YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ
    earliest_datestamp: str
    deleted_record: str


@dataclass
class HarvestState:
    """What survives between runs, in ``<out>/state.json``."""

    url: str = ""
    metadata_prefix: str = ""
    set_: str | None = None
    last_harvest: str | None = None  # responseDate of the last completed run: the next `from`
    granularity: str = "YYYY-MM-DDThh:mm:ssZ"
    run: int = 0  # the current (or last) run's number
    from_: str | None = None
    until: str | None = None
    token: str | None = None  # set while a run is under way
    pages: int = 0  # pages written in the current run
    records: int = 0
    run_started: str | None = None  # responseDate of the run's first page
    complete: bool = True

    @classmethod
    def load(cls, path: Path) -> HarvestState:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text("utf-8"))
        return cls(**data)

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), "utf-8")
        os.replace(tmp, path)


@dataclass
class HarvestResult:
    run_dir: Path
    pages: list[Path] = field(default_factory=list)
    records: int = 0
    deleted: int = 0
    requests: int = 0


class OAIClient:
    """A polite OAI-PMH client on requests: one Session, retries, a delay between requests."""

    def __init__(self, base_url: str, *, timeout: float = 60, delay: float = 0.0, retries: int = 5, backoff: float = 1.0,
                 max_wait: float = 600, session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url
        self.timeout, self.delay, self.retries, self.backoff, self.max_wait = timeout, delay, retries, backoff, max_wait
        self.http = session or requests.Session()
        self.http.headers["User-Agent"] = USER_AGENT
        self.sleep = sleep
        self.requests = 0
        self._last = 0.0

    def get(self, params: dict[str, str]) -> bytes:
        """One OAI-PMH request, retried on what is worth retrying; the body checked as XML.

        Raises:
            HarvestError: the endpoint does not answer, or answers something that is not OAI-PMH.
        """
        attempt = 0
        while True:
            wait = self.delay - (time.monotonic() - self._last)
            if wait > 0:
                self.sleep(wait)
            self._last = time.monotonic()
            self.requests += 1
            problem: str
            try:
                r = self.http.get(self.base_url, params=params, timeout=self.timeout)
            except requests.Timeout:
                problem, retry_after = f"no answer within {self.timeout:g} s", None
            except requests.ConnectionError as exc:
                problem, retry_after = f"connection failed: {exc.__class__.__name__}", None
            else:
                if r.status_code == 200:
                    body = r.content
                    fault = _xml_fault(body)
                    head = body[:3000].lower()
                    if b"<html" in head or (fault is None and b"oai-pmh" not in head):
                        raise HarvestError(f"{self.base_url} is not an OAI-PMH endpoint: it answered {r.headers.get('Content-Type', '?')}, not an OAI-PMH response")
                    if fault is None:
                        return body
                    problem, retry_after = f"invalid XML ({fault})", None
                elif r.status_code == 503 or r.status_code >= 500:
                    problem, retry_after = f"HTTP {r.status_code}", _retry_after(r.headers.get("Retry-After"))
                else:
                    raise HarvestError(f"{self.base_url} answered HTTP {r.status_code} to {params.get('verb')}: is this the OAI-PMH base URL (…/oai/request)?")
            attempt += 1
            if attempt > self.retries:
                raise HarvestError(f"{self.base_url}: {problem}, {self.retries} retries used up")
            wait = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1) * (0.5 + random.random())
            wait = min(wait, self.max_wait)
            logger.warning("%s: %s; retry %d/%d in %.1f s", self.base_url, problem, attempt, self.retries, wait)
            self.sleep(wait)

    def identify(self) -> Identify:
        root = _parse(self.get({"verb": "Identify"}), self.base_url)
        node = root.find(f"{{{OAI}}}Identify")
        if node is None:
            raise HarvestError(f"{self.base_url}: Identify answered without an Identify element")

        def text(tag: str) -> str:
            return (node.findtext(f"{{{OAI}}}{tag}") or "").strip()

        return Identify(text("repositoryName"), text("baseURL"), text("granularity") or "YYYY-MM-DD", text("earliestDatestamp"), text("deletedRecord"))

    def metadata_formats(self) -> list[str]:
        root = _parse(self.get({"verb": "ListMetadataFormats"}), self.base_url)
        return [(e.text or "").strip() for e in root.iter(f"{{{OAI}}}metadataPrefix")]

    def sets(self) -> list[tuple[str, str]]:
        out = []
        params = {"verb": "ListSets"}
        while True:
            root = _parse(self.get(params), self.base_url)
            for s in root.iter(f"{{{OAI}}}set"):
                out.append(((s.findtext(f"{{{OAI}}}setSpec") or "").strip(), (s.findtext(f"{{{OAI}}}setName") or "").strip()))
            token = (root.findtext(f".//{{{OAI}}}resumptionToken") or "").strip()
            if not token:
                return out
            params = {"verb": "ListSets", "resumptionToken": token}


def _xml_fault(body: bytes) -> str | None:
    try:
        etree.parse(io.BytesIO(bytes(checked_stream(io.BytesIO(body), "response").read())), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError as exc:
        return exc.msg
    except LodpubError as exc:
        return str(exc)
    return None


def _parse(body: bytes, url: str) -> etree._Element:
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    error = root.find(f"{{{OAI}}}error")
    if error is not None:
        from .errors import OAI_ERRORS

        raise OAI_ERRORS.get(error.get("code", ""), OAIError)((error.text or "").strip())
    return root


def _retry_after(value: str | None) -> float | None:
    """Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def choose_prefix(offered: list[str], wanted: str | None) -> str:
    if wanted:
        if wanted not in offered:
            raise CannotDisseminateFormat(f"the repository does not offer metadataPrefix {wanted!r}; it offers {', '.join(offered)}")
        return wanted
    for prefix in PREFERRED_PREFIXES:
        if prefix in offered:
            return prefix
    raise HarvestError(f"the repository offers none of the formats lodpub reads ({', '.join(PREFERRED_PREFIXES)}); it offers {', '.join(offered)}")


def at_granularity(stamp: str, granularity: str) -> str:
    return stamp[:10] if granularity == "YYYY-MM-DD" else stamp


def harvest(
    url: str,
    out: Path,
    *,
    prefix: str | None = None,
    set_: str | None = None,
    from_: str | None = None,
    until: str | None = None,
    client: OAIClient | None = None,
    on_page: Callable[[HarvestState, OAIPage], None] | None = None,
) -> HarvestResult:
    """Harvest ListRecords into ``out``; resume an interrupted run; incremental after a complete one."""
    out.mkdir(parents=True, exist_ok=True)
    client = client or OAIClient(url)
    state_path = out / "state.json"
    state = HarvestState.load(state_path)
    if state.url and state.url != url:
        raise HarvestError(f"{out} holds a harvest of {state.url}; use another directory for {url}")
    resuming = not state.complete and state.token is not None
    if not resuming:
        identify = client.identify()
        offered = client.metadata_formats()
        state.url, state.granularity = url, identify.granularity
        state.metadata_prefix = choose_prefix(offered, prefix or (state.metadata_prefix or None))
        state.set_ = set_ if set_ is not None else state.set_
        state.run += 1
        state.from_ = from_ or (at_granularity(state.last_harvest, state.granularity) if state.last_harvest else None)
        state.until = until
        state.token, state.pages, state.records, state.run_started, state.complete = None, 0, 0, None, False
        state.save(state_path)
    run_dir = out / "pages" / f"run-{state.run:04d}"
    run_dir.mkdir(parents=True, exist_ok=True)
    result = HarvestResult(run_dir)
    while True:
        params = {"verb": "ListRecords", "resumptionToken": state.token} if state.token else _first_params(state)
        try:
            body = client.get(params)
            page = OAIPage()
            records = list(read_oai(io.BytesIO(body), report=Report(), name=f"page {state.pages + 1}", page=page))
        except BadResumptionToken:
            logger.warning("badResumptionToken: restarting the list from %s", state.from_ or "the beginning")
            aside = out / "pages" / f"run-{state.run:04d}-superseded-{int(time.time())}"
            shutil.move(str(run_dir), aside)
            run_dir.mkdir(parents=True)
            state.token, state.pages, state.records = None, 0, 0
            state.save(state_path)
            continue
        if page.error_code == "noRecordsMatch":
            state.run_started = state.run_started or page.response_date
            break
        state.pages += 1
        path = run_dir / f"page-{state.pages:06d}.xml.gz"
        tmp = path.with_suffix(".tmp")
        with gzip.open(tmp, "wb", compresslevel=6) as f:
            f.write(body)
        os.replace(tmp, path)
        state.records += len(records)
        state.run_started = state.run_started or page.response_date
        state.token = page.resumption_token
        state.save(state_path)
        if on_page:
            on_page(state, page)
        if page.last:
            break
    state.complete, state.token = True, None
    state.last_harvest = state.run_started
    state.save(state_path)
    result.pages = sorted(run_dir.glob("page-*.xml.gz"))
    result.records = state.records
    result.requests = client.requests
    return result


def _first_params(state: HarvestState) -> dict[str, str]:
    params = {"verb": "ListRecords", "metadataPrefix": state.metadata_prefix}
    if state.set_:
        params["set"] = state.set_
    if state.from_:
        params["from"] = state.from_
    if state.until:
        params["until"] = state.until
    return params
