"""lodpub's pipeline: readers -> Record -> mapping -> RDF -> validation -> store -> dumps."""

from __future__ import annotations

from .errors import LodpubError, MappingError, ReadError, RecordError, SourceError
from .record import Bitstream, Field, Record, Source, Status
from .report import Problem, Report, Severity

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Bitstream",
    "Field",
    "LodpubError",
    "MappingError",
    "Problem",
    "ReadError",
    "Record",
    "RecordError",
    "Report",
    "Severity",
    "Source",
    "SourceError",
    "Status",
]
