#!/usr/bin/env python3
"""Generate the reference fixtures in tests/real-logs/ from the two real XES logs, using pm4py.

pm4py is ONLY a fixture generator here: mot never depends on it at runtime. The
committed outputs are what the Rust/Python/JS tests compare against.

What it writes (next to this script):

  <log>.expected.json    for helpdesk.xes.gz and running-example.xes.gz:
      cases, events, activity counts, start/end activity counts, directly-follows
      edges (count desc, from, to), ALL variants (count desc, sequence),
      journey duration stats (first->last event per case, seconds; mean and
      numpy 'linear' quantiles p50/p90/p99), org:resource counts.
      Figures come from pm4py.read_xes + pm4py.discover_dfg / get_variants /
      get_start_activities / get_end_activities / get_all_case_durations, and
      are cross-checked against an independent stdlib computation that orders
      events within a case by timestamp, ties in file order.
  running-example.csv    pm4py.convert_to_dataframe(log).to_csv(index=False), rows
      re-ordered by (case id, activity name) (stable; string order), "\\n" line ends.
  helpdesk.csv           columns case:concept:name;concept:name;time:timestamp;org:resource,
      ';' delimiter, UTF-8 BOM, CRLF, timestamps as ISO text with milliseconds at
      +02:00 (e.g. 2012-10-09T16:50:17.000+02:00), rows shuffled with
      random.Random(7); events of one case with equal timestamps (ties) are put
      back in their original relative order at the positions the shuffle gave them.
  helpdesk.alignments.json
      designed = most frequent helpdesk variant; a sequential Petri net of it is
      built by hand (places p0..pn, one visible transition per activity); ALL
      variants (same order as in helpdesk.expected.json: count desc, then
      sequence) are aligned with pm4py.conformance_diagnostics_alignments
      (default costs: 10000 per log or model move, 0 per sync move); fitness and
      raw pm4py cost are written, plus deviations = cost / 10000, the pm4py
      version and the wall-clock seconds of the alignment call
      ("pm4py_seconds": informative only, ignored by --check).
  helpdesk.durations.json
      per directly-follows edge (from, to) the seconds between the two
      consecutive events of a case (events ordered by timestamp, ties in file
      order), and per case its duration (last - first event): count, mean_s and
      the exact order statistics exact_p50_s/exact_p90_s/exact_p99_s = sorted
      value at index floor(Q*(count-1)) (numpy method="lower"). Computed with
      pandas, cross-checked against the stdlib order, pm4py.discover_dfg,
      pm4py.discover_performance_dfg ("mean") and pm4py.get_all_case_durations.

Usage (from anywhere):

  python3 -m venv /work/ref-venv
  /work/ref-venv/bin/pip install pm4py==2.7.23.11 pandas==3.1.1   # (numpy 2.4.6 came with them)
  /work/ref-venv/bin/python tests/real-logs/compute_expected.py            # (re)write the files
  /work/ref-venv/bin/python tests/real-logs/compute_expected.py --check    # exit 1 if any committed
                                                                           # file differs
  --no-alignments skips helpdesk.alignments.json (writing and checking).
"""

import io
import json
import math
import os
import random
import sys
import time
import warnings
from collections import Counter
from datetime import timedelta, timezone

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pm4py  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LOGS = ["helpdesk.xes.gz", "running-example.xes.gz"]
CASE, ACT, TS, RES = "case:concept:name", "concept:name", "time:timestamp", "org:resource"
# keys whose value changes from run to run: --check compares everything else
VOLATILE = {"helpdesk.alignments.json": ("pm4py_seconds",)}
PLUS2 = timezone(timedelta(hours=2))


def log(msg):
    print(msg, file=sys.stderr)


def read(name):
    # default importer (iterparse); keeps file order, does NOT sort by timestamp
    return pm4py.read_xes(os.path.join(HERE, name), show_progress_bar=False)


def dumps(obj):
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def sorted_map(d):
    return {k: int(d[k]) for k in sorted(d)}


def cases_in_ts_order(df):
    """Independent reference: per case, events ordered by timestamp, ties in file order."""
    out = {}
    for case, act, ts, pos in zip(df[CASE], df[ACT], df[TS], range(len(df))):
        out.setdefault(case, []).append((ts, pos, act))
    return {c: [e for e in sorted(evs)] for c, evs in out.items()}


def expected(name):
    df = read(name)
    n_events = len(df)
    n_cases = int(df[CASE].nunique())

    # pm4py mutates the frame it is given (discover_dfg adds a 'start_timestamp'
    # column, attrs get set), so every call gets its own copy.
    dfg, start, end = pm4py.discover_dfg(df.copy())
    start2 = pm4py.get_start_activities(df.copy())
    end2 = pm4py.get_end_activities(df.copy())
    variants = pm4py.get_variants(df.copy())
    durations = pm4py.get_all_case_durations(df.copy())

    assert start == start2 and end == end2, "discover_dfg start/end != get_start/end_activities"
    variants = {tuple(k): (v if isinstance(v, int) else len(v)) for k, v in variants.items()}

    # ---- independent cross-check (timestamp order, ties in file order)
    ref = cases_in_ts_order(df)
    assert len(ref) == n_cases
    r_dfg, r_var, r_start, r_end, r_dur = Counter(), Counter(), Counter(), Counter(), []
    for evs in ref.values():
        seq = tuple(a for _, _, a in evs)
        r_var[seq] += 1
        r_start[seq[0]] += 1
        r_end[seq[-1]] += 1
        r_dfg.update(zip(seq, seq[1:]))
        r_dur.append((evs[-1][0] - evs[0][0]).total_seconds())
    assert dict(r_dfg) == dict(dfg), "pm4py DFG != timestamp-ordered DFG"
    assert dict(r_var) == variants, "pm4py variants != timestamp-ordered variants"
    assert dict(r_start) == start and dict(r_end) == end
    assert sorted(r_dur) == sorted(float(d) for d in durations), "case durations differ"
    assert sum(variants.values()) == n_cases and sum(dfg.values()) == n_events - n_cases

    dur = np.array(sorted(float(d) for d in durations), dtype=np.float64)
    q = lambda p: float(np.quantile(dur, p, method="linear"))  # noqa: E731

    out = {
        "log": name,
        "pm4py": pm4py.__version__,
        "cases": n_cases,
        "events": n_events,
        "activities": sorted_map(Counter(df[ACT].tolist())),
        "start": sorted_map(start),
        "end": sorted_map(end),
        "directly_follows": [
            {"from": a, "to": b, "count": int(c)}
            for (a, b), c in sorted(dfg.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1]))
        ],
        "variants": [
            {"sequence": list(s), "count": int(c)}
            for s, c in sorted(variants.items(), key=lambda kv: (-kv[1], list(kv[0])))
        ],
        "journey_duration_s": {
            "count": int(len(dur)),
            "mean": float(dur.mean()),
            "p50": q(0.50),
            "p90": q(0.90),
            "p99": q(0.99),
        },
        "resources": sorted_map(Counter(df[RES].tolist())),
    }
    return df, out


def tie_report(name, df):
    dup = df.duplicated([CASE, TS], keep=False)
    groups = df[dup].groupby([CASE, TS])
    g = int(groups.ngroups)
    differ = int((groups[ACT].nunique() > 1).sum()) if g else 0
    # file order vs timestamp order
    back = df[df.groupby(CASE, sort=False)[TS].diff() < pd.Timedelta(0)][CASE].unique().tolist()
    log(f"{name}: tied events={int(dup.sum())} groups={g} cases={df[dup][CASE].nunique()} "
        f"groups-with-different-activities={differ}; cases whose file order disagrees with "
        f"timestamp order: {len(back)} {back[:20]}")


def running_example_csv(df):
    df = pm4py.convert_to_dataframe(df.copy())
    cases, acts = df[CASE].tolist(), df[ACT].tolist()
    order = sorted(range(len(df)), key=lambda i: (cases[i], acts[i]))  # stable
    return df.iloc[order].to_csv(index=False, lineterminator="\n").encode("utf-8")


def helpdesk_csv(df):
    df = pm4py.convert_to_dataframe(df.copy())[[CASE, ACT, TS, RES]].reset_index(drop=True)
    n = len(df)
    perm = list(range(n))
    random.Random(7).shuffle(perm)  # perm[position] = original row
    # ties: same case, equal timestamp -> restore original relative order in the slots they got
    pos_of = {orig: p for p, orig in enumerate(perm)}
    groups = {}
    for i, key in enumerate(zip(df[CASE], df[TS])):
        groups.setdefault(key, []).append(i)
    for members in groups.values():
        if len(members) > 1:
            slots = sorted(pos_of[m] for m in members)
            for slot, m in zip(slots, sorted(members)):
                perm[slot] = m
    out = df.iloc[perm].copy()
    local = out[TS].dt.tz_convert(PLUS2)
    out[TS] = local.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3] + "+02:00"
    text = out.to_csv(index=False, sep=";", lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def lcs(a, b):
    """Length of the longest common subsequence (plain dynamic programming)."""
    row = [0] * (len(b) + 1)
    for x in a:
        prev_diag, row = 0, row[:]
        for j, y in enumerate(b):
            prev_diag, row[j + 1] = row[j + 1], (prev_diag + 1 if x == y else max(row[j + 1], row[j]))
    return row[-1]


def alignments(helpdesk_expected):
    from pm4py.objects.log.obj import Event, EventLog, Trace
    from pm4py.objects.petri_net.obj import Marking, PetriNet
    from pm4py.objects.petri_net.utils.petri_utils import add_arc_from_to

    designed = helpdesk_expected["variants"][0]["sequence"]
    net = PetriNet("designed")
    places = [PetriNet.Place(f"p{i}") for i in range(len(designed) + 1)]
    for p in places:
        net.places.add(p)
    for i, a in enumerate(designed):
        t = PetriNet.Transition(f"t{i + 1}", a)
        net.transitions.add(t)
        add_arc_from_to(places[i], t, net)
        add_arc_from_to(t, places[i + 1], net)
    im, fm = Marking({places[0]: 1}), Marking({places[-1]: 1})

    top = helpdesk_expected["variants"]  # all of them, count desc then sequence
    keys = [(-v["count"], v["sequence"]) for v in top]
    assert keys == sorted(keys) and len({tuple(v["sequence"]) for v in top}) == len(top)
    el = EventLog()
    base = pd.Timestamp("2000-01-01T00:00:00Z").to_pydatetime()
    for k, v in enumerate(top):
        tr = Trace(attributes={"concept:name": f"v{k + 1:04d}"})
        for j, a in enumerate(v["sequence"]):
            tr.append(Event({ACT: a, TS: base + timedelta(seconds=j)}))
        el.append(tr)
    t0 = time.perf_counter()
    res = pm4py.conformance_diagnostics_alignments(el, net, im, fm, multi_processing=False)
    elapsed = time.perf_counter() - t0
    assert len(res) == len(top)
    out_vars = []
    for v, r in zip(top, res):
        cost = int(r["cost"])
        assert cost % 10000 == 0, r
        bwc = 10000 * (len(designed) + len(v["sequence"]))
        assert abs(r["fitness"] - (1 - cost / bwc)) < 1e-12, (r["fitness"], cost, bwc)
        # unit-cost alignment against a sequence = n + m - 2*LCS (mot's definition)
        assert cost // 10000 == len(designed) + len(v["sequence"]) - 2 * lcs(v["sequence"], designed)
        out_vars.append({"sequence": v["sequence"], "count": v["count"],
                         "fitness": float(r["fitness"]), "cost": cost,
                         "deviations": cost // 10000})
    log(f"alignments: {len(top)} variants aligned in {elapsed:.3f} s")
    return {"designed": designed, "pm4py_version": pm4py.__version__,
            "pm4py_seconds": round(elapsed, 3), "variants": out_vars}


def exact_stats(values):
    """count, mean and the order statistics at index floor(Q*(count-1)) of the sorted values."""
    v = sorted(float(x) for x in values)
    n = len(v)
    assert n > 0
    idx = {q: (n - 1) * q // 100 for q in (50, 90, 99)}  # exact integer floor
    arr = np.array(v, dtype=np.float64)
    for q, i in idx.items():  # numpy's "lower" method picks the same element
        assert float(np.quantile(arr, q / 100, method="lower")) == v[i], (q, n)
    return {
        "count": n,
        "mean_s": math.fsum(v) / n,
        "exact_p50_s": v[idx[50]],
        "exact_p90_s": v[idx[90]],
        "exact_p99_s": v[idx[99]],
    }


def durations(df):
    """Edge and journey durations of a log, in seconds, events ordered by timestamp, ties in file order."""
    d = df[[CASE, ACT, TS]].copy()
    d["_pos"] = range(len(d))
    d = d.sort_values([CASE, TS, "_pos"], kind="stable")
    same_case = d[CASE].eq(d[CASE].shift(-1))
    gaps = (d[TS].shift(-1) - d[TS]).dt.total_seconds()
    edges = pd.DataFrame({"from": d[ACT], "to": d[ACT].shift(-1), "s": gaps})[same_case]
    per_edge = {(a, b): g["s"].tolist() for (a, b), g in edges.groupby(["from", "to"], sort=False)}
    span = d.groupby(CASE, sort=False)[TS].agg(["min", "max"])
    case_s = (span["max"] - span["min"]).dt.total_seconds().tolist()

    # ---- independent order (stdlib): same multisets per edge and per case
    r_edge, r_case = {}, []
    for evs in cases_in_ts_order(df).values():
        for (t0, _, a), (t1, _, b) in zip(evs, evs[1:]):
            r_edge.setdefault((a, b), []).append((t1 - t0).total_seconds())
        r_case.append((evs[-1][0] - evs[0][0]).total_seconds())
    assert set(r_edge) == set(per_edge), "edge sets differ (pandas vs stdlib order)"
    for k, vals in per_edge.items():
        assert sorted(vals) == sorted(r_edge[k]), f"edge {k}: durations differ (pandas vs stdlib)"
    assert sorted(case_s) == sorted(r_case), "case durations differ (pandas vs stdlib)"

    # ---- pm4py: frequency DFG (count), performance DFG (mean, sum, min, max, median), case durations
    freq, _, _ = pm4py.discover_dfg(df.copy())
    perf, _, _ = pm4py.discover_performance_dfg(df.copy())
    assert set(freq) == set(per_edge) == set(perf), "edge sets differ (pm4py)"
    rel = lambda a, b: abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))  # noqa: E731
    out_edges = []
    for (a, b), vals in per_edge.items():
        st = exact_stats(vals)
        p = perf[(a, b)]
        assert st["count"] == int(freq[(a, b)]), (a, b, st["count"], freq[(a, b)])
        assert rel(st["mean_s"], float(p["mean"])), (a, b, st["mean_s"], p["mean"])
        assert rel(math.fsum(vals), float(p["sum"])), (a, b)
        assert min(vals) == float(p["min"]) and max(vals) == float(p["max"]), (a, b)
        assert rel(float(np.median(vals)), float(p["median"])), (a, b)
        out_edges.append({"from": a, "to": b, **st})
    out_edges.sort(key=lambda e: (-e["count"], e["from"], e["to"]))

    pm_case = sorted(float(x) for x in pm4py.get_all_case_durations(df.copy()))
    assert pm_case == sorted(case_s), "case durations differ (pm4py.get_all_case_durations)"
    journey = exact_stats(case_s)
    assert rel(journey["mean_s"], float(np.mean(pm_case)))
    log(f"durations: {len(out_edges)} edges, {sum(e['count'] for e in out_edges)} gaps, "
        f"{journey['count']} cases; pm4py count/mean/sum/min/max/median agree")
    return {
        "log": "helpdesk.xes.gz",
        "pm4py": pm4py.__version__,
        "order": "per case by timestamp, ties in file order",
        "quantiles": "exact_pQ_s = sorted value at index floor(Q*(count-1)) (numpy method='lower')",
        "edges": out_edges,
        "journey": journey,
    }


def main(argv):
    check = "--check" in argv
    files = {}
    frames = {}
    exp = {}
    for name in LOGS:
        df, out = expected(name)
        frames[name], exp[name] = df, out
        tie_report(name, df)
        base = name[: -len(".xes.gz")]
        files[f"{base}.expected.json"] = dumps(out)
    files["running-example.csv"] = running_example_csv(frames["running-example.xes.gz"])
    files["helpdesk.csv"] = helpdesk_csv(frames["helpdesk.xes.gz"])
    files["helpdesk.durations.json"] = dumps(durations(frames["helpdesk.xes.gz"]))
    if "--no-alignments" not in argv:
        files["helpdesk.alignments.json"] = dumps(alignments(exp["helpdesk.xes.gz"]))

    bad = 0
    for fname, data in files.items():
        path = os.path.join(HERE, fname)
        if check:
            try:
                with open(path, "rb") as f:
                    old = f.read()
            except FileNotFoundError:
                old = None
            if old is not None and fname in VOLATILE:
                # take the committed value of each volatile key (timings), compare the rest
                try:
                    old_obj, new_obj = json.loads(old), json.loads(data)
                    for k in VOLATILE[fname]:
                        if k in old_obj and k in new_obj:
                            new_obj[k] = old_obj[k]
                    data = dumps(new_obj)
                except ValueError:
                    pass
            same = old == data
            if not same:
                bad += 1
                log(f"DIFFERS: {fname}")
            else:
                log(f"ok: {fname}")
        else:
            with open(path, "wb") as f:
                f.write(data)
            log(f"wrote {fname} ({len(data)} bytes)")
    if bad:
        log(f"{bad} file(s) differ; regenerate with compute_expected.py (same pm4py/pandas versions)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
