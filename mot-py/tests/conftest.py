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


def without_detectors(d: dict[str, Any]) -> dict[str, Any]:
    """A dashboard dict without what rests on the sequential detectors.

    A detector follows one stream of interactions in time order; a merged
    state recomputes it from the merged per-period counts (a binomial CUSUM,
    see ``Tracker.merge``). So partitions merge to the single-machine
    dashboard in every figure but these: ``mots[].cusum``, the alerts whose
    evidence is a CUSUM alarm, and the owners' alert counts."""
    out = dict(d)
    out["mots"] = [{k: v for k, v in m.items() if k != "cusum"} for m in d["mots"]]
    out["alerts"] = [a for a in d["alerts"] if a["evidence"] != "cusum"]
    out["ownership"] = dict(d["ownership"], owners=[{k: v for k, v in o.items() if k != "alerts"} for o in d["ownership"]["owners"]])
    return out
