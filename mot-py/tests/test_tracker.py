"""mot.Tracker and mot.dashboard: tables in, streaming, merging, bytes, bad input."""

from __future__ import annotations

import math
import pickle

import pyarrow as pa
import pytest

import mot

T0 = 1_795_392_000


@pytest.fixture(scope="module")
def log():
    return mot.sample_log(journeys=1500, seed=7)


def test_dashboard_from_pyarrow_pandas_polars(log):
    events, outcomes = log
    x = mot.sample_experience()
    base = mot.dashboard(events, outcomes, experience=x).to_dict()
    assert base["format"] == mot.DASHBOARD_FORMAT and base["sco"]["journeys"] == 1500
    pd = pytest.importorskip("pandas")
    from_pandas = mot.dashboard(events.to_pandas(), outcomes.to_pandas(), experience=x).to_dict()
    assert from_pandas == base
    pl = pytest.importorskip("polars")
    from_polars = mot.dashboard(pl.from_arrow(events), pl.from_arrow(outcomes), experience=x).to_dict()
    assert from_polars == base
    del pd


def test_column_mapping_presets_and_datetimes():
    events = pa.table(
        {
            "case:concept:name": ["a", "a", "b"],
            "concept:name": ["register", "pay", "register"],
            "time:timestamp": pa.array([T0, T0 + 60, T0], pa.timestamp("s")),
            "ok": [True, False, True],
        }
    )
    d = mot.dashboard(events, preset="pm4py", columns={"success": "ok"}).to_dict()
    assert d["amount"]["interactions"] == 3 and d["experience"] is None
    # Without a success column: every process figure, no success figure.
    plain = mot.dashboard(events.drop_columns(["ok"]), preset="pm4py").to_dict()
    assert plain["amount"]["interactions"] == 3
    assert plain["directly_follows"]["edges"] == d["directly_follows"]["edges"]
    assert {(m["successes"], m["smoto_rate"], m["alignment"]) for m in plain["mots"]} == {(None, None, "unmeasured")}
    # A success column named explicitly must exist.
    with pytest.raises(mot.ColumnsError, match=r"the events table has no success column `nope` \(columns: "):
        mot.dashboard(events, preset="pm4py", columns={"success": "nope"})
    with pytest.raises(mot.ConfigError):
        mot.dashboard(events, preset="celonis")


def test_bad_rows_are_counted_or_raise():
    events = pa.table(
        {
            "journey_id": ["j1", "j1", None, "j2"],
            "mot_id": ["check-in", "teleport", "check-in", "bag-drop"],
            "timestamp": [T0, T0, T0, T0],
            "success": [True, True, True, None],
            "cost": [1.0, 1.0, 1.0, math.nan],
        }
    )
    x = mot.sample_experience()
    with pytest.warns(mot.MotWarning, match="rows rejected: .*`missing-journey`"):
        d = mot.dashboard(events, experience=x).to_dict()
    assert d["rejected"]["unknown-mot"] == 1 and d["rejected"]["missing-journey"] == 1
    assert d["rejected"]["missing-success"] + d["rejected"]["non-finite-cost"] == 1
    with pytest.raises(mot.BadRowError) as err:
        mot.dashboard(events, experience=x, bad_rows="fail")
    assert err.value.row is not None and err.value.reason in {"unknown-mot", "missing-journey"}


@pytest.mark.parametrize(
    "events",
    [
        pa.table({"journey_id": [], "mot_id": [], "timestamp": [], "success": []}),
        pa.table({"journey_id": [1.5], "mot_id": ["a"], "timestamp": [T0], "success": [True]}),
        pa.table({"journey_id": [1], "mot_id": ["a"], "timestamp": ["yesterday"], "success": [True]}),
        pa.table({"journey_id": [1], "mot_id": ["a"], "timestamp": [T0], "success": ["maybe"]}),
        {"journey_id": [1]},
        42,
    ],
)
@pytest.mark.filterwarnings("ignore::mot.errors.MotWarning")  # a counted row is an answer too
def test_malformed_tables_never_panic(events):
    try:
        d = mot.dashboard(events)
        assert d.to_dict()["amount"]["interactions"] == 0
    except mot.MotError:
        pass
    # The module keeps working afterwards.
    assert mot.sample_experience().name == "Air travel"


def test_streaming_merge_bytes_and_pickle(log):
    events, outcomes = log
    x = mot.sample_experience()
    whole = mot.Tracker(x)
    whole.ingest(events, outcomes)
    parts = []
    for p in range(3):
        keep_e = pa.compute.equal(pa.compute.subtract(events["journey_id"], pa.compute.multiply(pa.compute.divide(events["journey_id"], 3), 3)), p)
        keep_o = pa.compute.equal(pa.compute.subtract(outcomes["journey_id"], pa.compute.multiply(pa.compute.divide(outcomes["journey_id"], 3), 3)), p)
        t = mot.Tracker(x)
        t.ingest(events.filter(keep_e), outcomes.filter(keep_o))
        parts.append(pickle.loads(pickle.dumps(t)))
    merged = mot.Tracker(x)
    for t in parts:
        merged.merge(t)
    a, b = merged.dashboard().to_dict(), whole.dashboard().to_dict()
    from conftest import mismatch, without_detectors

    assert mismatch(without_detectors(b), without_detectors(a)) is None
    with pytest.raises(mot.MergeError):
        merged.merge(mot.Tracker(mot.sample_experience_next()))
    with pytest.raises(mot.StateError):
        mot.Tracker.from_bytes(merged.to_bytes()[:-3])


def test_row_api():
    t = mot.Tracker(mot.sample_experience(), timeout=3600)
    t.record("j1", "check-in", T0, True)
    t.record(7, "bag-drop", T0, False, cost=2.5, producer="p-ana")
    t.close_journey("j1", True, value=120.0)
    assert (t.interactions, t.journeys, t.open_journeys) == (2, 1, 1)
    assert t.expire(T0 + 10_000) == 1
    t.record("j1", "check-in", T0 + 5, True)
    assert t.rejected["after-close"] == 1
    with pytest.raises(mot.BadRowError):
        mot.Tracker(bad_rows="fail").record("j", "", T0, True)
    with pytest.raises(mot.ConfigError):
        mot.Tracker(period="0s")


def test_tables_and_html(log):
    d = mot.dashboard(*log, experience=mot.sample_experience())
    assert d.table("mots").num_rows == 18
    assert "dimensions.roi" in d.table("mots").column_names
    assert d.table("trends").num_rows > 0
    with pytest.raises(ValueError):
        d.table("nope")
    html = d._repr_html_()
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert pickle.loads(pickle.dumps(d)).to_dict() == d.to_dict()


def test_categorical_integer_ids_and_float_id_hint():
    events = pa.table(
        {
            "journey_id": pa.array([7, 7, 9], pa.int64()).dictionary_encode(),
            "mot_id": ["search-book", "check-in", "search-book"],
            "timestamp": [T0, T0 + 5, T0],
            "success": [True, True, False],
        }
    )
    plain = events.set_column(0, "journey_id", pa.array([7, 7, 9], pa.int64()))
    x = mot.sample_experience()
    assert mot.dashboard(events, experience=x).to_dict() == mot.dashboard(plain, experience=x).to_dict()
    floats = events.set_column(0, "journey_id", pa.array([7.0, 7.0, None]))
    with pytest.raises(mot.ColumnsError, match="nullable integer type"):
        mot.dashboard(floats, experience=x)


def test_polars_categoricals_go_over_as_their_codes_and_categories(log):
    # polars' own export of a Categorical builds a new dictionary, a hash a
    # row; mot hands over the codes and categories polars holds
    # (mot/_arrow_in.py): the same figures, the same rows missing.
    pl = pytest.importorskip("polars")
    from mot._arrow_in import arrow_in

    events, outcomes = log
    # The process-wide categories hold more than this log's MOTs.
    pl.Series(["not-in-this-log", "nor-this"]).cast(pl.Categorical)
    plain = pl.from_arrow(events).with_columns(
        pl.when(pl.int_range(pl.len()) % 97 == 5).then(None).otherwise(pl.col("mot_id")).alias("mot_id")
    )
    cats = plain.with_columns(pl.col("mot_id").cast(pl.Categorical))
    handed = arrow_in(cats)
    assert isinstance(handed, pa.Table) and handed.column_names == cats.columns
    assert pa.types.is_dictionary(handed.schema.field("mot_id").type)
    assert handed.column("mot_id").to_pylist() == plain["mot_id"].to_list()
    assert handed.drop_columns("mot_id").equals(pa.table(plain.drop("mot_id")))
    dashboards = []
    for frame in (cats, plain):
        with pytest.warns(mot.MotWarning, match="missing-mot"):
            dashboards.append(mot.dashboard(frame, pl.from_arrow(outcomes), threads=1).to_dict())
    assert dashboards[0] == dashboards[1]
    assert dashboards[0]["rejected"]["missing-mot"] == sum(m is None for m in plain["mot_id"])
    # Anything else goes over as it is.
    assert arrow_in(plain) is plain and arrow_in(events) is events


def test_unsigned_ids_of_every_width_and_threads(log):
    # UInt32 ids are read as they are, narrower ones widened: the same
    # dashboard as 64-bit ids; `threads` chooses how a large read is cut
    # (the figures do not depend on it) and is checked like every option.
    events, outcomes = log
    base = mot.dashboard(events, outcomes).to_dict()
    journeys = events.column("journey_id").cast(pa.int64())
    for t in (pa.uint32(), pa.uint64()):
        ev = events.set_column(0, "journey_id", journeys.cast(t))
        out = outcomes.set_column(0, "journey_id", outcomes.column("journey_id").cast(pa.int64()).cast(t))
        assert mot.dashboard(ev, out, threads=1).to_dict() == base
    codes = pa.array([["search-book", "check-in"].index(m) if m in ("search-book", "check-in") else 2
                      for m in events.column("mot_id").to_pylist()])
    as_ints = {}
    for t in (pa.uint8(), pa.uint16(), pa.uint32(), pa.int64()):
        ev = events.set_column(1, "mot_id", codes.cast(t))
        as_ints[str(t)] = mot.dashboard(ev, outcomes, threads=0).to_dict()["mots"]
    assert len({repr(v) for v in as_ints.values()}) == 1
    with pytest.raises(mot.ConfigError, match="invalid type"):
        mot.dashboard(events, outcomes, threads="all")


def test_flags_read_at_any_bit_offset(log):
    # Arrow packs booleans eight to a byte; a sliced table starts mid-byte
    # and ends mid-word. Its flags read as those of the same rows rebuilt
    # from Python values (nulls in the success column included).
    events, outcomes = log
    rows = events.num_rows
    ok = events.column("success").to_pylist()
    ok[10] = None
    events = events.set_column(3, "success", pa.array(ok, pa.bool_()))
    for start, length in ((5, rows - 77), (3, 61), (64, 130)):
        sliced = events.slice(start, length)
        rebuilt = pa.table({name: pa.array(sliced.column(name).to_pylist(), sliced.column(name).type)
                            for name in sliced.column_names})
        assert sliced.column("success").chunk(0).offset == start
        # (The outcomes of journeys outside the slice are rejected: warned.)
        with pytest.warns(mot.MotWarning, match="outcome-without-interactions"):
            got = mot.dashboard(sliced, outcomes).to_dict()
        with pytest.warns(mot.MotWarning, match="outcome-without-interactions"):
            assert got == mot.dashboard(rebuilt, outcomes).to_dict()
        assert sum(m["successes"] or 0 for m in got["mots"]) == sum(x is True for x in ok[start:start + length])


def test_string_views_are_read_as_text(log):
    # Arrow string views (polars' strings) are read as they are: short ids
    # inline, long ones in the views' buffers, nulls as missing ids.
    events, outcomes = log
    base = mot.dashboard(events, outcomes).to_dict()
    views = events.set_column(1, "mot_id", events.column("mot_id").cast(pa.string_view()))
    views = views.set_column(0, "journey_id", events.column("journey_id").cast(pa.string()).cast(pa.string_view()))
    out = outcomes.set_column(0, "journey_id", outcomes.column("journey_id").cast(pa.string()))
    text = events.set_column(0, "journey_id", events.column("journey_id").cast(pa.string()))
    assert mot.dashboard(views, out).to_dict() == mot.dashboard(text, out).to_dict()
    assert mot.dashboard(views, out).to_dict()["mots"] == base["mots"]
    long = pa.array(["a journey id longer than twelve bytes", None, "short"], pa.string_view())
    ev = pa.table({"journey_id": long, "mot_id": pa.array(["check-in"] * 3, pa.string_view()),
                   "timestamp": [T0, T0, T0], "success": [True, False, True]})
    with pytest.warns(mot.MotWarning, match="missing-journey"):
        d = mot.dashboard(ev).to_dict()
    assert d["amount"]["journeys"] == 2


def test_duckdb_relations_are_tables_too(log):
    duckdb = pytest.importorskip("duckdb")
    events, outcomes = log
    x = mot.sample_experience()
    con = duckdb.connect()
    con.register("events", events)
    con.register("outcomes", outcomes)
    got = mot.dashboard(con.sql("select * from events"), con.sql("select * from outcomes"), experience=x).to_dict()
    assert got == mot.dashboard(events, outcomes, experience=x).to_dict()


def test_limits_raise_limit_error_and_keep_the_state():
    events, _ = mot.sample_log(journeys=50, seed=3)
    with pytest.raises(mot.LimitError, match="max_mots"):
        mot.dashboard(events, limits={"max_mots": 5})
    with pytest.raises(mot.ConfigError, match="unknown field `max_motz`"):
        mot.dashboard(events, limits={"max_motz": 5})
    # Every option is checked by the core: a misspelt one is an error, not ignored.
    with pytest.raises(mot.ConfigError, match="unknown field `top_variant`"):
        mot.dashboard(events, top_variant=3)
    with pytest.raises(mot.ConfigError):
        mot.dashboard_from_csv("journey_id,mot_id,timestamp\n", period="fortnight")
    # Values read as the `mot` command reads its flags, with its messages,
    # and no position in the JSON the binding wrote.
    with pytest.raises(mot.ConfigError, match=r"^`min` is not a time unit: use `s`, `ms`, `us` or `ns`$"):
        mot.dashboard(events, time_unit="min")
    with pytest.raises(mot.ConfigError, match=r"^`skip` is not a bad-row policy: use `reject` or `fail`$"):
        mot.dashboard(events, bad_rows="skip")
    with pytest.raises(mot.ConfigError, match=r"^invalid value: integer `-1`, expected usize$"):
        mot.dashboard(events, top_variants=-1)


def test_a_frame_arrow_cannot_hold_says_why():
    import pandas as pd

    mixed = pd.DataFrame({"journey_id": [1, "1", 2], "mot_id": ["a", "b", "c"], "timestamp": [1, 2, 3]})
    with pytest.raises(mot.ColumnsError, match="events cannot be read as Arrow columns: .*column journey_id"):
        mot.dashboard(mixed)
    t = mot.Tracker(limits={"max_open_journeys": 1})
    t.record("a", "check-in", T0, True)
    with pytest.raises(mot.LimitError, match="max_open_journeys"):
        t.record("b", "check-in", T0, True)
    assert t.interactions == 1 and t.open_journeys == 1
    deep = "[" * 200 + "]" * 200
    with pytest.raises(mot.LimitError):
        mot.Experience.from_json(deep)


def test_alarms_fire_as_interactions_arrive_and_drain():
    """A Bernoulli CUSUM per MOT with a target: a failing bag drop alarms
    within a few interactions, the queue drains once, and the dashboard's
    ``cusum`` and ``cusum`` alert agree with it."""
    x = mot.sample_experience()
    t = mot.Tracker(x, cusum={"odds_ratio": 2.0, "arl0": 10_000.0})
    for i in range(40):
        t.record(f"j{i}", "bag-drop", 1795424400 + 60 * i, i % 4 == 0)
    first = t.alarms()
    assert first and first[0]["mot"] == "bag-drop" and first[0]["owner"] is not None
    assert first[0]["statistic"] >= first[0]["h"] and first[0]["p1"] > first[0]["p0"]
    assert t.alarms() == []
    d = t.dashboard().to_dict()
    bag = next(m for m in d["mots"] if m["id"] == "bag-drop")
    assert bag["cusum"]["alarms"] == len(first)
    assert bag["cusum"]["last_alarm_at"] == first[-1]["timestamp"]
    assert any(a["kind"] == "cusum" and a["evidence"] == "cusum" for a in d["alerts"])
    assert next(m for m in d["mots"] if m["id"] == "seat")["cusum"] is not None
    with pytest.raises(mot.ConfigError, match="odds ratio"):
        mot.Tracker(x, cusum={"odds_ratio": 1.0})


def test_a_row_of_a_closed_journey_is_after_close_however_it_arrives():
    """Its journey is checked before its values, from record as from a table
    (and as in JavaScript): a timestamp that cannot be read does not hide
    that the journey is closed, and a row without a journey id is missing
    one, whatever its values."""

    def closed():
        t = mot.Tracker()
        t.record("j", "a", T0, None)
        t.close_journey("j", True)
        return t

    def counts(t):
        return {k: n for k, n in t.rejected.items() if n}

    want = {"after-close": 2, "missing-journey": 1}
    recorded = closed()
    for journey, ts in [("j", 1e15), ("j", 1.5), ("", 1.5)]:
        recorded.record(journey, "b", ts, None)
    assert counts(recorded) == want
    table = closed()
    with pytest.warns(mot.MotWarning):
        table.ingest(pa.table({"journey_id": ["j", "j", None], "mot_id": ["b"] * 3, "timestamp": [1e15, 1.5, 1.5]}))
    assert counts(table) == want
    # A float without a fraction is a timestamp; one with, or NaN, is counted.
    t = mot.Tracker()
    t.record("k", "a", float(T0), True)
    t.record("k", "a", T0 + 0.5, True)
    t.record("k", "a", float("nan"), True)
    assert t.interactions == 1
    assert counts(t) == {"invalid-timestamp": 1, "missing-timestamp": 1}


def test_at_risk_probabilities_equal_a_direct_linear_solve():
    """P(SCO | last state) for every open journey equals numpy's solve of the
    absorbing chain estimated, independently, from the closed journeys' rows:
    states (MOT, failed), counts to the next state or to the end with the
    journey's outcome, (I − Q) x = r."""
    np = pytest.importorskip("numpy")
    x = mot.sample_experience()
    events, outcomes = mot.sample_log(journeys=1500, seed=11)
    ev = events.to_pandas()
    oc = outcomes.to_pandas()
    closed_ids = set(oc["journey_id"][:1200])
    closed = ev[ev["journey_id"].isin(closed_ids)]
    still_open = ev[~ev["journey_id"].isin(closed_ids)]
    t = mot.Tracker(x)
    t.ingest(pa.Table.from_pandas(closed, preserve_index=False), pa.Table.from_pandas(oc[:1200], preserve_index=False))
    for r in still_open.itertuples(index=False):
        t.record(f"open-{r.journey_id}", r.mot_id, int(r.timestamp), bool(r.success))

    # The reference chain, from the closed journeys' rows in time order.
    index = {m: i for i, m in enumerate(x.mot_ids())}
    n_states = 2 * len(index) + 1
    moves = np.zeros((n_states, n_states))
    to_sco = np.zeros(n_states)
    left = np.zeros(n_states)
    sco = dict(zip(oc["journey_id"], oc["sco"]))
    for j, rows in closed.sort_values("timestamp", kind="stable").groupby("journey_id", sort=False):
        states = [2 * index[m] + (2 if not ok else 1) for m, ok in zip(rows["mot_id"], rows["success"])]
        for a, b in zip(states, states[1:]):
            moves[a, b] += 1
            left[a] += 1
        left[states[-1]] += 1
        to_sco[states[-1]] += bool(sco[j])
    seen = left > 0
    q = np.where(seen[:, None], moves / np.where(left == 0, 1, left)[:, None], 0.0)
    r = np.where(seen, to_sco / np.where(left == 0, 1, left), 0.0)
    p = np.linalg.solve(np.eye(n_states) - q, r)

    risky = t.at_risk(1.01, 10_000)
    assert len(risky) == still_open["journey_id"].nunique()
    for item in risky:
        rows = still_open[still_open["journey_id"] == int(item["journey"].removeprefix("open-"))]
        last = rows.sort_values("timestamp", kind="stable").iloc[-1]
        state = 2 * index[last["mot_id"]] + (2 if not last["success"] else 1)
        assert (item["mot"], item["failed"]) == (last["mot_id"], not last["success"])
        assert seen[state]
        assert item["probability"] == pytest.approx(p[state], abs=1e-12)
    assert [i["probability"] for i in risky] == sorted(i["probability"] for i in risky)


def test_journeys_at_risk_lowest_first_with_their_owner():
    x = mot.sample_experience()
    t = mot.Tracker(x)
    t.ingest(*mot.sample_log(journeys=3000, seed=2))
    t.record("ok", "search-book", 1795392000, True)
    t.record("ok", "payment-auth", 1795392060, True)
    t.record("late", "search-book", 1795392000, True)
    t.record("late", "payment-auth", 1795392060, False)
    everyone = t.at_risk(1.01, 10)
    assert [r["journey"] for r in everyone] == ["late", "ok"]  # a failed payment is riskier
    assert everyone[0]["failed"] and everyone[0]["owner"] is not None
    assert 0 <= everyone[0]["probability"] < everyone[1]["probability"] <= 1
    d = t.dashboard(at_risk_threshold=1.01, at_risk_top=1).to_dict()["at_risk"]
    assert (d["open_journeys"], d["below"], len(d["top"])) == (2, 2, 1)
    assert d["top"][0] == everyone[0]
    assert t.at_risk(0.0) == []
