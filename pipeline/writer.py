"""Writing batches on a thread of their own, so that conversion and storage overlap.

The store's bulk loader runs in Rust and releases the GIL: while it writes one batch,
the parent keeps collecting the next from the worker processes. Batches are written one
at a time and in order (a record repeated in the input still ends as its last version).
At most one batch waits while another is written, so memory stays bounded by two batches.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")
_DONE = object()


class BatchWriter(Generic[T]):
    """``with BatchWriter(write) as w: w.put(batch)``; ``write`` runs on a background thread.

    An exception raised by ``write`` stops the writer and is raised again in the caller,
    at its next ``put`` or on leaving the ``with`` block.
    """

    def __init__(self, write: Callable[[T], None]) -> None:
        self._write = write
        self._queue: queue.Queue[object] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._run, name="lodpub-writer", daemon=True)

    def __enter__(self) -> BatchWriter[T]:
        self._thread.start()
        return self

    def put(self, batch: T) -> None:
        self._raise_if_failed()
        while True:
            try:
                self._queue.put(batch, timeout=0.5)
                return
            except queue.Full:
                self._raise_if_failed()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if self._error is not None or self._cancelled:
                continue  # drain: the caller learns of the failure, or has failed itself
            try:
                self._write(item)  # type: ignore[arg-type]
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                self._error = exc

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc is not None:
            self._cancelled = True  # the batch being written completes; one waiting is dropped
        self._queue.put(_DONE)
        self._thread.join()
        if exc is None:
            self._raise_if_failed()
