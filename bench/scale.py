"""Benchmark: a million records on one machine (issue: "One million records on one machine").

Run: python bench/scale.py [N] [SMALL] (defaults 1,000,000 and 100,000). Generates N synthetic
records as gzipped OAI-PMH dim pages, then measures each step in a fresh process with wall
time, records/s and peak memory: publish into the embedded store, dump, and the serving
benchmark against the N store beside the same against a SMALL store. Prints one table and
writes it to var/bench/scale.json. Asserts nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.convert import corpus  # noqa: E402
from bench.measure import HEADER, machine, measure, row  # noqa: E402
from bench.serve import bench_store  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    small = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    lodpub = str(Path(sys.executable).with_name("lodpub"))
    cores = str(os.cpu_count() or 1)
    results: dict[str, object] = {"machine": machine(), "records": n, "steps": [], "serve": []}
    print(f"scale: {n:,} records on {machine()}")
    print(HEADER)
    stores = {}
    for size in (n, small):
        pages = [str(p) for p in corpus(size)]
        store = ROOT / "var" / "bench" / f"scale-store-{size}"
        shutil.rmtree(store, ignore_errors=True)
        m = measure([lodpub, "publish", "-j", cores, "--store", str(store), *pages])
        print(row(f"publish {size:,}", size, m), flush=True)
        results["steps"].append({"step": f"publish {size}", "seconds": m.wall, "peak_mib": m.peak_mib})  # type: ignore[union-attr]
        stores[size] = store
        if size == n:
            m = measure([lodpub, "dump", "-j", cores, "--store", str(store), "-o", str(ROOT / "var" / "bench" / "scale-dumps")])
            print(row(f"dump {size:,}", size, m), flush=True)
            results["steps"].append({"step": f"dump {size}", "seconds": m.wall, "peak_mib": m.peak_mib})  # type: ignore[union-attr]
    print("\n| store | format | requests/s | p50 | p99 |\n|---|---|---|---|---|")
    for size, store in stores.items():
        for r in bench_store(store, size):
            print(f"| {size:,} | {r['format']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms |", flush=True)
            results["serve"].append(r)  # type: ignore[union-attr]
    out = ROOT / "var" / "bench" / "scale.json"
    out.write_text(json.dumps(results, indent=2), "utf-8")
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
