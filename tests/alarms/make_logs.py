#!/usr/bin/env python3
"""Writes the `events.csv` of the three alarm cases (see README.md).

Run once to create the inputs; the committed CSV files are the fixture, and
`compute_expected.py` only reads them. Kept so that the logs can be
re-derived and their story read. Deterministic: `random.Random(seed)` gives
the same draws on every Python 3. The experiences and `config.json` files
are written by hand.

`planted-shift`: 250 journeys, one every 10 minutes from Monday 2026-03-02
00:00 UTC: `search`, then `checkout` 2, 4 or 6 minutes later, and sometimes a
`help` chat in between. The search fails at its in-control rate 15%
throughout. The checkout fails at 10% (its in-control rate) until
2026-03-03 01:00 UTC (journey 151), then at 20%. The seed was chosen so that
neither detector gives a false alarm before the shift (at ARL0 = 200, a run
of 250 interactions without one is not a given).

`unordered-and-unknown`: 91 journeys, a triage slot every 6 minutes from
Tuesday 2026-03-10 08:00 UTC (90 slots: the tied slot holds two journeys):
`triage`, usually a `callback` 30 minutes later (so the callbacks interleave
with later journeys' triage), sometimes `notes` an hour later. The triage
outcomes are written out below (TRIAGE); the callback fails at 60% (its
in-control rate) for the journeys that start before 12:30, then at 80%.
Some rows have an empty success. Two triage rows of different journeys share
a timestamp; the failure comes first in the file. Then the rows are shuffled
(seeded), with that pair kept in order.

`high-target`: 440 journeys, one every 3 minutes from Wednesday 2026-03-04
05:00 UTC: sometimes a `bag-drop`, sometimes the `lounge`, then `boarding`
25 minutes after the start. Boarding failures are planted (see BOARDING_*),
plus isolated background failures at 1%, each at least 60 boardings away
from any other failure. Bag drops fail at 3%.
"""

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DAY = 86_400


def write(folder, rows):
    with open(HERE / folder / "events.csv", "w") as f:
        f.write("journey_id,mot_id,timestamp,success\n")
        for j, mot, ts, ok in rows:
            flag = "" if ok is None else ("true" if ok else "false")
            f.write(f"{j},{mot},{ts},{flag}\n")


# ---------------------------------------------------------------------------

SHIFT_SEED = 28
SHIFT_START = 1_772_409_600  # Monday 2026-03-02 00:00 UTC
SHIFT_JOURNEYS = 250
SHIFT_AT = 150  # journey index of the first shifted checkout (2026-03-03 01:00)


def planted_shift(seed=SHIFT_SEED):
    rng = random.Random(seed)
    rows = []
    for j in range(SHIFT_JOURNEYS):
        key = f"w{j + 1:03d}"
        t = SHIFT_START + j * 600
        rows.append((key, "search", t, rng.random() >= 0.15))
        if rng.random() < 0.12:
            rows.append((key, "help", t + 60, rng.random() < 0.7))
        p_fail = 0.2 if j >= SHIFT_AT else 0.1
        rows.append((key, "checkout", t + rng.choice([120, 240, 360]), rng.random() >= p_fail))
    return rows


# ---------------------------------------------------------------------------

UNORDERED_SEED = 11
UNORDERED_START = 1_773_100_800 + 8 * 3600  # Tuesday 2026-03-10 08:00 UTC
# One character per triage interaction, in time order: S success, F failure,
# ? unknown success (an empty field), and "F|S" a failure and a success at the
# same second (two journeys; the failure first in the file).
TRIAGE = (
    "SSSSFSSSSSSFSSSSSSSS"  # in control
    + "SSSSSSSSSS"
    + "FFFS"  # 3 failures, 1 success: the statistic is at 37 (H = 47, up 14)
    + "F|S"  # the tie: the failure first crosses (51), then the success
    + "SSSSSSSSSSSS"
    + "FFF?FFFFF"  # two alarms in a row, an unknown success inside the run
    + "SSSSSSSSSSSSSSSSSS"
    + "FSSSSFSSSS?SSSFS"  # in control, another unknown
)


def triage_tokens():
    out, i = [], 0
    while i < len(TRIAGE):
        if TRIAGE[i : i + 3] == "F|S":
            out.append(("F", "S"))
            i += 3
        else:
            out.append((TRIAGE[i],))
            i += 1
    return out


def unordered_and_unknown(seed=UNORDERED_SEED):
    rng = random.Random(seed)
    flag = {"S": True, "F": False, "?": None}
    rows, tie = [], []
    t = UNORDERED_START
    n = 0
    tokens = triage_tokens()
    for k, token in enumerate(tokens):
        for c in token:
            n += 1
            key = f"r{n:03d}"
            rows.append((key, "triage", t, flag[c]))
            if len(token) == 2:
                tie.append(rows[-1])
            if rng.random() < 0.8:
                p_fail = 0.8 if k >= len(tokens) // 2 else 0.6
                ok = None if rng.random() < 0.05 else rng.random() >= p_fail
                rows.append((key, "callback", t + 1800 + rng.choice([0, 30, 90]), ok))
            if rng.random() < 0.3:
                rows.append((key, "notes", t + 3600, None if rng.random() < 0.2 else rng.random() < 0.9))
        t += 360
    rng.shuffle(rows)
    # The tied pair keeps its order: the failure first.
    a, b = rows.index(tie[0]), rows.index(tie[1])
    if a > b:
        rows[a], rows[b] = rows[b], rows[a]
    return rows


# ---------------------------------------------------------------------------

HIGH_SEED = 5
HIGH_START = 1_772_582_400 + 5 * 3600  # Wednesday 2026-03-04 05:00 UTC
HIGH_JOURNEYS = 440
# Planted boarding failures (0-based index of the boarding):
BOARDING_PAIR_HIT = (100, 126)  # 25 successes between: 109 − 50 + 109 = 168 = H, an alarm
BOARDING_PAIR_MISS = (230, 257)  # 26 successes between: 166 < H, no alarm
# Two failures in a row alarm (218); after three successes, two more alarm
# again with the same 218 only if the statistic restarted at 0.
BOARDING_RUN = (380, 381, 385, 386)
BOARDING_PLANTED = BOARDING_PAIR_HIT + BOARDING_PAIR_MISS + BOARDING_RUN


def high_target(seed=HIGH_SEED):
    rng = random.Random(seed)
    fails = set(BOARDING_PLANTED)
    for i in range(HIGH_JOURNEYS):
        if rng.random() < 0.01 and all(abs(i - f) >= 60 for f in fails):
            fails.add(i)
    rows = []
    for j in range(HIGH_JOURNEYS):
        key = f"b{j + 1:03d}"
        t = HIGH_START + j * 180
        if rng.random() < 0.25:
            rows.append((key, "bag-drop", t, rng.random() >= 0.03))
        if rng.random() < 0.06:
            rows.append((key, "lounge", t + 600, rng.random() < 0.8))
        rows.append((key, "boarding", t + 1500, j not in fails))
    return rows


if __name__ == "__main__":
    write("planted-shift", planted_shift())
    write("unordered-and-unknown", unordered_and_unknown())
    write("high-target", high_target())
