#!/usr/bin/env python3
"""Independent computation of the expected dashboards (`mot.dashboard/1`).

This script re-implements, in plain Python (standard library only), the rules
that `mot-core` documents for reading an interaction log (columnar ingest:
grouping by journey, ordering, rejected rows by reason, outcomes) and for
building the dashboard (SMOTO and SCO rates with Wilson intervals, lift,
exact Markov removal effects, trends and p-charts, CUSUM detectors, alerts
and their evidence, alignment, the five dimensions, types, ownership,
producers, directly-follows, variants, conformance to the designed journey,
and the journey in time).
It does NOT import, call or build the library: its answers are an
independent check of the library's.

The removal effects are solved in exact rational arithmetic
(`fractions.Fraction`) straight from their definition: P(SCO) of the
absorbing chain, and P(SCO) again with MOT i turned into a no-SCO sink,
one linear system per MOT; RE(i) = 1 - P_i / P. The library uses a closed
form (Sherman-Morrison on one LU factorisation), so this is a real check.

The landscape cost roll-up (`dimensions.landscape_cost`) and the designed
journey come from the independent model in
`tests/experience/compute_expected.py`.

Conformance (DOMAIN 3b) uses the longest common subsequence by plain dynamic
programming; the library uses a bit-parallel algorithm. Every journey's cost
is checked against its split into missing, extra, undesigned and
out-of-order deviations. The time figures (DOMAIN 3c) use a DDSketch written
from its definition, and every quantile is checked against the exact
quantile it stands for.

The sequential alarms (DOMAIN 3d) run a Bernoulli CUSUM per MOT on integer
weights; its threshold comes from the in-control ARL of the integer Markov
chain, solved by banded Gaussian elimination (in floats, and again in
60-digit decimal arithmetic); the library shoots from the top instead.
`tests/alarms/compute_expected.py` imports these functions.

Usage (from anywhere):

    python3 tests/dashboard/compute_expected.py          # rewrite expected.json files
    python3 tests/dashboard/compute_expected.py --check  # exit 1 if any differs

Each case folder holds its inputs and `expected.json`; see README.md.
"""

import csv
import decimal
import importlib.util
import json
import math
import sys
from collections import Counter
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
# The lowest SMOTO target with a detector (below it failure is the norm).
CUSUM_MIN_TARGET = 0.35
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

# The duration sketch (DDSketch, Masson et al. 2019): relative accuracy α,
# bucket i holds the values x with γ^(i-1) < x <= γ^i, γ = (1 + α)/(1 − α).
SKETCH_ALPHA = 0.01
SKETCH_GAMMA = (1.0 + SKETCH_ALPHA) / (1.0 - SKETCH_ALPHA)
SKETCH_LN_GAMMA = math.log(SKETCH_GAMMA)
QUANTILES = (("p50_s", 0.5), ("p90_s", 0.9), ("p99_s", 0.99))
NANOS = 10**9


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
    # At p = 0 the half-width is the centre, and at p = 1 the upper bound
    # is 1: exactly, whatever the rounding.
    low = 0.0 if s == 0 else max(centre - half, 0.0)
    high = 1.0 if s == n else min(centre + half, 1.0)
    return low, high


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
# Sequential alarms (DOMAIN 3d): a Bernoulli CUSUM per MOT on integer weights.
# `tests/alarms/compute_expected.py` imports these functions: there is one
# implementation of the detector in the fixtures.
# ---------------------------------------------------------------------------

# The default configuration (the dashboard fixtures use it).
CUSUM_ODDS_RATIO = 2.0
CUSUM_ARL0 = 10_000.0
CUSUM_MAX_K = 64  # k, the units of the smaller weight, is searched in 1..=64
CUSUM_K_TOLERANCE = 0.005  # round(k·ratio) within 0.5% of k·ratio
# A design is refused when k·ratio lies this close to a rounding half-point,
# or ARL(H − 1) or ARL(H) this close (relative) to ARL0.
CUSUM_NEAR = 1e-6
# The exact ARL is also solved in decimal arithmetic with this many digits;
# the float solve must agree with it to CUSUM_FLOAT_CHECK (relative).
CUSUM_DIGITS = 60
CUSUM_FLOAT_CHECK = 1e-11


def round_half_away(x):
    """Round half away from zero, for x > 0 (not Python's round(), which
    rounds half to even)."""
    assert x > 0.0
    return math.floor(x + 0.5)


def arl_banded(H, up, down, p0, exact=False):
    """In-control ARL of the integer CUSUM with threshold H, from state 0.

    The chain has states 0..H−1. From state i it moves, with probability p0
    (a failure), to i + up — an alarm, absorbing, when i + up ≥ H — and,
    with probability 1 − p0, to max(0, i − down). The expected steps to
    absorption solve (I − Q)·a = 1. I − Q is banded: `down` diagonals below
    the main one (column 0 only has entries in rows 0..down) and `up`
    above. Plain Gaussian elimination without pivoting (I − Q is a
    nonsingular M-matrix), then back substitution, both inside the band.
    (The library shoots from the top instead.) With `exact`, the same
    elimination runs in `decimal` arithmetic with CUSUM_DIGITS digits, on
    the exact binary value of p0."""
    if exact:
        ctx = decimal.Context(prec=CUSUM_DIGITS)
        p = decimal.Decimal(p0)
        q = ctx.subtract(decimal.Decimal(1), p)
        zero, one = decimal.Decimal(0), decimal.Decimal(1)
    else:
        ctx = None
        p, q, zero, one = p0, 1.0 - p0, 0.0, 1.0
    width = down + up + 1
    # Row i holds columns i − down .. i + up at offsets 0 .. width − 1.
    a = [[zero] * width for _ in range(H)]
    b = [one] * H
    for i in range(H):
        a[i][down] += one
        if i + up < H:
            a[i][down + up] -= p
        j = max(0, i - down)
        a[i][j - i + down] -= q

    def mul(x, y):
        return ctx.multiply(x, y) if ctx else x * y

    def div(x, y):
        return ctx.divide(x, y) if ctx else x / y

    def sub(x, y):
        return ctx.subtract(x, y) if ctx else x - y

    for k in range(H):
        pivot = a[k][down]
        assert pivot > 0, "I − Q must be an M-matrix"
        row_k = a[k]
        last = min(H - 1, k + up)
        for r in range(k + 1, min(H - 1, k + down) + 1):
            row_r = a[r]
            f = row_r[k - r + down]
            if f == 0:
                continue
            f = div(f, pivot)
            for j in range(k, last + 1):
                v = row_k[j - k + down]
                if v != 0:
                    row_r[j - r + down] = sub(row_r[j - r + down], mul(f, v))
            b[r] = sub(b[r], mul(f, b[k]))
    x = [zero] * H
    for i in range(H - 1, -1, -1):
        t = b[i]
        row = a[i]
        for j in range(i + 1, min(H - 1, i + up) + 1):
            v = row[j - i + down]
            if v != 0:
                t = sub(t, mul(v, x[j]))
        x[i] = div(t, row[down])
    return x[0]


def cusum_design(target, odds_ratio=CUSUM_ODDS_RATIO, arl0=CUSUM_ARL0, near=None, what="cusum"):
    """The detector of an MOT with SMOTO target `target`, or None (no
    target, or a target of 0 or 1). `near` collects the reasons to refuse
    the fixture (a rounding half-point, an ARL too close to ARL0)."""
    if near is None:
        near = []
    if target is None or not (CUSUM_MIN_TARGET <= target < 1.0):
        return None
    p0 = 1.0 - target
    p1 = odds_ratio * p0 / (1.0 - p0 + odds_ratio * p0)
    w_fail = math.log(p1 / p0)
    w_success = -math.log((1.0 - p1) / (1.0 - p0))  # the magnitude, positive
    assert w_fail > 0.0 and w_success > 0.0
    small, large = min(w_fail, w_success), max(w_fail, w_success)
    ratio = large / small
    k = CUSUM_MAX_K
    for kk in range(1, CUSUM_MAX_K + 1):
        x = kk * ratio
        frac = x - math.floor(x)
        if abs(frac - 0.5) <= CUSUM_NEAR:
            near.append(f"{what}: {kk}·ratio = {x!r} is a rounding half-point")
        err = abs(round_half_away(x) - x)
        if abs(err - CUSUM_K_TOLERANCE * x) <= MARGIN * x:
            near.append(f"{what}: {kk}·ratio = {x!r} sits on the 0.5% tolerance")
        if err <= CUSUM_K_TOLERANCE * x:
            k = kk
            break
    big = max(1, round_half_away(k * ratio))
    up, down = (k, big) if w_fail <= w_success else (big, k)
    scale = k / small

    # H: the smallest threshold with ARL(H) ≥ ARL0. ARL(H) does not
    # decrease with H (the same outcomes cross a higher threshold no
    # sooner), so double, then bisect; ARL(H − 1) < ARL0 ≤ ARL(H) is
    # checked below in exact arithmetic.
    def arl(h):
        return arl_banded(h, up, down, p0)

    hi = 1
    while arl(hi) < arl0:
        hi *= 2
        assert hi <= 1 << 20, f"{what}: no threshold reaches ARL0 {arl0}"
    lo = hi // 2  # 0, or a threshold whose ARL is below ARL0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if arl(mid) >= arl0:
            hi = mid
        else:
            lo = mid
    H = hi
    exact = arl_banded(H, up, down, p0, exact=True)
    arl_h = float(exact)
    assert abs(arl(H) - arl_h) <= CUSUM_FLOAT_CHECK * arl_h, (what, arl(H), arl_h)
    assert arl_h >= arl0
    if abs(arl_h - arl0) <= CUSUM_NEAR * arl0:
        near.append(f"{what}: ARL(H) = {arl_h} is too close to ARL0 {arl0}")
    if H > 1:
        below = float(arl_banded(H - 1, up, down, p0, exact=True))
        assert below < arl0, f"{what}: ARL({H - 1}) = {below} ≥ ARL0"
        if abs(below - arl0) <= CUSUM_NEAR * arl0:
            near.append(f"{what}: ARL(H − 1) = {below} is too close to ARL0 {arl0}")
    return {
        "p0": p0,
        "p1": p1,
        "odds_ratio": odds_ratio,
        "arl0": arl0,
        "w_fail": w_fail,
        "w_success": w_success,
        "k": k,
        "up": up,
        "down": down,
        "scale": scale,
        "threshold": H,
        "h": H / scale,
        "arl": arl_h,
    }


def cusum_run(design, steps):
    """Runs a detector over `steps`, the MOT's interactions in order, as
    (timestamp, success) pairs; a success of None (unknown) is skipped.
    Returns the final integer statistic and the alarms, each (timestamp,
    the integer statistic that crossed); the statistic restarts at 0 after
    an alarm."""
    s, alarms = 0, []
    for ts, ok in steps:
        if ok is None:
            continue
        s = max(0, s - design["down"]) if ok else s + design["up"]
        if s >= design["threshold"]:
            alarms.append((ts, s))
            s = 0
    return s, alarms


def cusum_order(rows):
    """The order the detectors read one ingest: accepted interactions by
    timestamp, ties by input (file row) order, across journeys. `rows`
    are (timestamp, row number, ...) tuples."""
    return sorted(rows, key=lambda r: (r[0], r[1]))


def fmt_fixed(x, decimals, near, what):
    """Rust's `{:.N}` for a non-negative value; halfway cases are refused."""
    frac = (abs(x) * 10**decimals) % 1.0
    if abs(frac - 0.5) < 1e-6:
        near.append(f"{what}: {x} is halfway at {decimals} decimals")
    return f"{x:.{decimals}f}"


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
    assert set(config) <= {"period", "options", "designed"}, f"{folder}: unknown config keys"
    designed = config.get("designed")
    if designed is not None:
        assert isinstance(designed, list) and all(isinstance(x, str) and x for x in designed), (
            f"{folder}: designed must be a list of MOT ids"
        )
    options = config.get("options", {})
    assert set(options) <= {"alignment", "top_variants", "alert_min_interactions", "at_risk_threshold", "at_risk_top"}
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
        "at_risk_threshold": float(options.get("at_risk_threshold", 0.5)),
        "events": events,
        "event_columns": ev_header,
        "outcomes": outcomes,
        "doc": doc,
        "designed": designed,
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
        # Closed journeys in order of first appearance: key, MOT sequence,
        # accepted timestamps (seconds, the same order), outcome class.
        self.closed = []
        self.edge_gaps = {}  # (from, to) -> seconds between the two interactions
        # Every accepted interaction, for the detectors: (timestamp, file
        # row number, MOT, success).
        self.accepted = []
        # For the fixture checks.
        self.sequences = {}  # journey -> list of MOT ids

    def sequences_mots(self):
        return {m for s in self.sequences.values() for m in s}

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
        events: (MOT, success, timestamp) in time order, ties in input order.
        cls: 0 = SCO, 1 = no SCO, 2 = unknown."""
        seq = [m for m, _, _ in events]
        times = [t for _, _, t in events]
        prev = None
        for m in seq:
            self.transitions.setdefault((prev, m), [0, 0, 0])[cls] += 1
            prev = m
        self.transitions.setdefault((prev, None), [0, 0, 0])[cls] += 1
        for k in range(len(seq) - 1):
            self.edge_gaps.setdefault((seq[k], seq[k + 1]), []).append(times[k + 1] - times[k])
        self.closed.append({"key": key, "seq": seq, "times": times, "cls": cls})
        known, sco = cls != 2, cls == 0
        for m in dict.fromkeys(seq):  # each MOT once per journey
            st = self.mots[m]
            st["journeys"] += 1
            if known:
                failed = any(not ok for mm, ok, _ in events if mm == m)
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
    row_number = {}
    for i, row in enumerate(case["events"]):
        row_number[id(row)] = i
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
            events.append((mot, row["success"], row["timestamp"]))
            state.accepted.append((row["timestamp"], row_number[id(row)], mot, row["success"]))
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
        nonzero = [j for j, y in enumerate(m[k]) if y != 0]  # the chains are sparse
        for i in range(n):
            if i != k and m[i][k] != 0:
                f = m[i][k]
                row = m[i]
                for j in nonzero:
                    row[j] -= f * m[k][j]
    return [m[i][n] for i in range(n)]


def inverse_exact(a):
    """The inverse of a square Fraction matrix, by Gauss-Jordan elimination."""
    n = len(a)
    m = [row[:] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(a)]
    for k in range(n):
        p = next(i for i in range(k, n) if m[i][k] != 0)
        m[k], m[p] = m[p], m[k]
        pivot = m[k][k]
        m[k] = [x / pivot for x in m[k]]
        nonzero = [j for j, y in enumerate(m[k]) if y != 0]
        for i in range(n):
            if i != k and m[i][k] != 0:
                f = m[i][k]
                row = m[i]
                for j in nonzero:
                    row[j] -= f * m[k][j]
    return [row[n:] for row in m]


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

    def chain(removed=None):
        """The chain with `removed` a no-SCO sink: its fundamental matrix
        N = (I − Q)⁻¹ and h = N·r, the SCO absorption probabilities."""
        a = [[Fraction(int(i == j)) for j in range(t)] for i in range(t)]
        r = [Fraction(0)] * t
        for f in range(t):
            if out[f] == 0 or f == removed:
                continue  # an absorbing row: no SCO from here
            for to in range(t):
                a[f][to] -= Fraction(count[f][to], out[f])
            r[f] = Fraction(to_sco[f], out[f])
        n = inverse_exact(a)
        h = [sum((n[i][j] * r[j] for j in range(t)), Fraction(0)) for i in range(t)]
        return n, h

    base_n, base_h = chain()
    p = base_h[0]
    if p <= 0:
        return None
    removed = {m: chain(ix[m]) for m in state.mot_ids}
    raw = {m: 1 - removed[m][1][0] / p for m in state.mot_ids}
    effects = {m: min(max(re, Fraction(0)), Fraction(1)) for m, re in raw.items()}
    # Sanity: P(SCO) of the chain is the SCO share of known journeys.
    assert p == Fraction(state.sco, state.known)

    # How sure: the delta method over the multinomial rows of the chain.
    # Each row (a from-state with n_a known steps) is a multinomial sample;
    # Var f ≈ Σ_a (1/n_a)·(Σ_b p_ab g_ab² − (Σ_b p_ab g_ab)²), g = ∂f/∂p_ab.
    # Each chain's derivative comes from differentiating its own linear
    # system (I − Q)·h = r along p_ab: ∂h_start/∂p_ab = N_start,a · h_b
    # (h_SCO = 1, h_no-SCO = 0; zero for a sink row), every chain solved
    # exactly on its own — the library derives the removed chains from the
    # first by a rank-one update instead.
    edges = []  # (from, to, p_ab): to a state index, "sco" or "no"
    for f in range(t):
        if out[f] == 0:
            continue
        for to in range(t):
            if count[f][to]:
                edges.append((f, to, Fraction(count[f][to], out[f])))
        if to_sco[f]:
            edges.append((f, "sco", Fraction(to_sco[f], out[f])))
        no = out[f] - to_sco[f] - sum(count[f])
        if no:
            edges.append((f, "no", Fraction(no, out[f])))

    def d_start(n, h, sink, f, to):
        if f == sink:
            return Fraction(0)
        h_to = Fraction(1) if to == "sco" else Fraction(0) if to == "no" else h[to]
        return n[0][f] * h_to

    total = sum(effects.values(), Fraction(0))
    grads = {m: {} for m in state.mot_ids}  # RE(i): per edge
    share_grads = {m: {} for m in state.mot_ids}
    for f, to, _ in edges:
        dp = d_start(base_n, base_h, None, f, to)
        d_re = {}
        for m in state.mot_ids:
            n_i, h_i = removed[m]
            pi, dpi = h_i[0], d_start(n_i, h_i, ix[m], f, to)
            # RE = 1 − P_i/P.
            d_re[m] = (pi * dp - dpi * p) / (p * p)
        d_total = sum(d_re.values(), Fraction(0))
        for m in state.mot_ids:
            grads[m][(f, to)] = d_re[m]
            if total > 0:
                share_grads[m][(f, to)] = (d_re[m] * total - effects[m] * d_total) / (total * total)

    def variance(g):
        v = Fraction(0)
        for f in range(t):
            if out[f] == 0:
                continue
            row = [(pab, g[(ff, to)]) for ff, to, pab in edges if ff == f]
            m1 = sum((pab * x for pab, x in row), Fraction(0))
            m2 = sum((pab * x * x for pab, x in row), Fraction(0))
            v += (m2 - m1 * m1) / out[f]
        return v

    se = {m: math.sqrt(variance(grads[m])) for m in state.mot_ids}
    share_se = {m: math.sqrt(variance(share_grads[m])) for m in state.mot_ids} if total > 0 else None
    return {"p_sco": p, "effects": effects, "se": se, "share_se": share_se}


def newcombe(s_a, n_a, s_b, n_b):
    """Newcombe's hybrid-score 95% interval (1998, method 10) for
    p_b − p_a, from the two Wilson intervals."""
    pa, pb = s_a / n_a, s_b / n_b
    la, ua = wilson(s_a, n_a)
    lb, ub = wilson(s_b, n_b)
    d = pb - pa
    return d - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2), d + math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)


def interval(x, se):
    """x ± 1.96·se, kept in [0, 1]."""
    return min(max(x - Z95 * se, 0.0), 1.0), min(max(x + Z95 * se, 0.0), 1.0)


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
    def above_zero(low, what):
        if low is None:
            return True
        if abs(low) <= MARGIN and low != 0.0:
            near.append(f"{m['id']} {what} interval: lower bound {low}")
        return low > 0.0

    # An effect whose 95% interval reaches 0 makes no driver.
    contributes = (
        m["lift"] is not None
        and ge(m["lift"], rule["min_lift"], f"{m['id']} lift")
        and above_zero(m["lift_ci_low"], "lift")
    ) or (
        m["removal_effect"] is not None
        and ge(m["removal_effect"], rule["min_removal_effect"], f"{m['id']} removal effect")
        and above_zero(m["removal_effect_ci_low"], "removal-effect")
    )
    return "magic" if contributes else "neutral"


# ---------------------------------------------------------------------------
# Conformance to the designed journey (DOMAIN 3b).
# ---------------------------------------------------------------------------


def designed_journey(case, state, model):
    """D: config.json's `designed` list if there is one, else the
    experience's designed journey (the independent model's), else None."""
    if case["designed"] is not None:
        if model is not None:
            unknown = [x for x in case["designed"] if x not in model.mot_ix]
            assert not unknown, f"designed MOTs the experience does not have: {unknown}"
        return list(case["designed"])
    if model is not None:
        return [model.mots[i]["id"] for i in model.designed_journey()]
    return None


def lcs(a, b):
    """Length of a longest common subsequence, by the textbook dynamic
    programme (the library uses a bit-parallel algorithm)."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def deviation(seq, design):
    """Cost, fitness and the kinds of deviation of one observed sequence."""
    n, m = len(seq), len(design)
    common = lcs(seq, design)
    cost = n + m - 2 * common
    cs, cd = Counter(seq), Counter(design)
    missing = {x: max(0, cd[x] - cs[x]) for x in cd}
    extra = {x: max(0, cs[x] - cd[x]) for x in cd}
    undesigned = {x: c for x, c in cs.items() if x not in cd}
    out_of_order = sum(min(cs[x], cd[x]) for x in cd) - common
    assert out_of_order >= 0
    assert cost == sum(missing.values()) + sum(extra.values()) + sum(undesigned.values()) + 2 * out_of_order, (
        seq,
        design,
    )
    return {
        "lcs": common,
        "cost": cost,
        "fitness": 1.0 - cost / (n + m),
        "missing": missing,
        "extra": extra,
        "undesigned": undesigned,
        "out_of_order": out_of_order,
    }


def sco_share(journeys):
    """SCO share among the journeys with a known outcome (None if none)."""
    known = [j for j in journeys if j["cls"] != 2]
    return rate(sum(1 for j in known if j["cls"] == 0), len(known))


def conformance_figures(case, state, design, dev, doc, people, alerts, near):
    """The `conformance` object, and its alert appended to `alerts` (after
    every MOT alert)."""
    period = case["period"]
    n = len(state.closed)
    conforming = [j for j, v in zip(state.closed, dev) if v["cost"] == 0]
    deviating = [j for j, v in zip(state.closed, dev) if v["cost"] != 0]
    lo, hi = wilson(len(conforming), n)
    centre = rate(len(conforming), n)
    when_ok, when_not = sco_share(conforming), sco_share(deviating)

    # Trend: a journey counts in the period of its first interaction.
    by_period = {}
    for j, v in zip(state.closed, dev):
        c = by_period.setdefault(period.index(j["times"][0]), [0, 0])
        c[0] += 1
        c[1] += int(v["cost"] == 0)
    trend = []
    for idx, (pn, pc) in sorted(by_period.items()):
        p = pc / pn
        lcl, ucl = p_chart_limits(centre, pn)
        for lim in (lcl, ucl):
            if abs(p - lim) <= MARGIN and 0.0 < lim < 1.0:
                near.append(f"conformance period {idx}: rate {p} on a control limit {lim}")
        trend.append(
            {
                "start": period.start_of(idx),
                "journeys": pn,
                "conforming": pc,
                "rate": p,
                "centre": centre,
                "lcl": lcl,
                "ucl": ucl,
                "out_of_control": "low" if p < lcl else ("high" if p > ucl else None),
            }
        )

    # The alert: the latest point below its lower limit, with enough journeys.
    if trend and trend[-1]["out_of_control"] == "low":
        last = trend[-1]
        if last["journeys"] >= case["alert_min_interactions"]:
            owner = doc["manager"] if doc else None
            owner_name = people[owner]["name"] if owner in people else None
            msg = "Conformance to the designed journey {}% ({}/{} journeys) in the latest {} is below its lower control limit {}%{}".format(
                fmt_pct(last["rate"] * 100.0, near, "conformance rate"),
                last["conforming"],
                last["journeys"],
                period.name(),
                fmt_pct(last["lcl"] * 100.0, near, "conformance lower limit"),
                f" — tell {owner_name}" if owner_name is not None else "",
            )
            alerts.append(
                {
                    "mot": None,
                    "name": None,
                    "owner": owner,
                    "owner_name": owner_name,
                    "kind": "conformance",
                    "evidence": "p-chart",
                    "period_start": last["start"],
                    "rate": last["rate"],
                    "interactions": last["journeys"],
                    "limit": last["lcl"],
                    "message": msg,
                }
            )

    total_cost = sum(v["cost"] for v in dev)
    # The exact mean of the journeys' fitness, rounded once.
    fitness = sum((1 - Fraction(v["cost"], len(j["seq"]) + len(design)) for j, v in zip(state.closed, dev)), Fraction(0))
    return {
        "designed": list(design),
        "designed_steps": len(design),
        "journeys": n,
        "conforming": len(conforming),
        "rate": centre,
        "ci_low": lo,
        "ci_high": hi,
        "mean_fitness": float(fitness / n) if n else None,
        "mean_cost": total_cost / n if n else None,
        "deviations": {
            "missing": sum(sum(v["missing"].values()) for v in dev),
            "extra": sum(sum(v["extra"].values()) for v in dev),
            "undesigned": sum(sum(v["undesigned"].values()) for v in dev),
            "out_of_order": sum(v["out_of_order"] for v in dev),
        },
        "sco_when_conforming": when_ok,
        "sco_when_deviating": when_not,
        "lift": when_ok - when_not if (when_ok is not None and when_not is not None) else None,
        "trend": trend,
    }


# ---------------------------------------------------------------------------
# The journey in time (DOMAIN 3c): a DDSketch written from its definition.
# ---------------------------------------------------------------------------


def duration_summary(seconds, near, what):
    """count, mean and the sketch's p50/p90/p99 of integer-second durations.

    The library holds nanoseconds: the mean is the exact integer sum in
    nanoseconds over the count, and a value enters the sketch as
    x = ns / 1e9. x = 0 goes to the zero bucket, x > 0 to bucket
    ceil(ln x / ln γ). Quantile q: the first bucket, zero bucket first,
    whose cumulative count exceeds q·(count − 1); its value is 0 or
    2·γ^i / (γ + 1)."""
    count = len(seconds)
    assert count > 0
    nanos = [v * NANOS for v in seconds]
    zero, buckets = 0, {}
    for ns in nanos:
        x = float(ns) / 1e9
        assert x >= 0.0, f"{what}: negative duration"
        if x == 0.0:
            zero += 1
            continue
        r = math.log(x) / SKETCH_LN_GAMMA
        if x != 1.0 and abs(r - round(r)) <= MARGIN:
            near.append(f"{what}: {x} s sits on a sketch bucket boundary (ln x / ln γ = {r})")
        i = math.ceil(r)
        buckets[i] = buckets.get(i, 0) + 1
    exact = sorted(float(ns) / 1e9 for ns in nanos)
    out = {"count": count, "mean_s": float(sum(nanos)) / float(count) / 1e9}
    for key, q in QUANTILES:
        rank = q * (count - 1)
        cum, est = zero, None
        if cum > rank:
            est = 0.0
        else:
            for i in sorted(buckets):
                cum += buckets[i]
                if cum > rank:
                    est = 2.0 * SKETCH_GAMMA**i / (SKETCH_GAMMA + 1.0)
                    break
        assert est is not None
        # The accuracy guarantee, against the value at sorted index floor(rank).
        x = exact[math.floor(rank)]
        if x == 0.0:
            assert est == 0.0, (what, key)
        else:
            assert abs(est - x) <= SKETCH_ALPHA * x * (1.0 + 1e-12), (what, key, est, x)
        out[key] = est
    return out


# ---------------------------------------------------------------------------
# The dashboard.
# ---------------------------------------------------------------------------


def fmt_pct(x, near, what):
    """Rust's `{:.N}`: correctly rounded; the fixtures avoid halfway cases."""
    frac = (abs(x) * 10**MESSAGE_DECIMALS) % 1.0
    if abs(frac - 0.5) < 1e-6:
        near.append(f"{what}: {x} is halfway at {MESSAGE_DECIMALS} decimals")
    return f"{x:.{MESSAGE_DECIMALS}f}"


def utc_hhmm(ts):
    """HH:MM, the UTC time of day of a timestamp (seconds)."""
    minutes = (ts % DAY) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def cusum_figures(det):
    """`mots[].cusum`: null without a detector."""
    if det is None:
        return None
    design = det["design"]
    return {
        "p0": design["p0"],
        "p1": design["p1"],
        "h": design["h"],
        "arl0": design["arl0"],
        "statistic": det["s"] / design["scale"],
        "alarms": len(det["alarms"]),
        "last_alarm_at": det["alarms"][-1][0] if det["alarms"] else None,
    }


def below_target_evidence(s, n, target, det, start, width, near, mid):
    """Why a latest rate below its target is believed: "wilson" when the
    period's Wilson 95% upper bound is below the target, else "cusum" when
    the MOT's detector alarmed in [start, start + width), else None."""
    _, upper = wilson(s, n)
    if abs(upper - target) <= MARGIN:
        near.append(f"{mid}: Wilson upper bound {upper} on its target {target}")
    if upper < target:
        return "wilson"
    if det is not None and any(start <= ts < start + width for ts, _ in det["alarms"]):
        return "cusum"
    return None


def build(case, state):
    doc = case["doc"]
    rule = case["rule"]
    period = case["period"]
    near = []  # comparisons too close to call: the fixture is refused
    model = xm.Model(doc) if doc else None
    mot_doc = {m["id"]: m for m in doc["mots"]} if doc else {}
    doc_index = {m["id"]: i for i, m in enumerate(doc["mots"])} if doc else {}
    people = {p["id"]: p for p in doc["people"]} if doc else {}

    # The designed journey D; no design (or an empty one) means no
    # conformance figures at all.
    design = designed_journey(case, state, model)
    if not design:
        design = None
    if design is not None and not state.bound:
        # Discovery mode: designed MOTs the log never names are still listed,
        # as MOTs without interactions.
        for x in design:
            if x not in state.mots:
                state.mot_ids.append(x)
                state.mots[x] = new_mot_stats()
    in_design = set(design or ())
    dev = [deviation(j["seq"], design) for j in state.closed] if design is not None else None

    # MOT order: the experience's document order, then the rest by id; in
    # discovery mode only the MOTs seen in the data (and the designed ones).
    order = sorted(state.mot_ids, key=lambda m: (doc_index.get(m, math.inf), m))
    order = [
        m
        for m in order
        if m in mot_doc or m in in_design or state.mots[m]["n"] > 0 or state.mots[m]["journeys"] > 0
    ]

    sco_rate = rate(state.sco, state.known)
    re = removal_effects(state)
    shares = None
    if re is not None:
        total = sum(re["effects"].values(), Fraction(0))
        if total > 0:
            shares = {m: e / total for m, e in re["effects"].items()}
    sco_value = state.sco_value.value() if state.value_journeys > 0 else None
    landscape = {c["mot"]: c["own"] for c in model.cost_rollup()["mots"]} if model else None

    # Sequential alarms: one detector per MOT whose target lies in (0, 1),
    # run over the accepted interactions of the whole ingest in timestamp
    # order, ties in file row order, across journeys.
    accepted = cusum_order(state.accepted)
    detectors = {}
    for mid in order:
        m = mot_doc.get(mid)
        detector = cusum_design(xm.num(m["smoto"].get("target_rate")) if m else None, near=near, what=f"{mid} detector")
        if detector is None:
            continue
        s_end, alarms = cusum_run(detector, [(ts, ok) for ts, _, mot, ok in accepted if mot == mid])
        detectors[mid] = {"design": detector, "s": s_end, "alarms": alarms}

    mots = []
    for mid in order:
        st = state.mots[mid]
        m = mot_doc.get(mid)
        smoto = rate(st["s"], st["n"])
        lo, hi = wilson(st["s"], st["n"])
        lift = None
        lift_ci = (None, None)
        if st["ok_known"] > 0 and st["fail_known"] > 0:
            lift = st["ok_sco"] / st["ok_known"] - st["fail_sco"] / st["fail_known"]
            lift_ci = newcombe(st["fail_sco"], st["fail_known"], st["ok_sco"], st["ok_known"])
        removal = float(re["effects"][mid]) if re else None
        removal_ci = interval(removal, re["se"][mid]) if re else (None, None)
        share = shares[mid] if shares else None
        share_ci = interval(float(share), re["share_se"][mid]) if shares else (None, None)
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
                "lift_ci_low": lift_ci[0],
                "removal_effect": removal,
                "removal_effect_ci_low": removal_ci[0],
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
        gap = None
        if dev is not None:
            gap = {
                "missing": sum(v["missing"].get(mid, 0) for v in dev),
                "extra": sum(v["extra"].get(mid, 0) for v in dev),
                "undesigned": sum(v["undesigned"].get(mid, 0) for v in dev),
            }
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
                "lift_ci_low": lift_ci[0],
                "lift_ci_high": lift_ci[1],
                "removal_effect": removal,
                "removal_effect_ci_low": removal_ci[0],
                "removal_effect_ci_high": removal_ci[1],
                "attribution_share": float(share) if share is not None else None,
                "attribution_share_ci_low": share_ci[0],
                "attribution_share_ci_high": share_ci[1],
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
                "cost": None
                if total_cost is None
                else {
                    "per_interaction": total_cost / st["n"] if st["n"] > 0 else None,
                    "per_success": total_cost / st["s"] if st["s"] > 0 else None,
                    # The fixtures' logs all have a success column.
                    "of_failures": total_cost / st["n"] * (st["n"] - st["s"]) if st["n"] > 0 else None,
                },
                "gap": gap,
                "cusum": cusum_figures(detectors.get(mid)),
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
        det = detectors.get(mid)
        owner = fig["owner"]
        owner_name = people[owner]["name"] if owner in people else None
        label = fig["name"] if fig["name"] is not None else mid
        tell = f" — tell {owner_name}" if owner_name is not None else ""

        def alert(kind, evidence, start, p, n, limit, msg):
            alerts.append(
                {
                    "mot": mid,
                    "name": fig["name"],
                    "owner": owner,
                    "owner_name": owner_name,
                    "kind": kind,
                    "evidence": evidence,
                    "period_start": start,
                    "rate": p,
                    "interactions": n,
                    "limit": limit,
                    "message": msg,
                }
            )

        def rate_alert(kind, evidence, start, p, s, n, limit, what):
            # Below target, the message says which evidence fired.
            why = ""
            if kind == "below-target" and evidence == "wilson":
                why = " (Wilson 95% upper bound {}%)".format(fmt_pct(wilson(s, n)[1] * 100.0, near, f"{mid} Wilson upper bound"))
            elif kind == "below-target":
                why = " (its CUSUM alarmed in the period)"
            msg = "{}: SMOTO rate {}% ({}/{}) in the latest {} is {} {}%{}{}".format(
                label,
                fmt_pct(p * 100.0, near, f"{mid} rate"),
                s,
                n,
                period.name(),
                what,
                fmt_pct(limit * 100.0, near, f"{mid} {kind} limit"),
                why,
                tell,
            )
            alert(kind, evidence, start, p, n, limit, msg)

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
            # when that period holds enough interactions (the CUSUM alert
            # below excepted).
            if idx == latest:
                # Below target needs evidence: the period's Wilson upper
                # bound below the target, or else an alarm of the MOT's
                # detector during the period.
                evidence = None
                if fig["target"] is not None:
                    if abs(p - fig["target"]) <= MARGIN:
                        near.append(f"{mid}: latest rate on its target")
                    if p < fig["target"]:
                        evidence = below_target_evidence(
                            s, n, fig["target"], det, start, period.width, near, mid
                        )
                if n < case["alert_min_interactions"]:
                    # Held back (for the fixture checks): `alert` when an
                    # alert would be raised with enough interactions.
                    below = fig["target"] is not None and p < fig["target"]
                    if out or below:
                        case.setdefault("held_back", []).append(
                            {"mot": mid, "n": n, "below_target": below, "alert": bool(out or evidence)}
                        )
                else:
                    if out == "low":
                        rate_alert("below-control-limit", "p-chart", start, p, s, n, lcl, "below its lower control limit")
                    elif out == "high":
                        rate_alert("above-control-limit", "p-chart", start, p, s, n, ucl, "above its upper control limit")
                    if evidence:
                        rate_alert("below-target", evidence, start, p, s, n, fig["target"], "below its SMOTO target")
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
        # The CUSUM alert: the detector's last alarm fell in the latest
        # period, whatever the number of interactions there.
        if det is not None and det["alarms"] and latest is not None:
            ts, crossed = det["alarms"][-1]
            start = period.start_of(latest)
            if start <= ts < start + period.width:
                point = next(pt for pt in points if pt["start"] == start)
                detector = det["design"]  # (`design` is the designed journey)
                msg = "{}: failures above target {}% (CUSUM {} ≥ h {}) at {} UTC in the latest {}{}".format(
                    label,
                    fmt_pct(fig["target"] * 100.0, near, f"{mid} target"),
                    fmt_fixed(crossed / detector["scale"], 2, near, f"{mid} CUSUM statistic"),
                    fmt_fixed(detector["h"], 2, near, f"{mid} CUSUM h"),
                    utc_hhmm(ts),
                    period.name(),
                    tell,
                )
                alert("cusum", "cusum", start, point["rate"], point["interactions"], fig["target"], msg)
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
                    # MOT alerts only: the conformance alert is not an MOT's.
                    "alerts": sum(1 for a in alerts if a["mot"] is not None and a["owner"] == person["id"]),
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
            gaps = state.edge_gaps[(f, to)]
            assert len(gaps) == total
            duration = duration_summary(gaps, near, f"edge {f} -> {to}")
            edges.append({"from": f, "to": to, "count": total, "duration": duration})
    edges.sort(key=lambda e: (-e["count"], e["from"], e["to"]))
    journey_duration = (
        duration_summary([j["times"][-1] - j["times"][0] for j in state.closed], near, "journey duration")
        if state.closed
        else None
    )
    start_counts.sort(key=lambda e: (-e["count"], e["mot"]))
    end_counts.sort(key=lambda e: (-e["count"], e["mot"]))

    # Variants: most frequent first, ties by the sequence (element-wise).
    variants = sorted(state.variants.items(), key=lambda kv: (-kv[1], list(kv[0])))
    top = []
    for seq, c in variants[: case["top_variants"]]:
        v = deviation(list(seq), design) if design is not None else None
        top.append(
            {
                "mots": list(seq),
                "count": c,
                "cost": v["cost"] if v else None,
                "fitness": v["fitness"] if v else None,
            }
        )

    conformance = None
    if design is not None:
        conformance = conformance_figures(case, state, design, dev, doc, people, alerts, near)

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
        "cost": cost_figures(mots, model, state.sco, near),
        "directly_follows": {"edges": edges, "start": start_counts, "end": end_counts},
        "journey_duration": journey_duration,
        "variants": {"distinct": len(variants), "top": top},
        "conformance": conformance,
        # Journeys at risk: open journeys below the threshold. One columnar
        # call closes every journey it reads, so none is open here.
        "at_risk": {"threshold": case["at_risk_threshold"], "open_journeys": 0, "below": 0, "top": []},
        "rejected": dict(state.rejected),
    }
    assert not near, "the fixture sits on a threshold:\n  " + "\n  ".join(near)
    return dashboard


def cost_figures(mots, model, sco_journeys, near):
    """The cost line of sight: every MOT's total cost plus the landscape's
    unexplained cost; per SCO journey; the MOTs that cost money while their
    removal-effect interval reaches 0 (the data cannot show they help)."""
    rollup = model.cost_rollup() if model else None
    parts = [m["dimensions"]["total_cost"] for m in mots if m["dimensions"]["total_cost"] is not None]
    if rollup is not None and rollup["total"] > 0:
        parts.append(rollup["unexplained"])
    total = Sum(parts).value() if parts else None
    candidates = []
    for m in mots:
        saves = m["dimensions"]["total_cost"]
        if saves is None or saves <= 0 or m["removal_effect"] is None:
            continue
        low = m["removal_effect_ci_low"]
        if 0 < low <= MARGIN:
            near.append(f"{m['id']}: removal-effect interval touches 0")
        if low <= 0.0:
            candidates.append(
                {
                    "mot": m["id"],
                    "name": m["name"],
                    "contribution": m["contribution"],
                    "removal_effect": m["removal_effect"],
                    "removal_effect_ci_high": m["removal_effect_ci_high"],
                    "saves": saves,
                }
            )
    candidates.sort(key=lambda c: (-c["saves"], c["mot"]))
    return {
        "total": total,
        "cost_per_sco": total / sco_journeys if (total is not None and sco_journeys > 0) else None,
        "landscape_unexplained": rollup["unexplained"] if rollup is not None else None,
        "landscape_unexplained_share": rollup["unexplained"] / rollup["total"]
        if (rollup is not None and rollup["total"] > 0)
        else None,
        "removal_candidates": candidates,
    }


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
    # No design; durations with a zero gap and a one-interaction journey.
    assert case["designed"] is None and d["conformance"] is None
    assert any(0 in g for g in state.edge_gaps.values()), "no zero gap"
    assert any(len(s) == 1 for s in state.sequences.values()), "no one-interaction journey"


def check_bound_alerts(case, state, d, folder):
    kinds = {a["kind"] for a in d["alerts"]}
    assert {"below-control-limit", "below-target"} <= kinds, kinds
    # support ends below its target in a period with too few interactions
    # (and no evidence either): no alert.
    assert any(h["mot"] == "support" and h["below_target"] for h in case.get("held_back", []))
    assert "support" not in {a["mot"] for a in d["alerts"]}
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
    # The designed journey replaces the nested `install` by its positioned
    # children, in position order (not document order).
    assert d["conformance"]["designed"] == ["order", "visit", "activate", "welcome-call", "first-bill"]
    assert "conformance" not in {a["kind"] for a in d["alerts"]}


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
    assert any(h["mot"] == "support" and h["below_target"] for h in case.get("held_back", []))
    assert "support" not in {a["mot"] for a in d["alerts"]}
    # `order` ends below its target with enough interactions, but neither
    # its Wilson upper bound nor its detector backs that: no alert.
    order = next(p for t in d["trends"] if t["mot"] == "order" for p in t["periods"] if p["start"] == max(starts))
    assert order["interactions"] >= case["alert_min_interactions"] and order["rate"] < 0.85
    assert wilson(order["successes"], order["interactions"])[1] >= 0.85
    assert "order" not in {a["mot"] for a in d["alerts"]}
    assert [(a["mot"], a["kind"], a["evidence"]) for a in d["alerts"]] == [("visit", "below-target", "wilson")]
    assert d["variants"]["distinct"] > len(d["variants"]["top"]) == case["top_variants"] == 3
    counts = sorted(state.variants.values(), reverse=True)
    assert counts[2] > counts[3], "the top-3 cut falls inside a tie"
    # The latest week holds enough journeys, but stays inside its limits.
    last = d["conformance"]["trend"][-1]
    assert last["journeys"] >= case["alert_min_interactions"] and last["out_of_control"] is None
    assert "conformance" not in {a["kind"] for a in d["alerts"]}


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
    c = d["conformance"]
    assert c["conforming"] == 0 and c["sco_when_conforming"] is None and c["lift"] is None
    assert {"magic", "misery", "neutral", "unaligned"} <= classes_of(d), classes_of(d)


ALERT_EVIDENCE = {
    "below-control-limit": {"p-chart"},
    "above-control-limit": {"p-chart"},
    "below-target": {"wilson", "cusum"},
    "cusum": {"cusum"},
    "conformance": {"p-chart"},
}
ALERT_RANK = {"below-control-limit": 0, "above-control-limit": 0, "below-target": 1, "cusum": 2, "conformance": 3}


def check_every_case(case, state, d, folder):
    """What holds in every case: the conformance and time figures add up."""
    c = d["conformance"]
    journeys = d["amount"]["journeys"]
    if c is None:
        assert all(m["gap"] is None for m in d["mots"])
        assert all(v["cost"] is None and v["fitness"] is None for v in d["variants"]["top"])
    else:
        assert c["journeys"] == journeys == sum(p["journeys"] for p in c["trend"])
        assert c["conforming"] == sum(p["conforming"] for p in c["trend"])
        assert [p["start"] for p in c["trend"]] == sorted({p["start"] for p in c["trend"]})
        # Every designed and every observed MOT is listed, so the per-MOT
        # gaps add up to the totals.
        for kind in ("missing", "extra", "undesigned"):
            assert sum(m["gap"][kind] for m in d["mots"]) == c["deviations"][kind], kind
        total = sum(c["deviations"][k] for k in ("missing", "extra", "undesigned")) + 2 * c["deviations"]["out_of_order"]
        assert total == sum(deviation(j["seq"], c["designed"])["cost"] for j in state.closed)
        assert c["conforming"] == sum(v["count"] for v in state_variants(state) if tuple(c["designed"]) == v["mots"])
    for e in d["directly_follows"]["edges"]:
        assert e["duration"]["count"] == e["count"]
    if journeys:
        assert d["journey_duration"]["count"] == journeys
    else:
        assert d["journey_duration"] is None
    for o in d["ownership"]["owners"]:
        assert o["alerts"] == sum(1 for a in d["alerts"] if a["kind"] != "conformance" and a["owner"] == o["person"])
    kinds = [a["kind"] for a in d["alerts"]]
    assert "conformance" not in kinds or kinds.index("conformance") == len(kinds) - 1, "the conformance alert comes last"
    # Detectors: exactly the MOTs with a target in (0, 1); none in discovery mode.
    by_id = {m["id"]: m for m in d["mots"]}
    for m in d["mots"]:
        t = m["target"]
        assert (m["cusum"] is None) == (t is None or not CUSUM_MIN_TARGET <= t < 1.0), m["id"]
        assert d["experience"] is not None or m["cusum"] is None
    # Evidence by kind, and the order: by MOT (mots order), then
    # control limit, below target, cusum; the conformance alert last.
    for a in d["alerts"]:
        assert a["evidence"] in ALERT_EVIDENCE[a["kind"]], a
    pos = {m["id"]: i for i, m in enumerate(d["mots"])}
    keys = [(pos[a["mot"]] if a["mot"] is not None else len(pos), ALERT_RANK[a["kind"]]) for a in d["alerts"]]
    assert keys == sorted(keys) and len(set(keys)) == len(keys), keys
    # A cusum alert: the MOT's last alarm lies in the alert's (latest) period.
    width = case["period"].width
    latest = max((p["start"] for t in d["trends"] for p in t["periods"]), default=None)
    for m in d["mots"]:
        c = m["cusum"]
        in_latest = c is not None and c["last_alarm_at"] is not None and latest <= c["last_alarm_at"] < latest + width
        raised = [a for a in d["alerts"] if a["mot"] == m["id"] and a["kind"] == "cusum"]
        assert len(raised) == int(in_latest), m["id"]
        for a in raised:
            assert a["period_start"] == latest and a["limit"] == m["target"]


def state_variants(state):
    return [{"mots": seq, "count": n} for seq, n in state.variants.items()]


def sequences_with_ties_reversed(case, state):
    """Each closed journey's sequence if ties were broken against input order."""
    rows = {}
    for r in case["events"]:
        rows.setdefault(r["journey_id"], []).append(r)
    out = {}
    for key in state.sequences:
        rs = [r for r in rows[key] if r["timestamp"] is not None][::-1]
        out[key] = [r["mot_id"] for r in sorted(rs, key=lambda r: r["timestamp"])]
    return out


def check_conformance_airline(case, state, d, folder):
    assert (folder / "experience.json").read_bytes() == (
        HERE.parent.parent / "mot-core" / "data" / "airline.json"
    ).read_bytes(), "conformance-airline/experience.json must equal mot-core/data/airline.json"
    doc, c = case["doc"], d["conformance"]
    assert case["designed"] is None and c is not None
    # The experience's designed journey: an unpositioned parent is skipped,
    # and so are its positioned children.
    by_id = {m["id"]: m for m in doc["mots"]}
    skipped = [m["id"] for m in doc["mots"] if "position" not in m and m.get("parent") is None]
    kids = [m["id"] for m in doc["mots"] if m.get("parent") in skipped and "position" in m]
    assert skipped and kids and not (set(skipped + kids) & set(c["designed"]))
    assert all(by_id[x].get("parent") is None and "position" in by_id[x] for x in c["designed"])
    assert c["designed"] == sorted(c["designed"], key=lambda x: by_id[x]["position"])
    dev = c["deviations"]
    assert all(dev[k] > 0 for k in ("missing", "extra", "undesigned", "out_of_order")), dev
    assert c["conforming"] > 0 and c["sco_when_conforming"] is not None and c["sco_when_deviating"] is not None
    assert d["sco"]["unknown"] >= 1
    assert any(not (set(s) & set(c["designed"])) for s in state.sequences.values()), "no journey of only undesigned MOTs"
    assert any(len(s) > 64 for s in state.sequences.values()), "no journey longer than 64 interactions"
    # Ties: input order decides a journey's conformance (one deviates only
    # by its tie, one conforms with its tie in designed order).
    flipped = sequences_with_ties_reversed(case, state)
    changed = [k for k, s in state.sequences.items() if flipped[k] != s]
    assert any(
        deviation(state.sequences[k], c["designed"])["cost"] != deviation(flipped[k], c["designed"])["cost"]
        for k in changed
    ), "no tie decides a journey's conformance"
    assert any(state.sequences[k] == c["designed"] for k in changed), "no conforming journey with a tie"
    assert any(0 in g for g in state.edge_gaps.values()), "no zero gap"
    # Several periods, a journey that crosses into the next one, and the
    # alert in the latest period that holds a journey's first interaction.
    assert len(c["trend"]) >= 3
    assert any(case["period"].index(j["times"][0]) != case["period"].index(j["times"][-1]) for j in state.closed)
    alert = d["alerts"][-1]
    last = c["trend"][-1]
    assert alert["kind"] == "conformance" and last["out_of_control"] == "low"
    assert alert["period_start"] == last["start"] and alert["interactions"] >= case["alert_min_interactions"]
    assert alert["owner"] == doc["manager"] and alert["owner_name"] is not None
    latest_mot = max(p["start"] for t in d["trends"] for p in t["periods"])
    assert latest_mot > last["start"], "the latest MOT period should lie after the latest conformance period"
    assert all(p["interactions"] < case["alert_min_interactions"] for t in d["trends"] for p in t["periods"] if p["start"] == latest_mot)
    assert [a["kind"] for a in d["alerts"]] == ["conformance"]
    assert all(p["out_of_control"] is None for p in c["trend"][:-1])
    # The file is not in time order.
    ts = [r["timestamp"] for r in case["events"]]
    assert any(a > b for a, b in zip(ts, ts[1:]))


def check_conformance_designed(case, state, d, folder):
    c = d["conformance"]
    assert case["doc"] is None and d["experience"] is None and c is not None
    design = case["designed"]
    assert c["designed"] == design and len(design) > 64
    assert len(set(design)) < len(design), "no designed MOT repeated in the design"
    unseen = [x for x in dict.fromkeys(design) if x not in state.sequences_mots()]
    assert len(unseen) == 1
    by_id = {m["id"]: m for m in d["mots"]}
    m = by_id[unseen[0]]
    assert m["interactions"] == 0 and m["name"] is None and m["gap"]["missing"] == c["journeys"]
    assert [m["id"] for m in d["mots"]] == sorted(by_id), "discovery lists MOTs by id"
    assert any(len(s) > 64 for s in state.sequences.values())
    assert any(not (set(s) & set(design)) for s in state.sequences.values()), "no journey of only undesigned MOTs"
    assert all(c["deviations"][k] > 0 for k in ("missing", "extra", "undesigned", "out_of_order"))
    assert c["conforming"] == 0 and c["sco_when_conforming"] is None and c["lift"] is None
    assert any(0 in g for g in state.edge_gaps.values()), "no zero gap"
    assert any(len(s) == 1 for s in state.sequences.values()), "no one-interaction journey"
    assert d["sco"]["unknown"] >= 1
    # A repeated designed MOT can be missing although it was observed.
    assert any(
        deviation(s, design)["missing"][x] > 0 and x in s for s in state.sequences.values() for x in design if design.count(x) > 1
    )
    assert d["ratio"]["designed_steps"] is None
    assert len(d["variants"]["top"]) == d["variants"]["distinct"]


def check_cusum_alerts(case, state, d, folder):
    assert (folder / "experience.json").read_bytes() == (HERE / "bound-alerts" / "experience.json").read_bytes()
    assert [(a["mot"], a["kind"], a["evidence"]) for a in d["alerts"]] == [
        ("order", "below-target", "cusum"),
        ("order", "cusum", "cusum"),
        ("activate", "below-control-limit", "p-chart"),
        ("activate", "below-target", "wilson"),
        ("activate", "cusum", "cusum"),
        ("first-bill", "cusum", "cusum"),
    ]
    by_id = {m["id"]: m for m in d["mots"]}
    latest = max(p["start"] for t in d["trends"] for p in t["periods"])
    point = {t["mot"]: p for t in d["trends"] for p in t["periods"] if p["start"] == latest}
    alarms = {}
    accepted = cusum_order(state.accepted)
    for mid, m in by_id.items():
        detector = cusum_design(m["target"])
        if detector is not None:
            steps = [(ts, ok) for ts, _, mot, ok in accepted if mot == mid]
            alarms[mid] = (detector, steps, cusum_run(detector, steps)[1])
    # order: below target with enough interactions, its Wilson upper bound
    # above the target, so the evidence is the alarm; the alarm needed the
    # statistic carried over from the day before.
    o = point["order"]
    assert o["interactions"] >= case["alert_min_interactions"] and o["rate"] < 0.85
    assert wilson(o["successes"], o["interactions"])[1] >= 0.85
    detector, steps, fired = alarms["order"]
    ts = fired[-1][0]
    fails_today = sum(1 for t, ok in steps if latest <= t <= ts and ok is False)
    assert latest <= ts and fails_today * detector["up"] < detector["threshold"]
    # first-bill: two alarms, the last in the latest day with fewer than
    # alert_min_interactions interactions there, and no owner.
    fb = [a for a in d["alerts"] if a["mot"] == "first-bill"][0]
    assert fb["interactions"] < case["alert_min_interactions"] and fb["owner"] is None and "— tell" not in fb["message"]
    assert len(alarms["first-bill"][2]) == by_id["first-bill"]["cusum"]["alarms"] == 2
    assert alarms["first-bill"][2][0][0] < latest <= alarms["first-bill"][2][1][0]
    assert any(h["mot"] == "first-bill" and h["alert"] for h in case["held_back"]), "no alert held back"
    # The statistic in the message is the one that crossed at the last alarm.
    assert alarms["first-bill"][2][0][1] != alarms["first-bill"][2][1][1]
    # visit: an alarm on an earlier day only, below its target in the latest
    # day with enough interactions, no evidence: no alert.
    v = point["visit"]
    assert by_id["visit"]["cusum"]["alarms"] >= 1 and by_id["visit"]["cusum"]["last_alarm_at"] < latest
    assert v["interactions"] >= case["alert_min_interactions"] and v["rate"] < 0.85
    assert "visit" not in {a["mot"] for a in d["alerts"]}
    # A detector without interactions; no detector without a target.
    assert by_id["install"]["interactions"] == 0 and by_id["install"]["cusum"]["statistic"] == 0.0
    assert by_id["welcome-call"]["cusum"] is None
    owners = {o["person"]: o["alerts"] for o in d["ownership"]["owners"]}
    assert owners == {"p-sales": 2, "p-field": 3}


CASES = {
    "discovery-basic": check_discovery_basic,
    "bound-alerts": check_bound_alerts,
    "weekly": check_weekly,
    "bound-seconds": check_bound_seconds,
    "conformance-airline": check_conformance_airline,
    "conformance-designed": check_conformance_designed,
    "cusum-alerts": check_cusum_alerts,
}


def compute(name):
    folder = HERE / name
    case = read_case(folder)
    state = ingest(case)
    d = build(case, state)
    CASES[name](case, state, d, folder)
    check_every_case(case, state, d, folder)
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
