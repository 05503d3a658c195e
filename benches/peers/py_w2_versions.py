"""W2 from Python as any version of `mot` runs it, for comparing versions.

    python benches/peers/py_w2_versions.py DIR [--repeat 5] [--options JSON]

Builds the frames of py_w2.py from `DIR/events.csv` and `DIR/outcomes.csv`
(`w2 export`): MOT ids `UInt16`, `String`, `Categorical`. Times
`mot.dashboard(frame, outcomes, **options)` `--repeat` times per id type
and prints one JSON line: the medians, and per id type the number of
variants, interactions and SCO journeys, which must agree across versions.
It uses only what every version of `mot.dashboard` accepts, so one version
per venv (with polars and numpy, which py_w2.py imports) can be run in
turn on the same machine (benches/README.md: the targets against the code
they were set on). `--options '{"durations": false}'` turns durations off
where the version has them.
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
import py_w2  # noqa: E402  (the frames, as py_w2.py reads them)

import mot  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--options", type=json.loads, default={})
    args = ap.parse_args()
    events, outcomes = py_w2.read(args.dir)
    strings = events.with_columns(pl.col("mot_id").cast(pl.String))
    frames = {
        "int": events,
        "string": strings,
        "categorical": strings.with_columns(pl.col("mot_id").cast(pl.Categorical)),
    }
    out: dict[str, object] = {}
    for name, frame in frames.items():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            d = mot.dashboard(frame, outcomes, **args.options)
            times.append(time.perf_counter() - t)
        dd = d.to_dict()
        out[name] = round(statistics.median(times), 3)
        out[name + "_check"] = [
            dd["variants"]["distinct"],
            sum(m["interactions"] for m in dd["mots"]),
            dd["sco"]["successes"],
        ]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
