"""RDF terms as plain Python values, and N-Triples / N-Quads written by hand.

The mapping makes about 70 triples a record; building pyoxigraph ``Triple`` objects costs
~2.8 µs each, a tuple of strings a tenth of that. So a triple is ``(s, p, o)`` where an
IRI is a ``str``, a blank node a ``str`` starting with ``_:``, and a literal a ``Lit``.
N-Triples and N-Quads are formatted here (the hot path of convert, publish and dump);
``to_oxigraph`` gives pyoxigraph terms for every other format and for the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple


class Lit(NamedTuple):
    value: str
    lang: str | None = None
    datatype: str | None = None


Term = str | Lit
RdfTriple = tuple[str, str, Term]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_TAG = re.compile(r"^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def valid_language_tag(tag: str) -> bool:
    """BCP 47 well-formedness as RDF needs it (RFC 5646 syntax, not registry membership)."""
    return bool(_LANG_TAG.match(tag))


def _escape(value: str) -> str:
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def nt_term(term: Term) -> str:
    if isinstance(term, Lit):
        text = '"' + _escape(term.value) + '"'
        if term.lang:
            return text + "@" + term.lang
        if term.datatype and term.datatype != XSD_STRING:
            return text + "^^<" + term.datatype + ">"
        return text
    if term.startswith("_:"):
        return term
    return "<" + term + ">"


def nt_lines(triples: Iterable[RdfTriple], graph: str | None = None) -> Iterator[str]:
    """N-Triples lines, or N-Quads lines when ``graph`` is given.

    Subjects and predicates repeat within a record, so their forms are made once.
    """
    end = f" <{graph}> .\n" if graph else " .\n"
    subjects: dict[str, str] = {}
    for s, p, o in triples:
        subject = subjects.get(s)
        if subject is None:
            subject = subjects[s] = (s if s.startswith("_:") else "<" + s + ">") + " "
        predicate = _PREDICATES.get(p)
        if predicate is None:
            predicate = _PREDICATES[p] = "<" + p + "> "
        yield subject + predicate + nt_term(o) + end


_PREDICATES: dict[str, str] = {}


def nq_lines(triples: Iterable[RdfTriple], graph: str) -> Iterator[str]:
    return nt_lines(triples, graph)


def ox_term(term: Term) -> NamedNode | BlankNode | Literal:
    if isinstance(term, Lit):
        if term.lang:
            return Literal(term.value, language=term.lang)
        if term.datatype:
            return Literal(term.value, datatype=NamedNode(term.datatype))
        return Literal(term.value)
    if term.startswith("_:"):
        return BlankNode(term[2:])
    return NamedNode(term)


def from_ox(term: NamedNode | BlankNode | Literal) -> Term:
    """A pyoxigraph term as a plain value (the inverse of ``ox_term``)."""
    if isinstance(term, Literal):
        dt = term.datatype.value
        return Lit(term.value, term.language, None if term.language or dt == XSD_STRING else dt)
    return ("_:" + term.value) if isinstance(term, BlankNode) else term.value


def from_oxigraph(triples: Iterable[Triple | Quad]) -> list[RdfTriple]:
    return [(from_ox(t.subject), t.predicate.value, from_ox(t.object)) for t in triples]  # type: ignore[misc]


def to_oxigraph(triples: Iterable[RdfTriple]) -> Iterator[Triple]:
    for s, p, o in triples:
        yield Triple(ox_term(s), NamedNode(p), ox_term(o))  # type: ignore[arg-type]


def to_oxigraph_quads(triples: Iterable[RdfTriple], graph: str) -> Iterator[Quad]:
    g = NamedNode(graph)
    for s, p, o in triples:
        yield Quad(ox_term(s), NamedNode(p), ox_term(o), g)  # type: ignore[arg-type]
