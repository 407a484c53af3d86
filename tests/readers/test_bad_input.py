"""Bad input: one clear error naming file and position, never a traceback; the rest go on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import LodpubError, SourceError
from pipeline.readers import FORMATS, read_file, read_files
from pipeline.report import Report
from tests.conftest import SAMPLES, stream

LODPUB = [sys.executable, "-m", "pipeline.cli"]


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("empty.xml", b"", "empty"),
        ("blank.csv", b"  \n\n", "empty"),
        ("binary.bin", bytes(range(256)) * 8, "binary"),
        ("truncated.xml", (SAMPLES / "oai_dim_getrecord.xml").read_bytes()[:1500], "not well-formed XML"),
        ("latin1.csv", "id,dc.title[nb],dc.identifier.uri\n\"1\",\"Blåbær\",\"https://hdl.handle.net/1/2\"\n".encode("latin-1"), "not UTF-8"),
        ("latin1.txt", "dc.titleBlåbæren\ndc.identifier.urihttps://hdl.handle.net/1/2\n".encode("latin-1"), "not UTF-8"),
        ("wrong.json", b'{"hello": "world"}', "wrong shape"),
        ("broken.json", b'[{"metadata": [', "not valid JSON"),
        ("prose.txt", b"Just some words\nthat are not a record\n", "not a form lodpub reads"),
    ],
)
def test_unusable_files_give_one_clear_error(write, name, data, expected):
    path = write(name, data)
    with pytest.raises(SourceError) as info:
        list(read_file(path, report=Report()))
    assert name in str(info.value) and expected in str(info.value)


def test_cli_prints_the_error_without_a_traceback_and_goes_on(write, tmp_path):
    bad = write("truncated.xml", (SAMPLES / "oai_dim_getrecord.xml").read_bytes()[:1500])
    good = SAMPLES / "rest_v7_item.json"
    result = subprocess.run([*LODPUB, "records", str(bad), str(good)], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "truncated.xml" in result.stderr and "line" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["handle"] for r in lines] == ["11250/2990104"]


def test_missing_file_is_reported():
    report = Report()
    assert list(read_files(["/nonexistent/file.xml"], report=report)) == []
    assert "cannot open" in report.errors[0].message


def test_readers_are_lazy():
    class Exploding:
        name = "lazy"

        def read(self, *_):
            raise AssertionError("read before next()")

        peek = read

    for reader in FORMATS.values():
        reader(Exploding(), report=Report())  # creating the generator reads nothing


SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".xml", ".json", ".csv", ".txt"))


def _mutate(data: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for pos, length, insert in cuts:
        pos %= max(len(out), 1)
        out[pos : pos + length] = insert
    return bytes(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    index=st.integers(min_value=0, max_value=len(SAMPLE_FILES) - 1),
    cuts=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=12)), max_size=4),
)
def test_mutated_samples_never_raise_anything_but_lodpub_errors(index, cuts):
    path = SAMPLE_FILES[index]
    data = _mutate(path.read_bytes(), cuts)
    for form, reader in FORMATS.items():
        try:
            for record in reader(stream(data), report=Report(), name=path.name):
                assert record.handle
        except LodpubError:
            pass


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=600) | st.text(max_size=600).map(lambda s: s.encode("utf-8")))
def test_random_input_never_raises_anything_but_lodpub_errors(data):
    for reader in FORMATS.values():
        try:
            list(reader(stream(data), report=Report(), name="random"))
        except LodpubError:
            pass


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30), min_size=1, max_size=5))
def test_csv_round_trip_of_arbitrary_values(values):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "dc.identifier.uri", "dc.subject[en]"])
    cleaned = [v for v in values if "||" not in v and v.strip() and not v.strip().endswith("|") and not v.strip().startswith("|")]
    w.writerow(["1", "https://hdl.handle.net/11250/1", "||".join(cleaned)])
    records = list(FORMATS["csv"](stream(buf.getvalue().encode()), report=Report(), name="rt.csv"))
    if cleaned:
        from pipeline.readers.csv_export import split_authority
        from pipeline.readers.values import normalise_value

        expected = [normalise_value("dc.subject", split_authority(v)[0]) for v in cleaned]
        assert records[0].values("dc.subject") == [e for e in expected if e]
