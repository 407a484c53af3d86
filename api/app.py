"""The Linked Data server: ``create_app(settings)`` (for ``uvicorn --factory api.app:create_app``).

The lifespan opens the store and loads what every request needs (the vocabularies, the
templates, the mapper and validator for ``/validate``); endpoints reach them through
``api.deps``. Nothing is built at import.
"""

from __future__ import annotations

import tomllib
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline import __version__
from pipeline.documents import jsonld_start
from pipeline.mapping import Mapper
from pipeline.resources import data_file
from pipeline.settings import Settings
from pipeline.store import open_store
from pipeline.validate import Validator
from pipeline.vocabularies.graphs import vocabulary_graphs

from . import errors
from .cors import PublicCORS
from .pages import Index, Vocabulary
from .record_dispatch import RecordDispatch
from .routes import records, site, sparql, validate, vocab

HERE = Path(__file__).resolve().parent


class RenderCache:
    """A bounded least-recently-used map of rendered records."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[object, object] = OrderedDict()

    def get(self, key: object) -> object | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: object, value: object) -> None:
        if self.size <= 0:
            return
        self.items[key] = value
        if len(self.items) > self.size:
            self.items.popitem(last=False)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        # Read-only: several server processes can share one embedded store; writing is
        # publish's job (for a store written while served, use a SPARQL server).
        app.state.store = open_store(settings.store, read_only=True, serving=True)
        graphs = vocabulary_graphs(settings)
        scheme = settings.vdp_namespace.rstrip("/")
        app.state.vdp_scheme = scheme
        app.state.vdp_triples = graphs[scheme]
        app.state.vocabulary = Vocabulary(Index([t for ts in graphs.values() for t in ts]), settings.vdp_namespace)
        # auto_reload off: templates are read once, not checked on disk (three stat calls) per page
        app.state.templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]), auto_reload=False)
        app.state.texts = tomllib.loads((HERE / "texts.toml").read_text("utf-8"))
        app.state.example_query = (HERE / "example-query.rq").read_text("utf-8")
        # The store is opened read-only, so what the process sees never changes: rendered
        # representations can be kept (bounded, least recently used first out).
        remote = settings.store.startswith(("http://", "https://"))
        app.state.context_document = data_file("vocab", "context.jsonld").read_bytes()
        app.state.jsonld_start = jsonld_start(settings.context_url)  # how the store's JSON-LD for this context begins
        app.state.rendered = RenderCache(0 if remote else settings.render_cache)  # a remote store changes under us
        app.state.mapper = Mapper(settings)
        app.state.validator = Validator(settings)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="lodpub",
        version=__version__,
        description="Repository records as Linked Data: content negotiation at handle paths, the VDP vocabulary, SPARQL, dumps and validation.",
        lifespan=lifespan,
        docs_url="/-/docs",
        redoc_url=None,
        openapi_url="/-/openapi.json",
    )
    app.add_middleware(RecordDispatch)
    app.add_middleware(PublicCORS)  # added last, so outermost: every response, the records' too, carries it
    errors.install(app)
    app.mount("/-/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (records, site, vocab, sparql, validate):  # records first: the busiest routes match first
        app.include_router(module.router)
    return app
