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

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse


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


def escape(value: str) -> str:
    """A literal's text escaped for N-Triples and Turtle (both take the same four escapes)."""
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def nt_term(term: Term) -> str:
    if isinstance(term, Lit):
        text = '"' + escape(term.value) + '"'
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


# -- a record graph's shape, for the writers of Turtle and JSON-LD ----------------------------

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_FIRST, _REST, _NIL = _RDF + "first", _RDF + "rest", _RDF + "nil"

Subjects = dict[str, dict[str, list[Term]]]
Collections = dict[str, tuple[list[Term], list[str]]]
Shape = tuple[Subjects, Collections, set[str]]


def grouped(triples: Iterable[RdfTriple]) -> Shape:
    """The triples by subject and predicate (each in first-seen order), the RDF lists that
    can be written as collections (head -> items, cells) and the set of all their cells."""
    subjects: Subjects = {}
    object_uses: dict[str, int] = {}
    for s, p, o in triples:
        predicates = subjects.get(s)
        if predicates is None:
            predicates = subjects[s] = {}
        objects = predicates.get(p)
        if objects is None:
            predicates[p] = [o]
        else:
            objects.append(o)
        if type(o) is str and o.startswith("_:"):
            object_uses[o] = object_uses.get(o, 0) + 1
    lists = _collections(subjects, object_uses)
    return subjects, lists, {cell for _, chain in lists.values() for cell in chain}


def _collections(subjects: Subjects, object_uses: dict[str, int]) -> Collections:
    """Blank-node lists that Turtle writes as ``( ... )`` and JSON-LD as ``@list``: head -> (items, cells).

    A cell qualifies when it is a blank node with exactly one ``rdf:first``, one ``rdf:rest``
    and nothing else, and is the object of exactly one triple; the chain must end in
    ``rdf:nil``. Anything else is written as plain triples (a list used twice, written as a
    collection twice, would become two lists). A list inside a list is written inside it:
    the cell that holds it is its one use."""
    cells = [node for node, uses in object_uses.items() if uses == 1 and _is_cell(node, subjects)]
    if not cells:
        return {}
    qualified = set(cells)
    tails = {subjects[node][_REST][0] for node in cells}
    found: Collections = {}
    for head in cells:
        if head in tails:
            continue
        items: list[Term] = []
        chain: list[str] = []
        node: Term = head
        while type(node) is str and node in qualified and node not in chain:
            chain.append(node)
            items.append(subjects[node][_FIRST][0])
            node = subjects[node][_REST][0]
            if node == _NIL:
                found[head] = (items, chain)
                break
    return found


def _is_cell(node: str, subjects: Subjects) -> bool:
    predicates = subjects.get(node)
    return (predicates is not None and len(predicates) == 2 and len(predicates.get(_FIRST, ())) == 1
            and len(predicates.get(_REST, ())) == 1)


# -- lodpub's own N-Triples, read back without a parser ---------------------------------------

_ECHAR = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([tbnrf\"'\\]))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ECHARS[match.group(3)]


def plain_triples(ntriples: bytes) -> list[RdfTriple] | None:
    """The triples of an N-Triples document in the form the store keeps (one triple a line,
    one space between terms, as ``nt_lines`` and Oxigraph write it), as plain terms.

    Splitting the lines costs about half of parsing them with Oxigraph and converting its
    terms. ``None`` when a line is not of that form (``read_ntriples`` then parses)."""
    out: list[RdfTriple] = []
    for line in ntriples.decode("utf-8").split("\n"):
        if not line:
            continue
        s, _, rest = line.partition(" ")
        p, _, o = rest.partition(" ")
        if not o.endswith(" .") or p[:1] != "<" or p[-1:] != ">" or "\\" in s or "\\" in p:
            return None
        o = o[:-2]
        if s[:1] == "<" and s[-1:] == ">":
            s = s[1:-1]
        elif not s.startswith("_:"):
            return None
        first = o[:1]
        obj: Term
        if first == '"':
            end = o.rfind('"')
            if end < 1:
                return None
            value, tail = o[1:end], o[end + 1 :]
            if "\\" in value:
                value = _ECHAR.sub(_unescape, value)
            if not tail:
                obj = Lit(value)
            elif tail[0] == "@":
                obj = Lit(value, tail[1:])
            elif tail[:3] == "^^<" and tail[-1] == ">":
                datatype = tail[3:-1]
                obj = Lit(value, None, None if datatype == XSD_STRING else datatype)
            else:
                return None
        elif first == "<" and o[-1:] == ">" and "\\" not in o and " " not in o:
            obj = o[1:-1]
        elif o.startswith("_:") and " " not in o:
            obj = o
        else:
            return None
        out.append((s, p[1:-1], obj))
    return out


def read_ntriples(ntriples: bytes) -> list[RdfTriple]:
    """An N-Triples document's triples as plain terms: split where it is in the stored form,
    parsed by Oxigraph where it is not."""
    found = plain_triples(ntriples)
    if found is not None:
        return found
    return from_oxigraph(parse(ntriples, format=RdfFormat.N_TRIPLES))
