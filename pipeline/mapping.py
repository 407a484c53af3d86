"""Record -> RDF, driven by the declarative table in ``mapping.toml``.

Each table entry names a *kind*; each kind is one small method of ``Mapper`` below.
Triples are pyoxigraph terms (fast to build and to serialize); blank-node labels are
derived from the handle, so the same input gives byte-identical N-Triples anywhere.
Every source field ends up either in the RDF or in the record's conversion report.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .terms import Lit, RdfTriple, Term, valid_language_tag

from . import __version__
from .handles import handle_from_uri
from .languages import LanguageTagger
from .record import Field, Record
from .settings import Settings
from .values import (
    doi_of,
    iri_safe,
    isbn_digits,
    issn_of,
    license_iri,
    looks_like_organisation,
    media_type_iri,
    orcid_iri,
    page_range,
    person_name,
    typed_date,
)
from .vocabularies.tables import Language, lookup_language, lookup_type
from .vocabularies.vdp import Vdp, default_vdp, resolve

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
BIBO = "http://purl.org/ontology/bibo/"
OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
LODPUB = "https://w3id.org/lodpub#"

COAR_VERSIONS = {
    "publishedversion": "http://purl.org/coar/version/c_970fb48d4fbd8a85",
    "acceptedversion": "http://purl.org/coar/version/c_ab4af688f83e57aa",
    "submittedversion": "http://purl.org/coar/version/c_71e4c1898caa6e32",
    "updatedversion": "http://purl.org/coar/version/c_e19f295774971610",
}
REVIEW_STATUS = {"peer reviewed": BIBO + "status/peerReviewed", "fagfellevurdert": BIBO + "status/peerReviewed", "non peer reviewed": BIBO + "status/nonPeerReviewed"}

_DEFAULT_TABLE = Path(__file__).with_name("mapping.toml")


def load_table(extra: Path | None = None) -> dict[str, Any]:
    """The default table, with a repository's own file merged over it field by field."""
    table = tomllib.loads(_DEFAULT_TABLE.read_text("utf-8"))
    if extra is not None:
        own = tomllib.loads(Path(extra).read_text("utf-8"))
        table["prefixes"].update(own.get("prefixes", {}))
        table["fields"].update(own.get("fields", {}))
    return table


@dataclass
class Note:
    """One line of a record's conversion report."""

    severity: str  # "warning" or "info"
    field: str | None
    message: str
    value: str | None = None

    def to_json(self) -> dict[str, str]:
        return {k: v for k, v in (("severity", self.severity), ("field", self.field), ("message", self.message), ("value", self.value)) if v is not None}


@dataclass
class MappedRecord:
    """A record's graph, and what a person needs to know about how it was made."""

    record: Record
    item: str
    graph: str
    triples: list[RdfTriple] = field(default_factory=list)
    origins: list[str | None] = field(default_factory=list)  # DSpace field of each triple
    mapped: list[str] = field(default_factory=list)
    unmapped: list[tuple[str, str, str]] = field(default_factory=list)  # (field, value, why)
    notes: list[Note] = field(default_factory=list)

    @property
    def handle(self) -> str:
        return self.record.handle

    def report_json(self) -> dict[str, Any]:
        src = self.record.source
        return {
            "handle": self.handle,
            "status": self.record.status.value,
            "source": src.describe(),
            "triples": len(self.triples),
            "mapped": sorted(set(self.mapped)),
            "unmapped": [{"field": f, "value": v, "reason": r} for f, v, r in self.unmapped],
            "notes": [n.to_json() for n in self.notes],
        }


class _Context:
    """Per-record state: the triples being built and the blank-node counter."""

    def __init__(self, out: MappedRecord, settings: Settings, record_language: Language | None) -> None:
        self.out = out
        self.settings = settings
        self.record_language = record_language
        self.item = out.item
        self._bnode_prefix = "b" + re.sub(r"[^A-Za-z0-9]", "x", out.record.handle)
        self._bnodes = 0
        self.field: str | None = None
        self.authors: list[str] = []
        self._seen: set[RdfTriple] = set()
        self._groups: dict[str, list[tuple[RdfTriple, str | None]]] = {out.item: []}

    def bnode(self) -> str:
        self._bnodes += 1
        return f"_:{self._bnode_prefix}n{self._bnodes}"

    def add(self, s: str, p: str, o: Term) -> None:
        """Add a triple once (a graph is a set: one VDP code given in two languages is one subject)."""
        t = (s, p, o)
        if t in self._seen:
            return
        self._seen.add(t)
        group = self._groups.get(s)
        if group is None:
            group = self._groups[s] = []
        group.append((t, self.field))

    def finish(self) -> None:
        """Write the triples grouped by subject, item first, others as they appeared:
        readable Turtle, and the same bytes every run."""
        for group in self._groups.values():
            for t, origin in group:
                self.out.triples.append(t)
                self.out.origins.append(origin)

    def note(self, severity: str, message: str, value: str | None = None) -> None:
        self.out.notes.append(Note(severity, self.field, message, value))

    def unmapped(self, value: str, why: str) -> None:
        self.out.unmapped.append((self.field or "", value, why))


class Mapper:
    """Maps Records to RDF with one table, one VDP scheme and one language tagger."""

    def __init__(self, settings: Settings | None = None, table: dict[str, Any] | None = None, vdp: Vdp | None = None, tagger: LanguageTagger | None = None) -> None:
        self.settings = settings or Settings()
        self.table = table or load_table(self.settings.mapping)
        self.prefixes: dict[str, str] = self.table["prefixes"]
        self.fields: dict[str, dict[str, Any]] = self.table["fields"]
        self.vdp = vdp or default_vdp()
        self.tagger = tagger or LanguageTagger()
        self._kinds: dict[str, Callable[[_Context, dict[str, Any], Field], None]] = {
            name[len("_kind_"):]: getattr(self, name) for name in dir(self) if name.startswith("_kind_")
        }
        for key, entry in self.fields.items():
            if entry.get("kind") not in self._kinds:
                raise ValueError(f"mapping for {key}: unknown kind {entry.get('kind')!r}; known: {', '.join(sorted(self._kinds))}")
            for name in ("property", "role"):  # expand CURIEs once, not per value
                if name in entry:
                    entry[name] = self.iri(entry[name])

    def iri(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes and not curie.startswith("http") else curie

    def map(self, record: Record) -> MappedRecord:
        """The record's graph, its triples' origins and its conversion report."""
        s = self.settings
        out = MappedRecord(record, s.item_iri(record.handle), s.document_iri(record.handle))
        if record.deleted:
            return out
        iso = next((f.value for f in record.fields if f.key in ("dc.language.iso", "dc.language")), None)
        ctx = _Context(out, s, lookup_language(iso) if iso else None)
        ctx.add(ctx.item, RDF + "type", DCTERMS + "BibliographicResource")
        self._identity(ctx)
        for f in record.fields:
            ctx.field = f.key
            entry = self.fields.get(f.key)
            if entry is None:
                ctx.unmapped(f.value, "no mapping for this field")
                ctx.note("info", "no mapping for this field: value listed as unmapped", f.value)
                continue
            self._kinds[entry["kind"]](ctx, entry, f)
            if entry["kind"] != "unmapped":
                out.mapped.append(f.key)
        ctx.field = None
        if ctx.authors:
            self._author_list(ctx)
        self._collections(ctx)
        self._files(ctx)
        self._provenance(ctx)
        ctx.finish()
        return out

    # -- structure around the fields ---------------------------------------------------

    def _identity(self, ctx: _Context) -> None:
        handle = ctx.out.record.handle
        ctx.add(ctx.item, OWL + "sameAs", "http://hdl.handle.net/" + handle)
        ctx.add(ctx.item, DCTERMS + "identifier", Lit(ctx.settings.item_iri(handle)))

    def _author_list(self, ctx: _Context) -> None:
        nodes = [ctx.bnode() for _ in ctx.authors]
        for node, agent, nxt in zip(nodes, ctx.authors, [*nodes[1:], None]):
            ctx.add(node, RDF + "first", agent)
            ctx.add(node, RDF + "rest", nxt if nxt is not None else RDF + "nil")
        ctx.add(ctx.item, BIBO + "authorList", nodes[0])

    def _collections(self, ctx: _Context) -> None:
        for spec in ctx.out.record.sets:
            m = re.fullmatch(r"col_(\d+(?:\.\d+)*)_(.+)", spec) or re.fullmatch(r"(\d+(?:\.\d+)*)/(.+)", spec)
            if m:
                ctx.add(ctx.item, DCTERMS + "isPartOf", ctx.settings.item_iri(f"{m.group(1)}/{m.group(2)}"))

    def _files(self, ctx: _Context) -> None:
        for b in ctx.out.record.files:
            if not b.url:
                continue
            node = iri_safe(b.url)
            ctx.add(ctx.item, DCTERMS + "hasPart", node)
            ctx.add(node, RDF + "type", FOAF + "Document")
            ctx.add(node, DCTERMS + "title", Lit(b.name))
            mt = media_type_iri(b.media_type or "")
            if mt:
                ctx.add(node, DCTERMS + "format", mt)
            if b.size is not None:
                ctx.add(node, "http://www.w3.org/ns/dcat#byteSize", Lit(str(b.size), None, XSD + "nonNegativeInteger"))

    def _provenance(self, ctx: _Context) -> None:
        doc, src = ctx.out.graph, ctx.out.record.source
        ctx.add(doc, RDF + "type", FOAF + "Document")
        ctx.add(doc, FOAF + "primaryTopic", ctx.item)
        modified = typed_date(src.datestamp or "")
        if modified:
            ctx.add(doc, DCTERMS + "modified", Lit(modified[0], None, modified[1]))
        if src.oai_identifier:
            ctx.add(doc, DCTERMS + "source", iri_safe(src.oai_identifier))
        elif src.file:
            ctx.add(doc, DCTERMS + "source", Lit(Path(src.file).name + (f" ({src.position})" if src.position else "")))
        agent = LODPUB + "software"
        ctx.add(doc, PROV + "wasAttributedTo", agent)
        ctx.add(agent, RDF + "type", PROV + "SoftwareAgent")
        ctx.add(agent, RDFS + "label", Lit(f"lodpub {__version__}"))

    # -- one method per kind -------------------------------------------------------------

    def _literal(self, ctx: _Context, text: str, tag: str | None) -> Lit:
        if tag:
            if valid_language_tag(tag):
                return Lit(text, tag)
            ctx.note("warning", f"language tag {tag!r} is not valid BCP 47: literal left untagged", text[:80])
        return Lit(text)

    def _kind_text(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        parts = self.tagger.split_bilingual(f.value) if entry.get("split") else [f.value]
        for part in parts:
            decision = self.tagger.decide(part, ctx.record_language, f.language, bool(entry.get("short")))
            ctx.add(ctx.item, entry["property"], self._literal(ctx, part, decision.tag))
        if len(parts) > 1:
            ctx.note("info", f"bilingual value split into {len(parts)} literals", f.value[:80])

    def _kind_plain(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        datatype = entry.get("datatype")
        ctx.add(ctx.item, entry["property"], Lit(f.value, None, self.iri(datatype)) if datatype else Lit(f.value))

    def _kind_date(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        typed = typed_date(f.value)
        if typed is None:
            ctx.note("warning", "not a date DSpace or XSD knows (YYYY, YYYY-MM, YYYY-MM-DD or a timestamp): kept as a plain literal", f.value)
            ctx.add(ctx.item, entry["property"], Lit(f.value))
            return
        ctx.add(ctx.item, entry["property"], Lit(typed[0], None, typed[1]))

    def _kind_agent(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        orcid = orcid_iri(f.authority)
        agent = orcid or ctx.bnode()
        organisation = bool(entry.get("organisation")) or looks_like_organisation(f.value)
        name = person_name(f.value) if not organisation else None
        if organisation:
            ctx.add(agent, RDF + "type", FOAF + "Organization")
            ctx.add(agent, FOAF + "name", Lit(f.value))
        elif name and name.family:
            ctx.add(agent, RDF + "type", FOAF + "Person")
            ctx.add(agent, FOAF + "name", Lit(name.name))
            ctx.add(agent, FOAF + "familyName", Lit(name.family))
            ctx.add(agent, FOAF + "givenName", Lit(name.given or ""))
        else:
            ctx.add(agent, RDF + "type", FOAF + "Agent")
            ctx.add(agent, FOAF + "name", Lit(f.value))
        if f.authority and not orcid:
            ctx.add(agent, DCTERMS + "identifier", Lit(f.authority))
        ctx.add(ctx.item, entry["property"], agent)
        if entry.get("role"):
            ctx.add(ctx.item, entry["role"], agent)
        if entry.get("ordered"):
            ctx.authors.append(agent)

    def _kind_handle(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        if handle_from_uri(f.value) == ctx.out.record.handle:
            return  # the item's own IRI, written by _identity
        ctx.add(ctx.item, DCTERMS + "identifier", Lit(f.value))
        ctx.note("info", "a second dc.identifier.uri: kept as dcterms:identifier", f.value)

    def _kind_doi(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        doi = doi_of(f.value)
        if doi is None:
            ctx.note("warning", "not a DOI (10.NNNN/...): kept as dcterms:identifier", f.value)
            ctx.add(ctx.item, DCTERMS + "identifier", Lit(f.value))
            return
        ctx.add(ctx.item, OWL + "sameAs", "https://doi.org/" + iri_safe(doi))
        ctx.add(ctx.item, BIBO + "doi", Lit(doi))

    def _kind_isbn(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        digits = isbn_digits(f.value)
        if digits:
            ctx.add(ctx.item, BIBO + ("isbn13" if len(digits) == 13 else "isbn10"), Lit(digits))
            if re.search(r"\(.*\)", f.value):  # "(trykt)", "(elektronisk)": which edition
                ctx.add(ctx.item, DCTERMS + "identifier", Lit("ISBN " + f.value))
        else:
            ctx.note("warning", "not a valid ISBN (check digit or length): kept as dcterms:identifier", f.value)
            ctx.add(ctx.item, DCTERMS + "identifier", Lit(f.value))

    def _kind_issn(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        issn = issn_of(f.value)
        if issn:
            ctx.add(ctx.item, BIBO + "issn", Lit(issn))
        else:
            ctx.note("warning", "not an ISSN (NNNN-NNNN): kept as dcterms:identifier", f.value)
            ctx.add(ctx.item, DCTERMS + "identifier", Lit(f.value))

    def _kind_cristin(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        value = f.value.strip()
        ctx.add(ctx.item, DCTERMS + "identifier", Lit("cristin:" + value))
        if value.isdigit():
            ctx.add(ctx.item, RDFS + "seeAlso", f"https://app.cristin.no/results/show.jsf?id={value}")

    def _kind_identifier(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        if doi_of(f.value):
            self._kind_doi(ctx, entry, f)
        elif isbn_digits(f.value) and not issn_of(f.value):
            self._kind_isbn(ctx, entry, f)
        elif issn_of(f.value):
            self._kind_issn(ctx, entry, f)
        else:
            ctx.add(ctx.item, DCTERMS + "identifier", Lit(f.value))

    def _kind_iri(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        value = f.value.strip()
        if re.match(r"^https?://[^\s/]", value):
            ctx.add(ctx.item, entry["property"], iri_safe(value))
        else:
            decision = self.tagger.decide(value, ctx.record_language, f.language, short_field=True)
            ctx.add(ctx.item, entry["property"], self._literal(ctx, value, decision.tag))

    def _kind_license(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        iri = license_iri(f.value)
        if iri:
            ctx.add(ctx.item, DCTERMS + "license", iri_safe(iri))
        else:
            ctx.note("warning", "dc.rights.uri is not a URI: kept as dcterms:rights", f.value)
            ctx.add(ctx.item, DCTERMS + "rights", Lit(f.value))

    def _kind_mediatype(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        iri = media_type_iri(f.value)
        if iri:
            ctx.add(ctx.item, DCTERMS + "format", iri)
        else:
            ctx.add(ctx.item, DCTERMS + "format", Lit(f.value))

    def _kind_language(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        lang = lookup_language(f.value)
        if lang is None:
            ctx.unmapped(f.value, "not a language lodpub knows (see vocab/languages.csv)")
            ctx.note("warning", "language not known: not mapped", f.value)
            return
        ctx.add(ctx.item, DCTERMS + "language", lang.iri)

    def _kind_type(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        found = lookup_type(f.value)
        if found == "status":
            status = REVIEW_STATUS.get(f.value.strip().casefold())
            if status:
                ctx.add(ctx.item, BIBO + "status", status)
            return
        if found is None:
            ctx.note("warning", "type not known (see vocab/type-mapping.csv): kept as a literal dcterms:type", f.value)
            ctx.add(ctx.item, DCTERMS + "type", Lit(f.value))
            return
        assert not isinstance(found, str)
        ctx.add(ctx.item, DCTERMS + "type", found.iri)
        ctx.add(ctx.item, RDF + "type", self.iri(found.rdf_class))

    def _kind_version(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        iri = COAR_VERSIONS.get(f.value.strip().casefold())
        if iri:
            ctx.add(ctx.item, self.iri("oaire:version"), iri)
        else:
            ctx.unmapped(f.value, "not a COAR version (publishedVersion, acceptedVersion, submittedVersion)")
            ctx.note("warning", "version not known: not mapped", f.value)

    def _kind_vdp(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        for r in resolve(f.value, self.vdp):
            if r.concept is None:
                ctx.note("warning", r.error or "VDP value not resolved", r.value)
                ctx.add(ctx.item, DCTERMS + "subject", Lit(r.value.strip()))
                continue
            for w in r.warnings:
                ctx.note("warning", w, r.value)
            ctx.add(ctx.item, DCTERMS + "subject", ctx.settings.vdp_namespace + r.concept.code)

    def _kind_pages(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        ctx.add(ctx.item, BIBO + "pages", Lit(f.value))
        pages = page_range(f.value)
        if pages:
            ctx.add(ctx.item, BIBO + "pageStart", Lit(pages[0]))
            ctx.add(ctx.item, BIBO + "pageEnd", Lit(pages[1]))

    def _kind_unmapped(self, ctx: _Context, entry: dict[str, Any], f: Field) -> None:
        ctx.unmapped(f.value, entry.get("reason", "not published"))


