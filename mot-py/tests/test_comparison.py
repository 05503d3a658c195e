"""Tracker.compare and Tracker.ideas: windows from Python values, errors, the contracts."""

from __future__ import annotations

import datetime as dt

import pytest

import mot


@pytest.fixture(scope="module")
def tracker():
    t = mot.Tracker(mot.sample_experience())
    t.ingest(*mot.sample_log(journeys=3000, seed=1))
    return t


def test_windows_from_every_kind_of_time(tracker):
    want = tracker.compare("2026-08-01..2026-09-01", "2026-09-01..2026-10-01").to_dict()
    utc = dt.timezone.utc
    kinds = [
        (("2026-08-01", "2026-09-01"), ("2026-09-01", "2026-10-01")),
        ((dt.date(2026, 8, 1), dt.date(2026, 9, 1)), [dt.date(2026, 9, 1), dt.date(2026, 10, 1)]),
        (
            (dt.datetime(2026, 8, 1, tzinfo=utc), dt.datetime(2026, 9, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
            (dt.datetime(2026, 9, 1), dt.datetime(2026, 10, 1)),  # naive: UTC
        ),
        ((1_785_542_400, 1_788_220_800), (1_788_220_800, 1_790_812_800)),
    ]
    for before, after in kinds:
        assert tracker.compare(before, after).to_dict() == want
    assert want["format"] == mot.COMPARISON_FORMAT
    assert want["before"] == {"from": 1_785_542_400, "to": 1_788_220_800}


def test_contract_and_renderings(tracker):
    c = tracker.compare("2026-08-01..2026-09-01", "2026-09-01..2026-10-01", alpha=0.1, tau2=0.01)
    d = c.to_dict()
    assert d["alpha"] == 0.1 and d["tau2"] == 0.01
    sco = d["sco"]
    assert set(sco) == {
        "before", "after", "difference", "ci_low", "ci_high", "always_valid_low", "always_valid_high", "verdict",
    }
    assert sco["ci_low"] <= sco["difference"] <= sco["ci_high"]
    assert sco["always_valid_low"] < sco["ci_low"]
    assert d["conformance"] is not None
    assert [m["id"] for m in d["mots"]][:2] == mot.sample_experience().mot_ids()[:2]
    assert "SCO rate" in c.to_table() and str(c) == c.to_table()
    assert c.to_html().startswith("<!doctype html>")
    assert mot.Comparison is type(c)
    assert "mot.Comparison" in repr(c)


def test_bad_windows_raise_config_errors(tracker):
    with pytest.raises(mot.ConfigError, match="windows overlap"):
        tracker.compare("2026-08-01..2026-09-10", "2026-09-01..2026-10-01")
    with pytest.raises(mot.ConfigError, match="cuts a `day` period"):
        tracker.compare("2026-08-01T06:00:00Z..2026-09-01", "2026-09-01..2026-10-01")
    with pytest.raises(mot.ConfigError, match="must end after it starts"):
        tracker.compare(("2026-09-01", "2026-08-01"), "2026-09-01..2026-10-01")
    with pytest.raises(mot.ConfigError, match="not a time"):
        tracker.compare((1.5, "2026-09-01"), "2026-09-01..2026-10-01")
    with pytest.raises(mot.ConfigError, match="pair"):
        tracker.compare(42, "2026-09-01..2026-10-01")
    with pytest.raises(mot.ConfigError, match="`alpha`"):
        tracker.compare("2026-08-01..2026-09-01", "2026-09-01..2026-10-01", alpha=1.5)
    assert mot.fitting_period("2026-08-01T06:00:00Z..2026-08-02") == "21600s"


def test_ideas_report(tracker):
    r = tracker.ideas(window_days=14)
    d = r.to_dict()
    assert d["format"] == mot.IDEAS_FORMAT and d["window_days"] == 14
    # The sample's implemented idea carries dates: measured, with its cycle time.
    implemented = [i for i in d["ideas"] if i["implemented_at"] is not None]
    assert implemented and implemented[0]["change"] is not None
    assert d["cycle_time"]["ideas"] >= 1
    assert "cycle time" in r.to_table()
    with pytest.raises(mot.ConfigError, match="window_days"):
        tracker.ideas(window_days=0)
    with pytest.raises(mot.ConfigError, match="experience"):
        mot.Tracker().ideas()


def test_timeline_orders_versions_by_effective_from():
    t = mot.timeline([mot.sample_experience_next(), mot.sample_experience()])
    assert [v["version"] for v in t] == ["2026.1", "2026.2"]
    assert [v["effective_from"] for v in t] == ["2026-08-01", "2026-09-15"]
    assert all(0 < v["unexplained_share"] < 1 for v in t)
