"""The bad-input catalogue (tests/bad-inputs/catalogue.json) through Python:
every entry gets its answer as a typed exception or counted rows, never a
crash, and the module keeps working after each."""

from __future__ import annotations

import base64
import json
import warnings

import pytest

import mot
from conftest import ROOT

ENTRIES = json.loads((ROOT / "tests/bad-inputs/catalogue.json").read_text())["entries"]


def data(inp):
    if "text" in inp:
        return inp["text"].encode()
    if "base64" in inp:
        return base64.b64decode(inp["base64"])
    n = inp["many_mots"]
    return ("journey_id,mot_id,timestamp,success\n" + "".join(f"j{i},m{i},1795392000,true\n" for i in range(n))).encode()


def arrow_column(spec):
    import pyarrow as pa

    values = [float("nan") if v == "NaN" else v for v in spec["values"]]
    if spec["type"] == "null":
        return pa.nulls(len(values))
    kind = {"int": pa.int64(), "uint8": pa.uint8(), "float": pa.float64(), "bool": pa.bool_(), "string": pa.string()}
    return pa.array(values, kind[spec["type"]])


def arrow_table(columns):
    import pyarrow as pa

    return pa.table({name: arrow_column(spec) for name, spec in columns.items()})


def run(entry):
    inp, via = entry["input"], entry["via"]
    if via == "columns":
        x = mot.sample_experience() if entry["bound"] else None
        outcomes = arrow_table(inp["outcomes"]) if "outcomes" in inp else None
        return mot.dashboard(arrow_table(inp["columns"]), outcomes, experience=x).to_dict()
    if via == "experience":
        return mot.Experience.from_json(data(inp).decode())
    if via == "csv":
        x = mot.sample_experience() if entry["bound"] else None
        return mot.dashboard_from_csv(data(inp), entry.get("outcomes"), experience=x, bad_rows=entry["bad_rows"]).to_dict()
    if via == "state":
        return mot.Tracker.from_bytes(data(inp))
    if via == "merge":
        a = mot.Tracker.from_bytes(data(inp))
        before = a.to_bytes()
        try:
            a.merge(mot.Tracker.from_bytes(base64.b64decode(inp["other"])))
        finally:
            if a.to_bytes() != before:
                raise AssertionError("a failed merge changed the state")
        return a
    raise AssertionError(via)


def test_the_catalogue_is_big_enough():
    assert len(ENTRIES) >= 40


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_bad_input(entry):
    want = entry["expect"]
    if "error" in want:
        with pytest.raises(mot.MotError) as err:
            run(entry)
        assert err.value.kind == want["error"], str(err.value)
        assert isinstance(err.value, mot.errors.BY_KIND[want["error"]])
        if "reason" in want:
            assert err.value.reason == want["reason"]
        if "path" in want:
            assert err.value.path == want["path"]
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = run(entry)
        said = [str(w.message) for w in caught if issubclass(w.category, mot.MotWarning)]
        if "accepted" in want:
            assert got["amount"]["interactions"] == want["accepted"]
            rejected = {k: v for k, v in got["rejected"].items() if v}
            assert rejected == want["rejected"]
            # Rejected rows are said where a notebook user looks: one
            # warning, counting them by reason; none when nothing was.
            if rejected:
                assert len(said) == 1, said
                total = sum(rejected.values())
                assert said[0].startswith(f"{total} row{'s' if total > 1 else ''} rejected: "), said
                for reason, n in rejected.items():
                    assert f"{n} `{reason}`" in said[0], said
            else:
                assert said == []
    # Still working.
    assert mot.Experience.from_json(mot.sample_experience().to_json()).name == "Air travel"
