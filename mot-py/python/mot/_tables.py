"""Dashboard parts as rows, for ``Dashboard.table()`` (pure reshaping of the
``mot.dashboard/1`` dict; no metric is computed here).

The tables are built here, once, as Arrow; :meth:`Dashboard.to_pandas` and
:meth:`Dashboard.to_polars` convert that table, so the three agree on every
column type. Times, which the contract gives as integer seconds since the
epoch, become ``timestamp[s, tz=UTC]`` columns: timezone-aware UTC datetimes
in pyarrow, pandas and polars alike.
"""

from __future__ import annotations

from typing import Any

from ._optional import require

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


def is_time(column: str) -> bool:
    """A time column of the contract (seconds since the epoch): ``start``,
    ``period_start`` or ``*_at`` (``cusum.last_alarm_at``), nested or not."""
    leaf = column.rsplit(".", 1)[-1]
    return leaf in ("start", "period_start") or leaf.endswith("_at")


def table(d: dict[str, Any], name: str) -> Any:
    """One part as a ``pyarrow.Table``, its time columns as ``timestamp[s, tz=UTC]``."""
    import pyarrow as pa

    rs = rows(d, name)
    # Every row's columns, in the order first seen (a row may lack nested
    # ones: an MOT without a detector has `cusum` None, not `cusum.*`).
    columns = list(dict.fromkeys(k for r in rs for k in r))
    columns = [c for c in columns if not any(o.startswith(c + ".") for o in columns)]
    t = pa.table({c: [r.get(c) for r in rs] for c in columns})
    utc = pa.timestamp("s", tz="UTC")
    for i, column in enumerate(t.column_names):
        if is_time(column):
            t = t.set_column(i, pa.field(column, utc), t.column(i).cast(utc))
    return t


def to_pandas(d: dict[str, Any], name: str) -> Any:
    """:func:`table` as a pandas DataFrame (times: ``datetime64[s, UTC]``)."""
    require("pandas")
    return table(d, name).to_pandas()


def to_polars(d: dict[str, Any], name: str) -> Any:
    """:func:`table` as a polars DataFrame (times: ``Datetime(time_zone="UTC")``)."""
    return require("polars").from_arrow(table(d, name))
