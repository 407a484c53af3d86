"""Per-record problems, collected as data while the pipeline runs.

A reader, the mapping and the validator never print or raise for one bad record:
they add a ``Problem`` here and go on, so that one bad record never stops a run and
a repository manager gets one list saying which record, which field, and why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"  # the record (or file) was not used
    WARNING = "warning"  # used, but something should be fixed
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    message: str
    source: str | None = None
    position: str | None = None
    handle: str | None = None
    field: str | None = None
    value: str | None = None
    code: str | None = None

    def describe(self) -> str:
        where = " ".join(
            p
            for p in (
                self.source,
                f"({self.position})" if self.position else None,
                self.handle and f"[{self.handle}]",
                self.field,
            )
            if p
        )
        return f"{self.severity.value}: {where}: {self.message}"

    def to_json(self) -> dict[str, object]:
        data = {k: v for k, v in asdict(self).items() if v is not None}
        data["severity"] = self.severity.value
        return data


class Report:
    """An append-only list of problems with counts; cheap enough to keep per run.

    ``limit`` bounds how many problems are *kept* (counts are always exact), so that a
    harvest with a million warnings does not hold them all in memory.
    """

    def __init__(self, limit: int | None = 100_000) -> None:
        self.problems: list[Problem] = []
        self.counts: Counter[Severity] = Counter()
        self.limit = limit

    def add(self, severity: Severity, message: str, **where: str | None) -> None:
        self.counts[severity] += 1
        if self.limit is None or len(self.problems) < self.limit:
            self.problems.append(Problem(severity, message, **where))  # type: ignore[arg-type]

    def error(self, message: str, **where: str | None) -> None:
        self.add(Severity.ERROR, message, **where)

    def warning(self, message: str, **where: str | None) -> None:
        self.add(Severity.WARNING, message, **where)

    def info(self, message: str, **where: str | None) -> None:
        self.add(Severity.INFO, message, **where)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]
