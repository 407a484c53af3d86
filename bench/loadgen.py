"""A small HTTP/1.1 load generator: N keep-alive connections, a bounded number of requests, latencies.

Runs in its own process (the benchmarks start it with ``python bench/loadgen.py``), so the
server under test has the cores it was given. Prints one JSON line.
Usage: python bench/loadgen.py HOST PORT CONNECTIONS REQUESTS ACCEPT PATH [PATH...]  (or @FILE: one path a line)
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time


async def connection(index: int, host: str, port: int, paths: list[str], accept: str, count: int, latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    # Each connection draws its own sequence: with one shared seed, all of them would ask for
    # the same records in step and the server's render cache would answer 31 requests in 32.
    rng = random.Random(index)
    for _ in range(count):
        path = rng.choice(paths)
        start = time.perf_counter()
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: {accept}\r\n\r\n".encode())
        status_line = await reader.readline()
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - start)
        if b" 200 " not in status_line:
            errors.append(1)
    writer.close()


async def main() -> None:
    host, port, conns, total, accept, *paths = sys.argv[1:]
    if len(paths) == 1 and paths[0].startswith("@"):
        with open(paths[0][1:], encoding="utf-8") as f:
            paths = [line.strip() for line in f if line.strip()]
    n, c = int(total), int(conns)
    latencies: list[float] = []
    errors: list[int] = []
    start = time.perf_counter()
    await asyncio.gather(*(connection(i, host, int(port), paths, accept, n // c, latencies, errors) for i in range(c)))
    wall = time.perf_counter() - start
    latencies.sort()
    print(json.dumps({"requests": len(latencies), "seconds": wall, "rps": len(latencies) / wall, "errors": len(errors),
                      "p50_ms": latencies[len(latencies) // 2] * 1000, "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000}))


if __name__ == "__main__":
    asyncio.run(main())
