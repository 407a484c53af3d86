from __future__ import annotations

import pytest

from pipeline.vocabularies.tables import bcp47_from_dspace, coar_types, lookup_language, lookup_type


@pytest.mark.parametrize(
    "value, coar",
    [
        ("Master thesis", "c_bdcc"), ("Masteroppgave", "c_bdcc"), ("Doktorgradsavhandling", "c_db06"), ("Doctoral thesis", "c_db06"),
        ("Bachelor thesis", "c_7a1f"), ("Journal article", "c_6501"), ("Book", "c_2f33"), ("Chapter", "c_3248"),
        ("Report", "c_93fc"), ("Research report", "c_18ws"), ("Working paper", "c_8042"), ("Lecture", "c_8544"),
        ("Student paper", "c_1843"), ("Dataset", "c_ddb1"), ("Others", "c_1843"), ("  master   THESIS ", "c_bdcc"),
    ],
)
def test_brage_types_map_to_coar(value, coar):
    t = lookup_type(value)
    assert t is not None and t != "status" and t.id == coar
    assert t.iri == f"http://purl.org/coar/resource_type/{coar}"
    assert t.labels["en"] and t.labels["nb"] and t.labels["nn"]


def test_peer_reviewed_is_a_status_not_a_type_and_unknown_is_none():
    assert lookup_type("Peer reviewed") == "status"
    assert lookup_type("Mystery object") is None


def test_every_coar_type_has_norwegian_labels():
    for t in coar_types().values():
        assert set(t.labels) == {"en", "nb", "nn"} and all(t.labels.values())


@pytest.mark.parametrize(
    "value, iso, tag",
    [("nob", "nob", "nb"), ("nno", "nno", "nn"), ("nor", "nor", "no"), ("no", "nor", "no"), ("nb", "nob", "nb"), ("nn", "nno", "nn"),
     ("eng", "eng", "en"), ("en", "eng", "en"), ("en_US", "eng", "en"), ("sme", "sme", "se")],
)
def test_languages(value, iso, tag):
    lang = lookup_language(value)
    assert lang is not None and lang.iso639_3 == iso and lang.bcp47 == tag
    assert lang.iri == f"http://lexvo.org/id/iso639-3/{iso}"


def test_other_is_no_language():
    assert lookup_language("other") is None


@pytest.mark.parametrize("tag, bcp", [("en_US", "en-US"), ("nb_NO", "nb"), ("nn", "nn"), ("*", None), ("", None), ("none", None), (None, None), ("en", "en"), ("no_NO", "no")])
def test_dspace_tags_normalised_to_bcp47(tag, bcp):
    assert bcp47_from_dspace(tag) == bcp
