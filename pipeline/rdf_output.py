"""Writers: records' triples out as N-Triples, N-Quads, Turtle, RDF/XML or JSON-LD.

pyoxigraph serializes from an iterator, so a stream of records is written without ever
holding more than one record. JSON-LD is written one compacted document per record
(one per line), against lodpub's published context (``vocab/context.jsonld``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, BinaryIO

from pyoxigraph import RdfFormat, serialize

from .mapping import MappedRecord
from .resources import data_file
from .terms import XSD_STRING, Lit, RdfTriple, Shape, Term, grouped, nq_lines, nt_lines, to_oxigraph
from .turtle import TurtleWriter

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class OutputFormat:
    name: str
    media_type: str
    suffix: str
    rdf_format: RdfFormat | None  # None: written by our JSON-LD compactor
    quads: bool = False


FORMATS: dict[str, OutputFormat] = {
    "turtle": OutputFormat("turtle", "text/turtle", "ttl", RdfFormat.TURTLE),
    "nt": OutputFormat("nt", "application/n-triples", "nt", RdfFormat.N_TRIPLES),
    "nq": OutputFormat("nq", "application/n-quads", "nq", RdfFormat.N_QUADS, quads=True),
    "rdfxml": OutputFormat("rdfxml", "application/rdf+xml", "rdf", RdfFormat.RDF_XML),
    "jsonld": OutputFormat("jsonld", "application/ld+json", "jsonld", None),
}


@cache
def context() -> dict[str, Any]:
    """lodpub's JSON-LD context (the object under ``@context``)."""
    return json.loads(data_file("vocab", "context.jsonld").read_text("utf-8"))["@context"]  # type: ignore[no-any-return]


@cache
def prefixes() -> dict[str, str]:
    return {k: v for k, v in context().items() if isinstance(v, str) and v.endswith(("/", "#"))}


@cache
def _terms() -> dict[str, str]:
    """Full IRI -> context term (``dcterms:title`` -> ``title``)."""
    pfx = prefixes()
    return {pfx[v.split(":")[0]] + v.split(":", 1)[1]: k for k, v in context().items()
            if isinstance(v, str) and ":" in v and not v.endswith(("/", "#")) and v.split(":")[0] in pfx}


def write_records(records: Iterable[MappedRecord], out: BinaryIO, format_: str, context_url: str | None = None) -> None:
    """Stream the records' triples to ``out`` in one format."""
    fmt = FORMATS[format_]
    if fmt.name == "nt":
        for r in records:
            out.write("".join(nt_lines(r.triples)).encode("utf-8"))
    elif fmt.name == "nq":
        for r in records:
            out.write("".join(nq_lines(r.triples, r.graph)).encode("utf-8"))
    elif fmt.rdf_format is None:
        for r in records:
            out.write(jsonld_line(r.triples, context_url) + b"\n")
    else:
        triples = (t for r in records for t in to_oxigraph(r.triples))
        serialize(triples, out, fmt.rdf_format, prefixes=prefixes())


@cache
def _turtle_writer() -> TurtleWriter:
    return TurtleWriter(prefixes())


def turtle_document(triples: list[RdfTriple], shape: Shape | None = None) -> bytes:
    """One record graph as Turtle with the context's prefixes, as the store keeps it and the
    server sends it (``pipeline/turtle.py``)."""
    return _turtle_writer().write(triples, shape).encode("utf-8")


def jsonld_line(triples: list[RdfTriple], context_url: str | None, shape: Shape | None = None) -> bytes:
    """One record's compacted JSON-LD on one line (an indenting encoder is several times slower),
    as the store keeps it, the server sends it and the dump writes it."""
    return json.dumps(compact_jsonld(triples, context_url, shape), ensure_ascii=False).encode("utf-8")


# -- JSON-LD compaction for lodpub's record graphs -----------------------------------------


_COMPACTED: dict[str, str] = {}  # IRI -> compact IRI (for @id, @type and datatypes)
_COMPACTED_KEYS: dict[str, str] = {}  # IRI -> context term or compact IRI (for property keys)


def _compact_iri(iri: str) -> str:
    found = _COMPACTED.get(iri)
    if found is None:
        found = _compact_iri_uncached(iri, {}, prefixes())
        if len(_COMPACTED) < 500_000:
            _COMPACTED[iri] = found
    return found


def _compact_key(iri: str) -> str:
    found = _COMPACTED_KEYS.get(iri)
    if found is None:
        found = _COMPACTED_KEYS[iri] = _compact_iri_uncached(iri, _terms(), prefixes())  # properties are few
    return found


def _compact_iri_uncached(iri: str, terms: dict[str, str], pfx: dict[str, str]) -> str:
    if iri in terms:
        return terms[iri]
    best = max((p for p in pfx if iri.startswith(pfx[p])), key=lambda p: len(pfx[p]), default=None)
    if best is not None:
        local = iri[len(pfx[best]):]
        if local and "/" not in local and "#" not in local and ":" not in local:
            return f"{best}:{local}"
    return iri


def _node_id(term: str) -> str:
    return term if term.startswith("_:") else _compact_iri(term)


def compact_jsonld(triples: list[RdfTriple], context_url: str | None = None, shape: Shape | None = None) -> dict[str, Any]:
    """A compacted JSON-LD document for one record's graph.

    Terms come from the context; other IRIs are compacted with its prefixes; RDF lists
    become ``@list`` (where ``terms.grouped`` finds them well formed); blank nodes keep their
    (deterministic) labels. The context is referenced by URL when one is given, else embedded.
    """
    subjects, lists, cells = shape or grouped(triples)

    def value(o: Term) -> Any:
        if type(o) is Lit:
            if o.lang:
                return {"@value": o.value, "@language": o.lang}
            if not o.datatype or o.datatype == XSD_STRING:
                return o.value
            return {"@value": o.value, "@type": _compact_iri(o.datatype)}
        found = lists.get(o)  # type: ignore[arg-type]
        if found is not None:
            return {"@list": [value(i) for i in found[0]]}
        return {"@id": _node_id(o)}  # type: ignore[arg-type]

    graph = []
    for subject, predicates in subjects.items():
        if subject in cells:
            continue
        node: dict[str, Any] = {"@id": _node_id(subject)}
        for p, objects in predicates.items():
            if p == RDF_TYPE:
                classes = [_compact_iri(o) for o in objects if type(o) is str]
                if classes:
                    node["@type"] = classes
                objects = [o for o in objects if type(o) is not str]  # a literal rdf:type object, if any
                if not objects:
                    continue
            values = [value(o) for o in objects]
            node[_compact_key(p)] = values[0] if len(values) == 1 else values
        graph.append(node)
    return {"@context": context_url or context(), "@graph": graph}
