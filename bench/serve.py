"""Benchmark: requests/s and p50/p99 latency for Turtle, JSON-LD and HTML of random records.

Run: python bench/serve.py [N] (default 100,000 records; the store is built once with
`lodpub publish` under var/bench/). Beside it, in the same run, the same stack answering a
constant body of the same size. The load generator is a separate process on 127.0.0.1,
32 connections, a bounded number of requests. Prints a table; asserts nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.convert import corpus
from bench.measure import machine

CONNECTIONS = 32
REQUESTS = 20_000


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], port: int, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    import urllib.request

    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/handle/11250/3000000", timeout=1)
            return p
        except Exception:
            time.sleep(0.1)
    p.kill()
    raise SystemExit(f"server did not start: {cmd}")


def load(port: int, accept: str, paths: list[str], requests: int = REQUESTS) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "loadgen.py"), "127.0.0.1", str(port), str(CONNECTIONS), str(requests), accept, *paths],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def ensure_store(n: int) -> Path:
    store = ROOT / "var" / "bench" / f"store-{n}"
    if not (store / "CURRENT").exists():
        pages = [str(p) for p in corpus(n)]
        lodpub = str(Path(sys.executable).with_name("lodpub"))
        subprocess.run([lodpub, "publish", "-j", str(os.cpu_count() or 1), "--store", str(store), *pages], check=False)
    return store


def live_paths(store: Path, n: int, count: int = 100_000) -> list[str]:
    """Every k-th live record of the store (deleted ones would answer 410, not a record).

    Up to 100,000 of them: far more than the server's render cache holds (4,096), so the
    figures are those of reading and rendering records, not of the cache."""
    from pipeline.settings import Settings
    from pipeline.store import EmbeddedStore

    settings = Settings()
    reader = EmbeddedStore(store, read_only=True)
    try:
        step = max(1, n // count)
        graphs = [g for i, g in enumerate(reader.live_graphs(settings.document_base)) if i % step == 0]
    finally:
        reader.close()
    return ["/handle/" + g[len(settings.document_base):] for g in graphs]


ROUNDS = 3


def bench_store(store: Path, n: int) -> list[dict[str, object]]:
    """Each format, and the constant body, measured ROUNDS times in turn; the median round of each.

    Both servers run side by side and are loaded one at a time, alternately, so that a slow
    spell of the machine (a shared VM) falls on both alike."""
    import statistics
    import urllib.request

    lodpub = str(Path(sys.executable).with_name("lodpub"))
    paths_file = store.parent / f"paths-{n}.txt"
    records = live_paths(store, n)
    paths_file.write_text("\n".join(records), "utf-8")
    paths = ["@" + str(paths_file)]
    port, cport = free_port(), free_port()
    # no access log, like the constant-body app (uvicorn --log-level warning): the same stack on both sides
    server = start([lodpub, "serve", "--no-access-log", "--store", str(store), "--port", str(port)], port)
    constant = None
    try:
        formats = (("Turtle", "text/turtle"), ("JSON-LD", "application/ld+json"), ("HTML", "text/html"))
        sizes = {}
        for name, accept in formats:
            req = urllib.request.Request(f"http://127.0.0.1:{port}{records[1]}", headers={"Accept": accept})
            sizes[name] = len(urllib.request.urlopen(req).read())
            load(port, accept, paths, 2000)  # warm up
        constant = start([sys.executable, "-m", "uvicorn", "--factory", "bench.constant_app:create_app", "--port", str(cport), "--log-level", "warning"], cport,
                         env={"CONSTANT_BYTES": str(sizes["Turtle"]), "PYTHONPATH": str(ROOT)})
        load(cport, "text/turtle", ["/handle/11250/1"], 2000)
        runs: dict[str, list[dict[str, float]]] = {name: [] for name, _ in formats}
        runs["constant body"] = []
        for _ in range(ROUNDS):
            for name, accept in formats:
                runs[name].append(load(port, accept, paths))
                runs["constant body"].append(load(cport, "text/turtle", ["/handle/11250/1"]))
    finally:
        for process in (server, constant):
            if process is not None:
                process.terminate()
                process.wait()
    rows = []
    for name, results in runs.items():
        median = sorted(results, key=lambda r: r["rps"])[len(results) // 2]
        rows.append({"store": n, "format": name, "bytes": sizes.get(name, sizes["Turtle"]), "rounds": len(results),
                     "rps_spread": [round(min(r["rps"] for r in results)), round(max(r["rps"] for r in results))],
                     "p99_median_ms": statistics.median(r["p99_ms"] for r in results), **median})
    return rows


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100_000]
    print(f"serve on {machine()}; {CONNECTIONS} connections, {REQUESTS:,} requests per row, uvicorn 1 worker")
    print("| store | format | body | requests/s | p50 | p99 | vs constant |\n|---|---|---|---|---|---|---|")
    for n in sizes:
        rows = bench_store(ensure_store(n), n)
        constant = next(r for r in rows if r["format"] == "constant body")
        for r in rows:
            share = float(r["rps"]) / float(constant["rps"])  # type: ignore[arg-type]
            print(f"| {n:,} | {r['format']} | {r['bytes']:,} B | {r['rps']:,.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {share:.0%} |", flush=True)


if __name__ == "__main__":
    main()
