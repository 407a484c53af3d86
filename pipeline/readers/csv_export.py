"""DSpace metadata CSV export (bulk edit), as written by ``dspace metadata-export``.

Headings are ``id``, ``collection``, then ``schema.element[.qualifier][lang]`` sorted;
``[lang]`` is a language, ``[]`` the empty string, ``[*]`` the wildcard and no suffix
no language at all. Cells hold several values split by ``||``; a value with an
authority is ``value::authority::confidence``, split from the right only when the last
part is an integer (titles may contain ``::``). ``id`` is the item UUID; the handle
comes from ``dc.identifier.uri``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import SourceError
from ..handles import handle_from_uri
from ..record import Record, Source
from ..report import Report
from .values import make_fields, parse_confidence

_HEADING = re.compile(r"^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))?(?:\[([^\]]*)\])?$")
_CONFIDENCE = re.compile(r"^-?\d+$")
_SPECIAL = frozenset({"id", "collection", "action", "rowname"})

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

Column = tuple[str, str, str | None, str | None] | None


def parse_heading(heading: str) -> Column:
    """``dc.title[en_US]`` -> ("dc", "title", None, "en_US"); ``None`` if not a field."""
    m = _HEADING.match(heading.strip())
    if not m:
        return None
    schema, element, qualifier, lang = m.groups()
    return schema, element, qualifier, lang


def split_authority(part: str) -> tuple[str, str | None, int | None]:
    """``Lunde, Sigrid::7a1c...::600`` -> value, authority, confidence."""
    pieces = part.rsplit("::", 2)
    if len(pieces) == 3 and _CONFIDENCE.match(pieces[2].strip()):
        return pieces[0], pieces[1].strip() or None, parse_confidence(pieces[2].strip())
    return part, None, None


def read_csv_export(source: BinaryIO, *, report: Report, name: str | None = None) -> Iterator[Record]:
    """Yield one Record per CSV row.

    Raises:
        SourceError: the file is empty, not UTF-8, or has no usable heading row.
    """
    name = name or getattr(source, "name", "<csv>")
    text = io.TextIOWrapper(source, encoding="utf-8-sig", errors="strict", newline="")  # type: ignore[arg-type]
    reader = csv.reader(text)
    try:
        try:
            headings = next(reader)
        except StopIteration:
            raise SourceError(name, None, "the file is empty") from None
        columns = [parse_heading(h) if h.strip().lower() not in _SPECIAL else None for h in headings]
        lowered = [h.strip().lower() for h in headings]
        if not any(columns):
            raise SourceError(name, "line 1", "no DSpace field headings (schema.element[.qualifier][lang]) in the first row")
        for h, c in zip(headings, columns):
            if c is None and h.strip().lower() not in _SPECIAL and h.strip():
                report.warning(f"heading {h!r} is not a DSpace field name: column ignored", source=name, position="line 1")
        id_col = lowered.index("id") if "id" in lowered else None
        coll_col = lowered.index("collection") if "collection" in lowered else None
        line_before = reader.line_num
        for row in reader:
            start = line_before + 1
            line_before = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            position = f"line {start}"
            if len(row) != len(headings):
                extra_empty = len(row) > len(headings) and not any(c.strip() for c in row[len(headings):])
                if not extra_empty:
                    report.error(f"row has {len(row)} cells but the heading has {len(headings)}: row skipped", source=name, position=position)
                    continue
            record = _row_to_record(row, columns, id_col, coll_col, name, position, report)
            if record is not None:
                yield record
    except UnicodeDecodeError as exc:
        raise SourceError(name, f"after line {reader.line_num}", f"not UTF-8 ({exc.reason} at byte value {exc.object[exc.start]:#x}); re-export as UTF-8") from exc
    except csv.Error as exc:
        raise SourceError(name, f"line {reader.line_num}", f"malformed CSV: {exc}") from exc
    finally:
        text.detach()


def _row_to_record(row: list[str], columns: list[Column], id_col: int | None, coll_col: int | None, name: str, position: str, report: Report) -> Record | None:
    raw = []
    for cell, column in zip(row, columns):
        if column is None or not cell.strip():
            continue
        schema, element, qualifier, lang = column
        for part in cell.split("||"):
            if not part.strip():
                continue
            value, authority, confidence = split_authority(part)
            raw.append((schema, element, qualifier, value, lang, authority, confidence))
    fields = make_fields(raw)
    item_id = row[id_col].strip() if id_col is not None and id_col < len(row) else None
    where = position + (f", id {item_id}" if item_id else "")
    handle = next((h for h in (handle_from_uri(f.value) for f in fields if f.key == "dc.identifier.uri") if h), None)
    if handle is None:
        report.error("no handle: dc.identifier.uri is missing or not a handle URI; row skipped", source=name, position=where, field="dc.identifier.uri")
        return None
    sets = tuple(s.strip() for s in row[coll_col].split("||") if s.strip()) if coll_col is not None and coll_col < len(row) else ()
    return Record(handle, source=Source(file=name, position=where, format_="csv"), fields=fields, sets=sets)


