//! The real public logs in `tests/real-logs/` (helpdesk, the running
//! example): read as XES and as the CSV exports a real user makes (rows in
//! any order, `;` and a byte-order mark, offsets, milliseconds, no success
//! column), every process figure must equal pm4py's, computed once by
//! `tests/real-logs/compute_expected.py` (pm4py is not a dependency).
//! Python and JavaScript check the same files through their bindings, and
//! the `mot` command's tests through the CLI.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing fixture should stop loudly
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mot_core::csv::EventTable;
use mot_core::events::{ColumnNames, ReadOptions};
use mot_core::{Alignment, Dashboard, DashboardOptions, TrackerConfig};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/real-logs")
}

fn expected(log: &str) -> Value {
    let path = dir().join(format!("{log}.expected.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn pm4py() -> ReadOptions {
    ReadOptions {
        names: ColumnNames::preset("pm4py").unwrap(),
        ..ReadOptions::default()
    }
}

fn dashboard(table: &EventTable) -> Dashboard {
    let options = DashboardOptions {
        top_variants: 100_000,
        ..DashboardOptions::default()
    };
    Dashboard::from_tables(None, table, None, TrackerConfig::default(), &options).unwrap()
}

fn read(file: &str) -> EventTable {
    let path = dir().join(file);
    let f = std::fs::File::open(&path).unwrap();
    EventTable::read_any(f, file, &pm4py()).unwrap()
}

/// Every figure pm4py gives, compared with the dashboard's.
fn check(d: &Dashboard, want: &Value, what: &str) {
    assert_eq!(d.rejected.total(), 0, "{what}: {:?}", d.rejected.summary());
    assert_eq!(d.amount.journeys, want["cases"].as_u64().unwrap(), "{what}");
    assert_eq!(
        d.amount.interactions,
        want["events"].as_u64().unwrap(),
        "{what}"
    );

    let edges: BTreeMap<(String, String), u64> = d
        .directly_follows
        .edges
        .iter()
        .map(|e| ((e.from.clone(), e.to.clone()), e.count))
        .collect();
    let want_edges: BTreeMap<(String, String), u64> = want["directly_follows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            ((s("from"), s("to")), e["count"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(edges, want_edges, "{what}: directly-follows");

    let counts = |v: &Value| -> BTreeMap<String, u64> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
            .collect()
    };
    let ends = |e: &[mot_core::dashboard::MotCount]| -> BTreeMap<String, u64> {
        e.iter().map(|x| (x.mot.clone(), x.count)).collect()
    };
    assert_eq!(
        ends(&d.directly_follows.start),
        counts(&want["start"]),
        "{what}: start"
    );
    assert_eq!(
        ends(&d.directly_follows.end),
        counts(&want["end"]),
        "{what}: end"
    );

    let variants: BTreeMap<Vec<String>, u64> = d
        .variants
        .top
        .iter()
        .map(|v| (v.mots.clone(), v.count))
        .collect();
    let want_variants: BTreeMap<Vec<String>, u64> = want["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let seq = v["sequence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            (seq, v["count"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(
        d.variants.distinct,
        Some(want_variants.len() as u64),
        "{what}"
    );
    assert_eq!(variants, want_variants, "{what}: variants");

    let interactions: BTreeMap<String, u64> = d
        .mots
        .iter()
        .map(|m| (m.id.clone(), m.interactions))
        .collect();
    assert_eq!(
        interactions,
        counts(&want["activities"]),
        "{what}: activities"
    );
    let producers: BTreeMap<String, u64> = d
        .producers
        .iter()
        .map(|p| (p.producer.clone(), p.production.interactions))
        .collect();
    assert_eq!(producers, counts(&want["resources"]), "{what}: resources");

    // No success flag: no success figure is made up.
    for m in &d.mots {
        assert_eq!(
            (m.successes, m.smoto_rate, m.ci_low),
            (None, None, None),
            "{what}"
        );
        assert_eq!(m.alignment, Alignment::Unmeasured, "{what}: {}", m.id);
    }
    assert!(d.alerts.is_empty(), "{what}");
}

#[test]
fn helpdesk_xes_gives_pm4pys_counts() {
    check(
        &dashboard(&read("helpdesk.xes.gz")),
        &expected("helpdesk"),
        "helpdesk.xes.gz",
    );
}

#[test]
fn running_example_xes_gives_pm4pys_counts() {
    let want = expected("running-example");
    check(
        &dashboard(&read("running-example.xes.gz")),
        &want,
        "running-example.xes.gz",
    );
}

/// `;`, a byte-order mark, CRLF, `+02:00` offsets with milliseconds, rows
/// shuffled: the same figures.
#[test]
fn helpdesk_csv_export_gives_the_same_counts() {
    check(
        &dashboard(&read("helpdesk.csv")),
        &expected("helpdesk"),
        "helpdesk.csv",
    );
}

/// Rows in case-then-activity order (not time order), timestamps as pandas
/// writes them: the same figures.
#[test]
fn running_example_csv_in_activity_order_gives_the_same_counts() {
    let want = expected("running-example");
    check(
        &dashboard(&read("running-example.csv")),
        &want,
        "running-example.csv",
    );
}

/// The same log with its rows reversed, and with its timestamps written as
/// epoch milliseconds instead of text: the same dashboard, to the byte.
#[test]
fn figures_do_not_depend_on_row_order_or_timestamp_format() {
    let text = std::fs::read_to_string(dir().join("running-example.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let base = EventTable::read(text.as_bytes(), "re.csv", &pm4py()).unwrap();
    let base = dashboard(&base).to_json();

    let reversed: String = std::iter::once(header)
        .chain(rows.iter().rev().copied())
        .map(|l| format!("{l}\n"))
        .collect();
    let t = EventTable::read(reversed.as_bytes(), "reversed.csv", &pm4py()).unwrap();
    assert_eq!(dashboard(&t).to_json(), base, "reversed rows");

    // Column 2 is `time:timestamp`; rewrite it as epoch milliseconds.
    let col = header
        .split(',')
        .position(|h| h == "time:timestamp")
        .unwrap();
    let millis: String = std::iter::once(header.to_string())
        .chain(rows.iter().map(|row| {
            let mut fields: Vec<String> = row.split(',').map(str::to_string).collect();
            let ns = mot_core::input::time::parse_rfc3339_ns(&fields[col]).unwrap();
            fields[col] = (ns / 1_000_000).to_string();
            fields.join(",")
        }))
        .map(|l| format!("{l}\n"))
        .collect();
    let options = ReadOptions {
        time_unit: mot_core::TimeUnit::Millis,
        ..pm4py()
    };
    let t = EventTable::read(millis.as_bytes(), "millis.csv", &options).unwrap();
    assert_eq!(dashboard(&t).to_json(), base, "epoch milliseconds");
}

/// Sub-second order: events one millisecond apart in the same second, given
/// in the wrong order in the file, are ordered by their milliseconds.
#[test]
fn milliseconds_order_a_journey() {
    let csv = "case,activity,time\n\
               c1,b,2026-01-01T10:00:00.002+01:00\n\
               c1,a,2026-01-01T09:00:00.001Z\n\
               c1,c,2026-01-01 09:00:00.003\n";
    let options = ReadOptions {
        names: ColumnNames::mapped(
            None,
            [
                ("journey", "case"),
                ("mot", "activity"),
                ("timestamp", "time"),
            ],
        )
        .unwrap(),
        ..ReadOptions::default()
    };
    let t = EventTable::read(csv.as_bytes(), "ms.csv", &options).unwrap();
    let d = dashboard(&t);
    assert_eq!(d.variants.top[0].mots, ["a", "b", "c"]);
}

fn json(file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join(file)).unwrap()).unwrap()
}

/// The conformance of every helpdesk variant against a "happy path" equals
/// pm4py's alignments against the sequential Petri net of that path
/// (`helpdesk.alignments.json`: fitness, and cost in units of 10,000).
#[test]
fn helpdesk_variants_conform_as_pm4py_aligns_them() {
    let want = json("helpdesk.alignments.json");
    let designed: Vec<String> = serde_json::from_value(want["designed"].clone()).unwrap();
    let options = DashboardOptions {
        top_variants: 100_000,
        ..DashboardOptions::default()
    };
    let config = TrackerConfig {
        designed,
        ..TrackerConfig::default()
    };
    for file in ["helpdesk.xes.gz", "helpdesk.csv"] {
        let d = Dashboard::from_tables(None, &read(file), None, config.clone(), &options).unwrap();
        let variants = want["variants"].as_array().unwrap();
        assert_eq!(
            d.variants.top.len(),
            variants.len(),
            "{file}: every variant"
        );
        for (got, v) in d.variants.top.iter().zip(variants) {
            let seq: Vec<String> = serde_json::from_value(v["sequence"].clone()).unwrap();
            assert_eq!(got.mots, seq, "{file}: variant order");
            assert_eq!(got.count, v["count"].as_u64().unwrap());
            assert_eq!(got.cost, v["deviations"].as_u64(), "{file}: {seq:?}");
            let f = v["fitness"].as_f64().unwrap();
            assert!((got.fitness.unwrap() - f).abs() <= 1e-12, "{file}: {seq:?}");
        }
        // The journey-level figures are the variants' weighted by count.
        let c = d.conformance.as_ref().unwrap();
        let journeys: u64 = variants.iter().map(|v| v["count"].as_u64().unwrap()).sum();
        let fitness: f64 = variants
            .iter()
            .map(|v| v["count"].as_f64().unwrap() * v["fitness"].as_f64().unwrap())
            .sum::<f64>()
            / journeys as f64;
        assert_eq!(c.journeys, journeys);
        assert_eq!(c.conforming, variants[0]["count"].as_u64().unwrap());
        assert!((c.mean_fitness.unwrap() - fitness).abs() < 1e-12, "{file}");
    }
}

/// Durations per directly-follows edge and per case equal pandas/pm4py's
/// exact figures (`helpdesk.durations.json`): counts and means exactly,
/// percentiles within the sketch's 1% of the exact order statistic.
#[test]
fn helpdesk_durations_match_pm4py_within_one_percent() {
    let want = json("helpdesk.durations.json");
    let close = |got: &mot_core::timing::Duration, w: &Value, what: &str| {
        assert_eq!(got.count, w["count"].as_u64().unwrap(), "{what}");
        let mean = w["mean_s"].as_f64().unwrap();
        assert!(
            (got.mean_s - mean).abs() <= 1e-9 * mean.max(1.0),
            "{what}: mean {} vs {mean}",
            got.mean_s
        );
        for (q, g) in [("p50", got.p50_s), ("p90", got.p90_s), ("p99", got.p99_s)] {
            let exact = w[format!("exact_{q}_s")].as_f64().unwrap();
            assert!(
                (g - exact).abs() <= 0.01 * exact,
                "{what} {q}: {g} vs {exact}"
            );
        }
    };
    for file in ["helpdesk.xes.gz", "helpdesk.csv"] {
        let d = dashboard(&read(file));
        let edges = want["edges"].as_array().unwrap();
        assert_eq!(d.directly_follows.edges.len(), edges.len(), "{file}");
        for w in edges {
            let (from, to) = (w["from"].as_str().unwrap(), w["to"].as_str().unwrap());
            let e = d
                .directly_follows
                .edges
                .iter()
                .find(|e| e.from == from && e.to == to)
                .unwrap();
            close(
                e.duration.as_ref().unwrap(),
                w,
                &format!("{file} {from} → {to}"),
            );
        }
        close(
            d.journey_duration.as_ref().unwrap(),
            &want["journey"],
            &format!("{file} journeys"),
        );
    }
}

/// The path of `mot serve`: the helpdesk export (rows in no particular
/// order) as NDJSON, read by `EventTable::read_json` and streamed in four
/// batches into open journeys (`append_table`), closed at the end: every
/// pm4py figure. (Rows of a journey with the same timestamp keep their
/// arrival order, as in a file: the export's order is kept.)
#[test]
fn helpdesk_as_json_batches_streamed_gives_pm4pys_counts() {
    let text = std::fs::read_to_string(dir().join("helpdesk.csv")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let rows: Vec<String> = lines
        .map(|l| {
            let object: serde_json::Map<String, Value> = header
                .iter()
                .zip(l.split(';'))
                .map(|(k, v)| (k.to_string(), Value::from(v)))
                .collect();
            Value::Object(object).to_string()
        })
        .collect();
    let mut t = mot_core::Tracker::discovery(TrackerConfig::default());
    for batch in rows.chunks(rows.len() / 4 + 1) {
        let body = batch.join("\n");
        let table = EventTable::read_json(body.as_bytes(), "batch.ndjson", &pm4py()).unwrap();
        let s = t.append_table(&table).unwrap();
        assert_eq!((s.accepted, s.journeys), (batch.len() as u64, 0));
    }
    t.close_open_journeys();
    let options = DashboardOptions {
        top_variants: 100_000,
        ..DashboardOptions::default()
    };
    let d = Dashboard::build(&t, None, &options).unwrap();
    check(&d, &expected("helpdesk"), "helpdesk as JSON batches");
    assert_eq!(d.to_json(), dashboard(&read("helpdesk.csv")).to_json());
}
