"""Benchmark: the synthetic corpus through convert, validate, publish (embedded store) and dump.

Run: python bench/publish.py [N] (default 100,000). Each step runs in a fresh process;
the table gives wall time, records/s and peak memory. Asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.convert import corpus  # noqa: E402
from bench.measure import HEADER, machine, measure, row  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    pages = [str(p) for p in corpus(n)]
    lodpub = str(Path(sys.executable).with_name("lodpub"))
    work = ROOT / "var" / "bench" / f"publish-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cores = str(os.cpu_count() or 1)
    print(f"publish {n:,} records on {machine()}")
    print(HEADER)
    total = 0.0
    steps = [
        ("publish (convert + validate + write)", [lodpub, "publish", "-j", cores, "--store", str(work / "store"), *pages]),
        ("publish again (nothing changed)", [lodpub, "publish", "-j", cores, "--store", str(work / "store"), *pages]),
        ("dump", [lodpub, "dump", "-j", cores, "--store", str(work / "store"), "-o", str(work / "dumps")]),
    ]
    for name, cmd in steps:
        m = measure(cmd)
        total += m.wall if "again" not in name else 0
        print(row(name, n, m), flush=True)
    size = sum(f.stat().st_size for f in (work / "store").rglob("*") if f.is_file())
    print(f"\nfirst publish + dump: {total:.0f} s; store on disk {size / 1e9:.2f} GB")


if __name__ == "__main__":
    main()
