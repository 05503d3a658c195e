#!/usr/bin/env python3
"""Independent computation of the expected before/after comparisons
(`mot.comparison/1`, DOMAIN §3e).

Each case names a log of `tests/dashboard/` and two windows. The log is read
by that folder's independent reference (`tests/dashboard/compute_expected.py`,
imported as a module: same rows accepted, same journeys, same designed
journey). Then, straight from the documented rules and **without periods**:

- an interaction counts in the window that holds its timestamp
  (`from <= t < to`): per MOT, its interactions and successes (SMOTO);
- a closed journey counts in the window of its first interaction: those with
  a known outcome and those that produced the SCO (SCO rate); every closed
  journey and those whose sequence is exactly the designed journey
  (conformance rate; `null` without a design);
- the difference `after - before`, the Newcombe hybrid-score interval
  (Newcombe 1998, method 10) from two Wilson intervals at
  z = NormalDist().inv_cdf(1 - alpha/2), and the always-valid mSPRT interval
  theta +- sqrt(V(V+tau2)/tau2 * (ln((V+tau2)/V) + 2 ln(1/alpha))).

The library reads the same figures from per-period series, so the windows'
ends must be period boundaries there; here the timestamps are compared
directly, which makes the check independent of that bookkeeping.

Usage:

    python3 tests/comparison/compute_expected.py          # rewrite expected.json
    python3 tests/comparison/compute_expected.py --check  # exit 1 if any differs
"""

import importlib.util
import json
import math
import sys
from datetime import datetime, timezone
from pathlib import Path
from statistics import NormalDist

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_spec = importlib.util.spec_from_file_location("dashboard_reference", ROOT / "dashboard" / "compute_expected.py")
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

FORMAT = "mot.comparison/1"
DEFAULT_ALPHA = 0.05
DEFAULT_TAU2 = 0.0025


def instant(text):
    """A date (midnight UTC) or an RFC 3339 timestamp, in seconds."""
    text = text.strip()
    if len(text) == 10:
        text += "T00:00:00Z"
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert dt.tzinfo is not None
    seconds = dt.timestamp()
    assert seconds == int(seconds)
    return int(seconds)


def window(text):
    a, b = text.split("..")
    w = {"from": instant(a), "to": instant(b)}
    assert w["from"] < w["to"]
    return w


def period_name(windows):
    """The tracker period the library needs for these windows (for the
    `period` field): a day when every end is a midnight, else the gcd of the
    ends' times of day, in seconds."""
    g = 86_400
    for w in windows:
        for t in (w["from"], w["to"]):
            g = math.gcd(g, t % 86_400)
    return "day" if g == 86_400 else f"{g}s"


def wilson(s, n, z):
    p = s / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z / d * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(c - h, 0.0), min(c + h, 1.0)


def change(before, after, alpha, tau2):
    """`before`, `after`: (successes, n)."""

    def counts(sn):
        s, n = sn
        return {"n": n, "successes": s, "rate": s / n if n else None}

    b, a = counts(before), counts(after)
    out = {
        "before": b,
        "after": a,
        "difference": None,
        "ci_low": None,
        "ci_high": None,
        "always_valid_low": None,
        "always_valid_high": None,
        "verdict": None,
    }
    if b["rate"] is None or a["rate"] is None:
        return out
    pa, pb = b["rate"], a["rate"]  # a: before, b: after, as in the paper's δ = p_b − p_a
    d = pb - pa
    out["difference"] = d
    z = NormalDist().inv_cdf(1 - alpha / 2)
    la, ua = wilson(before[0], before[1], z)
    lb, ub = wilson(after[0], after[1], z)
    low = d - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2)
    high = d + math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)
    out["ci_low"], out["ci_high"] = low, high
    out["verdict"] = "improved" if low > 0 else "worsened" if high < 0 else "no-clear-change"
    v = pa * (1 - pa) / before[1] + pb * (1 - pb) / after[1]
    if v > 0:
        half = math.sqrt(v * (v + tau2) / tau2 * (math.log((v + tau2) / v) + 2 * math.log(1 / alpha)))
        out["always_valid_low"], out["always_valid_high"] = d - half, d + half
    return out


def compute(name):
    config = json.loads((HERE / name / "config.json").read_text())
    assert set(config) <= {"log", "before", "after", "alpha", "tau2"}
    folder = ROOT / "dashboard" / config["log"]
    case = ref.read_case(folder)
    state = ref.ingest(case)
    before, after = window(config["before"]), window(config["after"])
    assert before["to"] <= after["from"] or after["to"] <= before["from"], "windows overlap"
    alpha = float(config.get("alpha", DEFAULT_ALPHA))
    tau2 = float(config.get("tau2", DEFAULT_TAU2))
    doc = case["doc"]
    model = ref.xm.Model(doc) if doc else None
    design = ref.designed_journey(case, state, model) or None

    def inside(w, t):
        return w["from"] <= t < w["to"]

    # Interactions by their own time.
    per_mot = {}
    for ts, _, mot, ok in state.accepted:
        for k, w in ((0, before), (1, after)):
            if inside(w, ts):
                c = per_mot.setdefault(mot, [[0, 0], [0, 0]])
                c[k][0] += int(ok)
                c[k][1] += 1
    # Journeys by their first interaction.
    sco = [[0, 0], [0, 0]]
    conf = [[0, 0], [0, 0]]
    for j in state.closed:
        first = j["times"][0]
        for k, w in ((0, before), (1, after)):
            if not inside(w, first):
                continue
            if j["cls"] != 2:
                sco[k][0] += int(j["cls"] == 0)
                sco[k][1] += 1
            if design is not None:
                conf[k][0] += int(list(j["seq"]) == list(design))
                conf[k][1] += 1

    # MOTs: the experience's, in its order, then any other MOT with an
    # interaction whose success is known, by id.
    doc_ids = [m["id"] for m in doc["mots"]] if doc else []
    others = sorted(m for m in state.mot_ids if m not in doc_ids and state.mots[m]["n"] > 0)
    mot_doc = {m["id"]: m for m in doc["mots"]} if doc else {}
    mots = []
    for mid in doc_ids + others:
        c = per_mot.get(mid, [[0, 0], [0, 0]])
        m = mot_doc.get(mid)
        mots.append(
            {
                "id": mid,
                "name": m["name"] if m else None,
                "owner": m.get("manager") if m else None,
                **change(tuple(c[0]), tuple(c[1]), alpha, tau2),
            }
        )
    return {
        "format": FORMAT,
        "experience": {
            "id": doc["id"],
            "name": doc["name"],
            "version": doc.get("version"),
            "segment": doc["segment"],
        }
        if doc
        else None,
        "period": period_name([before, after]),
        "before": before,
        "after": after,
        "alpha": alpha,
        "tau2": tau2,
        "sco": change(tuple(sco[0]), tuple(sco[1]), alpha, tau2),
        "conformance": change(tuple(conf[0]), tuple(conf[1]), alpha, tau2) if design is not None else None,
        "mots": mots,
    }


CASES = sorted(p.name for p in HERE.iterdir() if (p / "config.json").exists())


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    texts = {name: json.dumps(compute(name), indent=2, ensure_ascii=False) + "\n" for name in CASES}
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
