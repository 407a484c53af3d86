"""The ``lodpub`` command: one thin click command per verb.

Exit codes: 0 clean; 1 finished, but records were rejected or do not conform;
2 usage error (click's own); 3 could not run (input missing, store locked, ...).
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rdflib import RDF, SKOS

from . import __version__
from .errors import LodpubError
from .readers import FORMATS, read_files
from .report import Report, Severity
from .vocabularies.check import check_file
from .vocabularies.dspace_xml import DEFAULT_NAMESPACE, import_dspace
from .vocabularies.vdp import resolve
from .rdf_files import write_turtle
from .convert import convert
from .parallel import convert_parallel, default_workers
from .rdf_output import FORMATS as FORMATS_OUT
from .settings import Settings


class CannotRun(click.ClickException):
    """lodpub could not do its job at all (exit 3)."""

    exit_code = 3


def _print_problems(report: Report) -> None:
    for problem in report:
        if problem.severity is not Severity.INFO:
            click.echo(problem.describe(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lodpub")
def main() -> None:
    """Publish DSpace repository records as Linked Data."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--from", "from_", type=click.Choice(sorted(FORMATS)), help="Input form; found from the content when omitted.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True), help="Write every problem as JSON lines here.")
def records(files: tuple[str, ...], from_: str | None, report_path: str | None) -> None:
    """Print the records in FILES as JSON lines (one DSpace record per line).

    Reads OAI-PMH XML (oai_dc, dim, xoai, qdc), DSpace metadata CSV, REST v6/v7 JSON
    and item pages copied as text. Problems go to stderr; exit 1 when a record or a
    file had to be skipped.
    """
    report = Report()
    try:
        for record in read_files(list(files), report=report, from_=from_):
            sys.stdout.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
    except LodpubError as exc:
        raise CannotRun(str(exc)) from exc
    _print_problems(report)
    if report_path:
        with open(report_path, "w", encoding="utf-8") as out:
            for problem in report:
                out.write(json.dumps(problem.to_json(), ensure_ascii=False) + "\n")
    if report.counts[Severity.ERROR]:
        sys.exit(1)


@main.command("convert")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-f", "--format", "format_", type=click.Choice(sorted(FORMATS_OUT)), default="nt", show_default=True, help="Output RDF format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Output file (default: stdout).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Conversion report, one JSON line per record.")
@click.option("--from", "from_", type=click.Choice(sorted(FORMATS)), help="Input form; found from the content when omitted.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Your own mapping table (TOML), merged over the default.")
@click.option("-j", "--workers", type=int, default=1, show_default=True, help="Worker processes (0 = one per core); files are shared out, output order is kept.")
def convert_command(files: tuple[str, ...], format_: str, output: Path | None, report_path: Path | None, from_: str | None, mapping: Path | None, workers: int) -> None:
    """Convert records in any input form to RDF, streaming.

    Output is deterministic: the same input gives byte-identical N-Triples. JSON-LD is
    one compacted document per record per line, using lodpub's published context.
    Counts and problems go to stderr; exit 1 when a record or file had to be skipped.
    """
    settings = Settings(mapping=mapping) if mapping else Settings()
    report = Report()
    out_stream = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115
    report_stream = open(report_path, "w", encoding="utf-8") if report_path else None  # noqa: SIM115
    workers = workers or default_workers()
    try:
        if workers > 1 and len(files) > 1:
            stats = convert_parallel(list(files), out_stream, workers=workers, format_=format_, settings=settings, report=report, report_out=report_stream, from_=from_)
        else:
            stats = convert(list(files), out_stream, format_=format_, settings=settings, report=report, report_out=report_stream, from_=from_)
    except (LodpubError, ValueError) as exc:
        raise CannotRun(str(exc)) from exc
    finally:
        if output:
            out_stream.close()
        if report_stream:
            report_stream.close()
    _print_problems(report)
    click.echo(f"{stats.records} records ({stats.deleted} deleted), {stats.triples} triples, {stats.warnings} warnings, {stats.rejected} errors", err=True)
    if stats.rejected:
        sys.exit(1)


@main.command("validate")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "format_", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True, help="Report format; turtle is the SHACL validation report graph.")
@click.option("--severity", type=click.Choice(["violation", "warning", "info"]), default="violation", show_default=True, help="Exit 1 when any finding is at or above this severity; lower ones are not listed in text.")
@click.option("--lang", type=click.Choice(["en", "nb"]), default="en", show_default=True, help="Language of the messages.")
@click.option("--from", "from_", type=click.Choice(sorted(FORMATS)), help="Input form of record files; found from the content when omitted.")
@click.option("-j", "--workers", type=int, default=1, show_default=True, help="Worker processes (0 = one per core).")
@click.option("--batch-size", type=int, default=500, show_default=True, help="Records per pyshacl call.")
@click.option("--engine", type=click.Choice(["pyshacl", "compiled"]), default="pyshacl", show_default=True, help="pyshacl is normative; compiled gives the same findings (proven by the test suite) about 50 times faster.")
def validate_command(inputs: tuple[str, ...], format_: str, severity: str, lang: str, from_: str | None, workers: int, batch_size: int, engine: str) -> None:
    """Validate records (any input form, or RDF) against shapes/record.ttl.

    Prints, per record, the handle, where it came from, the DSpace field, severity and
    message; then counts per severity and per shape. Exit 0 when nothing is at or above
    --severity, 1 when something is, 2 for a usage or input error.
    """
    from .validate import Level
    from .validation_run import RunSummary, mapped_inputs, summarise, validate_files

    settings = Settings()
    threshold = Level.parse(severity)
    report = Report()
    summary = RunSummary()
    workers = workers or default_workers()
    if format_ == "turtle":
        from .validate import Validator
        from .validate import batches as make_batches

        validator = Validator(settings)
        graph = None
        for batch in make_batches((m for m in mapped_inputs(list(inputs), settings, report, from_) if not m.record.deleted), batch_size):
            list(summarise(validator.validate(batch), threshold, summary))
            g = validator.report_graph(batch)
            graph = g if graph is None else graph + g
        click.echo(graph.serialize(format="turtle") if graph is not None else "")
    else:
        results = summarise(validate_files(list(inputs), settings, report, workers=workers, batch_size=batch_size, engine=engine, from_=from_), threshold, summary)
        if format_ == "json":
            # Streamed as it is validated: a harvest-sized report is never held in memory.
            out = sys.stdout
            out.write('{\n  "records": [')
            for i, r in enumerate(results):
                out.write(("," if i else "") + "\n    " + json.dumps({"handle": r.handle, "source": r.source, "conforms": r.conforms(threshold), "findings": [f.to_json(lang) for f in r.findings]}, ensure_ascii=False))
            out.write("\n  ],\n  \"counts\": " + json.dumps({"records": summary.records, "failing": summary.failing, "by_severity": dict(summary.by_level), "by_shape": dict(summary.by_shape)}))
            out.write(',\n  "input_errors": ' + json.dumps([p.to_json() for p in report.errors], ensure_ascii=False) + "\n}\n")
        else:
            for r in results:
                shown = [f for f in r.findings if f.level >= threshold]
                if not shown:
                    continue
                click.echo(f"{r.handle}  ({r.source})")
                for f in shown:
                    click.echo(f"  {f.level.label:9} {f.field or '-':28} {f.message(lang)}" + (f"  [{f.value[:60]}]" if f.value else ""))
            click.echo(f"{summary.records} records, {summary.failing} at or above {severity}", err=True)
            for level in ("violation", "warning", "info"):
                if summary.by_level[level]:
                    click.echo(f"  {level}: {summary.by_level[level]}", err=True)
            for shape, n in summary.by_shape.most_common():
                click.echo(f"  {shape}: {n}", err=True)
    for problem in report.errors:
        click.echo(problem.describe(), err=True)
    if report.errors:
        sys.exit(2)
    if summary.failing:
        sys.exit(1)


@main.command("publish")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--store", "store_location", help="Embedded store directory or SPARQL server URL (default: $LODPUB_STORE or var/store).")
@click.option("--from", "from_", type=click.Choice(sorted(FORMATS)), help="Input form; found from the content when omitted.")
@click.option("--engine", type=click.Choice(["compiled", "pyshacl"]), default="compiled", show_default=True, help="Validation engine (same findings; compiled is ~50x faster).")
@click.option("-j", "--workers", type=int, default=1, show_default=True, help="Worker processes for reading, mapping and validation (0 = one per core).")
@click.option("--batch", type=int, default=5000, show_default=True,
              help="Records written per transaction (and per bulk load: bigger loads cost the store less CPU and about 0.1 MB of memory a record more).")
@click.option("--quarantine", type=click.Path(dir_okay=False, path_type=Path), help="Where rejected records' reports go (default: <store>/quarantine.jsonl, or ./quarantine.jsonl for a remote store).")
def publish_command(inputs: tuple[str, ...], store_location: str | None, from_: str | None, engine: str, workers: int, batch: int, quarantine: Path | None) -> None:
    """Convert, validate and publish records into the store.

    Records with a violation are quarantined with their report and not published; the
    run goes on. Unchanged records are not rewritten, so publishing twice changes
    nothing; a crash leaves every record as it was or as it is now, and a rerun
    finishes the job. Exit 1 when records were quarantined or inputs were unusable.
    """
    from .publish import publish
    from .store import open_store

    settings = Settings(store=store_location) if store_location else Settings()
    try:
        store = open_store(settings.store, context_url=settings.context_url)
    except LodpubError as exc:
        raise CannotRun(str(exc)) from exc
    remote = settings.store.startswith(("http://", "https://"))
    quarantine = quarantine or (Path("quarantine.jsonl") if remote else Path(settings.store) / "quarantine.jsonl")
    report = Report()
    with _progress() as progress, open(quarantine, "w", encoding="utf-8") as q:
        task = progress.add_task("publishing", total=None) if progress else None

        started = time.monotonic()

        def on_progress(stats: Any) -> None:
            if progress is not None and task is not None:
                rate = stats.records / max(time.monotonic() - started, 1e-6)
                progress.update(task, completed=stats.records, description=f"({rate:,.0f}/s): published {stats.published}, unchanged {stats.unchanged}, problems {stats.quarantined + stats.warnings}")

        try:
            stats = publish(list(inputs), store, settings, engine=engine, workers=workers or default_workers(), batch=batch, from_=from_, report=report, quarantine=q, on_progress=on_progress)
        except LodpubError as exc:
            raise CannotRun(str(exc)) from exc
        finally:
            store.close()
    _print_problems(report)
    click.echo(f"{stats.records} records: {stats.published} published, {stats.unchanged} unchanged, {stats.deleted} deleted, "
               f"{stats.quarantined} quarantined ({quarantine}), {stats.warnings} warnings", err=True)
    if stats.quarantined or stats.input_errors:
        sys.exit(1)


@main.command("dump")
@click.option("--store", "store_location", help="Embedded store directory or SPARQL server URL.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("var/dumps"), show_default=True, help="Directory for the dump files and void.ttl.")
@click.option("-j", "--workers", type=int, default=1, show_default=True, help="Worker processes reading and formatting graphs (0 = one per core); same bytes out.")
def dump_command(store_location: str | None, output: Path, workers: int) -> None:
    """Write the dumps (N-Quads, N-Triples, Turtle, JSON-LD lines, vocabularies) and void.ttl.

    Streams from the store; every file is written under a temporary name and renamed;
    the same store gives the same bytes.
    """
    from .dump import dump
    from .store import open_store

    settings = Settings(store=store_location) if store_location else Settings()
    try:
        store = open_store(settings.store, read_only=False, context_url=settings.context_url)
        stats = dump(store, output, settings, workers=workers or default_workers())
    except LodpubError as exc:
        raise CannotRun(str(exc)) from exc
    store.close()
    click.echo(f"{output}: {stats.records} records, {stats.triples} triples in {len(stats.files)} files and void.ttl", err=True)


@contextlib.contextmanager
def _progress() -> Iterator[Any]:
    """A rich progress line on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.completed} records"), TextColumn("{task.description}"), TimeElapsedColumn(), console=Console(stderr=True)) as progress:
        yield progress


@main.command("harvest")
@click.argument("url")
@click.option("--prefix", help="metadataPrefix; default: dim if offered, else xoai, qdc, oai_dc.")
@click.option("--set", "set_", help="Harvest one set (setSpec).")
@click.option("--from", "from_", help="Harvest records changed since (YYYY-MM-DD or a timestamp); default: since the last complete harvest.")
@click.option("--until", help="Harvest records changed until.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("var/harvest"), show_default=True, help="Directory for pages and state.")
@click.option("--delay", type=float, default=0.0, show_default=True, help="Seconds between requests (politeness).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for a response.")
def harvest_command(url: str, prefix: str | None, set_: str | None, from_: str | None, until: str | None, output: Path, delay: float, timeout: float) -> None:
    """Harvest an OAI-PMH endpoint into gzipped pages on disk; resumable and incremental."""
    from .harvest import OAIClient

    result = _run_harvest(url, output, prefix, set_, from_, until, OAIClient(url, delay=delay, timeout=timeout))
    click.echo(f"{result.records} records in {len(result.pages)} pages under {result.run_dir} ({result.requests} requests)", err=True)



def _run_harvest(url: str, output: Path, prefix: str | None, set_: str | None, from_: str | None, until: str | None, client: Any) -> Any:
    from .harvest import harvest

    started = time.monotonic()

    def on_page(state: Any, page: Any) -> None:
        rate = state.records / max(time.monotonic() - started, 1e-6)
        eta = ""
        if page.complete_list_size:
            left = max(page.complete_list_size - state.records, 0)
            eta = f", ETA {left / rate:.0f} s" if rate > 0 else ""
        click.echo(f"page {state.pages}: {state.records} records ({rate:,.0f}/s{eta})", err=True)

    try:
        return harvest(url, output, prefix=prefix, set_=set_, from_=from_, until=until, client=client, on_page=on_page)
    except LodpubError as exc:
        raise CannotRun(str(exc)) from exc


@main.command("sync")
@click.argument("url")
@click.option("--store", "store_location", help="Embedded store directory or SPARQL server URL.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("var/harvest"), show_default=True, help="Directory for pages and state.")
@click.option("--prefix", help="metadataPrefix; default: dim if offered.")
@click.option("--set", "set_", help="Harvest one set.")
@click.option("--delay", type=float, default=0.0, show_default=True, help="Seconds between requests.")
def sync_command(url: str, store_location: str | None, output: Path, prefix: str | None, set_: str | None, delay: float) -> None:
    """Harvest what changed since the last sync, then validate and publish it: changed records replaced, deleted ones tombstoned."""
    from .harvest import OAIClient
    from .publish import publish
    from .store import open_store

    result = _run_harvest(url, output, prefix, set_, None, None, OAIClient(url, delay=delay))
    settings = Settings(store=store_location) if store_location else Settings()
    store = open_store(settings.store, context_url=settings.context_url)
    report = Report()
    try:
        with open(output / "quarantine.jsonl", "a", encoding="utf-8") as q:
            stats = publish([str(p) for p in result.pages], store, settings, report=report, quarantine=q)
    finally:
        store.close()
    _print_problems(report)
    click.echo(f"sync: {result.records} harvested; {stats.published} published, {stats.unchanged} unchanged, {stats.deleted} deleted, {stats.quarantined} quarantined", err=True)
    if stats.quarantined or stats.input_errors:
        sys.exit(1)


@main.command("serve")
@click.option("--store", "store_location", help="Embedded store directory or SPARQL server URL.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Server processes; each opens the store read-only.")
@click.option("--dumps", "dumps_dir", type=click.Path(file_okay=False, path_type=Path), help="Directory served under /dumps/ (default var/dumps).")
@click.option("--html-redirect", help="Answer browsers with 303 to this URL template ({handle}) instead of lodpub's own page.")
@click.option("--public-base", help="Public URL of this server, as announced in void.ttl.")
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="Log every request (off behind a proxy that logs them already).")
def serve_command(store_location: str | None, host: str, port: int, workers: int, dumps_dir: Path | None, html_redirect: str | None, public_base: str | None,
                  access_log: bool) -> None:
    """Serve records, the VDP vocabulary, SPARQL, dumps and validation over HTTP (uvicorn)."""
    import os

    import uvicorn

    overrides = {"LODPUB_STORE": store_location, "LODPUB_DUMPS_DIR": str(dumps_dir) if dumps_dir else None,
                 "LODPUB_HTML_REDIRECT": html_redirect, "LODPUB_PUBLIC_BASE": public_base}
    for key, value in overrides.items():
        if value is not None:
            os.environ[key] = value  # the app factory builds Settings() from the environment, in every worker
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info", access_log=access_log,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1")


@main.command("demo")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Publish and dump only.")
def demo_command(port: int, no_serve: bool) -> None:
    """Publish the bundled example records into var/store, write var/dumps, and serve on 127.0.0.1."""
    from .dump import dump
    from .publish import publish
    from .resources import data_dir
    from .store import open_store

    examples = data_dir("examples")
    inputs = [str(examples / "seed_item_page_132277.txt"), str(examples / "oai_dim_examples.xml")]
    settings = Settings(store="var/store", public_base=f"http://127.0.0.1:{port}/")
    store = open_store(settings.store, context_url=settings.context_url)
    try:
        stats = publish(inputs, store, settings)
        dumped = dump(store, Path("var/dumps"), settings)
    finally:
        store.close()
    click.echo(f"published {stats.published} records ({stats.unchanged} unchanged, {stats.deleted} deleted); dumps: var/dumps ({dumped.triples} triples)", err=True)
    if no_serve:
        return
    click.echo(f"serving on http://127.0.0.1:{port}/  (try http://127.0.0.1:{port}/handle/11250/132277)", err=True)
    ctx = click.get_current_context()
    ctx.invoke(serve_command, store_location="var/store", host="127.0.0.1", port=port, workers=1, dumps_dir=Path("var/dumps"), html_redirect=None,
               public_base=f"http://127.0.0.1:{port}/")


@main.group()
def vocab() -> None:
    """Build and check the VDP SKOS scheme; resolve VDP strings."""


@vocab.command("import-dspace")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Turtle file to write.")
@click.option("--namespace", default=DEFAULT_NAMESPACE, show_default=True, help="Namespace of the concept IRIs.")
def import_dspace_command(files: tuple[Path, ...], output: Path, namespace: str) -> None:
    """Convert DSpace controlled-vocabulary XML (VDP / NSI) into a SKOS scheme.

    Give Norwegian-only, English-only and bilingual (label + labeleng) files in any
    mix; labels of one code are agreed between them. Damaged files (mojibake, invalid
    UTF-8, labels that differ between files) are reported and not imported: exit 1.
    """
    report = Report()
    graph = import_dspace(list(files), report, namespace)
    for problem in report:
        click.echo(problem.describe(), err=True)
    write_turtle(graph, output)
    click.echo(f"{output}: {sum(1 for _ in graph.subjects(RDF.type, SKOS.Concept))} concepts", err=True)
    if report.counts[Severity.ERROR]:
        sys.exit(1)


@vocab.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["en", "nb"]), default="en", show_default=True)
def check_command(file: Path, lang: str) -> None:
    """Check a SKOS scheme against shapes/skos.ttl; exit 1 when it does not conform."""
    try:
        problems = check_file(file)
    except Exception as exc:  # rdflib raises many kinds on a broken file
        raise CannotRun(f"{file}: cannot be read as RDF: {exc}") from exc
    for p in problems:
        click.echo(f"{p.severity}: {p.focus}: {p.message(lang)}")
    click.echo(f"{file}: {'conforms' if not problems else f'{len(problems)} problem(s)'}", err=True)
    if problems:
        sys.exit(1)


@vocab.command("resolve")
@click.argument("values", nargs=-1, required=True)
def resolve_command(values: tuple[str, ...]) -> None:
    """Resolve VDP strings (as records hold them) to concepts, by code; prints JSON lines."""
    failed = False
    for value in values:
        for r in resolve(value):
            failed |= r.concept is None
            click.echo(json.dumps({"value": r.value, "code": r.code, "concept": r.concept.iri if r.concept else None,
                                   "label": r.concept.labels if r.concept else None, "warnings": list(r.warnings), "error": r.error}, ensure_ascii=False))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main(prog_name="lodpub")
