"""Reading single metadata values as the typed things they are: dates, names, identifiers.

Pure functions with no RDF library in them, so the rules are easy to test one by one.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

XSD = "http://www.w3.org/2001/XMLSchema#"

_YEAR = re.compile(r"^(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


@lru_cache(maxsize=65536)
def typed_date(value: str) -> tuple[str, str] | None:
    """``(lexical form, XSD datatype IRI)`` keeping the value's precision; None if not a date.

    ``2007`` -> gYear, ``2019-06`` -> gYearMonth, ``2007-01-10`` -> date, timestamps ->
    dateTime. A month or a day is never invented; impossible dates (2019-13, 2019-02-30)
    are not dates.
    """
    v = value.strip()
    if m := _YEAR.match(v):
        return v, XSD + "gYear"
    if m := _YEAR_MONTH.match(v):
        return (v, XSD + "gYearMonth") if 1 <= int(m.group(2)) <= 12 else None
    if m := _DATE.match(v):
        return (v, XSD + "date") if _valid_day(*map(int, m.groups())) else None
    if m := _DATETIME.match(v):
        y, mo, d, h, mi, s, frac, tz = m.groups()
        if not _valid_day(int(y), int(mo), int(d)) or int(h) > 23 or int(mi) > 59 or (s and int(s) > 59):
            return None
        if tz and tz not in ("Z",) and ":" not in tz:
            tz = tz[:3] + ":" + tz[3:]
        return f"{y}-{mo}-{d}T{h}:{mi}:{s or '00'}{frac or ''}{tz or ''}", XSD + "dateTime"
    return None


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class PersonName:
    name: str  # as shown: "Hilde Kristin Westgaard"
    family: str | None = None
    given: str | None = None


_ORG_WORDS = re.compile(
    r"\b(universitet\w*|university|høgskole\w*|høgskule\w*|college|institut\w*|stasjon|station|senter|centre|center|"
    r"direktorat\w*|departement\w*|department|forlag\w*|press|kommune|fylkeskommune|foundation|stiftelse\w*|selskap\w*|"
    r"association|forening\w*|council|råd|as|asa|ltd|inc|gmbh|group|gruppe)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def person_name(value: str) -> PersonName:
    """Read DSpace's ``Surname, Given`` form; other forms keep only the whole name."""
    v = re.sub(r"\s+", " ", value).strip()
    if v.count(",") == 1:
        family, given = (p.strip() for p in v.split(","))
        if family and given and not _ORG_WORDS.search(v):
            return PersonName(f"{given} {family}", family, given)
    return PersonName(v)


@lru_cache(maxsize=65536)
def looks_like_organisation(value: str) -> bool:
    return "," not in value and bool(_ORG_WORDS.search(value))


_ORCID = re.compile(r"(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")


def orcid_iri(authority: str | None) -> str | None:
    """``https://orcid.org/0000-0002-1825-0097`` when the authority is an ORCID iD (checksum-valid)."""
    if not authority:
        return None
    m = _ORCID.search(authority.strip())
    if not m or not _orcid_checksum_ok(m.group(1)):
        return None
    return "https://orcid.org/" + m.group(1)


def _orcid_checksum_ok(orcid: str) -> bool:
    digits = orcid.replace("-", "")
    total = 0
    for c in digits[:-1]:
        total = (total + int(c)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


_DOI = re.compile(r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


def doi_of(value: str) -> str | None:
    """The bare DOI (``10.5555/x``) in a DOI, a ``doi:`` or a doi.org URL; None if none."""
    m = _DOI.match(value.strip())
    return m.group(1) if m else None


_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def iri_safe(text: str) -> str:
    """Percent-encode what IRIs cannot hold (spaces, <>, ", {}, |, \\, ^, `): loaders reject them.

    Non-ASCII letters are allowed in IRIs (RFC 3987) and kept.
    """
    if not _IRI_UNSAFE.search(text):
        return text
    return _IRI_UNSAFE.sub(lambda m: quote(m.group(0)), text)


def isbn_digits(value: str) -> str | None:
    """The ISBN's digits (and X) when they make a valid ISBN-10 or ISBN-13."""
    core = re.sub(r"\(.*?\)", "", value)
    core = re.sub(r"(?i)^\s*isbn[:\s]*", "", core)
    digits = re.sub(r"[^0-9Xx]", "", core).upper()
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        return digits if (10 - total % 10) % 10 == int(digits[12]) else None
    if len(digits) == 10 and digits[:9].isdigit():
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
        check = (11 - total % 11) % 11
        return digits if digits[9] == ("X" if check == 10 else str(check)) else None
    return None


_ISSN = re.compile(r"^\s*(\d{4})-?(\d{3}[\dXx])\s*$")


def issn_of(value: str) -> str | None:
    m = _ISSN.match(value)
    return f"{m.group(1)}-{m.group(2).upper()}" if m else None


_MEDIA_TYPE = re.compile(r"^\s*([a-z]+)/([a-z0-9][a-z0-9.+_-]*)\s*(?:;.*)?$", re.IGNORECASE)


def media_type_iri(value: str) -> str | None:
    """``application/pdf`` -> its IANA registry IRI; None if not a media type."""
    m = _MEDIA_TYPE.match(value)
    if not m:
        return None
    return f"https://www.iana.org/assignments/media-types/{m.group(1).lower()}/{m.group(2).lower()}"


_CC = re.compile(r"^https?://creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)(?:/([a-z]{2})(?=/|$))?/?", re.IGNORECASE)


def license_iri(value: str) -> str | None:
    """A licence IRI; Creative Commons URIs reduced to the licence itself (no ``deed.no``)."""
    v = value.strip()
    if m := _CC.match(v):
        kind, code, version, port = m.groups()
        return f"https://creativecommons.org/{kind.lower()}/{code.lower()}/{version}/" + (f"{port.lower()}/" if port else "")
    return v if re.match(r"^https?://\S+$", v) else None


_PAGES = re.compile(r"^\s*(\w+)\s*[-–]\s*(\w+)\s*$")


def page_range(value: str) -> tuple[str, str] | None:
    m = _PAGES.match(value)
    return (m.group(1), m.group(2)) if m else None
