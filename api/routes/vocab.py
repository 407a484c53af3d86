"""The VDP scheme and its concepts: ``/vocab/vdp`` (paged) and ``/vocab/vdp/{code}``; and the
JSON-LD context every JSON-LD document names, ``/vocab/context.jsonld``."""

from __future__ import annotations

import re

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from pipeline.terms import RdfTriple

from ..deps import SettingsDep, StoreDep
from ..errors import HTTPProblem
from ..negotiation import REPRESENTATIONS, split_suffix
from ..pages import SKOS, concept_page
from ..representations import alternates, respond, serialize
from .common import get_and_head, page_language, render_html
from .records import negotiate

router = APIRouter(prefix="/vocab", tags=["vocabulary"])


@get_and_head(router, "/context.jsonld", summary="The JSON-LD context of every record's JSON-LD")
async def jsonld_context(request: Request) -> Response:
    """The context the JSON-LD representations and dumps refer to (``<vocab_base>context.jsonld``).

    Served here so that it can be dereferenced where ``LODPUB_VOCAB_BASE`` is this server's
    ``/vocab/``; elsewhere, whoever publishes the vocabulary base serves this same file."""
    body = request.app.state.context_document
    return respond(request, body, "application/ld+json", last_modified=None)


def _scheme_triples(request: Request) -> tuple[str, list[RdfTriple]]:
    return request.app.state.vdp_scheme, request.app.state.vdp_triples


@get_and_head(router, "/vdp", summary="The VDP concept scheme", responses={400: {"description": "Bad page or format"}})
@get_and_head(router, "/vdp.{ext}", include_in_schema=False)
async def scheme(request: Request, settings: SettingsDep, ext: str | None = None,
                 page: int | None = Query(None, ge=1, description="Page of concepts (by notation); omitted: the whole scheme"),
                 format: str | None = Query(None), lang: str | None = Query(None)) -> Response:
    """The Norwegian classification of scientific disciplines as SKOS; ``?page=`` gives it a page of concepts at a time."""
    rep = None
    if ext is not None:
        _stem, rep = split_suffix("vdp." + ext)
        if rep is None:
            raise HTTPProblem(404, "Not Found", f"no format with suffix .{ext}")
    rep = negotiate(request, format, rep, "/vocab/vdp")
    iri, triples = _scheme_triples(request)
    concepts = sorted({s for s, p, o in triples if p == SKOS + "notation"}, key=lambda c: c.rsplit("/", 1)[-1])
    size = settings.page_size
    links = alternates("/vocab/vdp")
    if page is not None:
        pages = max(1, -(-len(concepts) // size))
        if page > pages:
            raise HTTPProblem(404, "Not Found", f"page {page} of {pages}")
        chosen = set(concepts[(page - 1) * size : page * size])
        triples = [t for t in triples if t[0] == iri or t[0] in chosen]
        if page < pages:
            links.append((f"/vocab/vdp?page={page + 1}", "next", None))
        if page > 1:
            links.append((f"/vocab/vdp?page={page - 1}", "prev", None))
    if rep.name == "html":
        lang_ = page_language(request, lang)
        vocab = request.app.state.vocabulary
        tops = sorted(o for s, p, o in request.app.state.vdp_triples if s == iri and p == SKOS + "hasTopConcept" and isinstance(o, str))
        tree = [concept_page(vocab, c, lang_) for c in tops]
        body = render_html(request, "scheme.html", lang_, tree=tree, base="/vocab/vdp", formats=REPRESENTATIONS[:-1])
        return respond(request, body, "text/html", vary="Accept, Accept-Language", links=links, extra={"Content-Language": lang_})
    return respond(request, serialize(triples, rep, iri, settings.context_url), rep.media_type, links=links)


@get_and_head(router, "/vdp/{code}", summary="One VDP concept",
                  responses={404: {"description": "No such code"}, 406: {"description": "No acceptable format"}})
async def concept(request: Request, code: str, settings: SettingsDep, store: StoreDep, format: str | None = Query(None),
                  lang: str | None = Query(None), page: int = Query(1, ge=1, description="Page of the records classified here")) -> Response:
    """A concept: labels, broader and narrower concepts; the HTML page lists the records classified there."""
    stem, rep_suffix = split_suffix(code)
    if not re.fullmatch(r"[0-9]{3}", stem):
        raise HTTPProblem(404, "Not Found", f"VDP codes are three digits (e.g. 242), not {stem!r}")
    base = f"/vocab/vdp/{stem}"
    rep = negotiate(request, format, rep_suffix, base)
    iri = settings.vdp_namespace + stem
    triples = [t for t in request.app.state.vdp_triples if t[0] == iri]
    if not triples:
        raise HTTPProblem(404, "Not Found", f"{stem} is not a code of the Norwegian classification of scientific disciplines.")
    links = alternates(base)
    if rep.name == "html":
        lang_ = page_language(request, lang)
        data = concept_page(request.app.state.vocabulary, iri, lang_)
        size = settings.page_size
        rows = store.select(
            "SELECT ?item (SAMPLE(?t) AS ?title) WHERE { GRAPH ?g { ?item <http://purl.org/dc/terms/subject> <" + iri + "> . "
            "OPTIONAL { ?item <http://purl.org/dc/terms/title> ?t } } } GROUP BY ?item ORDER BY ?item "
            f"LIMIT {size + 1} OFFSET {(page - 1) * size}"
        )
        items = [(r["item"].value, r["item"].value.rsplit("/", 2)[-2] + "/" + r["item"].value.rsplit("/", 1)[-1], r["title"].value if "title" in r else "") for r in rows[:size]]
        body = render_html(request, "concept.html", lang_, concept=data, items=items, page=page, more=len(rows) > size, base=base, formats=REPRESENTATIONS[:-1])
        return respond(request, body, "text/html", vary="Accept, Accept-Language", links=links, extra={"Content-Language": lang_})
    return respond(request, serialize(triples, rep, iri, settings.context_url), rep.media_type, links=links)


