"""The home page, the dataset description, the dumps, health, and the static files' neighbours."""

from __future__ import annotations

import re

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from pipeline.handles import clean_handle

from ..deps import SettingsDep, StoreDep
from ..errors import HTTPProblem
from ..negotiation import REPRESENTATIONS, NotAcceptable, UnknownFormat, choose
from ..representations import respond
from .common import get_and_head, page_language, render_html

router = APIRouter(tags=["dataset"])
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@router.get("/health", summary="Liveness and the number of records")
async def health(settings: SettingsDep, store: StoreDep) -> JSONResponse:
    """``{"status": "ok", "records": N}`` when the store answers."""
    return JSONResponse({"status": "ok", "records": store.record_graphs(settings.document_base)}, headers={"Cache-Control": "no-store"})


@get_and_head(router, "/", summary="Home page: the dataset, counts, downloads, search by handle")
async def home(request: Request, settings: SettingsDep, store: StoreDep, lang: str | None = Query(None)) -> Response:
    accept = request.headers.get("accept", "")
    if "text/html" not in accept and any(r.media_type in accept for r in REPRESENTATIONS if r.rdf):
        return RedirectResponse("/void", status_code=303, headers={"Vary": "Accept"})
    lang_ = page_language(request, lang)
    dumps = sorted((p.name, p.stat().st_size) for p in settings.dumps_dir.glob("*") if p.is_file() and not p.name.startswith(".")) if settings.dumps_dir.is_dir() else []
    body = render_html(request, "index.html", lang_, records=store.record_graphs(settings.document_base), modified=store.modified(), dumps=dumps,
                       title=settings.dataset_title)
    return respond(request, body, "text/html", vary="Accept, Accept-Language", extra={"Content-Language": lang_})


@router.get("/-/go", summary="Go to a record by handle (the home page's search box)", responses={400: {"description": "Not a handle"}})
async def go(handle: str = Query(..., description="11250/132277 or a handle IRI")) -> RedirectResponse:
    h = clean_handle(handle.strip())
    if h is None:
        raise HTTPProblem(400, "Bad Request", f"{handle!r} is not a handle such as 11250/132277")
    return RedirectResponse(f"/handle/{h}", status_code=303)


@get_and_head(router, "/void", summary="The dataset description (VoID + DCAT)", responses={404: {"description": "No dump made yet"}})
@get_and_head(router, "/.well-known/void", include_in_schema=False)
async def void(request: Request, settings: SettingsDep, format: str | None = Query(None)) -> Response:
    """void.ttl as written by ``lodpub dump``, in any RDF format (RFC 7284's well-known location too)."""
    path = settings.dumps_dir / "void.ttl"
    if not path.is_file():
        raise HTTPProblem(404, "Not Found", "No dataset description yet: run `lodpub dump` to write the dumps and void.ttl.")
    rdf = tuple(r for r in REPRESENTATIONS if r.rdf and r.name != "nq")
    try:
        rep = choose(request.headers.get("accept"), format, rdf)
    except (UnknownFormat, NotAcceptable):
        raise HTTPProblem(406, "Not Acceptable", "void is available as " + ", ".join(r.media_type for r in rdf)) from None
    data = path.read_bytes()
    if rep.name != "turtle":
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
        fmt = {"jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}[rep.name]
        data = ox.serialize(triples, format=fmt)
    return respond(request, data, rep.media_type, last_modified=None)


@get_and_head(router, "/dumps/{name}", summary="A dump file (Range requests supported)",
                  responses={404: {"description": "No such file"}, 400: {"description": "Bad file name"}})
async def dump_file(name: str, settings: SettingsDep) -> Response:
    """The files `lodpub dump` wrote; names only, no paths."""
    if not _SAFE_NAME.match(name) or ".." in name:
        raise HTTPProblem(400, "Bad Request", "dump names are plain file names such as items.nt.gz")
    root = settings.dumps_dir.resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        raise HTTPProblem(404, "Not Found", f"no dump file {name!r}; see /void for the list")
    media = "application/gzip" if name.endswith(".gz") else "text/turtle" if name.endswith(".ttl") else "application/octet-stream"
    return FileResponse(path, media_type=media, headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"})


