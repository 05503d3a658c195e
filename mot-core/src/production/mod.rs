//! Production: turning interaction logs into SMOTO and SCO production counts.
//!
//! A [`Tracker`] reads interactions and journey outcomes — one row at a time
//! ([`Tracker::record`], [`Tracker::close_journey`]) or as columns
//! ([`Tracker::ingest`]) — and keeps a mergeable state from which a
//! [`Dashboard`](crate::Dashboard) is built.
//!
//! - **Bound or discovery.** [`Tracker::new`] binds the tracker to an
//!   [`Experience`]: MOT ids are resolved against it and unknown ones are
//!   rejected. [`Tracker::discovery`] needs no experience: MOTs are created
//!   from the log as they appear (type unknown, no owner), so a log alone
//!   gives every data-driven metric.
//! - **Mergeable.** Merging the states of any partition of a log *by journey*
//!   ([`Tracker::merge`]) gives exactly the single-pass result: counts are
//!   exact and float sums are compensated (they agree to 1e-12 relative).
//!   [`Tracker::to_bytes`] / [`Tracker::from_bytes`] carry a state between
//!   processes (postcard, behind a versioned header); bad bytes are an error,
//!   never a panic.
//! - **Open journeys.** Interactions are counted per MOT as they arrive;
//!   journey-level figures (SCO, lift, removal effects, variants) are added
//!   when a journey closes — with its outcome, or, after `timeout` seconds
//!   of event time without activity, as *abandoned* (no SCO). An open
//!   journey holds about 80 bytes plus 16 bytes per interaction until then.
//!   After a journey closes the tracker remembers its id (about 40 bytes)
//!   so that a late interaction is rejected as `after-close`; turn this off
//!   with [`TrackerConfig::remember_closed`] for unbounded streams.
//!
//! ```
//! use mot_core::{sample, Tracker, TrackerConfig};
//!
//! let x = sample::airline();
//! let mut t = Tracker::new(&x, TrackerConfig::default());
//! t.record("j-1", "search-book", 1_795_392_000, true, None)?;
//! t.record("j-1", "check-in", 1_795_395_600, false, None)?;
//! t.record("j-1", "no-such-mot", 1_795_395_700, true, None)?; // counted, not lost
//! t.close_journey("j-1", Some(true), None)?;
//! assert_eq!(t.interactions(), 2);
//! assert_eq!(t.rejected().get(mot_core::RejectReason::UnknownMot), 1);
//!
//! // Partial states travel as bytes and merge exactly.
//! let bytes = t.to_bytes();
//! let mut other = Tracker::new(&x, TrackerConfig::default());
//! other.merge(&Tracker::from_bytes(&bytes)?)?;
//! assert_eq!(other.interactions(), 2);
//! # Ok::<(), mot_core::Error>(())
//! ```

mod agg;
mod chain;
mod codec;
mod codes;
mod config;
mod detect;
mod fast;
mod group;
mod ingest;
mod keys;
mod merge;
mod parts;
mod rebind;
mod registry;
mod scratch;
mod stream;
mod times;
mod variants;

pub use config::TrackerConfig;
pub use ingest::IngestSummary;
pub use keys::{IntoJourney, JourneyKey};

pub(crate) use registry::{Binding, Registry, fingerprint, is_identity};
pub(crate) use scratch::{NanosPeriod, Scratch};

use detect::Detection;

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

pub(crate) use agg::{Aggregates, Class, Clock};

use crate::conformance::Design;
use crate::cusum::{Alarm, Cusum};
use crate::events::{BadRows, Key, RejectReason, Rejected, TimeUnit};
use crate::{Error, Experience, MotId, Period};

/// Nanoseconds in a second: the tracker's own unit of time.
pub(crate) const NANOS: i64 = 1_000_000_000;

/// One buffered interaction of an open journey.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Event {
    /// Nanoseconds since the epoch.
    pub(crate) ts: i64,
    pub(crate) mot: u32,
    /// `None`: not known.
    pub(crate) success: Option<bool>,
}

/// An open journey's interactions, in arrival order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Open {
    pub(crate) events: Vec<Event>,
    /// The latest timestamp, in nanoseconds.
    pub(crate) last: i64,
}

/// The checks of one interaction's values, in the one order every way in
/// applies them (the row API, columnar ingest and its fast path): after the
/// journey (missing, then already closed) come the timestamp (missing, then
/// out of range), the success flag (missing in a success column), the cost
/// and the value (not finite, negative), and last the MOT (missing, then
/// unknown). Returns the timestamp in nanoseconds.
#[inline(always)]
pub(crate) fn check_values(
    timestamp: Option<i64>,
    unit: TimeUnit,
    success_missing: bool,
    cost: Option<f64>,
    value: Option<f64>,
) -> Result<i64, RejectReason> {
    let ts = timestamp.ok_or(RejectReason::MissingTimestamp)?;
    let ns = to_nanos(ts, unit).ok_or(RejectReason::TimestampOutOfRange)?;
    if success_missing {
        return Err(RejectReason::MissingSuccess);
    }
    match (Extra {
        cost,
        value,
        producer: None,
    })
    .check()
    {
        Some(reason) => Err(reason),
        None => Ok(ns),
    }
}

/// A timestamp in `unit` as nanoseconds since the epoch; `None` outside
/// the accepted range (1900 to 2200).
#[inline(always)]
pub(crate) fn to_nanos(ts: i64, unit: TimeUnit) -> Option<i64> {
    let (lo, hi) = unit.range();
    // Inside the range the product cannot overflow (|ns| < 7.3e18).
    (lo..hi)
        .contains(&ts)
        .then(|| ts * (NANOS / unit.per_second()))
}

/// Reads interactions and outcomes and keeps the mergeable production state.
#[derive(Clone, Debug)]
pub struct Tracker {
    pub(crate) config: TrackerConfig,
    pub(crate) registry: Registry,
    pub(crate) agg: Aggregates,
    pub(crate) open: HashMap<JourneyKey, Open>,
    closed: HashMap<JourneyKey, u32>,
    generation: u32,
    watermark: i64,
    last_sweep: i64,
    pub(crate) scratch: Scratch,
    clock: Clock,
    /// Per MOT index: its detector (bound trackers, MOTs with a target).
    pub(crate) detectors: Vec<Option<Cusum>>,
    /// Alarms fired and not drained yet.
    pub(crate) alarms: Vec<Alarm>,
    /// Columnar ingest: `(ns, row, MOT, failed)` of the interactions with
    /// a detector, run in time order when the call ends.
    pub(crate) detect_batch: Vec<Detection>,
    /// The same for a clean columnar call, grouped by MOT and packed
    /// ([`detect::Grouped`]).
    pub(crate) detect_grouped: Option<detect::Grouped>,
}

impl PartialEq for Tracker {
    /// Two trackers are equal when their *states* are: configuration,
    /// MOTs, aggregates and open journeys (not the memory of closed ids).
    fn eq(&self, other: &Tracker) -> bool {
        self.config.period == other.config.period
            && self.config.timeout == other.config.timeout
            && self.config.sco_reached == other.config.sco_reached
            && self.registry == other.registry
            && self.agg == other.agg
            && self.open == other.open
    }
}

impl Tracker {
    /// A tracker bound to an experience: MOT ids are resolved against it,
    /// unknown ones are rejected.
    ///
    /// A `config` whose period or timeout is not positive is replaced by the
    /// default for that field, and a designed journey naming MOTs the
    /// experience does not have by the experience's own; use
    /// [`Tracker::with_config`] to get an error instead.
    pub fn new(experience: &Experience, mut config: TrackerConfig) -> Tracker {
        if config.designed.is_empty() || config.check_design(experience).is_err() {
            config.designed = experience
                .designed_journey()
                .iter()
                .map(|m| m.id.to_string())
                .collect();
        }
        Tracker::build(Registry::bound(experience), config)
    }

    /// A tracker with no experience: MOTs are created from the log.
    pub fn discovery(config: TrackerConfig) -> Tracker {
        Tracker::build(Registry::default(), config)
    }

    /// Discovery mode with MOTs known in advance, numbered in the order
    /// given (others are still created as they appear). Trackers that share
    /// the list number MOTs alike, so merging them needs no renumbering:
    /// give every partition of a distributed job the same list.
    pub fn discovery_with<'a>(
        mots: impl IntoIterator<Item = &'a str>,
        config: TrackerConfig,
    ) -> Tracker {
        let mut registry = Registry::default();
        for id in mots {
            let _ = registry.resolve(id);
        }
        Tracker::build(registry, config)
    }

    /// Like [`Tracker::new`] (with `Some`) or [`Tracker::discovery`] (with
    /// `None`), checking the configuration.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for a period width or
    /// timeout that is not positive, or a designed journey or SCO rule
    /// naming an MOT the experience does not have.
    pub fn with_config(
        experience: Option<&Experience>,
        config: TrackerConfig,
    ) -> Result<Tracker, Error> {
        config.check()?;
        if let Some(x) = experience {
            config.check_design(x)?;
            config.check_rule(x)?;
        }
        Ok(match experience {
            Some(x) => Tracker::new(x, config),
            None => Tracker::discovery(config),
        })
    }

    /// [`Tracker::with_config`] for one call that reads a whole log (one
    /// [`Tracker::ingest`], then [`Dashboard::build`](crate::Dashboard::build)):
    /// no later call can bring a late row, so closed journeys are not
    /// remembered (`remember_closed` is off). Every one-call front end
    /// (the `mot` command, `mot.dashboard`, `dashboard` in JavaScript)
    /// starts here.
    ///
    /// # Errors
    ///
    /// As [`Tracker::with_config`].
    pub fn one_shot(
        experience: Option<&Experience>,
        config: TrackerConfig,
    ) -> Result<Tracker, Error> {
        Tracker::with_config(
            experience,
            TrackerConfig {
                remember_closed: false,
                ..config
            },
        )
    }

    fn build(registry: Registry, mut config: TrackerConfig) -> Tracker {
        if config.check().is_err() {
            let d = TrackerConfig::default();
            if matches!(config.period, Period::Seconds(s) if s <= 0) {
                config.period = d.period;
            }
            if config.timeout.is_some_and(|t| t <= 0) {
                config.timeout = None;
            }
            config.designed.retain(|id| !id.is_empty());
        }
        let mut registry = registry;
        let steps: Vec<u32> = config
            .designed
            .iter()
            .filter_map(|id| registry.resolve(id).ok())
            .collect();
        let design = (!steps.is_empty()).then(|| Design::new(&steps, registry.len()));
        let mut agg = Aggregates::default();
        agg.ensure(registry.len());
        let clock = Clock::new(&config);
        let scratch = Scratch {
            track_variants: config.track_variants,
            durations: config.durations,
            threads: config.threads,
            first_period: NanosPeriod::new(config.period),
            design,
            ..Scratch::default()
        };
        let detectors = match &registry.binding {
            Some(b) => b
                .targets
                .iter()
                .map(|t| t.and_then(|t| Cusum::new(t, config.cusum.odds_ratio, config.cusum.arl0)))
                .collect(),
            None => Vec::new(),
        };
        let mut t = Tracker {
            detectors,
            alarms: Vec::new(),
            detect_batch: Vec::new(),
            detect_grouped: None,
            config,
            registry,
            agg,
            open: HashMap::new(),
            closed: HashMap::new(),
            generation: 0,
            watermark: i64::MIN,
            last_sweep: i64::MIN,
            scratch,
            clock,
        };
        t.refresh_rule();
        t
    }

    /// Brings the SCO rule's per-MOT flags up to date with the MOTs known
    /// (discovery mode learns MOTs as they come).
    pub(crate) fn refresh_rule(&mut self) {
        let rule = &self.config.sco_reached;
        if rule.is_empty() || self.scratch.sco_rule.len() == self.registry.len() {
            return;
        }
        self.scratch.sco_rule = self
            .registry
            .ids
            .iter()
            .map(|id| rule.iter().any(|r| r == id.as_str()))
            .collect();
    }

    /// The configuration.
    pub fn config(&self) -> &TrackerConfig {
        &self.config
    }

    /// The MOT ids the tracker knows, in index order (the experience's order
    /// when bound; first appearance in discovery mode).
    pub fn mot_ids(&self) -> &[MotId] {
        &self.registry.ids
    }

    /// Whether the tracker is bound to an experience.
    pub fn is_bound(&self) -> bool {
        self.registry.binding.is_some()
    }

    /// Interactions accepted so far.
    pub fn interactions(&self) -> u64 {
        self.agg.interactions
    }

    /// Journeys closed so far.
    pub fn journeys(&self) -> u64 {
        self.agg.journeys
    }

    /// Journeys still open.
    pub fn open_journeys(&self) -> usize {
        self.open.len()
    }

    /// Rows rejected so far, by reason.
    pub fn rejected(&self) -> Rejected {
        Rejected::from_vec(&self.agg.rejected)
    }

    /// Counts rows a front end rejected before they reached the tracker (a
    /// text field that does not parse, a short CSV line), so that every
    /// report still accounts for them.
    pub fn count_rejected(&mut self, reason: RejectReason, rows: u64) {
        self.agg.reject(reason, rows);
    }

    fn reject(
        &mut self,
        row: u64,
        reason: RejectReason,
        detail: Option<String>,
    ) -> Result<(), Error> {
        match self.config.bad_rows {
            BadRows::Reject => {
                self.agg.reject(reason, 1);
                Ok(())
            }
            BadRows::Fail => Err(Error::bad_row(row, reason, detail)),
        }
    }

    /// Counts a row that a front end could not read (a value no rule reads,
    /// see [`crate::input::values`]) under the bad-row policy: counted by
    /// `reason`, or, with [`BadRows::Fail`], an error naming it.
    ///
    /// # Errors
    ///
    /// Only with [`BadRows::Fail`]: [`ErrorKind::BadRow`](crate::ErrorKind::BadRow).
    pub fn reject_row(
        &mut self,
        reason: RejectReason,
        detail: Option<String>,
    ) -> Result<(), Error> {
        let row = self.agg.interactions + self.agg.rejected.iter().sum::<u64>();
        self.reject(row, reason, detail)
    }

    /// [`Tracker::reject_row`] for a row of `journey` (the row API): the
    /// checks every row meets first come first, as in [`Tracker::record`]
    /// and in columns — a row with no journey id is `missing-journey`, and
    /// a row of a journey already closed `after-close`, whatever its values.
    ///
    /// ```
    /// use mot_core::{RejectReason, Tracker, TrackerConfig};
    /// let mut t = Tracker::discovery(TrackerConfig::default());
    /// t.record("j", "a", 1_795_392_000, true, None)?;
    /// t.close_journey("j", Some(true), None)?;
    /// // A timestamp the front end could not read, on a closed journey.
    /// t.reject_unreadable("j", RejectReason::InvalidTimestamp, None)?;
    /// t.reject_unreadable("k", RejectReason::InvalidTimestamp, None)?;
    /// assert_eq!(t.rejected().get(RejectReason::AfterClose), 1);
    /// assert_eq!(t.rejected().get(RejectReason::InvalidTimestamp), 1);
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Tracker::reject_row`].
    pub fn reject_unreadable(
        &mut self,
        journey: impl IntoJourney,
        reason: RejectReason,
        detail: Option<String>,
    ) -> Result<(), Error> {
        self.reject_unreadable_key(journey.key(), reason, detail)
    }

    fn reject_unreadable_key(
        &mut self,
        key: Key<'_>,
        reason: RejectReason,
        detail: Option<String>,
    ) -> Result<(), Error> {
        let row = self.agg.interactions + self.agg.rejected.iter().sum::<u64>();
        if let Some(stopped) = self.journey_checks(row, &key) {
            return stopped;
        }
        self.reject(row, reason, detail)
    }

    /// The checks every row of the row API meets first, in this order: no
    /// journey id is `missing-journey`, a row of a closed journey
    /// `after-close`. `Some` (the row's answer) when the row stops here.
    #[inline(always)]
    pub(super) fn journey_checks(&mut self, row: u64, key: &Key<'_>) -> Option<Result<(), Error>> {
        if matches!(key, Key::Str("")) {
            return Some(self.reject(row, RejectReason::MissingJourney, None));
        }
        if self.config.remember_closed && self.closed.contains_key(key) {
            return Some(self.reject(
                row,
                RejectReason::AfterClose,
                Some(format!("journey `{key}`")),
            ));
        }
        None
    }

    /// Records one interaction (timestamp in [`TrackerConfig::time_unit`]).
    ///
    /// `extra` carries the optional cost, value and producer.
    ///
    /// # Errors
    ///
    /// Only with [`BadRows::Fail`]: [`ErrorKind::BadRow`](crate::ErrorKind::BadRow)
    /// for a row that would be rejected; the tracker is left unchanged.
    pub fn record(
        &mut self,
        journey: impl IntoJourney,
        mot: &str,
        timestamp: i64,
        success: bool,
        extra: Option<Extra<'_>>,
    ) -> Result<(), Error> {
        self.record_event(journey, mot, timestamp, Some(success), extra)
    }

    /// [`Tracker::record`] for an interaction whose success may be unknown
    /// (`None`: a log with no success flag). Such an interaction counts in
    /// every process figure (amount, directly-follows, variants) and in no
    /// success figure.
    ///
    /// # Errors
    ///
    /// As [`Tracker::record`].
    pub fn record_event(
        &mut self,
        journey: impl IntoJourney,
        mot: &str,
        timestamp: i64,
        success: Option<bool>,
        extra: Option<Extra<'_>>,
    ) -> Result<(), Error> {
        let row = self.agg.interactions + self.agg.rejected.iter().sum::<u64>();
        let key = journey.key();
        if let Some(stopped) = self.journey_checks(row, &key) {
            return stopped;
        }
        let extra = extra.unwrap_or_default();
        let ns = match check_values(
            Some(timestamp),
            self.config.time_unit,
            false,
            extra.cost,
            extra.value,
        ) {
            Ok(ns) => ns,
            Err(reason) => {
                let value = match reason {
                    RejectReason::TimestampOutOfRange => Some(format!("timestamp `{timestamp}`")),
                    RejectReason::NegativeCost | RejectReason::NonFiniteCost => {
                        extra.cost.map(|c| format!("cost `{c}`"))
                    }
                    RejectReason::NonFiniteValue => extra.value.map(|v| format!("value `{v}`")),
                    _ => None,
                };
                let detail = match value {
                    Some(v) => format!("journey `{key}`, {v}"),
                    None => format!("journey `{key}`"),
                };
                return self.reject(row, reason, Some(detail));
            }
        };
        if !mot.is_empty() && !self.registry.index.contains_key(mot) {
            self.registry
                .check_room([mot], self.config.limits.max_mots)?;
        }
        self.check_open_room(&key)?;
        let m = if self.config.bad_rows == BadRows::Fail {
            // Resolve without creating, so that a failure changes nothing.
            match self.registry.index.get(mot) {
                Some(&m) if self.registry.measures(m) => m,
                Some(_) => {
                    return self.reject(
                        row,
                        RejectReason::UnknownMot,
                        Some(format!("mot `{mot}`")),
                    );
                }
                None if mot.is_empty() => return self.reject(row, RejectReason::MissingMot, None),
                None if self.registry.binding.is_some() => {
                    return self.reject(
                        row,
                        RejectReason::UnknownMot,
                        Some(format!("mot `{mot}`")),
                    );
                }
                None => self.new_mot(mot),
            }
        } else {
            match self.registry.resolve(mot) {
                Ok(m) => {
                    self.agg.ensure(self.registry.len());
                    m
                }
                Err(reason) => return self.reject(row, reason, None),
            }
        };
        self.accept(key, m, ns, success, extra);
        Ok(())
    }

    /// Counts an interaction that passed every check and buffers it in its
    /// open journey; sweeps idle journeys as event time moves on. `ns` is
    /// nanoseconds since the epoch.
    fn accept(&mut self, key: Key<'_>, m: u32, ns: i64, success: Option<bool>, extra: Extra<'_>) {
        if let Some(ok) = success {
            self.detect(m, ns, !ok);
        }
        self.keep(key, m, ns, success, extra);
    }

    /// [`Tracker::accept`] but for the detector (the caller runs it).
    fn keep(&mut self, key: Key<'_>, m: u32, ns: i64, success: Option<bool>, extra: Extra<'_>) {
        let secs = ns.div_euclid(NANOS);
        self.agg.count_row(
            &mut self.clock,
            m,
            secs,
            success,
            extra.cost,
            extra.value,
            extra.producer,
        );
        let (_, open) = self
            .open
            .raw_entry_mut()
            .from_key(&key)
            .or_insert_with(|| (JourneyKey::from(key), Open::default()));
        open.events.push(Event {
            ts: ns,
            mot: m,
            success,
        });
        open.last = open.last.max(ns);
        if let Some(timeout) = self.config.timeout {
            self.watermark = self.watermark.max(secs);
            if self.watermark.saturating_sub(self.last_sweep) >= (timeout / 2).max(1) {
                self.expire(self.watermark);
            }
        }
    }

    /// Whether opening `key` (if it is not open yet) stays within
    /// `max_open_journeys`.
    fn check_open_room(&self, key: &Key<'_>) -> Result<(), Error> {
        let max = self.config.limits.max_open_journeys;
        if self.open.len() >= max && !self.open.contains_key(key) {
            return Err(Error::limit(
                "max_open_journeys",
                max,
                &format!(
                    "opening journey `{key}` would make {} open journeys",
                    self.open.len() + 1
                ),
            ));
        }
        Ok(())
    }

    fn new_mot(&mut self, mot: &str) -> u32 {
        let m = self.registry.resolve(mot).unwrap_or(0);
        self.agg.ensure(self.registry.len());
        m
    }

    /// The dense index of a MOT id, for [`Tracker::record_index`].
    pub fn mot_index(&self, mot: &str) -> Option<u32> {
        self.registry
            .position(mot)
            .filter(|&m| self.registry.measures(m))
    }

    /// Records one interaction by MOT index (see [`Tracker::mot_index`]),
    /// skipping the id lookup: the fastest way to stream.
    ///
    /// # Errors
    ///
    /// As [`Tracker::record`]; an index the tracker does not know is an
    /// `unknown-mot` row.
    pub fn record_index(
        &mut self,
        journey: impl IntoJourney,
        mot: u32,
        timestamp: i64,
        success: bool,
    ) -> Result<(), Error> {
        let row = self.agg.interactions + self.agg.rejected.iter().sum::<u64>();
        let key = journey.key();
        if matches!(key, Key::Str("")) {
            return self.reject(row, RejectReason::MissingJourney, None);
        }
        if self.config.remember_closed && self.closed.contains_key(&key) {
            return self.reject(row, RejectReason::AfterClose, None);
        }
        let ns = match check_values(Some(timestamp), self.config.time_unit, false, None, None) {
            Ok(ns) => ns,
            Err(reason) => return self.reject(row, reason, None),
        };
        if !self.registry.measures(mot) {
            return self.reject(row, RejectReason::UnknownMot, None);
        }
        self.check_open_room(&key)?;
        self.accept(key, mot, ns, Some(success), Extra::default());
        Ok(())
    }

    /// Closes a journey with its outcome: `Some(true)` if it produced the
    /// SCO, `Some(false)` if not, `None` if unknown; `value` is its revenue.
    ///
    /// # Errors
    ///
    /// Only with [`BadRows::Fail`]: a journey with no accepted interaction
    /// (`outcome-without-interactions`), already closed
    /// (`duplicate-outcome`), or a non-finite value.
    pub fn close_journey(
        &mut self,
        journey: impl IntoJourney,
        sco: Option<bool>,
        value: Option<f64>,
    ) -> Result<(), Error> {
        let row = self.agg.journeys;
        let key = journey.key();
        if value.is_some_and(|v| !v.is_finite()) {
            return self.reject(row, RejectReason::NonFiniteValue, None);
        }
        let Some(open) = self.open.remove(&key) else {
            let reason = if self.closed.contains_key(&key) {
                RejectReason::DuplicateOutcome
            } else {
                RejectReason::OutcomeWithoutInteractions
            };
            return self.reject(row, reason, Some(format!("journey `{key}`")));
        };
        let class = sco.map(|sco| if sco { Class::Sco } else { Class::NoSco });
        self.fold_open(open, class, value);
        if self.config.remember_closed {
            self.closed.insert(JourneyKey::from(key), self.generation);
        }
        Ok(())
    }

    /// Folds a closed journey; `class` is its outcome (`None`: none given,
    /// the SCO rule decides if there is one).
    fn fold_open(&mut self, mut open: Open, class: Option<Class>, value: Option<f64>) {
        // Timestamp order, ties in arrival order (the sort is stable).
        open.events.sort_by_key(|e| e.ts);
        self.refresh_rule();
        let class = self
            .scratch
            .class_of(class, open.events.iter().map(|e| (e.mot, e.success)));
        self.agg.fold_journey(
            &mut self.scratch,
            open.events.iter().map(|e| (e.mot, e.ts, e.success)),
            class,
            value,
        );
    }

    /// Closes, as abandoned (no SCO), every journey whose last interaction
    /// is more than [`TrackerConfig::timeout`] seconds before `now` (seconds
    /// since the epoch). Called by [`Tracker::record`] as event time moves
    /// on; call it yourself when the clock moves without events. Returns how
    /// many journeys it closed.
    pub fn expire(&mut self, now: i64) -> usize {
        self.last_sweep = now;
        let Some(timeout) = self.config.timeout else {
            return 0;
        };
        let stale: Vec<JourneyKey> = self
            .open
            .iter()
            .filter(|(_, o)| now - o.last.div_euclid(NANOS) > timeout)
            .map(|(k, _)| k.clone())
            .collect();
        let mut stale = stale;
        stale.sort();
        for key in &stale {
            if let Some(open) = self.open.remove(key) {
                self.agg.abandoned += 1;
                // Abandoned: no SCO, unless the SCO rule says it was reached.
                let class = self.config.sco_reached.is_empty().then_some(Class::NoSco);
                self.fold_open(open, class, None);
                if self.config.remember_closed {
                    self.closed.insert(key.clone(), self.generation);
                }
            }
        }
        stale.len()
    }

    /// Closes every open journey with an unknown outcome (for example at the
    /// end of a file), or the SCO rule's verdict when there is one. Returns
    /// how many.
    pub fn close_open_journeys(&mut self) -> usize {
        let mut keys: Vec<JourneyKey> = self.open.keys().cloned().collect();
        keys.sort();
        for key in &keys {
            if let Some(open) = self.open.remove(key) {
                self.fold_open(open, None, None);
                if self.config.remember_closed {
                    self.closed.insert(key.clone(), self.generation);
                }
            }
        }
        keys.len()
    }
}

/// The optional fields of an interaction.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Extra<'a> {
    /// What the interaction cost. Must be finite and not negative.
    pub cost: Option<f64>,
    /// The value the customer received. Must be finite.
    pub value: Option<f64>,
    /// Who produced it.
    pub producer: Option<&'a str>,
}

impl Extra<'_> {
    #[inline]
    fn check(&self) -> Option<RejectReason> {
        match (self.cost, self.value) {
            (Some(c), _) if !c.is_finite() => Some(RejectReason::NonFiniteCost),
            (Some(c), _) if c < 0.0 => Some(RejectReason::NegativeCost),
            (_, Some(v)) if !v.is_finite() => Some(RejectReason::NonFiniteValue),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
