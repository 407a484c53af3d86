"""Ordered, bounded work on all cores.

``Pool.imap`` runs ahead of a slow consumer without limit: with a million records
published by a parent that writes slower than the workers convert, its result queue grows
with the corpus. ``ordered_map`` keeps at most ``window`` tasks in flight and yields
results in submission order, so memory is bounded by the window, not the input.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ordered_map(func: Callable[[T], R], items: Iterable[T], *, workers: int, initializer: Callable[..., None] | None = None,
                initargs: tuple[Any, ...] = (), window: int | None = None) -> Iterator[R]:
    """``map(func, items)`` on ``workers`` spawned processes, in order, ``window`` tasks at a time."""
    window = window or workers * 2
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=initializer, initargs=initargs) as pool:
        pending: deque[Any] = deque()
        for item in items:
            pending.append(pool.apply_async(func, (item,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
