"""Conformance to a designed journey with pm4py's alignments, checked against our dashboard.

    python conformance_pm4py.py DIR [--runs 1] [--journeys K] [--mot target/release/mot]
                                    [--mot-runs 5] [--no-mot] [--out FILE]

DIR holds `events.csv` (journey_id,mot_id,timestamp,success,cost; integer
seconds), `designed.json` (a JSON list of MOT ids), `mot_conformance.json`
(our dashboard JSON built with `--designed`) and, optionally, `outcomes.csv`.

The designed journey becomes a strictly sequential Petri net (places
p0..pm, one visible transition per MOT, no silent transitions, initial
marking p0, final marking pm). Events are ordered per journey by timestamp,
ties in file order (as mot orders them; pm4py takes a DataFrame's rows in
the order given). `pm4py.conformance_diagnostics_alignments`
(multi_processing=False, default A* variant and costs: 10000 per log or
model move, 0 per sync move; pm4py aligns each distinct variant once) is
timed on that DataFrame, wall clock, best of `--runs`.

Checks (each reported, exit status 1 if any fails):
  * every journey: pm4py's fitness == 1 - c/(n+m), c = pm4py cost / 10000,
    n = journey length, m = designed length (and c == n + m - 2*LCS, an
    independent dynamic program);
  * `conformance`: journeys, conforming (fitness == 1), rate, mean_fitness
    and mean_cost (c) equal pm4py's over all journeys (to 1e-9);
  * `variants.top[]`: cost and fitness of each of our top variants equal
    pm4py's for that sequence (and its count the number of journeys with it).

Our CLI (`mot dashboard --events ... [--outcomes ...] --designed ids --format
json`) is timed too, wall clock via subprocess, best of `--mot-runs`; its
output's `conformance` and `variants` are compared with DIR/mot_conformance.json.
The dashboard computes far more than conformance (it is the whole dashboard),
so that timing is an upper bound for our conformance alone.

With `--journeys K` only the first K journeys (file order) are used, for
pm4py and for our CLI alike (written to a temporary directory); our figures
then come from that run instead of DIR/mot_conformance.json.

Prints one JSON object (also written to `--out` when given). Runs in any
interpreter with pm4py (the project used /work/ref-venv, pm4py 2.7.23.11).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    import pm4py  # prints a banner on import
    from pm4py.objects.petri_net.obj import Marking, PetriNet
    from pm4py.objects.petri_net.utils.petri_utils import add_arc_from_to

CASE, ACT, TS = "case:concept:name", "concept:name", "time:timestamp"
UNIT = 10000  # pm4py's default cost of a log move or a model move
REPO = Path(__file__).resolve().parents[2]


def sequential_net(designed):
    net = PetriNet("designed")
    places = [PetriNet.Place(f"p{i}") for i in range(len(designed) + 1)]
    for p in places:
        net.places.add(p)
    for i, mot in enumerate(designed):
        t = PetriNet.Transition(f"t{i + 1}", mot)
        net.transitions.add(t)
        add_arc_from_to(places[i], t, net)
        add_arc_from_to(t, places[i + 1], net)
    return net, Marking({places[0]: 1}), Marking({places[-1]: 1})


def lcs(a, b):
    row = [0] * (len(b) + 1)
    for x in a:
        diag = 0
        for j, y in enumerate(b):
            diag, row[j + 1] = row[j + 1], (diag + 1 if x == y else max(row[j + 1], row[j]))
    return row[-1]


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def read_events(path, journeys):
    df = pd.read_csv(
        path,
        dtype={"journey_id": "int64", "mot_id": "string", "timestamp": "int64", "success": "bool"},
    )
    if journeys is not None:
        keep = pd.unique(df["journey_id"])[:journeys]
        df = df[df["journey_id"].isin(keep)]
    return df


def to_pm4py(df):
    out = pd.DataFrame(
        {
            CASE: df["journey_id"].astype("string"),
            ACT: df["mot_id"],
            TS: pd.to_datetime(df["timestamp"], unit="s", utc=True),
        }
    )
    # per journey by timestamp, ties in file order (stable sort); pm4py keeps the row order
    return out.sort_values([CASE, TS], kind="stable").reset_index(drop=True)


def run_mot(mot, events, outcomes, designed, runs, workdir):
    out = workdir / "mot_dashboard.json"
    cmd = [str(mot), "dashboard", "--events", str(events)]
    if outcomes is not None:
        cmd += ["--outcomes", str(outcomes)]
    cmd += ["--designed", ",".join(designed), "--format", "json", "-o", str(out)]
    best = math.inf
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t)
    return best, json.loads(out.read_text()), cmd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--runs", type=int, default=1, help="pm4py runs (best of)")
    ap.add_argument("--journeys", type=int, default=None, help="only the first K journeys")
    ap.add_argument("--mot", type=Path, default=REPO / "target" / "release" / "mot")
    ap.add_argument("--mot-runs", type=int, default=5)
    ap.add_argument("--no-mot", action="store_true", help="do not run our CLI")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()

    designed = json.loads((args.dir / "designed.json").read_text())
    m = len(designed)
    events_path = args.dir / "events.csv"
    outcomes_path = args.dir / "outcomes.csv" if (args.dir / "outcomes.csv").exists() else None

    t0 = time.perf_counter()
    raw = read_events(events_path, args.journeys)
    df = to_pm4py(raw)
    prep_s = time.perf_counter() - t0
    net, im, fm = sequential_net(designed)

    # the sequences, in the order pm4py returns its alignments (groupby on the case id, sorted)
    seqs = df.groupby(CASE)[ACT].agg(list)
    n_journeys = len(seqs)

    best, res = math.inf, None
    for _ in range(args.runs):
        res = None
        t = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):  # progress bar
            res = pm4py.conformance_diagnostics_alignments(df, net, im, fm, multi_processing=False)
        best = min(best, time.perf_counter() - t)
    assert len(res) == n_journeys, (len(res), n_journeys)

    # ---- per journey
    per_variant = {}  # sequence -> [count, cost (unit), fitness]
    fit_bad, lcs_bad, fit_exact = [], [], 0
    fit_sum, cost_sum, conforming = 0.0, 0, 0
    for case, seq, r in zip(seqs.index, seqs.values, res):
        n = len(seq)
        raw_cost = int(r["cost"])
        c = raw_cost // UNIT
        f = float(r["fitness"])
        want = 1 - c / (n + m)
        if raw_cost % UNIT or not close(f, want, 1e-12):
            fit_bad.append({"journey": case, "pm4py_cost": raw_cost, "pm4py_fitness": f, "1-c/(n+m)": want})
        fit_exact += f == want
        key = tuple(seq)
        if key not in per_variant:
            if c != n + m - 2 * lcs(seq, designed):
                lcs_bad.append({"sequence": list(seq), "pm4py_c": c, "lcs_c": n + m - 2 * lcs(seq, designed)})
            per_variant[key] = [0, c, f]
        pv = per_variant[key]
        pv[0] += 1
        if (pv[1], pv[2]) != (c, f):  # one alignment per variant: identical for its journeys
            fit_bad.append({"journey": case, "note": "differs from its variant", "cost": c, "fitness": f})
        fit_sum += f
        cost_sum += c
        conforming += f == 1.0
    pm = {
        "journeys": n_journeys,
        "conforming": conforming,
        "rate": conforming / n_journeys,
        "mean_fitness": fit_sum / n_journeys,
        "mean_cost": cost_sum / n_journeys,
    }

    # ---- ours
    result = {
        "dir": str(args.dir),
        "pm4py_version": pm4py.__version__,
        "designed_steps": m,
        "journeys": n_journeys,
        "events": len(df),
        "variants_aligned": len(per_variant),
    }
    ours = None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.journeys is not None:
            keep = set(pd.unique(raw["journey_id"]))
            sub_events = tmp / "events.csv"
            # the original lines (text as exported), journeys filtered
            with open(events_path, newline="") as src, open(sub_events, "w", newline="") as dst:
                header = src.readline()
                dst.write(header)
                for line in src:
                    if int(line.split(",", 1)[0]) in keep:
                        dst.write(line)
            sub_outcomes = None
            if outcomes_path is not None:
                sub_outcomes = tmp / "outcomes.csv"
                with open(outcomes_path, newline="") as src, open(sub_outcomes, "w", newline="") as dst:
                    dst.write(src.readline())
                    for line in src:
                        if int(line.split(",", 1)[0]) in keep:
                            dst.write(line)
            mot_events, mot_outcomes = sub_events, sub_outcomes
        else:
            mot_events, mot_outcomes = events_path, outcomes_path
            ours = json.loads((args.dir / "mot_conformance.json").read_text())
        if not args.no_mot:
            mot_s, fresh, cmd = run_mot(args.mot, mot_events, mot_outcomes, designed, args.mot_runs, tmp)
            result["mot"] = {
                "command": " ".join(cmd[:-1] + ["OUT.json"]),
                "runs": args.mot_runs,
                "seconds": mot_s,
                "journeys_per_s": n_journeys / mot_s,
            }
            if ours is None:
                ours = fresh
            else:
                result["mot"]["output_equals_mot_conformance_json"] = (
                    fresh["conformance"] == ours["conformance"] and fresh["variants"] == ours["variants"]
                )
        elif ours is None:
            sys.exit("--journeys needs our CLI (drop --no-mot)")

    conf = ours["conformance"]
    checks, mismatches = {}, []
    for k in ("journeys", "conforming"):
        ok = int(conf[k]) == pm[k]
        checks[k] = ok
        if not ok:
            mismatches.append({"figure": k, "ours": conf[k], "pm4py": pm[k]})
    for k in ("rate", "mean_fitness", "mean_cost"):
        ok = conf[k] is not None and close(float(conf[k]), pm[k])
        checks[k] = ok
        if not ok:
            mismatches.append({"figure": k, "ours": conf[k], "pm4py": pm[k]})
    checks["designed"] = conf.get("designed", designed) == designed
    top_ok = 0
    for v in ours["variants"]["top"]:
        p = per_variant.get(tuple(v["mots"]))
        if p is None:
            mismatches.append({"variant": v["mots"], "note": "not in pm4py's log"})
            continue
        if p[0] == v["count"] and p[1] == v["cost"] and close(p[2], float(v["fitness"])):
            top_ok += 1
        else:
            mismatches.append({"variant": v["mots"], "ours": {k: v[k] for k in ("count", "cost", "fitness")},
                               "pm4py": {"count": p[0], "cost": p[1], "fitness": p[2]}})
    checks["variants_top"] = top_ok == len(ours["variants"]["top"])
    checks["journey_fitness_is_1-c/(n+m)"] = not fit_bad
    checks["cost_is_n+m-2lcs"] = not lcs_bad
    all_ok = all(checks.values()) and not mismatches

    result["pm4py"] = {
        "call": "conformance_diagnostics_alignments(df, net, im, fm, multi_processing=False)",
        "runs": args.runs,
        "seconds": best,
        "journeys_per_s": n_journeys / best,
        "variants_per_s": len(per_variant) / best,
        "read_and_prepare_s": prep_s,
    }
    if "mot" in result:
        result["speedup_mot_vs_pm4py"] = best / result["mot"]["seconds"]
    result["comparison"] = {
        "all_match": all_ok,
        "checks": checks,
        "pm4py": pm,
        "ours": {k: conf[k] for k in ("journeys", "conforming", "rate", "mean_fitness", "mean_cost")},
        "journeys_checked": n_journeys,
        "journeys_fitness_bit_identical": fit_exact,
        "variants_top_checked": len(ours["variants"]["top"]),
        "variants_top_matching": top_ok,
        "mismatches": mismatches + fit_bad[:20] + lcs_bad[:20],
    }
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
