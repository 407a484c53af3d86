"""Find the form of an input from its first bytes, and open any input as Records."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import SourceError
from ..record import Record
from ..report import Report
from .csv_export import read_csv_export
from .item_page import field_name_at, knowledge, read_item_page
from .oai import read_oai
from .rest import read_rest

Reader = Callable[..., Iterator[Record]]

FORMATS: dict[str, Reader] = {
    "oai": read_oai,
    "csv": read_csv_export,
    "rest": read_rest,
    "item-page": read_item_page,
}

_CSV_HEADING = re.compile(r"^\ufeff?(\"?id\"?,|\"?[a-z]+\.[a-z]+(\.[a-z]+)?(\[[^\]]*\])?\"?,)")
_SNIFF_BYTES = 8192
NUL = b"\x00"


def sniff(head: bytes, name: str) -> str:
    """Name the form (a key of ``FORMATS``) of an input whose first bytes are ``head``.

    Raises:
        SourceError: the input is empty, binary, or none of the forms.
    """
    if not head.strip():
        raise SourceError(name, None, "the file is empty")
    if b"\x00" in head:
        raise SourceError(name, f"byte {head.index(NUL) + 1}", "binary data (a NUL byte), not a DSpace export")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "oai"
    if stripped[:1] in (b"[", b"{"):
        return "rest"
    text = head.decode("utf-8", errors="replace")
    lines = text.splitlines()
    if lines and _CSV_HEADING.match(lines[0]):
        return "csv"
    if any(field_name_at(line) for line in lines[:-1] or lines):
        return "item-page"
    if any(line.strip() in knowledge().labels for line in lines):
        return "item-page"
    raise SourceError(name, None, "not a form lodpub reads (OAI-PMH XML, DSpace CSV, REST JSON or an item page as text)")


def read_file(path: str | Path, *, report: Report, from_: str | None = None) -> Iterator[Record]:
    """Yield the Records of one input file; ``from_`` overrides sniffing.

    Raises:
        SourceError: the file cannot be opened, or its form is unknown or unusable.
    """
    name = str(path)
    try:
        raw: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed in finally below
    except OSError as exc:
        raise SourceError(name, None, f"cannot open: {exc.strerror}") from exc
    handle: BinaryIO = raw
    try:
        if name.endswith(".gz"):
            import gzip

            handle = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        head = handle.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(handle, "peek") else b""
        form = from_ or sniff(head, name)
        if form not in FORMATS:
            raise SourceError(name, None, f"unknown input form {form!r}; choose one of {', '.join(FORMATS)}")
        yield from FORMATS[form](handle, report=report, name=name)
    except (OSError, EOFError) as exc:
        raise SourceError(name, None, f"cannot read: {exc}") from exc
    finally:
        handle.close()
        raw.close()


def read_files(paths: list[str] | list[Path], *, report: Report, from_: str | None = None) -> Iterator[Record]:
    """Records of many files in order; an unusable file is reported and the rest go on."""
    for path in paths:
        try:
            yield from read_file(path, report=report, from_=from_)
        except SourceError as exc:
            report.error(exc.why, source=exc.source, position=exc.position)
