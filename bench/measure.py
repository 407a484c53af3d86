"""Run one command in a fresh process and report wall time and peak memory.

Peak memory is ``ru_maxrss`` of the children of a small wrapper process, so each
measurement's figure is its own: the largest resident set of the command or of any
worker it started. Used by every benchmark here.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version

_WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
print(json.dumps({"rc": rc, "wall": wall, "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


@dataclass
class Measurement:
    wall: float
    peak_mib: float


def measure(cmd: list[str]) -> Measurement:
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    if data["rc"] != 0:
        raise SystemExit(f"command failed ({data['rc']}): {' '.join(cmd)}\n{out.stderr}")
    return Measurement(data["wall"], data["maxrss_kib"] / 1024)


def machine() -> str:
    import os

    libs = ", ".join(f"{name} {version(name)}" for name in ("pyoxigraph", "rdflib", "pyshacl", "lxml"))
    return f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}; {libs}"


def row(name: str, records: int, m: Measurement, extra: str = "") -> str:
    return f"| {name} | {records:,} | {m.wall:.1f} s | {records / m.wall:,.0f} | {m.peak_mib:,.0f} MiB | {extra} |"


HEADER = "| step | records | wall | records/s | peak memory | notes |\n|---|---|---|---|---|---|"

