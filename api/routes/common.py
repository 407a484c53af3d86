"""Helpers the route modules share: reading a graph, the page language, rendering a template."""

from __future__ import annotations

from fastapi import Request

from pipeline.store import RecordStore
from pipeline.terms import RdfTriple, from_oxigraph

import pyoxigraph as ox


def graph_triples(store: RecordStore, graph: str) -> list[RdfTriple]:
    return graph_triples_of(store.graph_quads(graph))


def graph_triples_of(quads: list[ox.Quad]) -> list[RdfTriple]:
    return from_oxigraph(quads)


def page_language(request: Request, lang: str | None) -> str:
    """``?lang=`` wins; then Accept-Language: Norwegian (nb, nn, no) gets nb, anything else en."""
    if lang in ("en", "nb"):
        return lang
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith(("nb", "nn", "no")):
            return "nb"
        if tag.startswith("en"):
            return "en"
    return "en"


def render_html(request: Request, template: str, lang: str, **context: object) -> bytes:
    t = request.app.state.texts[lang]
    page = request.app.state.templates.get_template(template).render(request=request, lang=lang, t=t, **context)
    return page.encode("utf-8")
