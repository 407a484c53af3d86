"""The language step on the hand-checked set of literals: at least 95% right."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def test_language_tags_are_right_on_the_test_set():
    spec = importlib.util.spec_from_file_location("bench_languages", ROOT / "bench" / "languages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    accuracy, wrong = module.evaluate()
    with open(module.CASES, encoding="utf-8") as f:
        assert sum(1 for _ in f) - 1 >= 100
    assert accuracy >= 0.95, wrong
