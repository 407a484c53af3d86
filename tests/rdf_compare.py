"""Comparing what lodpub publishes with what an Oxigraph store gives back.

Oxigraph stores literals of the types derived from xsd:integer (lodpub writes
``dcat:byteSize`` as xsd:nonNegativeInteger, as DCAT says) under their primitive type,
xsd:integer: the same value, another datatype IRI. The records lodpub serves and dumps
come from its documents table and keep the mapping's datatype; SPARQL answers show the
store's. Tests comparing the two compare through this view.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import XSD

_DERIVED_FROM_INTEGER = {XSD[t] for t in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
                                          "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


def as_oxigraph_stores_it(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in _DERIVED_FROM_INTEGER:
            o = Literal(str(o), datatype=XSD.integer)
        out.add((s, p, o))
    return out



