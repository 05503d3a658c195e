"""Dashboard parts as rows, for ``Dashboard.table()`` (pure reshaping of the
``mot.dashboard/1`` dict; no metric is computed here)."""

from __future__ import annotations

from typing import Any

TABLES = ("mots", "types", "owners", "producers", "trends", "alerts", "variants", "edges", "conformance", "rejected")


def _flat(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def rows(d: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The rows of one part of a dashboard dict."""
    if name == "mots":
        return [_flat(m) for m in d["mots"]]
    if name == "types":
        return list(d["types"])
    if name == "owners":
        return [dict(o, mots=", ".join(o["mots"])) for o in d["ownership"]["owners"]]
    if name == "producers":
        return list(d["producers"])
    if name == "trends":
        return [dict(p, mot=t["mot"], centre=t["centre"]) for t in d["trends"] for p in t["periods"]]
    if name == "alerts":
        return list(d["alerts"])
    if name == "variants":
        return [
            {
                "sequence": " > ".join(v["mots"]),
                "steps": len(v["mots"]),
                "count": v["count"],
                "cost": v["cost"],
                "fitness": v["fitness"],
            }
            for v in d["variants"]["top"]
        ]
    if name == "edges":
        return [_flat(e) for e in d["directly_follows"]["edges"]]
    if name == "conformance":
        c = d["conformance"]
        return [] if c is None else list(c["trend"])
    if name == "rejected":
        return [{"reason": r, "rows": n} for r, n in d["rejected"].items()]
    raise ValueError(f"`{name}` is not a dashboard table: use one of {', '.join(TABLES)}")


def table(d: dict[str, Any], name: str) -> Any:
    """One part as a ``pyarrow.Table``."""
    import pyarrow as pa

    return pa.Table.from_pylist(rows(d, name))
