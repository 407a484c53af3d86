"""The README is current: its command reference is what the commands say, and every setting is documented."""

from __future__ import annotations

import subprocess
import sys

from pipeline.settings import Settings
from tests.conftest import ROOT


def test_readme_command_reference_is_current():
    result = subprocess.run([sys.executable, "-m", "cogapp", "--check", str(ROOT / "README.md")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, "README.md is out of date: run `.venv/bin/cog -r README.md`\n" + result.stdout + result.stderr


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, field in Settings.model_fields.items():
        assert f"LODPUB_{name.upper()}" in readme, name
        assert field.description, name


def test_readme_opens_with_the_two_commands():
    head = "\n".join((ROOT / "README.md").read_text("utf-8").splitlines()[:20])
    assert "make demo" in head and "make test" in head
