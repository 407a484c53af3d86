from __future__ import annotations

import json

from tests.conftest import SAMPLES, by_handle, fields_of, records_of


def test_v6_list_languages_and_repeated_keys():
    records, report = records_of(SAMPLES / "rest_v6_items.json")
    assert not report.errors
    r = by_handle(records)
    assert sorted(r) == ["11250/2990106", "11250/2990109"]
    f = r["11250/2990106"]
    assert f.source.format_ == "rest-v6" and f.source.datestamp == "2019-03-12 14:03:22.117"
    assert [(x.value[:12], x.language) for x in fields_of(f, "dc.subject.nsi")] == [("VDP::Humanio", "nb_NO"), ("VDP::Humanit", "en_US")]
    assert "\n" in f.values("dc.description.provenance")[0]
    i = r["11250/2990109"]
    assert i.values("dc.contributor.author")[0] == "Ødegård, Åse"
    assert {x.language for x in fields_of(i, "dc.subject.nsi")} <= {"", "nb_NO", None}


def test_v7_item_values_ordered_by_place():
    (d,), report = records_of(SAMPLES / "rest_v7_item.json")
    assert d.handle == "11250/2990104" and not d.deleted and d.source.format_ == "rest-v7"
    advisors = fields_of(d, "dc.contributor.advisor")
    assert [a.value for a in advisors] == ["Rønning, Halvard", "Fischer, Lena"]
    assert [a.place for a in advisors] == [0, 1]
    author = fields_of(d, "dc.contributor.author")[0]
    assert author.authority == "b9e14c2d-5f6a-4b7c-8d9e-0f1a2b3c4d04" and author.confidence == 600
    assert advisors[0].confidence == -1 and advisors[0].authority is None
    assert "695" in d.values("dc.subject.nsi")[0]


def test_v7_withdrawn_item_is_a_deleted_record():
    (e,), _ = records_of(SAMPLES / "rest_v7_item_withdrawn.json")
    assert e.handle == "11250/2990105" and e.deleted and e.fields == ()


def test_v7_place_order_beats_document_order_and_search_wrapper(write):
    item = json.loads((SAMPLES / "rest_v7_item.json").read_text("utf-8"))
    item["metadata"]["dc.contributor.advisor"].reverse()
    wrapper = {"_embedded": {"searchResult": {"_embedded": {"objects": [{"_embedded": {"indexableObject": item}}, {"_embedded": {"indexableObject": {"nometadata": 1}}}]}}}}
    records, report = records_of(write("search.json", json.dumps(wrapper)))
    assert [r.handle for r in records] == ["11250/2990104"]
    assert records[0].values("dc.contributor.advisor") == ["Rønning, Halvard", "Fischer, Lena"]
    assert len(report.errors) == 1 and report.errors[0].position == "item 2"
