"""Records at the paths handle URIs resolve to: ``/handle/{prefix}/{suffix}`` and ``/resource?uri=``."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from pipeline.documents import Document
from pipeline.handles import clean_handle
from pipeline.rdf_output import context, jsonld_line
from pipeline.terms import Lit, RdfTriple, read_ntriples
from pipeline.vocabularies.tables import COAR

from ..deps import SettingsDep, StoreDep
from ..errors import HTTPProblem
from ..negotiation import REPRESENTATIONS, NotAcceptable, Representation, UnknownFormat, choose, split_suffix
from ..pages import record_page
from ..representations import alternates, respond, serialize
from .common import get_and_head, page_language, render_html

router = APIRouter(tags=["records"])

_HANDLE_PART = re.compile(r"^[0-9]+(\.[0-9]+)*$")
_SUFFIX_PART = re.compile(r"^[A-Za-z0-9._\-~]+$")


def negotiate(request: Request, format_: str | None, suffix_rep: Representation | None, base: str) -> Representation:
    """Suffix, then ?format=, then Accept; 400 and 406 name what there is."""
    if suffix_rep is not None:
        return suffix_rep
    try:
        return choose(request.headers.get("accept"), format_)
    except UnknownFormat:
        raise HTTPProblem(400, "Bad Request", f"unknown format {format_!r}; use one of: {', '.join(r.name for r in REPRESENTATIONS)}") from None
    except NotAcceptable:
        raise HTTPProblem(406, "Not Acceptable", "None of the media types in the Accept header is available.",
                          headers={"Link": ", ".join(f'<{base}.{r.suffix}>; rel="alternate"; type="{r.media_type}"' for r in REPRESENTATIONS)},
                          extra={"available": [{"type": r.media_type, "url": f"{base}.{r.suffix}"} for r in REPRESENTATIONS]}) from None


DCTERMS = "http://purl.org/dc/terms/"
MODIFIED = DCTERMS + "modified"


def _published(document: Document, rep: Representation, jsonld_start: bytes) -> bytes | None:
    """The representation as the store keeps it, if it does (and it was made for this server's context)."""
    if rep.name == "nt":
        return document.ntriples
    if rep.name == "turtle":
        return document.turtle
    if rep.name == "jsonld":
        return document.jsonld_for(jsonld_start)
    return None


@lru_cache(maxsize=1)
def _context_json() -> str:
    return json.dumps(context(), ensure_ascii=False)


def _self_contained_jsonld(document: Document, triples: list[RdfTriple], jsonld_start: bytes) -> str:
    """The record's JSON-LD with the context in it, for a page's ``<script>``: the stored
    document with its context URL replaced by the context itself (compacting afresh costs
    a quarter of a millisecond), or made from the triples."""
    stored = document.jsonld_for(jsonld_start)
    if stored is not None:
        if jsonld_start.endswith(b"{"):  # made with the context in it already
            return stored.decode("utf-8")
        return '{"@context": ' + _context_json() + "," + stored[len(jsonld_start):].decode("utf-8")
    return jsonld_line(triples, None).decode("utf-8")


def signposting(triples: list[RdfTriple], item: str, base: str) -> list[tuple[str, str, str | None]]:
    """FAIR Signposting: cite-as, describedby, type, author, item."""
    links: list[tuple[str, str, str | None]] = [(item, "cite-as", None), (f"{base}.ttl", "describedby", "text/turtle"), (f"{base}.jsonld", "describedby", "application/ld+json")]
    types = [o for s, p, o in triples if s == item and p == DCTERMS + "type" and isinstance(o, str) and o.startswith(COAR)]
    links += [(t, "type", None) for t in types]
    links.append(("https://schema.org/AboutPage", "type", None))
    links += [(o, "author", None) for s, p, o in triples if s == item and p == "http://purl.org/dc/terms/creator" and isinstance(o, str) and o.startswith("https://orcid.org/")]
    for s, p, o in triples:
        if s == item and p == "http://purl.org/dc/terms/hasPart" and isinstance(o, str):
            media = next((f.rsplit("/", 2)[-2] + "/" + f.rsplit("/", 1)[-1] for s2, p2, f in triples if s2 == o and p2 == "http://purl.org/dc/terms/format" and isinstance(f, str)), None)
            links.append((o, "item", media))
    return links


async def serve_record(request: Request, handle: str, rep_from_suffix: Representation | None, format_: str | None, lang: str | None,
                       settings: SettingsDep, store: StoreDep) -> Response:
    base = f"/handle/{handle}"
    rep = negotiate(request, format_, rep_from_suffix, base)
    if rep.name == "html" and rep_from_suffix is None and format_ is None and request.headers.get("x-lodpub-html") == "defer":
        # Set by the nginx configuration in deploy/: HTML is the repository UI's job there.
        raise HTTPProblem(406, "Not Acceptable", "HTML is served by the repository's own pages.")
    page_lang = page_language(request, lang) if rep.name == "html" else ""
    cache = request.app.state.rendered
    key = (handle, rep.name, page_lang)
    hit = cache.get(key)
    if hit is not None:
        body, modified, links = hit
        return _answer(request, rep, body, modified, links, base, rep_from_suffix, page_lang)
    graph = settings.document_iri(handle)
    item = settings.item_iri(handle)
    document = store.document(graph)
    if document is None:
        deleted_at = store.tombstone(item)
        if deleted_at:
            raise HTTPProblem(410, "Gone", f"The record {handle} was withdrawn or deleted from the repository on {deleted_at}.",
                              extra={"handle": handle, "deleted_at": deleted_at, "cite_as": item})
        raise HTTPProblem(404, "Not Found", f"No record with handle {handle} is published here. Check the handle, or look it up at {item}.",
                          extra={"handle": handle, "lookup": item})
    if rep.name == "html" and settings.html_redirect:
        return RedirectResponse(settings.html_redirect.replace("{handle}", handle), status_code=303, headers={"Vary": "Accept"})
    body = _published(document, rep, request.app.state.jsonld_start)
    stored = body is not None
    if stored:
        # Sent as the store keeps it: the headers need only a few of the triples.
        triples = document.head()
    else:
        # made here, with the writers the store's documents are made with
        triples = read_ntriples(document.ntriples)
        if rep.name == "html":
            page = record_page(triples, item, handle, request.app.state.vocabulary, page_lang)
            jsonld = _self_contained_jsonld(document, triples, request.app.state.jsonld_start).replace("</", "<\\/")
            body = render_html(request, "record.html", page_lang, page=page, jsonld=jsonld, base=base, formats=REPRESENTATIONS[:-1])
        else:
            body = serialize(triples, rep, graph, settings.context_url)
    modified = next((o.value for s, p, o in triples if s == graph and p == MODIFIED and isinstance(o, Lit)), None) or store.modified()
    links = alternates(base) + signposting(triples, item, base)
    if not stored:  # the cache is for what took rendering: reading the store is as quick
        cache.put(key, (body, modified, links))
    return _answer(request, rep, body, modified, links, base, rep_from_suffix, page_lang)


def _answer(request: Request, rep: Representation, body: bytes, modified: str | None, links: list[tuple[str, str, str | None]], base: str,
            rep_from_suffix: Representation | None, page_lang: str) -> Response:
    location = f"{base}.{rep.suffix}" if rep_from_suffix is None else None
    if rep.name == "html":
        return respond(request, body, "text/html", vary="Accept, Accept-Language", last_modified=modified, links=links,
                       content_location=location, extra={"Content-Language": page_lang})
    return respond(request, body, rep.media_type, last_modified=modified, links=links, content_location=location)


def _checked(prefix: str, suffix: str) -> None:
    if not _HANDLE_PART.match(prefix) or not _SUFFIX_PART.match(suffix) or ".." in suffix:
        raise HTTPProblem(400, "Bad Request", "A handle is <prefix>/<suffix>, e.g. 11250/132277: digits and dots, then letters, digits, '.', '-', '_'.")


# The hottest route: its query parameters are read from the request and declared to OpenAPI
# by hand, and the settings and store come from app.state, because FastAPI's validation of
# declared parameters and dependencies costs more per request than reading a record does.
_RECORD_QUERY = [
    {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": [r.name for r in REPRESENTATIONS]},
     "description": "turtle, jsonld, nt, rdfxml, nq or html; overrides Accept"},
    {"name": "lang", "in": "query", "required": False, "schema": {"type": "string", "enum": ["en", "nb"]},
     "description": "Page language (en or nb); overrides Accept-Language"},
]


@get_and_head(router, "/handle/{prefix}/{suffix}", summary="A record, where its handle URI resolves",
                  openapi_extra={"parameters": _RECORD_QUERY},
                  responses={200: {"description": "The record in the negotiated format"}, 304: {"description": "Not modified"},
                             400: {"description": "Malformed handle or format"}, 404: {"description": "No such record"},
                             406: {"description": "No acceptable format"}, 410: {"description": "The record was deleted"}})
async def record(request: Request, prefix: str, suffix: str) -> Response:
    """The record as Turtle, JSON-LD, N-Triples, RDF/XML, N-Quads or HTML, by suffix, ``?format=`` or ``Accept``."""
    stem, rep = split_suffix(suffix)
    _checked(prefix, stem)
    state = request.app.state
    format_ = lang = None
    if request.scope["query_string"]:  # most requests have none: no need to parse it
        format_, lang = request.query_params.get("format"), request.query_params.get("lang")
    return await serve_record(request, f"{prefix}/{stem}", rep, format_, lang, state.settings, state.store)


@get_and_head(router, "/resource", summary="A record by its handle IRI",
                  responses={200: {"description": "The record"}, 400: {"description": "Not a handle IRI"}, 404: {"description": "No such record"}})
async def resource(request: Request, settings: SettingsDep, store: StoreDep,
                   uri: str = Query(..., description="The handle IRI, http:// or https://"),
                   format: str | None = Query(None), lang: str | None = Query(None)) -> Response:
    """Look a record up by its handle IRI (either scheme); answers like ``/handle/...``."""
    handle = clean_handle(uri)
    if handle is None or "/" not in handle:
        raise HTTPProblem(400, "Bad Request", f"{uri!r} is not a handle IRI such as https://hdl.handle.net/11250/132277")
    prefix, _, suffix = handle.partition("/")
    _checked(prefix, suffix)
    return await serve_record(request, handle, None, format, lang, settings, store)
