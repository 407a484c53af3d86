"""Data shaped for the HTML templates (no RDF in templates): records, concepts, the scheme.

Labels are picked in the page's language, falling back to the other one; the VDP path of
a subject comes from the scheme's broader links.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pipeline.terms import Lit, RdfTriple, Term

DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
BIBO = "http://purl.org/ontology/bibo/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
MARC = "http://id.loc.gov/vocabulary/relators/"


class Index:
    """Triples by subject and predicate."""

    def __init__(self, triples: list[RdfTriple]) -> None:
        self.by: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            self.by[s][p].append(o)

    def values(self, s: str, p: str) -> list[Term]:
        return self.by.get(s, {}).get(p, [])

    def one(self, s: str, p: str) -> Term | None:
        v = self.values(s, p)
        return v[0] if v else None


def pick(values: list[Term], lang: str) -> str | None:
    """The literal in the page's language, else Norwegian/English, else any."""
    lits = [v for v in values if isinstance(v, Lit)]
    for wanted in (lang, "nb" if lang == "en" else "en", "nn", "no", None):
        for v in lits:
            if (v.lang or None) == wanted or (wanted and v.lang and v.lang.startswith(wanted + "-")):
                return v.value
    return lits[0].value if lits else None


@dataclass
class Vocabulary:
    """The vocabularies the pages need, kept in memory: a few thousand triples."""

    index: Index
    vdp_namespace: str

    def label(self, iri: str, lang: str) -> str | None:
        return pick(self.index.values(iri, SKOS + "prefLabel") or self.index.values(iri, RDFS + "label"), lang)

    def path(self, concept: str) -> list[str]:
        chain = [concept]
        seen = {concept}
        while (b := self.index.one(chain[0], SKOS + "broader")) and isinstance(b, str) and b not in seen:
            chain.insert(0, b)
            seen.add(b)
        return chain

    def code(self, concept: str) -> str:
        return concept[len(self.vdp_namespace):] if concept.startswith(self.vdp_namespace) else concept


@dataclass
class Person:
    name: str
    orcid: str | None = None


@dataclass
class RecordPage:
    item: str
    handle: str
    title: str | None
    titles: list[tuple[str, str | None]]
    alternatives: list[tuple[str, str | None]]
    authors: list[Person]
    advisors: list[Person]
    issued: str | None
    abstracts: list[tuple[str, str | None]]
    keywords: list[tuple[str, str | None]]
    vdp_paths: list[list[tuple[str, str, str]]]  # [(code, label, url)]
    type_label: str | None
    type_iri: str | None
    language_label: str | None
    publishers: list[str]
    doi: str | None
    license: str | None
    files: list[tuple[str, str, str | None]]  # (url, name, media type)
    collections: list[str]
    meta: list[tuple[str, str]] = field(default_factory=list)  # Highwire citation_* tags


def _people(index: Index, agents: list[Term]) -> list[Person]:
    out = []
    for a in agents:
        if isinstance(a, Lit):
            continue
        name = index.one(a, FOAF + "name")
        out.append(Person(name.value if isinstance(name, Lit) else a, a if a.startswith("https://orcid.org/") else None))
    return out


def _ordered_authors(index: Index, item: str) -> list[Term]:
    head = index.one(item, BIBO + "authorList")
    ordered: list[Term] = []
    seen: set[str] = set()
    while isinstance(head, str) and head != RDF + "nil" and head not in seen:
        seen.add(head)
        first = index.one(head, RDF + "first")
        if first is not None:
            ordered.append(first)
        head = index.one(head, RDF + "rest")
    return ordered or index.values(item, DCT + "creator")


def _texts(values: list[Term]) -> list[tuple[str, str | None]]:
    return [(v.value, v.lang) for v in values if isinstance(v, Lit)]


def record_page(triples: list[RdfTriple], item: str, handle: str, vocab: Vocabulary, lang: str) -> RecordPage:
    index = Index(triples)
    titles = _texts(index.values(item, DCT + "title"))
    authors = _people(index, _ordered_authors(index, item))
    subjects = index.values(item, DCT + "subject")
    vdp = [s for s in subjects if isinstance(s, str) and s.startswith(vocab.vdp_namespace)]
    paths = [[(vocab.code(c), vocab.label(c, lang) or vocab.code(c), "/vocab/vdp/" + vocab.code(c)) for c in vocab.path(concept)] for concept in vdp]
    type_iri = next((t for t in index.values(item, DCT + "type") if isinstance(t, str)), None)
    language = next((t for t in index.values(item, DCT + "language") if isinstance(t, str)), None)
    files = []
    for part in index.values(item, DCT + "hasPart"):
        if isinstance(part, str):
            name = index.one(part, DCT + "title")
            fmt = index.one(part, DCT + "format")
            files.append((part, name.value if isinstance(name, Lit) else part.rsplit("/", 1)[-1], fmt.rsplit("/", 2)[-2] + "/" + fmt.rsplit("/", 1)[-1] if isinstance(fmt, str) else None))
    doi = index.one(item, BIBO + "doi")
    issued = index.one(item, DCT + "issued")
    page = RecordPage(
        item=item,
        handle=handle,
        title=pick(index.values(item, DCT + "title"), lang),
        titles=titles,
        alternatives=_texts(index.values(item, DCT + "alternative")),
        authors=authors,
        advisors=_people(index, index.values(item, MARC + "ths")),
        issued=issued.value if isinstance(issued, Lit) else None,
        abstracts=_texts(index.values(item, DCT + "abstract")),
        keywords=[(k.value, k.lang) for k in subjects if isinstance(k, Lit)],
        vdp_paths=paths,
        type_label=vocab.label(type_iri, lang) if type_iri else None,
        type_iri=type_iri,
        language_label=vocab.label(language, lang) if language else None,
        publishers=[p.name for p in _people(index, index.values(item, DCT + "publisher"))],
        doi=doi.value if isinstance(doi, Lit) else None,
        license=next((x for x in index.values(item, DCT + "license") if isinstance(x, str)), None),
        files=files,
        collections=[c for c in index.values(item, DCT + "isPartOf") if isinstance(c, str)],
    )
    page.meta = citation_meta(page)
    return page


def citation_meta(page: RecordPage) -> list[tuple[str, str]]:
    """Highwire Press tags, which Google Scholar reads."""
    meta: list[tuple[str, str]] = []
    if page.title:
        meta.append(("citation_title", page.title))
    meta += [("citation_author", a.name) for a in page.authors]
    if page.issued:
        meta.append(("citation_publication_date", page.issued.replace("-", "/")))
    if page.doi:
        meta.append(("citation_doi", page.doi))
    meta += [("citation_publisher", p) for p in page.publishers]
    meta += [("citation_pdf_url", url) for url, _name, media in page.files if media == "application/pdf"]
    meta.append(("citation_public_url", page.item))
    return meta


def concept_page(vocab: Vocabulary, concept: str, lang: str) -> dict[str, Any]:
    index = vocab.index
    narrower = sorted((vocab.code(n), vocab.label(n, lang) or "") for n in index.values(concept, SKOS + "narrower") if isinstance(n, str))
    return {
        "iri": concept,
        "code": vocab.code(concept),
        "label": vocab.label(concept, lang),
        "labels": _texts(index.values(concept, SKOS + "prefLabel")),
        "alt": _texts(index.values(concept, SKOS + "altLabel")),
        "notes": [n.value for n in index.values(concept, SKOS + "changeNote") if isinstance(n, Lit)],
        "path": [(vocab.code(c), vocab.label(c, lang) or vocab.code(c)) for c in vocab.path(concept)[:-1]],
        "narrower": narrower,
    }
