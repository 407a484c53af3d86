"""The ``lodpub`` command: one thin click command per verb.

Exit codes: 0 clean; 1 finished, but records were rejected or do not conform;
2 usage error (click's own); 3 could not run (input missing, store locked, ...).
"""

from __future__ import annotations

import json
import sys

import click

from . import __version__
from .errors import LodpubError
from .readers import FORMATS, read_files
from .report import Report, Severity


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


if __name__ == "__main__":
    main()
