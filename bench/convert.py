"""Benchmark: convert the synthetic corpus to N-Triples, on one core and on all cores.

Run: python bench/convert.py [N] (default 100,000 records; the corpus is generated once
under var/bench/). Prints a table row per run; asserts nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write_corpus  # noqa: E402
from bench.measure import HEADER, machine, measure, row  # noqa: E402


def corpus(n: int) -> list[Path]:
    where = ROOT / "var" / "bench" / f"corpus-{n}"
    pages = sorted(where.glob("page-*.xml.gz"))
    if len(pages) * 100 < n:
        print(f"generating {n:,} records under {where} ...", file=sys.stderr)
        pages = write_corpus(n, where)
    return pages


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    pages = corpus(n)
    lodpub = str(Path(sys.executable).with_name("lodpub"))
    out = ROOT / "var" / "bench" / "convert.nt"
    print(f"convert {n:,} records to N-Triples on {machine()}")
    print(HEADER)
    for workers in (1, os.cpu_count() or 1):
        m = measure([lodpub, "convert", "-j", str(workers), "-o", str(out), *map(str, pages)])
        print(row(f"convert -j {workers}", n, m, f"{out.stat().st_size / 1e6:,.0f} MB N-Triples"), flush=True)


if __name__ == "__main__":
    main()
