"""The record shapes compiled to plain Python checks: the fast path for whole harvests.

pyshacl stays the normative validator (``validate.Validator``); it costs about 5 ms a
record here, most of it rdflib. Our shapes use a small part of SHACL Core, so they can be
compiled: each shape becomes a function over a record's own triples, with the same
severities, paths and messages. Any SHACL feature outside that part is refused at
compile time, so the shapes file cannot drift away from what this engine understands.
``tests/validation/test_compiled.py`` proves both engines flag the same records, shapes,
paths and severities on a corpus with seeded defects of every kind.

Understood: node shapes with sh:targetClass or sh:targetObjectsOf, sh:nodeKind and
sh:pattern on the focus node, sh:property; property shapes with a predicate path or
sh:alternativePath, sh:minCount, sh:maxCount, sh:uniqueLang, sh:datatype, sh:or of
datatypes, sh:nodeKind, sh:pattern (Python ``re.search``, as pyshacl), sh:qualifiedValueShape
with sh:pattern and sh:qualifiedMinCount, sh:severity, sh:message, sh:name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from .mapping import MappedRecord
from .terms import Lit, Term
from .validate import Finding, Level, RecordResult, _field_of

RDF_TYPE = str(RDF.type)
LANG_STRING = str(RDF.langString)

_UNDERSTOOD_NODE = {SH.targetClass, SH.targetObjectsOf, SH.nodeKind, SH.pattern, SH.property, SH.name, SH.description, SH.message, SH.severity, RDF.type}
_UNDERSTOOD_PROPERTY = {SH.path, SH.minCount, SH.maxCount, SH.uniqueLang, SH.datatype, SH["or"], SH.nodeKind, SH.pattern, SH.qualifiedValueShape,
                        SH.qualifiedMinCount, SH.severity, SH.message, SH.name, SH.description, RDF.type}


class UnsupportedShape(ValueError):
    """The shapes use SHACL the compiled engine does not implement."""


Check = Callable[[list[Term]], list[tuple[Term | None]]]  # returns offending values (None: no value)


@dataclass
class CompiledProperty:
    shape: str
    paths: list[str]
    path_report: str | None
    level: Level
    messages: dict[str, str]
    checks: list[Callable[[list[Term]], list[Term | None]]]


@dataclass
class CompiledNode:
    shape: str
    target_class: str | None
    target_objects_of: list[str]
    level: Level
    messages: dict[str, str]
    focus_checks: list[Callable[[str], bool]]
    properties: list[CompiledProperty]


def shape_name(g: Graph, shape: Node) -> str:
    """A shape's IRI; an anonymous property shape is named by the node shape that holds it."""
    if isinstance(shape, URIRef):
        return str(shape)
    parent = g.value(None, SH.property, shape)
    return str(parent) if parent is not None else str(shape)


def _messages(g: Graph, shape: Node) -> dict[str, str]:
    return {(m.language or "en"): str(m) for m in g.objects(shape, SH.message) if isinstance(m, Literal)}


def _level(g: Graph, shape: Node) -> Level:
    sev = g.value(shape, SH.severity)
    return Level.parse(str(sev)) if sev is not None else Level.VIOLATION


def _is_iri(v: Term) -> bool:
    return isinstance(v, str) and not v.startswith("_:")


def _node_kind_check(kind: Node) -> Callable[[Term], bool]:
    if kind == SH.IRI:
        return _is_iri
    if kind == SH.Literal:
        return lambda v: isinstance(v, Lit)
    if kind == SH.BlankNode:
        return lambda v: isinstance(v, str) and v.startswith("_:")
    raise UnsupportedShape(f"sh:nodeKind {kind}")


def _datatype_ok(v: Term, datatype: str) -> bool:
    if not isinstance(v, Lit):
        return False
    if datatype == LANG_STRING:
        return bool(v.lang)
    actual = v.datatype or (LANG_STRING if v.lang else str(XSD.string))
    if actual != datatype:
        return False
    return not _ill_typed(v.value, datatype)


@lru_cache(maxsize=65536)
def _ill_typed(value: str, datatype: str) -> bool:
    """rdflib's own verdict on a lexical form, which is what pyshacl checks (it accepts
    some ill-formed forms, e.g. "2019-13"^^xsd:gYearMonth; we agree with it, by design)."""
    return bool(Literal(value, datatype=URIRef(datatype)).ill_typed)


def _text(v: Term) -> str | None:
    if isinstance(v, Lit):
        return v.value
    return None if v.startswith("_:") else v


def _compile_property(g: Graph, shape: Node) -> CompiledProperty:
    unknown = set(g.predicates(shape, None)) - _UNDERSTOOD_PROPERTY
    if unknown:
        raise UnsupportedShape(f"{shape}: {', '.join(sorted(map(str, unknown)))}")
    path = g.value(shape, SH.path)
    if isinstance(path, URIRef):
        paths, path_report = [str(path)], str(path)
    else:
        alt = g.value(path, SH.alternativePath)
        if alt is None:
            raise UnsupportedShape(f"{shape}: only predicate paths and sh:alternativePath")
        paths, path_report = [str(p) for p in Collection(g, alt)], None
    checks: list[Callable[[list[Term]], list[Term | None]]] = []
    if (n := g.value(shape, SH.minCount)) is not None:
        checks.append(lambda vs, n=int(n): [None] if len(vs) < n else [])
    if (n := g.value(shape, SH.maxCount)) is not None:
        checks.append(lambda vs, n=int(n): [None] if len(vs) > n else [])
    if g.value(shape, SH.uniqueLang) == Literal(True):
        def unique(vs: list[Term]) -> list[Term | None]:
            langs = [v.lang.lower() for v in vs if isinstance(v, Lit) and v.lang]
            return [None] * len({x for x in langs if langs.count(x) > 1})
        checks.append(unique)
    if (dt := g.value(shape, SH.datatype)) is not None:
        checks.append(lambda vs, dt=str(dt): [v for v in vs if not _datatype_ok(v, dt)])
    if (alternatives := g.value(shape, SH["or"])) is not None:
        datatypes = []
        for member in Collection(g, alternatives):
            preds = set(g.predicates(member, None))
            if preds != {SH.datatype}:
                raise UnsupportedShape(f"{shape}: sh:or of anything but datatypes")
            datatypes.append(str(g.value(member, SH.datatype)))
        checks.append(lambda vs, dts=tuple(datatypes): [v for v in vs if not any(_datatype_ok(v, d) for d in dts)])
    if (kind := g.value(shape, SH.nodeKind)) is not None:
        ok = _node_kind_check(kind)
        checks.append(lambda vs, ok=ok: [v for v in vs if not ok(v)])
    if (pattern := g.value(shape, SH.pattern)) is not None:
        rx = re.compile(str(pattern))
        checks.append(lambda vs, rx=rx: [v for v in vs if (t := _text(v)) is None or not rx.search(t)])
    if (q := g.value(shape, SH.qualifiedValueShape)) is not None:
        if set(g.predicates(q, None)) != {SH.pattern}:
            raise UnsupportedShape(f"{shape}: qualified value shapes other than a sh:pattern")
        rx = re.compile(str(g.value(q, SH.pattern)))
        n = int(g.value(shape, SH.qualifiedMinCount) or 0)
        checks.append(lambda vs, rx=rx, n=n: [None] if sum(1 for v in vs if (t := _text(v)) is not None and rx.search(t)) < n else [])
    return CompiledProperty(shape_name(g, shape), paths, path_report, _level(g, shape), _messages(g, shape), checks)


def compile_shapes(g: Graph) -> list[CompiledNode]:
    """Compile every node shape of ``g`` (with its property shapes)."""
    nodes = []
    for shape in set(g.subjects(RDF.type, SH.NodeShape)):
        if isinstance(shape, BNode):
            continue  # only reachable from other shapes (e.g. a qualified value shape)
        if set(g.objects(shape, SH.targetClass)) == set() and set(g.objects(shape, SH.targetObjectsOf)) == set():
            continue
        unknown = set(g.predicates(shape, None)) - _UNDERSTOOD_NODE
        if unknown:
            raise UnsupportedShape(f"{shape}: {', '.join(sorted(map(str, unknown)))}")
        focus_checks: list[Callable[[str], bool]] = []
        if (kind := g.value(shape, SH.nodeKind)) is not None:
            focus_checks.append(_node_kind_check(kind))
        if (pattern := g.value(shape, SH.pattern)) is not None:
            rx = re.compile(str(pattern))
            focus_checks.append(lambda f, rx=rx: not f.startswith("_:") and bool(rx.search(f)))
        target_class = g.value(shape, SH.targetClass)
        nodes.append(CompiledNode(
            str(shape), str(target_class) if target_class else None, [str(p) for p in g.objects(shape, SH.targetObjectsOf)],
            _level(g, shape), _messages(g, shape), focus_checks,
            [_compile_property(g, p) for p in g.objects(shape, SH.property)],
        ))
    return sorted(nodes, key=lambda n: n.shape)


class CompiledValidator:
    """Validates mapped records with compiled shapes: same findings as pyshacl, microseconds a record."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.nodes = compile_shapes(shapes)

    def validate(self, records: list[MappedRecord]) -> list[RecordResult]:
        return [self.validate_one(r) for r in records]

    def validate_one(self, record: MappedRecord) -> RecordResult:
        result = RecordResult(record.handle, record.record.source.describe())
        if record.record.deleted:
            return result
        values: dict[tuple[str, str], list[Term]] = defaultdict(list)
        typed: dict[str, set[str]] = defaultdict(set)
        for s, p, o in dict.fromkeys(record.triples):  # a graph is a set: repeats count once
            values[(s, p)].append(o)
            if p == RDF_TYPE and isinstance(o, str):
                typed[o].add(s)
        for node in self.nodes:
            focus_nodes: list[str] = []
            if node.target_class:
                focus_nodes += sorted(typed.get(node.target_class, ()))
            for p in node.target_objects_of:
                focus_nodes += [o for (s, pp), os in values.items() if pp == p for o in os if isinstance(o, str)]
            for focus in dict.fromkeys(focus_nodes):
                if not all(check(focus) for check in node.focus_checks):
                    result.findings.append(Finding(node.level, node.shape, node.messages, focus, value=focus, field=_field_of(record, focus, None, focus)))
                for prop in node.properties:
                    vs = [v for path in prop.paths for v in values.get((focus, path), ())]
                    for check in prop.checks:
                        for bad in check(vs):
                            value = None if bad is None else (bad.value if isinstance(bad, Lit) else bad.removeprefix("_:"))
                            finding = Finding(prop.level, prop.shape, prop.messages, focus, path=prop.path_report, value=value)
                            finding.field = _field_of(record, focus, prop.path_report, value)
                            result.findings.append(finding)
        for note in record.notes:
            if note.severity == "warning":
                result.findings.append(Finding(Level.WARNING, "conversion", {"en": note.message}, record.item, field=note.field, value=note.value))
        result.findings.sort(key=lambda f: (-f.level, f.field or "", f.shape))
        return result
