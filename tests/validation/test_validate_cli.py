"""`lodpub validate`: formats, severities, languages, exit codes; batches and workers agree."""

from __future__ import annotations

import json
import subprocess
import sys

from rdflib import Graph, Namespace

from pipeline.mapping import Mapper
from pipeline.settings import Settings
from pipeline.validate import Validator
from pipeline.validation_run import validate_all
from tests.conftest import SAMPLES, records_of

SH = Namespace("http://www.w3.org/ns/shacl#")
SAMPLE_FILES = [str(p) for p in sorted(SAMPLES.iterdir()) if p.suffix in (".xml", ".json", ".csv", ".txt")]

BAD_CSV = (
    "id,dc.title[en],dc.contributor.author,dc.date.issued,dc.identifier.uri,dc.language.iso\n"
    '"1","En god tittel på norsk om kommuner","Nordmann, Kari","2019","https://hdl.handle.net/11250/901","nob"\n'
    '"2",,"Nordmann, Ola","2019","https://hdl.handle.net/11250/902","nob"\n'
    '"3","Ingen dato her i det hele tatt","Nordmann, Per","i fjor","https://hdl.handle.net/11250/903","nob"\n'
)


def lodpub(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, timeout=180, cwd=cwd)


def test_text_report_names_record_source_field_and_exits_1(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, "utf-8")
    result = lodpub("validate", str(bad), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "11250/902" in out and "bad.csv (line 3" in out and "dc.title" in out and "fill in dc.title" in out
    assert "11250/903" in out and "dc.date.issued" in out
    assert "11250/901" not in out  # no violation there
    assert "3 records, 2 at or above violation" in result.stderr
    assert "TitleRequired: 1" in result.stderr


def test_norwegian_messages_and_json(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, "utf-8")
    result = lodpub("validate", str(bad), "--lang", "nb", "--format", "json", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert data["counts"]["records"] == 3 and data["counts"]["failing"] == 2
    (rec,) = [r for r in data["records"] if r["handle"] == "11250/902"]
    assert not rec["conforms"]
    assert any(f["field"] == "dc.title" and "fyll ut dc.title" in f["message"] for f in rec["findings"])


def test_turtle_is_the_shacl_report_graph(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, "utf-8")
    result = lodpub("validate", str(bad), "--format", "turtle", cwd=tmp_path)
    g = Graph().parse(data=result.stdout, format="turtle")
    assert len(list(g.subjects(SH.resultSeverity, SH.Violation))) >= 2


def test_severity_threshold_and_clean_exit(tmp_path):
    samples_ok = lodpub("validate", *SAMPLE_FILES, cwd=tmp_path)
    assert samples_ok.returncode == 0, samples_ok.stdout
    warned = lodpub("validate", *SAMPLE_FILES, "--severity", "warning", cwd=tmp_path)
    assert warned.returncode == 1 and "No VDP subject" in warned.stdout


def test_usage_and_input_errors_exit_2(tmp_path):
    assert lodpub("validate", cwd=tmp_path).returncode == 2
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    result = lodpub("validate", str(empty), cwd=tmp_path)
    assert result.returncode == 2 and "empty" in result.stderr and "Traceback" not in result.stderr


def test_rdf_input(tmp_path):
    out = tmp_path / "samples.ttl"
    assert lodpub("convert", str(SAMPLES / "oai_dc_listrecords_page1.xml"), "-f", "turtle", "-o", str(out), cwd=tmp_path).returncode == 0
    result = lodpub("validate", str(out), "--format", "json", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert result.returncode == 0 and {r["handle"] for r in data["records"]} == {"11250/2990101", "11250/2990102"}


def _signature(results):
    return [(r.handle, sorted((f.level, f.shape, f.field or "", f.value or "") for f in r.findings)) for r in results]


def test_batched_and_parallel_results_equal_one_at_a_time():
    mapper = Mapper()
    mapped = []
    for path in SAMPLE_FILES:
        records, _ = records_of(path)
        mapped += [mapper.map(r) for r in records]
    validator = Validator()
    alone = [validator.validate([m])[0] for m in mapped]
    batched = [r for _m, r in validate_all(mapped, Settings(), workers=1, batch_size=7)]
    parallel = [r for _m, r in validate_all(mapped, Settings(), workers=2, batch_size=5)]
    assert _signature(alone) == _signature(batched) == _signature(parallel)
