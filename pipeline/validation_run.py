"""A whole validation run: inputs in, one result per record out, on all cores.

Inputs are any record form lodpub reads, or RDF files (Turtle, N-Triples, N-Quads,
JSON-LD, RDF/XML) holding items of type dcterms:BibliographicResource. Batches of
records go to worker processes, each with its own mapper and parsed shapes; results
come back in input order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as default
from pathlib import Path

from pyoxigraph import RdfFormat, parse

from .errors import SourceError
from .mapping import MappedRecord, Mapper
from .pool import ordered_map
from .readers import read_files
from .record import Record, Source
from .report import Report
from .settings import Settings
from .terms import RdfTriple, from_oxigraph
from .shacl_compiled import CompiledValidator
from .validate import DEFAULT_BATCH, Level, RecordResult, Validator, batches, load_shapes

RDF_SUFFIXES = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".nq": RdfFormat.N_QUADS, ".jsonld": RdfFormat.JSON_LD,
                ".rdf": RdfFormat.RDF_XML, ".owl": RdfFormat.RDF_XML, ".trig": RdfFormat.TRIG}
BIBLIOGRAPHIC_RESOURCE = "http://purl.org/dc/terms/BibliographicResource"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PRIMARY_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"


@dataclass
class RunSummary:
    records: int = 0
    by_level: Counter[str] = default(default_factory=Counter)
    by_shape: Counter[str] = default(default_factory=Counter)
    failing: int = 0


def records_from_rdf(path: Path, settings: Settings) -> list[MappedRecord]:
    """Split an RDF file into one pseudo-record per item (item, its blank nodes, its document)."""
    fmt = RDF_SUFFIXES[path.suffix.lower()]
    try:
        triples: list[RdfTriple] = from_oxigraph(parse(path=str(path), format=fmt))
    except (SyntaxError, ValueError, OSError) as exc:
        raise SourceError(str(path), None, f"not valid RDF: {exc}") from exc
    items = [s for s, p, o in triples if p == RDF_TYPE and o == BIBLIOGRAPHIC_RESOURCE]
    owner: dict[str, str] = {i: i for i in items}
    changed = True
    while changed:  # attach blank nodes and documents to the item that reaches them
        changed = False
        for s, p, o in triples:
            if s in owner and isinstance(o, str) and o.startswith("_:") and o not in owner:
                owner[o] = owner[s]
                changed = True
            if p == PRIMARY_TOPIC and isinstance(o, str) and o in owner and s not in owner:
                owner[s] = owner[o]
                changed = True
    grouped: dict[str, list[RdfTriple]] = {i: [] for i in items}
    for t in triples:
        if t[0] in owner:
            grouped[owner[t[0]]].append(t)
    out = []
    for index, item in enumerate(items, start=1):
        handle = item.split("hdl.handle.net/", 1)[-1]
        record = Record(handle, source=Source(file=str(path), position=f"item {index}", format_="rdf"))
        out.append(MappedRecord(record, item, item, grouped[item], [None] * len(grouped[item])))
    return out


def mapped_inputs(paths: list[str], settings: Settings, report: Report, from_: str | None = None, mapper: Mapper | None = None) -> Iterator[MappedRecord]:
    for path in paths:
        if Path(path).suffix.lower() in RDF_SUFFIXES:
            try:
                yield from records_from_rdf(Path(path), settings)
            except SourceError as exc:
                report.error(exc.why, source=exc.source, position=exc.position)
            continue
        mapper = mapper or Mapper(settings)
        for record in read_files([path], report=report, from_=from_):
            yield mapper.map(record)


ENGINES = ("pyshacl", "compiled")
_validator: Validator | CompiledValidator | None = None
_mapper: Mapper | None = None


def make_validator(settings: Settings, engine: str = "pyshacl") -> Validator | CompiledValidator:
    """pyshacl (normative) or the compiled shapes (same findings, proven by test; ~50x faster)."""
    if engine == "compiled":
        return CompiledValidator(load_shapes(settings))
    if engine == "pyshacl":
        return Validator(settings)
    raise ValueError(f"unknown validation engine {engine!r}; choose one of {', '.join(ENGINES)}")


def _init(settings_json: str, engine: str) -> None:
    global _validator, _mapper
    settings = Settings.model_validate_json(settings_json)
    _validator = make_validator(settings, engine)
    _mapper = Mapper(settings)


def _validate_batch(batch: list[MappedRecord]) -> list[RecordResult]:
    assert _validator is not None
    return _validator.validate(batch)


def validate_all(mapped: Iterable[MappedRecord], settings: Settings, *, workers: int = 1, batch_size: int = DEFAULT_BATCH, engine: str = "pyshacl") -> Iterator[tuple[MappedRecord, RecordResult]]:
    """Validate every record; results in input order."""
    if workers <= 1:
        validator = make_validator(settings, engine)
        for batch in batches(mapped, batch_size):
            yield from zip(batch, validator.validate(batch))
        return
    pending: list[list[MappedRecord]] = []

    def feed() -> Iterator[list[MappedRecord]]:
        for batch in batches(mapped, batch_size):
            pending.append(batch)
            yield batch

    for results in ordered_map(_validate_batch, feed(), workers=workers, initializer=_init, initargs=(settings.model_dump_json(), engine)):
        batch = pending.pop(0)
        yield from zip(batch, results)


def _validate_file(args: tuple[str, str | None, int]) -> list[RecordResult]:
    path, from_, batch_size = args
    assert _validator is not None
    report = Report()
    assert _mapper is not None
    results = []
    for batch in batches(mapped_inputs([path], _mapper.settings, report, from_, _mapper), batch_size):
        results.extend(_validator.validate(batch))
    for problem in report.errors:  # an unusable file: reported as a result without a handle
        results.append(RecordResult("", f"{problem.source} ({problem.position})" if problem.position else str(problem.source), []))
        results[-1].input_error = problem.message  # type: ignore[attr-defined]
    return results


def validate_files(paths: list[str], settings: Settings, report: Report, *, workers: int = 1, batch_size: int = DEFAULT_BATCH,
                   engine: str = "pyshacl", from_: str | None = None) -> Iterator[RecordResult]:
    """Read, map and validate every input, a file per worker task; results in input order.

    Only findings travel between processes (not the records), and nothing is kept:
    memory is bounded by one file per worker.
    """
    if workers <= 1 or len(paths) <= 1:
        for _m, r in validate_all(mapped_inputs(paths, settings, report, from_), settings, batch_size=batch_size, engine=engine):
            yield r
        return
    tasks = [(p, from_, batch_size) for p in paths]
    for results in ordered_map(_validate_file, tasks, workers=workers, initializer=_init, initargs=(settings.model_dump_json(), engine)):
        for r in results:
            error = getattr(r, "input_error", None)
            if error:
                report.error(error, source=r.source)
            else:
                yield r


def summarise(results: Iterable[RecordResult], threshold: Level, summary: RunSummary) -> Iterator[RecordResult]:
    for r in results:
        summary.records += 1
        for f in r.findings:
            summary.by_level[f.level.label] += 1
            summary.by_shape[f.shape.rsplit("#", 1)[-1]] += 1
        if not r.conforms(threshold):
            summary.failing += 1
        yield r
