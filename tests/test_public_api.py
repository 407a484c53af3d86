"""pipeline's public surface is one sorted __all__ (as httpx guards its own)."""

from __future__ import annotations

import pipeline


def test_all_is_sorted_and_complete():
    names = [n for n in vars(pipeline) if not n.startswith("_") and n not in {"annotations", "errors", "record", "report"} and not isinstance(getattr(pipeline, n), type(pipeline))]
    assert pipeline.__all__ == sorted(pipeline.__all__, key=str.casefold)
    assert set(pipeline.__all__) - {"__version__"} == set(names)
