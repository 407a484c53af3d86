"""DSpace REST JSON: v6 (``/rest/items?expand=metadata``) and v7 (``/server/api/core/items``).

* v6: an item's ``metadata`` is a *list* of ``{key, value, language}`` with repeated
  keys; ``withdrawn`` is the string ``"true"``; a listing is a top-level array,
  streamed item by item (ijson) so a large export is never held whole.
* v7: ``metadata`` is a *map* from field name to ``[{value, language, authority,
  confidence, place}]``; values are ordered by ``place``; ``withdrawn`` is a boolean and
  a withdrawn item shows ``metadata: {}``. Listings come as the discover/search wrapper
  (``_embedded.searchResult._embedded.objects[]._embedded.indexableObject``) or
  ``_embedded.items``; a page of those is small (DSpace caps page size), so a top-level
  object is parsed whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from ..errors import SourceError
from ..handles import clean_handle, handle_from_uri
from ..record import Record, Source, Status
from ..record import parse_key
from ..report import Report
from .values import make_fields, parse_confidence


def read_rest(source: BinaryIO, *, report: Report, name: str | None = None) -> Iterator[Record]:
    """Yield the items of a REST v6 or v7 response.

    Raises:
        SourceError: not JSON, empty, or JSON of a shape no DSpace REST API returns.
    """
    name = name or getattr(source, "name", "<json>")
    first = _peek_first(source, name)
    stream = _Prepend(first, source)
    try:
        if first == b"[":
            for index, item in enumerate(ijson.items(stream, "item", use_float=True), start=1):
                record = _item(item, name, f"item {index}", report)
                if record is not None:
                    yield record
            return
        objects = list(ijson.items(stream, "", use_float=True))
    except ijson.JSONError as exc:
        raise SourceError(name, None, f"not valid JSON: {exc}") from exc
    doc = objects[0] if objects else None
    if not isinstance(doc, dict):
        raise SourceError(name, None, "JSON of the wrong shape: expected a DSpace item, a list of items or a search result")
    items = _items_of(doc)
    if items is None:
        raise SourceError(name, None, "JSON of the wrong shape: no 'metadata', '_embedded.items' or '_embedded.searchResult' found")
    for index, item in enumerate(items, start=1):
        record = _item(item, name, f"item {index}", report)
        if record is not None:
            yield record


def _peek_first(source: BinaryIO, name: str) -> bytes:
    while True:
        c = source.read(1)
        if not c:
            raise SourceError(name, None, "the file is empty")
        if c == b"\xef":  # UTF-8 byte-order mark
            source.read(2)
            continue
        if not c.isspace():
            if c not in b"[{":
                raise SourceError(name, "byte 1", f"not JSON: starts with {c!r}")
            return c


class _Prepend:
    def __init__(self, head: bytes, tail: BinaryIO) -> None:
        self.head, self.tail = head, tail

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes the stream's type with read(0)
            return b""
        head, self.head = self.head, b""
        return head + self.tail.read(size - len(head) if size > 0 else size)


def _items_of(doc: dict[str, Any]) -> list[Any] | None:
    if "metadata" in doc:
        return [doc]
    embedded = doc.get("_embedded")
    if not isinstance(embedded, dict):
        return None
    if isinstance(embedded.get("items"), list):
        return embedded["items"]
    search = embedded.get("searchResult")
    if isinstance(search, dict):
        objects = (search.get("_embedded") or {}).get("objects") or []
        return [((o or {}).get("_embedded") or {}).get("indexableObject") for o in objects]
    return None


def _item(item: Any, name: str, position: str, report: Report) -> Record | None:
    if not isinstance(item, dict) or "metadata" not in item:
        report.error("not a DSpace item (no 'metadata'): skipped", source=name, position=position)
        return None
    metadata = item["metadata"]
    if isinstance(metadata, list):
        raw, version = _v6_fields(metadata, name, position, report), "rest-v6"
    elif isinstance(metadata, dict):
        raw, version = _v7_fields(metadata, name, position, report), "rest-v7"
    else:
        report.error("'metadata' is neither a list (v6) nor a map (v7): skipped", source=name, position=position)
        return None
    fields = make_fields(raw)
    handle = next((h for h in (handle_from_uri(f.value) for f in fields if f.key == "dc.identifier.uri") if h), None)
    if handle is None and isinstance(item.get("handle"), str):
        handle = clean_handle(item["handle"])
    if handle is None:
        report.error("no handle (neither dc.identifier.uri nor 'handle'): skipped", source=name, position=position)
        return None
    withdrawn = item.get("withdrawn") in (True, "true")
    src = Source(file=name, position=position, datestamp=str(item["lastModified"]) if item.get("lastModified") else None, format_=version)
    if withdrawn:
        return Record(handle, Status.DELETED, src, ())
    return Record(handle, Status.LIVE, src, fields)


def _v6_fields(metadata: list[Any], name: str, position: str, report: Report) -> list[Any]:
    raw = []
    for entry in metadata:
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str) or not isinstance(entry.get("value"), str):
            report.warning("metadata entry without a string key and value: skipped", source=name, position=position)
            continue
        try:
            schema, element, qualifier = parse_key(entry["key"])
        except ValueError as exc:
            report.warning(str(exc) + ": value skipped", source=name, position=position, field=entry["key"])
            continue
        lang = entry.get("language")
        raw.append((schema, element, qualifier, entry["value"], lang if isinstance(lang, str) else None, None, None))
    return raw


def _v7_fields(metadata: dict[str, Any], name: str, position: str, report: Report) -> list[Any]:
    raw = []
    for key, values in metadata.items():
        try:
            schema, element, qualifier = parse_key(key)
        except ValueError as exc:
            report.warning(str(exc) + ": field skipped", source=name, position=position, field=key)
            continue
        if not isinstance(values, list):
            report.warning("values are not a list: field skipped", source=name, position=position, field=key)
            continue
        good = [v for v in values if isinstance(v, dict) and isinstance(v.get("value"), str)]
        if len(good) != len(values):
            report.warning("value without a string 'value': skipped", source=name, position=position, field=key)
        good.sort(key=lambda v: v["place"] if isinstance(v.get("place"), int) else 1 << 30)
        for v in good:
            lang = v.get("language")
            confidence = parse_confidence(v.get("confidence"))
            authority = v.get("authority") if isinstance(v.get("authority"), str) else None
            raw.append((schema, element, qualifier, v["value"], lang if isinstance(lang, str) else None, authority, confidence))
    return raw
