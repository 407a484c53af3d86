"""The four metadata formats DSpace's OAI-PMH provider offers, turned into Fields.

* ``dim``: DSpace's own model, one ``<dim:field mdschema element qualifier lang authority confidence>``
  per value (language in ``lang``, not ``xml:lang``).
* ``xoai``: nested ``<element name>`` levels schema -> element -> [qualifier] -> language
  (``none`` = no language) -> ``<field name="value">``; only the depth tells
  ``description/en`` (no qualifier) from ``description/abstract/en``. ``authority`` and
  ``confidence`` fields belong to the ``value`` field just before them.
* ``oai_dc``: unqualified DC, no languages. Values are placed in the DSpace field they
  unambiguously come from (a handle URI is ``dc.identifier.uri``, a ``VDP::`` path is
  ``dc.subject.nsi``); anything else stays unqualified.
* ``qdc``: DSpace's qualified-DC crosswalk. Its ``dcterms:created`` is a copy of
  ``dc.date.available`` (a crosswalk quirk) and is dropped with a note when it is one.
"""

from __future__ import annotations

import re

from lxml import etree

from ..record import Bitstream, Field
from ..report import Report
from .values import make_fields, parse_confidence
from .xml import text_of

DIM = "http://www.dspace.org/xmlns/dspace/dim"
XOAI = "http://www.lyncode.com/xoai"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
QDC = "http://dspace.org/qualifieddc/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"

_FORMATS = {DIM: "dim", XOAI: "xoai", OAI_DC: "oai_dc", QDC: "qdc"}

RawField = tuple[str, str, str | None, str, str | None, str | None, int | None]
Extra = dict[str, object]


def format_of(payload: etree._Element) -> str | None:
    """The metadataPrefix a payload element is written in, told by its namespace."""
    return _FORMATS.get(etree.QName(payload).namespace or "")


def read_payload(
    format_: str, payload: etree._Element, *, report: Report, source: str, position: str
) -> tuple[tuple[Field, ...], Extra]:
    """Fields of one record's metadata, plus extras (xoai handle and files)."""
    extra: Extra = {}
    if format_ == "dim":
        raw = _read_dim(payload, report, source, position)
    elif format_ == "xoai":
        raw = _read_xoai(payload, report, source, position, extra)
    else:
        raw = _read_dc(payload, report, source, position)
    return make_fields(raw), extra


def _read_dim(payload: etree._Element, report: Report, source: str, position: str) -> list[RawField]:
    raw: list[RawField] = []
    for f in payload.iter(f"{{{DIM}}}field"):
        schema, element = f.get("mdschema"), f.get("element")
        if not schema or not element:
            report.error("dim:field without mdschema or element: value skipped", source=source, position=f"{position}, line {f.sourceline}", value=text_of(f)[:80])
            continue
        raw.append((schema, element, f.get("qualifier") or None, text_of(f), f.get("lang"), f.get("authority"), parse_confidence(f.get("confidence"))))
    return raw


def _named(elem: etree._Element, tag: str) -> list[etree._Element]:
    return [c for c in elem if isinstance(c.tag, str) and etree.QName(c).localname == tag]


def _read_xoai(payload: etree._Element, report: Report, source: str, position: str, extra: Extra) -> list[RawField]:
    raw: list[RawField] = []
    for top in _named(payload, "element"):
        name = top.get("name") or ""
        if name == "bundles":
            extra["files"] = _xoai_files(top)
        elif name == "others":
            for f in _named(top, "field"):
                if f.get("name") == "handle":
                    extra["handle"] = text_of(f).strip()
        elif name in ("repository", "license"):
            continue
        else:
            for element in _named(top, "element"):
                _xoai_element(name, element, raw, report, source, position)
    return raw


def _xoai_element(schema: str, element: etree._Element, raw: list[RawField], report: Report, source: str, position: str) -> None:
    """schema/element/(qualifier/)?language/field: the depth decides what a level means."""
    ename = element.get("name") or ""
    for child in _named(element, "element"):
        if _named(child, "field"):  # child is a language level
            _xoai_values(schema, ename, None, child, raw)
        for grandchild in _named(child, "element"):
            if _named(grandchild, "element"):
                report.warning(f"xoai nesting deeper than schema/element/qualifier/language under {schema}.{ename}: skipped", source=source, position=f"{position}, line {grandchild.sourceline}", field=f"{schema}.{ename}")
                continue
            # child is a qualifier, grandchild a language level
            _xoai_values(schema, ename, child.get("name"), grandchild, raw)


def _xoai_values(schema: str, element: str, qualifier: str | None, lang_elem: etree._Element, raw: list[RawField]) -> None:
    lang = lang_elem.get("name")
    language = None if lang in (None, "none") else lang
    current: list[object] | None = None
    for f in _named(lang_elem, "field"):
        kind = f.get("name")
        if kind == "value":
            if current is not None:
                raw.append(tuple(current))  # type: ignore[arg-type]
            current = [schema, element, qualifier, text_of(f), language, None, None]
        elif current is not None and kind == "authority":
            current[5] = text_of(f).strip() or None
        elif current is not None and kind == "confidence":
            current[6] = parse_confidence(text_of(f).strip())
    if current is not None:
        raw.append(tuple(current))  # type: ignore[arg-type]


def _xoai_files(bundles: etree._Element) -> list[Bitstream]:
    files = []
    for bundle in _named(bundles, "element"):
        fields = {f.get("name"): text_of(f).strip() for f in _named(bundle, "field")}
        if fields.get("name") != "ORIGINAL":
            continue
        for group in _named(bundle, "element"):
            for bs in _named(group, "element"):
                v = {f.get("name"): text_of(f).strip() for f in _named(bs, "field")}
                size = v.get("size")
                files.append(
                    Bitstream(
                        name=v.get("name") or v.get("originalName") or "",
                        url=v.get("url") or None,
                        media_type=v.get("format") or None,
                        size=int(size) if size and size.isdigit() else None,
                        checksum=(f"{v.get('checksumAlgorithm', 'MD5').lower()}:{v['checksum']}" if v.get("checksum") else None),
                    )
                )
    return files


_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?10\.\d{4,9}/\S+$", re.IGNORECASE)
_HANDLE_URI = re.compile(r"^https?://hdl\.handle\.net/", re.IGNORECASE)
_ISSN = re.compile(r"^\d{4}-\d{3}[\dXx]$")
_ISBN = re.compile(r"^(?:97[89][- ]?)?\d{1,5}[- ]?\d+[- ]?\d+[- ]?[\dXx](?:\s*\(.*\))?$")
_MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9.+-]+(?:;.*)?$", re.IGNORECASE)
_VERSIONS = frozenset({"publishedVersion", "acceptedVersion", "submittedVersion", "updatedVersion"})

# dcterms elements of DSpace's qdc crosswalk -> the DSpace field they come from.
_QDC_TERMS = {
    "abstract": ("description", "abstract"),
    "alternative": ("title", "alternative"),
    "issued": ("date", "issued"),
    "dateAccepted": ("date", "accessioned"),
    "available": ("date", "available"),
    "created": ("date", "created"),
    "extent": ("format", "extent"),
    "medium": ("format", "medium"),
    "isPartOf": ("relation", "ispartof"),
    "hasPart": ("relation", "haspart"),
    "isVersionOf": ("relation", "isversionof"),
    "hasVersion": ("relation", "hasversion"),
    "isReferencedBy": ("relation", "isreferencedby"),
    "requires": ("relation", "requires"),
    "replaces": ("relation", "replaces"),
    "isReplacedBy": ("relation", "isreplacedby"),
    "spatial": ("coverage", "spatial"),
    "temporal": ("coverage", "temporal"),
    "bibliographicCitation": ("identifier", "citation"),
    "license": ("rights", "uri"),
    "tableOfContents": ("description", "tableofcontents"),
    "accessRights": ("rights", "accessrights"),
}


def _dc_qualifier(element: str, value: str) -> tuple[str, str | None]:
    """Place an unqualified DC value in the DSpace field it unambiguously comes from."""
    v = value.strip()
    if element == "identifier":
        if _HANDLE_URI.match(v):
            return element, "uri"
        if _DOI.match(v):
            return element, "doi"
        if _ISSN.match(v):
            return element, "issn"
        if _ISBN.match(v) and sum(c.isdigit() for c in v) in (10, 13):
            return element, "isbn"
    elif element == "subject" and v.upper().startswith("VDP::"):
        return element, "nsi"
    elif element == "description" and v in _VERSIONS:
        return element, "version"
    elif element == "language":
        return element, "iso"
    elif element == "format" and _MEDIA_TYPE.match(v):
        return element, "mimetype"
    elif element == "rights" and re.match(r"^https?://", v):
        return element, "uri"
    elif element == "date" and "T" not in v:
        return element, "issued"
    return element, None


def _read_dc(payload: etree._Element, report: Report, source: str, position: str) -> list[RawField]:
    raw: list[RawField] = []
    available: set[str] = set()
    created: list[tuple[str, int | None]] = []
    issued_seen = False
    for child in payload:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        value = text_of(child)
        if not value.strip():
            continue
        if qname.namespace == DC:
            element, qualifier = _dc_qualifier(qname.localname, value)
            if element == "date" and qualifier == "issued":
                if issued_seen:
                    qualifier = None
                issued_seen = True
            raw.append(("dc", element, qualifier, value, None, None, None))
        elif qname.namespace == DCTERMS:
            if qname.localname == "created":
                created.append((value.strip(), child.sourceline))
                continue
            element, qualifier = _QDC_TERMS.get(qname.localname, (qname.localname, None))
            if qname.localname == "available":
                available.add(value.strip())
            if qualifier is None and qname.localname not in _QDC_TERMS:
                report.info(f"dcterms:{qname.localname} is not a known DSpace qdc element: kept as dc.{qname.localname}", source=source, position=position, field=f"dcterms:{qname.localname}")
            raw.append(("dc", element, qualifier, value, None, None, None))
        else:
            report.info(f"element {qname.text} ignored", source=source, position=position)
    for value, line in created:
        if value in available:
            # DSpace's qdc crosswalk copies dc.date.available into dcterms:created.
            report.info("dcterms:created is a copy of dc.date.available (DSpace qdc crosswalk): dropped", source=source, position=f"{position}, line {line}", field="dc.date.created", value=value)
        else:
            raw.append(("dc", "date", "created", value, None, None, None))
    return raw
