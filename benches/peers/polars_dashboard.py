"""The `mot` dashboard metrics, written the way a data scientist would in polars.

Peer implementation for the W1 side-by-side comparison (see run.sh). It reads
the exported log (events.csv, outcomes.csv), computes the same metrics as our
`mot.dashboard/1` contract with idiomatic polars expressions (lazy API), and the
exact first-order Markov removal effects with numpy (one `numpy.linalg.solve`
per MOT), then writes a JSON whose field names follow the contract.

    python polars_dashboard.py DIR [--out FILE]

Definitions (DOMAIN.md §3):

- SMOTO rate = successes / interactions per MOT, Wilson 95% interval;
- SCO rate = SCO journeys / journeys with a known outcome, Wilson interval;
- interactions per journey = interactions / journeys;
- lift = P(SCO | MOT occurred, never failed) - P(SCO | MOT failed >= once),
  over journeys with a known outcome (null when a group is empty);
- trend_slope_per_day = OLS slope of the per-UTC-day SMOTO rate on the day
  index, each day with >= 1 interaction weighing equally;
- p-chart limits per day: p_bar +- 3 sqrt(p_bar (1 - p_bar) / n_day), clipped;
- directly-follows: consecutive MOT pairs within a journey, by timestamp
  (ties keep the input order); start / end MOT counts per journey;
- variants: distinct MOT sequences, top 10 by count (ties by sequence);
- removal effect RE(i) = 1 - P(SCO | i removed) / P(SCO) on the absorbing
  chain start -> MOTs -> {SCO, no-SCO} estimated from the transitions of
  known-outcome journeys; removing i redirects every transition into i to
  no-SCO.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import polars as pl

Z95 = 1.959963984540054
TOP_VARIANTS = 10


def wilson(s: pl.Expr, n: pl.Expr, z: float = Z95) -> tuple[pl.Expr, pl.Expr]:
    """Wilson score interval as two polars expressions (null when n = 0)."""
    n = n.cast(pl.Float64)
    p = s.cast(pl.Float64) / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt()
    ok = n > 0
    low = pl.when(ok).then(pl.max_horizontal(centre - half, pl.lit(0.0)))
    high = pl.when(ok).then(pl.min_horizontal(centre + half, pl.lit(1.0)))
    return low, high


def wilson_py(s: int, n: int, z: float = Z95):
    if n == 0:
        return None, None
    p = s / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z / denom * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
    return max(centre - half, 0.0), min(centre + half, 1.0)


def read(dirname: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    events = pl.read_csv(
        dirname / "events.csv",
        schema={
            "journey_id": pl.Int64,
            "mot_id": pl.String,
            "timestamp": pl.Int64,
            "success": pl.Boolean,
            "cost": pl.Float64,
        },
    )
    outcomes = pl.read_csv(
        dirname / "outcomes.csv",
        schema={"journey_id": pl.Int64, "sco": pl.Boolean, "value": pl.Float64},
    )
    return events, outcomes


def removal_effects(trans: pl.DataFrame, mots: list[str]) -> tuple[float, dict[str, float]]:
    """Exact removal effects from transition counts (from, to, count).

    States: 0 = start, 1..m = MOTs, m+1 = SCO, m+2 = no-SCO.
    """
    m = len(mots)
    index = {"(start)": 0, **{k: i + 1 for i, k in enumerate(mots)}, "(sco)": m + 1, "(null)": m + 2}
    size = m + 3
    counts = np.zeros((size, size))
    f = np.array([index[x] for x in trans["from"].to_list()])
    t = np.array([index[x] for x in trans["to"].to_list()])
    np.add.at(counts, (f, t), trans["count"].to_numpy().astype(float))
    totals = counts.sum(axis=1, keepdims=True)
    probs = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    transient = list(range(m + 1))  # start and the MOTs
    q = probs[np.ix_(transient, transient)]
    r = probs[transient, m + 1]  # one step into SCO
    eye = np.eye(m + 1)
    p_sco = np.linalg.solve(eye - q, r)[0]
    effects = {}
    for i, mot in enumerate(mots, start=1):
        q_removed = q.copy()
        q_removed[:, i] = 0.0  # transitions into i now go to no-SCO
        r_removed = r.copy()
        r_removed[i] = 0.0  # i is never reached; its row no longer matters
        p_removed = np.linalg.solve(eye - q_removed, r_removed)[0]
        effects[mot] = float(1.0 - p_removed / p_sco)
    return float(p_sco), effects


def dashboard(events: pl.DataFrame, outcomes: pl.DataFrame) -> dict:
    ev = events.lazy()
    out = outcomes.lazy().unique("journey_id", keep="first", maintain_order=True)

    # Order each journey by time (stable: ties keep the input order).
    ev = ev.sort(["journey_id", "timestamp"], maintain_order=True).with_columns(
        day=pl.col("timestamp") // 86_400,
        next_mot=pl.col("mot_id").shift(-1).over("journey_id"),
    )

    # SMOTO production per MOT.
    low, high = wilson(pl.col("successes"), pl.col("interactions"))
    per_mot = (
        ev.group_by("mot_id")
        .agg(
            interactions=pl.len(),
            successes=pl.col("success").sum(),
            journeys=pl.col("journey_id").n_unique(),
        )
        .with_columns(
            smoto_rate=pl.col("successes") / pl.col("interactions"),
            ci_low=low,
            ci_high=high,
        )
    )

    # Lift: per (journey, MOT) did it ever fail; join the known outcomes.
    jm = (
        ev.group_by("journey_id", "mot_id")
        .agg(failed=(~pl.col("success")).any())
        .join(out.select("journey_id", "sco"), on="journey_id", how="inner")
    )
    lift = (
        jm.group_by("mot_id")
        .agg(
            ok_known=(~pl.col("failed")).sum(),
            ok_sco=(~pl.col("failed") & pl.col("sco")).sum(),
            fail_known=pl.col("failed").sum(),
            fail_sco=(pl.col("failed") & pl.col("sco")).sum(),
        )
        .with_columns(
            lift=pl.when((pl.col("ok_known") > 0) & (pl.col("fail_known") > 0)).then(
                pl.col("ok_sco") / pl.col("ok_known") - pl.col("fail_sco") / pl.col("fail_known")
            ),
            sco_when_present=(pl.col("ok_sco") + pl.col("fail_sco"))
            / (pl.col("ok_known") + pl.col("fail_known")),
        )
        .select("mot_id", "lift", "sco_when_present")
    )

    # Trend: per-UTC-day SMOTO rate, OLS slope on the day index, p-chart limits.
    daily = (
        ev.group_by("mot_id", "day")
        .agg(n=pl.len(), s=pl.col("success").sum())
        .with_columns(rate=pl.col("s") / pl.col("n"))
    )
    x, y = pl.col("day").cast(pl.Float64), pl.col("rate")
    slope = daily.group_by("mot_id").agg(
        trend_slope_per_day=pl.when(pl.len() >= 2).then(
            ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()
        )
    )
    centre = pl.col("successes") / pl.col("interactions")
    sigma = (centre * (1.0 - centre) / pl.col("n")).sqrt()
    pchart = (
        daily.join(per_mot.select("mot_id", "interactions", "successes"), on="mot_id")
        .with_columns(
            centre=centre,
            lcl=pl.max_horizontal(centre - 3.0 * sigma, pl.lit(0.0)),
            ucl=pl.min_horizontal(centre + 3.0 * sigma, pl.lit(1.0)),
        )
        .with_columns(
            out_of_control=pl.when(pl.col("rate") < pl.col("lcl"))
            .then(pl.lit("low"))
            .when(pl.col("rate") > pl.col("ucl"))
            .then(pl.lit("high"))
        )
        .sort("mot_id", "day")
        .group_by("mot_id", maintain_order=True)
        .agg(
            centre=pl.col("centre").first(),
            periods=pl.struct(
                start=pl.col("day") * 86_400,
                interactions="n",
                successes="s",
                rate="rate",
                lcl="lcl",
                ucl="ucl",
                out_of_control="out_of_control",
            ),
        )
    )

    # Directly-follows, start and end activities.
    dfg = (
        ev.filter(pl.col("next_mot").is_not_null())
        .group_by(pl.col("mot_id").alias("from"), pl.col("next_mot").alias("to"))
        .agg(count=pl.len())
        .sort(["count", "from", "to"], descending=[True, False, False])
    )
    firsts = ev.group_by("journey_id").agg(
        first=pl.col("mot_id").first(), last=pl.col("mot_id").last(), seq=pl.col("mot_id").str.join(">")
    )
    start = firsts.group_by(mot="first").agg(count=pl.len()).sort(["count", "mot"], descending=[True, False])
    end = firsts.group_by(mot="last").agg(count=pl.len()).sort(["count", "mot"], descending=[True, False])

    # Variants.
    variants = firsts.group_by("seq").agg(count=pl.len())
    top = variants.sort(["count", "seq"], descending=[True, False]).head(TOP_VARIANTS)

    # Markov transitions of known-outcome journeys: start -> ... -> SCO / no-SCO.
    # (A join does not keep row order, so each journey's first MOT comes from
    # `firsts`, taken before the join; `next_mot` was also computed before.)
    outcome = out.select("journey_id", "sco")
    known = ev.join(outcome, on="journey_id", how="inner")
    absorbing = pl.when(pl.col("sco")).then(pl.lit("(sco)")).otherwise(pl.lit("(null)"))
    trans = pl.concat(
        [
            firsts.join(outcome, on="journey_id", how="inner").select(
                pl.lit("(start)").alias("from"), pl.col("first").alias("to")
            ),
            known.select(
                pl.col("mot_id").alias("from"),
                pl.coalesce(pl.col("next_mot"), absorbing).alias("to"),
            ),
        ]
    ).group_by("from", "to").agg(count=pl.len())

    # SCO and ratio.
    sco = out.select(journeys=pl.len(), successes=pl.col("sco").sum())
    totals = ev.select(interactions=pl.len(), journeys=pl.col("journey_id").n_unique())

    (per_mot, lift, slope, pchart, dfg, start, end, top, variants_n, trans, sco, totals) = pl.collect_all(
        [per_mot, lift, slope, pchart, dfg, start, end, top, variants.select(pl.len()), trans, sco, totals]
    )

    mots = per_mot.join(lift, on="mot_id", how="left").join(slope, on="mot_id", how="left").sort("mot_id")
    p_sco, re = removal_effects(trans, mots["mot_id"].to_list())
    n_sco, n_known = int(sco["successes"][0]), int(sco["journeys"][0])
    sco_low, sco_high = wilson_py(n_sco, n_known)
    interactions, journeys = int(totals["interactions"][0]), int(totals["journeys"][0])
    return {
        "format": "mot.dashboard/1 (polars peer)",
        "amount": {"interactions": interactions, "journeys": journeys, "observed_mots": mots.height},
        "sco": {
            "journeys": n_known,
            "successes": n_sco,
            "rate": n_sco / n_known if n_known else None,
            "ci_low": sco_low,
            "ci_high": sco_high,
        },
        "ratio": {"interactions_per_journey": interactions / journeys if journeys else None},
        "p_sco_chain": p_sco,
        # The absorbing chain's transition counts (known-outcome journeys).
        "markov_transitions": trans.sort("from", "to").to_dicts(),
        "mots": [
            {
                "id": r["mot_id"],
                "interactions": r["interactions"],
                "successes": r["successes"],
                "smoto_rate": r["smoto_rate"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
                "journeys": r["journeys"],
                "sco_when_present": r["sco_when_present"],
                "lift": r["lift"],
                "removal_effect": re[r["mot_id"]],
                "trend_slope_per_day": r["trend_slope_per_day"],
            }
            for r in mots.iter_rows(named=True)
        ],
        "trends": [
            {"mot": r["mot_id"], "centre": r["centre"], "periods": r["periods"]}
            for r in pchart.sort("mot_id").iter_rows(named=True)
        ],
        "directly_follows": {
            "edges": dfg.to_dicts(),
            "start": start.to_dicts(),
            "end": end.to_dicts(),
        },
        "variants": {
            "distinct": int(variants_n.item()),
            "top": [{"mots": r["seq"].split(">"), "count": r["count"]} for r in top.iter_rows(named=True)],
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--out", type=Path, default=None, help="default DIR/polars_dashboard.json")
    args = ap.parse_args()

    t0 = time.perf_counter()
    events, outcomes = read(args.dir)
    t1 = time.perf_counter()
    result = dashboard(events, outcomes)
    t2 = time.perf_counter()
    result["timing"] = {
        "read_csv_s": t1 - t0,
        "compute_s": t2 - t1,
        "total_s": t2 - t0,
        "polars_threads": pl.thread_pool_size(),
        "rows": events.height,
    }
    out = args.out or args.dir / "polars_dashboard.json"
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result["timing"]))


if __name__ == "__main__":
    main()
