"""Damaged public copies of the VDP XML are found out, each with what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.report import Report
from pipeline.vocabularies.dspace_xml import import_dspace, read_vocabulary_file
from tests.conftest import VOCAB_SOURCES


def read(name: str):
    report = Report()
    trees, damaged = read_vocabulary_file(VOCAB_SOURCES / name, report)
    return trees, damaged, report


def codes(report: Report) -> set[str]:
    return {p.code for p in report if p.code}


@pytest.mark.parametrize(
    "name, code, words",
    [
        ("dspace-2010-scholarworks-nsi-nb-mojibake.xml", "mojibake", "Spr??kvitenskapelige"),
        ("learningcompass-config-nsi-nb-mojibake.xml", "invalid-utf8", "c3 3f"),
        ("learningcompass-root-nsi-nb-mojibake.xml", "invalid-utf8", "c3 3f"),
    ],
)
def test_damaged_files_are_refused_with_the_reason(name, code, words):
    _trees, damaged, report = read(name)
    assert damaged
    (problem,) = [p for p in report.errors if p.code == code]
    assert words in problem.message and problem.position.startswith("line ")


def test_truncated_label_is_found_by_comparing_with_good_sources():
    report = Report()
    import_dspace([VOCAB_SOURCES / "dspace-nsi-nb.xml", VOCAB_SOURCES / "learningcompass-root-nsi-nb-mojibake.xml"], report)
    (conflict,) = [p for p in report.errors if p.code == "label-conflict" and p.field == "034"]
    assert "'ss språk'" in conflict.message and "Østasiatiske språk" in conflict.message


def test_crlf_copy_is_reported_and_still_read():
    trees, damaged, report = read("swigroup-dspace182-nsi-nb-crlf.xml")
    assert not damaged and "crlf" in codes(report)
    assert len(trees[0].nodes) == 405


def test_duplicated_id_is_reported():
    _trees, _damaged, report = read("dspace-nsi-nb.xml")
    (dup,) = [p for p in report if p.code == "duplicate-id"]
    assert "835" in dup.message and "512" in dup.message


def test_two_trees_under_one_root_and_bilingual_file():
    trees, damaged, report = read("munin-uit-nsi-nb-en-twotrees.xml")
    assert not damaged and [t.language for t in trees] == ["nb", "en"] and "divider" in codes(report)
    trees, damaged, _ = read("munin-uit-nsi-nb-labeleng.xml")
    assert [t.language for t in trees] == ["nb+en"]
    node = next(n for n in trees[0].nodes if n.code == "242")
    assert node.labels == {"nb": "Offentlig og privat administrasjon: 242", "en": "Public and private administration: 242"}


def test_labels_differing_between_files_are_reported(tmp_path):
    text = (VOCAB_SOURCES / "dspace-pr2441-unit-brage-nsi_no-nb.xml").read_text("utf-8").replace("Offentlig og privat administrasjon: 242", "Offentleg forvaltning: 242")
    edited = tmp_path / "edited.xml"
    edited.write_text(text, "utf-8")
    report = Report()
    import_dspace([VOCAB_SOURCES / "dspace-nsi-nb.xml", VOCAB_SOURCES / "dspace-pr2441-unit-brage-nsi_no-nb.xml", edited], report)
    (conflict,) = [p for p in report.errors if p.code == "label-conflict"]
    assert conflict.field == "242" and "Offentleg forvaltning" in conflict.message


def test_every_good_source_gives_the_same_scheme():
    """The bilingual Munin file and the Unit pair agree with the generated scheme."""
    from rdflib import SKOS

    def concepts(paths: list[Path]):
        g = import_dspace(paths, Report())
        return {(str(s), str(p), str(o), getattr(o, "language", None)) for s, p, o in g if p in (SKOS.prefLabel, SKOS.broader)}

    unit = concepts([VOCAB_SOURCES / "dspace-pr2441-unit-brage-nsi_no-nb.xml", VOCAB_SOURCES / "dspace-pr2441-unit-brage-nsi-en.xml"])
    munin = concepts([VOCAB_SOURCES / "munin-uit-nsi-nb-labeleng.xml"])
    assert unit == munin
