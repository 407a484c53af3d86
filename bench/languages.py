"""Accuracy and cost of the language-tag step on the hand-checked set in tests/data.

Run: .venv/bin/python bench/languages.py
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.languages import LanguageTagger  # noqa: E402
from pipeline.vocabularies.tables import lookup_language  # noqa: E402

CASES = ROOT / "tests" / "data" / "language-cases.csv"


def evaluate(tagger: LanguageTagger | None = None) -> tuple[float, list[tuple[dict[str, str], str | None, str]]]:
    tagger = tagger or LanguageTagger()
    with open(CASES, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    wrong = []
    for row in rows:
        decision = tagger.decide(row["text"], lookup_language(row["language_iso"]) if row["language_iso"] else None, row["dspace_tag"] or None, row["kind"] == "keyword")
        if decision.tag != row["expected"]:
            wrong.append((row, decision.tag, decision.how))
    return 1 - len(wrong) / len(rows), wrong


if __name__ == "__main__":
    tagger = LanguageTagger()
    tagger._detect("warm up the detector")
    start = time.perf_counter()
    accuracy, wrong = evaluate(tagger)
    elapsed = time.perf_counter() - start
    with open(CASES, encoding="utf-8") as f:
        n = sum(1 for _ in csv.DictReader(f))
    print(f"language tags: {accuracy:.1%} right on {n} literals; {elapsed / n * 1e6:.0f} µs per literal; detector used {tagger.detector_calls - 1} times")
    for row, got, how in wrong:
        print(f"  wrong: {row['text'][:60]!r} ({row['kind']}, iso={row['language_iso']}, dspace={row['dspace_tag']}): got {got}, want {row['expected']} [{how}]")
