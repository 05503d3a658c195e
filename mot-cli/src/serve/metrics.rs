//! `GET /metrics`: counters the HTTP layer and the engine keep, in the
//! Prometheus text format (version 0.0.4).

use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 12] = [
    0.000_5, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The routes measured, in the order of [`Metrics::latency`].
pub(crate) const ROUTES: [&str; 11] = [
    "interactions",
    "outcomes",
    "expire",
    "dashboard",
    "at_risk",
    "compare",
    "alarms",
    "stream",
    "experience",
    "metrics",
    "page",
];

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
}

/// Counters shared by the HTTP layer and the engine.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    pub(crate) rows_accepted: AtomicU64,
    pub(crate) rows_rejected: AtomicU64,
    pub(crate) batches: AtomicU64,
    pub(crate) replays: AtomicU64,
    pub(crate) alarms: AtomicU64,
    pub(crate) snapshots: AtomicU64,
    pub(crate) wal_bytes: AtomicU64,
    pub(crate) snapshot_bytes: AtomicU64,
    pub(crate) unauthorized: AtomicU64,
    pub(crate) forbidden: AtomicU64,
    pub(crate) rate_limited: AtomicU64,
    /// Per route: the latency histogram; per route and status class.
    latency: Mutex<Vec<Histogram>>,
    statuses: Mutex<Vec<[u64; 5]>>,
}

impl Metrics {
    /// Counts what an ingest answer says.
    pub(crate) fn count_write(&self, answer: &Value) {
        if let Some(rows) = answer.get("accepted").and_then(Value::as_u64) {
            self.rows_accepted.fetch_add(rows, Ordering::Relaxed);
            self.batches.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(rows) = answer.get("rejected").and_then(Value::as_u64) {
            self.rows_rejected.fetch_add(rows, Ordering::Relaxed);
        }
    }

    /// Counts one request to `route` answered with `status` after `took`.
    pub(crate) fn observe(&self, route: usize, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        if let Ok(mut h) = self.latency.lock() {
            if h.is_empty() {
                h.resize_with(ROUTES.len(), Histogram::default);
            }
            if let Some(h) = h.get_mut(route) {
                let b = BUCKETS
                    .iter()
                    .position(|&ub| secs <= ub)
                    .unwrap_or(BUCKETS.len());
                h.counts[b] += 1;
                h.sum += secs;
            }
        }
        if let Ok(mut s) = self.statuses.lock() {
            if s.is_empty() {
                s.resize(ROUTES.len(), [0; 5]);
            }
            let class = usize::from((status / 100).clamp(1, 5)) - 1;
            if let Some(s) = s.get_mut(route) {
                s[class] += 1;
            }
        }
    }

    /// The text format; `engine` is the engine's own figures (open
    /// journeys, rejected rows by reason, recovery).
    pub(crate) fn render(&self, engine: &Value) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, lines: &[(String, f64)]| {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            for (labels, v) in lines {
                let _ = writeln!(out, "{name}{labels} {v}");
            }
        };
        let n = |a: &AtomicU64| a.load(Ordering::Relaxed) as f64;
        let v = |path: &[&str]| {
            let mut x = engine;
            for p in path {
                x = &x[*p];
            }
            x.as_f64().unwrap_or(0.0)
        };
        metric(
            "mot_interactions_accepted_total",
            "counter",
            "Interactions accepted (rate() of it is the ingest rate).",
            &[(String::new(), n(&self.rows_accepted))],
        );
        metric(
            "mot_tracker_interactions",
            "gauge",
            "Interactions the tracker holds (since the data directory was made).",
            &[(String::new(), v(&["interactions"]))],
        );
        let mut by_reason: Vec<(String, f64)> = engine["rejected"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, x)| (format!("{{reason=\"{k}\"}}"), x.as_f64().unwrap_or(0.0)))
                    .collect()
            })
            .unwrap_or_default();
        by_reason.sort_by(|a, b| a.0.cmp(&b.0));
        metric(
            "mot_rows_rejected",
            "gauge",
            "Rows rejected by reason (since the data directory was made).",
            &by_reason,
        );
        metric(
            "mot_batches_total",
            "counter",
            "Batches of interactions or outcomes applied.",
            &[(String::new(), n(&self.batches))],
        );
        metric(
            "mot_idempotent_replays_total",
            "counter",
            "Retried requests answered from their idempotency key.",
            &[(String::new(), n(&self.replays))],
        );
        metric(
            "mot_open_journeys",
            "gauge",
            "Journeys open now.",
            &[(String::new(), v(&["open_journeys"]))],
        );
        metric(
            "mot_journeys_closed",
            "gauge",
            "Journeys closed (since the data directory was made).",
            &[(String::new(), v(&["journeys"]))],
        );
        metric(
            "mot_alarms_total",
            "counter",
            "CUSUM alarms fired since the process started (replayed ones included).",
            &[(String::new(), n(&self.alarms))],
        );
        metric(
            "mot_wal_bytes",
            "gauge",
            "Bytes of the write-ahead log.",
            &[(String::new(), n(&self.wal_bytes))],
        );
        metric(
            "mot_snapshot_bytes",
            "gauge",
            "Bytes of the newest snapshot.",
            &[(String::new(), n(&self.snapshot_bytes))],
        );
        metric(
            "mot_snapshots_total",
            "counter",
            "Snapshots written since the process started.",
            &[(String::new(), n(&self.snapshots))],
        );
        metric(
            "mot_recovery_torn_bytes",
            "gauge",
            "Bytes cut off the log's end at start-up (never acknowledged).",
            &[(String::new(), v(&["recovery", "torn_bytes"]))],
        );
        metric(
            "mot_recovery_lost_records",
            "gauge",
            "Acknowledged records found lost at start-up (corruption).",
            &[(String::new(), v(&["recovery", "lost_records"]))],
        );
        metric(
            "mot_auth_failures_total",
            "counter",
            "Requests refused: no or unknown token (401), wrong scope (403), over the rate limit (429).",
            &[
                ("{status=\"401\"}".into(), n(&self.unauthorized)),
                ("{status=\"403\"}".into(), n(&self.forbidden)),
                ("{status=\"429\"}".into(), n(&self.rate_limited)),
            ],
        );
        let mut statuses = Vec::new();
        if let Ok(s) = self.statuses.lock() {
            for (route, counts) in ROUTES.iter().zip(s.iter()) {
                for (class, &c) in counts.iter().enumerate() {
                    if c > 0 {
                        statuses.push((
                            format!("{{route=\"{route}\",status=\"{}xx\"}}", class + 1),
                            c as f64,
                        ));
                    }
                }
            }
        }
        metric(
            "mot_http_requests_total",
            "counter",
            "Requests answered, by route and status class.",
            &statuses,
        );
        let _ = writeln!(
            out,
            "# HELP mot_http_request_duration_seconds Time from a request's arrival to its answer, by route."
        );
        let _ = writeln!(out, "# TYPE mot_http_request_duration_seconds histogram");
        if let Ok(h) = self.latency.lock() {
            for (route, h) in ROUTES.iter().zip(h.iter()) {
                let total: u64 = h.counts.iter().sum();
                if total == 0 {
                    continue;
                }
                let mut cumulative = 0;
                for (i, ub) in BUCKETS.iter().enumerate() {
                    cumulative += h.counts[i];
                    let _ = writeln!(
                        out,
                        "mot_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{ub}\"}} {cumulative}"
                    );
                }
                let _ = writeln!(
                    out,
                    "mot_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {total}"
                );
                let _ = writeln!(
                    out,
                    "mot_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "mot_http_request_duration_seconds_count{{route=\"{route}\"}} {total}"
                );
            }
        }
        out
    }
}
