"""Safe, streaming XML for the OAI-PMH readers.

DTDs are refused outright: DSpace never sends one, and a DTD is the only way to
smuggle in entity expansion ("billion laughs") or external entities (XXE). The
prolog is checked before lxml sees a byte; lxml itself also runs with
``resolve_entities=False, no_network=True, load_dtd=False``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from ..errors import SourceError

_ROOT_START = re.compile(rb"<(?![!?])")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_PROLOG_LIMIT = 1 << 20


class _Prepended:
    """A read()-able stream that first returns ``head``, then the rest of ``tail``."""

    def __init__(self, head: bytes, tail: BinaryIO) -> None:
        self._head = head
        self._tail = tail

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0 or size >= len(self._head):
                out, self._head = self._head, b""
                if size >= 0:
                    return out
                return out + self._tail.read()
            out, self._head = self._head[:size], self._head[size:]
            return out
        return self._tail.read(size)


def checked_stream(source: BinaryIO, name: str) -> _Prepended:
    """Return ``source`` unchanged in content, after refusing a DTD in its prolog."""
    head = b""
    while True:
        chunk = source.read(65536)
        head += chunk
        m = _ROOT_START.search(head)
        if m or not chunk or len(head) > _PROLOG_LIMIT:
            break
    prolog = head[: m.start()] if m else head
    if _DOCTYPE.search(prolog):
        line = prolog[: _DOCTYPE.search(prolog).start()].count(b"\n") + 1  # type: ignore[union-attr]
        raise SourceError(name, f"line {line}", "XML with a DTD is refused (entity expansion and external entities are not allowed)")
    if not head.strip():
        raise SourceError(name, None, "the file is empty")
    return _Prepended(head, source)


def iter_elements(source: BinaryIO, name: str, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """Yield each element whose tag is in ``tags`` when it ends; free it afterwards.

    Raises:
        SourceError: on malformed XML, naming line and column.
    """
    stream = checked_stream(source, name)
    parser_events = etree.iterparse(
        stream,
        events=("end",),
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, elem in parser_events:
            yield elem
            # Free what has been handled: memory stays flat on a large page.
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise SourceError(name, f"line {line}, column {column}", f"not well-formed XML: {exc.msg}") from exc


def text_of(elem: etree._Element | None) -> str:
    """All text inside an element (mixed content included), or ``""``."""
    if elem is None:
        return ""
    if not len(elem):
        return elem.text or ""
    return "".join(elem.itertext())
