#!/usr/bin/env python3
"""Independent computation of the expected CUSUM alarms (DOMAIN 3d).

Stand-alone, standard library only. It does NOT import, call or build the
library. The detector itself (design, exact in-control ARL, run) is the one
of `tests/dashboard/compute_expected.py`, imported as a module, so that the
fixtures hold one implementation of it: its threshold comes from the
integer Markov chain solved by banded Gaussian elimination (floats, then
60-digit decimals), where the library shoots from the top.

What this script adds: reading a case (experience, configuration, log), the
order in which one ingest feeds the detectors (timestamp order, ties in file
row order, across journeys; rejected rows and unknown successes never reach
a detector), the alarms in firing order, and checks that each case
exercises what README.md claims. Some of those checks re-run the log under
a wrong rule (file order, journey by journey, a tie the other way, an
unknown success read as a failure or a success, no restart, a restart that
keeps the overshoot) and assert that the answer would change.

Usage (from anywhere):

    python3 tests/alarms/compute_expected.py          # rewrite expected.json files
    python3 tests/alarms/compute_expected.py --check  # exit 1 if any differs
"""

import csv
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

_spec = importlib.util.spec_from_file_location("dashboard_reference", HERE.parent / "dashboard" / "compute_expected.py")
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)
xm = ref.xm  # the independent experience model

HEADER = ["journey_id", "mot_id", "timestamp", "success"]
CONFIG_KEYS = {"odds_ratio", "arl0"}


# ---------------------------------------------------------------------------
# Reading a case.
# ---------------------------------------------------------------------------


def read_case(folder):
    config = json.loads((folder / "config.json").read_text())
    assert set(config) == CONFIG_KEYS, f"{folder}: config.json holds exactly {sorted(CONFIG_KEYS)}"
    odds_ratio, arl0 = float(config["odds_ratio"]), float(config["arl0"])
    assert odds_ratio > 1.0 and 1.0 <= arl0 <= 1e12, config
    doc = xm.load(folder / "experience.json")
    assert xm.validate(doc) == [], f"{folder}: the experience must be valid"
    text = (folder / "events.csv").read_text(encoding="utf-8")
    assert '"' not in text, "no quoting allowed"
    lines = list(csv.reader(text.splitlines()))
    assert lines[0] == HEADER, f"{folder}: header must be {','.join(HEADER)}"
    rows = []
    for i, r in enumerate(lines[1:]):
        assert len(r) == len(HEADER), f"{folder}: row {i + 1} does not fit the header"
        journey, mot, ts, ok = r
        assert ok in ("true", "false", ""), f"{folder}: row {i + 1}: success {ok!r}"
        rows.append(
            {
                "row": i,
                "journey": journey or None,
                "mot": mot or None,
                "timestamp": int(ts) if ts != "" else None,
                "success": None if ok == "" else ok == "true",
            }
        )
    return {"odds_ratio": odds_ratio, "arl0": arl0, "doc": doc, "rows": rows}


def accepted_rows(case):
    """The rows the tracker accepts: a journey, an MOT of the experience, a
    timestamp in range. (A row with an empty success is rejected as
    `missing-success` by a tracker that requires it, or kept as an unknown
    success by one that does not: either way no detector sees it, so it is
    kept here and skipped by the run.)"""
    known = {m["id"] for m in case["doc"]["mots"]}
    out = []
    for r in case["rows"]:
        if r["journey"] is None or r["mot"] not in known:
            continue
        if r["timestamp"] is None or not (ref.MIN_TS <= r["timestamp"] < ref.MAX_TS):
            continue
        out.append(r)
    return out


# ---------------------------------------------------------------------------
# The expected alarms.
# ---------------------------------------------------------------------------


def designs(case, near):
    """The detector of every MOT with a target in (0, 1), in document order."""
    out = {}
    for m in case["doc"]["mots"]:
        target = xm.num(m["smoto"].get("target_rate"))
        d = ref.cusum_design(target, case["odds_ratio"], case["arl0"], near, f"{m['id']} detector")
        if d is not None:
            out[m["id"]] = d
    return out


def run_all(dets, ordered):
    """Every detector over one ordered stream of (timestamp, row, MOT,
    success). Returns the alarms in firing order, each (MOT, timestamp,
    integer statistic), and the final integer statistics."""
    s = {m: 0 for m in dets}
    alarms = []
    for ts, _, mot, ok in ordered:
        d = dets.get(mot)
        if d is None or ok is None:
            continue
        s[mot] = max(0, s[mot] - d["down"]) if ok else s[mot] + d["up"]
        if s[mot] >= d["threshold"]:
            alarms.append((mot, ts, s[mot]))
            s[mot] = 0
    return alarms, s


def compute(case):
    near = []
    dets = designs(case, near)
    assert not near, "the case sits on a threshold:\n  " + "\n  ".join(near)
    ordered = ref.cusum_order([(r["timestamp"], r["row"], r["mot"], r["success"]) for r in accepted_rows(case)])
    alarms, final = run_all(dets, ordered)
    # The same figures, MOT by MOT, from the dashboard reference's run.
    for mot, d in dets.items():
        s_end, fired = ref.cusum_run(d, [(ts, ok) for ts, _, m, ok in ordered if m == mot])
        assert s_end == final[mot] and fired == [(ts, x) for m, ts, x in alarms if m == mot]
    expected = {
        "detectors": {
            mot: {
                "p0": d["p0"],
                "p1": d["p1"],
                "up": d["up"],
                "down": d["down"],
                "scale": d["scale"],
                "threshold": d["threshold"],
                "h": d["h"],
                "arl": d["arl"],
            }
            for mot, d in dets.items()
        },
        "alarms": [
            {
                "mot": mot,
                "timestamp": ts,
                "statistic": x / dets[mot]["scale"],
                "h": dets[mot]["h"],
                "p0": dets[mot]["p0"],
                "p1": dets[mot]["p1"],
            }
            for mot, ts, x in alarms
        ],
        "final": {
            mot: {
                "statistic": final[mot] / d["scale"],
                "alarms": sum(1 for m, _, _ in alarms if m == mot),
                "last_alarm_at": next((ts for m, ts, _ in reversed(alarms) if m == mot), None),
            }
            for mot, d in dets.items()
        },
    }
    return expected, {"dets": dets, "ordered": ordered, "alarms": alarms, "final": final}


# ---------------------------------------------------------------------------
# Wrong rules, for the checks: each must change the answer somewhere.
# ---------------------------------------------------------------------------


def variant(case, dets, order="time", unknown=None, restart="zero", flip_ties=False):
    """The alarms under another rule. order: "time" (the contract), "file",
    or "journey" (journeys by first appearance, each in time order).
    unknown: None (skipped), True or False (read as a success or failure).
    restart: "zero" (the contract), "carry" (s − H), "none" (no restart).
    flip_ties: ties in reverse file order."""
    rows = accepted_rows(case)
    if order == "time":
        sign = -1 if flip_ties else 1
        rows = sorted(rows, key=lambda r: (r["timestamp"], sign * r["row"]))
    elif order == "journey":
        first = {}
        for r in rows:
            first.setdefault(r["journey"], r["row"])
        rows = sorted(rows, key=lambda r: (first[r["journey"]], r["timestamp"], r["row"]))
    s = {m: 0 for m in dets}
    out = []
    for r in rows:
        d = dets.get(r["mot"])
        ok = r["success"] if r["success"] is not None else unknown
        if d is None or ok is None:
            continue
        m = r["mot"]
        s[m] = max(0, s[m] - d["down"]) if ok else s[m] + d["up"]
        if s[m] >= d["threshold"]:
            out.append((m, r["timestamp"], s[m]))
            if restart == "zero":
                s[m] = 0
            elif restart == "carry":
                s[m] -= d["threshold"]
    return out


def by_mot(alarms, mot):
    return [(ts, x) for m, ts, x in alarms if m == mot]


# ---------------------------------------------------------------------------
# Fixture checks: each case must exercise what README.md claims.
# ---------------------------------------------------------------------------

SHIFT_TIME = 1_772_499_600  # 2026-03-03 01:00 UTC: the checkout starts failing at 20%


def check_planted_shift(case, exp, st):
    assert case["arl0"] == 200.0 and case["odds_ratio"] == 2.0
    assert set(exp["detectors"]) == {"search", "checkout"}, "help has no target, so no detector"
    ck = by_mot(st["alarms"], "checkout")
    assert ck and all(ts > SHIFT_TIME for ts, _ in ck), "the checkout must alarm, only after the shift"
    assert by_mot(st["alarms"], "search") == [], "the in-control search must not alarm"
    rows = [r for r in accepted_rows(case) if r["mot"] == "checkout"]
    before = [r["success"] for r in rows if r["timestamp"] < SHIFT_TIME]
    after = [r["success"] for r in rows if r["timestamp"] >= SHIFT_TIME]
    assert before.count(False) / len(before) < 0.15 < after.count(False) / len(after)
    assert all(r["success"] is not None for r in case["rows"])
    assert len(case["rows"]) <= 600


def check_unordered_and_unknown(case, exp, st):
    dets = st["dets"]
    rows = case["rows"]
    ts = [r["timestamp"] for r in rows]
    assert any(a > b for a, b in zip(ts, ts[1:])), "the file is in time order"
    # Journeys interleave in the file.
    seen, current, grouped = set(), None, True
    for r in rows:
        if r["journey"] != current:
            grouped = grouped and r["journey"] not in seen
            seen.add(r["journey"])
            current = r["journey"]
    assert not grouped, "the file is grouped by journey"
    assert any(r["success"] is None and r["mot"] in dets for r in rows), "no unknown success"
    # The callback's failure weight is the smaller one: up = k < down.
    cb = dets["callback"]
    assert cb["w_fail"] <= cb["w_success"] and cb["up"] == cb["k"] < cb["down"]
    tri = dets["triage"]
    assert tri["w_fail"] > tri["w_success"] and tri["down"] == tri["k"] < tri["up"]
    # Two alarms of triage in a row: no success between them.
    fired = by_mot(st["alarms"], "triage")
    tri_rows = sorted((r for r in rows if r["mot"] == "triage"), key=lambda r: (r["timestamp"], r["row"]))
    assert any(
        not any(r["success"] for r in tri_rows if a[0] < r["timestamp"] < b[0]) for a, b in zip(fired, fired[1:])
    ), "no two alarms in a row"
    # A tie between two triage rows of different journeys.
    ties = [
        (a, b)
        for a in tri_rows
        for b in tri_rows
        if a["row"] < b["row"] and a["timestamp"] == b["timestamp"] and a["journey"] != b["journey"]
    ]
    assert ties, "no timestamp tie across journeys"
    # Every wrong rule changes the alarms.
    right = st["alarms"]
    assert right == variant(case, dets)
    for kwargs in (
        {"flip_ties": True},
        {"order": "file"},
        {"order": "journey"},
        {"unknown": True},
        {"unknown": False},
        {"restart": "carry"},
        {"restart": "none"},
    ):
        assert by_mot(variant(case, dets, **kwargs), "triage") != by_mot(right, "triage"), kwargs
    assert len(rows) <= 600


def check_high_target(case, exp, st):
    assert case["odds_ratio"] == 3.0 and case["arl0"] == 500.0
    d = st["dets"]["boarding"]
    assert xm.num(next(m for m in case["doc"]["mots"] if m["id"] == "boarding")["smoto"]["target_rate"]) == 0.99
    assert d["up"] >= 50 * d["down"], "up ≫ down"
    fired = by_mot(st["alarms"], "boarding")
    # An alarm exactly on the threshold (≥, not >), and a near miss.
    assert any(x == d["threshold"] for _, x in fired), "no alarm exactly at H"
    assert any(x > d["threshold"] for _, x in fired)
    right = st["alarms"]
    for kwargs in ({"restart": "carry"}, {"restart": "none"}):
        assert by_mot(variant(case, st["dets"], **kwargs), "boarding") != fired, kwargs
    assert right == variant(case, st["dets"])
    assert all(r["success"] is not None for r in case["rows"])
    assert len(case["rows"]) <= 600


CASES = {
    "planted-shift": check_planted_shift,
    "unordered-and-unknown": check_unordered_and_unknown,
    "high-target": check_high_target,
}


def main():
    check = "--check" in sys.argv[1:]
    texts = {}
    for name, check_case in CASES.items():
        case = read_case(HERE / name)
        exp, st = compute(case)
        check_case(case, exp, st)
        texts[name] = json.dumps(exp, indent=2, ensure_ascii=False) + "\n"
    stale = []
    for name, text in texts.items():
        path = HERE / name / "expected.json"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(HERE)}")
    if stale:
        sys.exit(f"expected.json out of date for: {', '.join(stale)}")


if __name__ == "__main__":
    main()
