"""``/sparql``: the SPARQL 1.1 Protocol, read-only, with a timeout and a result limit.

Queries run in a small thread pool of their own (pyoxigraph releases the GIL while it
evaluates), so a slow query never holds up record pages. At the timeout the client gets
503 with an explanation; the abandoned evaluation finishes in the background (pyoxigraph
cannot cancel it), and the pool's size bounds how many can pile up.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs
from xml.sax.saxutils import escape, quoteattr

import mimeparse
import pyoxigraph as ox
import requests
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from pipeline.store import EmbeddedStore

from ..deps import SettingsDep, StoreDep
from ..errors import HTTPProblem
from .common import render_html

router = APIRouter(tags=["sparql"])
POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sparql")

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


def _pick(accept: str, options: list[str]) -> str | None:
    try:
        best = mimeparse.best_match(list(reversed(options)), accept or "*/*")
    except ValueError:
        best = ""
    return best or None


def _evaluate(store: EmbeddedStore, query: str, accept: str, limit: int) -> tuple[bytes, str, bool]:
    result = store.query(query)
    if isinstance(result, ox.QueryBoolean):
        media = _pick(accept, list(RESULT_TYPES)) or "application/sparql-results+json"
        return result.serialize(format=RESULT_TYPES[media]), media, False
    if isinstance(result, ox.QuerySolutions):
        media = _pick(accept, list(RESULT_TYPES)) or "application/sparql-results+json"
        rows = []
        truncated = False
        variables = result.variables
        for i, row in enumerate(result):
            if i >= limit:
                truncated = True
                break
            rows.append(row)
        out = io.BytesIO()
        _write_solutions(out, variables, rows, RESULT_TYPES[media])
        return out.getvalue(), media, truncated
    media = _pick(accept, list(GRAPH_TYPES)) or "text/turtle"
    triples = []
    truncated = False
    for i, t in enumerate(result):
        if i >= limit:
            truncated = True
            break
        triples.append(t)
    if GRAPH_TYPES[media] == ox.RdfFormat.N_QUADS:
        data = ox.serialize([ox.Quad(t.subject, t.predicate, t.object) for t in triples], format=ox.RdfFormat.N_QUADS)
    else:
        data = ox.serialize(triples, format=GRAPH_TYPES[media])
    return data, media, truncated


def _binding_json(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _write_solutions(out: io.BytesIO, variables: list[ox.Variable], rows: list[ox.QuerySolution], fmt: ox.QueryResultsFormat) -> None:
    """Serialize a bounded list of solutions (pyoxigraph serializes only whole result iterators)."""
    names = [v.value for v in variables]
    if fmt == ox.QueryResultsFormat.JSON:
        bindings = [{n: _binding_json(row[n]) for n in names if row[n] is not None} for row in rows]
        out.write(json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8"))
    elif fmt == ox.QueryResultsFormat.XML:
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(n)}/>" for n in names]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            for n in names:
                t = row[n]
                if t is None:
                    continue
                if isinstance(t, ox.NamedNode):
                    inner = f"<uri>{escape(t.value)}</uri>"
                elif isinstance(t, ox.BlankNode):
                    inner = f"<bnode>{escape(t.value)}</bnode>"
                elif t.language:
                    inner = f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
                else:
                    inner = f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
                parts.append(f"<binding name={quoteattr(n)}>{inner}</binding>")
            parts.append("</result>")
        parts.append("</results></sparql>")
        out.write("".join(parts).encode("utf-8"))
    elif fmt == ox.QueryResultsFormat.CSV:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if row[n] is None else row[n].value for n in names])
        out.write(text.getvalue().encode("utf-8"))
    else:  # TSV: terms in SPARQL syntax
        lines = ["\t".join("?" + n for n in names)]
        lines += ["\t".join("" if row[n] is None else str(row[n]) for n in names) for row in rows]
        out.write(("\n".join(lines) + "\n").encode("utf-8"))


async def _run(request: Request, query: str, settings: SettingsDep, store: StoreDep) -> Response:
    if not isinstance(store, EmbeddedStore):
        return await _forward(request, query, settings, store)
    accept = request.headers.get("accept", "*/*")
    loop = asyncio.get_running_loop()
    try:
        data, media, truncated = await asyncio.wait_for(loop.run_in_executor(POOL, _evaluate, store, query, accept, settings.sparql_limit), settings.sparql_timeout)
    except asyncio.TimeoutError:
        raise HTTPProblem(503, "Query Timeout", f"The query ran longer than {settings.sparql_timeout:g} s and was cut off. Narrow it (LIMIT, a GRAPH, fewer joins) or download the dumps.",
                          headers={"Retry-After": "30"}) from None
    except SyntaxError as exc:
        raise HTTPProblem(400, "Bad Request", f"SPARQL syntax error: {exc}") from None
    except (ValueError, OSError) as exc:
        raise HTTPProblem(400, "Bad Request", f"The query could not be evaluated: {exc}") from None
    headers = {"Vary": "Accept", "Cache-Control": "public, max-age=60"}
    if truncated:
        headers["X-Result-Limit"] = f"truncated at {settings.sparql_limit}"
    return Response(data, media_type=media, headers=headers)


async def _forward(request: Request, query: str, settings: SettingsDep, store: StoreDep) -> Response:
    loop = asyncio.get_running_loop()
    accept = request.headers.get("accept", "application/sparql-results+json")
    try:
        r = await asyncio.wait_for(loop.run_in_executor(POOL, lambda: store.query(query, accept)), settings.sparql_timeout)  # type: ignore[attr-defined]
    except asyncio.TimeoutError:
        raise HTTPProblem(503, "Query Timeout", f"The query ran longer than {settings.sparql_timeout:g} s and was cut off.", headers={"Retry-After": "30"}) from None
    except requests.RequestException as exc:
        raise HTTPProblem(502, "Bad Gateway", f"The SPARQL server did not answer: {exc}") from None
    except Exception as exc:  # the store reports its errors as StoreError with the server's message
        raise HTTPProblem(400, "Bad Request", str(exc)) from None
    return Response(r.content, media_type=r.headers.get("Content-Type", "application/octet-stream"), headers={"Vary": "Accept"})


def _refuse_update() -> None:
    raise HTTPProblem(403, "Forbidden", "This endpoint answers queries only; SPARQL updates are refused.")


@router.get("/sparql", summary="SPARQL 1.1 query (GET)", responses={400: {"description": "Bad query"}, 403: {"description": "Updates refused"}, 503: {"description": "Timeout"}})
async def sparql_get(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    """``?query=``; results as JSON, XML, CSV or TSV (SELECT, ASK), RDF for CONSTRUCT and DESCRIBE; a form for browsers."""
    params = request.query_params
    if "update" in params:
        _refuse_update()
    query = params.get("query")
    if query is None:
        if "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(render_html(request, "sparql.html", "en", example=request.app.state.example_query), headers={"Vary": "Accept"})
        raise HTTPProblem(400, "Bad Request", "give a SPARQL query in ?query=")
    return await _run(request, query, settings, store)


@router.post("/sparql", summary="SPARQL 1.1 query (POST)", responses={400: {"description": "Bad query"}, 403: {"description": "Updates refused"}, 413: {"description": "Too large"}})
async def sparql_post(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    """Body as ``application/sparql-query`` or a form with ``query=``; ``application/sparql-update`` is refused."""
    body = await read_limited(request, settings.max_body)
    ctype = request.headers.get("content-type", "").split(";")[0].strip()
    if ctype == "application/sparql-update":
        _refuse_update()
    if ctype == "application/sparql-query":
        query = body.decode("utf-8", "replace")
    elif ctype == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", "replace"))
        if "update" in form:
            _refuse_update()
        if "query" not in form:
            raise HTTPProblem(400, "Bad Request", "the form has no query= field")
        query = form["query"][0]
    else:
        raise HTTPProblem(415, "Unsupported Media Type", "POST a query as application/sparql-query or application/x-www-form-urlencoded")
    return await _run(request, query, settings, store)


async def read_limited(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes with 413 (without reading it all)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPProblem(413, "Content Too Large", f"the body is {declared} bytes; the limit is {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPProblem(413, "Content Too Large", f"the body is larger than the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
