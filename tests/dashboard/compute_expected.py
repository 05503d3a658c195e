#!/usr/bin/env python3
"""Independent computation of the expected dashboards (`mot.dashboard/1`).

This script re-implements, in plain Python (standard library only), the rules
that `mot-core` documents for reading an interaction log (columnar ingest:
grouping by journey, ordering, rejected rows by reason, outcomes) and for
building the dashboard (SMOTO and SCO rates with Wilson intervals, lift,
exact Markov removal effects, trends and p-charts, alerts, alignment, the
five dimensions, types, ownership, producers, directly-follows, variants).
It does NOT import, call or build the library: its answers are an
independent check of the library's.

The removal effects are solved in exact rational arithmetic
(`fractions.Fraction`) straight from their definition: P(SCO) of the
absorbing chain, and P(SCO) again with MOT i turned into a no-SCO sink,
one linear system per MOT; RE(i) = 1 - P_i / P. The library uses a closed
form (Sherman-Morrison on one LU factorisation), so this is a real check.

The landscape cost roll-up (`dimensions.landscape_cost`) comes from the
independent model in `tests/experience/compute_expected.py`.

Usage (from anywhere):

    python3 tests/dashboard/compute_expected.py          # rewrite expected.json files
    python3 tests/dashboard/compute_expected.py --check  # exit 1 if any differs

Each case folder holds its inputs and `expected.json`; see README.md.
"""

import csv
import importlib.util
import json
import math
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The independent experience model (validation, designed journey, cost roll-up).
_spec = importlib.util.spec_from_file_location(
    "experience_model", HERE.parent / "experience" / "compute_expected.py"
)
xm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(xm)
Sum = xm.Sum  # Neumaier running sum, as the library documents

# ---------------------------------------------------------------------------
# Constants of the contract.
# ---------------------------------------------------------------------------

FORMAT = "mot.dashboard/1"
Z95 = 1.959963984540054
DAY = 86_400
MIN_TS = -2_208_988_800  # 1900-01-01T00:00:00Z, accepted
MAX_TS = 7_258_118_400  # 2200-01-01T00:00:00Z, not accepted

# Every reject reason, in the order reports list them.
REASONS = [
    "missing-journey",
    "missing-mot",
    "unknown-mot",
    "missing-timestamp",
    "invalid-timestamp",
    "timestamp-out-of-range",
    "missing-success",
    "invalid-success",
    "invalid-cost",
    "non-finite-cost",
    "negative-cost",
    "invalid-value",
    "non-finite-value",
    "after-close",
    "missing-outcome",
    "duplicate-outcome",
    "outcome-without-interactions",
    "malformed-row",
]

# Interaction types in the order the dashboard lists them (unknown type first).
TYPE_ORDER = [None, "PP", "PS", "SP", "SS", "PO", "OP"]

DEFAULT_RULE = {
    "default_target": 0.9,
    "min_interactions": 30,
    "min_lift": 0.02,
    "min_removal_effect": 0.05,
    "harm_margin": 0.05,
}

# Decimals of the percentages in an alert's message (`{:.2}` in build()).
MESSAGE_DECIMALS = 2

# Comparisons closer than this to a threshold are refused: the fixture must
# not depend on the last bits of a float.
MARGIN = 1e-9


# ---------------------------------------------------------------------------
# Periods.
# ---------------------------------------------------------------------------


class Period:
    """A UTC day, an ISO week (Monday 00:00 UTC), or a width in seconds."""

    def __init__(self, text):
        t = text.strip().lower()
        if t == "day":
            self.kind, self.width, self.offset = "day", DAY, 0
        elif t == "week":
            self.kind, self.width, self.offset = "week", 7 * DAY, 3 * DAY
        elif t.endswith("s") and t[:-1].isdigit() and int(t[:-1]) > 0:
            w = int(t[:-1])
            if w == DAY:  # a width of one day is the day period
                self.kind, self.width, self.offset = "day", DAY, 0
            else:
                self.kind, self.width, self.offset = "seconds", w, 0
        else:
            raise ValueError(f"period {text!r}: use day, week or <n>s")

    def name(self):
        return {"day": "day", "week": "week"}.get(self.kind, f"{self.width}s")

    def index(self, seconds):
        # Python's // is floor division, like div_euclid for a positive width.
        return (seconds + self.offset) // self.width

    def start_of(self, index):
        return index * self.width - self.offset


# ---------------------------------------------------------------------------
# Statistics (plain floats, the same formulas the library documents).
# ---------------------------------------------------------------------------


def rate(s, n):
    return s / n if n > 0 else None


def wilson(s, n, z=Z95):
    """Wilson score interval: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)."""
    if n == 0:
        return None, None
    n = float(n)
    p = s / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z / denom * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
    return max(centre - half, 0.0), min(centre + half, 1.0)


def fsum_seq(xs):
    """Left-to-right float sum (no compensation), like iterating `+`."""
    t = 0.0
    for x in xs:
        t += x
    return t


def ols_slope(points):
    """Least-squares slope of y on x, on centred values; None with < 2 distinct x."""
    if len(points) < 2:
        return None
    n = float(len(points))
    mx = fsum_seq(p[0] for p in points) / n
    my = fsum_seq(p[1] for p in points) / n
    sxy = sxx = 0.0
    for x, y in points:
        sxy += (x - mx) * (y - my)
        sxx += (x - mx) * (x - mx)
    return sxy / sxx if sxx > 0.0 else None


def p_chart_limits(p_bar, n):
    """p̄ ± 3·√(p̄(1−p̄)/n), clipped to [0, 1]."""
    sigma = math.sqrt(p_bar * (1.0 - p_bar) / n)
    return max(p_bar - 3.0 * sigma, 0.0), min(p_bar + 3.0 * sigma, 1.0)


def roi(ret, cost):
    if not cost > 0.0:
        return None
    r = (ret - cost) / cost
    return r if math.isfinite(r) else None


# ---------------------------------------------------------------------------
# Reading a case.
# ---------------------------------------------------------------------------


def read_csv(path, types):
    """Rows as dicts; an empty field is None. `types` maps column -> parser."""
    with open(path, newline="", encoding="utf-8") as f:
        text = f.read()
    assert '"' not in text, f"{path}: no quoting allowed"
    rows = list(csv.reader(text.splitlines()))
    header, body = rows[0], rows[1:]
    assert set(header) <= set(types), f"{path}: unknown columns {set(header) - set(types)}"
    out = []
    for r in body:
        assert len(r) == len(header), f"{path}: row {r} does not fit the header"
        out.append({h: (types[h](v) if v != "" else None) for h, v in zip(header, r)})
    return header, out


def flag(v):
    assert v in ("true", "false"), f"flag {v!r} must be true or false"
    return v == "true"


def number(v):
    x = float(v)
    assert math.isfinite(x), "the fixtures only hold finite numbers"
    return x


EVENT_TYPES = {
    "journey_id": str,
    "mot_id": str,
    "timestamp": int,
    "success": flag,
    "cost": number,
    "value": number,
    "producer": str,
}
OUTCOME_TYPES = {"journey_id": str, "sco": flag, "value": number}


def read_case(folder):
    config = json.loads((folder / "config.json").read_text())
    assert set(config) <= {"period", "options"}, f"{folder}: unknown config keys"
    options = config.get("options", {})
    assert set(options) <= {"alignment", "top_variants", "alert_min_interactions"}
    rule = dict(DEFAULT_RULE)
    for k, v in options.get("alignment", {}).items():
        assert k in DEFAULT_RULE, f"unknown alignment field {k}"
        rule[k] = v
    rule = {k: (int(v) if k == "min_interactions" else float(v)) for k, v in rule.items()}
    ev_header, events = read_csv(folder / "events.csv", EVENT_TYPES)
    assert ev_header[:5] == ["journey_id", "mot_id", "timestamp", "success", "cost"]
    outcomes, out_header = None, None
    if (folder / "outcomes.csv").exists():
        out_header, outcomes = read_csv(folder / "outcomes.csv", OUTCOME_TYPES)
        assert out_header[:2] == ["journey_id", "sco"]
    doc = None
    if (folder / "experience.json").exists():
        doc = xm.load(folder / "experience.json")
    return {
        "period": Period(config.get("period", "day")),
        "rule": rule,
        "top_variants": int(options.get("top_variants", 10)),
        "alert_min_interactions": int(options.get("alert_min_interactions", 10)),
        "events": events,
        "event_columns": ev_header,
        "outcomes": outcomes,
        "doc": doc,
    }


# ---------------------------------------------------------------------------
# Ingest: one columnar call with every row and every outcome.
# ---------------------------------------------------------------------------


def new_mot_stats():
    return {
        "n": 0,
        "s": 0,
        "cost": Sum(),
        "cost_rows": 0,
        "value": Sum(),
        "value_rows": 0,
        "journeys": 0,
        "ok_known": 0,
        "ok_sco": 0,
        "fail_known": 0,
        "fail_sco": 0,
        "days": {},  # UTC day index -> [n, s]
        "periods": {},  # period index -> [n, s]
    }


class State:
    """What the tracker holds after reading a log."""

    def __init__(self, case):
        doc = case["doc"]
        self.period = case["period"]
        self.bound = doc is not None
        # Bound: the experience's MOTs; discovery: MOTs as they appear.
        self.mot_ids = [m["id"] for m in doc["mots"]] if doc else []
        self.mots = {m: new_mot_stats() for m in self.mot_ids}
        self.rejected = {r: 0 for r in REASONS}
        self.transitions = {}  # (from, to) -> [sco, no-sco, unknown]; None = start / end
        self.variants = {}  # tuple of MOT ids -> count
        self.producers = {}  # producer -> [n, s]
        self.interactions = 0
        self.journey_interactions = 0
        self.journeys = 0
        self.known = 0
        self.sco = 0
        self.value_journeys = 0
        self.sco_value = Sum()
        # For the fixture checks.
        self.sequences = {}  # journey -> list of MOT ids

    def reject(self, reason, n=1):
        self.rejected[reason] += n

    def resolve(self, mot):
        if mot is None:
            return None, "missing-mot"
        if mot in self.mots:
            return mot, None
        if self.bound:
            return None, "unknown-mot"
        self.mot_ids.append(mot)
        self.mots[mot] = new_mot_stats()
        return mot, None

    def check_row(self, row):
        """The MOT of an interaction row, or why it is rejected. The checks
        run in this order; the first that fails names the reason."""
        ts = row["timestamp"]
        if ts is None:
            return None, "missing-timestamp"
        if not (MIN_TS <= ts < MAX_TS):
            return None, "timestamp-out-of-range"
        if row["success"] is None:
            return None, "missing-success"
        cost = row.get("cost")
        if cost is not None and cost < 0:
            return None, "negative-cost"
        return self.resolve(row["mot_id"])

    def count_row(self, mot, row):
        self.interactions += 1
        st = self.mots[mot]
        ok = 1 if row["success"] else 0
        st["n"] += 1
        st["s"] += ok
        ts = row["timestamp"]
        day = st["days"].setdefault(ts // DAY, [0, 0])
        day[0] += 1
        day[1] += ok
        if self.period.kind != "day":
            p = st["periods"].setdefault(self.period.index(ts), [0, 0])
            p[0] += 1
            p[1] += ok
        if row.get("cost") is not None:
            st["cost"].add(row["cost"])
            st["cost_rows"] += 1
        if row.get("value") is not None:
            st["value"].add(row["value"])
            st["value_rows"] += 1
        producer = row.get("producer")
        if producer:
            c = self.producers.setdefault(producer, [0, 0])
            c[0] += 1
            c[1] += ok

    def fold_journey(self, key, events, cls, value):
        """A closed journey: its MOT sequence (time order), outcome, revenue.
        cls: 0 = SCO, 1 = no SCO, 2 = unknown."""
        seq = [m for m, _ in events]
        prev = None
        for m in seq:
            self.transitions.setdefault((prev, m), [0, 0, 0])[cls] += 1
            prev = m
        self.transitions.setdefault((prev, None), [0, 0, 0])[cls] += 1
        known, sco = cls != 2, cls == 0
        for m in dict.fromkeys(seq):  # each MOT once per journey
            st = self.mots[m]
            st["journeys"] += 1
            if known:
                failed = any(not ok for mm, ok in events if mm == m)
                grp = "fail" if failed else "ok"
                st[grp + "_known"] += 1
                st[grp + "_sco"] += int(sco)
        self.variants[tuple(seq)] = self.variants.get(tuple(seq), 0) + 1
        self.journeys += 1
        self.journey_interactions += len(seq)
        self.known += int(known)
        self.sco += int(sco)
        if value is not None:
            self.value_journeys += 1
            if sco:
                self.sco_value.add(value)
        self.sequences[key] = seq


def ingest(case):
    state = State(case)

    # Outcome rows, in file order. The first acceptable row of a journey is
    # its outcome; rows rejected before it (null id, null flag) do not count.
    outcome_of = {}
    for row in case["outcomes"] or []:
        if row["journey_id"] is None:
            state.reject("missing-journey")
        elif row["sco"] is None:
            state.reject("missing-outcome")
        elif row["journey_id"] in outcome_of:
            state.reject("duplicate-outcome")
        else:
            outcome_of[row["journey_id"]] = {
                "cls": 0 if row["sco"] else 1,
                "value": row.get("value"),
                "used": False,
            }

    # Interaction rows, grouped by journey (journeys in order of first
    # appearance), each journey's rows in timestamp order, ties in input
    # order (Python's sort is stable).
    groups = {}
    for row in case["events"]:
        if row["journey_id"] is None:
            state.reject("missing-journey")
            continue
        groups.setdefault(row["journey_id"], []).append(row)
    for key, rows in groups.items():
        valid_ts = [r for r in rows if r["timestamp"] is not None]
        # Rows with a null timestamp are rejected wherever they sort.
        ordered = sorted(valid_ts, key=lambda r: r["timestamp"]) + [r for r in rows if r["timestamp"] is None]
        events = []
        for row in ordered:
            mot, reason = state.check_row(row)
            if reason:
                state.reject(reason)
                continue
            state.count_row(mot, row)
            events.append((mot, row["success"]))
        outcome = outcome_of.get(key)
        if not events:
            if outcome is not None:
                outcome["used"] = True
                state.reject("outcome-without-interactions")
            continue
        if outcome is not None:
            outcome["used"] = True
            cls, value = outcome["cls"], outcome["value"]
        else:
            cls, value = 2, None
        state.fold_journey(key, events, cls, value)
    # Outcomes of journeys that never appeared in the log.
    orphans = sum(1 for o in outcome_of.values() if not o["used"])
    state.reject("outcome-without-interactions", orphans)
    return state


# ---------------------------------------------------------------------------
# Exact removal effects (absorbing Markov chain, rational arithmetic).
# ---------------------------------------------------------------------------


def solve_exact(a, b):
    """Solves a·x = b in Fractions by Gauss-Jordan elimination."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for k in range(n):
        p = next(i for i in range(k, n) if m[i][k] != 0)
        m[k], m[p] = m[p], m[k]
        pivot = m[k][k]
        m[k] = [x / pivot for x in m[k]]
        for i in range(n):
            if i != k and m[i][k] != 0:
                f = m[i][k]
                m[i] = [x - f * y for x, y in zip(m[i], m[k])]
    return [m[i][n] for i in range(n)]


def removal_effects(state):
    """RE(i) = 1 − P(SCO with i a no-SCO sink) / P(SCO), exactly.

    The chain: states start and the MOTs (transient), SCO and no-SCO
    (absorbing); probabilities are the transition counts of journeys with a
    known outcome, normalised per from-state. A journey's last MOT moves to
    SCO or no-SCO by its outcome. None when no known journey produced the SCO.
    """
    states = [None] + list(state.mot_ids)
    ix = {s: k for k, s in enumerate(states)}
    t = len(states)
    count = [[0] * t for _ in range(t)]
    to_sco = [0] * t
    out = [0] * t
    for (f, to), c in state.transitions.items():
        known = c[0] + c[1]
        if known == 0:
            continue
        out[ix[f]] += known
        if to is None:
            to_sco[ix[f]] += c[0]
        else:
            count[ix[f]][ix[to]] += known
    if out[0] == 0:
        return None

    def p_sco(removed=None):
        a = [[Fraction(int(i == j)) for j in range(t)] for i in range(t)]
        r = [Fraction(0)] * t
        for f in range(t):
            if out[f] == 0 or f == removed:
                continue  # an absorbing row: no SCO from here
            for to in range(t):
                a[f][to] -= Fraction(count[f][to], out[f])
            r[f] = Fraction(to_sco[f], out[f])
        return solve_exact(a, r)[0]

    p = p_sco()
    if p <= 0:
        return None
    effects = {}
    for m in state.mot_ids:
        re = 1 - p_sco(ix[m]) / p
        effects[m] = min(max(re, Fraction(0)), Fraction(1))
    # Sanity: P(SCO) of the chain is the SCO share of known journeys.
    assert p == Fraction(state.sco, state.known)
    return {"p_sco": p, "effects": effects}


# ---------------------------------------------------------------------------
# Alignment.
# ---------------------------------------------------------------------------


def classify(rule, m, near):
    """magic / misery / neutral / unaligned, by the documented rule.
    `near` collects comparisons that come too close to call."""

    def ge(a, b, what):
        if abs(a - b) <= MARGIN:
            near.append(f"{what}: {a} vs {b}")
        return a >= b

    if m["declared_none"]:
        return "unaligned"
    if m.get("success_unknown"):
        return "unmeasured"
    if m["rate"] is None or m["interactions"] < rule["min_interactions"]:
        return "neutral"
    target = m["target"] if m["target"] is not None else rule["default_target"]
    fails = not ge(m["rate"], target, f"{m['id']} rate vs target")
    hurts = False
    if m["sco_when_present"] is not None and m["sco_rate"] is not None:
        bar = m["sco_rate"] - rule["harm_margin"]
        if abs(m["sco_when_present"] - bar) <= MARGIN:
            near.append(f"{m['id']} harm: {m['sco_when_present']} vs {bar}")
        hurts = m["sco_when_present"] <= bar
    if fails or hurts:
        return "misery"
    contributes = (m["lift"] is not None and ge(m["lift"], rule["min_lift"], f"{m['id']} lift")) or (
        m["removal_effect"] is not None
        and ge(m["removal_effect"], rule["min_removal_effect"], f"{m['id']} removal effect")
    )
    return "magic" if contributes else "neutral"


# ---------------------------------------------------------------------------
# The dashboard.
# ---------------------------------------------------------------------------


def fmt_pct(x, near, what):
    """Rust's `{:.N}`: correctly rounded; the fixtures avoid halfway cases."""
    frac = (abs(x) * 10**MESSAGE_DECIMALS) % 1.0
    if abs(frac - 0.5) < 1e-6:
        near.append(f"{what}: {x} is halfway at {MESSAGE_DECIMALS} decimals")
    return f"{x:.{MESSAGE_DECIMALS}f}"


def build(case, state):
    doc = case["doc"]
    rule = case["rule"]
    period = case["period"]
    near = []  # comparisons too close to call: the fixture is refused
    model = xm.Model(doc) if doc else None
    mot_doc = {m["id"]: m for m in doc["mots"]} if doc else {}
    doc_index = {m["id"]: i for i, m in enumerate(doc["mots"])} if doc else {}
    people = {p["id"]: p for p in doc["people"]} if doc else {}

    # MOT order: the experience's document order, then the rest by id; in
    # discovery mode only the MOTs seen in the data.
    order = sorted(state.mot_ids, key=lambda m: (doc_index.get(m, math.inf), m))
    order = [m for m in order if m in mot_doc or state.mots[m]["n"] > 0 or state.mots[m]["journeys"] > 0]

    sco_rate = rate(state.sco, state.known)
    re = removal_effects(state)
    shares = None
    if re is not None:
        total = sum(re["effects"].values(), Fraction(0))
        if total > 0:
            shares = {m: e / total for m, e in re["effects"].items()}
    sco_value = state.sco_value.value() if state.value_journeys > 0 else None
    landscape = {c["mot"]: c["own"] for c in model.cost_rollup()["mots"]} if model else None

    mots = []
    for mid in order:
        st = state.mots[mid]
        m = mot_doc.get(mid)
        smoto = rate(st["s"], st["n"])
        lo, hi = wilson(st["s"], st["n"])
        lift = None
        if st["ok_known"] > 0 and st["fail_known"] > 0:
            lift = st["ok_sco"] / st["ok_known"] - st["fail_sco"] / st["fail_known"]
        removal = float(re["effects"][mid]) if re else None
        share = shares[mid] if shares else None
        known = st["ok_known"] + st["fail_known"]
        sco_when_present = rate(st["ok_sco"] + st["fail_sco"], known)
        days = [(float(d), c[1] / c[0]) for d, c in sorted(st["days"].items())]
        target = xm.num(m["smoto"].get("target_rate")) if m else None
        alignment = classify(
            rule,
            {
                "id": mid,
                "declared_none": m is not None and m["contribution"] == "none",
                "interactions": st["n"],
                "rate": smoto,
                "target": target,
                "lift": lift,
                "removal_effect": removal,
                "sco_when_present": sco_when_present,
                "sco_rate": sco_rate,
            },
            near,
        )
        attributed_value = float(share) * sco_value if (share is not None and sco_value is not None) else None
        dims = m.get("dimensions") if m else None

        def declared(key, times):
            if dims is None or dims.get(key) is None:
                return None
            return float(dims[key]) * times

        actual = xm.num(dims.get("actual")) if (dims and dims.get("scale") is not None) else smoto
        cost = st["cost"].value() if st["cost_rows"] > 0 else declared("cost", st["n"])
        landscape_cost = landscape.get(mid) if landscape is not None else None
        total_cost = None
        if cost is not None or landscape_cost is not None:
            total_cost = (cost or 0.0) + (landscape_cost or 0.0)
        company_return = attributed_value if sco_value is not None else declared("return", st["s"])
        value = st["value"].value() if st["value_rows"] > 0 else declared("value", st["s"])
        position = None
        if dims is not None and actual is not None:
            width = float(dims["opportunity"]) - float(dims["risk"])
            pos = (actual - float(dims["risk"])) / width if width != 0 else math.nan
            position = pos if (width > 0 and math.isfinite(pos)) else None
        mots.append(
            {
                "id": mid,
                "name": m["name"] if m else None,
                "type": m["type"] if m else None,
                "owner": m.get("manager") if m else None,
                "parent": m.get("parent") if m else None,
                "contribution": m["contribution"] if m else None,
                "target": target,
                "interactions": st["n"],
                "successes": st["s"],
                "smoto_rate": smoto,
                "ci_low": lo,
                "ci_high": hi,
                "journeys": st["journeys"],
                "sco_when_present": sco_when_present,
                "lift": lift,
                "removal_effect": removal,
                "attributed_conversions": float(share * state.sco) if share is not None else None,
                "attributed_value": attributed_value,
                "trend_slope_per_day": ols_slope(days),
                "alignment": alignment,
                "dimensions": {
                    "opportunity": xm.num(dims["opportunity"]) if dims else None,
                    "risk": xm.num(dims["risk"]) if dims else None,
                    "actual": actual,
                    "position": position,
                    "value": value,
                    "return": company_return,
                    "cost": cost,
                    "landscape_cost": landscape_cost,
                    "total_cost": total_cost,
                    "roi": roi(company_return, total_cost)
                    if (company_return is not None and total_cost is not None)
                    else None,
                },
            }
        )

    # Trends and alerts: the configured period (the per-day series for a day).
    def series(mid):
        st = state.mots[mid]
        s = st["days"] if period.kind == "day" else st["periods"]
        return sorted(s.items())

    lasts = [series(mid)[-1][0] for mid in order if series(mid)]
    latest = max(lasts) if lasts else None
    trends, alerts = [], []
    for fig in mots:
        mid = fig["id"]
        st = state.mots[mid]
        centre = rate(st["s"], st["n"])
        points = []
        for idx, (n, s) in series(mid):
            p = s / n
            lcl, ucl = p_chart_limits(centre, n)
            for lim in (lcl, ucl):
                if abs(p - lim) <= MARGIN and 0.0 < lim < 1.0:
                    near.append(f"{mid} period {idx}: rate {p} on a control limit {lim}")
            out = "low" if p < lcl else ("high" if p > ucl else None)
            start = period.start_of(idx)
            # Alerts: only in the latest period of the whole log, and only
            # when that period holds enough interactions.
            if idx == latest and n < case["alert_min_interactions"]:
                if out or (fig["target"] is not None and p < fig["target"]):
                    case.setdefault("suppressed", []).append(mid)
            if idx == latest and n >= case["alert_min_interactions"]:
                owner = fig["owner"]
                owner_name = people[owner]["name"] if owner in people else None
                label = fig["name"] if fig["name"] is not None else mid

                def alert(kind, limit, what):
                    msg = "{}: SMOTO rate {}% ({}/{}) in the latest {} is {} {}%{}".format(
                        label,
                        fmt_pct(p * 100.0, near, f"{mid} rate"),
                        s,
                        n,
                        period.name(),
                        what,
                        fmt_pct(limit * 100.0, near, f"{mid} {kind} limit"),
                        f" — tell {owner_name}" if owner_name is not None else "",
                    )
                    alerts.append(
                        {
                            "mot": mid,
                            "name": fig["name"],
                            "owner": owner,
                            "owner_name": owner_name,
                            "kind": kind,
                            "period_start": start,
                            "rate": p,
                            "interactions": n,
                            "limit": limit,
                            "message": msg,
                        }
                    )

                if out == "low":
                    alert("below-control-limit", lcl, "below its lower control limit")
                elif out == "high":
                    alert("above-control-limit", ucl, "above its upper control limit")
                if fig["target"] is not None:
                    if abs(p - fig["target"]) <= MARGIN:
                        near.append(f"{mid}: latest rate on its target")
                    if p < fig["target"]:
                        alert("below-target", fig["target"], "below its SMOTO target")
            points.append(
                {
                    "start": start,
                    "interactions": n,
                    "successes": s,
                    "rate": p,
                    "lcl": lcl,
                    "ucl": ucl,
                    "out_of_control": out,
                }
            )
        trends.append({"mot": mid, "centre": centre, "periods": points})

    # Types: per interaction type (None for MOTs of unknown type), type order.
    types = []
    for ty in TYPE_ORDER:
        group = [f for f in mots if f["type"] == ty]
        if not group:
            continue
        n = sum(f["interactions"] for f in group)
        s = sum(f["successes"] for f in group)
        lo, hi = wilson(s, n)
        types.append(
            {"type": ty, "mots": len(group), "interactions": n, "successes": s, "rate": rate(s, n), "ci_low": lo, "ci_high": hi}
        )

    # Ownership: one card per MOT Manager, in the order of the people list.
    if doc is None:
        ownership = {"share_owned": None, "owners": []}
    else:
        owners = []
        for person in doc["people"]:
            managed = [f for f in mots if f["owner"] == person["id"]]
            if not managed:
                continue
            n = sum(f["interactions"] for f in managed)
            s = sum(f["successes"] for f in managed)
            lo, hi = wilson(s, n)
            owners.append(
                {
                    "person": person["id"],
                    "name": person["name"],
                    "mots": [f["id"] for f in managed],
                    "interactions": n,
                    "successes": s,
                    "rate": rate(s, n),
                    "ci_low": lo,
                    "ci_high": hi,
                    "alerts": sum(1 for a in alerts if a["owner"] == person["id"]),
                }
            )
        all_mots = doc["mots"]
        owned = sum(1 for m in all_mots if m.get("manager") is not None)
        ownership = {"share_owned": owned / len(all_mots) if all_mots else None, "owners": owners}

    # Producers, by id.
    producers = []
    for p in sorted(state.producers):
        n, s = state.producers[p]
        lo, hi = wilson(s, n)
        producers.append(
            {
                "producer": p,
                "name": people[p]["name"] if p in people else None,
                "interactions": n,
                "successes": s,
                "rate": rate(s, n),
                "ci_low": lo,
                "ci_high": hi,
            }
        )

    # Directly-follows over every closed journey (any outcome).
    edges, start_counts, end_counts = [], [], []
    for (f, to), c in state.transitions.items():
        total = sum(c)
        if f is None and to is None:
            continue
        if f is None:
            start_counts.append({"mot": to, "count": total})
        elif to is None:
            end_counts.append({"mot": f, "count": total})
        else:
            edges.append({"from": f, "to": to, "count": total})
    edges.sort(key=lambda e: (-e["count"], e["from"], e["to"]))
    start_counts.sort(key=lambda e: (-e["count"], e["mot"]))
    end_counts.sort(key=lambda e: (-e["count"], e["mot"]))

    # Variants: most frequent first, ties by the sequence (element-wise).
    variants = sorted(state.variants.items(), key=lambda kv: (-kv[1], list(kv[0])))
    top = [{"mots": list(seq), "count": c} for seq, c in variants[: case["top_variants"]]]

    designed_steps = len(model.designed_journey()) if model else None
    designed_mots = len(model.mots) if model else None
    ipj = rate(state.journey_interactions, state.journeys)
    sco_lo, sco_hi = wilson(state.sco, state.known)
    dashboard = {
        "format": FORMAT,
        "experience": {
            "id": doc["id"],
            "name": doc["name"],
            "version": doc.get("version"),
            "segment": doc["segment"],
        }
        if doc
        else None,
        "period": period.name(),
        "amount": {
            "designed_mots": len(doc["mots"]) if doc else None,
            "observed_mots": sum(1 for m in state.mot_ids if state.mots[m]["n"] > 0),
            "interactions": state.interactions,
            "journeys": state.journeys,
            "open_journeys": 0,
        },
        "sco": {
            "one_liner": doc["sco"]["one_liner"] if doc else None,
            "journeys": state.known,
            "successes": state.sco,
            "rate": sco_rate,
            "ci_low": sco_lo,
            "ci_high": sco_hi,
            "target": xm.num(doc["sco"].get("target_rate")) if doc else None,
            "unknown": state.journeys - state.known,
            "abandoned": 0,
            "value": sco_value,
        },
        "ratio": {
            "interactions_per_journey": ipj,
            "designed_mots": designed_mots,
            "designed_steps": designed_steps,
            # DOMAIN §3: interactions per journey ÷ designed MOT count.
            "ratio": ipj / designed_mots if (ipj is not None and designed_mots) else None,
        },
        "ownership": ownership,
        "types": types,
        "mots": mots,
        "trends": trends,
        "alerts": alerts,
        "producers": producers,
        "directly_follows": {"edges": edges, "start": start_counts, "end": end_counts},
        "variants": {"distinct": len(variants), "top": top},
        "rejected": dict(state.rejected),
    }
    assert not near, "the fixture sits on a threshold:\n  " + "\n  ".join(near)
    return dashboard


# ---------------------------------------------------------------------------
# Fixture checks: each case must exercise what it claims.
# ---------------------------------------------------------------------------


def classes_of(d):
    return {m["alignment"] for m in d["mots"]}


def raw_lines(folder, name):
    return (folder / name).read_text().splitlines()[1:]


def check_discovery_basic(case, state, d, folder):
    rej = d["rejected"]
    for reason in (
        "missing-journey",
        "missing-mot",
        "missing-timestamp",
        "missing-success",
        "timestamp-out-of-range",
        "negative-cost",
        "duplicate-outcome",
        "missing-outcome",
    ):
        assert rej[reason] >= 1, f"no {reason} row"
    # Both ways to an outcome without interactions: a journey whose rows
    # were all rejected, and a journey absent from the log.
    keys = {r["journey_id"] for r in case["events"]}
    outcome_keys = [r["journey_id"] for r in case["outcomes"] if r["journey_id"] is not None]
    assert any(k not in keys for k in outcome_keys), "no outcome for a journey absent from the log"
    assert any(k in keys and k not in state.sequences for k in outcome_keys), "no outcome for a journey with only rejected rows"
    assert rej["outcome-without-interactions"] == 2
    assert d["experience"] is None and d["ownership"]["owners"] == []
    assert d["sco"]["unknown"] >= 1, "no journey with an unknown outcome"
    # Journeys interleaved in the file.
    seen, current, grouped = set(), None, True
    for r in case["events"]:
        k = r["journey_id"]
        if k is None or k == current:
            continue
        if k in seen:
            grouped = False
        seen.add(k)
        current = k
    assert not grouped, "the log is grouped by journey"
    # Out of timestamp order within a journey, and a tie between different MOTs.
    by_journey = {}
    for r in case["events"]:
        if r["journey_id"] and r["timestamp"] is not None:
            by_journey.setdefault(r["journey_id"], []).append(r)
    assert any(
        any(a["timestamp"] > b["timestamp"] for a, b in zip(rs, rs[1:])) for rs in by_journey.values()
    ), "no journey out of order in the file"
    assert any(
        any(a["timestamp"] == b["timestamp"] and a["mot_id"] != b["mot_id"] for a in rs for b in rs if a is not b)
        for rs in by_journey.values()
    ), "no timestamp tie"
    assert any(e["from"] == e["to"] for e in d["directly_follows"]["edges"]), "no self-loop"
    assert any(len(set(s)) < len(s) for s in state.sequences.values()), "no repeated MOT"
    assert any(m["dimensions"]["cost"] is not None for m in d["mots"])
    assert any(m["dimensions"]["value"] is not None for m in d["mots"])
    assert {"magic", "misery", "neutral"} <= classes_of(d), classes_of(d)
    assert len({p["start"] for t in d["trends"] for p in t["periods"]}) >= 3, "fewer than 3 days"


def check_bound_alerts(case, state, d, folder):
    kinds = {a["kind"] for a in d["alerts"]}
    assert {"below-control-limit", "below-target"} <= kinds, kinds
    assert case.get("suppressed"), "no alert held back by alert_min_interactions"
    assert d["rejected"]["unknown-mot"] >= 1
    assert {"magic", "misery", "neutral", "unaligned"} <= classes_of(d), classes_of(d)
    doc = case["doc"]
    parents = [m for m in doc["mots"] if any(c.get("parent") == m["id"] for c in doc["mots"])]
    assert parents and all(
        sum(1 for c in doc["mots"] if c.get("parent") == p["id"] and "position" in c) >= 2 for p in parents
    )
    assert len(d["ownership"]["owners"]) == 2
    assert any(m["owner"] is None for m in d["mots"]), "no unowned MOT"
    assert d["sco"]["value"] is not None
    assert all(m["attributed_value"] is not None for m in d["mots"])
    assert any(p["name"] is not None for p in d["producers"]) and any(p["name"] is None for p in d["producers"])
    assert all(m["dimensions"]["landscape_cost"] is not None for m in d["mots"])
    assert any(m["interactions"] == 0 for m in d["mots"]), "every MOT has interactions"
    assert any(m["dimensions"]["position"] is not None for m in d["mots"])
    assert len({p["start"] for t in d["trends"] for p in t["periods"]}) >= 6, "fewer than 6 days"
    assert d["sco"]["unknown"] >= 1


def check_weekly(case, state, d, folder):
    for name in ("events.csv", "outcomes.csv", "experience.json"):
        assert (folder / name).read_bytes() == (HERE / "bound-alerts" / name).read_bytes(), (
            f"weekly/{name} must equal bound-alerts/{name}"
        )
    assert d["period"] == "week"
    starts = {p["start"] for t in d["trends"] for p in t["periods"]}
    assert len(starts) == 2, f"the log must span two ISO weeks, got {sorted(starts)}"
    for s in starts:  # Mondays 00:00 UTC
        assert s % DAY == 0 and (s // DAY + 3) % 7 == 0, s
    assert case.get("suppressed"), "no alert held back by alert_min_interactions"
    assert d["variants"]["distinct"] > len(d["variants"]["top"]) == case["top_variants"] == 3
    counts = sorted(state.variants.values(), reverse=True)
    assert counts[2] > counts[3], "the top-3 cut falls inside a tie"


def check_bound_seconds(case, state, d, folder):
    assert (folder / "experience.json").read_bytes() == (HERE / "bound-alerts" / "experience.json").read_bytes()
    assert d["period"] == "43200s"
    # The alert's period holds exactly the minimum: the bound is inclusive.
    assert any(a["interactions"] == case["alert_min_interactions"] for a in d["alerts"])
    assert "above-control-limit" in {a["kind"] for a in d["alerts"]}
    assert any(p["out_of_control"] == "high" for t in d["trends"] for p in t["periods"])
    assert d["sco"]["value"] is None and all(m["attributed_value"] is None for m in d["mots"])
    assert case["event_columns"] == ["journey_id", "mot_id", "timestamp", "success", "cost"]
    assert all(r["cost"] is None for r in case["events"]), "costs must all be empty"
    by_id = {m["id"]: m for m in d["mots"]}
    # The declared per-interaction figures are used.
    assert by_id["order"]["dimensions"]["cost"] == 1.5 * by_id["order"]["interactions"]
    assert by_id["order"]["dimensions"]["return"] == 15.0 * by_id["order"]["successes"]
    assert by_id["visit"]["dimensions"]["value"] == 5.0 * by_id["visit"]["successes"]
    assert {"magic", "misery", "neutral", "unaligned"} <= classes_of(d), classes_of(d)


CASES = {
    "discovery-basic": check_discovery_basic,
    "bound-alerts": check_bound_alerts,
    "weekly": check_weekly,
    "bound-seconds": check_bound_seconds,
}


def compute(name):
    folder = HERE / name
    case = read_case(folder)
    state = ingest(case)
    d = build(case, state)
    CASES[name](case, state, d, folder)
    return d


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    # Every case is computed (and checked) before anything is written.
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
