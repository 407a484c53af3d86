"""Writers: records' triples out as N-Triples, N-Quads, Turtle, RDF/XML or JSON-LD.

pyoxigraph serializes from an iterator, so a stream of records is written without ever
holding more than one record. JSON-LD is written one compacted document per record
(one per line), against lodpub's published context (``vocab/context.jsonld``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, BinaryIO

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from .mapping import MappedRecord
from .resources import data_file

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = RDF + "langString"


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


def prefixes() -> dict[str, str]:
    return {k: v for k, v in context().items() if isinstance(v, str) and v.endswith(("/", "#"))}


def _quads(records: Iterable[MappedRecord]) -> Iterator[Quad]:
    for r in records:
        for t in r.triples:
            yield Quad(t.subject, t.predicate, t.object, r.graph)


def _triples(records: Iterable[MappedRecord]) -> Iterator[Triple]:
    for r in records:
        yield from r.triples


def write_records(records: Iterable[MappedRecord], out: BinaryIO, format_: str, context_url: str | None = None) -> None:
    """Stream the records' triples to ``out`` in one format."""
    fmt = FORMATS[format_]
    if fmt.rdf_format is None:
        for r in records:
            out.write(json.dumps(compact_jsonld(r.triples, context_url), ensure_ascii=False, sort_keys=False).encode("utf-8") + b"\n")
        return
    items: Iterable[Any] = _quads(records) if fmt.quads else _triples(records)
    kwargs: dict[str, Any] = {"prefixes": prefixes()} if fmt.rdf_format in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else {}
    serialize(items, out, fmt.rdf_format, **kwargs)


def serialize_record(record: MappedRecord, format_: str, context_url: str | None = None) -> bytes:
    """One record in one format, as bytes (for the server)."""
    import io

    buf = io.BytesIO()
    if FORMATS[format_].rdf_format is None:
        return json.dumps(compact_jsonld(record.triples, context_url), ensure_ascii=False, indent=2).encode("utf-8")
    write_records([record], buf, format_)
    return buf.getvalue()


# -- JSON-LD compaction for lodpub's record graphs -----------------------------------------


def _compact_iri(iri: str, terms: dict[str, str], pfx: dict[str, str]) -> str:
    if iri in terms:
        return terms[iri]
    best = max((p for p in pfx if iri.startswith(pfx[p])), key=lambda p: len(pfx[p]), default=None)
    if best is not None:
        local = iri[len(pfx[best]):]
        if local and "/" not in local and "#" not in local and ":" not in local:
            return f"{best}:{local}"
    return iri


def _node_id(term: NamedNode | BlankNode, pfx: dict[str, str]) -> str:
    return "_:" + term.value if isinstance(term, BlankNode) else _compact_iri(term.value, {}, pfx)


def compact_jsonld(triples: list[Triple], context_url: str | None = None) -> dict[str, Any]:
    """A compacted JSON-LD document for one record's graph.

    Terms come from the context; other IRIs are compacted with its prefixes; rdf:List
    cells become ``@list``; blank nodes keep their (deterministic) labels. The context is
    referenced by URL when one is given, else embedded.
    """
    ctx = context()
    pfx = prefixes()
    terms = {pfx[v.split(":")[0]] + v.split(":", 1)[1]: k for k, v in ctx.items() if isinstance(v, str) and ":" in v and not v.endswith(("/", "#")) and v.split(":")[0] in pfx}
    by_subject: dict[str, list[Triple]] = {}
    order: list[str] = []
    for t in triples:
        key = str(t.subject)
        if key not in by_subject:
            by_subject[key] = []
            order.append(key)
        by_subject[key].append(t)

    def list_items(head: BlankNode) -> list[Any] | None:
        items, node, seen = [], head, set()
        while isinstance(node, BlankNode) and str(node) in by_subject and str(node) not in seen:
            seen.add(str(node))
            cell = {t.predicate.value: t.object for t in by_subject[str(node)]}
            if set(cell) != {RDF + "first", RDF + "rest"}:
                return None
            items.append(cell[RDF + "first"])
            node = cell[RDF + "rest"]
        return items if isinstance(node, NamedNode) and node.value == RDF + "nil" else None

    list_cells: set[str] = set()
    lists: dict[str, list[Any]] = {}
    for key in order:
        for t in by_subject[key]:
            if isinstance(t.object, BlankNode):
                items = list_items(t.object)
                if items is not None:
                    lists[str(t.object)] = items
                    node = t.object
                    for _ in items:
                        list_cells.add(str(node))
                        node = next(x.object for x in by_subject[str(node)] if x.predicate.value == RDF + "rest")  # type: ignore[assignment]

    def value(o: Any) -> Any:
        if isinstance(o, Literal):
            dt = o.datatype.value if o.datatype else XSD_STRING
            if o.language:
                return {"@value": o.value, "@language": o.language}
            if dt == XSD_STRING:
                return o.value
            return {"@value": o.value, "@type": _compact_iri(dt, {}, pfx)}
        if isinstance(o, BlankNode) and str(o) in lists:
            return {"@list": [value(i) for i in lists[str(o)]]}
        return {"@id": _node_id(o, pfx)}

    graph = []
    for key in order:
        if key in list_cells:
            continue
        triples_of = by_subject[key]
        node: dict[str, Any] = {"@id": _node_id(triples_of[0].subject, pfx)}  # type: ignore[arg-type]
        for t in triples_of:
            if t.predicate.value == RDF + "type" and isinstance(t.object, NamedNode):
                node.setdefault("@type", []).append(_compact_iri(t.object.value, {}, pfx))
                continue
            name = _compact_iri(t.predicate.value, terms, pfx)
            node.setdefault(name, []).append(value(t.object))
        graph.append({k: (v[0] if isinstance(v, list) and len(v) == 1 and k != "@type" else v) for k, v in node.items()})
    return {"@context": context_url or ctx, "@graph": graph}
