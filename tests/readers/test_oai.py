from __future__ import annotations

import pytest

from pipeline.errors import BadResumptionToken, SourceError
from pipeline.readers import OAIPage, read_oai
from pipeline.report import Report
from tests.conftest import SAMPLES, by_handle, fields_of, records_of, stream


def test_oai_dc_page_pair_with_resumption_token():
    page1, page2 = OAIPage(), OAIPage()
    report = Report()
    with open(SAMPLES / "oai_dc_listrecords_page1.xml", "rb") as f:
        first = list(read_oai(f, report=report, page=page1))
    with open(SAMPLES / "oai_dc_listrecords_page2.xml", "rb") as f:
        second = list(read_oai(f, report=report, page=page2))
    assert [r.handle for r in first] == ["11250/2990101", "11250/2990102", "11250/2990105"]
    assert [r.handle for r in second] == ["11250/2990103", "11250/2990104"]
    assert page1.resumption_token == "oai_dc///com_11250_2990000/3" and not page1.last
    assert page1.complete_list_size == 5
    # The empty token ends the list, whatever DSpace's page-index cursor says.
    assert page2.resumption_token is None and page2.last and page2.cursor == "1"
    assert page1.response_date == "2024-03-05T09:12:44Z"
    assert not report.errors


def test_oai_dc_deleted_header_keeps_sets_and_has_no_fields():
    records, _ = records_of(SAMPLES / "oai_dc_listrecords_page1.xml")
    e = by_handle(records)["11250/2990105"]
    assert e.deleted and e.fields == ()
    assert e.source.oai_identifier == "oai:brage.example.no:11250/2990105"
    assert e.source.datestamp == "2024-02-15T07:44:19Z"
    assert "col_11250_2990001" in e.sets


def test_oai_dc_fields_are_placed_where_they_unambiguously_come_from():
    records, _ = records_of(SAMPLES / "oai_dc_listrecords_page1.xml")
    a, b = by_handle(records)["11250/2990101"], by_handle(records)["11250/2990102"]
    assert a.values("dc.creator") == ["Haugland, Ingrid Marie"]
    assert a.values("dc.contributor") == ["Solberg, Tor Arne"]  # the advisor, not an author
    assert a.values("dc.date.issued") == ["2019-06"]
    assert a.values("dc.date") == ["2019-08-21T10:14:02Z", "2019-08-21T10:14:02Z"]
    assert a.values("dc.subject.nsi")[0].startswith("VDP::Samfunnsvitenskap: 200")
    assert a.values("dc.language.iso") == ["nob"]
    assert all(f.language is None for f in a.fields)  # oai_dc drops all language tags
    assert b.values("dc.creator") == ["Lunde, Sigrid", "Okafor, Chinedu", "Østby, Per-Ivar", "van der Meer, Anouk"]
    assert b.values("dc.identifier.doi") == ["https://doi.org/10.5555/jnc.2021.0042"]
    assert b.values("dc.identifier.issn") == ["1504-9999"]
    assert b.values("dc.description.version") == ["publishedVersion"]
    assert b.values("dc.rights.uri") == ["http://creativecommons.org/licenses/by/4.0/deed.no"]


def test_dim_authorities_confidences_languages_and_provenance():
    records, _ = records_of(SAMPLES / "oai_dim_getrecord.xml")
    (b,) = records
    assert b.handle == "11250/2990102" and b.source.format_ == "dim"
    authors = fields_of(b, "dc.contributor.author")
    assert [a.value for a in authors] == ["Lunde, Sigrid", "Okafor, Chinedu", "Østby, Per-Ivar", "van der Meer, Anouk"]
    assert [a.place for a in authors] == [0, 1, 2, 3]
    assert [a.authority for a in authors] == [
        "7a1c2e55-0b3d-4f6e-9a21-5c0d8e4b1001", None, "7a1c2e55-0b3d-4f6e-9a21-5c0d8e4b1003", "7a1c2e55-0b3d-4f6e-9a21-5c0d8e4b1004"]
    assert [a.confidence for a in authors] == [600, None, 600, 500]
    assert fields_of(b, "dc.date.issued")[0].language is None  # no lang attribute
    assert fields_of(b, "dc.title")[0].language == "en_US"
    assert fields_of(b, "dc.rights")[0].language == "*"
    provenance = b.values("dc.description.provenance")[0]
    assert provenance.count("\n") == 2 and provenance.endswith("Previous issue date: 2021")


def test_xoai_depth_rules_none_language_files_and_handle():
    records, _ = records_of(SAMPLES / "oai_xoai_getrecord.xml")
    (a,) = records
    assert a.handle == "11250/2990101"
    assert a.values("dc.description") == ["Masteroppgave i offentlig administrasjon"]  # description/en
    assert a.values("dc.description.abstract")[0].startswith("Denne masteroppgaven")  # description/abstract/en
    assert fields_of(a, "dc.contributor.author")[0].language is None  # "none"
    assert fields_of(a, "dc.subject")[1].value == "klynger" and fields_of(a, "dc.subject")[1].place == 1
    assert len(a.values("dc.description.provenance")) == 2
    assert a.values("dc.source.pagenumber") == ["87"]
    assert [f.name for f in a.files] == ["masteroppgave_haugland_2019.pdf"]  # ORIGINAL only
    assert a.files[0].media_type == "application/pdf" and a.files[0].size == 1843221


def test_xoai_authority_and_confidence_pair_with_the_value_before_them():
    xml = b"""<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-01T00:00:00Z</responseDate>
<GetRecord><record><header><identifier>oai:x:11250/9</identifier><datestamp>2024-01-01</datestamp></header><metadata>
<metadata xmlns="http://www.lyncode.com/xoai"><element name="dc"><element name="contributor"><element name="author"><element name="none">
<field name="value">A, One</field><field name="value">B, Two</field><field name="authority">auth-b</field><field name="confidence">600</field>
<field name="value">C, Three</field></element></element></element></element></metadata></metadata></record></GetRecord></OAI-PMH>"""
    (r,) = list(read_oai(stream(xml), report=Report()))
    authors = fields_of(r, "dc.contributor.author")
    assert [(a.value, a.authority, a.confidence) for a in authors] == [("A, One", None, None), ("B, Two", "auth-b", 600), ("C, Three", None, None)]


def test_qdc_drops_the_created_copy_of_available_and_keeps_issued():
    records, report = records_of(SAMPLES / "oai_qdc_getrecord.xml")
    (j,) = records
    assert j.values("dc.date.issued") == ["2023"]
    assert j.values("dc.date.accessioned") == ["2023-08-17T12:00:31Z"]
    assert j.values("dc.date.created") == []  # it was a copy of available, not the real 2023-05-14
    assert any(p.field == "dc.date.created" for p in report)
    assert j.values("dc.description.abstract")[0].startswith("Using 18,400")
    assert j.values("dc.subject") == ["housing prices", "ferries", "Bergen"]


def test_header_without_identifier_is_skipped_and_reported_and_the_rest_go_on():
    xml = b"""<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-01T00:00:00Z</responseDate><ListRecords>
<record><header><datestamp>2024-01-01</datestamp></header><metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>X</dc:title></oai_dc:dc></metadata></record>
<record><header><identifier>oai:x:11250/2</identifier><datestamp>2024-01-01</datestamp></header><metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
 stray text <dc:title>  Two
   lines  </dc:title> more stray</oai_dc:dc></metadata></record></ListRecords></OAI-PMH>"""
    report = Report()
    records = list(read_oai(stream(xml), report=report, name="page.xml"))
    assert [r.handle for r in records] == ["11250/2"]
    assert records[0].values("dc.title") == ["Two lines"]
    (err,) = report.errors
    assert "identifier" in err.message and err.source == "page.xml" and "record 1" in err.position


def test_no_records_match_is_an_empty_page_not_an_error():
    xml = b"""<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-01T00:00:00Z</responseDate><request verb="ListRecords">u</request><error code="noRecordsMatch">none</error></OAI-PMH>"""
    page = OAIPage()
    assert list(read_oai(stream(xml), report=Report(), page=page)) == []
    assert page.error_code == "noRecordsMatch"


def test_oai_error_code_raises_its_own_class():
    xml = b"""<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-01T00:00:00Z</responseDate><error code="badResumptionToken">expired</error></OAI-PMH>"""
    with pytest.raises(BadResumptionToken, match="expired"):
        list(read_oai(stream(xml), report=Report()))


def test_truncated_page_yields_records_before_the_break_then_a_clear_error():
    data = (SAMPLES / "oai_dc_listrecords_page1.xml").read_bytes()
    cut = data[: data.index(b"<record><header status=\"deleted\"")+40]
    got = []
    with pytest.raises(SourceError) as info:
        for r in read_oai(stream(cut), report=Report(), name="cut.xml"):
            got.append(r.handle)
    assert got == ["11250/2990101", "11250/2990102"]
    assert "cut.xml" in str(info.value) and "line" in str(info.value)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>&lol3;</responseDate></OAI-PMH>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>&xxe;</responseDate></OAI-PMH>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_expansion_and_external_entities_are_refused(payload):
    page = OAIPage()
    with pytest.raises(SourceError, match="DTD is refused"):
        list(read_oai(stream(payload), report=Report(), page=page))
    assert page.response_date is None  # nothing was expanded or read
