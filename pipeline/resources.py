"""Where lodpub's data folders (``shapes/``, ``vocab/``) are, installed or in a checkout.

Found from ``__file__``, never from the working directory: the wheel carries them as
``pipeline/_data/<name>``, a source checkout has them at the top level.
"""

from __future__ import annotations

from pathlib import Path


def data_dir(name: str) -> Path:
    """The folder ``shapes`` or ``vocab`` that ships with this installation."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"lodpub data folder {name!r} not found next to {here}")


def data_file(folder: str, name: str) -> Path:
    return data_dir(folder) / name
