"""The shared conformance fixtures (`tests/` at the repository root) give the
same JSON through Python as through Rust."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import mot
from conftest import ROOT, mismatch

DASHBOARD_CASES = sorted(p for p in (ROOT / "tests/dashboard").iterdir() if p.is_dir())
EXPERIENCE_CASES = sorted(p for p in (ROOT / "tests/experience").iterdir() if p.is_dir())
ALARM_CASES = sorted(p for p in (ROOT / "tests/alarms").iterdir() if p.is_dir())
COMPARISON_CASES = sorted(p for p in (ROOT / "tests/comparison").iterdir() if p.is_dir())

TYPES = {
    "journey_id": pa.string(),
    "mot_id": pa.string(),
    "timestamp": pa.int64(),
    "success": pa.bool_(),
    "cost": pa.float64(),
    "value": pa.float64(),
    "producer": pa.string(),
    "sco": pa.bool_(),
}


def read_csv(path):
    options = pacsv.ConvertOptions(column_types=TYPES, strings_can_be_null=True)
    return pacsv.read_csv(path, convert_options=options)


@pytest.mark.parametrize("case", DASHBOARD_CASES, ids=lambda p: p.name)
@pytest.mark.filterwarnings("ignore::mot.errors.MotWarning")  # the fixtures' bad rows are counted
def test_dashboard_fixture(case):
    config = json.loads((case / "config.json").read_text())
    options = config["options"]
    # The designed journey, when the case gives one (else the experience's).
    designed = {"designed": config["designed"]} if "designed" in config else {}
    x = mot.Experience.load(case / "experience.json") if (case / "experience.json").exists() else None
    outcomes = read_csv(case / "outcomes.csv") if (case / "outcomes.csv").exists() else None
    d = mot.dashboard(
        read_csv(case / "events.csv"),
        outcomes,
        experience=x,
        period=config["period"],
        top_variants=options["top_variants"],
        alignment=options["alignment"],
        alert_min_interactions=options["alert_min_interactions"],
        **designed,
    )
    want = json.loads((case / "expected.json").read_text())
    assert mismatch(want, d.to_dict(), case.name) is None


@pytest.mark.parametrize("case", COMPARISON_CASES, ids=lambda p: p.name)
@pytest.mark.filterwarnings("ignore::mot.errors.MotWarning")
def test_comparison_fixture(case):
    config = json.loads((case / "config.json").read_text())
    log = ROOT / "tests/dashboard" / config["log"]
    log_config = json.loads((log / "config.json").read_text())
    designed = {"designed": log_config["designed"]} if "designed" in log_config else {}
    x = mot.Experience.load(log / "experience.json") if (log / "experience.json").exists() else None
    outcomes = read_csv(log / "outcomes.csv") if (log / "outcomes.csv").exists() else None
    t = mot.Tracker(x, period=mot.fitting_period(config["before"], config["after"]), **designed)
    t.ingest(read_csv(log / "events.csv"), outcomes)
    options = {k: config[k] for k in ("alpha", "tau2") if k in config}
    c = t.compare(config["before"], config["after"], **options)
    want = json.loads((case / "expected.json").read_text())
    assert mismatch(want, c.to_dict(), case.name) is None


@pytest.mark.parametrize("case", EXPERIENCE_CASES, ids=lambda p: p.name)
def test_experience_fixture(case):
    want = json.loads((case / "expected.json").read_text())
    if (case / "old.json").exists():
        old = mot.Experience.load(case / "old.json")
        new = mot.Experience.load(case / "new.json")
        assert mismatch(want, {"diff": old.diff(new)}) is None
        return
    if not want["valid"]:
        with pytest.raises(mot.InvalidExperienceError) as err:
            mot.Experience.load(case / "experience.json")
        got = [{k: v for k, v in p.items() if k != "message"} for p in err.value.problems]
        assert mismatch(want["problems"], got, "problems") is None
        return
    x = mot.Experience.load(case / "experience.json")
    assert x.unexplained_work() == want["unexplained"]
    assert mismatch(want["cost_rollup"], x.cost_rollup()) is None
    for work, trace in want["trace"].items():
        assert mismatch(trace, x.trace(work), work) is None
    for work, impact in want["failure_impact"].items():
        assert mismatch(impact, x.failure_impact(work), work) is None
    assert x.designed_journey() == want["designed_journey"]


@pytest.mark.parametrize("case", ALARM_CASES, ids=lambda p: p.name)
@pytest.mark.filterwarnings("ignore::mot.errors.MotWarning")  # null success flags are counted
def test_alarm_fixture(case):
    """The detectors' alarms, in firing order, and their final states equal
    the independent reference (tests/alarms/compute_expected.py)."""
    config = json.loads((case / "config.json").read_text())
    want = json.loads((case / "expected.json").read_text())
    t = mot.Tracker(mot.Experience.load(case / "experience.json"), cusum=config)
    t.ingest(read_csv(case / "events.csv"))
    keys = ("mot", "timestamp", "statistic", "h", "p0", "p1")
    got = [{k: a[k] for k in keys} for a in t.alarms()]
    assert mismatch(want["alarms"], got, "alarms") is None
    final = {m["id"]: {k: m["cusum"][k] for k in ("statistic", "alarms", "last_alarm_at")}
             for m in t.dashboard().to_dict()["mots"] if m["cusum"] is not None}
    assert mismatch(want["final"], final, "final") is None
