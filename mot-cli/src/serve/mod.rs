//! `mot serve`: the live MOT control room.
//!
//! - [`http`]: the API under `/v1`, `/metrics` and the live page, on tokio
//!   and axum (hyper underneath): the most used, best maintained async
//!   HTTP stack in Rust, with the timeouts and limits a public service
//!   needs.
//! - [`engine`]: one thread owns the tracker and the log; writes are
//!   applied, logged and synced in groups (group commit), then answered;
//!   its reads (dashboard, at-risk, compare, alarms, summary) in
//!   `engine/reads.rs`.
//! - [`store`]: the write-ahead log and the snapshots.
//! - [`auth`]: bearer tokens with scopes, and the per-token rate limit.
//! - [`metrics`]: `/metrics` in the Prometheus text format.

mod auth;
mod engine;
mod http;
mod metrics;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::{Args, ValueEnum};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::{Semaphore, broadcast, oneshot};

use crate::Failure;
use engine::{Engine, Read, Request, SnapshotPolicy};

/// An error answer: status, kind (a core error kind, or the service's own)
/// and message.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) kind: &'static str,
    pub(crate) message: String,
    pub(crate) retry_after: Option<f64>,
}

impl ApiError {
    pub(crate) fn new(status: u16, kind: &'static str, message: String) -> ApiError {
        ApiError {
            status,
            kind,
            message,
            retry_after: None,
        }
    }
}

/// What the live stream carries.
#[derive(Clone, Debug)]
pub(crate) enum LiveEvent {
    Alarm(String),
    Summary(String),
}

/// What the HTTP layer and the engine share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) metrics: metrics::Metrics,
    pub(crate) events: broadcast::Sender<LiveEvent>,
    /// The last durable record's sequence number.
    pub(crate) seq: AtomicU64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Fsync {
    /// Sync the log before every answer (group commit): an acknowledged
    /// batch survives a crash of the machine.
    Always,
    /// Leave syncing to the operating system: an acknowledged batch
    /// survives a crash of the process, not of the machine.
    Never,
}

/// `mot serve`.
#[derive(Args, Debug)]
#[command(after_long_help = SERVE_HELP)]
pub(crate) struct ServeArgs {
    /// The experience to measure (`mot.experience/1` JSON). A new data
    /// directory records it; later starts use the directory's own (changed
    /// with `PUT /v1/experience`), and warn when this file differs.
    #[arg(long)]
    experience: PathBuf,
    /// The data directory: write-ahead log and snapshots (created if
    /// missing).
    #[arg(long)]
    data: PathBuf,
    /// Tokens, one `TOKEN SCOPE[,SCOPE…]` per line (scopes: `ingest`,
    /// `read`, `admin`; `#` comments). Or the `MOT_TOKENS` environment
    /// variable, with the same lines.
    #[arg(long)]
    tokens: Option<PathBuf>,
    /// Where to listen. Keep the loopback address and put a reverse proxy
    /// with TLS in front (see the README).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Settings (`Settings` JSON: column names, time unit, period, timeout,
    /// detectors, limits …) [default: the core's defaults]. A new data
    /// directory records them; later starts must give the same.
    #[arg(long)]
    settings: Option<PathBuf>,
    /// When the log is synced to disk.
    #[arg(long, value_enum, default_value_t = Fsync::Always)]
    fsync: Fsync,
    /// Seconds between snapshots of the tracker (and on stopping).
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    snapshot_every: u64,
    /// Also snapshot when the log has grown this many MiB since the last
    /// snapshot (bounds the time a restart replays).
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    snapshot_log_mib: u64,
    /// Requests a second per token, on average (bursts of twice that); 0:
    /// no limit.
    #[arg(long, default_value_t = 2_000.0, value_name = "N")]
    rate_limit: f64,
    /// Seconds a client has to send its request headers, and its body.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    request_timeout: u64,
    /// Requests waiting for the engine at once (more wait their turn).
    #[arg(long, default_value_t = 1_024, value_name = "N")]
    max_inflight: usize,
}

const SERVE_HELP: &str = "\
API (all under a bearer token: `Authorization: Bearer TOKEN`):
  POST /v1/interactions   ingest   a batch: text/csv, application/x-ndjson or application/json (array);
                                   answered after it is durable; `Idempotency-Key: K` makes a retry count once
  POST /v1/outcomes       ingest   journey outcomes, same formats
  POST /v1/expire         ingest   close inactive journeys: {\"now\": \"2026-11-28T10:00:00Z\"} or no body (the clock)
  GET  /v1/dashboard      read     the mot.dashboard/1 JSON (?format=html|table, ?top_variants=N, ?period=P)
  GET  /v1/at-risk        read     open journeys below the threshold (?threshold=0.5&limit=10)
  GET  /v1/compare        read     before/after, mot.comparison/1 (?before=FROM..TO&after=FROM..TO
                                   [&alpha=&tau2=&format=json|html|table]): watch always_valid_*
  GET  /v1/alarms         read     CUSUM alarms (?since=ID or ?since=RFC3339)
  GET  /v1/stream         read     Server-Sent Events: `alarm` as each fires, `summary` at most once a second
  PUT  /v1/experience     admin    a new version of the experience; the answer carries the diff
  GET  /metrics           read     Prometheus text format
  GET  /                  (none)   the live page; it asks for a read token
  GET  /v1/health         (none)   {\"status\":\"ok\"}

Errors are JSON: {\"error\": {\"kind\": \"columns\", \"message\": \"…\"}} with 400 (unreadable batch),
401 (no or unknown token), 403 (wrong scope), 408 (slow client), 413 (over a limit), 415 (content type),
422 (idempotency key reused for another batch), 429 (rate limit, with Retry-After), 503 (stopping).

Example:
  printf 'ops-0123456789abcdef ingest,read,admin\\n' > tokens
  mot demo --write-inputs demo/ >/dev/null
  mot serve --experience demo/experience.json --data data/ --tokens tokens &
  curl -H 'Authorization: Bearer ops-0123456789abcdef' -H 'Content-Type: text/csv' \\
       --data-binary @demo/events.csv http://127.0.0.1:8080/v1/interactions
";

fn read(path: &std::path::Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("cannot read `{}`: {e}", path.display())))
}

/// Runs the service until SIGINT or SIGTERM.
pub(crate) fn run(args: ServeArgs) -> Result<(), Failure> {
    let tokens = match (&args.tokens, std::env::var("MOT_TOKENS")) {
        (Some(p), _) => auth::Tokens::parse(&read(p)?, &format!("`{}`", p.display())),
        (None, Ok(text)) => auth::Tokens::parse(&text, "`MOT_TOKENS`"),
        (None, Err(_)) => Err(
            "no tokens: give `--tokens FILE` or set `MOT_TOKENS` (lines `TOKEN SCOPE[,SCOPE…]`)"
                .to_string(),
        ),
    }
    .map_err(Failure)?;
    let experience_json = read(&args.experience)?;
    let settings_json = match &args.settings {
        Some(p) => read(p)?,
        None => "{}".to_string(),
    };
    let (events, _) = broadcast::channel(1_024);
    let shared = Arc::new(Shared {
        metrics: metrics::Metrics::default(),
        events,
        seq: AtomicU64::new(0),
    });
    let policy = SnapshotPolicy {
        every: Duration::from_secs(args.snapshot_every.max(1)),
        wal_bytes: args.snapshot_log_mib.max(1) << 20,
    };
    let started = std::time::Instant::now();
    let engine = Engine::open(
        &args.data,
        args.fsync == Fsync::Always,
        &experience_json,
        &settings_json,
        policy,
        shared.clone(),
    )
    .map_err(|e| Failure(format!("`{}`: {e}", args.data.display())))?;
    for note in &engine.state.recovery.notes {
        eprintln!("warning: {note}");
    }
    if engine.state.settings_differ(&settings_json) {
        return Err(Failure(format!(
            "`{}` was made with other settings; start with the same `--settings` (or a new `--data`)",
            args.data.display()
        )));
    }
    if engine.state.experience_json() != experience_json {
        eprintln!(
            "note: `{}` holds its own version of the experience (from `PUT /v1/experience` or an earlier start); `{}` is not used",
            args.data.display(),
            args.experience.display()
        );
    }
    let read_options = engine.state.read_options();
    let limits = engine.state.limits();
    let summary = engine.state.describe();
    let (tx, rx) = std::sync::mpsc::channel::<Request>();
    let engine_thread = std::thread::Builder::new()
        .name("mot-engine".into())
        .spawn(move || engine.run(rx))
        .map_err(|e| Failure(format!("cannot start the engine: {e}")))?;
    let tokens_n = tokens.len();
    let app = Arc::new(http::App {
        engine: tx.clone(),
        shared: shared.clone(),
        tokens,
        rate: auth::RateLimit::new(args.rate_limit),
        limits,
        read_options,
        inflight: Semaphore::new(args.max_inflight.max(1)),
        body_timeout: Duration::from_secs(args.request_timeout.max(1)),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(format!("cannot start the runtime: {e}")))?;
    let header_timeout = Duration::from_secs(args.request_timeout.max(1));
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| Failure(format!("cannot listen on {}: {e}", args.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Failure(format!("cannot listen: {e}")))?;
        eprintln!(
            "mot serve: listening on http://{addr} ({summary}; {} tokens; data `{}`, fsync {}; ready in {} ms)",
            tokens_n,
            args.data.display(),
            match args.fsync {
                Fsync::Always => "always",
                Fsync::Never => "never",
            },
            started.elapsed().as_millis()
        );
        tokio::spawn(summaries(tx.clone(), shared.clone()));
        let router = http::router(app);
        let stop = shutdown_signal();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let _ = stream.set_nodelay(true);
                    let service = TowerToHyperService::new(router.clone());
                    tokio::spawn(async move {
                        let _ = hyper::server::conn::http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(header_timeout)
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        }
        // Stop: a last snapshot, so the next start replays nothing.
        let (done, wait) = oneshot::channel();
        let _ = tx.send(Request::Shutdown { done });
        let _ = wait.await;
        eprintln!("mot serve: stopped");
        Ok(())
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    let _ = engine_thread.join();
    result
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Sends a summary on the stream at most once a second, when something
/// was written and someone listens.
async fn summaries(engine: std::sync::mpsc::Sender<Request>, shared: Arc<Shared>) {
    let mut last = u64::MAX;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let seq = shared.seq.load(Ordering::Acquire);
        if seq == last || shared.events.receiver_count() == 0 {
            continue;
        }
        let (reply, answer) = oneshot::channel();
        if engine
            .send(Request::Read {
                read: Read::Summary,
                reply,
            })
            .is_err()
        {
            return;
        }
        if let Ok(Ok(a)) = answer.await {
            last = seq;
            let _ = shared.events.send(LiveEvent::Summary(a.body));
        }
    }
}
