from __future__ import annotations

from pipeline.readers.csv_export import parse_heading, split_authority
from tests.conftest import SAMPLES, by_handle, fields_of, records_of


def test_headings_with_language_suffixes():
    assert parse_heading("dc.title[en_US]") == ("dc", "title", None, "en_US")
    assert parse_heading("dc.language.iso[]") == ("dc", "language", "iso", "")
    assert parse_heading("dc.rights.uri[*]") == ("dc", "rights", "uri", "*")
    assert parse_heading("dc.date.issued") == ("dc", "date", "issued", None)
    assert parse_heading("collection") is None


def test_authority_split_only_when_the_last_part_is_an_integer():
    assert split_authority("Lunde, Sigrid::7a1c::600") == ("Lunde, Sigrid", "7a1c", 600)
    assert split_authority("Title :: with::colons") == ("Title :: with::colons", None, None)
    assert split_authority("A::B::C::-1") == ("A::B", "C", -1)


def test_sample_export_ground_truth():
    records, report = records_of(SAMPLES / "metadata_export.csv")
    assert not report.errors
    r = by_handle(records)
    assert sorted(r) == ["11250/2990101", "11250/2990102", "11250/2990103", "11250/2990106", "11250/2990107", "11250/2990108"]
    b = r["11250/2990102"]
    authors = fields_of(b, "dc.contributor.author")
    assert [a.value for a in authors] == ["Lunde, Sigrid", "Okafor, Chinedu", "Østby, Per-Ivar", "van der Meer, Anouk"]
    assert [(a.authority, a.confidence) for a in authors] == [
        ("7a1c2e55-0b3d-4f6e-9a21-5c0d8e4b1001", 600), (None, None), ("7a1c2e55-0b3d-4f6e-9a21-5c0d8e4b1003", 600), ("7a1c2e55-0b3d-4f6e-9a21-5c0d8e4b1004", 500)]
    assert b.sets == ("11250/2990002", "11250/2990009")
    assert fields_of(b, "dc.rights.uri")[0].language == "*"
    assert b.values("dc.type") == ["Journal article", "Peer reviewed"]
    # language: [] is the empty string, no suffix is None
    g = r["11250/2990107"]
    assert g.values("dc.creator") == ["Johansen, Mats"] and g.values("dc.contributor.author") == []
    assert fields_of(g, "dc.language.iso")[0].language == ""
    assert fields_of(g, "dc.date.issued")[0].language is None
    assert fields_of(g, "dc.title")[0].language == ""
    # quoted newline and doubled quotes survive
    h = r["11250/2990108"]
    abstract = h.values("dc.description.abstract")[0]
    assert '"quality-controlled"' in abstract and "\nGaps shorter" in abstract
    assert h.values("dc.contributor.author")[0] == "Fjordheim hydrologiske stasjon"
    c = r["11250/2990103"]
    assert c.values("dc.identifier.isbn") == ["978-82-7777-012-3 (trykt)", "978-82-7777-013-0 (elektronisk)"]
    assert c.values("dc.relation.ispartofseries") == ["Rapport frå Fjordheim forsking;2007:3"]
    assert c.values("dc.contributor.editor") == ["Hole, Brynjar"]
    f = r["11250/2990106"]
    assert sorted((x.value, x.language) for x in fields_of(f, "dc.subject.nsi")) == [
        ("VDP::Humaniora: 000::Kulturvitenskap: 060", "nb_NO"), ("VDP::Humanities: 000::Cultural science: 060", "en_US")]


def test_hand_edited_file_bom_crlf_ragged_row_and_missing_handle(write):
    text = (
        "\ufeffid,collection,dc.title[en],dc.identifier.uri,dc.subject[]\r\n"
        '"1","c1","First","https://hdl.handle.net/11250/1","a||b"\r\n'
        '"2","c1","Ragged","https://hdl.handle.net/11250/2","x","extra"\r\n'
        '"3","c1","No handle",,\r\n'
        '"4","c1","Multi\r\nline","http://hdl.handle.net/11250/4",\r\n'
        '"5","c1","Trailing comma","https://hdl.handle.net/11250/5","z",\r\n'
    )
    records, report = records_of(write("edited.csv", text))
    assert [r.handle for r in records] == ["11250/1", "11250/4", "11250/5"]
    assert records[0].values("dc.subject") == ["a", "b"]
    assert records[1].values("dc.title") == ["Multi line"]
    errors = report.errors
    assert len(errors) == 2
    assert errors[0].position.startswith("line 3") and "cells" in errors[0].message
    assert errors[1].position.startswith("line 4") and errors[1].field == "dc.identifier.uri"
