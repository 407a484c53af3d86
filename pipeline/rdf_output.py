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
from .terms import XSD_STRING, Lit, RdfTriple, Term, nq_lines, nt_lines, to_oxigraph

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


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


def jsonld_line(triples: list[RdfTriple], context_url: str | None) -> bytes:
    """One record's compacted JSON-LD on one line (an indenting encoder is several times slower),
    as the store keeps it, the server sends it and the dump writes it."""
    return json.dumps(compact_jsonld(triples, context_url), ensure_ascii=False).encode("utf-8")


# -- JSON-LD compaction for lodpub's record graphs -----------------------------------------


_COMPACTED: dict[tuple[str, bool], str] = {}


def _compact_iri(iri: str, terms: dict[str, str], pfx: dict[str, str]) -> str:
    key = (iri, bool(terms))
    found = _COMPACTED.get(key)
    if found is None:
        found = _compact_iri_uncached(iri, terms, pfx)
        if len(_COMPACTED) < 500_000:
            _COMPACTED[key] = found
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


def _node_id(term: str, pfx: dict[str, str]) -> str:
    return term if term.startswith("_:") else _compact_iri(term, {}, pfx)


def compact_jsonld(triples: list[RdfTriple], context_url: str | None = None) -> dict[str, Any]:
    """A compacted JSON-LD document for one record's graph.

    Terms come from the context; other IRIs are compacted with its prefixes; rdf:List
    cells become ``@list``; blank nodes keep their (deterministic) labels. The context is
    referenced by URL when one is given, else embedded.
    """
    ctx = context()
    pfx = prefixes()
    terms = _terms()
    by_subject: dict[str, list[RdfTriple]] = {}
    for t in triples:
        by_subject.setdefault(t[0], []).append(t)

    def list_items(head: Term) -> list[Term] | None:
        items: list[Term] = []
        node, seen = head, set()
        while isinstance(node, str) and node.startswith("_:") and node in by_subject and node not in seen:
            seen.add(node)
            cell = {p: o for _s, p, o in by_subject[node]}
            if set(cell) != {RDF + "first", RDF + "rest"}:
                return None
            items.append(cell[RDF + "first"])
            node = cell[RDF + "rest"]
        return items if node == RDF + "nil" else None

    list_cells: set[str] = set()
    lists: dict[str, list[Term]] = {}
    for subject_triples in by_subject.values():
        for _s, _p, o in subject_triples:
            if isinstance(o, str) and o.startswith("_:") and o not in lists:
                items = list_items(o)
                if items is not None:
                    lists[o] = items
                    node: Term = o
                    for _ in items:
                        assert isinstance(node, str)
                        list_cells.add(node)
                        node = next(x[2] for x in by_subject[node] if x[1] == RDF + "rest")

    def value(o: Term) -> Any:
        if isinstance(o, Lit):
            if o.lang:
                return {"@value": o.value, "@language": o.lang}
            if not o.datatype or o.datatype == XSD_STRING:
                return o.value
            return {"@value": o.value, "@type": _compact_iri(o.datatype, {}, pfx)}
        if o in lists:
            return {"@list": [value(i) for i in lists[o]]}
        return {"@id": _node_id(o, pfx)}

    graph = []
    for subject, subject_triples in by_subject.items():
        if subject in list_cells:
            continue
        node_json: dict[str, Any] = {"@id": _node_id(subject, pfx)}
        for _s, p, o in subject_triples:
            if p == RDF + "type" and isinstance(o, str):
                node_json.setdefault("@type", []).append(_compact_iri(o, {}, pfx))
                continue
            node_json.setdefault(_compact_iri(p, terms, pfx), []).append(value(o))
        graph.append({k: (v[0] if isinstance(v, list) and len(v) == 1 and k != "@type" else v) for k, v in node_json.items()})
    return {"@context": context_url or ctx, "@graph": graph}
