"""Writing small RDF files (vocabularies, reports) atomically and deterministically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Graph


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_turtle(graph: Graph, path: Path) -> None:
    """Turtle from rdflib's serializer, which sorts subjects and predicates: stable output."""
    write_atomically(Path(path), graph.serialize(format="turtle").encode("utf-8"))
