"""SHACL validation of record graphs (pyshacl, ``shapes/record.ttl``), tied back to records and fields.

pyshacl costs milliseconds per call, so records are validated in batches: many record
graphs in one data graph, results split back by focus node. Shapes are parsed once per
process. Each result names the record (handle, source), the DSpace field the offending
triple came from (``MappedRecord.origins``), the severity and a message in English and
Norwegian. Conversion warnings (a VDP path that disagrees with its code, an ambiguous
glued language...) are added to a record's results as ``conversion`` findings: SHACL
cannot see them, a repository manager must.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as default
from enum import IntEnum
from functools import cache
from typing import Any

from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .mapping import MappedRecord
from .resources import data_file
from .settings import Settings
from .terms import Lit, Term
from .vocabularies.vdp import Vdp, default_vdp

SH = Namespace("http://www.w3.org/ns/shacl#")


class _ListWithSetLookup(list):  # type: ignore[type-arg]
    """A list whose ``in`` is a hash lookup.

    pyshacl (0.40) tests every predicate of every shape for membership in a list of ~40
    constraint parameters, once per shape evaluation: rdflib term equality is Python-level,
    and this linear scan was 30% of validation time here. Same answers, found faster.
    """

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self._set = frozenset(items)

    def __contains__(self, item: object) -> bool:
        return item in self._set


def _speed_up_pyshacl() -> None:
    import pyshacl.shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    if not isinstance(getattr(pyshacl.shape, "CONSTRAINT_PARAMS", (None,))[0], _ListWithSetLookup):
        pyshacl.shape.CONSTRAINT_PARAMS = (_ListWithSetLookup(list(ALL_CONSTRAINT_PARAMETERS)), CONSTRAINT_PARAMETERS_MAP)  # type: ignore[attr-defined]


_speed_up_pyshacl()
LPS = "https://w3id.org/lodpub/shapes/record#"
DEFAULT_BATCH = 500


class Level(IntEnum):
    INFO = 0
    WARNING = 1
    VIOLATION = 2

    @classmethod
    def parse(cls, name: str) -> Level:
        return {"info": cls.INFO, "warning": cls.WARNING, "violation": cls.VIOLATION}[name.lower().rsplit("#", 1)[-1]]

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass
class Finding:
    """One thing wrong with one record."""

    level: Level
    shape: str  # the shape IRI, or "conversion"
    messages: dict[str, str]  # by language: en, nb
    focus: str
    path: str | None = None
    value: str | None = None
    field: str | None = None  # the DSpace field, where known
    name: dict[str, str] = default(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.messages.get("en") or next(iter(self.messages.values()), "")

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "severity": self.level.label,
            "shape": self.shape.replace(LPS, "lps:"),
            "field": self.field,
            "path": self.path,
            "value": self.value,
            "focus": self.focus,
            "message": self.message(lang),
        }


@dataclass
class RecordResult:
    handle: str
    source: str
    findings: list[Finding] = default(default_factory=list)

    def worst(self) -> Level | None:
        return max((f.level for f in self.findings), default=None)

    def conforms(self, threshold: Level = Level.VIOLATION) -> bool:
        worst = self.worst()
        return worst is None or worst < threshold


def _year_pattern(year: int) -> str:
    """A regex for the years 1600..``year`` at the start of a date."""
    c, d, u = year // 100, (year // 10) % 10, year % 10
    parts = ["1[6-9][0-9][0-9]"]
    if c > 19:
        parts.append(f"20[0-{d - 1}][0-9]" if d > 0 else "")
    parts.append(f"{c}{d}[0-{u}]")
    return "^(" + "|".join(p for p in parts if p) + ")(-.*)?$"


@cache
def _shapes(handle_base: str, vdp_namespace: str, year: int, codes: tuple[str, ...]) -> Graph:
    graph = Graph().parse(data_file("shapes", "record.ttl"))
    handle_re = re.escape(handle_base.rstrip("/") + "/") + r"[0-9]+(\.[0-9]+)*/[^\s<>\"{}|\\^`]+$"
    vdp_re = re.escape(vdp_namespace)
    patterns = {
        URIRef(LPS + "ItemShape"): "^" + handle_re,
        URIRef(LPS + "IssuedInRange"): _year_pattern(year),
        URIRef(LPS + "VdpSubjectKnown"): f"^(?!{vdp_re})|^{vdp_re}({'|'.join(codes)})$",
    }
    for shape, pattern in patterns.items():
        graph.remove((shape, SH.pattern, None))
        graph.add((shape, SH.pattern, Literal(pattern)))
    for q in graph.subjects(SH.qualifiedMinCount, None):
        for inner in graph.objects(q, SH.qualifiedValueShape):
            graph.remove((inner, SH.pattern, None))
            graph.add((inner, SH.pattern, Literal("^" + vdp_re)))
    return graph


def load_shapes(settings: Settings | None = None, vdp: Vdp | None = None, today: datetime.date | None = None) -> Graph:
    """``shapes/record.ttl`` with the configured handle form, VDP codes and current year written in."""
    settings = settings or Settings()
    vdp = vdp or default_vdp()
    year = (today or datetime.date.today()).year
    return _shapes(settings.handle_base, settings.vdp_namespace, year, tuple(sorted(vdp.concepts)))


_URIS: dict[str, URIRef] = {}


def _rdflib(term: Term) -> Node:
    if isinstance(term, Lit):
        if term.lang:
            return Literal(term.value, lang=term.lang)
        if term.datatype:
            return Literal(term.value, datatype=URIRef(term.datatype))
        return Literal(term.value)
    if term.startswith("_:"):
        return BNode(term[2:])
    uri = _URIS.get(term)
    if uri is None:
        uri = _URIS[term] = URIRef(term)
        if len(_URIS) > 200_000:
            _URIS.clear()
    return uri


def _graph_of(records: Iterable[MappedRecord]) -> Graph:
    g = Graph()
    g.addN((_rdflib(s), _rdflib(p), _rdflib(o), g) for r in records for s, p, o in r.triples)  # type: ignore[misc]
    return g


def _messages(shapes: Graph, report: Graph, result: Node) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in report.objects(result, SH.resultMessage):
        if isinstance(m, Literal):
            out.setdefault(m.language or "en", str(m))
    return out


def _names(shapes: Graph, shape: Node) -> dict[str, str]:
    return {(n.language or "en"): str(n) for n in shapes.objects(shape, SH.name) if isinstance(n, Literal)}


class Validator:
    """Validates mapped records against the record shapes, in batches."""

    def __init__(self, settings: Settings | None = None, vdp: Vdp | None = None, today: datetime.date | None = None) -> None:
        self.settings = settings or Settings()
        self.shapes = load_shapes(self.settings, vdp, today)

    def report_graph(self, records: list[MappedRecord]) -> Graph:
        """The SHACL validation report graph for a batch, as pyshacl writes it."""
        _conforms, report, _text = pyshacl_validate(
            _graph_of(records), shacl_graph=self.shapes, inference="none", advanced=False, meta_shacl=False, allow_warnings=True, allow_infos=True
        )
        return report  # type: ignore[no-any-return]

    def validate(self, records: list[MappedRecord]) -> list[RecordResult]:
        """One result per record, in order; a live record's findings include its conversion warnings."""
        items = [r.item for r in records if not r.record.deleted]
        if len(items) != len(set(items)):
            raise ValueError("one batch holds two versions of one record; split it (see batches())")
        live = [r for r in records if not r.record.deleted]
        results = {id(r): RecordResult(r.handle, r.record.source.describe()) for r in records}
        if not live:
            return [results[id(r)] for r in records]
        owner: dict[str, MappedRecord] = {}
        for r in live:
            for s, _p, _o in r.triples:
                owner.setdefault(s, r)
        report = self.report_graph(live)
        for result in report.subjects(SH.resultSeverity, None):
            focus = report.value(result, SH.focusNode)
            focus_key = ("_:" + str(focus)) if isinstance(focus, BNode) else str(focus)
            record = owner.get(focus_key)
            if record is None:
                continue
            path = report.value(result, SH.resultPath)
            value = report.value(result, SH.value)
            shape = report.value(result, SH.sourceShape)
            parent = self.shapes.value(None, SH.property, shape) if isinstance(shape, BNode) else None
            finding = Finding(
                level=Level.parse(str(report.value(result, SH.resultSeverity))),
                shape=str(shape) if isinstance(shape, URIRef) else str(parent) if parent is not None else str(report.value(result, SH.sourceConstraintComponent)),
                messages=_messages(self.shapes, report, result),
                focus=focus_key,
                path=str(path) if isinstance(path, URIRef) else None,
                value=str(value) if value is not None else None,
                name=_names(self.shapes, shape) if shape is not None else {},
            )
            finding.field = _field_of(record, focus_key, finding.path, finding.value)
            results[id(record)].findings.append(finding)
        for r in live:
            for note in r.notes:
                if note.severity == "warning":
                    results[id(r)].findings.append(
                        Finding(Level.WARNING, "conversion", {"en": note.message}, r.item, field=note.field, value=note.value)
                    )
        for res in results.values():
            res.findings.sort(key=lambda f: (-f.level, f.field or "", f.shape))
        return [results[id(r)] for r in records]


def _field_of(record: MappedRecord, focus: str, path: str | None, value: str | None) -> str | None:
    """The DSpace field a finding is about: the origin of the offending triple, else of the link to the focus."""
    if value is None and path in _FIELD_OF_PATH and focus == record.item:
        return _FIELD_OF_PATH[path]  # something missing: the field that should have given it
    for (s, p, o), origin in zip(record.triples, record.origins):
        if s == focus and p == path and (value is None or _same(o, value)) and origin:
            return origin
    for (s, p, o), origin in zip(record.triples, record.origins):
        if o == focus and origin:
            return origin  # an agent without a name: the field that made the agent
    return _FIELD_OF_PATH.get(path or "")


def _same(term: Term, value: str) -> bool:
    return (term.value if isinstance(term, Lit) else term.removeprefix("_:")) == value


# Where a missing property would have come from (for minCount findings).
_FIELD_OF_PATH = {
    "http://purl.org/dc/terms/title": "dc.title",
    "http://purl.org/dc/terms/creator": "dc.contributor.author",
    "http://purl.org/dc/terms/issued": "dc.date.issued",
    "http://purl.org/dc/terms/abstract": "dc.description.abstract",
    "http://purl.org/dc/terms/type": "dc.type",
    "http://purl.org/dc/terms/subject": "dc.subject.nsi",
    "http://purl.org/dc/terms/language": "dc.language.iso",
    "http://purl.org/dc/terms/license": "dc.rights.uri",
}


def batches(records: Iterable[MappedRecord], size: int = DEFAULT_BATCH) -> Iterator[list[MappedRecord]]:
    """Batches of ``size`` records; a record seen again (a later version) starts a new batch,
    since two versions of one item in one data graph would be validated as one."""
    batch: list[MappedRecord] = []
    items: set[str] = set()
    for r in records:
        if len(batch) >= size or r.item in items:
            yield batch
            batch, items = [], set()
        batch.append(r)
        items.add(r.item)
    if batch:
        yield batch


def validate_stream(records: Iterable[MappedRecord], validator: Validator, batch_size: int = DEFAULT_BATCH) -> Iterator[tuple[MappedRecord, RecordResult]]:
    """Pair each record with its result, validating ``batch_size`` records per pyshacl call."""
    for batch in batches(records, batch_size):
        yield from zip(batch, validator.validate(batch))


