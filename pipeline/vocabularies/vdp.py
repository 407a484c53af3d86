"""Resolve the VDP strings real records hold to concepts of ``vocab/vdp.ttl``, by code.

Records write ``VDP::Samfunnsvitenskap: 200::Statsvitenskap og organisasjonsteori: 240::
Offentlig og privat administrasjon: 242`` in Norwegian or English, truncated, leaf only
(Cristin imports), with line breaks, lower-case or no ``VDP::``, and sometimes several
values glued into one. The *last code* decides; labels and ancestors are only checked,
and a disagreement is a warning, never a reason to pick another concept. A string
with no code at all is matched by label (exact after normalisation, then close spelling)
with a warning. An unknown code is reported, never invented.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from ..resources import data_file
from .dspace_xml import normalise_label

SKOS = "http://www.w3.org/2004/02/skos/core#"
_SPLIT_VALUES = re.compile(r"(?i)(?=vdp\s*::)")
_SEGMENT = re.compile(r"^(?P<label>.*?)[\s:]*(?P<code>\d{3})?\s*$", re.S)


@dataclass(frozen=True)
class VdpConcept:
    code: str
    iri: str
    labels: dict[str, str]
    other_labels: frozenset[str]
    broader: str | None


@dataclass(frozen=True)
class Resolution:
    """One VDP value resolved: the concept (or None), plus what a person should know."""

    value: str
    code: str | None
    concept: VdpConcept | None
    warnings: tuple[str, ...] = ()
    error: str | None = None


@dataclass
class Vdp:
    concepts: dict[str, VdpConcept]
    scheme: str
    by_label: dict[str, str] = field(default_factory=dict)
    cache: dict[str, list[Resolution]] = field(default_factory=dict, repr=False)

    def ancestors(self, code: str) -> list[str]:
        """Codes from the top concept down to ``code``'s parent."""
        out: list[str] = []
        current = self.concepts[code].broader if code in self.concepts else None
        while current:
            out.insert(0, current)
            current = self.concepts[current].broader if current in self.concepts else None
        return out

    def path(self, code: str) -> list[VdpConcept]:
        return [self.concepts[c] for c in (*self.ancestors(code), code)]


def _key(label: str) -> str:
    return re.sub(r"[^\w]+", " ", normalise_label(label).casefold()).strip()


def load_vdp(path: Path | None = None) -> Vdp:
    """Read the SKOS scheme into plain lookups (pyoxigraph's parser: fast, no rdflib graph)."""
    path = path or data_file("vocab", "vdp.ttl")
    notation: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    others: dict[str, set[str]] = {}
    broader: dict[str, str] = {}
    scheme = ""
    with open(path, "rb") as f:
        for t in parse(f, format=RdfFormat.TURTLE):
            s, p, o = t.subject, t.predicate.value, t.object
            if p == SKOS + "notation" and isinstance(o, Literal):
                notation[s.value] = o.value
            elif p == SKOS + "prefLabel" and isinstance(o, Literal):
                labels.setdefault(s.value, {})[o.language or ""] = o.value
            elif p in (SKOS + "altLabel", SKOS + "hiddenLabel") and isinstance(o, Literal):
                others.setdefault(s.value, set()).add(o.value)
            elif p == SKOS + "broader" and isinstance(o, NamedNode):
                broader[s.value] = o.value
            elif p == SKOS + "inScheme" and isinstance(o, NamedNode):
                scheme = o.value
    code_of = {iri: code for iri, code in notation.items()}
    concepts = {
        code: VdpConcept(code, iri, labels.get(iri, {}), frozenset(others.get(iri, ())), code_of.get(broader.get(iri, "")))
        for iri, code in notation.items()
    }
    vdp = Vdp(concepts, scheme)
    for c in concepts.values():
        for label in (*c.labels.values(), *c.other_labels):
            vdp.by_label.setdefault(_key(label), c.code)
    return vdp


@cache
def default_vdp() -> Vdp:
    return load_vdp()


def split_values(value: str) -> list[str]:
    """``VDP::A: 111VDP::B: 222`` -> two values; a value with no ``VDP::`` stays whole."""
    parts = [p for p in _SPLIT_VALUES.split(value) if p.strip()]
    return parts or [value]


def resolve(value: str, vdp: Vdp | None = None) -> list[Resolution]:
    """Resolve one field value (which may hold several VDP values) to concepts.

    Results are cached per scheme: a repository holds a few hundred distinct VDP strings
    across hundreds of thousands of records.
    """
    vdp = vdp or default_vdp()
    cached = vdp.cache.get(value)
    if cached is None:
        cached = [_resolve_one(v, vdp) for v in split_values(value)]
        if len(vdp.cache) < 100_000:
            vdp.cache[value] = cached
    return cached


def _segments(value: str) -> list[tuple[str, str | None]]:
    text = re.sub(r"\s+", " ", value).strip()
    text = re.sub(r"(?i)^vdp\s*::\s*", "", text)
    out = []
    for seg in re.split(r"\s*::\s*", text):
        if not seg.strip():
            continue
        m = _SEGMENT.match(seg.strip())
        label, code = (m.group("label").strip(" :"), m.group("code")) if m else (seg.strip(), None)
        out.append((label, code))
    return out


def _label_matches(label: str, concept: VdpConcept) -> bool:
    key = _key(label)
    if not key:
        return True
    candidates = [_key(x) for x in (*concept.labels.values(), *concept.other_labels)]
    return key in candidates or any(difflib.SequenceMatcher(None, key, c).ratio() >= 0.85 for c in candidates)


def _resolve_one(value: str, vdp: Vdp) -> Resolution:
    segments = _segments(value)
    if not segments:
        return Resolution(value, None, None, error="empty VDP value")
    coded = [(label, code) for label, code in segments if code]
    if not coded:
        return _resolve_by_label(value, segments[-1][0], vdp)
    label, code = coded[-1]
    assert code is not None
    concept = vdp.concepts.get(code)
    if concept is None:
        return Resolution(value, code, None, error=f"VDP code {code} is not in the classification (value {value.strip()!r})")
    warnings = []
    if label and not _label_matches(label, concept):
        warnings.append(f"label {label!r} does not match VDP {code} ({concept.labels.get('nb')!r} / {concept.labels.get('en')!r}); the code decides")
    ancestors = vdp.ancestors(code)
    for a_label, a_code in coded[:-1]:
        if a_code not in ancestors:
            warnings.append(f"{a_code} in the path is not an ancestor of {code} (ancestors: {', '.join(ancestors) or 'none'}); the last code decides")
        elif a_label and not _label_matches(a_label, vdp.concepts[a_code]):
            warnings.append(f"label {a_label!r} does not match VDP {a_code}; the code decides")
    return Resolution(value, code, concept, tuple(warnings))


def _resolve_by_label(value: str, label: str, vdp: Vdp) -> Resolution:
    key = _key(label)
    code = vdp.by_label.get(key)
    if code is None:
        close = difflib.get_close_matches(key, list(vdp.by_label), n=1, cutoff=0.88)
        code = vdp.by_label[close[0]] if close else None
    if code is None:
        return Resolution(value, None, None, error=f"no VDP code in {value.strip()!r} and no label matches")
    return Resolution(value, code, vdp.concepts[code], (f"no code in {value.strip()!r}: matched by label to VDP {code}",))
