//! The engine: one thread that owns the tracker and the log. Requests
//! arrive on a channel; writes are applied, appended to the log, made
//! durable together (one sync per group: group commit) and only then
//! answered; reads see only durable data.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use mot_core::csv::{EventTable, OutcomeTable};
use mot_core::cusum::Alarm;
use mot_core::events::ReadOptions;
use mot_core::{Experience, ExperienceSpec, Settings, Tracker};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::store::{self, BodyFormat, Op, Recovery, Remembered, Snapshot, Store};

mod reads;
use super::{ApiError, Shared};
pub(crate) use reads::alarm_json;

/// How many idempotency keys are remembered (the oldest are forgotten).
pub(crate) const KEYS_KEPT: usize = 100_000;
const NANOS: i64 = 1_000_000_000;
/// How many alarms `GET /v1/alarms` can return.
const ALARMS_KEPT: usize = 10_000;

/// A write, already read by the HTTP layer (the body kept for the log).
pub(crate) enum Write {
    Interactions {
        format: BodyFormat,
        body: Vec<u8>,
        table: Box<EventTable>,
    },
    Outcomes {
        format: BodyFormat,
        body: Vec<u8>,
        table: Box<OutcomeTable>,
    },
    Expire {
        now: i64,
    },
    Experience {
        json: String,
        experience: Box<Experience>,
    },
}

/// What a dashboard is asked for in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rendering {
    Json,
    Html,
    Table,
}

pub(crate) enum Read {
    Dashboard {
        top_variants: Option<usize>,
        period: Option<String>,
        rendering: Rendering,
    },
    AtRisk {
        threshold: Option<f64>,
        limit: Option<usize>,
    },
    Compare {
        before: String,
        after: String,
        alpha: Option<f64>,
        tau2: Option<f64>,
        rendering: Rendering,
    },
    Alarms {
        since: Option<String>,
    },
    Summary,
    Metrics,
}

pub(crate) type Reply = oneshot::Sender<Result<Answer, ApiError>>;

pub(crate) enum Request {
    Write {
        key: Option<String>,
        write: Write,
        reply: Reply,
    },
    Read {
        read: Read,
        reply: Reply,
    },
    /// Snapshot and stop.
    Shutdown {
        done: oneshot::Sender<()>,
    },
}

/// An answer's body.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) body: String,
    pub(crate) content_type: &'static str,
    /// The answer given before to the same idempotency key.
    pub(crate) replayed: bool,
}

impl Answer {
    fn json(v: &Value) -> Answer {
        Answer {
            body: v.to_string(),
            content_type: "application/json",
            replayed: false,
        }
    }
}

/// When to snapshot.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SnapshotPolicy {
    pub(crate) every: Duration,
    pub(crate) wal_bytes: u64,
}

impl Write {
    /// FNV-1a of what the write carries, to tell a retry from a different
    /// request under the same idempotency key.
    fn hash(&self) -> u64 {
        let (kind, bytes): (u8, &[u8]) = match self {
            Write::Interactions { body, .. } => (1, body),
            Write::Outcomes { body, .. } => (2, body),
            Write::Expire { now } => return fnv(3, &now.to_le_bytes()),
            Write::Experience { json, .. } => (4, json.as_bytes()),
        };
        fnv(kind, bytes)
    }
}

fn fnv(kind: u8, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in std::iter::once(&kind).chain(bytes) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// What the engine keeps besides the log: the tracker and what it
/// measures with, the idempotency keys and the recent alarms.
pub(crate) struct State {
    tracker: Tracker,
    experience: Experience,
    experience_json: String,
    settings: Settings,
    settings_json: String,
    read_options: ReadOptions,
    keys: HashMap<String, (u64, String)>,
    key_order: VecDeque<String>,
    alarms: VecDeque<(u64, Alarm)>,
    next_alarm: u64,
    shared: Arc<Shared>,
    pub(crate) recovery: Recovery,
}

pub(crate) struct Engine {
    pub(crate) state: State,
    store: Store,
    policy: SnapshotPolicy,
    last_snapshot: Instant,
    wal_at_snapshot: u64,
}

/// An error of the core as an HTTP error: 413 over a limit, else 400.
pub(crate) fn core_error(e: &mot_core::Error) -> ApiError {
    use mot_core::ErrorKind as K;
    let status = match e.kind() {
        K::Limit => 413,
        _ => 400,
    };
    ApiError::new(status, e.kind().as_str(), e.to_string())
}

fn io_error(e: std::io::Error) -> String {
    format!("the data directory: {e}")
}

impl Engine {
    /// Opens the data directory: the newest good snapshot, then the log
    /// after it. A new directory starts with `experience` and `settings`
    /// (whose JSON it records first); an existing one keeps its own.
    pub(crate) fn open(
        dir: &Path,
        fsync: bool,
        experience_json: &str,
        settings_json: &str,
        policy: SnapshotPolicy,
        shared: Arc<Shared>,
    ) -> Result<Engine, String> {
        let mut recovery = Recovery::default();
        let snapshot = store::load_snapshot(dir, &mut recovery).map_err(io_error)?;
        let after = snapshot.as_ref().map_or(0, |s| s.seq);
        let mut state: Option<State> = None;
        if let Some(s) = snapshot {
            let settings = parse_settings(&s.settings)?;
            let experience = parse_experience(&s.experience, &settings)?;
            let tracker = Tracker::from_bytes_with(&s.state, &settings.limits)
                .map_err(|e| format!("the snapshot's tracker state: {e}"))?;
            let mut st = State::new(
                tracker,
                experience,
                s.experience,
                settings,
                s.settings,
                shared.clone(),
            )?;
            for r in s.keys {
                st.remember(r.key, r.hash, r.answer);
            }
            state = Some(st);
        }
        let mut failure = None;
        let replay = |record: store::Record| {
            if failure.is_none()
                && let Err(e) = replay_one(&mut state, record, &shared)
            {
                failure = Some(e);
            }
        };
        let mut store = Store::open(dir, fsync, after, &mut recovery, replay).map_err(io_error)?;
        if let Some(e) = failure {
            return Err(e);
        }
        let mut state = match state {
            Some(st) => st,
            None => {
                // A new data directory: record what it measures with.
                let settings = parse_settings(settings_json)?;
                let experience = parse_experience(experience_json, &settings)?;
                let config = settings.tracker_config().map_err(|e| e.to_string())?;
                let tracker =
                    Tracker::with_config(Some(&experience), config).map_err(|e| e.to_string())?;
                store
                    .append(
                        None,
                        Op::Start {
                            experience: experience_json.to_string(),
                            settings: settings_json.to_string(),
                        },
                    )
                    .map_err(io_error)?;
                store.sync().map_err(io_error)?;
                State::new(
                    tracker,
                    experience,
                    experience_json.to_string(),
                    settings,
                    settings_json.to_string(),
                    shared,
                )?
            }
        };
        state.recovery = recovery;
        let engine = Engine {
            wal_at_snapshot: store.wal_bytes,
            state,
            store,
            policy,
            last_snapshot: Instant::now(),
        };
        engine.publish();
        Ok(engine)
    }
}

impl State {
    fn new(
        tracker: Tracker,
        experience: Experience,
        experience_json: String,
        settings: Settings,
        settings_json: String,
        shared: Arc<Shared>,
    ) -> Result<State, String> {
        let read_options = settings.read_options().map_err(|e| e.to_string())?;
        Ok(State {
            tracker,
            experience,
            experience_json,
            settings,
            settings_json,
            read_options,
            keys: HashMap::new(),
            key_order: VecDeque::new(),
            alarms: VecDeque::new(),
            next_alarm: 1,
            shared,
            recovery: Recovery::default(),
        })
    }

    /// The settings the data directory was made with, when they differ
    /// from `settings_json`.
    pub(crate) fn settings_differ(&self, settings_json: &str) -> bool {
        parse_settings(settings_json).ok().as_ref() != Some(&self.settings)
    }

    /// The experience in force, as JSON.
    pub(crate) fn experience_json(&self) -> &str {
        &self.experience_json
    }

    /// How batches are read (the data directory's settings).
    pub(crate) fn read_options(&self) -> ReadOptions {
        self.read_options.clone()
    }

    /// The data directory's limits.
    pub(crate) fn limits(&self) -> mot_core::Limits {
        self.settings.limits
    }

    /// The experience and the counts, in words, for the start-up line.
    pub(crate) fn describe(&self) -> String {
        let spec = self.experience.spec();
        format!(
            "experience `{}`{}, {} interactions, {} open journeys",
            spec.id,
            spec.version
                .as_ref()
                .map(|v| format!(" version `{v}`"))
                .unwrap_or_default(),
            self.tracker.interactions(),
            self.tracker.open_journeys()
        )
    }

    fn remember(&mut self, key: String, hash: u64, answer: String) {
        if self.keys.insert(key.clone(), (hash, answer)).is_none() {
            self.key_order.push_back(key);
        }
        while self.key_order.len() > KEYS_KEPT {
            if let Some(old) = self.key_order.pop_front() {
                self.keys.remove(&old);
            }
        }
    }

    /// Applies a write to the tracker (not to the log): the answer's JSON
    /// without its sequence number.
    fn apply(&mut self, write: &Write) -> Result<Value, ApiError> {
        let before = self.tracker.rejected();
        let summary = match write {
            Write::Interactions { table, .. } => self
                .tracker
                .append_table(table)
                .map_err(|e| core_error(&e))?,
            Write::Outcomes { table, .. } => self
                .tracker
                .close_table(table)
                .map_err(|e| core_error(&e))?,
            Write::Expire { now } => {
                let closed = self.tracker.expire(*now);
                return Ok(json!({ "closed": closed, "now": now }));
            }
            Write::Experience { json, experience } => {
                let old: &ExperienceSpec = self.experience.spec();
                if old.id != experience.spec().id {
                    return Err(ApiError::new(
                        409,
                        "config",
                        format!(
                            "the service measures experience `{}`, not `{}`: start a new data directory for another experience",
                            old.id,
                            experience.spec().id
                        ),
                    ));
                }
                let diff = mot_core::diff(old, experience.spec());
                self.tracker
                    .rebind(experience)
                    .map_err(|e| core_error(&e))?;
                self.experience = (**experience).clone();
                self.experience_json = json.clone();
                return Ok(json!({ "diff": diff }));
            }
        };
        let rejected = self.tracker.rejected().since(&before);
        let by_reason: serde_json::Map<String, Value> = rejected
            .nonzero()
            .map(|(r, n)| (r.as_str().to_string(), json!(n)))
            .collect();
        Ok(json!({
            "rows": summary.rows,
            "accepted": summary.accepted,
            "rejected": summary.rejected,
            "rejected_by_reason": by_reason,
            "journeys_closed": summary.journeys,
            "outcomes": summary.outcomes,
        }))
    }

    fn op_of(write: Write) -> Op {
        match write {
            Write::Interactions { format, body, .. } => Op::Interactions { format, body },
            Write::Outcomes { format, body, .. } => Op::Outcomes { format, body },
            Write::Expire { now } => Op::Expire { now },
            Write::Experience { json, .. } => Op::Experience { json },
        }
    }

    /// Moves alarms from the tracker to the list kept and to the stream.
    fn collect_alarms(&mut self, live: bool) {
        for a in self.tracker.drain_alarms() {
            let id = self.next_alarm;
            self.next_alarm += 1;
            if live {
                let _ = self
                    .shared
                    .events
                    .send(super::LiveEvent::Alarm(alarm_json(id, &a).to_string()));
            }
            self.shared.metrics.alarms.fetch_add(1, Ordering::Relaxed);
            self.alarms.push_back((id, a));
            if self.alarms.len() > ALARMS_KEPT {
                self.alarms.pop_front();
            }
        }
    }
}

impl Engine {
    fn publish(&self) {
        self.state
            .shared
            .seq
            .store(self.store.next_seq() - 1, Ordering::Release);
        let m = &self.state.shared.metrics;
        m.wal_bytes.store(self.store.wal_bytes, Ordering::Relaxed);
        m.snapshot_bytes
            .store(self.store.snapshot_bytes, Ordering::Relaxed);
    }

    /// Serves requests until the channel closes or a shutdown comes.
    pub(crate) fn run(mut self, rx: Receiver<Request>) {
        let mut writes: Vec<(Reply, Result<Answer, ApiError>)> = Vec::new();
        let mut reads: Vec<(Read, Reply)> = Vec::new();
        loop {
            let wait = self
                .policy
                .every
                .saturating_sub(self.last_snapshot.elapsed())
                .max(Duration::from_millis(10));
            let first = match rx.recv_timeout(wait) {
                Ok(r) => Some(r),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => {
                    self.snapshot_now();
                    return;
                }
            };
            let mut shutdown = None;
            // The group: what has arrived, up to a bound.
            let group: Vec<Request> = first
                .into_iter()
                .chain(std::iter::from_fn(|| rx.try_recv().ok()).take(511))
                .collect();
            for request in group {
                match request {
                    Request::Write { key, write, reply } => {
                        let answer = self.write(key, write);
                        writes.push((reply, answer));
                    }
                    Request::Read { read, reply } => reads.push((read, reply)),
                    Request::Shutdown { done } => {
                        shutdown = Some(done);
                        break;
                    }
                }
            }
            if !writes.is_empty() {
                if let Err(e) = self.store.sync() {
                    // What was applied may not be durable: stop rather
                    // than answer for it (a restart replays what is).
                    eprintln!("error: the log cannot be synced ({e}); stopping");
                    std::process::exit(70);
                }
                self.state.collect_alarms(true);
                self.publish();
                for (reply, answer) in writes.drain(..) {
                    let _ = reply.send(answer);
                }
            }
            for (read, reply) in reads.drain(..) {
                let _ = reply.send(self.state.read(read, self.store.next_seq() - 1));
            }
            if let Some(done) = shutdown {
                self.snapshot_now();
                let _ = done.send(());
                return;
            }
            if self.last_snapshot.elapsed() >= self.policy.every
                || self.store.wal_bytes.saturating_sub(self.wal_at_snapshot)
                    >= self.policy.wal_bytes
            {
                self.snapshot_now();
            }
        }
    }

    fn write(&mut self, key: Option<String>, write: Write) -> Result<Answer, ApiError> {
        let hash = write.hash();
        if let Some(k) = &key
            && let Some((h, answer)) = self.state.keys.get(k)
        {
            if *h != hash {
                return Err(ApiError::new(
                    422,
                    "idempotency",
                    format!(
                        "the idempotency key `{k}` was used for a different request; use a new key for a new batch"
                    ),
                ));
            }
            self.state
                .shared
                .metrics
                .replays
                .fetch_add(1, Ordering::Relaxed);
            return Ok(Answer {
                body: answer.clone(),
                content_type: "application/json",
                replayed: true,
            });
        }
        let mut value = self.state.apply(&write)?;
        let seq = match self.store.append(key.clone(), State::op_of(write)) {
            Ok(seq) => seq,
            Err(e) => {
                eprintln!("error: the log cannot be written ({e}); stopping");
                std::process::exit(70);
            }
        };
        value["seq"] = json!(seq);
        let body = value.to_string();
        self.state.shared.metrics.count_write(&value);
        if let Some(k) = key {
            self.state.remember(k, hash, body.clone());
        }
        Ok(Answer {
            body,
            content_type: "application/json",
            replayed: false,
        })
    }

    fn snapshot_now(&mut self) {
        let keys = self
            .state
            .key_order
            .iter()
            .filter_map(|k| {
                self.state.keys.get(k).map(|(hash, answer)| Remembered {
                    key: k.clone(),
                    hash: *hash,
                    answer: answer.clone(),
                })
            })
            .collect();
        let snapshot = Snapshot {
            seq: 0,
            experience: self.state.experience_json.clone(),
            settings: self.state.settings_json.clone(),
            keys,
            state: self.state.tracker.to_bytes(),
        };
        match self.store.snapshot(snapshot) {
            Ok(()) => {
                self.state
                    .shared
                    .metrics
                    .snapshots
                    .fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => eprintln!("warning: snapshot failed ({e}); the log keeps everything"),
        }
        self.last_snapshot = Instant::now();
        self.wal_at_snapshot = self.store.wal_bytes;
        self.publish();
    }
}

pub(crate) fn parse_settings(json: &str) -> Result<Settings, String> {
    let s = Settings::from_json(json).map_err(|e| format!("settings: {e}"))?;
    if s.bad_rows == mot_core::BadRows::Fail {
        // A batch is applied whole or not at all; a bad row is counted.
        return Err(
            "settings: `bad_rows` `fail` does not fit a service: bad rows are counted by reason in every answer (use `reject`)"
                .into(),
        );
    }
    Ok(s)
}

fn parse_experience(json: &str, settings: &Settings) -> Result<Experience, String> {
    Experience::from_json_with(json, &settings.limits).map_err(|e| format!("experience: {e}"))
}

/// Parses a batch's body as the HTTP layer does.
pub(crate) fn read_events(
    format: BodyFormat,
    body: &[u8],
    options: &ReadOptions,
) -> Result<EventTable, mot_core::Error> {
    match format {
        BodyFormat::Csv => EventTable::read(body, "batch", options),
        BodyFormat::Json => EventTable::read_json(body, "batch", options),
    }
}

pub(crate) fn read_outcomes(
    format: BodyFormat,
    body: &[u8],
    options: &ReadOptions,
) -> Result<OutcomeTable, mot_core::Error> {
    match format {
        BodyFormat::Csv => OutcomeTable::read(body, "batch", options),
        BodyFormat::Json => OutcomeTable::read_json(body, "batch", options),
    }
}

/// Replays one record of the log at start-up.
fn replay_one(
    state: &mut Option<State>,
    record: store::Record,
    shared: &Arc<Shared>,
) -> Result<(), String> {
    let engine = match (state.as_mut(), &record.op) {
        (
            None,
            Op::Start {
                experience,
                settings,
            },
        ) => {
            let s = parse_settings(settings)?;
            let x = parse_experience(experience, &s)?;
            let config = s.tracker_config().map_err(|e| e.to_string())?;
            let tracker = Tracker::with_config(Some(&x), config).map_err(|e| e.to_string())?;
            *state = Some(State::new(
                tracker,
                x,
                experience.clone(),
                s,
                settings.clone(),
                shared.clone(),
            )?);
            return Ok(());
        }
        (None, _) => {
            return Err(format!(
                "the log starts at record {} without its first record or a snapshot: the data directory is incomplete",
                record.seq
            ));
        }
        (Some(_), Op::Start { .. }) => return Ok(()),
        (Some(e), _) => e,
    };
    let write = match record.op {
        Op::Interactions { format, body } => {
            match read_events(format, &body, &engine.read_options) {
                Ok(table) => Write::Interactions {
                    format,
                    body,
                    table: Box::new(table),
                },
                Err(e) => return Err(format!("record {}: {e}", record.seq)),
            }
        }
        Op::Outcomes { format, body } => match read_outcomes(format, &body, &engine.read_options) {
            Ok(table) => Write::Outcomes {
                format,
                body,
                table: Box::new(table),
            },
            Err(e) => return Err(format!("record {}: {e}", record.seq)),
        },
        Op::Expire { now } => Write::Expire { now },
        Op::Experience { json } => {
            let experience = parse_experience(&json, &engine.settings)?;
            Write::Experience {
                json,
                experience: Box::new(experience),
            }
        }
        Op::Start { .. } => return Ok(()),
    };
    let hash = write.hash();
    // A record was applied once without error before it was written.
    let mut value = engine
        .apply(&write)
        .map_err(|e| format!("record {}: {}", record.seq, e.message))?;
    value["seq"] = json!(record.seq);
    engine.shared.metrics.count_write(&value);
    if let Some(k) = record.key {
        engine.remember(k, hash, value.to_string());
    }
    engine.collect_alarms(false);
    Ok(())
}
