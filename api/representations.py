"""Turning a graph into a response: serialization, validators (ETag, Last-Modified), Link headers, 304, HEAD.

Kept apart from the routes so that records, concepts and the scheme answer alike.
"""

from __future__ import annotations

import email.utils
import hashlib
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from pipeline.rdf_output import jsonld_line, prefixes, turtle_document
from pipeline.terms import RdfTriple, to_oxigraph, to_oxigraph_quads

from .negotiation import REPRESENTATIONS, Representation

CACHE_CONTROL = "public, max-age=300"


def serialize(triples: list[RdfTriple], rep: Representation, graph: str, context_url: str | None) -> bytes:
    if rep.name == "jsonld":
        return jsonld_line(triples, context_url)
    if rep.name == "turtle":
        return turtle_document(triples)
    if rep.name == "nq":
        return ox.serialize(to_oxigraph_quads(triples, graph), format=ox.RdfFormat.N_QUADS)
    fmt = {"nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}[rep.name]
    kwargs = {"prefixes": prefixes()} if rep.name == "rdfxml" else {}
    return ox.serialize(to_oxigraph(triples), format=fmt, **kwargs)


def link_header(links: Iterable[tuple[str, str, str | None]]) -> str:
    """``<url>; rel="..."; type="..."`` joined, one per (url, rel, media type)."""
    out = []
    for url, rel, media in links:
        out.append(f'<{url}>; rel="{rel}"' + (f'; type="{media}"' if media else ""))
    return ", ".join(out)


def alternates(base: str, available: tuple[Representation, ...] = REPRESENTATIONS) -> list[tuple[str, str, str | None]]:
    return [(f"{base}.{r.suffix}", "alternate", r.media_type) for r in available]


@lru_cache(maxsize=4096)
def http_date(lexical: str | None) -> str | None:
    if not lexical:
        return None
    try:
        stamp = datetime.fromisoformat(lexical.replace("Z", "+00:00"))
    except ValueError:
        return None
    return email.utils.format_datetime(stamp, usegmt=True) if stamp.tzinfo else None


def respond(
    request: Request,
    body: bytes,
    media_type: str,
    *,
    status: int = 200,
    vary: str = "Accept",
    last_modified: str | None = None,
    links: list[tuple[str, str, str | None]] | None = None,
    content_location: str | None = None,
    extra: dict[str, str] | None = None,
) -> Response:
    """A representation with its validators; 304 when the client's copy is current; no body for HEAD."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Vary": vary, "Cache-Control": CACHE_CONTROL}
    modified = http_date(last_modified)
    if modified:
        headers["Last-Modified"] = modified
    if links:
        headers["Link"] = link_header(links)
    if content_location:
        headers["Content-Location"] = content_location
    headers.update(extra or {})
    if status == 200 and _not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    charset = "; charset=utf-8" if media_type.startswith("text/") or media_type in ("application/n-triples", "application/n-quads", "application/rdf+xml") else ""
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(content=b"", status_code=status, headers=headers, media_type=media_type + charset)
    return Response(content=body, status_code=status, headers=headers, media_type=media_type + charset)


def _not_modified(request: Request, etag: str, modified: str | None) -> bool:
    """RFC 9110 §13.1: If-None-Match wins over If-Modified-Since."""
    if_none = request.headers.get("if-none-match")
    if if_none is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none.split(",")]
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since and modified:
        try:
            return email.utils.parsedate_to_datetime(modified) <= email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False
