from __future__ import annotations

from tests.conftest import EXAMPLES, SAMPLES, fields_of, records_of


def pairs(record):
    return [(f.key, f.value, f.language) for f in record.fields]


def test_seed_record_parses_into_exactly_its_fields():
    (seed,), report = records_of(SAMPLES / "seed_item_page_132277.txt")
    assert not report.errors
    assert seed.handle == "11250/132277"
    keys = [f.key for f in seed.fields]
    # 20 values in 14 DSpace fields; page text ("Show simple item record", "Files in this item", ...) ignored.
    assert len(seed.fields) == 20 and len(set(keys)) == 14
    assert keys.count("dc.subject") == 5 and keys.count("dc.subject.nsi") == 2 and keys.count("dc.contributor.author") == 2
    p = {(k, v[:40]): lang for k, v, lang in pairs(seed)}
    assert p[("dc.language.iso", "nob")] == "en"
    assert p[("dc.date.accessioned", "2009-11-03T13:55:42Z")] is None
    assert p[("dc.format.extent", "1098145 bytes")] is None
    assert p[("dc.format.mimetype", "application/pdf")] is None
    assert p[("dc.publisher", "DIVA")] == "en"
    assert [f.value for f in fields_of(seed, "dc.subject")] == ["klynge", "samarbeid", "innovasjon", "BIOINN", "musikk-klyngeinitiativet i Hedmark"]
    (abstract,) = fields_of(seed, "dc.description.abstract")
    assert abstract.language == "en" and " / Norway`s Inland Region" in abstract.value
    assert abstract.value.endswith("the whole process of cluster development.")
    assert fields_of(seed, "dc.title")[0].value.endswith("To eksempler fra Hedmark fylke")
    assert fields_of(seed, "dc.title.alternative")[0].value.endswith("Hedmark County, Norway")


def test_shipped_seed_is_the_same_record():
    (ours,), _ = records_of(EXAMPLES / "seed_item_page_132277.txt")
    (theirs,), _ = records_of(SAMPLES / "seed_item_page_132277.txt")
    assert ours.fields == theirs.fields


def test_bergen_trap_multiline_value_and_page_chrome():
    (j,), report = records_of(SAMPLES / "item_page_full_glued_with_chrome_2990110.txt")
    subjects = [(f.value, f.language) for f in fields_of(j, "dc.subject")]
    assert subjects == [("housing prices", "en"), ("ferries", "en"), ("Bergen", None)]
    assert j.values("dc.description") == ["Master's thesis in economics\nDepartment of Economics"]
    assert fields_of(j, "dc.description")[0].language == "en"
    assert j.values("dc.type") == ["Master thesis"]  # "Filer i denne innførselen" is page text
    assert j.values("dc.date.created") == ["2023-05-14"]
    assert not any("Show simple" in f.value for f in j.fields)
    assert any(p.code == "ambiguous-glued-language" and p.field == "dc.subject" for p in report)


def test_glued_page_record_a():
    (a,), _ = records_of(SAMPLES / "item_page_full_glued_2990101.txt")
    assert ("dc.subject", "klynger", "en") in pairs(a)
    assert ("dc.date.issued", "2019-06", None) in pairs(a)
    assert ("dc.source.pagenumber", "87", "en") in pairs(a)


def test_tab_separated_page_keeps_empty_language_cells_apart():
    (i,), _ = records_of(SAMPLES / "item_page_full_tabs_2990109.txt")
    assert i.handle == "11250/2990109"
    assert [(f.value, f.language) for f in fields_of(i, "dc.contributor.author")] == [("Ødegård, Åse", None), ("Kvåle, Bjørn-Erik", None), ("Iversen, Tone", None)]
    assert fields_of(i, "dc.subject.nsi")[0].language == "nb_NO"
    assert i.values("dc.identifier.doi") == ["10.5555/nte.2018.077"]
    assert i.values("dc.type") == ["Journal article", "Peer reviewed"]


def test_simple_item_record_page():
    (a,), report = records_of(SAMPLES / "item_page_simple_2990101.txt")
    assert a.handle == "11250/2990101"
    assert a.values("dc.title") == ["Klynger i offentlig forvaltning: En studie av kommunesamarbeid i Nordfjord"]
    assert a.values("dc.contributor.author") == ["Haugland, Ingrid Marie"]
    assert a.values("dc.date.issued") == ["2019-06"]
    assert a.values("dc.publisher") == ["Universitetet i Fjordheim"]
    assert a.values("dc.description.abstract")[0].startswith("Denne masteroppgaven")
    assert not any("pdf" in f.value for f in a.fields)  # the file list is page text
