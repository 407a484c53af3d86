"""Publish: read, map, validate and write records into the store, batch by batch.

Records with a violation are not published: they go to the quarantine file with their
report, and whatever version of them the store held stays. Unchanged records (same
content hash as in the store) are not written again, so publishing the same input twice
changes nothing. Deleted records lose their graph and get a tombstone.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as default
from pathlib import Path
from typing import IO

from .documents import Documents, ntriples_only, with_forms
from .mapping import MappedRecord, Mapper
from .pool import ordered_map
from .readers import read_files
from .report import Report, Severity
from .settings import Settings
from .store import Prepared, RecordStore
from .terms import nt_lines
from .validate import DEFAULT_BATCH, Level, RecordResult, batches
from .validation_run import make_validator
from .values import typed_date
from .vocabularies.graphs import ntriples, vocabulary_graphs
from .writer import BatchWriter


@dataclass
class PublishStats:
    records: int = 0
    published: int = 0
    unchanged: int = 0
    deleted: int = 0
    quarantined: int = 0
    warnings: int = 0
    input_errors: int = 0
    by_format: dict[str, int] = default(default_factory=dict)


@dataclass
class Outcome:
    """What became of one record, small enough to pass between processes."""

    prepared: Prepared | None
    quarantine: dict[str, object] | None
    warnings: int
    format_: str


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _deleted_at(record: MappedRecord) -> str:
    stamp = typed_date(record.record.source.datestamp or "")
    # The repository's own datestamp keeps reruns identical; "now" only when there is none.
    return stamp[0] if stamp and stamp[1].endswith("dateTime") else now_iso()


def outcome(mapped: MappedRecord, result: RecordResult, documents: Documents | None, context_url: str | None) -> Outcome:
    """What to write for one mapped and validated record.

    ``documents``: the store's documents table (``None`` for a store that keeps none). Its
    documents are made for the record (against the JSON-LD context ``context_url``), unless
    the table holds the same N-Triples already: publishing unchanged records again then
    costs no rendering (the parent, which decides by the stored hash, writes nothing)."""
    fmt = mapped.record.source.format_ or "?"
    if mapped.record.deleted:
        return Outcome(Prepared(mapped.handle, mapped.item, mapped.graph, deleted_at=_deleted_at(mapped)), None, 0, fmt)
    warnings = sum(1 for f in result.findings if f.level == Level.WARNING)
    if not result.conforms(Level.VIOLATION):
        report = {"handle": mapped.handle, "source": result.source, "findings": [f.to_json() for f in result.findings]}
        return Outcome(None, report, warnings, fmt)
    text = "".join(nt_lines(mapped.triples))
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    document = None
    if documents is not None:
        document = ntriples_only(data)
        if not documents.holds(mapped.graph, document, data):
            document = with_forms(document, mapped.triples, context_url)
    return Outcome(Prepared(mapped.handle, mapped.item, mapped.graph, text, digest, document=document), None, warnings, fmt)


class _Worker:
    def __init__(self, settings: Settings, engine: str, documents: Path | None) -> None:
        self.mapper = Mapper(settings)
        self.validator = make_validator(settings, engine)
        self.context_url = settings.context_url
        # read-only, beside the parent's writes (SQLite's WAL lets readers read what is committed)
        self.documents = Documents(documents, read_only=True) if documents is not None else None

    def outcomes(self, paths: list[str], report: Report, from_: str | None, batch: int) -> Iterator[Outcome]:
        mapped = (self.mapper.map(r) for r in read_files(paths, report=report, from_=from_))
        # validated in groups of their own size (pyshacl holds a group as one rdflib graph), not the write batch
        for group in batches(mapped, min(batch, DEFAULT_BATCH)):
            for m, r in zip(group, self.validator.validate(group)):
                yield outcome(m, r, self.documents, self.context_url)


_worker: _Worker | None = None


def _init(settings_json: str, engine: str, documents: Path | None) -> None:
    global _worker
    _worker = _Worker(Settings.model_validate_json(settings_json), engine, documents)


def _file_outcomes(args: tuple[str, str | None, int]) -> tuple[list[Outcome], list[dict[str, object]]]:
    path, from_, batch = args
    assert _worker is not None
    report = Report()
    outcomes = list(_worker.outcomes([path], report, from_, batch))
    return outcomes, [p.to_json() for p in report.errors]


def all_outcomes(paths: list[str], settings: Settings, report: Report, *, engine: str, workers: int, from_: str | None, batch: int,
                 documents: Path | None = None) -> Iterator[Outcome]:
    """Outcomes in input order; files are shared out to ``workers`` processes."""
    if workers <= 1 or len(paths) <= 1:
        yield from _Worker(settings, engine, documents).outcomes(paths, report, from_, batch)
        return
    tasks = [(p, from_, batch) for p in paths]
    # a window of four files a worker: workers keep converting while the writer thread loads a batch
    for outcomes, errors in ordered_map(_file_outcomes, tasks, workers=workers, initializer=_init, initargs=(settings.model_dump_json(), engine, documents), window=4 * workers):
        for e in errors:
            report.error(str(e.get("message")), source=str(e.get("source")), position=e.get("position"))  # type: ignore[arg-type]
        yield from outcomes


def publish_vocabularies(store: RecordStore, settings: Settings) -> int:
    """Write the vocabulary graphs that changed; returns how many were written."""
    written = 0
    for graph, triples in vocabulary_graphs(settings).items():
        data = ntriples(triples)
        digest = hashlib.sha256(data).hexdigest()
        if store.hashes([graph]).get(graph) == digest:
            continue
        store.put_graph(graph, data)
        store.set_hash(graph, digest)
        written += 1
    return written


def publish(
    paths: list[str],
    store: RecordStore,
    settings: Settings,
    *,
    engine: str = "compiled",
    workers: int = 1,
    batch: int = 5000,
    from_: str | None = None,
    report: Report | None = None,
    quarantine: IO[str] | None = None,
    on_progress: Callable[[PublishStats], None] | None = None,
) -> PublishStats:
    """Publish every record of ``paths`` into ``store``; see the module docstring."""
    report = report if report is not None else Report()
    stats = PublishStats()
    publish_vocabularies(store, settings)

    def write(pending: list[Prepared]) -> None:
        latest: dict[str, Prepared] = {}
        for p in pending:  # a later version in the same batch wins
            latest[p.graph] = p
        stored = store.hashes(list(latest))
        changed = [p for p in latest.values() if stored.get(p.graph) != (p.digest if not p.deleted else "deleted")]
        stats.unchanged += len(pending) - len(changed)
        if changed:
            store.write(changed, now_iso(), {p.graph for p in changed if p.graph not in stored})
        stats.published += sum(1 for p in changed if not p.deleted)
        stats.deleted += sum(1 for p in changed if p.deleted)
        if on_progress:
            on_progress(stats)

    pending: list[Prepared] = []
    with BatchWriter(write) as writer:
        for o in all_outcomes(paths, settings, report, engine=engine, workers=workers, from_=from_, batch=batch, documents=store.documents_path):
            stats.records += 1
            stats.warnings += o.warnings
            stats.by_format[o.format_] = stats.by_format.get(o.format_, 0) + 1
            if o.quarantine is not None:
                stats.quarantined += 1
                if quarantine is not None:
                    quarantine.write(json.dumps(o.quarantine, ensure_ascii=False) + "\n")
                continue
            assert o.prepared is not None
            pending.append(o.prepared)
            if len(pending) >= batch:
                writer.put(pending)
                pending = []
        if pending:
            writer.put(pending)
    stats.input_errors = report.counts.get(Severity.ERROR, 0)
    return stats
