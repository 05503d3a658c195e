//! The columnar way in: a whole log (and its outcomes) as columns.

use hashbrown::HashMap;

use super::{Class, JourneyKey, Tracker};
use crate::Error;
use crate::events::{BadRows, Columns, Ids, Key, OutcomeColumns, RejectReason};

/// What one [`Tracker::ingest`] call did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct IngestSummary {
    /// Interaction rows read.
    pub rows: u64,
    /// Interaction rows accepted.
    pub accepted: u64,
    /// Interaction and outcome rows rejected (see [`Tracker::rejected`]).
    pub rejected: u64,
    /// Journeys closed by this call.
    pub journeys: u64,
    /// Outcome rows matched to a journey.
    pub outcomes: u64,
}

/// Resolves a row's MOT to the tracker's index, caching per distinct id.
enum MotLookup {
    Dict(Vec<Option<Result<u32, RejectReason>>>),
    Ints(HashMap<u64, Result<u32, RejectReason>>),
    Text,
}

struct Outcome {
    class: Class,
    value: Option<f64>,
    used: bool,
}

/// A valid outcome row.
struct OutRow<'k> {
    key: Key<'k>,
    row: usize,
    outcome: Outcome,
}

/// Finds each journey's outcome: a merge walk when journeys and outcomes
/// are both sorted by id (no hashing), else a hash index.
struct Matcher<'k> {
    outs: Vec<OutRow<'k>>,
    index: Option<HashMap<Key<'k>, usize>>,
    cursor: usize,
}

/// The journey of row `i` and the value that makes it fail `reason`, for
/// the error of a fail-fast read: `` journey `j3`, mot `teleport` ``.
fn at_fault(cols: &Columns<'_>, i: usize, reason: RejectReason) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(j) = cols
        .journey
        .get(i)
        .filter(|_| cols.journey_valid.is_valid(i))
    {
        parts.push(format!("journey `{j}`"));
    }
    let value = match reason {
        RejectReason::UnknownMot => cols.mot.get(i).map(|m| format!("mot `{m}`")),
        RejectReason::TimestampOutOfRange => {
            cols.timestamp.get(i).map(|t| format!("timestamp `{t}`"))
        }
        RejectReason::NegativeCost | RejectReason::NonFiniteCost => cols
            .cost
            .and_then(|c| c.get(i))
            .map(|c| format!("cost `{c}`")),
        RejectReason::NonFiniteValue => cols
            .value
            .and_then(|v| v.get(i))
            .map(|v| format!("value `{v}`")),
        _ => None,
    };
    parts.extend(value);
    (!parts.is_empty()).then(|| parts.join(", "))
}

impl<'k> Matcher<'k> {
    /// Keeps the first valid outcome of each journey; returns the rows of
    /// the others (duplicates).
    fn new(outs: Vec<OutRow<'k>>, merge: bool) -> (Matcher<'k>, Vec<usize>) {
        let mut duplicates = Vec::new();
        if merge {
            let mut kept: Vec<OutRow<'k>> = Vec::with_capacity(outs.len());
            for o in outs {
                if kept.last().is_some_and(|k| k.key == o.key) {
                    duplicates.push(o.row);
                } else {
                    kept.push(o);
                }
            }
            return (
                Matcher {
                    outs: kept,
                    index: None,
                    cursor: 0,
                },
                duplicates,
            );
        }
        let mut index: HashMap<Key<'k>, usize> = HashMap::with_capacity(outs.len());
        let mut kept: Vec<OutRow<'k>> = Vec::with_capacity(outs.len());
        for o in outs {
            if index.contains_key(&o.key) {
                duplicates.push(o.row);
            } else {
                index.insert(o.key, kept.len());
                kept.push(o);
            }
        }
        (
            Matcher {
                outs: kept,
                index: Some(index),
                cursor: 0,
            },
            duplicates,
        )
    }

    /// The outcome of `key`, marked used; in merge mode keys must come in
    /// increasing order.
    fn take(&mut self, key: Key<'k>) -> Option<&mut Outcome> {
        let at = match &self.index {
            Some(index) => *index.get(&key)?,
            None => {
                while self.cursor < self.outs.len() && self.outs[self.cursor].key < key {
                    self.cursor += 1;
                }
                if self.cursor >= self.outs.len() || self.outs[self.cursor].key != key {
                    return None;
                }
                self.cursor += 1;
                self.cursor - 1
            }
        };
        let o = &mut self.outs[at].outcome;
        o.used = true;
        Some(o)
    }

    /// Rows of valid outcomes no journey claimed.
    fn unused(&self) -> impl Iterator<Item = usize> + '_ {
        self.outs.iter().filter(|o| !o.outcome.used).map(|o| o.row)
    }
}

impl Tracker {
    /// Reads a whole log as columns, with its journey outcomes, and closes
    /// every journey in it.
    ///
    /// Rows are grouped by journey and ordered by timestamp within each,
    /// ties in input order. Input sorted by journey is read in one pass
    /// without hashing ids (fastest: integer journey ids, dictionary-encoded
    /// MOT ids, no nulls in the required columns); otherwise rows are
    /// bucketed by journey first. The result does not depend on the path. Journeys with
    /// no outcome row close with an unknown outcome. Rows of a journey that
    /// an earlier call closed are rejected as `after-close`.
    ///
    /// A large read into a fresh [`Tracker::one_shot`] tracker (a million
    /// rows or more per thread, sorted by integer journey id, no detectors)
    /// is cut between journeys and read on [`TrackerConfig::threads`](super::TrackerConfig::threads)
    /// threads, the parts merged as [`Tracker::merge`] merges: every count
    /// is that of one pass, float sums agree to 1e-12 relative.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::Columns`](crate::ErrorKind::Columns) when the columns
    ///   do not fit together; nothing is read.
    /// - With [`BadRows::Fail`]: [`ErrorKind::BadRow`](crate::ErrorKind::BadRow)
    ///   for the first bad row (its index in `events`, or in `outcomes` for
    ///   an outcome row); the tracker is left unchanged.
    ///
    /// # Example
    ///
    /// ```
    /// use mot_core::{Columns, Ids, OutcomeColumns, Tracker, TrackerConfig};
    ///
    /// let journeys = [1u64, 1, 2, 2, 2];
    /// let mots = ["search-book", "check-in", "search-book", "check-in", "bag-drop"];
    /// let ts = [100i64, 200, 100, 300, 200];
    /// let ok = [true, true, true, false, true];
    /// let events = Columns::new(Ids::U64(&journeys), Ids::Str(&mots), &ts, &ok);
    /// let outcomes = OutcomeColumns::new(Ids::U64(&[1, 2]), &[true, false]);
    ///
    /// let x = mot_core::sample::airline();
    /// let mut t = Tracker::new(&x, TrackerConfig::default());
    /// let summary = t.ingest(&events, Some(&outcomes))?;
    /// assert_eq!((summary.accepted, summary.journeys, summary.outcomes), (5, 2, 2));
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    #[cfg_attr(mot_speed, optimize(speed))]
    pub fn ingest(
        &mut self,
        events: &Columns<'_>,
        outcomes: Option<&OutcomeColumns<'_>>,
    ) -> Result<IngestSummary, Error> {
        // Large one-shot reads in parts, on threads (no detectors there).
        if let Some(result) = self.ingest_in_parts(events, outcomes) {
            return result;
        }
        let result = self.ingest_any(events, outcomes);
        // The detectors see the call's interactions in time order, once
        // they are all read (and none when the call failed).
        if result.is_ok() {
            self.run_detectors();
        } else {
            self.drop_detections();
        }
        result
    }

    pub(super) fn ingest_any(
        &mut self,
        events: &Columns<'_>,
        outcomes: Option<&OutcomeColumns<'_>>,
    ) -> Result<IngestSummary, Error> {
        events.check()?;
        if let Some(o) = outcomes {
            o.check()?;
        }
        // The limit on distinct MOTs, before anything changes: text and
        // integer ids on the fast path are checked once they are encoded.
        let text_mots = !matches!(events.mot, Ids::Dict { .. });
        if !text_mots {
            self.registry
                .check_column(&events.mot, self.config.limits.max_mots)?;
        }
        if let Some(result) = self.ingest_sorted(events, outcomes) {
            return result;
        }
        // A part of a read in parts that reads row by row numbers the MOTs
        // its own way.
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(h) = &self.scratch.handoff {
            h.pass_on(None);
        }
        if text_mots {
            self.registry
                .check_column(&events.mot, self.config.limits.max_mots)?;
        }
        if self.config.bad_rows == BadRows::Fail {
            let mut work = self.clone();
            let summary = work.ingest_inner(events, outcomes)?;
            *self = work;
            return Ok(summary);
        }
        self.ingest_inner(events, outcomes)
    }

    fn ingest_inner(
        &mut self,
        cols: &Columns<'_>,
        outcomes: Option<&OutcomeColumns<'_>>,
    ) -> Result<IngestSummary, Error> {
        let fail = self.config.bad_rows == BadRows::Fail;
        let rejected_before: u64 = self.agg.rejected.iter().sum();
        let journeys_before = self.agg.journeys;
        self.generation = self.generation.wrapping_add(1);
        let generation = self.generation;
        let n = cols.len();

        // Valid outcome rows, in input order; the first for a journey counts.
        let mut outs: Vec<OutRow<'_>> = Vec::new();
        if let Some(o) = outcomes {
            outs.reserve(o.len());
            for i in 0..o.len() {
                let reason = match o.journey.get(i).filter(|_| o.journey_valid.is_valid(i)) {
                    None => Some(RejectReason::MissingJourney),
                    Some(_) if !o.sco_valid.is_valid(i) => Some(RejectReason::MissingOutcome),
                    Some(_)
                        if o.value
                            .is_some_and(|v| o.value_valid.is_valid(i) && !v[i].is_finite()) =>
                    {
                        Some(RejectReason::NonFiniteValue)
                    }
                    Some(key) => {
                        outs.push(OutRow {
                            key,
                            row: i,
                            outcome: Outcome {
                                class: if o.sco[i] { Class::Sco } else { Class::NoSco },
                                value: o.value.filter(|_| o.value_valid.is_valid(i)).map(|v| v[i]),
                                used: false,
                            },
                        });
                        None
                    }
                };
                if let Some(reason) = reason {
                    if fail {
                        return Err(Error::bad_row(i as u64, reason, Some("outcome row".into())));
                    }
                    self.agg.reject(reason, 1);
                }
            }
        }
        let outcomes_sorted = outs.windows(2).all(|w| w[0].key <= w[1].key);

        // Group rows by journey: runs over the input if it is grouped,
        // else a stable bucket sort by journey.
        let key_at = |i: usize| {
            cols.journey
                .get(i)
                .filter(|_| cols.journey_valid.is_valid(i))
        };
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut order: Option<Vec<u32>> = None;
        let mut missing_journeys = 0usize;
        // Fast path: runs whose ids strictly increase (a log sorted by
        // journey) are grouped without hashing a single id.
        let mut increasing = true;
        {
            let mut current: Option<Key<'_>> = None;
            for i in 0..n {
                let Some(k) = key_at(i) else {
                    missing_journeys += 1;
                    continue;
                };
                match current {
                    Some(c) if c == k => {
                        if let Some(r) = runs.last_mut() {
                            r.1 = i + 1;
                        }
                    }
                    Some(c) if c > k => {
                        increasing = false;
                        break;
                    }
                    _ => {
                        current = Some(k);
                        runs.push((i, i + 1));
                    }
                }
            }
        }
        if !increasing {
            runs.clear();
            missing_journeys = 0;
            let mut seen: HashMap<Key<'_>, ()> = HashMap::new();
            let mut current: Option<Key<'_>> = None;
            let mut grouped = true;
            for i in 0..n {
                let Some(k) = key_at(i) else {
                    missing_journeys += 1;
                    continue;
                };
                if current == Some(k) {
                    if let Some(r) = runs.last_mut() {
                        r.1 = i + 1;
                    }
                    continue;
                }
                if seen.insert(k, ()).is_some() {
                    grouped = false;
                    break;
                }
                current = Some(k);
                runs.push((i, i + 1));
            }
            if !grouped {
                missing_journeys = 0;
                let mut number: HashMap<Key<'_>, u32> = HashMap::with_capacity(seen.len() * 2);
                let mut first_row: Vec<usize> = Vec::new();
                let mut journey_of = vec![u32::MAX; n];
                for (i, j) in journey_of.iter_mut().enumerate() {
                    match key_at(i) {
                        Some(k) => {
                            let next = number.len() as u32;
                            *j = *number.entry(k).or_insert_with(|| {
                                first_row.push(i);
                                next
                            });
                        }
                        None => missing_journeys += 1,
                    }
                }
                let mut start = vec![0usize; number.len() + 1];
                for &j in &journey_of {
                    if j != u32::MAX {
                        start[j as usize + 1] += 1;
                    }
                }
                for k in 1..start.len() {
                    start[k] += start[k - 1];
                }
                let mut fill = start.clone();
                let mut ord = vec![0u32; start[number.len()]];
                for (i, &j) in journey_of.iter().enumerate() {
                    if j != u32::MAX {
                        ord[fill[j as usize]] = i as u32;
                        fill[j as usize] += 1;
                    }
                }
                runs = (0..number.len())
                    .map(|j| (start[j], start[j + 1]))
                    .collect();
                order = Some(ord);
            }
        }
        if missing_journeys > 0 {
            if fail {
                let i = (0..n).find(|&i| key_at(i).is_none()).unwrap_or(0);
                return Err(Error::bad_row(i as u64, RejectReason::MissingJourney, None));
            }
            self.agg
                .reject(RejectReason::MissingJourney, missing_journeys as u64);
        }

        let (mut matcher, duplicates) = Matcher::new(outs, increasing && outcomes_sorted);
        if let Some(&row) = duplicates.first() {
            if fail {
                return Err(Error::bad_row(
                    row as u64,
                    RejectReason::DuplicateOutcome,
                    Some("outcome row".into()),
                ));
            }
            self.agg
                .reject(RejectReason::DuplicateOutcome, duplicates.len() as u64);
        }

        // The MOT of each row.
        let mut lookup = match cols.mot {
            Ids::Dict { values, .. } => MotLookup::Dict(vec![None; values.len()]),
            Ids::U64(_) | Ids::U32(_) | Ids::U16(_) | Ids::I64(_) => {
                MotLookup::Ints(HashMap::new())
            }
            _ => MotLookup::Text,
        };
        let unit = cols.time_unit;
        let mut events: Vec<(i64, u32, Option<bool>)> = Vec::new();
        let mut accepted = 0u64;
        let mut matched = 0u64;

        let any_missing = missing_journeys > 0;
        let mut clock = super::Clock::new(&self.config);
        for (start, end) in runs {
            let row_at = |k: usize| match &order {
                Some(o) => o[k] as usize,
                None => k,
            };
            // The journey's id: that of its first row with one.
            let Some((first, key)) = (start..end).find_map(|k| key_at(row_at(k)).map(|jk| (k, jk)))
            else {
                continue;
            };
            if self.config.remember_closed
                && self.closed.get(&key).is_some_and(|&g| g != generation)
            {
                let late = (first..end)
                    .filter(|&k| key_at(row_at(k)).is_some())
                    .count();
                if fail {
                    return Err(Error::bad_row(
                        row_at(first) as u64,
                        RejectReason::AfterClose,
                        Some(format!("journey `{key}`")),
                    ));
                }
                self.agg.reject(RejectReason::AfterClose, late as u64);
                if matcher.take(key).is_some() {
                    self.agg.reject(RejectReason::DuplicateOutcome, 1);
                }
                continue;
            }
            // One pass in input order: per-row counts do not depend on
            // order; the journey's sequence is sorted afterwards if needed.
            events.clear();
            let mut sorted = true;
            let mut last_ts = i64::MIN;
            for k in first..end {
                let i = row_at(k);
                if any_missing && key_at(i).is_none() {
                    continue;
                }
                match self.check_row(cols, i, unit, &mut lookup) {
                    Ok((ts, m, success, cost, value)) => {
                        let secs = ts.div_euclid(super::NANOS);
                        let producer = cols.producer.and_then(|p| match p.get(i) {
                            Some(Key::Str(s)) => Some(s),
                            _ => None,
                        });
                        if m as usize >= self.agg.mots.len() {
                            self.agg.ensure(self.registry.len());
                        }
                        self.agg
                            .count_row(&mut clock, m, secs, success, cost, value, producer);
                        self.detect_later(m, ts, i, success);
                        sorted &= ts >= last_ts;
                        last_ts = ts;
                        events.push((ts, m, success));
                    }
                    Err(reason) => {
                        if fail {
                            return Err(Error::bad_row(
                                i as u64,
                                reason,
                                at_fault(cols, i, reason),
                            ));
                        }
                        self.agg.reject(reason, 1);
                    }
                }
            }
            if !sorted {
                events.sort_by_key(|e| e.0); // stable: ties keep input order
            }
            accepted += events.len() as u64;
            let outcome = matcher.take(key).map(|o| (o.class, o.value));
            if events.is_empty() {
                if outcome.is_some() {
                    self.agg.reject(RejectReason::OutcomeWithoutInteractions, 1);
                }
                continue;
            }
            matched += u64::from(outcome.is_some());
            let (class, value) = match outcome {
                Some((class, value)) => (class, value),
                None => {
                    self.refresh_rule();
                    let class = self
                        .scratch
                        .class_of(None, events.iter().map(|&(_, m, ok)| (m, ok)));
                    (class, None)
                }
            };
            self.agg.fold_journey(
                &mut self.scratch,
                events.iter().map(|&(ts, m, ok)| (m, ts, ok)),
                class,
                value,
            );
            if self.config.remember_closed {
                self.closed.insert(JourneyKey::from(key), generation);
            }
        }
        let orphans = matcher.unused().count() as u64;
        if orphans > 0 {
            if fail {
                let row = matcher.unused().next().unwrap_or(0);
                return Err(Error::bad_row(
                    row as u64,
                    RejectReason::OutcomeWithoutInteractions,
                    Some("outcome row".into()),
                ));
            }
            self.agg
                .reject(RejectReason::OutcomeWithoutInteractions, orphans);
        }
        let rejected_after: u64 = self.agg.rejected.iter().sum();
        Ok(IngestSummary {
            rows: n as u64,
            accepted,
            rejected: rejected_after - rejected_before,
            journeys: self.agg.journeys - journeys_before,
            outcomes: matched,
        })
    }

    /// Checks one interaction row: its timestamp (returned in
    /// nanoseconds), MOT, success, cost, value.
    #[inline]
    #[allow(clippy::type_complexity)]
    fn check_row(
        &mut self,
        cols: &Columns<'_>,
        i: usize,
        unit: crate::TimeUnit,
        lookup: &mut MotLookup,
    ) -> Result<(i64, u32, Option<bool>, Option<f64>, Option<f64>), RejectReason> {
        if let Some(reason) = cols.unreadable.and_then(|u| u[i]) {
            return Err(reason);
        }
        let cost = cols
            .cost
            .filter(|_| cols.cost_valid.is_valid(i))
            .map(|c| c[i]);
        let value = cols
            .value
            .filter(|_| cols.value_valid.is_valid(i))
            .map(|v| v[i]);
        let ts = super::check_values(
            cols.timestamp_valid.is_valid(i).then(|| cols.timestamp[i]),
            unit,
            cols.success.is_some() && !cols.success_valid.is_valid(i),
            cost,
            value,
        )?;
        if !cols.mot_valid.is_valid(i) {
            return Err(RejectReason::MissingMot);
        }
        let m = match (lookup, cols.mot) {
            (MotLookup::Dict(cache), Ids::Dict { codes, values }) => {
                let code = codes[i] as usize;
                match cache.get_mut(code) {
                    None => Err(RejectReason::MissingMot),
                    Some(Some(r)) => *r,
                    Some(slot) => {
                        let r = self.registry.resolve(values[code]);
                        *slot = Some(r);
                        r
                    }
                }
            }
            (MotLookup::Ints(cache), ids) => match ids.get(i) {
                Some(Key::Int(v)) => match cache.get(&v) {
                    Some(r) => *r,
                    None => {
                        let text = match ids {
                            Ids::I64(_) => (v as i64).to_string(),
                            _ => v.to_string(),
                        };
                        let r = self.registry.resolve(&text);
                        cache.insert(v, r);
                        r
                    }
                },
                _ => Err(RejectReason::MissingMot),
            },
            (_, ids) => match ids.get(i) {
                Some(Key::Str(s)) => self.registry.resolve(s),
                _ => Err(RejectReason::MissingMot),
            },
        }?;
        Ok((ts, m, cols.success.map(|s| s[i]), cost, value))
    }
}
