#!/usr/bin/env python3
"""Writes the generated logs: `bound-alerts/` (and its copy in `weekly/`),
`bound-seconds/`, `conformance-airline/`, `conformance-designed/` and
`cusum-alerts/`.
(`discovery-basic/` is written by hand.)

Run once to create the inputs; the committed CSV files are the fixture, and
`compute_expected.py` only reads them. Kept so that the logs can be
re-derived and their story read.

`bound-alerts`:

- six UTC days, Thursday 2026-03-05 to Tuesday 2026-03-10 (two ISO weeks:
  Thu-Sun, then Mon-Tue), eight journeys a day starting 08:00, 80 minutes
  apart; each journey's interactions a few minutes apart;
- a journey: `order` (retried once after a failure: a repeated MOT and a
  self-loop), `visit` (after a failed visit: a `support` call and a second
  visit), `activate`, sometimes `welcome-call`, `first-bill`;
- the technician visit collapses on the last day (success 20% instead of
  92%): that gives the `below-control-limit` and `below-target` alerts;
- outcomes: the SCO needs a good last visit and a good activation (with some
  noise); SCO journeys carry revenue; two journeys have no outcome row;
- one row names an MOT the experience does not have (`unknown-mot`);
- `producer`: visits by `p-tech` (a known person) or `p-ext` (a
  subcontractor not in the experience), support calls by `p-agent`.

Deterministic: `random.Random(SEED)` gives the same draws on every Python 3.

`bound-seconds` (no randomness): 40 journeys `order, visit, activate,
first-bill` over four 12-hour periods (ten per period, 30 minutes apart,
from 01:00 and 13:00 UTC on 2026-03-05 and 2026-03-06). The first bill
succeeds 2 times in 10 in the first three periods and 9 in 10 in the last
one: above its upper control limit. Three visits fail (journeys 3, 14, 25).
The SCO is produced when both the visit and the first bill succeed. No cost
values (every cost field empty), no value or producer column, no outcome
value: the declared per-interaction cost, value and return are used.

`conformance-airline` (seeded, `random.Random(AIRLINE_SEED)`): the bundled
airline experience (a copy of `mot-core/data/airline.json`), whose designed
journey is its 13 positioned top-level MOTs; the disruption call and its four
positioned children are off the designed path. Five UTC days, Monday
2026-03-02 to Friday 2026-03-06, 16 journeys a day starting 06:00, 45
minutes apart. Each day gets a fixed list of journey patterns, shuffled:

- `conform`: the designed journey, and `tie-ok`: the designed journey with
  `seat` and `inflight-service` at the same second, listed in designed
  order (still conforming);
- skipped steps: `no-bag` (no `bag-drop`, no `baggage-reclaim`),
  `no-lounge`;
- rework: `rework-search`, `rework-pay`, `rework-gate` (a failed attempt,
  then the same MOT again);
- undesigned detours: `detour-checkin` (a failed check-in, a disruption call
  `call-dial, call-ivr, call-agent, call-close-sms`, check-in again),
  `complaint` (the same call after a failed baggage reclaim);
- out of order: `swap-seat` (in-flight service before the seat),
  `swap-lounge` (lounge before security), `tie-confirm` (`payment-auth`
  and `booking-confirmation` at the same second, the confirmation row
  first in the file: input order puts it first, out of designed order);
- `only-calls`: a journey with only the four call MOTs;
- `long`: 25 searches, the rest of the journey, and a disruption call stuck
  in the IVR 30 times: 70 interactions.

Days 1 to 4 hold 12, 10, 11 and 11 conforming journeys out of 16; day 5
holds 2 (the collapse that raises the `conformance` alert). The last journey
of day 4 and of day 5 starts at 23:10 and ends the next day. A few rows are
written after the rest of the log (the file is not in time order). SCO: the
flight and the baggage reclaim (when there is a bag) succeeded, flipped with
probability 0.08; seven journeys have no outcome row.

`conformance-designed` (no randomness): discovery mode with a 71-step designed
journey in `config.json` (`s01` ... `s70`, then `s01` again), eight journeys;
see the README.

`cusum-alerts` (no randomness): the `bound-alerts` experience, four UTC days,
Monday 2026-03-02 to Thursday 2026-03-05, 20 journeys a day from 08:00, 30
minutes apart: `order, visit, [support after a failed visit], activate,
first-bill`, 5 minutes apart; on the last day only the first 8 journeys have
a first bill. The failures are listed per MOT in `cusum_alerts()`; they are
placed so that the detectors (R = 2, ARL0 = 10,000) alarm where the README
says: `order` at Thursday 10:00 with a statistic carried over from
Wednesday, `activate` at Thursday 14:10, `first-bill` on Tuesday and at
Thursday 10:45, `visit` on Tuesday only.
"""

import json
import random
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 7
DAY0 = 1_772_668_800  # Thursday 2026-03-05 00:00 UTC
DAYS = 6
PER_DAY = 8


def bound_alerts():
    rng = random.Random(SEED)
    events, outcomes = [], []
    for d in range(DAYS):
        last = d == DAYS - 1
        for k in range(PER_DAY):
            j = f"h{d + 1}{k + 1:02d}"
            t = DAY0 + d * 86_400 + 8 * 3600 + k * 80 * 60

            def emit(mot, ok, cost="", value="", producer=""):
                nonlocal t
                events.append((j, mot, t, "true" if ok else "false", cost, value, producer))
                t += rng.choice([180, 300, 420])
                return ok

            ok = emit("order", rng.random() < 0.85, "0.4", "2.5")
            if not ok:
                emit("order", rng.random() < 0.8, "0.4", "2.5")
            p_visit = 0.2 if last else 0.92
            tech = "p-tech" if rng.random() < 0.7 else "p-ext"
            visit_ok = emit("visit", rng.random() < p_visit, "35.0", "", tech)
            if not visit_ok:
                emit("support", rng.random() < 0.7, "", "", "p-agent")
                visit_ok = emit("visit", rng.random() < (0.5 if last else 0.9), "35.0", "", tech)
            act_ok = emit("activate", rng.random() < 0.95)
            if rng.random() < 0.6:
                emit("welcome-call", rng.random() < 0.8)
            bill_ok = emit("first-bill", rng.random() < 0.9)
            sco = visit_ok and act_ok and (bill_ok or rng.random() < 0.5)
            if rng.random() < 0.1:
                sco = not sco
            if (d, k) in ((1, 3), (4, 6)):
                continue  # no outcome row: unknown outcome
            value = f"{rng.choice([90, 110, 120, 135, 150])}.0" if sco else ("" if rng.random() < 0.5 else "0.0")
            outcomes.append((j, "true" if sco else "false", value))
        if d == 2:
            # A row naming an MOT the experience does not have.
            events.append((f"h{d + 1}01", "router-swap", DAY0 + d * 86_400 + 9 * 3600, "true", "", "", "p-tech"))
    folder = HERE / "bound-alerts"
    with open(folder / "events.csv", "w") as f:
        f.write("journey_id,mot_id,timestamp,success,cost,value,producer\n")
        for r in events:
            f.write(",".join(str(x) for x in r) + "\n")
    with open(folder / "outcomes.csv", "w") as f:
        f.write("journey_id,sco,value\n")
        for r in outcomes:
            f.write(",".join(r) + "\n")
    weekly = HERE / "weekly"
    weekly.mkdir(exist_ok=True)
    for name in ("events.csv", "outcomes.csv", "experience.json"):
        shutil.copyfile(folder / name, weekly / name)


def bound_seconds():
    folder = HERE / "bound-seconds"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(HERE / "bound-alerts" / "experience.json", folder / "experience.json")
    events, outcomes = [], []
    for j in range(40):
        period, k = divmod(j, 10)
        t = DAY0 + period * 43_200 + 3600 + k * 1800
        key = f"s{j + 1:02d}"
        visit_ok = j not in (2, 13, 24)
        bill_ok = (k < 9) if period == 3 else (k in (1, 6))
        for step, (mot, ok) in enumerate(
            [("order", True), ("visit", visit_ok), ("activate", True), ("first-bill", bill_ok)]
        ):
            events.append((key, mot, t + 240 * step, "true" if ok else "false", ""))
        outcomes.append((key, "true" if (visit_ok and bill_ok) else "false"))
    with open(folder / "events.csv", "w") as f:
        f.write("journey_id,mot_id,timestamp,success,cost\n")
        for r in events:
            f.write(",".join(str(x) for x in r) + "\n")
    with open(folder / "outcomes.csv", "w") as f:
        f.write("journey_id,sco\n")
        for r in outcomes:
            f.write(",".join(r) + "\n")


AIRLINE_SEED = 2026
AIRLINE_DAY0 = 1_772_409_600  # Monday 2026-03-02 00:00 UTC
AIRLINE_DESIGN = [
    "search-book",
    "payment-auth",
    "booking-confirmation",
    "survey-email",
    "check-in",
    "bag-drop",
    "security-screening",
    "lounge",
    "boarding-gate",
    "seat",
    "inflight-service",
    "flight",
    "baggage-reclaim",
]
CALL = ["call-dial", "call-ivr", "call-agent", "call-close-sms"]
# The deviating patterns of each day (the rest of the 16 conform).
AIRLINE_DAYS = [
    ["no-bag", "rework-pay", "swap-seat", "complaint"],
    ["no-lounge", "rework-search", "detour-checkin", "tie-confirm", "swap-lounge", "no-bag"],
    ["rework-gate", "long", "no-bag", "swap-seat", "complaint"],
    ["detour-checkin", "no-lounge", "rework-pay", "swap-lounge", "no-bag"],
    [
        "no-bag",
        "no-lounge",
        "rework-search",
        "rework-pay",
        "rework-gate",
        "detour-checkin",
        "complaint",
        "swap-seat",
        "swap-lounge",
        "tie-confirm",
        "only-calls",
        "no-bag",
        "complaint",
        "detour-checkin",
    ],
]


def airline_steps(pattern, rng):
    """(MOT, success, gap before the next step in seconds) of one journey."""
    ok = lambda p=0.93: rng.random() < p  # noqa: E731
    gap = lambda: rng.choice([60, 240, 600, 1500, 2400])  # noqa: E731
    call_gap = lambda: rng.choice([15, 40, 95])  # noqa: E731
    design = list(AIRLINE_DESIGN)
    if pattern == "no-bag":
        design = [m for m in design if m not in ("bag-drop", "baggage-reclaim")]
    if pattern == "no-lounge":
        design.remove("lounge")
    if pattern == "swap-seat":
        i = design.index("seat")
        design[i], design[i + 1] = design[i + 1], design[i]
    if pattern == "swap-lounge":
        design.remove("lounge")
        design.insert(design.index("security-screening"), "lounge")
    if pattern == "only-calls":
        return [(m, ok(), call_gap()) for m in CALL]
    steps = []
    for m in design:
        if pattern == "long" and m == "search-book":
            steps += [(m, False, call_gap()) for _ in range(24)]
        if pattern == "rework-search" and m == "search-book":
            steps.append((m, False, gap()))
        if pattern == "rework-pay" and m == "payment-auth":
            steps.append((m, False, 60))
        if pattern == "rework-gate" and m == "boarding-gate":
            steps.append((m, False, 60))
        if pattern == "detour-checkin" and m == "check-in":
            steps.append((m, False, gap()))
            steps += [(c, ok(), call_gap()) for c in CALL]
        if pattern == "long" and m == "flight":
            steps += [("call-dial", True, 30)]
            steps += [("call-ivr", False, call_gap()) for _ in range(30)]
            steps += [("call-agent", True, 300), ("call-close-sms", True, 60)]
        g = gap()
        if pattern == "tie-confirm" and m == "payment-auth":
            g = 0
        if pattern == "tie-ok" and m == "seat":
            g = 0
        steps.append((m, ok(0.8 if m == "flight" else 0.93), g))
        if pattern == "complaint" and m == "baggage-reclaim":
            steps[-1] = (m, False, gap())
            steps += [(c, ok(), call_gap()) for c in CALL]
    return steps


def conformance_airline():
    rng = random.Random(AIRLINE_SEED)
    folder = HERE / "conformance-airline"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(HERE.parent.parent / "mot-core" / "data" / "airline.json", folder / "experience.json")
    events, late, outcomes = [], [], []
    no_outcome = {(0, 5), (1, 9), (2, 2), (2, 14), (3, 7), (4, 3), (4, 11)}
    for d, deviating in enumerate(AIRLINE_DAYS):
        patterns = deviating + ["conform"] * (16 - len(deviating))
        if d == 2:
            patterns[patterns.index("conform")] = "tie-ok"
        rng.shuffle(patterns)
        for k, pattern in enumerate(patterns):
            key = f"a{d + 1}{k + 1:02d}"
            t = AIRLINE_DAY0 + d * 86_400 + 6 * 3600 + k * 45 * 60
            if k == 15 and d >= 3:
                t = AIRLINE_DAY0 + d * 86_400 + 23 * 3600 + 10 * 60
            rows = []
            for mot, ok, g in airline_steps(pattern, rng):
                rows.append((key, mot, t, "true" if ok else "false", ""))
                t += g
            if pattern == "tie-confirm":
                # The confirmation row comes first in the file: at the same
                # second, input order puts it before the payment.
                i = next(i for i, r in enumerate(rows) if r[1] == "payment-auth")
                rows[i], rows[i + 1] = rows[i + 1], rows[i]
            last_ok = {r[1]: r[3] == "true" for r in rows}  # each MOT's last attempt
            sco = last_ok.get("flight", False) and last_ok.get("baggage-reclaim", True)
            if k == 4:
                late.append(rows.pop(-2))  # written after the rest of the log
            events += rows
            if rng.random() < 0.08:
                sco = not sco
            if (d, k) not in no_outcome:
                outcomes.append((key, "true" if sco else "false"))
    with open(folder / "events.csv", "w") as f:
        f.write("journey_id,mot_id,timestamp,success,cost\n")
        for r in events + late:
            f.write(",".join(str(x) for x in r) + "\n")
    with open(folder / "outcomes.csv", "w") as f:
        f.write("journey_id,sco\n")
        for r in outcomes:
            f.write(",".join(r) + "\n")


DESIGNED = [f"s{i:02d}" for i in range(1, 71)] + ["s01"]
DESIGNED_GAPS = [0, 30, 45, 90, 0, 120, 600, 75]


def conformance_designed():
    """Eight journeys against a 71-step designed journey (no experience)."""
    folder = HERE / "conformance-designed"
    folder.mkdir(exist_ok=True)
    d = [m for m in DESIGNED if m != "s44"]  # s44 is never observed
    swapped = list(d)
    i = swapped.index("s30")
    swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
    i = swapped.index("s50")
    swapped.insert(i + 1, "x-help")
    reversed_ = list(d)
    a, b = reversed_.index("s50"), reversed_.index("s60")
    reversed_[a : b + 1] = reversed_[a : b + 1][::-1]
    rework = [m for m in d if m not in ("s12", "s13", "s14")]
    i = rework.index("s20")
    rework.insert(i + 1, "s20")
    journeys = [
        ("d1", d, "true"),
        ("d2", rework, "true"),
        ("d3", swapped, "false"),
        ("d4", ["s01", "s02", "s03"], "false"),
        ("d5", ["x-help", "x-help"], "false"),
        ("d6", reversed_, "true"),
        ("d7", ["s01"], None),
        ("d8", d[:-1], "true"),
    ]
    events, outcomes = [], []
    for j, (key, seq, sco) in enumerate(journeys):
        day, k = divmod(j, 4)
        t = AIRLINE_DAY0 + day * 86_400 + 8 * 3600 + k * 3 * 3600
        for step, mot in enumerate(seq):
            ok = (step * 7 + j) % 11 != 0
            events.append((key, mot, t, "true" if ok else "false", ""))
            t += DESIGNED_GAPS[(step + j) % len(DESIGNED_GAPS)]
        if sco is not None:
            outcomes.append((key, sco))
    with open(folder / "events.csv", "w") as f:
        f.write("journey_id,mot_id,timestamp,success,cost\n")
        for r in events:
            f.write(",".join(str(x) for x in r) + "\n")
    with open(folder / "outcomes.csv", "w") as f:
        f.write("journey_id,sco\n")
        for r in outcomes:
            f.write(",".join(r) + "\n")
    config = {
        "period": "day",
        "designed": DESIGNED,
        "options": {
            "alignment": {
                "default_target": 0.9,
                "min_interactions": 3,
                "min_lift": 0.02,
                "min_removal_effect": 0.05,
                "harm_margin": 0.05,
            },
            "top_variants": 10,
            "alert_min_interactions": 10,
        },
    }
    text = json.dumps(config, indent=2)
    # The designed journey on one line.
    text = text.replace(json.dumps(DESIGNED, indent=2).replace("\n", "\n  "), json.dumps(DESIGNED))
    (folder / "config.json").write_text(text + "\n")


CUSUM_DAY0 = 1_772_409_600  # Monday 2026-03-02 00:00 UTC
CUSUM_DAYS = 4
CUSUM_PER_DAY = 20
CUSUM_BILLS_LAST_DAY = 8  # the later journeys of the last day have no bill yet


def cusum_alerts():
    """Deterministic: four days, 20 journeys a day; see the README."""
    folder = HERE / "cusum-alerts"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(HERE / "bound-alerts" / "experience.json", folder / "experience.json")
    events, outcomes = [], []
    # The failures, by MOT, as (day, journey) pairs; every other one succeeds.
    fail = {
        "order": {(0, 3), (0, 13), (1, 6), (1, 16), (2, 2), (2, 9)}
        | {(2, k) for k in range(14, 20)}
        | {(3, k) for k in range(5)},
        "visit": {(0, 5), (0, 15), (2, 7), (2, 17), (3, 1), (3, 6), (3, 11), (3, 16)}
        | {(1, k) for k in range(3, 14)},
        "support": {(1, 4), (1, 9), (3, 1), (3, 6), (3, 16)},
        "activate": {(0, 8), (1, 12), (2, 5)} | {(3, k) for k in range(4, 14)},
        "first-bill": {(0, 10), (2, 4)}
        | {(1, k) for k in range(5, 16)}
        | {(2, k) for k in range(14, 20)}
        | {(3, 0), (3, 1), (3, 3), (3, 4), (3, 5)},
    }
    for d in range(CUSUM_DAYS):
        for k in range(CUSUM_PER_DAY):
            key = f"c{d + 1}{k + 1:02d}"
            t = CUSUM_DAY0 + d * 86_400 + 8 * 3600 + k * 1800
            steps = ["order", "visit"]
            if (d, k) in fail["visit"]:
                steps.append("support")
            steps.append("activate")
            if d < CUSUM_DAYS - 1 or k < CUSUM_BILLS_LAST_DAY:
                steps.append("first-bill")
            oks = {}
            for step, mot in enumerate(steps):
                ok = (d, k) not in fail[mot]
                oks[mot] = ok
                events.append((key, mot, t + 300 * step, "true" if ok else "false", ""))
            sco = oks["visit"] and oks["activate"] and oks.get("first-bill", True)
            outcomes.append((key, "true" if sco else "false"))
    with open(folder / "events.csv", "w") as f:
        f.write("journey_id,mot_id,timestamp,success,cost\n")
        for r in events:
            f.write(",".join(str(x) for x in r) + "\n")
    with open(folder / "outcomes.csv", "w") as f:
        f.write("journey_id,sco\n")
        for r in outcomes:
            f.write(",".join(r) + "\n")


if __name__ == "__main__":
    bound_alerts()
    bound_seconds()
    conformance_airline()
    conformance_designed()
    cusum_alerts()
