"""One rule of the mapping at a time, on small records built here and on the samples."""

from __future__ import annotations

import pytest

from pipeline.mapping import Mapper, load_table
from pipeline.record import Field, Record
from pipeline.settings import Settings
from pipeline.terms import Lit
from pipeline.values import doi_of, isbn_digits, license_iri, orcid_iri, person_name, typed_date
from tests.conftest import SAMPLES, records_of

DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper()


def record(*fields: tuple[str, str] | tuple[str, str, str | None] | Field, handle: str = "11250/1") -> Record:
    out = []
    for f in fields:
        if isinstance(f, Field):
            out.append(f)
            continue
        key, value, *lang = f
        parts = key.split(".")
        out.append(Field(parts[0], parts[1], parts[2] if len(parts) > 2 else None, value, lang[0] if lang else None))
    return Record(handle, fields=tuple(out))


def objects(mapped, predicate: str, subject=None):
    subject = subject or mapped.item
    return [o for s, p, o in mapped.triples if s == subject and p == predicate]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2007", ("2007", XSD + "gYear")),
        ("2019-06", ("2019-06", XSD + "gYearMonth")),
        ("2007-01-10", ("2007-01-10", XSD + "date")),
        ("2009-11-03T13:55:42Z", ("2009-11-03T13:55:42Z", XSD + "dateTime")),
        ("2019-03-12 14:03:22.117", ("2019-03-12T14:03:22.117", XSD + "dateTime")),
        ("2019-13", None),
        ("2019-02-30", None),
        ("10.06.2019", None),
        ("ca. 1850", None),
    ],
)
def test_dates_keep_their_precision_and_never_invent_a_month_or_day(value, expected):
    assert typed_date(value) == expected


def test_unparseable_date_is_reported_and_kept(mapper):
    m = mapper.map(record(("dc.title", "X"), ("dc.date.issued", "ca. 1850")))
    assert objects(m, DCT + "issued") == [Lit("ca. 1850")]
    assert any(n.field == "dc.date.issued" and n.severity == "warning" for n in m.notes)


def test_authors_in_order_with_names_and_orcid(mapper):
    m = mapper.map(record(
        ("dc.title", "X"),
        Field("dc", "contributor", "author", "Lunde, Sigrid", None, "0000-0002-1825-0097", 600, 0),
        Field("dc", "contributor", "author", "Okafor, Chinedu", None, None, None, 1),
        Field("dc", "contributor", "author", "van der Meer, Anouk", None, "7a1c2e55-0b3d-4f6e-9a21-5c0d8e4b1004", 500, 2),
    ))
    creators = objects(m, DCT + "creator")
    assert creators[0] == "https://orcid.org/0000-0002-1825-0097"
    assert creators[1].startswith("_:")
    names = [objects(m, FOAF + "name", c)[0].value for c in creators]
    assert names == ["Sigrid Lunde", "Chinedu Okafor", "Anouk van der Meer"]
    assert objects(m, FOAF + "familyName", creators[2]) == [Lit("van der Meer")]
    assert objects(m, DCT + "identifier", creators[2]) == [Lit("7a1c2e55-0b3d-4f6e-9a21-5c0d8e4b1004")]
    # order kept in bibo:authorList
    (head,) = objects(m, "http://purl.org/ontology/bibo/authorList")
    order, node = [], head
    while node != "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil":
        order.append(objects(m, "http://www.w3.org/1999/02/22-rdf-syntax-ns#first", node)[0])
        node = objects(m, "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest", node)[0]
    assert order == creators


def test_orcid_needs_a_valid_checksum():
    assert orcid_iri("https://orcid.org/0000-0002-1825-0097") == "https://orcid.org/0000-0002-1825-0097"
    assert orcid_iri("0000-0002-1825-0098") is None
    assert orcid_iri("7a1c2e55-0b3d-4f6e-9a21-5c0d8e4b1004") is None


def test_advisor_and_editor_are_contributors_with_marc_roles_not_creators(mapper):
    m = mapper.map(record(("dc.title", "X"), ("dc.contributor.advisor", "Solberg, Tor Arne"), ("dc.contributor.editor", "Hole, Brynjar")))
    assert objects(m, DCT + "creator") == []
    advisor = objects(m, "http://id.loc.gov/vocabulary/relators/ths")
    editor = objects(m, "http://id.loc.gov/vocabulary/relators/edt")
    assert len(advisor) == 1 and len(editor) == 1
    assert set(objects(m, DCT + "contributor")) == {advisor[0], editor[0]}


def test_legacy_dc_creator_is_an_author(mapper):
    records, _ = records_of(SAMPLES / "metadata_export.csv")
    g = next(r for r in records if r.handle == "11250/2990107")
    m = mapper.map(g)
    (creator,) = objects(m, DCT + "creator")
    assert objects(m, FOAF + "name", creator) == [Lit("Mats Johansen")]


def test_organisation_author(mapper):
    records, _ = records_of(SAMPLES / "metadata_export.csv")
    h = mapper.map(next(r for r in records if r.handle == "11250/2990108"))
    first = objects(h, DCT + "creator")[0]
    assert FOAF + "Organization" in objects(h, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", first)


def test_identifiers(mapper):
    m = mapper.map(record(("dc.title", "X"), ("dc.identifier.doi", "10.5555/nte.2018.077"), ("dc.identifier.isbn", "978-82-7777-012-3 (trykt)"),
                          ("dc.identifier.issn", "1504-9999"), ("dc.identifier.cristin", "1912345"), ("dc.identifier.uri", "http://hdl.handle.net/11250/1")))
    same = objects(m, "http://www.w3.org/2002/07/owl#sameAs")
    assert "https://doi.org/10.5555/nte.2018.077" in same and "http://hdl.handle.net/11250/1" in same
    assert objects(m, "http://purl.org/ontology/bibo/doi") == [Lit("10.5555/nte.2018.077")]
    assert objects(m, "http://purl.org/ontology/bibo/isbn13") == [Lit("9788277770123")]
    assert objects(m, "http://purl.org/ontology/bibo/issn") == [Lit("1504-9999")]
    assert Lit("cristin:1912345") in objects(m, DCT + "identifier")
    assert m.item == "https://hdl.handle.net/11250/1"


def test_value_helpers():
    assert doi_of("https://doi.org/10.5555/jnc.2021.0042") == "10.5555/jnc.2021.0042"
    assert doi_of("doi:10.1000/182") == "10.1000/182" and doi_of("not a doi") is None
    assert isbn_digits("978-82-7777-013-0 (elektronisk)") == "9788277770130" and isbn_digits("978-82-7777-013-1") is None
    assert license_iri("http://creativecommons.org/licenses/by/4.0/deed.no") == "https://creativecommons.org/licenses/by/4.0/"
    assert person_name("Østby, Per-Ivar").given == "Per-Ivar"
    assert person_name("Fjordheim hydrologiske stasjon").family is None


def test_media_type_language_type_license_vdp(mapper):
    m = mapper.map(record(("dc.title", "X"), ("dc.format.mimetype", "application/pdf"), ("dc.language.iso", "nob"), ("dc.type", "Masteroppgave"),
                          ("dc.type", "Peer reviewed"), ("dc.rights.uri", "http://creativecommons.org/licenses/by/4.0/deed.no"),
                          ("dc.subject.nsi", "VDP::Samfunnsvitenskap: 200::Økonomi: 210VDP::Teknologi: 500::Romfartsteknologi: 695")))
    assert objects(m, DCT + "format") == ["https://www.iana.org/assignments/media-types/application/pdf"]
    assert objects(m, DCT + "language") == ["http://lexvo.org/id/iso639-3/nob"]
    assert objects(m, DCT + "type") == ["http://purl.org/coar/resource_type/c_bdcc"]
    assert "http://purl.org/ontology/bibo/Thesis" in objects(m, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert objects(m, "http://purl.org/ontology/bibo/status") == ["http://purl.org/ontology/bibo/status/peerReviewed"]
    assert objects(m, DCT + "license") == ["https://creativecommons.org/licenses/by/4.0/"]
    subjects = objects(m, DCT + "subject")
    assert "https://w3id.org/lodpub/vocab/vdp/210" in subjects
    assert Lit("VDP::Teknologi: 500::Romfartsteknologi: 695") in subjects  # kept, never invented as a concept
    assert any("695" in n.message for n in m.notes if n.severity == "warning")


def test_unknown_type_is_reported(mapper):
    m = mapper.map(record(("dc.title", "X"), ("dc.type", "Mystery object")))
    assert objects(m, DCT + "type") == [Lit("Mystery object")]
    assert any(n.field == "dc.type" and "not known" in n.message for n in m.notes)


def test_language_tags_on_sample_records(mapper):
    records, _ = records_of(SAMPLES / "metadata_export.csv")
    by = {r.handle: mapper.map(r) for r in records}
    a = by["11250/2990101"]  # Norwegian record, every DSpace tag "en"
    assert [l.lang for l in objects(a, DCT + "title")] == ["nb"]
    assert sorted(l.lang for l in objects(a, DCT + "abstract")) == ["en", "nb"]
    assert {l.lang for l in objects(a, DCT + "subject") if isinstance(l, Lit)} == {"nb"}
    c = by["11250/2990103"]  # Nynorsk report
    assert [l.lang for l in objects(c, DCT + "title")] == ["nn"] and [l.lang for l in objects(c, DCT + "abstract")] == ["nn"]
    f = by["11250/2990106"]
    assert {(l.value, l.lang) for l in objects(f, DCT + "title") + objects(f, DCT + "alternative")} == {("Kystkultur og museumsformidling", "nb"), ("Coastal culture and museum communication", "en")}
    b = by["11250/2990102"]
    rights = objects(b, DCT + "rights")
    assert rights == [Lit("Navngivelse 4.0 Internasjonal")]  # DSpace says "*": no tag rather than a wrong one


def test_rest_v7_bilingual_abstract_english_first(mapper):
    (d,), _ = records_of(SAMPLES / "rest_v7_item.json")
    m = mapper.map(d)
    abstracts = {l.lang: l.value for l in objects(m, DCT + "abstract")}
    assert set(abstracts) == {"en", "nn"}
    assert abstracts["en"].startswith("Small satellites") and abstracts["nn"].startswith("Små satellittar")


def test_a_slash_inside_one_language_is_not_split(mapper):
    m = mapper.map(record(("dc.language.iso", "eng"), ("dc.title", "X"), ("dc.description.abstract", "We compare input / output behaviour of twelve pumps in the field and report the results of the study for every pump we measured.")))
    assert len(objects(m, DCT + "abstract")) == 1


def test_nothing_lost_unmapped_fields_are_listed(mapper):
    m = mapper.map(record(("dc.title", "X"), ("dc.description.provenance", "Submitted by A"), ("local.odd.field", "value")))
    listed = {f for f, _v, _r in m.unmapped}
    assert listed == {"dc.description.provenance", "local.odd.field"}


def test_mapping_file_extends_and_overrides(tmp_path):
    own = tmp_path / "mine.toml"
    own.write_text('[prefixes]\nschema = "https://schema.org/"\n[fields."local.odd.field"]\nkind = "plain"\nproperty = "schema:keywords"\n[fields."dc.format.extent"]\nkind = "unmapped"\nreason = "we do not publish sizes"\n', "utf-8")
    mapper = Mapper(Settings(mapping=own))
    m = mapper.map(record(("dc.title", "X"), ("local.odd.field", "v"), ("dc.format.extent", "12 pages")))
    assert objects(m, "https://schema.org/keywords") == [Lit("v")]
    assert objects(m, DCT + "extent") == [] and ("dc.format.extent", "12 pages", "we do not publish sizes") in m.unmapped
    assert "local.odd.field" in load_table(own)["fields"]


def test_bad_mapping_kind_is_a_clear_error(tmp_path):
    own = tmp_path / "bad.toml"
    own.write_text('[fields."dc.title"]\nkind = "magic"\n', "utf-8")
    with pytest.raises(ValueError, match="unknown kind 'magic'"):
        Mapper(Settings(mapping=own))


def test_iris_with_spaces_are_encoded(mapper):
    m = mapper.map(record(("dc.title", "X"), ("dc.relation.uri", "http://example.org/a b<c>")))
    (iri,) = objects(m, DCT + "relation")
    assert isinstance(iri, str) and " " not in iri and "<" not in iri
