"""Each constraint of shapes/record.ttl: a record that breaks it and one that keeps it."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import Graph

from pipeline.mapping import Mapper
from pipeline.record import Field, Record
from pipeline.resources import data_file
from pipeline.terms import Lit
from pipeline.validate import Level, Validator, _year_pattern
from tests.conftest import SAMPLES, records_of

DCT = "http://purl.org/dc/terms/"
ITEM = "https://hdl.handle.net/11250/1"


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper()


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(today=datetime.date(2026, 11, 27))


GOOD = [
    ("dc.title", "Klynger i offentlig forvaltning: En studie av kommunesamarbeid i Nordfjord", "en"),
    ("dc.contributor.author", "Haugland, Ingrid Marie", None),
    ("dc.date.issued", "2019-06", None),
    ("dc.identifier.uri", "https://hdl.handle.net/11250/1", None),
    ("dc.description.abstract", "Denne masteroppgaven undersøker hvordan fem kommuner i Nordfjord organiserer samarbeid om tekniske tjenester.", "en"),
    ("dc.language.iso", "nob", None),
    ("dc.subject.nsi", "VDP::Samfunnsvitenskap: 200::Statsvitenskap og organisasjonsteori: 240::Offentlig og privat administrasjon: 242", None),
    ("dc.type", "Master thesis", None),
    ("dc.rights.uri", "http://creativecommons.org/licenses/by/4.0/", None),
]


def build(changes: dict[str, list[tuple[str, str | None]] | None] | None = None) -> Record:
    """The good record, with some fields replaced (None removes a field)."""
    changes = changes or {}
    fields = []
    for key, value, lang in GOOD:
        if key in changes:
            continue
        fields.append((key, value, lang))
    for key, values in changes.items():
        for value, lang in values or []:
            fields.append((key, value, lang))
    out = []
    for key, value, lang in fields:
        parts = key.split(".")
        out.append(Field(parts[0], parts[1], parts[2] if len(parts) > 2 else None, value, lang))
    return Record("11250/1", fields=tuple(out))


def findings(validator, mapped, shape: str):
    (result,) = validator.validate([mapped])
    return [f for f in result.findings if f.shape.endswith("#" + shape)]


def edit(mapped, add=(), remove=lambda t: False):
    """Change a mapped record at the triple level, as RDF input could be; added triples have no DSpace origin."""
    kept = [(t, o) for t, o in zip(mapped.triples, mapped.origins) if not remove(t)]
    return replace(mapped, triples=[t for t, _ in kept] + list(add), origins=[o for _, o in kept] + [None] * len(add))


def test_the_good_record_has_no_violation_and_no_warning(mapper, validator):
    (result,) = validator.validate([mapper.map(build())])
    assert [f for f in result.findings if f.level >= Level.WARNING] == []


CASES = [
    # shape, level, field, how to break it (record changes or a triple edit)
    ("TitleRequired", Level.VIOLATION, "dc.title", {"dc.title": None}),
    ("TitleOnePerLanguage", Level.VIOLATION, "dc.title", {"dc.title": [("Klynger i offentlig forvaltning", "en"), ("Samarbeid i offentlig forvaltning blant kommuner", "en")]}),
    ("CreatorRequired", Level.VIOLATION, "dc.contributor.author", {"dc.contributor.author": None}),
    ("IssuedRequired", Level.VIOLATION, "dc.date.issued", {"dc.date.issued": None}),
    ("IssuedOnce", Level.WARNING, "dc.date.issued", {"dc.date.issued": [("2019", None), ("2020", None)]}),
    ("IssuedTyped", Level.VIOLATION, "dc.date.issued", {"dc.date.issued": [("ca. 1850", None)]}),
    ("IssuedInRange", Level.VIOLATION, "dc.date.issued", {"dc.date.issued": [("1599", None)]}),
    ("AbstractPresent", Level.WARNING, "dc.description.abstract", {"dc.description.abstract": None}),
    ("TypePresent", Level.WARNING, "dc.type", {"dc.type": None}),
    ("TypeInCoar", Level.WARNING, "dc.type", {"dc.type": [("Mystery object", None)]}),
    ("VdpSubjectPresent", Level.WARNING, "dc.subject.nsi", {"dc.subject.nsi": None}),
    ("VdpUnresolved", Level.WARNING, "dc.subject.nsi", {"dc.subject.nsi": [("VDP::Teknologi: 500::Romfartsteknologi: 695", None)]}),
    ("LicensePresent", Level.INFO, "dc.rights.uri", {"dc.rights.uri": None}),
    ("TitleTagged", Level.WARNING, "dc.title", {"dc.language.iso": None, "dc.title": [("X1", None)]}),
]


@pytest.mark.parametrize("shape, level, field, change", CASES, ids=[c[0] for c in CASES])
def test_record_breaking_a_constraint_is_found_with_field_and_advice(mapper, validator, shape, level, field, change):
    broken = findings(validator, mapper.map(build(change)), shape)
    assert broken, shape
    f = broken[0]
    assert f.level == level and f.field == field
    assert field.split(".")[-1] in f.message("en") or field in f.message("en"), f.message("en")
    assert f.message("nb") and f.message("nb") != f.message("en")
    assert findings(validator, mapper.map(build()), shape) == []  # the good record keeps it


def test_future_date_is_a_violation(mapper):
    validator = Validator(today=datetime.date(2026, 11, 27))
    assert findings(validator, mapper.map(build({"dc.date.issued": [("2027-01", None)]})), "IssuedInRange")
    assert not findings(validator, mapper.map(build({"dc.date.issued": [("2026-11", None)]})), "IssuedInRange")


@pytest.mark.parametrize("year", [1999, 2000, 2009, 2010, 2026, 2030, 2100])
def test_year_pattern(year):
    import re

    pattern = re.compile(_year_pattern(year))
    assert pattern.match(str(year)) and pattern.match("1600") and pattern.match(f"{year}-05-01")
    assert not pattern.match(str(year + 1)) and not pattern.match("1599")


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"
RDF_CASES = [
    ("AgentShape name", lambda m: edit(m, remove=lambda t: t[1] == FOAF_NAME), "dc.contributor.author", Level.VIOLATION),
    ("AbstractTagged", lambda m: edit(m, add=[(ITEM, DCT + "abstract", Lit("An abstract whose language nobody set at all."))]), "dc.description.abstract", Level.WARNING),
    ("LanguageIso6393", lambda m: edit(m, add=[(ITEM, DCT + "language", "http://example.org/lang/norsk")]), "dc.language.iso", Level.VIOLATION),
    ("VdpSubjectKnown", lambda m: edit(m, add=[(ITEM, DCT + "subject", "https://w3id.org/lodpub/vocab/vdp/999")]), "dc.subject.nsi", Level.VIOLATION),
    ("SameAsWellFormed", lambda m: edit(m, add=[(ITEM, "http://www.w3.org/2002/07/owl#sameAs", "https://doi.org/10.5555/a b")]), None, Level.VIOLATION),
    ("LicenseWellFormed", lambda m: edit(m, add=[(ITEM, DCT + "license", "ftp://example.org/licence")]), "dc.rights.uri", Level.VIOLATION),
    ("PartsWellFormed", lambda m: edit(m, add=[(ITEM, DCT + "hasPart", "https://brage.example.no/bitstream/a^b.pdf")]), None, Level.VIOLATION),
]


@pytest.mark.parametrize("shape, change, field, level", RDF_CASES, ids=[c[0] for c in RDF_CASES])
def test_graph_level_breaks(mapper, validator, shape, change, field, level):
    (result,) = validator.validate([change(mapper.map(build()))])
    name = shape.split()[0]
    hits = [f for f in result.findings if name in f.shape or (name == "AgentShape" and f.path == FOAF_NAME)]
    assert hits, [f.shape for f in result.findings]
    assert hits[0].level == level
    if field:
        assert hits[0].field == field


def test_item_iri_must_be_a_handle_iri(mapper, validator):
    m = mapper.map(build())
    other = "http://example.org/item/1"
    moved = replace(m, item=other, triples=[(other if s == m.item else s, p, other if o == m.item else o) for s, p, o in m.triples])
    (result,) = validator.validate([moved])
    assert any(f.shape.endswith("#ItemShape") and f.level == Level.VIOLATION for f in result.findings)


def test_shapes_are_valid_shacl_and_every_shape_is_documented_in_two_languages():
    shapes = Graph().parse(data_file("shapes", "record.ttl"))
    conforms, _g, text = meta_validate(shapes, inference="none")
    assert conforms, text
    SH = "http://www.w3.org/ns/shacl#"
    from rdflib import URIRef

    named = set(shapes.subjects(URIRef(SH + "name"), None))
    for shape in set(shapes.subjects(URIRef(SH + "path"), None)) | set(shapes.subjects(URIRef(RDF_TYPE), URIRef(SH + "NodeShape"))):
        if (None, URIRef(SH + "qualifiedValueShape"), shape) in shapes:
            continue
        assert shape in named, shape
        for prop in ("name", "description", "message"):
            langs = {o.language for o in shapes.objects(shape, URIRef(SH + prop))}
            if prop == "message" and (shape, URIRef(SH + "property"), None) in shapes and not langs:
                continue  # a node shape whose messages are on its property shapes
            assert {"en", "nb"} <= langs, (shape, prop)


def test_all_sample_records_validate_with_only_the_expected_warnings(mapper, validator):
    mapped = []
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix in (".xml", ".json", ".csv", ".txt"):
            records, _ = records_of(path)
            mapped += [mapper.map(r) for r in records]
    from pipeline.validate import batches

    results = [r for batch in batches(mapped) for r in validator.validate(batch)]
    assert not [f for r in results for f in r.findings if f.level == Level.VIOLATION]
    warned = {(r.handle, f.shape.rsplit("#", 1)[-1]) for r in results for f in r.findings if f.level == Level.WARNING}
    assert ("11250/2990103", "VdpSubjectPresent") in warned  # record C has no VDP
    assert ("11250/2990104", "VdpUnresolved") in warned  # record D's 695
    assert {shape for _h, shape in warned} <= {"VdpSubjectPresent", "VdpUnresolved", "AbstractPresent", "TypePresent", "conversion"}
