"""The seed record exactly as written by hand; every sample in every format; every output format."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic

from pipeline import __version__
from pipeline.mapping import Mapper
from pipeline.rdf_output import context, write_records
from pipeline.settings import Settings

from tests.conftest import EXAMPLES, ROOT, SAMPLES, records_of

DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".xml", ".json", ".csv", ".txt"))


def graph_of(mapped) -> Graph:
    buf = io.BytesIO()
    write_records([mapped], buf, "nt")
    return Graph().parse(data=buf.getvalue().decode("utf-8"), format="nt")


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper()


def test_seed_record_is_isomorphic_to_the_hand_written_golden_file(mapper):
    (seed,), _ = records_of(EXAMPLES / "seed_item_page_132277.txt")
    got = graph_of(mapper.map(seed))
    golden_text = (ROOT / "tests" / "data" / "seed_132277.ttl").read_text("utf-8").replace("lodpub 0.1.0", f"lodpub {__version__}")
    golden = Graph().parse(data=golden_text, format="turtle")
    if not isomorphic(got, golden):
        _both, only_got, only_golden = graph_diff(got, golden)
        pytest.fail(f"only in output:\n{only_got.serialize(format='nt')}\nonly in golden:\n{only_golden.serialize(format='nt')}")


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_every_sample_maps_and_every_live_record_has_title_and_handle_iri(mapper, path):
    records, report = records_of(path)
    assert records and not report.errors
    for record in records:
        mapped = mapper.map(record)
        if record.deleted:
            assert mapped.triples == []
            continue
        g = graph_of(mapped)
        item = URIRef(f"https://hdl.handle.net/{record.handle}")
        assert (item, URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef(f"http://hdl.handle.net/{record.handle}")) in g
        assert list(g.objects(item, DCT.title)), record.handle
        # nothing lost: every source field is mapped or listed as unmapped
        keys = {f.key for f in record.fields}
        assert keys == set(mapped.mapped) | {f for f, _v, _r in mapped.unmapped}


def core(g: Graph, handle: str, with_subjects: bool = True, with_abstracts: bool = True) -> set:
    item = URIRef(f"https://hdl.handle.net/{handle}")
    out = set()
    for p in (DCT.title, DCT.issued, DCT.type, DCT.language):
        out |= {(str(p), o.n3()) for o in g.objects(item, p)}
    out |= {("creator", str(g.value(a, FOAF.name))) for a in g.objects(item, DCT.creator)}
    if with_subjects:
        out |= {("subject", o.n3()) for o in g.objects(item, DCT.subject)}
    if with_abstracts:
        out |= {("abstract", o.language, str(o)[:40]) for o in g.objects(item, DCT.abstract)}
    return out


def by_handle_in(path: Path, handle: str, mapper: Mapper) -> Graph:
    records, _ = records_of(path)
    (record,) = [r for r in records if r.handle == handle]
    return graph_of(mapper.map(record))


@pytest.mark.parametrize(
    "handle, files",
    [
        ("11250/2990101", ["oai_xoai_getrecord.xml", "metadata_export.csv", "item_page_full_glued_2990101.txt", "oai_dc_listrecords_page1.xml"]),
        ("11250/2990102", ["oai_dim_getrecord.xml", "metadata_export.csv", "oai_dc_listrecords_page1.xml"]),
        ("11250/2990103", ["metadata_export.csv", "oai_dc_listrecords_page2.xml"]),
        ("11250/2990104", ["rest_v7_item.json", "oai_dc_listrecords_page2.xml"]),
        ("11250/2990106", ["rest_v6_items.json", "metadata_export.csv"]),
        ("11250/2990109", ["rest_v6_items.json", "item_page_full_tabs_2990109.txt"]),
        ("11250/2990110", ["item_page_full_glued_with_chrome_2990110.txt", "oai_qdc_getrecord.xml"]),
    ],
)
def test_one_record_in_several_formats_gives_the_same_core_triples(mapper, handle, files):
    first = files[0]
    for name in files[1:]:
        # oai_dc has no qualifiers: its abstract is an unqualified dc:description.
        full = "oai_dc" not in name
        a = core(by_handle_in(SAMPLES / first, handle, mapper), handle, with_abstracts=full)
        b = core(by_handle_in(SAMPLES / name, handle, mapper), handle, with_abstracts=full)
        assert a == b, (name, a ^ b)


def test_simple_page_agrees_where_it_has_the_data(mapper):
    full = core(by_handle_in(SAMPLES / "oai_xoai_getrecord.xml", "11250/2990101", mapper), "11250/2990101")
    simple = core(by_handle_in(SAMPLES / "item_page_simple_2990101.txt", "11250/2990101", mapper), "11250/2990101", with_subjects=False)
    # Without dc.language.iso the Norwegian title is tagged "no" (Norwegian, standard unknown)
    title = (str(DCT.title), '"Klynger i offentlig forvaltning: En studie av kommunesamarbeid i Nordfjord"')
    assert (title[0], title[1] + "@no") in simple and (title[0], title[1] + "@nb") in full
    simple = {k for k in simple if k[0] != str(DCT.title)}
    full = {k for k in full if k[0] != str(DCT.title)}
    assert simple <= full  # the summary page lacks type, language and subjects, nothing else differs
    assert {k for k in full - simple if k[0] != "subject"} == {(str(DCT.type), "<http://purl.org/coar/resource_type/c_bdcc>"), (str(DCT.language), "<http://lexvo.org/id/iso639-3/nob>")}


@pytest.fixture(scope="module")
def all_samples(mapper):
    mapped = []
    for path in SAMPLE_FILES:
        records, _ = records_of(path)
        mapped += [mapper.map(r) for r in records if not r.deleted]
    return mapped


def _write(mapped, format_: str) -> bytes:
    buf = io.BytesIO()
    write_records(mapped, buf, format_, Settings().context_url)
    return buf.getvalue()


def test_every_output_format_parses_in_rdflib_and_pyoxigraph_and_agrees(all_samples):
    reference = Graph().parse(data=_write(all_samples, "nt").decode(), format="nt")
    assert len(reference) > 500
    for format_, rdflib_format, ox_format in [
        ("turtle", "turtle", pyoxigraph.RdfFormat.TURTLE),
        ("rdfxml", "xml", pyoxigraph.RdfFormat.RDF_XML),
        ("nt", "nt", pyoxigraph.RdfFormat.N_TRIPLES),
    ]:
        data = _write(all_samples, format_)
        assert isomorphic(Graph().parse(data=data.decode(), format=rdflib_format), reference), format_
        assert len(set(pyoxigraph.parse(data, format=ox_format))) == len(reference)
    nq = _write(all_samples, "nq")
    quads = set(pyoxigraph.parse(nq, format=pyoxigraph.RdfFormat.N_QUADS))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(reference)
    assert {q.graph_name.value for q in quads} == {m.graph for m in all_samples}


def test_jsonld_is_compacted_and_expands_to_the_same_triples(all_samples):
    lines = _write(all_samples, "jsonld").decode().splitlines()
    assert len(lines) == len(all_samples)
    for line, mapped in zip(lines, all_samples):
        doc = json.loads(line)
        assert doc["@context"] == "https://w3id.org/lodpub/vocab/context.jsonld"
        assert "title" in doc["@graph"][0]  # compacted with our terms, not expanded IRIs
        doc["@context"] = context()  # what a client gets when it fetches the published context
        got = Graph().parse(data=json.dumps(doc), format="json-ld")
        nt = Graph().parse(data=_write([mapped], "nt").decode(), format="nt")
        assert isomorphic(got, nt), mapped.handle
        ox = list(pyoxigraph.parse(json.dumps(doc).encode(), format=pyoxigraph.RdfFormat.JSON_LD))
        assert len(ox) == len(nt)


def test_convert_is_deterministic_across_processes(tmp_path):
    outs = []
    for i, workers in enumerate(("1", "1", "2")):
        out = tmp_path / f"out{i}.nt"
        result = subprocess.run([sys.executable, "-m", "pipeline.cli", "convert", "-j", workers, *map(str, SAMPLE_FILES), "-o", str(out)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2] and len(outs[0]) > 10_000  # two processes, same bytes


def test_convert_report_lists_every_record_and_unmapped_fields(tmp_path):
    report = tmp_path / "report.jsonl"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "convert", str(SAMPLES / "oai_dim_getrecord.xml"), "-o", str(tmp_path / "x.nt"), "--report", str(report)], check=True, timeout=120, cwd=tmp_path)
    (entry,) = [json.loads(line) for line in report.read_text().splitlines()]
    assert entry["handle"] == "11250/2990102"
    (provenance,) = [u for u in entry["unmapped"] if u["field"] == "dc.description.provenance"]
    assert "Made available in DSpace" in provenance["value"] and provenance["reason"]
    assert "dc.contributor.author" in entry["mapped"]

