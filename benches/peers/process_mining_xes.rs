// The `process_mining` crate's XES import, timed on one file (read into
// memory first), for the XES throughput comparison in benches/README.md.
// Not part of the workspace: build it as a scratch crate outside the repo.
//
//   mkdir -p /tmp/pm-xes-bench/src
//   cp benches/peers/process_mining_xes.rs /tmp/pm-xes-bench/src/main.rs
//   cat > /tmp/pm-xes-bench/Cargo.toml <<'TOML'
//   [package]
//   name = "pm-xes-bench"
//   version = "0.1.0"
//   edition = "2021"
//   publish = false
//
//   [dependencies]
//   process_mining = "=0.6.2"
//
//   [workspace]
//   TOML
//   (cd /tmp/pm-xes-bench && cargo build --release)
//   /tmp/pm-xes-bench/target/release/pm-xes-bench FILE [RUNS]
//
// Prints one JSON line: the best of RUNS (default 5) for `import_xes_slice`
// (the whole `EventLog`, every attribute), `stream_xes_slice` (traces
// streamed and dropped) and `import_xes_slice` keeping only the attributes
// mot's reader keeps (trace `concept:name`; event `concept:name`,
// `time:timestamp`, `org:resource`, `lifecycle:transition`).

//! Times the `process_mining` crate's XES import on one file (from memory).
//! usage: pm-xes-bench FILE [RUNS]
use process_mining::core::event_data::case_centric::xes::{
    build_ignore_attributes, import_xes_slice, stream_xes_slice, stream_xes_slice_gz,
    XESImportOptions,
};
use std::time::Instant;

fn opts() -> XESImportOptions {
    XESImportOptions {
        verbose: false,
        ..XESImportOptions::default()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = &args[1];
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let bytes = std::fs::read(path).unwrap();
    let gz = bytes.starts_with(&[0x1f, 0x8b]);
    // Like-for-like with mot's reader: only the attributes it keeps.
    let lean = || XESImportOptions {
        verbose: false,
        ignore_log_attributes_except: Some(build_ignore_attributes(Vec::<&str>::new())),
        ignore_trace_attributes_except: Some(build_ignore_attributes(["concept:name"])),
        ignore_event_attributes_except: Some(build_ignore_attributes([
            "concept:name",
            "time:timestamp",
            "org:resource",
            "lifecycle:transition",
        ])),
        ..XESImportOptions::default()
    };
    let mut best_lean = f64::INFINITY;
    let mut best_import = f64::INFINITY;
    let mut best_stream = f64::INFINITY;
    let (mut traces, mut events, mut events_stream) = (0usize, 0usize, 0usize);
    for _ in 0..runs {
        let t = Instant::now();
        let log = import_xes_slice(&bytes, gz, opts()).unwrap();
        best_import = best_import.min(t.elapsed().as_secs_f64());
        traces = log.traces.len();
        events = log.traces.iter().map(|t| t.events.len()).sum();
        drop(log);
        let t = Instant::now();
        let log = import_xes_slice(&bytes, gz, lean()).unwrap();
        best_lean = best_lean.min(t.elapsed().as_secs_f64());
        assert_eq!(events, log.traces.iter().map(|t| t.events.len()).sum::<usize>());
        drop(log);
        let t = Instant::now();
        let (mut stream, _log_data) = if gz {
            stream_xes_slice_gz(&bytes, opts()).unwrap()
        } else {
            stream_xes_slice(&bytes, opts()).unwrap()
        };
        events_stream = (&mut stream).map(|t| t.events.len()).sum();
        best_stream = best_stream.min(t.elapsed().as_secs_f64());
    }
    assert_eq!(events, events_stream);
    println!(
        "{{\"reader\": \"process_mining 0.6.2\", \"file\": \"{path}\", \"traces\": {traces}, \"events\": {events}, \"import_xes_slice_s\": {best_import}, \"stream_xes_slice_s\": {best_stream}, \"import_xes_slice_4_attributes_s\": {best_lean}, \"runs\": {runs}}}"
    );
}
