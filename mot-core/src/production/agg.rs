//! The mergeable aggregates behind every dashboard figure.

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::scratch::Mark;
use super::times::EdgeTimes;
use super::variants::{Variants, hash_seq};
use super::{Scratch, TrackerConfig};
use crate::Period;
use crate::conformance::GapStats;
use crate::events::RejectReason;
use crate::numeric::Sum;
use crate::timing::Timing;
use crate::trend::{PeriodCache, Series};

/// Period lookups for a run of rows: the UTC day, and the configured
/// period when it is not a day.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    pub(crate) day: PeriodCache,
    pub(crate) period: Option<PeriodCache>,
}

impl Clock {
    pub(crate) fn new(config: &TrackerConfig) -> Clock {
        Clock {
            day: PeriodCache::new(Period::Day),
            period: (config.period != Period::Day).then(|| PeriodCache::new(config.period)),
        }
    }
}

/// Variants and edges of a state merged in (both at least) for the
/// variants and the durations to merge on two threads (small in tests, so
/// that every merge test takes that route too).
const APART: (usize, usize) = if cfg!(test) {
    (8, 4)
} else {
    (1 << 14, 1 << 10)
};

/// A closed journey's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// Produced the SCO.
    Sco = 0,
    /// Known not to have produced it (including abandoned journeys).
    NoSco = 1,
    /// No outcome known.
    Unknown = 2,
}

/// Counts for one MOT.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct MotStats {
    /// Interactions.
    pub(crate) n: u64,
    /// Interactions whose success is known (all of them, unless the log
    /// had no success column). Rates are over these.
    pub(crate) judged: u64,
    /// Successful interactions.
    pub(crate) s: u64,
    pub(crate) cost: Sum,
    pub(crate) cost_rows: u64,
    pub(crate) value: Sum,
    pub(crate) value_rows: u64,
    /// Closed journeys with at least one interaction with this MOT.
    pub(crate) journeys: u64,
    /// ... of those with a known outcome in which it never failed, and how
    /// many of those produced the SCO.
    pub(crate) ok_known: u64,
    pub(crate) ok_sco: u64,
    /// ... with a known outcome in which it failed at least once.
    pub(crate) fail_known: u64,
    pub(crate) fail_sco: u64,
    /// Per UTC day (interactions whose success is known).
    pub(crate) days: Series,
    /// Per configured period (empty when the period is a day).
    pub(crate) periods: Series,
    /// Over closed journeys, against the designed journey: steps missing,
    /// extra (repeats) and undesigned interactions with this MOT — kept
    /// only without a variant table (with one, the dashboard measures each
    /// distinct sequence instead).
    pub(crate) gap: [u64; 3],
    /// Its detector's state (default without a detector).
    pub(crate) cusum: crate::cusum::CusumState,
}

/// Transition counts between states, per outcome class. From-states: 0 is
/// the start, `m + 1` is MOT `m`. To-states: 0 is the end, `m + 1` is MOT `m`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Transitions {
    dim: u32,
    dense: Vec<[u64; 3]>,
    #[serde(serialize_with = "sorted")]
    sparse: HashMap<(u32, u32), [u64; 3]>,
}

/// Serialises a hash map in key order, so equal states give equal bytes.
fn sorted<K: Ord + Serialize, V: Serialize, S: serde::Serializer>(
    map: &HashMap<K, V>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut entries: Vec<(&K, &V)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    serializer.collect_map(entries)
}

/// Above this many MOTs the transition table is kept sparse.
const DENSE_MOTS: usize = 1024;

impl Transitions {
    pub(super) fn ensure(&mut self, mots: usize) {
        let dim = mots as u32 + 1;
        if dim <= self.dim {
            return;
        }
        if mots > DENSE_MOTS {
            if !self.dense.is_empty() {
                let moved: Vec<_> = self.iter().collect();
                self.dense = Vec::new();
                for (f, t, c) in moved {
                    self.sparse.insert((f, t), c);
                }
            }
            self.dim = dim;
            return;
        }
        let old = std::mem::take(&mut self.dense);
        let old_dim = self.dim as usize;
        let d = dim as usize;
        self.dense = vec![[0; 3]; d * d];
        for f in 0..old_dim {
            for t in 0..old_dim {
                self.dense[f * d + t] = old[f * old_dim + t];
            }
        }
        self.dim = dim;
    }

    #[inline(always)]
    pub(super) fn add(&mut self, from: u32, to: u32, class: usize, n: u64) {
        let d = self.dim as usize;
        if let Some(c) = self.dense.get_mut(from as usize * d + to as usize) {
            c[class] += n;
        } else {
            self.add_sparse(from, to, class, n);
        }
    }

    #[inline(never)]
    fn add_sparse(&mut self, from: u32, to: u32, class: usize, n: u64) {
        self.sparse.entry((from, to)).or_default()[class] += n;
    }

    /// `(from, to, counts)` for every transition seen, in index order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, u32, [u64; 3])> + '_ {
        let d = (self.dim as usize).max(1);
        let dense = self
            .dense
            .iter()
            .enumerate()
            .filter(|(_, c)| c.iter().any(|&x| x > 0))
            .map(move |(k, c)| ((k / d) as u32, (k % d) as u32, *c));
        let mut sparse: Vec<_> = self.sparse.iter().map(|(&(f, t), &c)| (f, t, c)).collect();
        sparse.sort_unstable_by_key(|&(f, t, _)| (f, t));
        dense.chain(sparse)
    }

    pub(crate) fn check(&self, mots: usize) -> Result<(), String> {
        let d = self.dim as usize;
        if d != mots + 1 && !(mots == 0 && d == 0) {
            return Err(format!("transition table of {d} states for {mots} mots"));
        }
        if !self.dense.is_empty() && self.dense.len() != d * d {
            return Err("transition table has the wrong size".into());
        }
        if self
            .sparse
            .keys()
            .any(|&(f, t)| f as usize >= d.max(1) || t as usize >= d.max(1))
        {
            return Err("transition to an unknown state".into());
        }
        Ok(())
    }
}

/// Everything a dashboard is computed from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Aggregates {
    pub(crate) mots: Vec<MotStats>,
    pub(crate) transitions: Transitions,
    /// Transitions between (MOT, failed) states ([`crate::risk::state`]),
    /// per outcome: the chain behind journeys at risk.
    pub(crate) risk: Transitions,
    /// Distinct MOT sequences of closed journeys, with their counts.
    pub(crate) variants: Variants,
    /// Conformance of closed journeys to the designed journey (all zero
    /// without a design).
    pub(crate) gap: GapStats,
    /// Time between consecutive interactions of closed journeys, per
    /// directly-follows edge `(from MOT, to MOT)`.
    pub(crate) edge_times: EdgeTimes,
    /// First to last interaction of closed journeys.
    pub(crate) journey_time: Timing,
    /// Interactions, successes and interactions with a known success, per
    /// producer.
    #[serde(serialize_with = "sorted")]
    pub(crate) producers: HashMap<Box<str>, [u64; 3]>,
    pub(crate) interactions: u64,
    /// Interactions of closed journeys.
    pub(crate) journey_interactions: u64,
    pub(crate) journeys: u64,
    /// Journeys with a known outcome, and those that produced the SCO.
    pub(crate) known: u64,
    pub(crate) sco: u64,
    /// The same per trend period of the journey's first interaction
    /// (before/after comparisons read the SCO rate of a window from it).
    pub(crate) sco_periods: Series,
    /// Journeys closed by the inactivity timeout.
    pub(crate) abandoned: u64,
    /// Revenue of journeys with a value, and of those that produced the SCO.
    pub(crate) value: Sum,
    pub(crate) value_journeys: u64,
    pub(crate) sco_value: Sum,
    /// Rejected rows by reason, in [`RejectReason::ALL`] order.
    pub(crate) rejected: Vec<u64>,
}

impl Aggregates {
    pub(crate) fn ensure(&mut self, mots: usize) {
        if self.mots.len() < mots {
            self.mots.resize_with(mots, MotStats::default);
        }
        self.transitions.ensure(mots);
        self.risk.ensure(2 * mots);
        self.edge_times.ensure(mots);
        if self.rejected.len() < RejectReason::ALL.len() {
            self.rejected.resize(RejectReason::ALL.len(), 0);
        }
    }

    #[inline]
    pub(crate) fn reject(&mut self, reason: RejectReason, n: u64) {
        if self.rejected.len() < RejectReason::ALL.len() {
            self.rejected.resize(RejectReason::ALL.len(), 0);
        }
        self.rejected[reason as usize] += n;
    }

    /// Counts one accepted interaction.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn count_row(
        &mut self,
        clock: &mut Clock,
        mot: u32,
        seconds: i64,
        success: Option<bool>,
        cost: Option<f64>,
        value: Option<f64>,
        producer: Option<&str>,
    ) {
        self.interactions += 1;
        let m = &mut self.mots[mot as usize];
        m.n += 1;
        if let Some(ok) = success {
            m.judged += 1;
            m.s += u64::from(ok);
            m.days.add(clock.day.index(seconds), 1, u64::from(ok));
            if let Some(p) = &mut clock.period {
                m.periods.add(p.index(seconds), 1, u64::from(ok));
            }
        }
        if let Some(c) = cost {
            m.cost.add(c);
            m.cost_rows += 1;
        }
        if let Some(v) = value {
            m.value.add(v);
            m.value_rows += 1;
        }
        if let Some(p) = producer.filter(|p| !p.is_empty()) {
            let c = match self.producers.get_mut(p) {
                Some(c) => c,
                None => self.producers.entry(p.into()).or_default(),
            };
            c[0] += 1;
            c[1] += u64::from(success == Some(true));
            c[2] += u64::from(success.is_some());
        }
    }

    /// Adds one closed journey: its MOT sequence (in time order) with
    /// success flags, its outcome and revenue.
    pub(crate) fn fold_journey(
        &mut self,
        scratch: &mut Scratch,
        events: impl Iterator<Item = (u32, i64, Option<bool>)>,
        class: Class,
        value: Option<f64>,
    ) {
        self.begin_journey(scratch);
        for (m, ts, success) in events {
            self.step(scratch, m, ts, success, class);
        }
        self.end_journey(scratch, class, value);
    }

    /// Starts a journey: [`Aggregates::step`] then adds its interactions in
    /// time order and [`Aggregates::end_journey`] closes it.
    #[inline(always)]
    pub(crate) fn begin_journey(&mut self, scratch: &mut Scratch) {
        if scratch.marks.len() < self.mots.len() {
            scratch.marks.resize(self.mots.len(), 0);
        }
        scratch.clock += 1;
        scratch.seq.clear();
        scratch.prev = 0;
        scratch.prev_risk = 0;
    }

    /// The next interaction of the current journey (MOT `m` must exist),
    /// at `ts` nanoseconds.
    #[inline(always)]
    pub(crate) fn step(
        &mut self,
        scratch: &mut Scratch,
        m: u32,
        ts: i64,
        success: Option<bool>,
        class: Class,
    ) {
        let i = m as usize;
        if i >= scratch.marks.len() {
            scratch.marks.resize(i + 1, 0);
        }
        // The MOT's mark: this journey's clock, and the flags so far (or
        // none, when its mark is an earlier journey's).
        let mark = scratch.marks[i];
        let now = scratch.clock << 2;
        let flags = if mark & !3 == now { mark & 3 } else { 0 };
        scratch.marks[i] = now | flags | Mark::of(success);
        let state = crate::risk::state(m, success == Some(false));
        if scratch.chain.on() {
            scratch.chain.add(class, scratch.prev_risk, state);
        } else {
            self.transitions.add(scratch.prev, m + 1, class as usize, 1);
            self.risk.add(scratch.prev_risk, state, class as usize, 1);
        }
        scratch.prev_risk = state;
        if scratch.prev == 0 {
            scratch.first_ts = ts;
        } else if scratch.durations {
            self.edge_times
                .add(scratch.prev - 1, m, ts - scratch.last_ts, scratch.batching);
        }
        scratch.last_ts = ts;
        scratch.prev = m + 1;
        scratch.seq.push(m);
    }

    /// Closes the current journey with its outcome and revenue.
    #[cfg_attr(mot_speed, optimize(speed))]
    pub(crate) fn end_journey(&mut self, scratch: &mut Scratch, class: Class, value: Option<f64>) {
        let clock = scratch.clock;
        if scratch.chain.on() {
            scratch.chain.add(class, scratch.prev_risk, 0);
        } else {
            self.transitions.add(scratch.prev, 0, class as usize, 1);
            self.risk.add(scratch.prev_risk, 0, class as usize, 1);
        }
        let known = class != Class::Unknown;
        let sco = class == Class::Sco;
        for &m in &scratch.seq {
            let i = m as usize;
            let mark = scratch.marks[i];
            if mark & !3 != clock << 2 {
                continue; // already counted for this journey
            }
            // Counted: an earlier clock's mark (never equals a later one).
            scratch.marks[i] = (clock - 1) << 2;
            let st = &mut self.mots[i];
            st.journeys += 1;
            // Lift compares journeys in which the MOT never failed with
            // those in which it failed: a journey where no interaction with
            // it had a known success is in neither group.
            if known && mark & Mark::JUDGED != 0 {
                if mark & Mark::FAILED != 0 {
                    st.fail_known += 1;
                    st.fail_sco += u64::from(sco);
                } else {
                    st.ok_known += 1;
                    st.ok_sco += u64::from(sco);
                }
            }
        }
        if scratch.track_variants {
            let hash = hash_seq(&scratch.seq);
            if scratch.batching {
                scratch.batch.push(&scratch.seq, hash);
            } else {
                self.variants.add(&scratch.seq, hash, 1);
            }
        }
        if scratch.design.is_some() {
            self.fold_gap(scratch, known.then_some(sco));
        }
        if scratch.durations && !scratch.seq.is_empty() {
            self.journey_time
                .add_nanos(scratch.last_ts - scratch.first_ts);
        }
        self.journeys += 1;
        self.journey_interactions += scratch.seq.len() as u64;
        self.known += u64::from(known);
        self.sco += u64::from(sco);
        if known && !scratch.seq.is_empty() {
            let period = scratch.first_period.index(scratch.first_ts);
            self.sco_periods.add(period, 1, u64::from(sco));
        }
        if let Some(v) = value {
            self.value.add(v);
            self.value_journeys += 1;
            if sco {
                self.sco_value.add(v);
            }
        }
    }

    /// Merges the variants and the durations of `other`: on two threads
    /// when `threads` allows and both are large.
    fn merge_sequences(
        &mut self,
        other: &Aggregates,
        map: &[u32],
        variants_map: Option<&[u32]>,
        threads: usize,
    ) {
        let (variants, edge_times) = (&mut self.variants, &mut self.edge_times);
        let small = other.variants.len() < APART.0 || other.edge_times.len() < APART.1;
        crate::threads::both(
            if small { 1 } else { threads },
            || variants.merge(&other.variants, variants_map),
            || edge_times.merge(&other.edge_times, map),
        );
    }

    /// Adds what journeys closed during a bulk read queued
    /// ([`Scratch::batching`]) and stops queueing.
    pub(crate) fn flush(&mut self, scratch: &mut Scratch) {
        scratch.batching = false;
        if !scratch.defer_variants {
            self.variants
                .add_batches(&mut [&mut scratch.batch], scratch.threads);
        }
        self.edge_times.flush();
        scratch.chain.flush(&mut self.transitions, &mut self.risk);
    }

    /// Adds the current journey to the conformance counts: whether it
    /// followed the design exactly, its outcome, the period of its first
    /// interaction; and, without a variant table, its deviation (with one,
    /// the dashboard measures each distinct sequence once instead).
    fn fold_gap(&mut self, scratch: &mut Scratch, sco: Option<bool>) {
        let Scratch {
            design,
            gap,
            seq,
            first_ts,
            first_period,
            track_variants,
            ..
        } = scratch;
        let Some(design) = design.as_ref() else {
            return;
        };
        let conforms = seq.len() == design.steps().len() && *seq == design.steps();
        let period = first_period.index(*first_ts);
        self.gap.add(conforms, sco, period);
        if !*track_variants {
            let mots = &mut self.mots;
            let dev = design.measure(seq, gap, |c, missing, extra, undesigned| {
                let g = &mut mots[c as usize].gap;
                g[0] += u64::from(missing);
                g[1] += u64::from(extra);
                g[2] += u64::from(undesigned);
            });
            self.gap.sums.add(&dev, 1);
        }
    }

    /// Adds `other`, whose MOT `m` is this state's `map[m]`.
    ///
    /// With `threads` other than 1 and large enough states, the variants
    /// and the durations (the two costly parts) merge on two threads.
    pub(crate) fn merge(&mut self, other: &Aggregates, map: &[u32], mots: usize, threads: usize) {
        self.ensure(mots);
        for (m, o) in other.mots.iter().enumerate() {
            let st = &mut self.mots[map[m] as usize];
            st.n += o.n;
            st.judged += o.judged;
            st.s += o.s;
            st.cost.merge(o.cost);
            st.cost_rows += o.cost_rows;
            st.value.merge(o.value);
            st.value_rows += o.value_rows;
            st.journeys += o.journeys;
            st.ok_known += o.ok_known;
            st.ok_sco += o.ok_sco;
            st.fail_known += o.fail_known;
            st.fail_sco += o.fail_sco;
            st.days.merge(&o.days);
            st.periods.merge(&o.periods);
            for (a, b) in st.gap.iter_mut().zip(o.gap) {
                *a += b;
            }
        }
        let state = |s: u32| if s == 0 { 0 } else { map[s as usize - 1] + 1 };
        for (f, t, counts) in other.transitions.iter() {
            for (c, &k) in counts.iter().enumerate() {
                if k > 0 {
                    self.transitions.add(state(f), state(t), c, k);
                }
            }
        }
        let risk_state = |s: u32| {
            if s == 0 {
                0
            } else {
                crate::risk::state(map[(s as usize - 1) / 2], (s - 1) % 2 == 1)
            }
        };
        for (f, t, counts) in other.risk.iter() {
            for (c, &k) in counts.iter().enumerate() {
                if k > 0 {
                    self.risk.add(risk_state(f), risk_state(t), c, k);
                }
            }
        }
        let variants_map = (!super::is_identity(map)).then_some(map);
        self.merge_sequences(other, map, variants_map, threads);
        self.gap.merge(&other.gap);
        self.journey_time.merge(&other.journey_time);
        for (p, c) in &other.producers {
            let mine = self.producers.entry(p.clone()).or_default();
            for (a, b) in mine.iter_mut().zip(c) {
                *a += b;
            }
        }
        self.interactions += other.interactions;
        self.journey_interactions += other.journey_interactions;
        self.journeys += other.journeys;
        self.known += other.known;
        self.sco += other.sco;
        self.sco_periods.merge(&other.sco_periods);
        self.abandoned += other.abandoned;
        self.value.merge(other.value);
        self.value_journeys += other.value_journeys;
        self.sco_value.merge(other.sco_value);
        for (i, &n) in other.rejected.iter().enumerate() {
            if let Some(&reason) = RejectReason::ALL.get(i) {
                self.reject(reason, n);
            }
        }
    }

    /// Checks the invariants a decoded state must keep, so that nothing
    /// later can index out of bounds.
    pub(crate) fn check(&self, mots: usize) -> Result<(), String> {
        // No real log comes near 2^56 rows; below it, merging even 256
        // states cannot overflow a counter.
        const LIMIT: u64 = 1 << 56;
        let too_big = |x: u64| x >= LIMIT;
        // The table's shape first: iterating a malformed one is not safe.
        self.transitions.check(mots)?;
        self.risk.check(2 * mots)?;
        if self.journey_interactions > self.interactions {
            return Err("journey interactions exceed interactions".into());
        }
        if [self.interactions, self.journeys, self.value_journeys]
            .into_iter()
            .any(too_big)
            || self.rejected.iter().copied().any(too_big)
            || self.variants.iter().any(|(_, c)| too_big(c))
            || self
                .producers
                .values()
                .any(|c| too_big(c[0]) || c[1] > c[2] || c[2] > c[0])
            || self
                .transitions
                .iter()
                .any(|(_, _, c)| c.iter().copied().any(too_big))
        {
            return Err("a count is out of range".into());
        }
        if self.mots.len() != mots {
            return Err(format!("{} mot counters for {mots} mots", self.mots.len()));
        }
        self.transitions.check(mots)?;
        if self
            .variants
            .iter()
            .flat_map(|(s, _)| s.iter())
            .any(|&m| m as usize >= mots)
        {
            return Err("a variant names an unknown mot".into());
        }
        if self.rejected.len() > RejectReason::ALL.len() {
            return Err("more reject reasons than this version knows".into());
        }
        for st in &self.mots {
            if st.s > st.judged
                || st.judged > st.n
                || st.ok_sco > st.ok_known
                || st.fail_sco > st.fail_known
            {
                return Err("a count of successes exceeds its total".into());
            }
            st.days.check()?;
            st.periods.check()?;
            if st.n >= LIMIT
                || st.journeys >= LIMIT
                || st.cost_rows > st.n
                || st.value_rows > st.n
                || st.cusum.alarms > st.judged
            {
                return Err("a mot's counts are out of range".into());
            }
            let in_series = st
                .days
                .iter()
                .fold(0u64, |a, (_, n, _)| a.saturating_add(n));
            if in_series != st.judged || st.days.iter().any(|(_, n, s)| s > n) {
                return Err("a mot's daily counts do not add up".into());
            }
        }
        if self.sco > self.known || self.known > self.journeys {
            return Err("journey counts are inconsistent".into());
        }
        self.sco_periods.check()?;
        let (in_periods, sco_in_periods) = self
            .sco_periods
            .iter()
            .fold((0u64, 0u64), |(a, b), (_, n, s)| {
                (a.saturating_add(n), b.saturating_add(s))
            });
        if in_periods > self.known
            || sco_in_periods > self.sco
            || self.sco_periods.iter().any(|(_, n, s)| s > n)
        {
            return Err("journey counts per period are inconsistent".into());
        }
        self.gap.check()?;
        if self.gap.journeys > self.journeys
            || self.journey_time.count() > self.journeys
            || !self.edge_times.check(mots)
            || self
                .mots
                .iter()
                .any(|st| st.gap.iter().copied().any(too_big))
        {
            return Err("conformance or duration figures are out of range".into());
        }
        Ok(())
    }
}
