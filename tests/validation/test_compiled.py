"""The compiled fast path flags exactly what pyshacl flags, on a corpus with seeded defects of every kind."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from rdflib import Graph

from bench.generate import write_corpus
from pipeline.mapping import Mapper
from pipeline.readers import read_files
from pipeline.record import Field
from pipeline.report import Report
from pipeline.shacl_compiled import CompiledValidator, UnsupportedShape, compile_shapes
from pipeline.terms import Lit
from pipeline.validate import Validator, batches, load_shapes
from tests.conftest import SAMPLES

DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"


def _record_defects():
    """Defects made in DSpace fields: the mapping turns them into RDF."""
    def drop(key):
        return lambda r: replace(r, fields=tuple(f for f in r.fields if f.key != key))

    def add(key, value, lang=None):
        s, e, *q = key.split(".")
        return lambda r: replace(r, fields=(*r.fields, Field(s, e, q[0] if q else None, value, lang)))

    def swap(key, value):
        return lambda r: add(key, value)(drop(key)(r))

    return [
        drop("dc.title"), add("dc.title", "A second English title for the same thing here", "en"), drop("dc.contributor.author"),
        drop("dc.date.issued"), add("dc.date.issued", "2020"), swap("dc.date.issued", "ca. 1850"), swap("dc.date.issued", "1599"),
        swap("dc.date.issued", "2999-01"), drop("dc.description.abstract"), drop("dc.type"), swap("dc.type", "Mystery object"),
        drop("dc.subject.nsi"), swap("dc.subject.nsi", "VDP::Teknologi: 500::Romfartsteknologi: 695"),
        lambda r: swap("dc.title", "X1")(drop("dc.language.iso")(r)),
    ]


def _graph_defects():
    """Defects only RDF input could carry, made on the mapped triples."""
    def edit(add=(), remove=lambda t: False):
        def f(m):
            kept = [(t, o) for t, o in zip(m.triples, m.origins) if not remove(t)]
            extra = [tuple(m.item if x == "ITEM" else x for x in t) for t in add]
            return replace(m, triples=[t for t, _ in kept] + extra, origins=[o for _, o in kept] + [None] * len(extra))
        return f

    return [
        edit(remove=lambda t: t[1] == FOAF + "name"),
        edit(add=[("ITEM", DCT + "abstract", Lit("An abstract whose language nobody set at all."))]),
        edit(add=[("ITEM", DCT + "language", "http://example.org/lang/norsk")]),
        edit(add=[("ITEM", DCT + "subject", "https://w3id.org/lodpub/vocab/vdp/999")]),
        edit(add=[("ITEM", "http://www.w3.org/2002/07/owl#sameAs", "https://doi.org/10.5555/a b")]),
        edit(add=[("ITEM", DCT + "license", "ftp://example.org/licence")]),
        edit(add=[("ITEM", DCT + "hasPart", "https://brage.example.no/bitstream/a^b.pdf")]),
        edit(add=[("ITEM", DCT + "issued", Lit("2019-13", None, "http://www.w3.org/2001/XMLSchema#gYearMonth"))]),
        edit(add=[("ITEM", DCT + "issued", Lit("2019"))]),
        edit(add=[("ITEM", DCT + "type", Lit("Master thesis"))]),
        lambda m: replace(m, item="http://example.org/not-a-handle", triples=[tuple("http://example.org/not-a-handle" if x == m.item else x for x in t) for t in m.triples]),
    ]


def _key(results):
    return sorted((r.handle, f.shape, f.path or "", f.level.label) for r in results for f in r.findings if f.shape != "conversion")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    pages = write_corpus(400, tmp_path_factory.mktemp("corpus"), page_size=100, seed=7)
    mapper = Mapper()
    rng = random.Random(11)
    record_defects, graph_defects = _record_defects(), _graph_defects()
    mapped = []
    for i, record in enumerate(read_files(pages, report=Report())):
        if i % 3 == 0 and not record.deleted:
            record = record_defects[(i // 3) % len(record_defects)](record)
        m = mapper.map(record)
        if i % 3 == 1 and not record.deleted:
            m = graph_defects[(i // 3) % len(graph_defects)](m)
        if i % 7 == 2 and not record.deleted:
            m = graph_defects[rng.randrange(len(graph_defects))](m)
        mapped.append(m)
    for path in SAMPLES.iterdir():
        if path.suffix in (".xml", ".json", ".csv", ".txt"):
            mapped += [mapper.map(r) for r in read_files([path], report=Report())]
    return mapped


def test_compiled_engine_flags_exactly_what_pyshacl_flags(corpus):
    pyshacl = Validator()
    compiled = CompiledValidator(pyshacl.shapes)
    normative = [r for batch in batches(corpus, 200) for r in pyshacl.validate(batch)]
    fast = compiled.validate(corpus)
    assert _key(fast) == _key(normative)
    seeded = {f.shape.rsplit("#", 1)[-1] for r in normative for f in r.findings}
    # every shape of the file was triggered at least once: the corpus covers every kind of defect
    from rdflib.namespace import SH

    shapes = load_shapes()
    named = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(SH.message, None) if "#" in str(s)}
    assert named <= seeded, named - seeded


def test_unsupported_shacl_is_refused_not_ignored():
    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minLength 3 ] .""", format="turtle")
    with pytest.raises(UnsupportedShape, match="minLength"):
        compile_shapes(g)


def debug_diff(corpus):  # pragma: no cover - a helper for humans
    pyshacl = Validator()
    compiled = CompiledValidator(pyshacl.shapes)
    a = set(_key([r for batch in batches(corpus, 200) for r in pyshacl.validate(batch)]))
    b = set(_key(compiled.validate(corpus)))
    return sorted(a - b), sorted(b - a)
