"""The small vocabularies kept as CSV in ``vocab/``: COAR resource types and languages."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..resources import data_file

COAR = "http://purl.org/coar/resource_type/"
COAR_SCHEME = COAR + "scheme"
LEXVO = "http://lexvo.org/id/iso639-3/"


def read_table(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a CSV data file; lines starting with '#' are comments."""
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(line for line in f if not line.startswith("#"))


@dataclass(frozen=True)
class CoarType:
    id: str
    labels: dict[str, str]  # en (COAR's own), nb and nn (ours)
    rdf_class: str  # a bibo / dcmitype class as a CURIE

    @property
    def iri(self) -> str:
        return COAR + self.id


@dataclass(frozen=True)
class Language:
    iso639_3: str
    bcp47: str
    labels: dict[str, str]

    @property
    def iri(self) -> str:
        return LEXVO + self.iso639_3


def _type_key(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().casefold()


@cache
def coar_types() -> dict[str, CoarType]:
    return {
        row["coar_id"]: CoarType(row["coar_id"], {"en": row["en"], "nb": row["nb"], "nn": row["nn"]}, row["class"])
        for row in read_table(data_file("vocab", "coar-types.csv"))
    }


@cache
def _type_mapping() -> dict[str, str]:
    return {_type_key(row["value"]): row["coar_id"] for row in read_table(data_file("vocab", "type-mapping.csv"))}


def lookup_type(value: str) -> CoarType | str | None:
    """The COAR type of a ``dc.type`` value; ``"status"`` for review statuses; None if unknown."""
    found = _type_mapping().get(_type_key(value))
    if found == "status":
        return "status"
    return coar_types().get(found) if found else None


@cache
def _languages() -> dict[str, Language | None]:
    out: dict[str, Language | None] = {}
    for row in read_table(data_file("vocab", "languages.csv")):
        key = row["value"].casefold()
        out[key] = Language(row["iso639_3"], row["bcp47"], {"en": row["en"], "nb": row["nb"]}) if row["iso639_3"] else None
    return out


def lookup_language(value: str) -> Language | None:
    """The language a ``dc.language.iso`` value names (``nob``, ``en_US``, ``no``...), if any."""
    return _languages().get(value.strip().replace("-", "_").casefold()) or _languages().get(value.strip().split("_")[0].casefold())


def bcp47_from_dspace(tag: str | None) -> str | None:
    """Normalise a DSpace language tag to BCP 47: ``en_US`` -> ``en-US``, ``nb_NO`` -> ``nb``.

    ``*``, the empty string and ``none`` carry no language and give None.
    """
    if tag is None:
        return None
    tag = tag.strip()
    if tag.casefold() in ("", "*", "none", "null", "und"):
        return None
    lang = lookup_language(tag)
    if lang and lang.bcp47 in ("nb", "nn", "no", "se"):
        return lang.bcp47  # the region adds nothing to Norwegian tags
    parts = tag.replace("_", "-").split("-")
    if not re.fullmatch(r"[A-Za-z]{2,3}", parts[0]):
        return None
    base = lang.bcp47 if lang and lang.bcp47 else parts[0].lower()
    region = [p.upper() for p in parts[1:2] if re.fullmatch(r"[A-Za-z]{2}", p)]
    return "-".join([base, *region])
