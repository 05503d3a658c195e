//! Throughput of the XES reader: `mot_core::input::xes::read_xes` alone (the
//! streaming XML layer, events counted and dropped) and
//! `mot_core::csv::EventTable::read_xes` (the table the dashboard is built
//! from: ids interned, timestamps parsed), on files read into memory first.
//!
//! ```text
//! cargo run --release -p mot-benches --bin xes -- FILE... [--runs R]
//! ```
//!
//! Prints one JSON line per file: events, traces, decompressed XML bytes,
//! and for each reader the best time of `R` runs (default 5), MB/s of
//! decompressed XML (1 MB = 10^6 bytes) and events/s.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use mot_core::csv::EventTable;
use mot_core::events::ReadOptions;
use mot_core::input::xes::read_xes;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let files: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|&(i, a)| !a.starts_with("--") && (i == 0 || args[i - 1] != "--runs"))
        .map(|(_, a)| a)
        .collect();
    for path in files {
        let bytes = std::fs::read(path).unwrap();
        let gz = bytes.starts_with(&[0x1f, 0x8b]);
        let mut best_stream = f64::INFINITY;
        let mut best_table = f64::INFINITY;
        let mut summary = None;
        let mut rows = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let mut n = 0u64;
            let s = read_xes(bytes.as_slice(), path, |e| {
                n += u64::from(e.activity.is_some());
                Ok(())
            })
            .unwrap();
            best_stream = best_stream.min(t.elapsed().as_secs_f64());
            assert!(n <= s.events);
            summary = Some(s);
            let t = Instant::now();
            let table =
                EventTable::read_xes(bytes.as_slice(), path, &ReadOptions::default()).unwrap();
            best_table = best_table.min(t.elapsed().as_secs_f64());
            rows = table.len();
        }
        let s = summary.unwrap();
        let mb = s.bytes as f64 / 1e6;
        let ev = s.events as f64;
        let out = serde_json::json!({
            "file": path,
            "gzipped": gz,
            "file_bytes": bytes.len(),
            "xml_bytes": s.bytes,
            "traces": s.traces,
            "events": s.events,
            "table_rows": rows,
            "runs": runs,
            "read_xes_s": best_stream,
            "read_xes_mb_per_s": mb / best_stream,
            "read_xes_events_per_s": ev / best_stream,
            "event_table_s": best_table,
            "event_table_mb_per_s": mb / best_table,
            "event_table_events_per_s": ev / best_table,
        });
        println!("{out}");
    }
}
