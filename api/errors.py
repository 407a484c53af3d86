"""One error shape for every endpoint: problem details (RFC 9457) as JSON, or a page for browsers."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger(__name__)


class HTTPProblem(Exception):
    """An error a client caused or should know about; rendered by ``problem_response``."""

    def __init__(self, status: int, title: str, detail: str = "", headers: dict[str, str] | None = None, extra: dict[str, object] | None = None) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.headers, self.extra = status, title, detail, headers or {}, extra or {}


def wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept.split("text/html")[0]


def problem_response(request: Request, status: int, title: str, detail: str = "", headers: dict[str, str] | None = None, extra: dict[str, object] | None = None) -> Response:
    headers = {"Vary": "Accept", **(headers or {})}
    if wants_html(request) and hasattr(request.app.state, "templates"):
        html = request.app.state.templates.get_template("error.html").render(
            request=request, status=status, title=title, detail=detail, extra=extra or {}, lang="en", t=request.app.state.texts["en"]
        )
        return HTMLResponse(html, status_code=status, headers=headers)
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **(extra or {})}
    return JSONResponse(body, status_code=status, headers=headers, media_type="application/problem+json")


def install(app: FastAPI) -> None:
    @app.exception_handler(HTTPProblem)
    async def _problem(request: Request, exc: HTTPProblem) -> Response:
        return problem_response(request, exc.status, exc.title, exc.detail, exc.headers, exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        title = {404: "Not Found", 405: "Method Not Allowed"}.get(exc.status_code, "Error")
        return problem_response(request, exc.status_code, title, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
        return problem_response(request, 400, "Bad Request", detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("unexpected error on %s", request.url.path)
        return problem_response(request, 500, "Internal Server Error", "Something went wrong on our side; it has been logged.")
