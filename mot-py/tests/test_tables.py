"""Dashboard tables (``mot/_tables.py``): one Arrow table per part, its time
columns as UTC timestamps in pyarrow, pandas and polars alike, and a clear
error naming the extra when pandas or polars is missing."""

from __future__ import annotations

import datetime as dt
import sys

import pyarrow as pa
import pytest

import mot
from mot import _tables

UTC = pa.timestamp("s", tz="UTC")
# Every time column of the tables, and where the contract has it.
TIMES = {
    "trends": ("start", lambda d: [p["start"] for t in d["trends"] for p in t["periods"]]),
    "alerts": ("period_start", lambda d: [a["period_start"] for a in d["alerts"]]),
    "conformance": ("start", lambda d: [p["start"] for p in d["conformance"]["trend"]]),
    "mots": ("cusum.last_alarm_at", lambda d: [(m["cusum"] or {}).get("last_alarm_at") for m in d["mots"]]),
}


@pytest.fixture(scope="module")
def dash():
    events, outcomes = mot.sample_log(journeys=3000, seed=5)
    return mot.dashboard(events, outcomes, experience=mot.sample_experience())


def utc(seconds):
    return None if seconds is None else dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)


@pytest.mark.parametrize("name", sorted(TIMES))
def test_time_columns_are_utc_timestamps_in_pyarrow(dash, name):
    column, contract = TIMES[name]
    t = dash.table(name)
    assert t.schema.field(column).type == UTC
    want = contract(dash.to_dict())
    assert any(w is not None for w in want), f"the sample has no `{column}` in `{name}`"
    assert t.column(column).to_pylist() == [utc(s) for s in want]


def test_only_time_columns_are_timestamps(dash):
    stamped = {(name, f.name) for name in _tables.TABLES for f in dash.table(name).schema if pa.types.is_timestamp(f.type)}
    assert stamped == {(name, column) for name, (column, _) in TIMES.items()}


@pytest.mark.parametrize("name", sorted(TIMES))
def test_time_columns_are_utc_datetimes_in_pandas(dash, name):
    pd = pytest.importorskip("pandas")
    column, contract = TIMES[name]
    df = dash.to_pandas(name)
    assert isinstance(df[column].dtype, pd.DatetimeTZDtype) and str(df[column].dt.tz) == "UTC"
    got = [None if pd.isna(v) else v.to_pydatetime() for v in df[column]]
    assert got == [utc(s) for s in contract(dash.to_dict())]


@pytest.mark.parametrize("name", sorted(TIMES))
def test_time_columns_are_utc_datetimes_in_polars(dash, name):
    pl = pytest.importorskip("polars")
    column, contract = TIMES[name]
    df = dash.to_polars(name)
    assert isinstance(df.schema[column], pl.Datetime) and df.schema[column].time_zone == "UTC"
    assert df[column].to_list() == [utc(s) for s in contract(dash.to_dict())]


def test_an_empty_part_is_an_empty_table():
    events = pa.table({"journey_id": [1], "mot_id": ["a"], "timestamp": [1_795_392_000], "success": [True]})
    d = mot.dashboard(events)
    assert d.table("alerts").num_rows == 0 and d.table("conformance").num_rows == 0


@pytest.mark.parametrize(("method", "package", "extra"), [("to_pandas", "pandas", "pandas"), ("to_polars", "polars", "polars")])
def test_a_missing_package_names_its_extra(dash, monkeypatch, method, package, extra):
    # As if the package were not installed: `import pandas` fails.
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, package, None)
    with pytest.raises(ModuleNotFoundError) as e:
        getattr(dash, method)("mots")
    assert str(e.value) == (
        f"{package} is not installed: `pip install {package}`, or install mot with "
        f'its `{extra}` extra (`pip install "./mot-py[{extra}]"`)'
    )
    assert e.value.name == package


def test_a_broken_package_keeps_its_own_error(monkeypatch):
    # Installed, but failing on a dependency of its own: not "not installed".
    def broken(name):
        raise ModuleNotFoundError("No module named 'numpy'", name="numpy")

    monkeypatch.setattr("importlib.import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="^No module named 'numpy'$"):
        _tables.require("pandas")
