"""Writes catalogue.json: the bad-input catalogue shared by the Rust, Python
and JavaScript test suites (and rendered in docs/bad-inputs.md).

Each entry is one kind of bad input: how it is fed (`via`), the input, and
what the library must answer (`expect`) -- an error of a kind, or rows
rejected by reason with the rest accepted. The expectations are written by
hand here; the two tracker states embedded as inputs are made with `mot`
(`pip install ./mot-py`) and are only inputs.

    python tests/bad-inputs/make_catalogue.py          # rewrite catalogue.json
    python tests/bad-inputs/make_catalogue.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
AIRLINE = (ROOT / "mot-core/data/airline.json").read_text()
HEAD = "journey_id,mot_id,timestamp,success,cost,value\n"
OK_ROW = "j1,check-in,1795392000,true,1.5,\n"
T = 1795392000


def x_with(**changes):
    """The airline experience with a change applied by a small edit function."""
    doc = json.loads(AIRLINE)
    for path, value in changes.items():
        *keys, last = path.split(".")
        node = doc
        for k in keys:
            node = node[int(k)] if k.isdigit() else node[k]
        if value is DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return json.dumps(doc)


DELETE = object()


def experience(id_, what, text, kind, **extra):
    return {"id": id_, "what": what, "via": "experience", "input": {"text": text}, "expect": {"error": kind, **extra}}


def csv(id_, what, events, expect, outcomes=None, bound=True, bad_rows="reject", events_b64=None):
    entry = {"id": id_, "what": what, "via": "csv", "bound": bound, "bad_rows": bad_rows, "expect": expect}
    entry["input"] = {"base64": events_b64} if events_b64 else {"text": events}
    if outcomes is not None:
        entry["outcomes"] = outcomes
    return entry


def rejected(accepted, **reasons):
    return {"accepted": accepted, "rejected": {k.replace("_", "-"): v for k, v in reasons.items()}}


def states():
    import mot

    log = "journey_id,mot_id,timestamp,success\n" + "".join(
        f"j{j},{m},{T + 60 * k},{'true' if (j + k) % 3 else 'false'}\n"
        for j in range(6)
        for k, m in enumerate(["search-book", "check-in", "bag-drop"])
    )
    import io

    import pyarrow.csv as pacsv

    table = pacsv.read_csv(io.BytesIO(log.encode()))
    bound = mot.Tracker(mot.sample_experience())
    bound.ingest(table)
    discovery = mot.Tracker()
    discovery.ingest(table)
    weekly = mot.Tracker(mot.sample_experience(), period="week")
    weekly.ingest(table)
    return bound.to_bytes(), discovery.to_bytes(), weekly.to_bytes()


def b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def catalogue():
    bound, discovery, weekly = states()
    e = []
    # --- experience documents -------------------------------------------------
    e += [
        experience("json-empty", "empty document", "", "json"),
        experience("json-not-json", "not JSON at all", "hello", "json"),
        experience("json-array", "a JSON array instead of an object", "[]", "json"),
        experience("json-truncated", "a document cut in half", AIRLINE[: len(AIRLINE) // 2], "json"),
        experience("json-bom", "a byte-order mark before the document", "\ufeff" + AIRLINE, "json"),
        experience("format-missing", "no `format` tag", "{}", "format"),
        experience("format-wrong", "another format's tag", x_with(format="mot.dashboard/1"), "format"),
        experience("format-future", "a newer version of the format", x_with(format="mot.experience/9"), "format"),
        experience("format-not-string", "a `format` that is not a string", x_with(format=1), "format"),
        experience("json-wrong-type", "a value of the wrong type", x_with(id=7), "json", path="id"),
        experience("json-unknown-field", "an unknown field", x_with(colour="blue"), "json"),
        experience("json-deep", "JSON nested 100,000 deep", "[" * 100_000 + "]" * 100_000, "limit"),
        experience("mots-duplicate", "two MOTs with one id", x_with(**{"mots.1.id": json.loads(AIRLINE)["mots"][0]["id"]}), "invalid"),
        experience("manager-dangling", "a MOT Manager who is not a person", x_with(**{"mots.0.manager": "nobody"}), "invalid"),
        experience("parent-dangling", "a parent MOT that does not exist", x_with(**{"mots.0.parent": "no-such-mot"}), "invalid"),
        experience("parent-cycle", "MOTs that enclose each other", cycle(), "invalid"),
        experience("cost-negative", "a negative cost in the landscape", x_with(**{"landscape.work.0.cost": -5}), "invalid"),
        experience("type-unknown", "an interaction type that does not exist", x_with(**{"mots.0.type": "XX"}), "json"),
        experience("target-out-of-range", "a SMOTO target above 1", x_with(**{"mots.0.smoto.target": 1.5}), "json", path="mots[0].smoto.target"),
    ]
    # --- interaction and outcome files ----------------------------------------
    e += [
        csv("csv-empty", "an empty interactions file", "", {"error": "columns"}),
        csv("csv-header-only", "a header and no rows", HEAD, rejected(0)),
        csv("csv-missing-column", "no journey id column", "case,mot_id,timestamp,success\nj1,check-in,1795392000,true\n", {"error": "columns"}),
        csv("csv-invalid-utf8", "bytes that are not UTF-8", None, {"error": "format"}, events_b64=b64(HEAD.encode() + b"j1,check-\xff\xfe,1795392000,true,,\n")),
        csv("csv-short-row", "a row with fewer fields than the header", HEAD + OK_ROW + "j2,check-in\n", rejected(1, malformed_row=1)),
        csv("csv-timestamp-text", "a timestamp that is not a time", HEAD + OK_ROW + "j2,check-in,yesterday,true,,\n", rejected(1, invalid_timestamp=1)),
        csv("csv-timestamp-past", "a timestamp before 1900", HEAD + OK_ROW + "j2,check-in,-5000000000,true,,\n", rejected(1, timestamp_out_of_range=1)),
        csv("csv-timestamp-future", "a timestamp after 2200", HEAD + OK_ROW + "j2,check-in,9000000000,true,,\n", rejected(1, timestamp_out_of_range=1)),
        csv("csv-timestamp-overflow", "a timestamp beyond 64 bits", HEAD + OK_ROW + "j2,check-in,99999999999999999999999,true,,\n", rejected(1, invalid_timestamp=1)),
        csv("csv-journey-null", "an empty journey id", HEAD + OK_ROW + ",check-in,1795392000,true,,\n", rejected(1, missing_journey=1)),
        csv("csv-mot-null", "an empty MOT id", HEAD + OK_ROW + "j2,,1795392000,true,,\n", rejected(1, missing_mot=1)),
        csv("csv-mot-unknown", "a MOT the experience does not have", HEAD + OK_ROW + "j2,teleport,1795392000,true,,\n", rejected(1, unknown_mot=1)),
        csv("csv-success-text", "a success flag that is not a flag", HEAD + OK_ROW + "j2,check-in,1795392000,maybe,,\n", rejected(1, invalid_success=1)),
        csv("csv-success-null", "an empty success flag", HEAD + OK_ROW + "j2,check-in,1795392000,,,\n", rejected(1, missing_success=1)),
        csv("csv-cost-nan", "a NaN cost", HEAD + OK_ROW + "j2,check-in,1795392000,true,NaN,\n", rejected(1, non_finite_cost=1)),
        csv("csv-cost-infinite", "an infinite cost", HEAD + OK_ROW + "j2,check-in,1795392000,true,inf,\n", rejected(1, non_finite_cost=1)),
        csv("csv-cost-negative", "a negative cost", HEAD + OK_ROW + "j2,check-in,1795392000,true,-3,\n", rejected(1, negative_cost=1)),
        csv("csv-cost-text", "a cost that is not a number", HEAD + OK_ROW + "j2,check-in,1795392000,true,cheap,\n", rejected(1, invalid_cost=1)),
        csv("csv-value-nan", "a NaN value", HEAD + OK_ROW + "j2,check-in,1795392000,true,,NaN\n", rejected(1, non_finite_value=1)),
        csv("csv-fail-fast", "a bad row when the caller asked to fail", HEAD + OK_ROW + "j2,teleport,1795392000,true,,\n", {"error": "bad-row", "reason": "unknown-mot"}, bad_rows="fail"),
        csv("csv-unbalanced-quote", "a quote that never closes", HEAD + OK_ROW + 'j2,"check-in,1795392000,true,,\n', rejected(1, malformed_row=1)),
        csv("outcome-orphan", "an outcome for a journey with no interactions", HEAD + OK_ROW, rejected(1, outcome_without_interactions=1), outcomes="journey_id,sco\nj1,true\nj9,false\n"),
        csv("outcome-duplicate", "two outcomes for one journey", HEAD + OK_ROW, rejected(1, duplicate_outcome=1), outcomes="journey_id,sco\nj1,true\nj1,false\n"),
        csv("outcome-unreadable", "an SCO flag that is not a flag", HEAD + OK_ROW, rejected(1, missing_outcome=1), outcomes="journey_id,sco\nj1,perhaps\n"),
        csv("outcome-missing-column", "outcomes without an SCO column", HEAD + OK_ROW, {"error": "columns"}, outcomes="journey_id,result\nj1,true\n"),
        csv("mots-too-many", "200,000 distinct MOT ids (discovery mode; over `max_mots`)", None, {"error": "limit"}, bound=False) | {"input": {"many_mots": 200_000}},
    ]
    # --- columns (tables and arrays, not text) ----------------------------------
    # Each column is {"type", "values"}; every binding builds its native column
    # of that type (Rust: slices through mot_core::input::values; Python:
    # pyarrow; JavaScript: typed arrays or plain arrays) and must give the same
    # answer as the same value written in a CSV file. "NaN" stands for a float
    # NaN (JSON has none).
    def cols(id_, what, columns, expect, outcomes=None):
        entry = {"id": id_, "what": what, "via": "columns", "bound": True, "input": {"columns": columns}, "expect": expect}
        if outcomes:
            entry["input"]["outcomes"] = outcomes
        return entry

    J = {"type": "string", "values": ["j1", "j1", "j2"]}
    M = {"type": "string", "values": ["check-in", "bag-drop", "check-in"]}
    TS = {"type": "int", "values": [T, T + 60, T]}
    OK = {"type": "bool", "values": [True, False, True]}
    base = {"journey_id": J, "mot_id": M, "timestamp": TS, "success": OK}
    e += [
        cols("columns-success-int-2", "an integer success flag of 2 (0 and 1 are flags)", base | {"success": {"type": "int", "values": [1, 2, 0]}}, rejected(2, invalid_success=1)),
        cols("columns-success-uint8-2", "a byte success flag of 2", base | {"success": {"type": "uint8", "values": [1, 2, 0]}}, rejected(2, invalid_success=1)),
        cols("columns-success-all-null", "a success column of nulls only", base | {"success": {"type": "null", "values": [None, None, None]}}, rejected(0, missing_success=3)),
        cols("columns-cost-all-null", "a cost column of nulls only (costs unknown, rows kept)", base | {"cost": {"type": "null", "values": [None, None, None]}}, rejected(3)),
        cols("columns-journey-all-null", "a journey id column of nulls only", base | {"journey_id": {"type": "null", "values": [None, None, None]}}, rejected(0, missing_journey=3)),
        cols("columns-mot-all-null", "an MOT id column of nulls only", base | {"mot_id": {"type": "null", "values": [None, None, None]}}, rejected(0, missing_mot=3)),
        cols("columns-timestamp-fraction", "a float timestamp with a fraction", base | {"timestamp": {"type": "float", "values": [T, T + 0.5, T]}}, rejected(2, invalid_timestamp=1)),
        cols("columns-timestamp-nan", "a float timestamp that is NaN (a missing value)", base | {"timestamp": {"type": "float", "values": [T, "NaN", T]}}, rejected(2, missing_timestamp=1)),
        cols("columns-timestamp-text", "timestamps as text: RFC 3339 with milliseconds and an offset, and one that is no time", base | {"timestamp": {"type": "string", "values": ["2026-11-23T01:00:00.250+01:00", "2026-11-23T00:01:00Z", "11/23/2026"]}}, rejected(2, invalid_timestamp=1)),
        cols("columns-no-success", "no success column (a process-mining log)", {k: v for k, v in base.items() if k != "success"}, rejected(3)),
        cols("columns-sco-int-2", "an integer SCO flag of 2 (a missing outcome, as its text is)", base, rejected(3, missing_outcome=1), outcomes={"journey_id": {"type": "string", "values": ["j1", "j2"]}, "sco": {"type": "int", "values": [1, 2]}}),
    ]
    # --- tracker states -------------------------------------------------------
    state = lambda id_, what, data, kind: {"id": id_, "what": what, "via": "state", "input": {"base64": b64(data)}, "expect": {"error": kind} if kind else {"ok": True}}
    # The version this library writes (bytes 8-9 of a state), and the next.
    version = bound[8:10]
    future = (int.from_bytes(version, "little") + 1).to_bytes(2, "little")
    e += [
        state("state-empty", "no bytes", b"", "state"),
        state("state-foreign", "the bytes of another format (a zip file)", b"PK\x03\x04\x14\x00\x00\x00", "state"),
        state("state-truncated", "a state cut short", bound[: len(bound) // 2], "state"),
        state("state-future", "a state from a newer version", b"MOTSTATE" + future + bound[10:], "state"),
        state("state-huge-length", "a length field of 2^63 with nothing behind it", b"MOTSTATE" + version + b"\xff" * 9 + b"\x7f", "state"),
        state("state-trailing", "a valid state with bytes after it", bound + b"\x00\x01", "state"),
        state("state-transitions-malformed", "a state whose transition table has no states but has counts (found by fuzzing: a division by zero, now refused)", (ROOT / "fuzz/regressions/state_decode/crash-b882035120e0cf6da2c9e53289b3947756fd62ed").read_bytes(), "state"),
        state("state-empty-period-successes", "a state with a period of no trials but some successes (found by fuzzing state_merge: merged with a state that had trials that day, it gave 9 successes out of 1; now refused when read)", (ROOT / "fuzz/regressions/state_decode/crash-merge-empty-period-successes").read_bytes(), "state"),
        state("state-valid", "a valid state (control)", bound, None),
    ]
    # --- merging --------------------------------------------------------------
    e += [
        {"id": "merge-experiences", "what": "merging a state bound to an experience with one in discovery mode", "via": "merge", "input": {"base64": b64(bound), "other": b64(discovery)}, "expect": {"error": "merge"}},
        {"id": "merge-periods", "what": "merging states with different trend periods", "via": "merge", "input": {"base64": b64(bound), "other": b64(weekly)}, "expect": {"error": "merge"}},
    ]
    return {"about": __doc__.split("\n\n")[0], "entries": e}


def cycle():
    doc = json.loads(AIRLINE)
    a, b = doc["mots"][0]["id"], doc["mots"][1]["id"]
    doc["mots"][0]["parent"] = b
    doc["mots"][1]["parent"] = a
    return json.dumps(doc)


VIA = {
    "experience": "Experience JSON (`Experience::from_json`, `mot.Experience.from_json`, `Experience.fromJson`, `mot validate`)",
    "csv": "Interaction / outcome CSV (`mot_core::csv`, `mot dashboard`, `mot.dashboard_from_csv`, `dashboardFromCsv`)",
    "columns": "Tables and arrays (`Tracker::ingest` with `mot_core::input::values`, `mot.dashboard` with pyarrow, `dashboard` with typed or plain arrays)",
    "state": "Tracker state bytes (`Tracker::from_bytes`, `mot.Tracker.from_bytes`, `Tracker.fromBytes`)",
    "merge": "Merging states (`Tracker::merge`, `Tracker.merge`, `tracker.merge`)",
}


def answer(entry) -> str:
    want = entry["expect"]
    if "error" in want:
        extra = [f"{k} `{v}`" for k, v in want.items() if k != "error"]
        return f"error `{want['error']}`" + (f" ({', '.join(extra)})" if extra else "")
    if want.get("ok"):
        return "accepted"
    rej = ", ".join(f"`{k}` × {v}" for k, v in want["rejected"].items()) or "none"
    return f"{want['accepted']} accepted; rejected: {rej}"


def docs(cat) -> str:
    lines = [
        "# Bad inputs and what they get",
        "",
        "Every kind of bad input the library is known to meet, and its answer:",
        "an error of a kind (the same `kind` string in Rust's `ErrorKind`, Python's",
        "`mot.MotError.kind` and JavaScript's `MotError.kind`), or rows rejected",
        "by reason and counted in the dashboard's `rejected`, with the rest",
        "accepted. Nothing here panics, hangs or drops a row silently; after an",
        "error the Python and JavaScript modules keep working.",
        "",
        "The table is generated from `tests/bad-inputs/catalogue.json`",
        "(`python tests/bad-inputs/make_catalogue.py`), which the Rust",
        "(`mot-core/tests/bad_inputs.rs`), Python (`mot-py/tests/test_bad_inputs.py`)",
        "and JavaScript (`mot-wasm/tests/js/bad_inputs.test.mjs`) suites walk, entry",
        "by entry. CSV entries are read with the sample experience unless marked",
        "discovery; `bad_rows` is `reject` unless marked `fail`.",
        "",
        "Resource limits (`mot_core::Limits`, errors of kind `limit`) are described",
        "in the crate docs of `mot_core::limits`; the fuzz targets that look for",
        "inputs missing from this list are in `fuzz/`.",
    ]
    n = 0
    for via, title in VIA.items():
        lines += ["", f"## {title}", "", "| # | id | input | answer |", "|---|---|---|---|"]
        for e in cat["entries"]:
            if e["via"] != via:
                continue
            n += 1
            what = e["what"]
            if via == "csv" and not e.get("bound", True):
                what += " (discovery)"
            if via == "csv" and e.get("bad_rows") == "fail":
                what += " (`bad_rows` fail)"
            lines.append(f"| {n} | `{e['id']}` | {what} | {answer(e)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    cat = catalogue()
    outputs = {
        HERE / "catalogue.json": json.dumps(cat, indent=1, ensure_ascii=False) + "\n",
        ROOT / "docs/bad-inputs.md": docs(cat),
    }
    if "--check" in sys.argv:
        stale = [str(p) for p, text in outputs.items() if not p.exists() or p.read_text() != text]
        if stale:
            sys.exit(f"out of date (run make_catalogue.py): {', '.join(stale)}")
        return
    for p, text in outputs.items():
        p.write_text(text)
    print(f"wrote {len(cat['entries'])} entries to catalogue.json and docs/bad-inputs.md")


if __name__ == "__main__":
    main()
