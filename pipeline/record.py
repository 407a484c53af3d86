"""The neutral record model every reader produces and the mapping consumes.

It is DSpace's own model (an item is an ordered list of metadata values, each
``schema.element.qualifier`` with a language, an authority key, a confidence and
a place), so no reader has to decide anything about RDF and no mapping has to
know where a record came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Status(str, Enum):
    """Whether a record is in the repository or has been deleted / withdrawn."""

    LIVE = "live"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: a file and a position in it, or an OAI identifier.

    ``position`` is human-readable ("line 12", "record 3", "item 2") so that a report
    can point a repository manager at the right place without knowing the format.
    """

    file: str | None = None
    position: str | None = None
    oai_identifier: str | None = None
    datestamp: str | None = None
    format_: str | None = None

    def describe(self) -> str:
        """Say where the record is, as a person would look for it."""
        parts = []
        if self.file:
            parts.append(self.file + (f" ({self.position})" if self.position else ""))
        if self.oai_identifier:
            parts.append(self.oai_identifier)
        return ", ".join(parts) or "(unknown source)"


@dataclass(frozen=True, slots=True)
class Field:
    """One metadata value, exactly as DSpace holds it.

    ``language`` keeps DSpace's distinction between no language (``None``), the
    empty string ``""`` and ``"*"``; deciding the right tag is the mapping's job.
    ``confidence`` is DSpace's integer (``-1`` = no value, 600 = accepted, ...).
    ``place`` is the value's position among the values of the same field.
    """

    schema: str
    element: str
    qualifier: str | None
    value: str
    language: str | None = None
    authority: str | None = None
    confidence: int | None = None
    place: int = 0
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The DSpace field name, ``dc.contributor.author``; read for every value, so kept.
        object.__setattr__(self, "key", f"{self.schema}.{self.element}.{self.qualifier}" if self.qualifier else f"{self.schema}.{self.element}")


@dataclass(frozen=True, slots=True)
class Bitstream:
    """A file of the item (DSpace ORIGINAL bundle), where the input lists them (xoai)."""

    name: str
    url: str | None = None
    media_type: str | None = None
    size: int | None = None
    checksum: str | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """One DSpace item: a handle, a status, its source and its fields in source order.

    ``sets`` holds OAI setSpecs or the CSV ``collection`` column (owning first).
    """

    handle: str
    status: Status = Status.LIVE
    source: Source = field(default_factory=Source)
    fields: tuple[Field, ...] = ()
    sets: tuple[str, ...] = ()
    files: tuple[Bitstream, ...] = ()

    @property
    def deleted(self) -> bool:
        return self.status is Status.DELETED

    def values(self, key: str) -> list[str]:
        """Return the values of one field (``dc.subject.nsi``) in place order."""
        return [f.value for f in self.fields if f.key == key]

    def to_json(self) -> dict[str, object]:
        """A plain-JSON view, as ``lodpub records`` prints it."""
        return {
            "handle": self.handle,
            "status": self.status.value,
            "source": {
                k: v
                for k, v in (
                    ("file", self.source.file),
                    ("position", self.source.position),
                    ("oai_identifier", self.source.oai_identifier),
                    ("datestamp", self.source.datestamp),
                    ("format", self.source.format_),
                )
                if v is not None
            },
            "sets": list(self.sets),
            "files": [
                {k: v for k, v in (("name", b.name), ("url", b.url), ("media_type", b.media_type),
                                   ("size", b.size), ("checksum", b.checksum)) if v is not None}
                for b in self.files
            ],
            "fields": [
                {
                    "key": f.key,
                    "value": f.value,
                    "language": f.language,
                    "authority": f.authority,
                    "confidence": f.confidence,
                    "place": f.place,
                }
                for f in self.fields
            ],
        }


def parse_key(key: str) -> tuple[str, str, str | None]:
    """Split ``dc.contributor.author`` into schema, element, qualifier.

    Raises:
        ValueError: when the key has fewer than two or more than three parts.
    """
    parts = key.strip().split(".")
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1], None
    if len(parts) == 3 and all(parts):
        return parts[0], parts[1], parts[2]
    raise ValueError(f"not a DSpace field name: {key!r}")
