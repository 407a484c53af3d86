"""Benchmark: validate the synthetic corpus (read, map and validate), one core and all cores.

Run: python bench/validate.py [N] (default 100,000). Both engines: pyshacl (normative)
on a tenth of the corpus, since it runs about a hundred records a second, and the
compiled shapes on all of it. Prints table rows; asserts nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.convert import corpus  # noqa: E402
from bench.measure import HEADER, machine, measure, row  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    pages = corpus(n)
    lodpub = str(Path(sys.executable).with_name("lodpub"))
    print(f"validate on {machine()}")
    print(HEADER)
    cores = os.cpu_count() or 1
    for engine, share, batch in (("compiled", 1.0, 500), ("pyshacl", 0.1, 500)):
        subset = pages[: max(1, int(len(pages) * share))]
        records = min(n, len(subset) * 100)
        for workers in (1, cores):
            m = measure([lodpub, "validate", "--engine", engine, "-j", str(workers), "--batch-size", str(batch), "--format", "json", *map(str, subset)])
            print(row(f"validate --engine {engine} -j {workers}", records, m, f"batch {batch}; includes reading and mapping"), flush=True)


if __name__ == "__main__":
    main()


STEP_ONLY = r"""
import glob, json, sys, time
from pipeline.mapping import Mapper
from pipeline.readers import read_files
from pipeline.report import Report
from pipeline.validation_run import make_validator
from pipeline.validate import batches
from pipeline.settings import Settings
engine, limit, pages = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
mapper = Mapper()
mapped = []
for r in read_files(pages, report=Report()):
    mapped.append(mapper.map(r))
    if len(mapped) >= limit:
        break
validator = make_validator(Settings(), engine)
start = time.perf_counter()
for batch in batches(mapped, 500):
    validator.validate(batch)
print(json.dumps({"records": len(mapped), "seconds": time.perf_counter() - start}))
"""


def step_only() -> None:
    import json
    import subprocess

    pages = [str(p) for p in corpus(10_000)]
    print("\nvalidation step alone (records already mapped, one core, batch 500):")
    print("| engine | records | seconds | records/s |\n|---|---|---|---|")
    for engine, limit in (("compiled", 10_000), ("pyshacl", 2_000)):
        out = subprocess.run([sys.executable, "-c", STEP_ONLY, engine, str(limit), *pages], capture_output=True, text=True, check=True, cwd=ROOT)
        data = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {engine} | {data['records']:,} | {data['seconds']:.1f} | {data['records'] / data['seconds']:,.0f} |", flush=True)


if __name__ == "__main__":
    step_only()
