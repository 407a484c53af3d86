"""The baseline for bench/serve: the same stack (FastAPI on uvicorn) answering a constant body."""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.responses import Response


def create_app() -> FastAPI:
    app = FastAPI()
    body = b"x" * int(os.environ.get("CONSTANT_BYTES", "3500"))

    @app.get("/handle/{prefix}/{suffix}")
    async def constant(prefix: str, suffix: str) -> Response:
        return Response(body, media_type="text/turtle")

    return app
