"""Inputs -> RDF, streaming: read, map, write, one record at a time.

The conversion report (one JSON line per record, plus reader problems) goes to its own
stream so that stdout can carry the data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

from .mapping import MappedRecord, Mapper
from .rdf_output import write_records
from .readers import read_files
from .record import Record
from .report import Report, Severity
from .settings import Settings


@dataclass
class ConvertStats:
    records: int = 0
    deleted: int = 0
    triples: int = 0
    warnings: int = 0
    rejected: int = 0
    by_format: dict[str, int] = field(default_factory=dict)


def map_records(records: Iterable[Record], mapper: Mapper, stats: ConvertStats, report_out: IO[str] | None = None) -> Iterator[MappedRecord]:
    """Map each live record, count, and write each record's conversion report line."""
    for record in records:
        mapped = mapper.map(record)
        stats.records += 1
        fmt = record.source.format_ or "?"
        stats.by_format[fmt] = stats.by_format.get(fmt, 0) + 1
        stats.warnings += sum(1 for n in mapped.notes if n.severity == "warning")
        if report_out is not None:
            report_out.write(json.dumps(mapped.report_json(), ensure_ascii=False) + "\n")
        if record.deleted:
            stats.deleted += 1
            continue
        stats.triples += len(mapped.triples)
        yield mapped


def convert(
    inputs: list[str] | list[Path],
    out: BinaryIO,
    *,
    format_: str = "nt",
    settings: Settings | None = None,
    report: Report | None = None,
    report_out: IO[str] | None = None,
    from_: str | None = None,
) -> ConvertStats:
    """Convert every record of ``inputs`` to ``format_`` on ``out``; problems go to ``report``."""
    settings = settings or Settings()
    report = report if report is not None else Report()
    mapper = Mapper(settings)
    stats = ConvertStats()
    records = read_files(list(inputs), report=report, from_=from_)
    write_records(map_records(records, mapper, stats, report_out), out, format_, settings.context_url)
    stats.rejected = report.counts[Severity.ERROR]
    if report_out is not None:
        for problem in report:
            report_out.write(json.dumps(problem.to_json(), ensure_ascii=False) + "\n")
    return stats
