"""Benchmark: the embedded store's bulk loader alone, on the records `lodpub publish` writes.

Publishing is bounded below by what Oxigraph needs to take the quads in, whatever the
conversion costs: this measures that floor. The synthetic corpus is converted once to
N-Quads (one graph per record, as publish writes them), then loaded into fresh stores with
``Store.bulk_load``, each run in its own process: in loads of 1,000 records (publish's
default batch), of 10,000, and all at once from the file. Prints wall time, CPU time (the
loader uses more than one thread) and peak memory; asserts nothing.

Run: python bench/store_load.py [N] (default 100,000 records)
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.convert import corpus  # noqa: E402
from bench.measure import machine  # noqa: E402


def load(nquads: Path, store_path: Path, per: int) -> dict[str, float]:
    """Load ``nquads`` into a fresh store ``per`` records at a time (0: the whole file at once)."""
    import pyoxigraph as ox

    shutil.rmtree(store_path, ignore_errors=True)
    store = ox.Store(str(store_path))
    start = time.perf_counter()
    if per == 0:
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    else:
        lines: list[bytes] = []
        records, graph = 0, b""
        with open(nquads, "rb") as f:
            for line in f:
                name = line.rsplit(b" ", 2)[-2]  # "<s> <p> <o> <g> .": the graph is the one before last
                if name != graph:
                    graph, records = name, records + 1
                    if records > per:
                        store.bulk_load(b"".join(lines), format=ox.RdfFormat.N_QUADS)
                        lines, records = [], 1
                lines.append(line)
        store.bulk_load(b"".join(lines), format=ox.RdfFormat.N_QUADS)
    store.flush()
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    size = sum(p.stat().st_size for p in store_path.rglob("*") if p.is_file())
    del store
    shutil.rmtree(store_path, ignore_errors=True)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024, "gb": size / 1e9}


def main() -> None:
    if sys.argv[1:2] == ["--load"]:  # one measurement, in a process of its own
        print(json.dumps(load(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    work = ROOT / "var" / "bench"
    nquads = work / f"quads-{n}.nq"
    if not nquads.exists():
        print(f"converting {n:,} records to N-Quads ...", file=sys.stderr)
        lodpub = str(Path(sys.executable).with_name("lodpub"))
        subprocess.run([lodpub, "convert", "-f", "nq", "-o", str(nquads), *map(str, corpus(n))], check=True, stdout=subprocess.DEVNULL)
    with open(nquads, "rb") as f:
        quads = sum(1 for _ in f)
    print(f"Oxigraph bulk_load of {n:,} records ({quads:,} quads) on {machine()}")
    print("| loads of | wall | records/s | quads/s | CPU | peak memory | store on disk |\n|---|---|---|---|---|---|---|")
    for per in (1000, 10_000, 0):
        out = subprocess.run([sys.executable, __file__, "--load", str(nquads), str(work / "store-load"), str(per)],
                             capture_output=True, text=True, check=True)
        m = json.loads(out.stdout)
        label = f"{per:,} records" if per else "all (one file)"
        print(f"| {label} | {m['wall']:.1f} s | {n / m['wall']:,.0f} | {quads / m['wall']:,.0f} | {m['cpu']:.1f} s | {m['peak_mib']:,.0f} MiB | {m['gb']:.2f} GB |", flush=True)


if __name__ == "__main__":
    main()
