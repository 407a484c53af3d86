"""The background batch writer keeps order and hands failures back to the caller."""

from __future__ import annotations

import threading

import pytest

from pipeline.writer import BatchWriter


def test_batches_are_written_in_order_off_the_callers_thread():
    written, threads = [], set()

    def write(batch):
        written.append(batch)
        threads.add(threading.current_thread().name)

    with BatchWriter(write) as writer:
        for i in range(20):
            writer.put([i])
    assert written == [[i] for i in range(20)]
    assert threads == {"lodpub-writer"}


def test_a_failing_write_is_raised_in_the_caller():
    def write(batch):
        if batch == 3:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"), BatchWriter(write) as writer:
        for i in range(10):
            writer.put(i)


def test_a_failure_in_the_caller_drops_waiting_batches():
    written = []
    gate = threading.Event()

    def write(batch):
        gate.wait(5)
        written.append(batch)

    with pytest.raises(KeyboardInterrupt), BatchWriter(write) as writer:
        writer.put(1)  # being written (waits on the gate)
        writer.put(2)  # waiting
        threading.Timer(0.3, gate.set).start()  # batch 1 completes after the interrupt
        raise KeyboardInterrupt
    assert written == [1]
