"""W2 in one Python process: `mot.dashboard` on polars DataFrames, with the
MOT ids as integers (`UInt16`), strings and `Categorical`, against the
idiomatic polars peer (polars_dashboard.py) on the same rows.

    python benches/peers/py_w2.py DIR [--repeat 5] [--peer-repeat 3] [--no-durations]

DIR holds `events.csv` and `outcomes.csv` from `w2 export` (integer journey
ids and MOT codes). The frames are built once, outside every clock, with
the types a real log of this kind has: `journey_id` `UInt32`, `mot_id`
`UInt16` (then cast to `String` and to `Categorical` for the other two
runs), `timestamp` `Int64` seconds, `success` `Boolean`, `cost` `Float64`;
outcomes `journey_id` `UInt32`, `sco` `Boolean`, `value` `Float64`.

The clock for `mot` includes the whole hand-over (the Arrow PyCapsule
export, reading the columns in Rust, the dashboard, the Python result
object). Variants are on (the default) for the targets; `track_variants=False`
is timed for reference; `--no-durations` times every run with
`durations=False` (no time per edge or journey). Before any time is reported the three id types
must give the same per-MOT counts, SCO counts and number of variants, equal
to the polars peer's and to `DIR/w2_shape.json`. Prints one JSON object.
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


def read(dirname: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    events = pl.read_csv(
        dirname / "events.csv",
        schema={
            "journey_id": pl.UInt32,
            "mot_id": pl.UInt16,
            "timestamp": pl.Int64,
            "success": pl.Boolean,
            "cost": pl.Float64,
        },
    )
    outcomes = pl.read_csv(
        dirname / "outcomes.csv",
        schema={"journey_id": pl.UInt32, "sco": pl.Boolean, "value": pl.Float64},
    )
    return events.rechunk(), outcomes.rechunk()


def timed(fn, repeat: int) -> tuple[dict, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return {"best_s": min(times), "median_s": statistics.median(times), "all_s": times}, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--peer-repeat", type=int, default=3, help="0 skips the polars peer")
    ap.add_argument("--no-durations", action="store_true", help="durations=False in every run")
    args = ap.parse_args()

    integers, outcomes = read(args.dir)
    strings = integers.with_columns(pl.col("mot_id").cast(pl.String))
    categorical = strings.with_columns(pl.col("mot_id").cast(pl.Categorical))
    frames = {"int": integers, "string": strings, "categorical": categorical}

    out: dict[str, object] = {
        "rows": integers.height,
        "journeys": outcomes.height,
        "repeat": args.repeat,
        "mot_version": getattr(mot, "__version__", None),
        "polars_version": pl.__version__,
        "polars_threads": pl.thread_pool_size(),
        "durations": not args.no_durations,
    }
    dicts = {}
    for variants in (True, False):
        for name, events in frames.items():
            key = f"mot_{name}_ids_variants_{'on' if variants else 'off'}"
            out[key], d = timed(
                lambda: mot.dashboard(
                    events, outcomes, period="day", track_variants=variants, durations=not args.no_durations
                ),
                args.repeat,
            )
            dicts[key] = d.to_dict()
            print(f"{key}: best {out[key]['best_s']:.3f} s, median {out[key]['median_s']:.3f} s", file=sys.stderr)

    # The three id types must agree, with variants on and off.
    def counts(d):
        return (
            sorted((m["id"], m["interactions"], m["successes"]) for m in d["mots"]),
            (d["sco"]["journeys"], d["sco"]["successes"]),
            d["amount"]["interactions"],
        )

    ref = dicts["mot_int_ids_variants_on"]
    for key, d in dicts.items():
        assert counts(d) == counts(ref), f"{key} disagrees with mot_int_ids_variants_on"
        if key.endswith("_on"):
            assert d["variants"] == ref["variants"], f"{key}: variants differ"
            assert d["directly_follows"] == ref["directly_follows"], f"{key}: directly-follows differ"
    shape_file = args.dir / "w2_shape.json"
    if shape_file.exists():
        shape = json.loads(shape_file.read_text())
        assert ref["variants"]["distinct"] == shape["distinct_variants"], "variants differ from the generator's"
        out["distinct_share"] = shape["distinct_share"]
    out["variants_distinct"] = ref["variants"]["distinct"]

    if args.peer_repeat > 0:
        out["polars_peer"], peer = timed(lambda: polars_dashboard.dashboard(strings, outcomes), args.peer_repeat)
        print(f"polars peer: best {out['polars_peer']['best_s']:.3f} s", file=sys.stderr)
        ours_mots = {m["id"]: (m["interactions"], m["successes"]) for m in ref["mots"]}
        peer_mots = {m["id"]: (m["interactions"], m["successes"]) for m in peer["mots"]}
        assert ours_mots == peer_mots, "per-MOT counts differ from the polars peer"
        assert ref["sco"]["successes"] == peer["sco"]["successes"], "SCO counts differ from the polars peer"
        assert ref["variants"]["distinct"] == peer["variants"]["distinct"], "variants differ from the polars peer"
        peer_median = out["polars_peer"]["median_s"]
        for key in dicts:
            out[key]["speedup_vs_polars"] = peer_median / out[key]["median_s"]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
