"""Conversion on all cores: one input file per task, results written in input order.

A harvest is many pages, so files are the natural unit: each worker process reads,
maps and formats whole files and hands back bytes; the parent only writes them, in the
order of the inputs, so the output is byte-identical to the single-process run. Memory
per worker is bounded by one file (an OAI-PMH page is a few MB). A single huge file
gets no parallelism.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, BinaryIO

from .convert import ConvertStats, map_records
from .mapping import Mapper
from .pool import ordered_map
from .rdf_output import write_records
from .readers import read_files
from .report import Problem, Report, Severity
from .settings import Settings

_mapper: Mapper | None = None


@dataclass
class FileResult:
    data: bytes
    report_lines: str
    problems: list[Problem]
    problem_counts: dict[str, int]
    stats: ConvertStats


def _init_worker(settings_json: str) -> None:
    global _mapper
    _mapper = Mapper(Settings.model_validate_json(settings_json))


def _convert_file(args: tuple[str, str, str | None, bool, str | None]) -> FileResult:
    path, format_, from_, with_report, context_url = args
    assert _mapper is not None
    report = Report()
    stats = ConvertStats()
    out = io.BytesIO()
    report_out = io.StringIO() if with_report else None
    write_records(map_records(read_files([path], report=report, from_=from_), _mapper, stats, report_out), out, format_, context_url)
    return FileResult(out.getvalue(), report_out.getvalue() if report_out else "", report.problems, {s.value: n for s, n in report.counts.items()}, stats)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def convert_parallel(
    inputs: list[str],
    out: BinaryIO,
    *,
    workers: int,
    format_: str = "nt",
    settings: Settings | None = None,
    report: Report | None = None,
    report_out: IO[str] | None = None,
    from_: str | None = None,
) -> ConvertStats:
    """Like ``convert.convert``, with ``workers`` processes; same bytes out."""
    settings = settings or Settings()
    report = report if report is not None else Report()
    total = ConvertStats()
    if format_ not in ("nt", "nq", "jsonld"):
        raise ValueError("parallel conversion writes line-based formats only (nt, nq, jsonld): Turtle and RDF/XML need one serializer")
    tasks = [(str(p), format_, from_, report_out is not None, settings.context_url) for p in inputs]
    results: Iterator[FileResult] = ordered_map(_convert_file, tasks, workers=workers, initializer=_init_worker, initargs=(settings.model_dump_json(),))
    for result in results:
        out.write(result.data)
        if report_out is not None:
            report_out.write(result.report_lines)
        for problem in result.problems:
            report.add(problem.severity, problem.message, source=problem.source, position=problem.position, handle=problem.handle, field=problem.field, value=problem.value, code=problem.code)
        s = result.stats
        total.records += s.records
        total.deleted += s.deleted
        total.triples += s.triples
        total.warnings += s.warnings
        for k, v in s.by_format.items():
            total.by_format[k] = total.by_format.get(k, 0) + v
    total.rejected = report.counts[Severity.ERROR]
    if report_out is not None:
        for problem in report:
            report_out.write(json.dumps(problem.to_json(), ensure_ascii=False) + "\n")
    return total
