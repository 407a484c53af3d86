"""CORS for a public, read-only dataset: every response may be read by any origin.

Starlette's ``CORSMiddleware`` decides per request (origins, credentials, ``Vary: Origin``)
and rewrites each response's headers; on the record path it cost about an eighth of the
server's time. Here nothing depends on the request: ``Access-Control-Allow-Origin: *``
and the exposed headers are added to every response as fixed bytes (so no
``Vary: Origin`` is needed), and a preflight (``OPTIONS`` with
``Access-Control-Request-Method``) is answered at once. Credentials are never allowed.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

METHODS = "GET, HEAD, POST, OPTIONS"
EXPOSED = "ETag, Link, Content-Location, Last-Modified, Vary, X-Result-Limit"
MAX_AGE = "86400"


class PublicCORS:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(b"access-control-allow-origin", b"*"), (b"access-control-expose-headers", EXPOSED.encode())]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and any(name == b"access-control-request-method" for name, _ in scope["headers"]):
            await self._preflight(scope, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, scope: Scope, send: Send) -> None:
        requested = next((value for name, value in scope["headers"] if name == b"access-control-request-headers"), b"")
        headers = [*self.headers, (b"access-control-allow-methods", METHODS.encode()), (b"access-control-max-age", MAX_AGE.encode()),
                   (b"content-length", b"0")]
        if requested:
            headers.append((b"access-control-allow-headers", requested))  # any header may be sent: echo what was asked
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
