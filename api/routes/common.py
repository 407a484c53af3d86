"""Helpers the route modules share: reading a graph, the page language, rendering a template."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request


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


Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"


def get_and_head(router: APIRouter, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
    """Route GET and HEAD of ``path`` to one endpoint, as two OpenAPI operations with distinct ids.

    (``api_route(methods=["GET", "HEAD"])`` gives both methods one operationId, which the
    OpenAPI specification forbids.)"""
    def register(endpoint: Endpoint) -> Endpoint:
        router.add_api_route(path, endpoint, methods=["GET"], **options)
        head = {k: v for k, v in options.items() if k != "summary"}
        router.add_api_route(path, endpoint, methods=["HEAD"], operation_id=f"{endpoint.__name__}_{_slug(path)}_head",
                             summary=f"{options.get('summary') or endpoint.__name__} (headers only)", **head)
        return endpoint
    return register
