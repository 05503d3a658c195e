//! Tests of the JSON rows reader.

use super::*;
use crate::events::BadRows;
use crate::{Dashboard, DashboardOptions, ErrorKind, Ids, Tracker, TrackerConfig, Validity};

fn options(bad_rows: BadRows) -> ReadOptions {
    ReadOptions {
        bad_rows,
        ..ReadOptions::default()
    }
}

fn events(text: &str, bad_rows: BadRows) -> Result<EventTable, Error> {
    EventTable::read_json(text.as_bytes(), "e.ndjson", &options(bad_rows))
}

/// The text of each field of one row, as the table reads it.
fn row_texts(line: &str, names: &ColumnNames) -> Vec<String> {
    let keys = Keys::new(
        names,
        [
            names.journey.as_str(),
            &names.mot,
            &names.timestamp,
            &names.cost,
        ],
    );
    let rows = Rows::parse(line.as_bytes(), "x", &keys).unwrap();
    let cells = cells(&rows.entries[0], &keys).unwrap();
    let mut bufs = Default::default();
    texts(cells, &mut bufs).map(str::to_string).to_vec()
}

fn ingest(e: &EventTable, o: Option<&OutcomeTable>) -> Tracker {
    let x = crate::sample::airline();
    let mut t = Tracker::new(&x, TrackerConfig::default());
    t.ingest_table(e, o).unwrap();
    t
}

fn dashboard(t: &Tracker) -> String {
    let x = crate::sample::airline();
    Dashboard::build(t, Some(&x), &DashboardOptions::default())
        .unwrap()
        .to_json()
}

const CSV: &str = "journey_id,mot_id,timestamp,success,cost,producer\n\
        a,search-book,1795392000,true,,\n\
        a,check-in,2026-11-22T01:00:00.123Z,0,2.5,agent 7\n\
        b,search-book,1795392000,yes,-1,\n\
        b,teleport,1795392000,true,1,\n\
        c,check-in,yesterday,true,1,\n\
        c,check-in,1795399200,maybe,1,\n\
        ,check-in,1795399200,true,1,\n\
        d,bag-drop,1795399200,,100000000000000000000,\n";

const NDJSON: &str = r#"{"journey_id": "a", "mot_id": "search-book", "timestamp": 1795392000, "success": true, "note": {"x": [1]}}
{"journey_id": "a", "mot_id": "check-in", "timestamp": "2026-11-22T01:00:00.123Z", "success": 0, "cost": 2.5, "producer": "agent 7"}
{"journey_id": "b", "mot_id": "search-book", "timestamp": "1795392000", "success": "yes", "cost": -1}
{"journey_id": "b", "mot_id": "teleport", "timestamp": 1795392000, "success": true, "cost": 1.0}
{"journey_id": "c", "mot_id": "check-in", "timestamp": "yesterday", "success": true, "cost": 1}
{"journey_id": "c", "mot_id": "check-in", "timestamp": 1795399200, "success": "maybe", "cost": 1}
{"journey_id": null, "mot_id": "check-in", "timestamp": 1795399200, "success": true, "cost": 1}
{"journey_id": "d", "mot_id": "bag-drop", "timestamp": 1795399200, "cost": 1e20}
"#;

const OUTCOMES_CSV: &str = "journey_id,sco,value\na,1,\nb,false,12.5\nzz,maybe,\n";
const OUTCOMES_NDJSON: &str = "{\"journey_id\": \"a\", \"sco\": 1}\r\n\r\n\
        {\"journey_id\": \"b\", \"sco\": false, \"value\": 12.5}\r\n\
        {\"journey_id\": \"zz\", \"sco\": \"maybe\", \"value\": null}\r\n";

/// The NDJSON lines as one JSON array.
fn array(ndjson: &str) -> String {
    let rows: Vec<&str> = ndjson.lines().filter(|l| !l.trim().is_empty()).collect();
    format!("[\n  {}\n]\n", rows.join(",\n  "))
}

#[test]
fn csv_ndjson_and_array_give_the_same_tracker() {
    let o = ReadOptions::default();
    let csv = EventTable::read(CSV.as_bytes(), "e.csv", &o).unwrap();
    let csv_o = OutcomeTable::read(OUTCOMES_CSV.as_bytes(), "o.csv", &o).unwrap();
    let expected = ingest(&csv, Some(&csv_o));
    assert_eq!(expected.interactions(), 2);
    assert_eq!(expected.rejected().total(), 8); // 6 interactions, 2 outcomes

    let crlf = NDJSON.replace('\n', "\r\n");
    let bom = format!("\u{feff}{NDJSON}");
    for (events, outcomes) in [
        (NDJSON.to_string(), OUTCOMES_NDJSON.to_string()),
        (crlf, OUTCOMES_NDJSON.to_string()),
        (bom, format!("\u{feff}{}", array(OUTCOMES_NDJSON))),
        (array(NDJSON), array(OUTCOMES_NDJSON)),
    ] {
        let e = EventTable::read_json(events.as_bytes(), "e.json", &o).unwrap();
        let out = OutcomeTable::read_json(outcomes.as_bytes(), "o.json", &o).unwrap();
        assert_eq!((e.len(), out.len()), (csv.len(), csv_o.len()));
        let t = ingest(&e, Some(&out));
        assert_eq!(t.to_bytes(), expected.to_bytes(), "{events}");
        assert_eq!(dashboard(&t), dashboard(&expected));
    }
}

#[test]
fn values_read_as_their_text() {
    let names = ColumnNames::default();
    let texts = |line: &str| row_texts(line, &names);
    assert_eq!(
        texts(
            r#"{"journey_id": 18446744073709551615, "mot_id": -9223372036854775808, "timestamp": 1795392000123, "cost": 0.1}"#
        ),
        [
            "18446744073709551615",
            "-9223372036854775808",
            "1795392000123",
            "0.1"
        ]
    );
    assert_eq!(
        texts(r#"{"journey_id": 1e3, "mot_id": -0, "timestamp": 1.5e300, "cost": -2.50}"#)[..2],
        ["1000", "0"]
    );
    assert_eq!(
        texts(r#"{"journey_id": 100000000000000000000, "mot_id": true, "timestamp": false}"#),
        ["100000000000000000000", "true", "false", ""]
    );
    // Null, a missing key and "" are all null; strings are kept as they are.
    assert_eq!(
        texts(r#"{"journey_id": null, "timestamp": "", "cost": " 1 ", "x": 1}"#),
        ["", "", "", " 1 "]
    );
    assert_eq!(
        texts(r#"{"journey_id": "a\"b\u00e9", "mot_id": "\ud83d\ude00", "journey_id": "last"}"#)
            [..2],
        ["last", "😀"]
    );
    // One column read as two fields.
    let mut names = ColumnNames::default();
    names.set("cost", "journey_id").unwrap();
    assert_eq!(
        row_texts(r#"{"journey_id": "j"}"#, &names),
        ["j", "", "", "j"]
    );
}

#[test]
fn strings_without_escapes_are_borrowed() {
    let names = ColumnNames::default();
    let keys = Keys::new(&names, [names.journey.as_str(), &names.mot]);
    let rows = Rows::parse(
        br#"{"journey_id": "plain", "mot_id": "esc\"aped"}"#,
        "x",
        &keys,
    )
    .unwrap();
    let row = rows.entries[0].row.as_ref().unwrap();
    assert!(matches!(&row.cells[0], Cell::Text(Cow::Borrowed("plain"))));
    assert!(matches!(&row.cells[1], Cell::Text(Cow::Owned(s)) if s == "esc\"aped"));
}

#[test]
fn flags_timestamps_and_optional_columns() {
    let text = r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000, "success": 1}
{"journey_id": "a", "mot_id": "bag-drop", "timestamp": "2026-11-23T02:00:00Z", "success": false, "cost": 3}
{"journey_id": "b", "mot_id": "check-in", "timestamp": 1795392000}
"#;
    let t = events(text, BadRows::Fail).unwrap();
    t.with_columns(|c| {
        assert_eq!(
            c.timestamp,
            [
                1_795_392_000_000_000_000,
                1_795_399_200_000_000_000,
                1_795_392_000_000_000_000
            ]
        );
        assert_eq!(c.success, Some(&[true, false, false][..]));
        assert!(matches!(c.success_valid, Validity::Bools(v) if v == [true, true, false]));
        assert_eq!(c.cost, Some(&[0.0, 3.0, 0.0][..]));
        assert!(matches!(c.cost_valid, Validity::Bools(v) if v == [false, true, false]));
        assert!(c.value.is_none() && c.producer.is_none());
        assert!(matches!(c.journey, Ids::Str(j) if j == ["a", "a", "b"]));
    });
    // No success key anywhere: no success column, as in CSV.
    let t = events(
        r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000}"#,
        BadRows::Fail,
    )
    .unwrap();
    t.with_columns(|c| assert!(c.success.is_none()));
}

#[test]
fn bad_lines_are_malformed_rows() {
    let good = r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000}"#;
    let text = format!(
        "{good}\n{{\"journey_id\": \"a\",\n42\n[{good}]\n\
             {{\"journey_id\": \"a\", \"mot_id\": \"check-in\", \"timestamp\": 1795392000, \"cost\": {{\"eur\": 1}}}}\n\
             {{\"journey_id\": [\"a\"], \"mot_id\": \"check-in\", \"timestamp\": 1795392000}}\n\
             {good} {good}\n\
             {{\"journey_id\": \"a\", \"mot_id\": \"check-in\", \"timestamp\": 1795392000, \"sco\": {{}}}}\n"
    );
    let t = events(&text, BadRows::Reject).unwrap();
    assert_eq!(t.len(), 2); // the first line, and `sco` is not an interaction field
    assert_eq!(t.rejected(), [(RejectReason::MalformedRow, 6)]);
    t.with_columns(|c| assert!(c.cost.is_some())); // a row has `cost`

    let fail = |text: &str| events(text, BadRows::Fail).unwrap_err();
    let e = fail(&text);
    assert_eq!(
        (e.kind(), e.row(), e.reject_reason()),
        (ErrorKind::BadRow, Some(1), Some(RejectReason::MalformedRow))
    );
    let message = e.to_string();
    assert!(
            message.starts_with(
                "row 1 rejected as `malformed-row`: a text row has fewer fields than its header, or a JSON row is not a flat object (`e.ndjson` line 2: invalid JSON at column 19: EOF while parsing a value)"
            ),
            "{message}"
        );
    // Each bad line after a good one.
    let lines: Vec<&str> = text.lines().collect();
    let at = |n: usize| fail(&format!("{good}\n{}", lines[n - 1])).to_string();
    for (n, detail) in [
        (3, "invalid type: integer `42`, expected an object"),
        (4, "invalid type: sequence, expected an object"),
        (
            5,
            "`cost` is an object: use a string, a number, a boolean or null",
        ),
        (
            6,
            "`journey_id` is an array: use a string, a number, a boolean or null",
        ),
        (7, "invalid JSON at column 68: trailing characters"),
    ] {
        let message = at(n);
        assert!(
            message.contains(&format!("(`e.ndjson` line 2: {detail})")),
            "{message}"
        );
    }
}

#[test]
fn rows_fail_in_order_with_their_reason() {
    // A bad timestamp before a malformed line stops the read first.
    let text =
        "{\"journey_id\": \"a\", \"mot_id\": \"check-in\", \"timestamp\": \"when\"}\n\nnope\n";
    let e = events(text, BadRows::Fail).unwrap_err();
    assert_eq!(e.reject_reason(), Some(RejectReason::InvalidTimestamp));
    assert!(e.to_string().contains("`e.ndjson` line 1: `when`"), "{e}");
    // Counted, the malformed line by the reader and the bad timestamp
    // by the tracker (after the row's journey checks).
    let t = events(text, BadRows::Reject).unwrap();
    assert_eq!(t.rejected(), [(RejectReason::MalformedRow, 1)]);
    let mut tracker = crate::Tracker::discovery(crate::TrackerConfig::default());
    tracker.ingest_table(&t, None).unwrap();
    assert_eq!(tracker.rejected().get(RejectReason::InvalidTimestamp), 1);
    assert_eq!(tracker.rejected().get(RejectReason::MalformedRow), 1);
    // Array rows are named by index; the tracker's errors too.
    let text = array(&format!(
        "{}\n{}\n",
        r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000}"#,
        r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000, "value": {}}"#
    ));
    let e = events(&text, BadRows::Fail).unwrap_err();
    assert!(
        e.to_string()
            .contains("(`e.ndjson` row 1: `value` is an object"),
        "{e}"
    );
    let text = "\n{\"journey_id\": \"a\", \"mot_id\": \"teleport\", \"timestamp\": 1795392000}\n";
    let e = events(text, BadRows::Fail).unwrap();
    let x = crate::sample::airline();
    let fail = TrackerConfig {
        bad_rows: BadRows::Fail,
        ..TrackerConfig::default()
    };
    let err = Tracker::new(&x, fail).ingest_table(&e, None).unwrap_err();
    assert!(
            err.to_string()
                .contains("`unknown-mot`: the MOT id is not in the experience (`e.ndjson` line 2: journey `a`, mot `teleport`)"),
            "{err}"
        );
}

#[test]
fn bad_arrays_and_text_are_format_errors() {
    let good = r#"{"journey_id": "a", "mot_id": "check-in", "timestamp": 1795392000}"#;
    for (text, message) in [
        (
            format!("[{good},\n {good}"),
            "`e.ndjson` is not a JSON array of objects: EOF while parsing a list at line 2 column",
        ),
        (
            format!("[{good},\n 1]"),
            "`e.ndjson` is not a JSON array of objects: invalid type: integer `1`, expected an object at line 2 column 2",
        ),
        (
            format!("[{good}] [{good}]"),
            "`e.ndjson` is not a JSON array of objects: trailing characters at line 1 column",
        ),
        (
            format!("  [{good}, {{\"journey_id\": \"a\" \"mot_id\": 1}}]"),
            "`e.ndjson` is not a JSON array of objects: expected `,` or `}` at line 1 column",
        ),
    ] {
        for bad_rows in [BadRows::Reject, BadRows::Fail] {
            let e = events(&text, bad_rows).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Format);
            assert!(e.to_string().starts_with(message), "{e}");
        }
    }
    let mut bytes = format!("{good}\n{good}\n").into_bytes();
    bytes.extend_from_slice(b"{\"journey_id\": \"\xff\"}\n");
    let e = EventTable::read_json(&bytes, "e.ndjson", &ReadOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Format);
    assert_eq!(
        e.to_string(),
        "`e.ndjson` is not UTF-8 text: invalid bytes on line 3"
    );
}

#[test]
fn missing_columns_are_the_csv_errors() {
    let o = ReadOptions::default();
    let csv = EventTable::read("case,activity\nx,y\n".as_bytes(), "log", &o).unwrap_err();
    let json = EventTable::read_json(br#"{"case": "x", "activity": "y"}"#, "log", &o).unwrap_err();
    assert_eq!(json.kind(), ErrorKind::Columns);
    assert_eq!(json.to_string(), csv.to_string());
    // Later rows count for mapped names only.
    let text = br#"[{"journey_id": "a", "case": 1}, {"mot_id": "m", "timestamp": 1, "other": 2}]"#;
    let t = EventTable::read_json(text, "log", &o).unwrap();
    assert_eq!(t.len(), 2);
    let e = EventTable::read_json(
        br#"[{"journey_id": "a"}, {"mot_id": "m", "x": 1}]"#,
        "log",
        &o,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "`log` has no timestamp column `timestamp` (columns: `journey_id`, `mot_id`); map it to one of these, or use a preset"
    );
    // A named optional column must exist.
    let mut named = ReadOptions::default();
    named.names.set("cost", "price").unwrap();
    let e = EventTable::read_json(
        br#"{"journey_id": "a", "mot_id": "m", "timestamp": 1}"#,
        "log",
        &named,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Columns);
    assert!(e.to_string().contains("no cost column `price`"), "{e}");
    let outcomes = OutcomeTable::read_json(b"{\"journey_id\": \"a\"}", "o", &o).unwrap_err();
    assert!(
        outcomes
            .to_string()
            .starts_with("`o` has no SCO column `sco`"),
        "{outcomes}"
    );
}

#[test]
fn empty_input_has_no_rows() {
    for text in ["", "  \n\r\n\t\n", "[]", "\u{feff}", " [ ]\n"] {
        let e = events(text, BadRows::Fail).unwrap();
        assert!(e.is_empty() && e.rejected().is_empty(), "{text:?}");
        let o = OutcomeTable::read_json(text.as_bytes(), "o", &ReadOptions::default()).unwrap();
        assert!(o.is_empty(), "{text:?}");
    }
    // Lines that are no objects: no columns to miss, every row counted.
    let e = events("journey_id,mot_id\na,b\n", BadRows::Reject).unwrap();
    assert_eq!(e.rejected(), [(RejectReason::MalformedRow, 2)]);
    let e = events("journey_id,mot_id\na,b\n", BadRows::Fail).unwrap_err();
    assert!(
        e.to_string()
            .contains("(`e.ndjson` line 1: invalid JSON at column 1: expected value)"),
        "{e}"
    );
}

#[test]
fn outcomes_with_values_and_bad_rows() {
    let text = "{\"journey_id\": \"a\", \"sco\": \"yes\", \"value\": 10}\n\
                    {\"journey_id\": \"b\", \"sco\": 0, \"value\": \"n/a\"}\n\
                    {\"journey_id\": \"c\", \"sco\": {\"ok\": true}}\n\
                    {\"journey_id\": \"d\", \"sco\": true, \"value\": 1.25}\n";
    let o = OutcomeTable::read_json(text.as_bytes(), "o.ndjson", &ReadOptions::default()).unwrap();
    assert_eq!(o.len(), 2);
    let mut rejected = o.rejected().to_vec();
    rejected.sort();
    assert_eq!(
        rejected,
        [
            (RejectReason::InvalidValue, 1),
            (RejectReason::MalformedRow, 1)
        ]
    );
    o.with_columns(|c| {
        assert_eq!(c.sco, [true, true]);
        assert_eq!(c.value, Some(&[10.0, 1.25][..]));
    });
    let e =
        OutcomeTable::read_json(text.as_bytes(), "o.ndjson", &options(BadRows::Fail)).unwrap_err();
    assert!(e.to_string().contains("`o.ndjson` line 2: `n/a`"), "{e}");
    // A mapped outcome journey column.
    let mut named = ReadOptions::default();
    named.names.set("outcome_journey", "case").unwrap();
    let o = OutcomeTable::read_json(br#"[{"case": "a", "sco": 1}]"#, "o", &named).unwrap();
    o.with_columns(|c| assert!(matches!(c.journey, Ids::Str(j) if j == ["a"])));
}

/// Rows per second (`cargo test --release -p mot-core --lib json::tests::speed -- --ignored --nocapture`).
#[test]
#[ignore = "a measurement: run it in release"]
fn speed() {
    let n = 1_000_000;
    let mots = ["search-book", "check-in", "bag-drop", "boarding"];
    let mut ndjson = String::new();
    let mut csv = String::from("journey_id,mot_id,timestamp,success\n");
    for i in 0..n {
        let (j, m, ms) = (i / 4, mots[i % 4], i % 1000);
        let _ = writeln!(
            ndjson,
            r#"{{"journey_id":"j{j}","mot_id":"{m}","timestamp":"2026-11-01T09:00:00.{ms:03}Z","success":true}}"#
        );
        let _ = writeln!(csv, "j{j},{m},2026-11-01T09:00:00.{ms:03}Z,true");
    }
    let array = array(&ndjson);
    let o = ReadOptions::default();
    let rate = |what: &str, f: &dyn Fn() -> usize| {
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            let start = std::time::Instant::now();
            assert_eq!(f(), n);
            best = best.min(start.elapsed().as_secs_f64());
        }
        eprintln!("{what}: {:.2} M rows/s", n as f64 / best / 1e6);
    };
    let names = ColumnNames::default();
    let keys = Keys::new(
        &names,
        [
            names.journey.as_str(),
            &names.mot,
            &names.timestamp,
            &names.success,
        ],
    );
    rate("parse only (NDJSON)", &|| {
        Rows::parse(ndjson.as_bytes(), "e", &keys)
            .unwrap()
            .entries
            .len()
    });
    rate("NDJSON", &|| {
        EventTable::read_json(ndjson.as_bytes(), "e", &o)
            .unwrap()
            .len()
    });
    rate("array", &|| {
        EventTable::read_json(array.as_bytes(), "e", &o)
            .unwrap()
            .len()
    });
    rate("CSV", &|| {
        EventTable::read(csv.as_bytes(), "e", &o).unwrap().len()
    });
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    /// One value: its CSV field and its JSON text.
    fn value() -> impl Strategy<Value = (String, String)> {
        prop_oneof![
            Just((String::new(), "null".to_string())),
            Just((String::new(), String::new())), // a missing key
            // Strings are not trimmed (CSV fields are): no spaces at the ends.
            "[a-z0-9:.-]{0,12}".prop_map(|s| (s.clone(), format!("{s:?}"))),
            any::<i64>().prop_map(|n| (n.to_string(), n.to_string())),
            (1_700_000_000i64..1_900_000_000).prop_map(|n| (n.to_string(), n.to_string())),
            any::<f64>()
                .prop_filter("finite", |x| x.is_finite())
                .prop_map(|x| (number_text(x), serde_json::to_string(&x).unwrap())),
            any::<bool>().prop_map(|b| (b.to_string(), b.to_string())),
            prop_oneof![Just("true"), Just("0"), Just("yes"), Just("N")]
                .prop_map(|s| (s.to_string(), format!("{s:?}"))),
        ]
    }

    fn row() -> impl Strategy<Value = Vec<(String, String)>> {
        (
            prop_oneof![Just("j1"), Just("j2"), Just("j3"), Just("")],
            prop_oneof![
                Just("search-book"),
                Just("check-in"),
                Just("bag-drop"),
                Just("x")
            ],
            value(),
            value(),
            value(),
        )
            .prop_map(|(j, m, ts, ok, cost)| {
                vec![
                    (j.to_string(), format!("{j:?}")),
                    (m.to_string(), format!("{m:?}")),
                    ts,
                    ok,
                    cost,
                ]
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn ndjson_reads_as_csv(rows in proptest::collection::vec(row(), 1..12)) {
            let columns = ["journey_id", "mot_id", "timestamp", "success", "cost"];
            let mut csv = columns.join(",") + "\n";
            let mut ndjson = String::new();
            for row in &rows {
                let fields: Vec<&str> = row.iter().map(|(c, _)| c.as_str()).collect();
                csv += &(fields.join(",") + "\n");
                let pairs: Vec<String> = columns
                    .iter()
                    .zip(row)
                    .filter(|(_, (_, j))| !j.is_empty())
                    .map(|(name, (_, j))| format!("{name:?}: {j}"))
                    .collect();
                ndjson += &format!("{{{}}}\n", pairs.join(", "));
            }
            // The first row has every column (as a CSV header does).
            let first: Vec<String> = columns
                .iter()
                .map(|name| format!("{name:?}: \"\""))
                .collect();
            let ndjson = format!("{{{}, \"mot_id\": \"x\"}}\n{ndjson}", first.join(", "));
            let csv = csv.replacen('\n', "\n,x,,,\n", 1);
            let o = ReadOptions::default();
            let a = EventTable::read(csv.as_bytes(), "e", &o).unwrap();
            let b = EventTable::read_json(ndjson.as_bytes(), "e", &o).unwrap();
            let c = EventTable::read_json(array(&ndjson).as_bytes(), "e", &o).unwrap();
            prop_assert_eq!(a.len(), b.len());
            let (ta, tb, tc) = (ingest(&a, None), ingest(&b, None), ingest(&c, None));
            prop_assert_eq!(ta.to_bytes(), tb.to_bytes(), "{}\n{}", csv, ndjson);
            prop_assert_eq!(ta.to_bytes(), tc.to_bytes());
        }
    }
}
