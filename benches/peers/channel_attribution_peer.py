"""Markov removal effects with ChannelAttribution, on the exported W1 log.

    python channel_attribution_peer.py DIR [--seeds 0,10,20] [--nsim 1e5]
        [--nsim-untruncated 1e6] [--max-step 10000] [--out FILE]

Each journey with a known outcome becomes one path: its MOT sequence (time
order) joined with " > "; identical paths are aggregated with
`total_conversions` (SCO journeys) and `total_null` (the others), as the
library expects. Then `ChannelAttribution.markov_model(order=1,
out_more=True)` runs once per seed in two configurations: `default` (the
library's defaults: nsim_start 1e5, max_step = the longest observed path)
and `untruncated` (max_step 10000, nsim_start 1e6), whose walks are never cut.

What the library computes (ChannelAttribution 2.2.5, read from its
docstring and its C++ source `functions.cpp`, `markov_model_cpp` and
`W_markov_model_1`):

- It **simulates**: it estimates the first-order transition matrix from
  the paths (consecutive repeats of a channel are collapsed first, so
  self-loops are dropped; this leaves the jump chain and hence every
  absorption and visit probability unchanged), then draws random walks from
  (start) until (conversion) or (null), in `nfold` = 10 independent streams
  seeded `seed + fold`, `nsim_start / nfold` walks each, multiplying the
  number of walks by `rate_step_sim` = 1.5 until the folds' attributions
  agree within `conv_par` = 5%. Walks not absorbed within `max_step`
  channels are discarded, counted neither as conversions nor as nulls (the
  default max_step is the longest observed path + 1: the library counts the
  exit as a step). Counts accumulate over the
  iterations. Fold f of seed s draws from stream `seed + f`, so seeds 0 and 1
  share 9 of their 10 folds: independent replicates need seeds >= 10 apart.
- `removal_effects.removal_effect` of channel k = (converting walks that
  visited k) / (converting walks), taken from one fold (the one closest to
  the median). For a first-order chain whose removal redirects the
  transitions into k to (null), this is exactly RE(k) = 1 - P(conv | k
  removed) / P(conv) = P(visit k | conv): the same quantity as our exact
  removal effect, **not normalised** (each in [0, 1], they do not sum to 1),
  but a Monte Carlo estimate with binomial noise sqrt(RE (1 - RE) / n_conv).
- `result.total_conversions` = RE(k) / sum(RE) x total conversions: the
  normalised shares, i.e. our `attributed_conversions`.

Writes DIR/channel_attribution.json (removal effects and shares per seed,
the number of walks parsed from the verbose output, timings).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import time
from pathlib import Path

import pandas as pd
import polars as pl

with contextlib.redirect_stdout(io.StringIO()):  # the package prints a banner on import
    import ChannelAttribution as ca

NFOLD = 10  # markov_model's default nfold


def paths(dirname: Path) -> pl.DataFrame:
    events = pl.scan_csv(
        dirname / "events.csv",
        schema={
            "journey_id": pl.Int64,
            "mot_id": pl.String,
            "timestamp": pl.Int64,
            "success": pl.Boolean,
            "cost": pl.Float64,
        },
    )
    outcomes = pl.scan_csv(
        dirname / "outcomes.csv",
        schema={"journey_id": pl.Int64, "sco": pl.Boolean, "value": pl.Float64},
    ).unique("journey_id", keep="first")
    return (
        events.sort(["journey_id", "timestamp"], maintain_order=True)
        .group_by("journey_id")
        .agg(path=pl.col("mot_id").str.join(" > "))
        .join(outcomes, on="journey_id", how="inner")
        .group_by("path")
        .agg(
            total_conversions=pl.col("sco").sum().cast(pl.Int64),
            total_null=(~pl.col("sco")).sum().cast(pl.Int64),
        )
        .sort("path")  # a deterministic row order for the library
        .collect()
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument(
        "--seeds",
        default="0,10,20",
        help="fold f of seed s uses the stream seed+f (10 folds), so seeds closer than 10 share streams",
    )
    ap.add_argument("--nsim", type=float, default=1e5, help="nsim_start of the default runs (library default 1e5)")
    ap.add_argument("--nsim-untruncated", type=float, default=1e6, help="nsim_start of the untruncated runs")
    ap.add_argument("--max-step", type=int, default=10_000, help="max_step of the untruncated runs")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()

    t0 = time.perf_counter()
    agg = paths(args.dir)
    # The library wants a pandas DataFrame (built without pyarrow).
    data = pd.DataFrame({c: agg[c].to_list() for c in agg.columns})
    t1 = time.perf_counter()

    configs = [
        # What a user gets: the library's defaults (walks cut at the longest observed path).
        ("default", None, args.nsim),
        # Walks effectively never cut, more walks: the estimator of the untruncated chain.
        ("untruncated", args.max_step, args.nsim_untruncated),
    ]
    runs = []
    for name, max_step, nsim in configs:
        for seed in [int(s) for s in args.seeds.split(",")]:
            log = io.StringIO()
            t = time.perf_counter()
            with contextlib.redirect_stdout(log):  # verbose progress is printed from C++ via Python
                res = ca.markov_model(
                    data,
                    "path",
                    "total_conversions",
                    var_null="total_null",
                    order=1,
                    nsim_start=nsim,
                    max_step=max_step,
                    out_more=True,
                    seed=seed,
                    verbose=True,
                    flg_pro=False,
                )
            secs = time.perf_counter() - t
            text = log.getvalue()
            sims = [int(n) for n in re.findall(r"Number of simulations: (\d+)", text)]
            ok = re.findall(r"before maximum number of steps \((\d+)\) is reached: ([\d.]+)%", text)
            re_df = res["removal_effects"]
            conv = res["result"]
            runs.append(
                {
                    "config": name,
                    "seed": seed,
                    "nsim_start": nsim,
                    "max_step_arg": max_step,
                    "seconds": secs,
                    # walks in the reported fold, accumulated over the convergence iterations
                    "walks_per_fold": sum(n // NFOLD for n in sims),
                    "iterations": len(sims),
                    "max_step": int(ok[0][0]) if ok else None,
                    "walks_ending_before_max_step_pct": float(ok[0][1]) if ok else None,
                    "removal_effect": dict(zip(re_df["channel_name"], map(float, re_df["removal_effect"]))),
                    "total_conversions": dict(zip(conv["channel_name"], map(float, conv["total_conversions"]))),
                    "log": text.strip().splitlines(),
                }
            )
            print(json.dumps({"config": name, "seed": seed, "seconds": secs, "iterations": len(sims)}))

    result = {
        "channel_attribution_version": getattr(ca, "__version__", "2.2.5"),
        "paths": len(data),
        "journeys": int(data["total_conversions"].sum() + data["total_null"].sum()),
        "conversions": int(data["total_conversions"].sum()),
        "runs": runs,
        "timing": {
            "build_paths_s": t1 - t0,
            "markov_model_s": {c: [r["seconds"] for r in runs if r["config"] == c] for c, _, _ in configs},
            "markov_model_default_min_s": min(r["seconds"] for r in runs if r["config"] == "default"),
        },
    }
    out = args.out or args.dir / "channel_attribution.json"
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result["timing"]))


if __name__ == "__main__":
    main()
