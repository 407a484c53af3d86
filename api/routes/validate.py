"""``POST /validate``: check records before they are published, in any form lodpub reads."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pipeline.report import Report
from pipeline.validate import Validator, batches
from pipeline.validation_run import RDF_SUFFIXES, mapped_inputs

from ..deps import SettingsDep
from ..errors import HTTPProblem
from ..negotiation import NotAcceptable, Representation, choose
from .sparql import read_limited

router = APIRouter(tags=["validation"])
RDF_BODIES = {"text/turtle": ".ttl", "application/ld+json": ".jsonld", "application/n-triples": ".nt", "application/rdf+xml": ".rdf", "application/n-quads": ".nq"}
REPORTS = (Representation("json", "application/json", "json", rdf=False), Representation("turtle", "text/turtle", "ttl"))


@router.post("/validate", summary="Validate records (any input form lodpub reads, or RDF)",
             responses={200: {"description": "The report: JSON, or the SHACL report graph as Turtle"}, 400: {"description": "Unreadable input"},
                        413: {"description": "Body too large"}, 406: {"description": "Report format not available"}})
async def validate(request: Request, settings: SettingsDep) -> Response:
    """Post OAI-PMH XML, DSpace CSV, REST JSON, an item page, or Turtle / JSON-LD; get the findings per record.

    Validation is pyshacl with ``shapes/record.ttl``, as ``lodpub validate`` does it.
    """
    try:
        rep = choose(request.headers.get("accept"), None, REPORTS)
    except NotAcceptable:
        raise HTTPProblem(406, "Not Acceptable", "the report is available as application/json or text/turtle") from None
    body = await read_limited(request, settings.max_body)
    if not body.strip():
        raise HTTPProblem(400, "Bad Request", "the body is empty: post records to validate")
    ctype = request.headers.get("content-type", "").split(";")[0].strip()
    suffix = RDF_BODIES.get(ctype, ".xml" if ctype.endswith("xml") else ".json" if "json" in ctype else ".csv" if "csv" in ctype else ".txt")
    if suffix not in RDF_SUFFIXES and ctype in RDF_BODIES:
        suffix = RDF_BODIES[ctype]
    validator: Validator = request.app.state.validator
    report = Report()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("posted" + suffix)
        path.write_bytes(body)
        mapped = list(mapped_inputs([str(path)], settings, report, None, request.app.state.mapper))
        if report.errors and not mapped:
            raise HTTPProblem(400, "Bad Request", "; ".join(p.message for p in report.errors))
        results = [r for batch in batches(mapped) for r in validator.validate(batch)]
        if rep.name == "turtle":
            graph = None
            for batch in batches([m for m in mapped if not m.record.deleted]):
                g = validator.report_graph(batch)
                graph = g if graph is None else graph + g
            text = graph.serialize(format="turtle") if graph is not None else ""
            return Response(text.encode("utf-8"), media_type="text/turtle; charset=utf-8", headers={"Vary": "Accept"})
    lang = "nb" if request.headers.get("accept-language", "").lower().startswith(("nb", "nn", "no")) else "en"
    data = {
        "conforms": all(r.conforms() for r in results),
        "records": [{"handle": r.handle, "conforms": r.conforms(), "findings": [f.to_json(lang) for f in r.findings]} for r in results],
        "input_errors": [p.to_json() for p in report.errors],
    }
    return Response(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"), media_type="application/json", headers={"Vary": "Accept, Accept-Language"})


