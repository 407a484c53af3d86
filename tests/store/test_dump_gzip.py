"""The dumps' gzip writer: the same data gives the same bytes however it is cut into writes."""

from __future__ import annotations

import gzip
import random

from pipeline.dump import _AtomicGzip


def test_same_bytes_for_any_cutting_of_the_data(tmp_path):
    rng = random.Random(7)
    lines = [f'<https://hdl.handle.net/11250/{i}> <http://purl.org/dc/terms/title> "Tittel {rng.random()}"@nb .\n'.encode() for i in range(60_000)]
    data = b"".join(lines)
    assert len(data) > 3 * _AtomicGzip.BLOCK
    outputs = []
    for name, sizes in (("whole", [len(data)]), ("lines", [len(line) for line in lines]), ("random", None)):
        writer = _AtomicGzip(tmp_path / f"{name}.gz")
        at = 0
        while at < len(data):
            size = sizes.pop(0) if sizes else rng.randint(1, 400_000)
            writer.write(data[at : at + size])
            at += size
        assert not (tmp_path / f"{name}.gz").exists()  # written under a temporary name until closed
        writer.close()
        outputs.append((tmp_path / f"{name}.gz").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert gzip.decompress(outputs[0]) == data
