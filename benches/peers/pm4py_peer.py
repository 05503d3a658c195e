"""Directly-follows graph and variants with pm4py, on the exported W1 log.

    python pm4py_peer.py DIR [--out FILE]

Reads DIR/events.csv with pandas, renames the columns to the process-mining
convention (`case:concept:name`, `concept:name`, `time:timestamp` as a UTC
datetime), then times `pm4py.discover_dfg` and `pm4py.get_variants` and
writes their counts as JSON (default DIR/pm4py.json).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import time
from pathlib import Path

import pandas as pd

with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    # pm4py prints a banner on import
    import pm4py


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()

    t0 = time.perf_counter()
    df = pd.read_csv(
        args.dir / "events.csv",
        dtype={"journey_id": "int64", "mot_id": "string", "timestamp": "int64", "success": "bool"},
    )
    t1 = time.perf_counter()
    df = df.rename(
        columns={"journey_id": "case:concept:name", "mot_id": "concept:name", "timestamp": "time:timestamp"}
    )
    # pm4py expects a string case id and a datetime timestamp.
    df["case:concept:name"] = df["case:concept:name"].astype("string")
    df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], unit="s", utc=True)
    t2 = time.perf_counter()
    dfg, start, end = pm4py.discover_dfg(df)
    t3 = time.perf_counter()
    variants = pm4py.get_variants(df)
    t4 = time.perf_counter()

    def count(v):  # older pm4py returned lists of traces
        return v if isinstance(v, int) else len(v)

    top = sorted(((count(c), list(seq)) for seq, c in variants.items()), key=lambda x: (-x[0], x[1]))
    result = {
        "pm4py_version": pm4py.__version__,
        "directly_follows": {
            "edges": [{"from": a, "to": b, "count": int(c)} for (a, b), c in dfg.items()],
            "start": [{"mot": a, "count": int(c)} for a, c in start.items()],
            "end": [{"mot": a, "count": int(c)} for a, c in end.items()],
        },
        "variants": {
            "distinct": len(variants),
            "top": [{"mots": seq, "count": c} for c, seq in top[:100]],
        },
        "timing": {
            "read_csv_s": t1 - t0,
            "prepare_s": t2 - t1,
            "discover_dfg_s": t3 - t2,
            "get_variants_s": t4 - t3,
            "total_s": t4 - t0,
            "rows": len(df),
        },
    }
    out = args.out or args.dir / "pm4py.json"
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result["timing"]))


if __name__ == "__main__":
    main()
