"""Content negotiation (RFC 9110 §12.5.1): one registry of representations, one decision.

Order of precedence: a suffix in the path (``.ttl``), then ``?format=``, then the
``Accept`` header with q-values and specificity (python-mimeparse). Ties go to the
server's preference, the order of ``REPRESENTATIONS``: Turtle first, so that ``*/*``
alone (what curl sends) gets Turtle; browsers list ``text/html`` explicitly and get a
page. Nothing acceptable is a 406 that lists what there is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mimeparse


@dataclass(frozen=True)
class Representation:
    name: str  # ?format= value and internal key
    media_type: str
    suffix: str
    rdf: bool = True


REPRESENTATIONS: tuple[Representation, ...] = (
    Representation("turtle", "text/turtle", "ttl"),
    Representation("jsonld", "application/ld+json", "jsonld"),
    Representation("nt", "application/n-triples", "nt"),
    Representation("rdfxml", "application/rdf+xml", "rdf"),
    Representation("nq", "application/n-quads", "nq"),
    Representation("html", "text/html", "html", rdf=False),
)
BY_SUFFIX = {r.suffix: r for r in REPRESENTATIONS}
BY_NAME = {r.name: r for r in REPRESENTATIONS} | {r.suffix: r for r in REPRESENTATIONS}
# Media types clients use for the same thing.
ALIASES = {"application/x-turtle": "text/turtle", "application/json": "application/ld+json", "text/plain": "application/n-triples",
           "application/xhtml+xml": "text/html"}


class NotAcceptable(Exception):
    """No representation matches the Accept header."""


class UnknownFormat(ValueError):
    """A ?format= value that is not one of ours."""


def split_suffix(segment: str) -> tuple[str, Representation | None]:
    """``132277.ttl`` -> ("132277", Turtle); a segment without a known suffix is returned whole."""
    stem, dot, ext = segment.rpartition(".")
    if dot and ext in BY_SUFFIX and stem:
        return stem, BY_SUFFIX[ext]
    return segment, None


def choose(accept: str | None, format_: str | None = None, available: tuple[Representation, ...] = REPRESENTATIONS) -> Representation:
    """The representation to send.

    Raises:
        UnknownFormat: ``format_`` names no representation.
        NotAcceptable: nothing in ``available`` is acceptable.
    """
    if format_:
        rep = BY_NAME.get(format_.lower())
        if rep is None or rep not in available:
            raise UnknownFormat(format_)
        return rep
    chosen = _by_accept((accept or "*/*").strip() or "*/*", available)
    if chosen is None:
        raise NotAcceptable(accept or "")
    return chosen


@lru_cache(maxsize=2048)
def _by_accept(header: str, available: tuple[Representation, ...]) -> Representation | None:
    """The best match for an Accept header, or None; remembered, since clients repeat their headers."""
    try:
        ranges = [mimeparse.parse_media_range(r) for r in header.split(",") if r.strip()]
    except (ValueError, IndexError):
        ranges = [mimeparse.parse_media_range("*/*")]
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, rep in enumerate(available):
        candidates = [rep.media_type] + [alias for alias, target in ALIASES.items() if target == rep.media_type]
        for media in candidates:
            quality, fitness = mimeparse.quality_and_fitness_parsed(media, ranges)
            if media != rep.media_type:
                if fitness < 110:
                    continue  # an alias counts only when named outright, never through a wildcard
                fitness -= 1  # and never beats the real name at the same quality
            key = (quality, fitness, -index)
            if quality > 0 and (best is None or key > best):
                best, chosen = key, rep
    return chosen
