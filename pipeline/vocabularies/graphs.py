"""The vocabularies as the graphs the store and the dumps carry: VDP, COAR types, languages."""

from __future__ import annotations

from pyoxigraph import RdfFormat, parse

from ..resources import data_file
from ..settings import Settings
from ..terms import Lit, RdfTriple, nt_lines
from .dspace_xml import DEFAULT_NAMESPACE
from .tables import COAR_SCHEME, coar_types, read_table

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCTERMS = "http://purl.org/dc/terms/"
LEXVO = "http://lexvo.org/id/iso639-3/"
LODPUB_GRAPH = "https://w3id.org/lodpub/graph/"


def vdp_triples(settings: Settings) -> list[RdfTriple]:
    """vocab/vdp.ttl, with the concept namespace moved to the configured one."""
    ns_from, ns_to = DEFAULT_NAMESPACE, settings.vdp_namespace

    def move(value: str) -> str:
        if value.startswith(ns_from):
            return ns_to + value[len(ns_from):]
        return ns_to.rstrip("/") if value == ns_from.rstrip("/") else value

    out: list[RdfTriple] = []
    with open(data_file("vocab", "vdp.ttl"), "rb") as f:
        for t in parse(f, format=RdfFormat.TURTLE):
            o = t.object
            obj = Lit(o.value, o.language, None if o.language or o.datatype.value.endswith("#string") else o.datatype.value) if hasattr(o, "datatype") else move(o.value)
            out.append((move(t.subject.value), t.predicate.value, obj))
    return out


def coar_triples() -> list[RdfTriple]:
    """The COAR types lodpub uses, with COAR's English label and our Norwegian ones."""
    out: list[RdfTriple] = [(COAR_SCHEME, RDF_TYPE, SKOS + "ConceptScheme"), (COAR_SCHEME, DCTERMS + "title", Lit("COAR Resource Types", "en"))]
    for t in coar_types().values():
        out.append((t.iri, RDF_TYPE, SKOS + "Concept"))
        out.append((t.iri, SKOS + "inScheme", COAR_SCHEME))
        out.append((t.iri, SKOS + "notation", Lit(t.id)))
        for lang, label in sorted(t.labels.items()):
            out.append((t.iri, SKOS + "prefLabel", Lit(label, lang)))
    return out


def language_triples() -> list[RdfTriple]:
    out: list[RdfTriple] = []
    seen: set[str] = set()
    for row in read_table(data_file("vocab", "languages.csv")):
        code = row["iso639_3"]
        if not code or code in seen:
            continue
        seen.add(code)
        iri = LEXVO + code
        out.append((iri, SKOS + "notation", Lit(code)))
        for lang in ("en", "nb"):
            if row[lang]:
                out.append((iri, RDFS_LABEL, Lit(row[lang], lang)))
    return out


def vocabulary_graphs(settings: Settings) -> dict[str, list[RdfTriple]]:
    """Graph name -> triples, for every vocabulary lodpub publishes beside the records."""
    return {
        settings.vdp_namespace.rstrip("/"): vdp_triples(settings),
        LODPUB_GRAPH + "coar": coar_triples(),
        LODPUB_GRAPH + "languages": language_triples(),
    }


def ntriples(triples: list[RdfTriple]) -> bytes:
    return "".join(nt_lines(triples)).encode("utf-8")


