"""The real public logs in tests/real-logs/ through Python: XES and the CSV
exports a real user makes give exactly pm4py's counts (computed once by
tests/real-logs/compute_expected.py), whatever the route in — the XES
reader, a pyarrow table from ``read_xes``, pandas and polars, CSV text."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

import mot
from conftest import ROOT

LOGS = ROOT / "tests/real-logs"
TOP = 100_000


def expected(log):
    return json.loads((LOGS / f"{log}.expected.json").read_text())


def check(d, want):
    assert {k: v for k, v in d["rejected"].items() if v} == {}
    assert d["amount"]["journeys"] == want["cases"]
    assert d["amount"]["interactions"] == want["events"]
    edges = {(e["from"], e["to"]): e["count"] for e in d["directly_follows"]["edges"]}
    assert edges == {(e["from"], e["to"]): e["count"] for e in want["directly_follows"]}
    assert {e["mot"]: e["count"] for e in d["directly_follows"]["start"]} == want["start"]
    assert {e["mot"]: e["count"] for e in d["directly_follows"]["end"]} == want["end"]
    variants = {tuple(v["mots"]): v["count"] for v in d["variants"]["top"]}
    assert variants == {tuple(v["sequence"]): v["count"] for v in want["variants"]}
    assert d["variants"]["distinct"] == len(want["variants"])
    assert {m["id"]: m["interactions"] for m in d["mots"]} == want["activities"]
    assert {p["producer"]: p["interactions"] for p in d["producers"]} == want["resources"]
    # No success flag in a real log: no success figure is made up.
    assert {(m["successes"], m["smoto_rate"], m["alignment"]) for m in d["mots"]} == {(None, None, "unmeasured")}


@pytest.mark.parametrize("log", ["helpdesk", "running-example"])
def test_xes_file_gives_pm4pys_counts(log):
    d = mot.dashboard_from_xes(LOGS / f"{log}.xes.gz", top_variants=TOP).to_dict()
    check(d, expected(log))


@pytest.mark.parametrize("log", ["helpdesk", "running-example"])
def test_read_xes_table_gives_pm4pys_counts(log):
    table = mot.read_xes(str(LOGS / f"{log}.xes.gz"))
    want = expected(log)
    assert table.num_rows == want["events"]
    assert table.schema.field("time:timestamp").type == pa.timestamp("ns", tz="UTC")
    check(mot.dashboard(table, preset="pm4py", top_variants=TOP).to_dict(), want)
    # The same table through pandas and polars.
    pytest.importorskip("pandas")
    check(mot.dashboard(table.to_pandas(), preset="pm4py", top_variants=TOP).to_dict(), want)
    pl = pytest.importorskip("polars")
    check(mot.dashboard(pl.from_arrow(table), preset="pm4py", top_variants=TOP).to_dict(), want)


def test_read_xes_keeps_full_precision_and_the_lifecycle():
    table = mot.read_xes(LOGS / "running-example.xes.gz")
    first = table.slice(0, 1).to_pylist()[0]
    assert first["case:concept:name"] == "3"
    assert first["concept:name"] == "register request"
    assert first["org:resource"] == "Pete"
    # 2010-12-30T14:32:00.000+01:00
    assert first["time:timestamp"].isoformat() == "2010-12-30T13:32:00+00:00"
    xes = (
        '<log><trace><string key="concept:name" value="c"/>'
        '<event><string key="concept:name" value="a"/><string key="lifecycle:transition" value="start"/>'
        '<date key="time:timestamp" value="2026-01-01T00:00:00.123456789Z"/></event></trace></log>'
    )
    t = mot.read_xes(xes.encode())
    assert t.column("lifecycle:transition").to_pylist() == ["start"]
    assert t.column("time:timestamp").cast(pa.int64()).to_pylist() == [1767225600123456789]


@pytest.mark.parametrize("log", ["helpdesk", "running-example"])
def test_csv_exports_give_the_same_counts(log):
    # helpdesk.csv: `;`, a byte-order mark, CRLF, +02:00 offsets with
    # milliseconds, shuffled rows; running-example.csv: rows in
    # case-then-activity order, timestamps as pandas writes them.
    text = (LOGS / f"{log}.csv").read_bytes()
    check(mot.dashboard_from_csv(text, preset="pm4py", top_variants=TOP).to_dict(), expected(log))


def test_the_sco_as_a_rule_over_the_log():
    d = mot.dashboard_from_xes(LOGS / "running-example.xes.gz", sco_reached=["pay compensation"]).to_dict()
    assert (d["sco"]["journeys"], d["sco"]["successes"]) == (6, 3)
    effect = {m["id"]: m["removal_effect"] for m in d["mots"]}
    # Every SCO passes through `pay compensation`; none through `reject request`.
    assert effect["pay compensation"] == pytest.approx(1.0, abs=1e-12)
    assert effect["reject request"] == pytest.approx(0.0, abs=1e-12)


def test_bad_xml_is_a_format_error_with_a_position():
    with pytest.raises(mot.FormatError, match="byte"):
        mot.read_xes(b"<log><trace></event></log>")
    with pytest.raises(mot.FormatError):
        mot.dashboard_from_xes(b"\x1f\x8b\x08\x00garbage")
    # The module keeps working.
    assert mot.read_xes(LOGS / "running-example.xes.gz").num_rows == 42


def test_unreadable_timestamps_warn_and_a_format_reads_them():
    log = "journey_id,mot_id,timestamp\nj1,a,11/10/2011 11:45\nj1,b,11/10/2011 11:50\nj2,a,2011-11-10T11:45:00Z\n"
    with pytest.warns(mot.MotWarning, match="2 rows rejected: 2 `invalid-timestamp`"):
        d = mot.dashboard_from_csv(log).to_dict()
    assert d["amount"]["interactions"] == 1
    with pytest.raises(mot.BadRowError, match="is not a timestamp: expected .*RFC 3339"):
        mot.dashboard_from_csv(log, bad_rows="fail")
    with pytest.warns(mot.MotWarning, match="1 row rejected: 1 `invalid-timestamp`"):
        d = mot.dashboard_from_csv(log, time_format="%m/%d/%Y %H:%M").to_dict()
    assert d["variants"]["top"][0]["mots"] == ["a", "b"]
    with pytest.raises(mot.ConfigError, match="`%Q`"):
        mot.dashboard_from_csv(log, time_format="%Q")


def test_read_xes_warns_of_unreadable_dates_and_reads_them_with_a_format(tmp_path):
    xes = (
        '<log><trace><string key="concept:name" value="c1"/>'
        '<event><string key="concept:name" value="a"/><date key="time:timestamp" value="02/01/1970 00:00"/></event>'
        '<event><string key="concept:name" value="b"/><date key="time:timestamp" value="1970-01-03T00:00:00Z"/></event>'
        "</trace></log>"
    )
    path = tmp_path / "dmy.xes"
    path.write_text(xes)
    with pytest.warns(mot.MotWarning, match=r"`dmy.xes`: 1 `time:timestamp` value\(s\) could not be read .*`02/01/1970 00:00`"):
        t = mot.read_xes(path)
    assert t.column("time:timestamp").to_pylist()[0] is None
    # With a format, the dates in it are read (and the xs:dateTime one is not).
    with pytest.warns(mot.MotWarning, match="the first: `1970-01-03T00:00:00Z`"):
        t = mot.read_xes(path, time_format="%d/%m/%Y %H:%M")
    assert t.column("time:timestamp").cast(pa.int64()).to_pylist() == [86_400 * 10**9, None]
    # The dashboard reads the file with the same format, and counts the other.
    with pytest.warns(mot.MotWarning, match="1 `invalid-timestamp`"):
        d = mot.dashboard_from_xes(path.read_bytes(), time_format="%d/%m/%Y %H:%M")
    assert d.to_dict()["amount"]["interactions"] == 1
    # Errors name the file.
    bad = tmp_path / "cut.xes"
    bad.write_text("<log><trace>")
    with pytest.raises(mot.FormatError, match="`cut.xes`"):
        mot.read_xes(bad)


def test_helpdesk_conformance_equals_pm4pys_alignments_and_durations():
    """A happy path as ``designed=[...]``: every variant's fitness and cost
    equal pm4py's alignments; durations match pandas/pm4py (means exactly,
    percentiles within the sketch's 1%)."""
    aligned = json.loads((LOGS / "helpdesk.alignments.json").read_text())
    times = json.loads((LOGS / "helpdesk.durations.json").read_text())
    d = mot.dashboard_from_xes(LOGS / "helpdesk.xes.gz", designed=aligned["designed"], top_variants=TOP).to_dict()
    got = [(v["mots"], v["cost"], v["fitness"]) for v in d["variants"]["top"]]
    want = [(v["sequence"], v["deviations"], v["fitness"]) for v in aligned["variants"]]
    assert [g[:2] for g in got] == [w[:2] for w in want]
    assert all(abs(g[2] - w[2]) <= 1e-12 for g, w in zip(got, want))
    assert d["conformance"]["designed"] == aligned["designed"]
    edges = {(e["from"], e["to"]): e["duration"] for e in d["directly_follows"]["edges"]}
    for w in times["edges"] + [dict(times["journey"], **{"from": None, "to": None})]:
        g = d["journey_duration"] if w["from"] is None else edges[(w["from"], w["to"])]
        assert g["count"] == w["count"]
        assert g["mean_s"] == pytest.approx(w["mean_s"], rel=1e-9)
        for q in ("p50", "p90", "p99"):
            assert abs(g[f"{q}_s"] - w[f"exact_{q}_s"]) <= 0.01 * w[f"exact_{q}_s"]


def test_a_design_naming_an_unknown_mot_is_a_config_error():
    with pytest.raises(mot.ConfigError, match="teleport"):
        mot.Tracker(mot.sample_experience(), designed=["check-in", "teleport"])
    # So is an SCO rule: a misspelt MOT would make every journey fail the SCO.
    events, _ = mot.sample_log(journeys=20, seed=1)
    with pytest.raises(mot.ConfigError, match="the SCO rule names `fligth`"):
        mot.dashboard(events, experience=mot.sample_experience(), sco_reached=["fligth"])
    # In discovery mode a design names any MOTs: unseen ones count as skipped.
    t = mot.Tracker(designed=["a", "b"])
    t.record("j1", "a", 1795392000, True)
    t.close_journey("j1", True)
    c = t.dashboard().to_dict()["conformance"]
    assert (c["journeys"], c["conforming"], c["deviations"]["missing"]) == (1, 0, 1)


def test_durations_off_leaves_every_other_figure_as_it_was():
    """``durations=False``: each edge's ``duration`` and ``journey_duration``
    are ``None``, every other figure is the one a run with durations gives;
    such a tracker merges only with trackers of its kind."""
    on = mot.dashboard_from_xes(LOGS / "helpdesk.xes.gz").to_dict()
    off = mot.dashboard_from_xes(LOGS / "helpdesk.xes.gz", durations=False).to_dict()
    assert on["journey_duration"] is not None
    assert all(e["duration"] is not None for e in on["directly_follows"]["edges"])
    on["journey_duration"] = None
    for e in on["directly_follows"]["edges"]:
        e["duration"] = None
    assert off == on
    trackers = {}
    for durations in (True, False):
        t = trackers[durations] = mot.Tracker(durations=durations)
        t.record("c1", "a", 0, None)
        t.record("c1", "b", 60, None)
        t.close_journey("c1", True)
    with pytest.raises(mot.MergeError, match="durations measured `true` vs `false`"):
        trackers[True].merge(trackers[False])
    d = mot.Tracker.from_bytes(trackers[False].to_bytes()).dashboard().to_dict()
    assert [(e["from"], e["to"], e["duration"]) for e in d["directly_follows"]["edges"]] == [("a", "b", None)]
    assert d["journey_duration"] is None
    assert trackers[True].dashboard().to_dict()["journey_duration"]["mean_s"] == 60
