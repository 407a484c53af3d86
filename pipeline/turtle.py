"""Turtle for one record graph, written from the mapping's plain terms.

Publishing keeps every record's Turtle (the server sends it as stored), so it is made once
a record, in the worker processes. Building pyoxigraph terms for the serializer cost about
0.3 ms a record, more than a quarter of the worker's whole time; written here it costs a
fraction of that, and reads as a person would write it:

- prefixes from lodpub's JSON-LD context, in name order;
- subjects in the order the mapping made them, each once, predicates in first-seen order
  with their objects joined by ``,``, ``rdf:type`` as ``a``;
- a well-formed RDF list (the author list) as a collection, ``( _:a _:b )``.

Prefixed names are written only where the local part is plainly valid (letters, digits,
``_`` and ``-``, inner dots); anything else stays a full IRI, which is always valid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .terms import XSD_STRING, Lit, RdfTriple, Shape, Term, escape, grouped

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")


class TurtleWriter:
    """Writes record graphs as Turtle with one set of prefixes (made once, used per record)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # longest namespace first, so that ``.../vocab/vdp/`` wins over a shorter one it extends
        self._namespaces = sorted(((ns, name) for name, ns in prefixes.items()), key=lambda x: -len(x[0]))
        self.header = "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes.items()))
        self._names: dict[str, str] = {_TYPE: "a"}

    def iri(self, iri: str) -> str:
        """A prefixed name where one is valid, else ``<iri>`` (cached: IRIs repeat)."""
        name = self._names.get(iri)
        if name is None:
            name = "<" + iri + ">"
            for ns, prefix in self._namespaces:
                if iri.startswith(ns) and _SAFE_LOCAL.match(iri, len(ns)):
                    name = prefix + ":" + iri[len(ns):]
                    break
            if len(self._names) < 100_000:
                self._names[iri] = name
        return name

    def _term(self, term: Term) -> str:
        if isinstance(term, Lit):
            value = escape(term.value)
            if term.lang:
                return '"' + value + '"@' + term.lang
            if term.datatype and term.datatype != XSD_STRING:
                return '"' + value + '"^^' + self.iri(term.datatype)
            return '"' + value + '"'
        if term.startswith("_:"):
            return term
        return self.iri(term)

    def write(self, triples: list[RdfTriple], shape: Shape | None = None) -> str:
        """The graph ``triples`` as a Turtle document (``shape``: their ``grouped``, if made already)."""
        by_subject, lists, cells = shape or grouped(triples)

        def obj(term: Term) -> str:
            found = lists.get(term) if type(term) is str else None
            if found is not None:
                return "( " + " ".join(obj(item) for item in found[0]) + " )"
            return self._term(term)

        out = [self.header]
        for subject, predicates in by_subject.items():
            if subject in cells:
                continue
            lines = [self.iri(p) + " " + " , ".join([obj(o) for o in objects]) for p, objects in predicates.items()]
            out.append(self._term(subject) + " " + " ;\n\t".join(lines) + " .\n")
        return "".join(out)
