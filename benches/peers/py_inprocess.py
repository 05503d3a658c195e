"""W1 in one Python process: `mot.dashboard` on polars DataFrames against the
idiomatic polars peer (polars_dashboard.py) on the very same DataFrames.

The clock for `mot` includes the whole hand-over: the Arrow PyCapsule export
of the polars columns, reading them in Rust, the dashboard, and building the
Python result object (`Dashboard`, whose `to_dict()` is timed separately).
Reading the CSV is outside both clocks. The peer measures no durations, so
`mot` is timed both ways: as it runs by default (durations on) and with
`durations=False`, the figures the peer computes (`*_no_durations`).

    python benches/peers/py_inprocess.py DIR [--repeat 5]

DIR holds `events.csv` and `outcomes.csv` from `w1 export` (see run.sh). Needs
`mot` (pip install ./mot-py), polars and numpy in the same interpreter.
Prints one JSON object; a disagreement on the shared counts exits non-zero.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
import polars_dashboard  # noqa: E402  (the peer, imported from this folder)

import mot  # noqa: E402


def best_and_median(fn, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    events, outcomes = polars_dashboard.read(args.dir)
    categorical = events.with_columns(pl.col("mot_id").cast(pl.Categorical))

    out: dict[str, object] = {"rows": events.height, "journeys": outcomes.height, "repeat": args.repeat}
    runs = {
        "mot_string_ids": lambda: mot.dashboard(events, outcomes, period="day"),
        "mot_categorical_ids": lambda: mot.dashboard(categorical, outcomes, period="day"),
        "mot_string_ids_no_durations": lambda: mot.dashboard(events, outcomes, period="day", durations=False),
        "mot_categorical_ids_no_durations": lambda: mot.dashboard(
            categorical, outcomes, period="day", durations=False
        ),
        "polars_peer": lambda: polars_dashboard.dashboard(events, outcomes),
    }
    results = {}
    for name, fn in runs.items():
        best, median, results[name] = best_and_median(fn, args.repeat)
        out[name] = {"best_s": best, "median_s": median}
    best, median, ours = best_and_median(lambda: results["mot_string_ids"].to_dict(), args.repeat)
    out["mot_to_dict"] = {"best_s": best, "median_s": median}

    # The shared figures must agree before any timing means anything.
    ours = results["mot_string_ids"].to_dict()
    peer = results["polars_peer"]
    assert results["mot_categorical_ids"].to_dict() == ours
    plain = results["mot_string_ids_no_durations"].to_dict()
    assert results["mot_categorical_ids_no_durations"].to_dict() == plain
    assert plain["mots"] == ours["mots"] and plain["sco"] == ours["sco"]
    assert ours["sco"]["successes"] == peer["sco"]["successes"], "SCO counts differ"
    ours_mots = {m["id"]: (m["interactions"], m["successes"]) for m in ours["mots"]}
    peer_mots = {m["id"]: (m["interactions"], m["successes"]) for m in peer["mots"]}
    assert ours_mots == peer_mots, "per-MOT counts differ"

    peer_median = out["polars_peer"]["median_s"]
    for name in (n for n in runs if n.startswith("mot_")):
        out[name]["speedup_vs_polars"] = peer_median / out[name]["median_s"]
    out["polars_threads"] = pl.thread_pool_size()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
