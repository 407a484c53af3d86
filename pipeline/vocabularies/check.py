"""Check a SKOS scheme against ``shapes/skos.ttl`` (pyshacl), with messages a person can act on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from ..resources import data_file

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class SkosProblem:
    focus: str
    path: str | None
    severity: str
    messages: dict[str, str]
    shape: str

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or next(iter(self.messages.values()), "")


def message_languages(shapes: Graph, report: Graph, result: Node) -> dict[str, str]:
    """The result's messages by language.

    pyshacl drops the language tag of ``sh:message`` when it fills in a SPARQL
    constraint's ``{?var}`` placeholders, so untagged messages are matched back to the
    tagged templates they were made from.
    """
    constraint = report.value(result, SH.sourceConstraint) or report.value(result, SH.sourceShape)
    templates = [t for t in shapes.objects(constraint, SH.message) if isinstance(t, Literal) and t.language]
    messages: dict[str, str] = {}
    for m in report.objects(result, SH.resultMessage):
        if not isinstance(m, Literal):
            continue
        lang = m.language
        if lang is None:
            for t in templates:
                pattern = re.sub(r"\\\{\\\?\w+\\\}", ".*", re.escape(str(t)))
                if re.fullmatch(pattern, str(m), re.S):
                    lang = t.language
                    break
        messages.setdefault(lang or "en", str(m))
    return messages


def check_scheme(graph: Graph) -> list[SkosProblem]:
    """All SHACL results of the scheme; an empty list means it conforms."""
    shapes = Graph().parse(data_file("shapes", "skos.ttl"))
    _conforms, report, _text = validate(graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    problems = []
    for result in report.subjects(SH.resultSeverity, None):
        messages = message_languages(shapes, report, result)
        source = report.value(result, SH.sourceShape)
        constraint = report.value(result, SH.sourceConstraint)
        path = report.value(result, SH.resultPath)
        severity = report.value(result, SH.resultSeverity)
        problems.append(
            SkosProblem(
                focus=str(report.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                severity=str(severity).rsplit("#", 1)[-1],
                messages=messages,
                shape=str(constraint if isinstance(constraint, URIRef) else source),
            )
        )
    return sorted(problems, key=lambda p: (p.focus, p.shape))


def check_file(path: Path) -> list[SkosProblem]:
    return check_scheme(Graph().parse(path))
