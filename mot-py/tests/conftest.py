"""Shared helpers: the repository root and tolerant JSON comparison."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def mismatch(want: Any, got: Any, at: str = "") -> str | None:
    """Where two JSON values differ; numbers within 1e-12 · max(1, |a|, |b|)."""
    if isinstance(want, bool) or isinstance(got, bool):
        return None if want == got else f"{at}: want {want!r}, got {got!r}"
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        tol = 1e-12 * max(1.0, abs(want), abs(got))
        return None if abs(want - got) <= tol else f"{at}: want {want!r}, got {got!r}"
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            return f"{at}: want {len(want)} items, got {len(got)}"
        for i, (a, b) in enumerate(zip(want, got)):
            if (m := mismatch(a, b, f"{at}[{i}]")) is not None:
                return m
        return None
    if isinstance(want, dict) and isinstance(got, dict):
        if set(want) != set(got):
            return f"{at}: keys differ: {sorted(set(want) ^ set(got))}"
        for k in want:
            if (m := mismatch(want[k], got[k], f"{at}.{k}")) is not None:
                return m
        return None
    return None if want == got else f"{at}: want {want!r}, got {got!r}"
