#!/usr/bin/env python3
"""Writes the generated logs: `bound-alerts/` (and its copy in `weekly/`) and
`bound-seconds/`. (`discovery-basic/` is written by hand.)

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
"""

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


if __name__ == "__main__":
    bound_alerts()
    bound_seconds()
