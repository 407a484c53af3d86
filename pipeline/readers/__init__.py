"""Readers: one module per form DSpace gives, each yielding ``Record`` objects lazily.

Every reader has the signature ``read_<form>(source, *, report, name=None)`` where
``source`` is a binary file object. Nothing is read before the first ``next()``; a bad
record is added to ``report`` and reading goes on; only an unusable source raises
``SourceError``. ``read_file`` sniffs the form (``sniff.py``).
"""

from .csv_export import read_csv_export
from .item_page import read_item_page
from .oai import OAIPage, read_oai
from .rest import read_rest
from .sniff import FORMATS, read_file, read_files, sniff

__all__ = ["FORMATS", "OAIPage", "read_csv_export", "read_file", "read_files", "read_item_page", "read_oai", "read_rest", "sniff"]
