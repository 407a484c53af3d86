"""The record route, dispatched without FastAPI's per-request machinery.

``GET`` and ``HEAD`` of ``/handle/{prefix}/{suffix}`` are most of what a Linked Data server
answers: crawlers dereference every record. Through FastAPI each of them paid for matching
the app's routes, solving the endpoint's parameters and passing four more layers of
middleware, which measured here cost more than the whole request of a constant-body app.

This middleware recognises that one path and calls the same endpoint function
(``routes.records.record``) itself; its errors are rendered like every other endpoint's
(problem details), and anything unexpected still reaches the app's 500 handler. FastAPI
keeps the route, which describes it in the OpenAPI document and answers it where this
middleware is not installed.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import HTTPProblem, problem_response
from .routes.records import record

_RECORD_PATH = re.compile(r"/handle/([^/]+)/([^/]+)")  # as FastAPI matches {prefix}/{suffix}


class RecordDispatch:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            root = scope.get("root_path", "")
            match = _RECORD_PATH.fullmatch(scope["path"].removeprefix(root) if root else scope["path"])
            if match is not None:
                request = Request(scope, receive)
                try:
                    response = await record(request, match[1], match[2])
                except HTTPProblem as exc:
                    response = problem_response(request, exc.status, exc.title, exc.detail, exc.headers, exc.extra)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
