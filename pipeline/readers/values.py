"""Cleaning of raw metadata values, shared by every reader so that all forms agree."""

from __future__ import annotations

import re

from ..record import Field

# Fields whose line breaks are paragraph breaks worth keeping.
MULTILINE_FIELDS = frozenset(
    {
        "dc.description",
        "dc.description.abstract",
        "dc.description.provenance",
        "dc.description.tableofcontents",
        "dc.description.sponsorship",
    }
)

_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ANY_SPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


_ODD_SPACE = re.compile(r"[^\S ]")


def normalise_value(key: str, raw: str) -> str:
    """Collapse whitespace; keep line and paragraph breaks in descriptive fields."""
    if "  " not in raw and raw == raw.strip() and (raw.isprintable() or not _ODD_SPACE.search(raw)):
        return raw  # the common case, decided by C-level string methods
    if key not in MULTILINE_FIELDS:
        return _ANY_SPACE.sub(" ", raw).strip()
    lines = [_SPACES.sub(" ", line).strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def parse_confidence(raw: str | int | None) -> int | None:
    """DSpace confidence as an int; ``None`` for absent or unparseable values."""
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def make_fields(
    raw: list[tuple[str, str, str | None, str, str | None, str | None, int | None]],
) -> tuple[Field, ...]:
    """Build Fields from (schema, element, qualifier, value, language, authority, confidence),
    numbering ``place`` per field name in source order and dropping empty values."""
    places: dict[str, int] = {}
    out = []
    for schema, element, qualifier, value, language, authority, confidence in raw:
        key = f"{schema}.{element}.{qualifier}" if qualifier else f"{schema}.{element}"
        value = normalise_value(key, value)
        if not value:
            continue
        place = places.get(key, 0)
        places[key] = place + 1
        out.append(Field(schema, element, qualifier, value, language, authority or None, confidence, place))
    return tuple(out)
