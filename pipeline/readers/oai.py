"""OAI-PMH responses (ListRecords, GetRecord) in ``oai_dc``, ``dim``, ``xoai`` and ``qdc``.

Spec: https://www.openarchives.org/OAI/openarchivesprotocol.html#Record

The metadata format of each record is told by the namespace of the element inside
``<metadata>``, so a file needs no label. ``OAIPage`` collects what the harvester
needs beyond the records (resumption token, response date, error code).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree

from ..errors import OAI_ERRORS, OAIError, SourceError
from ..handles import clean_handle, handle_from_oai_identifier, handle_from_uri
from ..record import Bitstream, Record, Source, Status
from ..report import Report
from . import oai_formats
from .xml import iter_elements, text_of

OAI = "http://www.openarchives.org/OAI/2.0/"
_RECORD = f"{{{OAI}}}record"
_TOKEN = f"{{{OAI}}}resumptionToken"
_RESPONSE_DATE = f"{{{OAI}}}responseDate"
_ERROR = f"{{{OAI}}}error"


@dataclass
class OAIPage:
    """What a page says besides its records; filled in while the page is read."""

    response_date: str | None = None
    resumption_token: str | None = None
    complete_list_size: int | None = None
    cursor: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    records: int = 0
    formats: set[str] = field(default_factory=set)

    @property
    def last(self) -> bool:
        """An absent or empty token ends the list (spec 3.5); ``cursor`` is not consulted."""
        return not self.resumption_token


def read_oai(
    source: BinaryIO, *, report: Report, name: str | None = None, page: OAIPage | None = None
) -> Iterator[Record]:
    """Yield the records of one OAI-PMH response page.

    Raises:
        SourceError: the file is not well-formed XML or not an OAI-PMH response.
        OAIError: the response is an OAI error other than ``noRecordsMatch``.
    """
    name = name or getattr(source, "name", "<oai-pmh>")
    page = page if page is not None else OAIPage()
    seen_root = False
    for elem in iter_elements(source, name, (_RECORD, _TOKEN, _RESPONSE_DATE, _ERROR)):
        seen_root = True
        if elem.tag == _RESPONSE_DATE:
            page.response_date = (elem.text or "").strip() or None
        elif elem.tag == _ERROR:
            page.error_code = elem.get("code")
            page.error_message = text_of(elem).strip()
        elif elem.tag == _TOKEN:
            page.resumption_token = (elem.text or "").strip() or None
            size = elem.get("completeListSize")
            page.complete_list_size = int(size) if size and size.isdigit() else None
            page.cursor = elem.get("cursor")
        else:
            page.records += 1
            record = _read_record(elem, name, page.records, report, page)
            if record is not None:
                yield record
    if page.error_code and page.error_code != "noRecordsMatch":
        cls = OAI_ERRORS.get(page.error_code, OAIError)
        raise cls(page.error_message or "")
    if not seen_root:
        raise SourceError(name, None, "not an OAI-PMH response (no responseDate, record or error element)")


def _read_record(elem: etree._Element, name: str, index: int, report: Report, page: OAIPage) -> Record | None:
    position = f"record {index}, line {elem.sourceline}"
    header = elem.find(f"{{{OAI}}}header")
    if header is None:
        report.error("record without a header: skipped", source=name, position=position)
        return None
    identifier = (header.findtext(f"{{{OAI}}}identifier") or "").strip()
    if not identifier:
        report.error("header without an identifier: record skipped", source=name, position=position)
        return None
    datestamp = (header.findtext(f"{{{OAI}}}datestamp") or "").strip() or None
    sets = tuple((s.text or "").strip() for s in header.findall(f"{{{OAI}}}setSpec") if (s.text or "").strip())

    metadata = elem.find(f"{{{OAI}}}metadata")
    payload = next((child for child in metadata if isinstance(child.tag, str)), None) if metadata is not None else None
    format_ = oai_formats.format_of(payload) if payload is not None else None
    if format_:
        page.formats.add(format_)
    src = Source(file=name, position=position, oai_identifier=identifier, datestamp=datestamp, format_=format_)

    if header.get("status") == "deleted":
        handle = handle_from_oai_identifier(identifier)
        if handle is None:
            report.error("deleted header whose identifier holds no handle: skipped", source=name, position=position, value=identifier)
            return None
        return Record(handle, Status.DELETED, src, (), sets)

    if payload is None or format_ is None:
        what = "no metadata" if payload is None else f"unknown metadata format {payload.tag!r}"
        report.error(f"{what}: record skipped", source=name, position=position, value=identifier)
        return None

    fields, extra = oai_formats.read_payload(format_, payload, report=report, source=name, position=position)
    handle = None
    for uri in (f.value for f in fields if f.key == "dc.identifier.uri"):
        handle = handle_from_uri(uri)
        if handle:
            break
    handle = handle or (clean_handle(extra.get("handle", "")) if extra.get("handle") else None)
    handle = handle or handle_from_oai_identifier(identifier)
    if handle is None:
        report.error("no handle in dc.identifier.uri nor in the OAI identifier: record skipped", source=name, position=position, value=identifier)
        return None
    files = tuple(extra.get("files", ()))  # type: ignore[arg-type]
    return Record(handle, Status.LIVE, src, fields, sets, files)


__all__ = ["OAIPage", "read_oai", "Bitstream"]
