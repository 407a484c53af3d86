"""A non-editable ``pip install .`` works and ``lodpub --help`` runs from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_installs_and_runs_from_anywhere(tmp_path):
    wheel_dir = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheel_dir), str(ROOT)], check=True, timeout=240)
    (wheel,) = wheel_dir.glob("lodpub-*.whl")
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    py = target / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True, timeout=240)
    # Dependencies come from this environment's site-packages; lodpub itself only from the wheel
    # (the editable install's .pth file is not read from PYTHONPATH).
    env = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"] + os.pathsep + sysconfig.get_paths()["platlib"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(target / "bin" / "lodpub"), "--help"], capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "records" in result.stdout
    where = subprocess.run(
        [str(py), "-c", "import pipeline, pipeline.resources as r; print(pipeline.__file__); print(r.data_dir('vocab')); print(r.data_dir('shapes'))"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60, check=True,
    ).stdout.split()
    assert str(target) in where[0]
    assert Path(where[1]).is_dir() and str(target) in where[1]
    assert Path(where[2]).is_dir() and str(target) in where[2]
