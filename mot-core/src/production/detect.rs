//! The sequential detectors and journeys at risk, as a tracker runs them:
//! feeding each interaction to its MOT's CUSUM ([`crate::cusum`]) — at
//! once on the row API, in time order at the end of a columnar call —,
//! queuing alarms, rerunning the detectors per period after a merge, and
//! listing the open journeys least likely to reach the SCO
//! ([`crate::risk`]).

use super::{Event, NANOS, Tracker};
use crate::Period;
use crate::cusum::{Alarm, Cusum};

/// An interaction kept for the detectors by a columnar call: when, its
/// row, its MOT (the top bit: it failed). 16 bytes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Detection {
    pub(crate) ns: i64,
    pub(crate) row: u32,
    pub(crate) mot: u32,
}

impl Detection {
    #[inline]
    pub(crate) fn key(&self) -> (i64, u32) {
        (self.ns, self.row)
    }
}

/// The interactions of one clean columnar call that have a detector,
/// grouped by MOT, each packed in a word: `(t − first) << shift | row << 1
/// | failed`, where `t` is the timestamp in the column's unit. Ordering a
/// MOT's words by their time bits (a stable radix sort) puts its
/// interactions in time order, ties in row order. A word is half a
/// [`Detection`] record, and grouping reads the columns, not records.
#[derive(Clone, Debug)]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) struct Grouped {
    words: Vec<u64>,
    /// Where each MOT's words start (MOTs + 1 entries).
    start: Vec<usize>,
    /// The earliest timestamp of the call, in the column's unit.
    first: i64,
    /// Nanoseconds per unit of the column.
    factor: i64,
    /// Bits below the time: the row and the failed flag.
    shift: u32,
    /// Bits of the time offset.
    time_bits: u32,
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
impl Grouped {
    /// The call's interactions grouped by MOT (`map[code]`), when the
    /// offsets from `first` and the rows fit one word together; `None`
    /// otherwise. `per_mot[m][0]` is how many rows MOT `m` has; only MOTs
    /// with `has[m]` are kept.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        codes: &[u32],
        map: &[u32],
        timestamps: &[i64],
        success: &[bool],
        (first, last): (i64, i64),
        factor: i64,
        per_mot: &[[u64; 2]],
        has: &[bool],
    ) -> Option<Grouped> {
        let n = codes.len() as u64;
        let shift = u64::BITS - n.leading_zeros() + 1;
        let time_bits = u64::BITS - last.abs_diff(first).leading_zeros();
        if shift + time_bits > u64::BITS {
            return None;
        }
        let mut start = vec![0usize; per_mot.len() + 1];
        for (m, c) in per_mot.iter().enumerate() {
            let kept = if has[m] { c[0] as usize } else { 0 };
            start[m + 1] = start[m] + kept;
        }
        let mut words = vec![0u64; start[per_mot.len()]];
        let mut next = start.clone();
        let rows = codes.iter().zip(timestamps).zip(success).enumerate();
        for (r, ((&c, &t), &ok)) in rows {
            let m = map[c as usize] as usize;
            if has[m] {
                words[next[m]] = t.abs_diff(first) << shift | (r as u64) << 1 | u64::from(!ok);
                next[m] += 1;
            }
        }
        Some(Grouped {
            words,
            start,
            first,
            factor,
            shift,
            time_bits,
        })
    }
}

/// Orders `words` by their bits `shift .. shift + bits` (stable: ties
/// keep their order) by [`super::group::radix`]; words already in order
/// cost one read.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) fn sort_words(words: &mut [u64], room: &mut Vec<u64>, shift: u32, bits: u32) {
    let key = |w: u64| w >> shift;
    if words.windows(2).all(|p| key(p[0]) <= key(p[1])) {
        return;
    }
    if super::group::radix(words, room, bits, key) {
        words.copy_from_slice(&room[..words.len()]);
    }
}

/// `batch` in time order, ties in row order: a counting sort on a coarse
/// time bucket (a power of two of nanoseconds, so a shift finds it, sized
/// for about 4 interactions a bucket), then each bucket sorted — linear but
/// for the small sorts, where one sort of the whole batch (rows grouped by
/// journey, not time) would cost n·log n.
#[cfg(test)]
pub(super) fn sort_by_time(batch: Vec<Detection>) -> Vec<Detection> {
    let mut out = vec![
        Detection {
            ns: 0,
            row: 0,
            mot: 0
        };
        batch.len()
    ];
    sort_into(&batch, &mut out);
    out
}

/// [`sort_by_time`] of `from` into `to` (of the same length).
fn sort_into(from: &[Detection], to: &mut [Detection]) {
    let n = from.len();
    if n == 0 {
        return;
    }
    let (lo, hi) = from
        .iter()
        .fold((i64::MAX, i64::MIN), |(a, b), d| (a.min(d.ns), b.max(d.ns)));
    // Offsets from the earliest fit in a u64.
    let span = hi.abs_diff(lo);
    let wanted = (n / 4).clamp(1, 1 << 22) as u64;
    let shift = (u64::BITS - (span / wanted).leading_zeros()).min(63);
    let buckets = (span >> shift) as usize + 1;
    let start = super::group::by_key(from, to, buckets, |d| (d.ns.abs_diff(lo) >> shift) as usize);
    // Each bucket: a few interactions, ordered by (time, row) with an
    // insertion sort (a larger one sorted whole).
    for b in 0..buckets {
        let run = &mut to[start[b]..start[b + 1]];
        if run.len() > 16 {
            run.sort_unstable_by_key(Detection::key);
            continue;
        }
        for i in 1..run.len() {
            let d = run[i];
            let mut j = i;
            while j > 0 && run[j - 1].key() > d.key() {
                run[j] = run[j - 1];
                j -= 1;
            }
            run[j] = d;
        }
    }
}

/// `batch` grouped by MOT (stable: each MOT's interactions keep their
/// order), with where each MOT's run starts.
fn by_mot(batch: &[Detection], mots: usize) -> (Vec<Detection>, Vec<usize>) {
    let empty = Detection {
        ns: 0,
        row: 0,
        mot: 0,
    };
    let mut out = vec![empty; batch.len()];
    let start = super::group::by_key(batch, &mut out, mots, |d| (d.mot & !(1 << 31)) as usize);
    (out, start)
}

impl Tracker {
    /// Feeds MOT `m`'s detector one interaction at `ns` (row API: at once,
    /// in the order interactions arrive); queues an alarm when it fires.
    /// Whether it fired.
    #[inline]
    pub(super) fn detect(&mut self, m: u32, ns: i64, failed: bool) -> bool {
        let Some(Some(d)) = self.detectors.get(m as usize) else {
            return false;
        };
        let d = *d;
        let st = &mut self.agg.mots[m as usize].cusum;
        if let Some(crossed) = d.step(&mut st.s, failed) {
            self.fire(m, ns, crossed, &d);
            return true;
        }
        false
    }

    /// Records an alarm of MOT `m`'s detector `d` at `ns`: counted, last
    /// alarm, queued.
    fn fire(&mut self, m: u32, ns: i64, crossed: u32, d: &Cusum) {
        let st = &mut self.agg.mots[m as usize].cusum;
        st.alarms += 1;
        st.last = Some((ns, crossed));
        self.alarms.push(self.alarm(m, ns, crossed, d));
    }

    fn alarm(&self, m: u32, ns: i64, crossed: u32, d: &Cusum) -> Alarm {
        Alarm {
            mot: self.registry.ids[m as usize].to_string(),
            owner: self
                .registry
                .binding
                .as_ref()
                .and_then(|b| b.owners.get(m as usize).cloned().flatten()),
            timestamp: ns.div_euclid(NANOS),
            statistic: d.statistic(crossed),
            h: d.h,
            p0: d.p0,
            p1: d.p1,
        }
    }

    /// Columnar ingest: keeps an interaction for the detectors, which run
    /// when the call ends ([`Tracker::run_detectors`]).
    #[inline(always)]
    pub(crate) fn detect_later(&mut self, m: u32, ns: i64, row: usize, success: Option<bool>) {
        if let (Some(ok), Some(Some(_))) = (success, self.detectors.get(m as usize)) {
            self.detect_batch.push(Detection {
                ns,
                row: row as u32,
                mot: m | (u32::from(!ok) << 31),
            });
        }
    }

    /// Runs the detectors on the interactions of one columnar call, in
    /// time order (ties in row order): the order they happened, whatever
    /// the order of the rows.
    pub(crate) fn run_detectors(&mut self) {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(grouped) = self.detect_grouped.take() {
            self.run_grouped(grouped);
        }
        let mut batch = std::mem::take(&mut self.detect_batch);
        if batch.windows(2).all(|w| w[0].key() <= w[1].key()) {
            for d in &batch {
                self.detect(d.mot & !(1 << 31), d.ns, d.mot >> 31 == 1);
            }
        } else {
            // Each MOT's detector sees its interactions in time order; the
            // detectors are independent, so each MOT is ordered and run on
            // its own (a run small enough to stay in cache), and the
            // alarms are put back in the order they fired across MOTs.
            let (grouped, start) = by_mot(&batch, self.registry.len());
            let first_alarm = self.alarms.len();
            let mut fired: Vec<(i64, u32)> = Vec::new();
            let mut run = Vec::new();
            for m in 0..start.len() - 1 {
                let of_mot = &grouped[start[m]..start[m + 1]];
                run.resize(
                    of_mot.len(),
                    Detection {
                        ns: 0,
                        row: 0,
                        mot: 0,
                    },
                );
                sort_into(of_mot, &mut run);
                for d in &run {
                    if self.detect(m as u32, d.ns, d.mot >> 31 == 1) {
                        fired.push(d.key());
                    }
                }
            }
            self.order_alarms(first_alarm, &fired);
        }
        batch.clear();
        self.detect_batch = batch;
    }

    /// [`Tracker::run_detectors`] for a clean call's [`Grouped`]
    /// interactions: each MOT's ordered in time and run on its own, the
    /// alarms put back in the order they fired across MOTs.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    fn run_grouped(&mut self, mut g: Grouped) {
        let first_alarm = self.alarms.len();
        let mut fired: Vec<(i64, u32)> = Vec::new();
        let mut room = Vec::new();
        let row_mask = (1u64 << (g.shift - 1)) - 1;
        for m in 0..g.start.len() - 1 {
            let words = &mut g.words[g.start[m]..g.start[m + 1]];
            let Some(Some(d)) = self.detectors.get(m).copied() else {
                continue;
            };
            sort_words(words, &mut room, g.shift, g.time_bits);
            // The statistic in a register; an alarm (rare) is recorded
            // as `detect` records it (`fire` sees the statistic reset).
            let mut s = self.agg.mots[m].cusum.s;
            for &w in words.iter() {
                if let Some(crossed) = d.step(&mut s, w & 1 == 1) {
                    // first + offset is a timestamp of the call: in range.
                    let ns = (g.first + (w >> g.shift) as i64) * g.factor;
                    self.fire(m as u32, ns, crossed, &d);
                    fired.push((ns, ((w >> 1) & row_mask) as u32));
                }
            }
            self.agg.mots[m].cusum.s = s;
        }
        self.order_alarms(first_alarm, &fired);
    }

    /// Puts the alarms queued from `first_alarm` on in the order of their
    /// `(ns, row)` in `fired` (they were fired MOT by MOT).
    fn order_alarms(&mut self, first_alarm: usize, fired: &[(i64, u32)]) {
        let mut new: Vec<(usize, Alarm)> = self
            .alarms
            .split_off(first_alarm)
            .into_iter()
            .enumerate()
            .collect();
        new.sort_by_key(|(k, _)| fired[*k]);
        self.alarms.extend(new.into_iter().map(|(_, a)| a));
    }

    /// Forgets the interactions a failed call queued for the detectors.
    pub(crate) fn drop_detections(&mut self) {
        self.detect_batch.clear();
        self.detect_grouped = None;
    }

    /// The alarms fired since the last call, in the order they fired (each
    /// with its MOT, owner, time, statistic, threshold and rates); the
    /// queue is emptied. A detector runs per MOT with a SMOTO target (see
    /// [`crate::cusum`]) as interactions arrive: at once on the row API, at
    /// the end of each columnar call in timestamp order.
    ///
    /// ```
    /// use mot_core::{sample, Tracker, TrackerConfig};
    ///
    /// let x = sample::airline();
    /// let mut t = Tracker::new(&x, TrackerConfig::default());
    /// // Bag drop (target 90%) fails again and again from 09:00.
    /// for i in 0..60 {
    ///     t.record(format!("j{i}"), "bag-drop", 1_795_424_400 + 60 * i, false, None)?;
    /// }
    /// let alarms = t.drain_alarms();
    /// assert_eq!(alarms[0].mot, "bag-drop");
    /// assert!(alarms[0].statistic >= alarms[0].h);
    /// assert!(t.drain_alarms().is_empty());
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    pub fn drain_alarms(&mut self) -> Vec<Alarm> {
        std::mem::take(&mut self.alarms)
    }

    /// Open journeys whose chance of reaching the SCO, given their last
    /// interaction, is below `threshold`: lowest first (ties by journey
    /// id), at most `limit`, each with its last MOT, that MOT's Manager and
    /// the probability — for a recovery team to call. The probability is
    /// P(SCO | last state) of the absorbing Markov chain over (MOT, failed)
    /// states estimated from closed journeys with a known outcome
    /// ([`crate::risk`]), solved exactly when asked (not per row). A
    /// journey whose last state no closed journey passed through is not
    /// listed (there is no estimate).
    ///
    /// ```
    /// use mot_core::{sample, simulate, Tracker, TrackerConfig};
    ///
    /// let x = sample::airline();
    /// let mut t = Tracker::new(&x, TrackerConfig::default());
    /// simulate::airline_scenario(&x, 2_000, 1).generate().ingest_into(&mut t)?;
    /// t.record("late", "search-book", 1_795_392_000, true, None)?;
    /// t.record("late", "payment-auth", 1_795_392_060, false, None)?; // it failed
    /// let risky = t.at_risk(1.0, 5);
    /// assert_eq!(risky[0].journey, "late");
    /// assert!(risky[0].failed && risky[0].probability < 1.0);
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    pub fn at_risk(&self, threshold: f64, limit: usize) -> Vec<crate::risk::AtRisk> {
        self.at_risk_figures(threshold, limit).top
    }

    /// [`Tracker::at_risk`] with the counts the dashboard shows.
    pub(crate) fn at_risk_figures(
        &self,
        threshold: f64,
        limit: usize,
    ) -> crate::risk::AtRiskFigures {
        use crate::risk::{AtRisk, AtRiskFigures, sco_probabilities, state};
        let mut below: Vec<(f64, String, Event)> = Vec::new();
        if !self.open.is_empty()
            && let Some(p) = sco_probabilities(2 * self.registry.len() + 1, self.agg.risk.iter())
        {
            for (key, open) in &self.open {
                // The last interaction: the latest, the last to arrive of ties.
                let Some(last) = open
                    .events
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, e)| (e.ts, *i))
                    .map(|(_, e)| *e)
                else {
                    continue;
                };
                let s = state(last.mot, last.success == Some(false)) as usize;
                if let Some(Some(prob)) = p.get(s)
                    && *prob < threshold
                {
                    below.push((*prob, key.as_key().to_string(), last));
                }
            }
        }
        below.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let count = below.len() as u64;
        below.truncate(limit);
        let owners = self.registry.binding.as_ref().map(|b| &b.owners);
        AtRiskFigures {
            threshold,
            open_journeys: self.open.len() as u64,
            below: count,
            top: below
                .into_iter()
                .map(|(probability, journey, e)| AtRisk {
                    journey,
                    mot: self.registry.ids[e.mot as usize].to_string(),
                    owner: owners.and_then(|o| o.get(e.mot as usize).cloned().flatten()),
                    failed: e.success == Some(false),
                    probability,
                    at: e.ts.div_euclid(NANOS),
                })
                .collect(),
        }
    }

    /// Recomputes every detector from the per-period counts: a binomial
    /// CUSUM, one step per period of the configured trend period (what a
    /// merged state means, see [`Tracker::merge`]).
    pub(crate) fn rerun_detectors_by_period(&mut self) {
        for m in 0..self.detectors.len() {
            self.rerun_detector(m);
        }
    }

    /// [`Tracker::rerun_detectors_by_period`] for MOT `m` alone (no
    /// detector: its state is cleared).
    pub(crate) fn rerun_detector(&mut self, m: usize) {
        let period = self.config.period;
        let Some(st) = self.agg.mots.get_mut(m) else {
            return;
        };
        let mut state = crate::cusum::CusumState::default();
        if let Some(Some(d)) = self.detectors.get(m) {
            let series = if period == Period::Day {
                &st.days
            } else {
                &st.periods
            };
            for (idx, n, ok) in series.iter() {
                if let Some(crossed) = d.step_counts(&mut state.s, n, n - ok) {
                    state.alarms += 1;
                    state.last = Some((period.start_of(idx).saturating_mul(NANOS), crossed));
                }
            }
        }
        st.cusum = state;
    }
}
