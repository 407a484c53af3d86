"""Item pages copied as text from a DSpace UI: "full item record" and "simple item record".

Three forms:

* **tab-separated** (copied table cells): ``field<TAB>value<TAB>language``;
* **glued** (copied text, the seed record): ``dc.subjectklyngeen`` is field + value +
  language with no separator at all;
* **simple item record**: a label line ("Forfatter", "Sammendrag", ...) then value lines.

Page text around the metadata (titles, "Files in this item", collection lists) is
ignored. A line that does not start with a field name continues the previous value
(multi-line descriptions), unless it is page text (``chrome`` in ``item_page.toml``).

The glued form is ambiguous: ``dc.subjectBergen`` could be ``Berg`` + ``en``. We decide
with the DSpace field registry (the longest registered field name that starts the line;
fields DSpace never tags with a language keep their whole tail) and with the record's
own evidence: a two-letter code is *not* split off when the unsplit tail ("Bergen") occurs
as a word in another value of the same record and the split one ("Berg") does not.
Such a decision is reported, so a person can check it.
"""

from __future__ import annotations

import io
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import SourceError
from ..handles import handle_from_uri
from ..record import Record, Source, parse_key
from ..report import Report
from .values import make_fields

_FIELD_START = re.compile(r"^([a-z][a-z0-9]*)\.([a-z][a-z0-9]*)")


@dataclass(frozen=True)
class PageKnowledge:
    fields: tuple[str, ...]  # longest first
    untagged: frozenset[str]
    suffixes: tuple[str, ...]
    chrome: tuple[str, ...]
    labels: dict[str, tuple[str, str]]
    skip_labels: frozenset[str]


@cache
def knowledge() -> PageKnowledge:
    data: dict[str, Any] = tomllib.loads((Path(__file__).with_name("item_page.toml")).read_text("utf-8"))
    return PageKnowledge(
        fields=tuple(sorted(data["fields"], key=len, reverse=True)),
        untagged=frozenset(data["untagged"]),
        suffixes=tuple(sorted(data["language_suffixes"], key=len, reverse=True)),
        chrome=tuple(data["chrome"]),
        labels={k: (v[0], v[1]) for k, v in data["labels"].items()},
        skip_labels=frozenset(data["skip_labels"]),
    )


def _lines(source: BinaryIO, name: str) -> list[tuple[int, str]]:
    """Decode the page. A page is one record of a few KB: it is read whole, by design."""
    text = io.TextIOWrapper(source, encoding="utf-8-sig", errors="strict", newline=None)  # type: ignore[arg-type]
    out = []
    number = 0
    try:
        for number, line in enumerate(text, start=1):
            out.append((number, line.rstrip("\n")))
    except UnicodeDecodeError as exc:
        raise SourceError(name, f"line {number + 1}", f"not UTF-8 ({exc.reason}); save the page as UTF-8") from exc
    finally:
        text.detach()
    if not any(line.strip() for _, line in out):
        raise SourceError(name, None, "the file is empty")
    return out


def field_name_at(line: str) -> str | None:
    """The registered DSpace field name the line starts with (longest wins)."""
    k = knowledge()
    if "\t" in line:
        head = line.split("\t", 1)[0].strip()
        return head if _FIELD_START.match(head) and re.fullmatch(r"[a-z0-9]+(\.[a-zA-Z0-9_]+){1,2}", head) else None
    for name in k.fields:
        if line.startswith(name) and not (len(line) > len(name) and line[len(name)] == "." and line[len(name) + 1 : len(name) + 2].islower()):
            return name
    return None


def read_item_page(source: BinaryIO, *, report: Report, name: str | None = None) -> Iterator[Record]:
    """Yield the one record on a copied item page (full or simple form)."""
    name = name or getattr(source, "name", "<page>")
    lines = _lines(source, name)
    if any(field_name_at(line) for _, line in lines):
        record = _read_full(lines, name, report)
    else:
        record = _read_simple(lines, name, report)
    if record is not None:
        yield record


def _is_chrome(line: str) -> bool:
    s = line.strip()
    return any(s.startswith(c) for c in knowledge().chrome)


def _read_full(lines: list[tuple[int, str]], name: str, report: Report) -> Record | None:
    # Group lines into entries: a field line plus the continuation lines after it.
    entries: list[tuple[int, str, list[str]]] = []
    ended = False
    for number, line in lines:
        field = field_name_at(line)
        if field is not None:
            entries.append((number, field, [line[len(field):] if "\t" not in line else line.split("\t", 1)[1]]))
            ended = False
        elif entries and not ended:
            if not line.strip() or _is_chrome(line):
                ended = True
                continue
            entries[-1][2].append(line)
    # A blank line or page text ends the last value, but lines *between* two fields
    # always belong to the value before them.
    tabbed = any("\t" in line for _, line in lines if field_name_at(line))
    tails = ["\n".join(parts) for _, _, parts in entries]
    raw = []
    for (number, field, _parts), tail in zip(entries, tails):
        schema, element, qualifier = parse_key(field)
        if tabbed:
            value, _, lang = tail.rpartition("\t") if "\t" in tail else (tail, "", "")
            language = lang.strip() or None
        else:
            value, language = _split_glued(field, tail, tails, number, name, report)
        raw.append((schema, element, qualifier, value, language, None, None))
    fields = make_fields(raw)
    handle = next((h for h in (handle_from_uri(f.value) for f in fields if f.key == "dc.identifier.uri") if h), None)
    if handle is None:
        report.error("no dc.identifier.uri with a handle on the page: skipped", source=name, field="dc.identifier.uri")
        return None
    return Record(handle, source=Source(file=name, position=f"lines {entries[0][0]}-{entries[-1][0]}", format_="item-page-tabs" if tabbed else "item-page-glued"), fields=fields)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def _split_glued(field: str, tail: str, all_tails: list[str], line: int, name: str, report: Report) -> tuple[str, str | None]:
    k = knowledge()
    if field in k.untagged:
        return tail, None
    stripped = tail.rstrip()
    for code in k.suffixes:
        if not stripped.endswith(code) or len(stripped) == len(code):
            continue
        value = stripped[: -len(code)]
        if len(code) == 2:
            # The record's own evidence: "Bergen" elsewhere in the record, "Berg" nowhere.
            others = set().union(*(_words(t) for t in all_tails if t is not tail))
            last_full = re.findall(r"\w+$", stripped)
            last_cut = re.findall(r"\w+$", value)
            if last_full and last_full[0] in others and not (last_cut and last_cut[0] in others):
                report.info(
                    f"glued value {stripped!r}: read as {stripped!r} with no language, not {value!r}@{code}, because {last_full[0]!r} occurs elsewhere in the record",
                    source=name, position=f"line {line}", field=field, code="ambiguous-glued-language",
                )
                return stripped, None
        return value, code
    return stripped, None


def _read_simple(lines: list[tuple[int, str]], name: str, report: Report) -> Record | None:
    k = knowledge()
    raw: list[tuple[str, str, str | None, str, str | None, str | None, int | None]] = []
    current: tuple[str, str] | None = None
    skipping = False
    buffer: list[str] = []
    title: str | None = None

    def flush() -> None:
        nonlocal buffer
        if current and buffer:
            schema, element, qualifier = parse_key(current[0])
            values = buffer if current[1] == "each" else ["\n".join(buffer)]
            raw.extend((schema, element, qualifier, v, None, None, None) for v in values)
        buffer = []

    for _number, line in lines:
        s = line.strip()
        if not s:
            continue
        if title is None:
            title = s
            continue
        if s in k.labels:
            flush()
            current, skipping = k.labels[s], False
        elif s in k.skip_labels:
            flush()
            current, skipping = None, True
        elif current and not skipping:
            buffer.append(s)
    flush()
    if title:
        raw.insert(0, ("dc", "title", None, title, None, None, None))
    fields = make_fields(raw)
    handle = next((h for h in (handle_from_uri(f.value) for f in fields if f.key == "dc.identifier.uri") if h), None)
    if handle is None:
        report.error("no handle (no 'Permanent lenke' / 'URI' line) on the page: skipped", source=name)
        return None
    report.info("simple item record page: field names come from the page's labels; languages are unknown", source=name, handle=handle)
    return Record(handle, source=Source(file=name, position="page", format_="item-page-simple"), fields=fields)
