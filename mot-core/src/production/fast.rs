//! The fast path of columnar ingestion, for the most common shape of bulk
//! data: integer journey ids sorted by journey (as process-mining exports
//! and most warehouses write them), dictionary-encoded MOTs, no nulls in the
//! required columns. It gives exactly what the general path gives (a
//! property test holds the two together) without hashing a single id.

use super::codes::{int_dict_encode, own_codes};
use super::{Class, IngestSummary, JourneyKey, Tracker};
use crate::Error;
use crate::events::{BadRows, Columns, Ids, Key, OutcomeColumns, RejectReason, TimeUnit, Validity};

/// A code in a column of MOT codes as the bulk read takes it: `u32`, or
/// `u16` ids read where they lie (no wider copy of the column is made).
pub(super) trait Code: Copy + Send + Sync + 'static {
    /// The code as an index.
    fn index(self) -> usize;
    /// The column as `u32` codes (copied only for `u16`), for the
    /// detectors (not built in WebAssembly).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    fn widened(codes: &[Self]) -> std::borrow::Cow<'_, [u32]>;
}

impl Code for u32 {
    #[inline(always)]
    fn index(self) -> usize {
        self as usize
    }
    fn widened(codes: &[u32]) -> std::borrow::Cow<'_, [u32]> {
        std::borrow::Cow::Borrowed(codes)
    }
}

impl Code for u16 {
    #[inline(always)]
    fn index(self) -> usize {
        usize::from(self)
    }
    fn widened(codes: &[u16]) -> std::borrow::Cow<'_, [u32]> {
        std::borrow::Cow::Owned(codes.iter().map(|&c| u32::from(c)).collect())
    }
}

/// Integer ids as the general path compares them (two's complement).
pub(super) enum IntIds<'a> {
    U64(&'a [u64]),
    U32(&'a [u32]),
    I64(&'a [i64]),
}

impl IntIds<'_> {
    pub(super) fn of<'a>(ids: &Ids<'a>, valid: &Validity<'_>) -> Option<IntIds<'a>> {
        if !matches!(valid, Validity::All) {
            return None;
        }
        match *ids {
            Ids::U64(v) => Some(IntIds::U64(v)),
            Ids::U32(v) => Some(IntIds::U32(v)),
            Ids::I64(v) => Some(IntIds::I64(v)),
            _ => None,
        }
    }

    #[inline(always)]
    pub(super) fn get(&self, i: usize) -> u64 {
        match self {
            IntIds::U64(v) => v[i],
            IntIds::U32(v) => u64::from(v[i]),
            IntIds::I64(v) => v[i] as u64,
        }
    }

    /// The end of the run of rows with the id of row `i`.
    #[inline(always)]
    pub(super) fn run_end(&self, i: usize) -> usize {
        #[inline(always)]
        fn run<T: PartialEq + Copy>(v: &[T], i: usize) -> usize {
            let id = v[i];
            let mut end = i + 1;
            while end < v.len() && v[end] == id {
                end += 1;
            }
            end
        }
        match self {
            IntIds::U64(v) => run(v, i),
            IntIds::U32(v) => run(v, i),
            IntIds::I64(v) => run(v, i),
        }
    }

    pub(super) fn len(&self) -> usize {
        match self {
            IntIds::U64(v) => v.len(),
            IntIds::U32(v) => v.len(),
            IntIds::I64(v) => v.len(),
        }
    }

    pub(super) fn sorted(&self) -> bool {
        match self {
            IntIds::U64(v) => ascending(v, |x| x),
            IntIds::U32(v) => ascending(v, |x| x),
            IntIds::I64(v) => ascending(v, |x| x as u64),
        }
    }

    /// When the ids never decrease, how many distinct ones (runs) they
    /// hold: counted in the same pass as the check. (Not in WebAssembly,
    /// where it is used for nothing: see [`Tracker::ingest_sorted`].)
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn runs(&self) -> Option<usize> {
        match self {
            IntIds::U64(v) => ascending_runs(v, |x| x),
            IntIds::U32(v) => ascending_runs(v, |x| x),
            IntIds::I64(v) => ascending_runs(v, |x| x as u64),
        }
    }
}

/// [`ascending`], and if so the number of runs of equal keys.
#[cfg(not(target_arch = "wasm32"))]
#[inline]
fn ascending_runs<T: Copy, K: PartialOrd>(v: &[T], key: impl Fn(T) -> K) -> Option<usize> {
    const BLOCK: usize = 4_096;
    let (mut start, mut runs) = (0, usize::from(!v.is_empty()));
    while start + 1 < v.len() {
        let end = (start + BLOCK).min(v.len() - 1);
        let (a, b) = (&v[start..end], &v[start + 1..end + 1]);
        let (down, up) = a.iter().zip(b).fold((0usize, 0usize), |(d, u), (&x, &y)| {
            let (x, y) = (key(x), key(y));
            (d + usize::from(x > y), u + usize::from(x < y))
        });
        if down > 0 {
            return None;
        }
        runs += up;
        start = end;
    }
    Some(runs)
}

/// Whether `key` never decreases along `v`: counted without a branch a
/// block at a time (a loop that stops at the first step down cannot be
/// vectorized), stopping after the first block with one.
#[inline]
fn ascending<T: Copy, K: PartialOrd>(v: &[T], key: impl Fn(T) -> K) -> bool {
    const BLOCK: usize = 4_096;
    let mut start = 0;
    while start + 1 < v.len() {
        let end = (start + BLOCK).min(v.len() - 1);
        let (a, b) = (&v[start..end], &v[start + 1..end + 1]);
        let down: usize = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| usize::from(key(x) > key(y)))
            .sum();
        if down > 0 {
            return false;
        }
        start = end;
    }
    true
}

/// Counts every row into its MOT × day cell of `days` (`mots` MOTs a
/// day): interactions in the low 32 bits, successes in the high 32. A
/// row's day is counted from `base`, the start of the first day in the
/// column's unit, with `UNITS` units a day: a constant, so the division is
/// a multiplication. Index loops over slices of one length, so that only
/// the two table lookups are checked.
#[inline(always)]
fn fill_days<C: Code, const UNITS: u64>(
    codes: &[C],
    map: &[u32],
    success: &[bool],
    timestamps: &[i64],
    base: i64,
    mots: usize,
    days: &mut [u64],
) {
    let n = codes.len();
    let (success, timestamps) = (&success[..n], &timestamps[..n]);
    for r in 0..n {
        let m = map[codes[r].index()] as usize;
        let day = (timestamps[r].abs_diff(base) / UNITS) as usize;
        days[day * mots + m] += 1 | u64::from(success[r]) << 32;
    }
}

impl Tracker {
    /// Whether every row of the call will be accepted: timestamps in range,
    /// costs finite and not negative, values finite, every MOT code naming
    /// an MOT that resolves; if so, the earliest and latest timestamp. The
    /// MOTs are resolved here, in the order they first appear (as the
    /// row-by-row reading resolves them), into `cache`, until `used` codes
    /// (at most how many rows use) are resolved.
    fn resolve_clean<C: Code>(
        &mut self,
        cols: &Columns<'_>,
        codes: &[C],
        (values, used): (&[&str], usize),
        cache: &mut [Option<Result<u32, RejectReason>>],
    ) -> Option<(i64, i64)> {
        // Journeys closed by an earlier call are rejected whole, after the
        // row counts would have been taken.
        if self.config.remember_closed && !self.closed.is_empty() {
            return None;
        }
        let (lo, hi) = cols.time_unit.range();
        let (first, last) = cols
            .timestamp
            .iter()
            .fold((i64::MAX, i64::MIN), |(a, b), &t| (a.min(t), b.max(t)));
        let in_range = cols.timestamp.is_empty() || (first >= lo && last < hi);
        // `!(c < 0)` would let NaN through. The good values are counted, not
        // searched for a bad one: a count has no branch, and vectorizes.
        let costs = cols.cost.is_none_or(|c| {
            c.iter()
                .map(|&x| usize::from((0.0..f64::INFINITY).contains(&x)))
                .sum::<usize>()
                == c.len()
        });
        let values_ok = cols.value.is_none_or(|v| {
            v.iter().map(|&x| usize::from(x.is_finite())).sum::<usize>() == v.len()
        });
        let codes_ok = codes
            .iter()
            .fold(0usize, |a, &c| a.max(c.index()))
            .checked_add(1)
            .is_some_and(|top| codes.is_empty() || top <= values.len());
        if !(in_range && costs && values_ok && codes_ok) {
            return None;
        }
        let mut unseen = used;
        for &code in codes {
            if unseen == 0 {
                break;
            }
            let slot = &mut cache[code.index()];
            if slot.is_none() {
                let m = self.registry.resolve(values[code.index()]);
                *slot = Some(m);
                unseen -= 1;
                if m.is_err() {
                    return None;
                }
            }
        }
        self.agg.ensure(self.registry.len());
        Some((first, last))
    }

    /// The per-row counts of a clean call ([`Tracker::resolve_clean`]):
    /// what [`Aggregates::count_row`](super::Aggregates::count_row) counts,
    /// each figure in a tight pass of its own over the columns (sums in row
    /// order, as row by row). The daily counts go through a small MOT × day
    /// table when the call spans few days.
    #[cfg_attr(mot_speed, optimize(speed))]
    fn count_rows<C: Code>(
        &mut self,
        cols: &Columns<'_>,
        codes: &[C],
        map: &[u32],
        (first, last): (i64, i64),
        clock: &mut super::Clock,
    ) {
        let n = cols.len();
        if n == 0 {
            return;
        }
        let per_second = cols.time_unit.per_second();
        // Whole seconds: ⌊t·(10⁹/p) / 10⁹⌋ = ⌊t / p⌋.
        let secs = |t: i64| {
            if per_second == 1 {
                t
            } else {
                t.div_euclid(per_second)
            }
        };
        let mots = self.registry.len();
        let mot = |&c: &C| map[c.index()] as usize;
        self.agg.interactions += n as u64;
        // Per MOT: interactions, successes.
        let mut counts = vec![[0u64; 2]; mots];
        let mut periods_done = false;
        match cols.success {
            None => {
                for m in codes.iter().map(mot) {
                    counts[m][0] += 1;
                }
            }
            Some(success) => {
                let day = |t: i64| crate::Period::Day.index(secs(t));
                let d0 = day(first);
                let span = usize::try_from(day(last) - d0 + 1).unwrap_or(usize::MAX);
                // A small MOT × day table of 32-bit counts (no cell can
                // overflow in a call of fewer than 2^32 rows).
                let cells = span
                    .checked_mul(mots)
                    .filter(|&c| c <= 1 << 16 && n < u32::MAX as usize);
                if let Some(cells) = cells {
                    // Each cell: interactions in its low 32 bits, successes
                    // in its high 32 (one add a row); the day of a row by
                    // an unsigned division by a constant.
                    let mut days = vec![0u64; cells];
                    let base = d0 * crate::Period::Day.width() * per_second;
                    let (ts, d) = (cols.timestamp, &mut days[..]);
                    match cols.time_unit {
                        TimeUnit::Seconds => {
                            fill_days::<C, 86_400>(codes, map, success, ts, base, mots, d);
                        }
                        TimeUnit::Millis => {
                            fill_days::<C, 86_400_000>(codes, map, success, ts, base, mots, d);
                        }
                        TimeUnit::Micros => {
                            fill_days::<C, 86_400_000_000>(codes, map, success, ts, base, mots, d);
                        }
                        TimeUnit::Nanos => {
                            fill_days::<C, 86_400_000_000_000>(
                                codes, map, success, ts, base, mots, d,
                            );
                        }
                    }
                    // Periods of whole days (weeks, say) are sums of days.
                    let whole = clock
                        .period
                        .as_ref()
                        .is_some_and(|p| p.period().whole_days());
                    for (k, &c) in days.iter().enumerate().filter(|(_, c)| **c > 0) {
                        let (d, m) = (d0 + (k / mots) as i64, k % mots);
                        let (n, s) = (c & u64::from(u32::MAX), c >> 32);
                        let st = &mut self.agg.mots[m];
                        st.days.add(d, n, s);
                        if let (true, Some(p)) = (whole, &mut clock.period) {
                            st.periods
                                .add(p.index(crate::Period::Day.start_of(d)), n, s);
                        }
                        counts[m][0] += n;
                        counts[m][1] += s;
                    }
                    periods_done = whole;
                } else {
                    let rows = codes.iter().map(mot).zip(success).zip(cols.timestamp);
                    for ((m, &ok), &t) in rows {
                        let c = &mut counts[m];
                        c[0] += 1;
                        c[1] += u64::from(ok);
                        let d = clock.day.index(secs(t));
                        self.agg.mots[m].days.add(d, 1, u64::from(ok));
                    }
                }
                if let (false, Some(p)) = (periods_done, &mut clock.period) {
                    let rows = codes.iter().map(mot).zip(success).zip(cols.timestamp);
                    for ((m, &ok), &t) in rows {
                        let index = p.index(secs(t));
                        self.agg.mots[m].periods.add(index, 1, u64::from(ok));
                    }
                }
            }
        }
        let judged = u64::from(cols.success.is_some());
        for (st, c) in self.agg.mots.iter_mut().zip(&counts) {
            st.n += c[0];
            st.judged += c[0] * judged;
            st.s += c[1];
        }
        // Sums in row order, per MOT, as row by row.
        let mut sum = |column: Option<&[f64]>,
                       of: fn(
            &mut super::agg::MotStats,
        ) -> (&mut crate::numeric::Sum, &mut u64)| {
            let Some(column) = column else {
                return;
            };
            let mut sums: Vec<crate::numeric::Sum> =
                self.agg.mots.iter_mut().map(|st| *of(st).0).collect();
            let column = &column[..codes.len()];
            for (r, &x) in column.iter().enumerate() {
                sums[map[codes[r].index()] as usize].add(x);
            }
            for ((st, s), c) in self.agg.mots.iter_mut().zip(sums).zip(&counts) {
                let (total, rows) = of(st);
                *total = s;
                *rows += c[0];
            }
        };
        sum(cols.cost, |st| (&mut st.cost, &mut st.cost_rows));
        sum(cols.value, |st| (&mut st.value, &mut st.value_rows));
        if self.detectors.iter().any(Option::is_some) {
            let factor = super::NANOS / per_second;
            // (Not in WebAssembly, where the module's size counts more
            // than the detectors' speed: one record per interaction there,
            // which gives the same alarms.)
            #[cfg(not(target_arch = "wasm32"))]
            if let Some(success) = cols.success {
                let has: Vec<bool> = (0..mots)
                    .map(|m| matches!(self.detectors.get(m), Some(Some(_))))
                    .collect();
                let (times, span) = (cols.timestamp, (first, last));
                let grouped = super::detect::Grouped::new(
                    &C::widened(codes),
                    map,
                    times,
                    success,
                    span,
                    factor,
                    &counts,
                    &has,
                );
                if grouped.is_some() {
                    self.detect_grouped = grouped;
                    return;
                }
            }
            self.detect_batch.reserve(n);
            let rows = codes.iter().map(mot).zip(cols.timestamp).enumerate();
            for (r, (m, &t)) in rows {
                let success = cols.success.map(|s| s[r]);
                self.detect_later(m as u32, t * factor, r, success);
            }
        }
    }

    /// Counts an outcome row whose journey has no interactions in this
    /// call: not finite, a duplicate of the previous such row, or an orphan.
    fn reject_orphan(&mut self, orphan: &mut Option<u64>, key: u64, valid: bool) {
        let reason = if !valid {
            RejectReason::NonFiniteValue
        } else if *orphan == Some(key) {
            RejectReason::DuplicateOutcome
        } else {
            *orphan = Some(key);
            RejectReason::OutcomeWithoutInteractions
        };
        self.agg.reject(reason, 1);
    }

    /// Ingests through the fast path when the input has its shape; `None`
    /// (nothing read) otherwise.
    #[cfg_attr(mot_speed, optimize(speed))]
    pub(super) fn ingest_sorted(
        &mut self,
        cols: &Columns<'_>,
        outcomes: Option<&OutcomeColumns<'_>>,
    ) -> Option<Result<IngestSummary, Error>> {
        if self.config.bad_rows != BadRows::Reject
            || cols.producer.is_some()
            || cols.unreadable.is_some()
        {
            return None;
        }
        let journeys = IntIds::of(&cols.journey, &cols.journey_valid)?;
        let all = |v: &Validity<'_>| matches!(v, Validity::All);
        if !(all(&cols.mot_valid)
            && all(&cols.timestamp_valid)
            && (cols.success.is_none() || all(&cols.success_valid)))
            || (cols.cost.is_some() && !all(&cols.cost_valid))
            || (cols.value.is_some() && !all(&cols.value_valid))
        {
            return None;
        }
        let outs = match outcomes {
            None => None,
            Some(o) => {
                let ids = IntIds::of(&o.journey, &o.journey_valid)?;
                if !all(&o.sco_valid)
                    || (o.value.is_some() && !all(&o.value_valid))
                    || !ids.sorted()
                {
                    return None;
                }
                Some((ids, o))
            }
        };
        // How many journeys, to make room for their variants at once (not
        // in WebAssembly, where reserved memory is memory taken).
        #[cfg(not(target_arch = "wasm32"))]
        let runs = journeys.runs()?;
        #[cfg(target_arch = "wasm32")]
        let runs = if journeys.sorted() { 0 } else { return None };
        // Text and integer MOT ids without a dictionary are encoded once
        // here (integers are named by their decimal text, as the general
        // path names them), and the limit on distinct MOTs checked on the
        // distinct values (cheaper than the per-row check of the general
        // path, which takes the column when it has too many).
        let encoded;
        let int_names: Vec<String>;
        let int_refs: Vec<&str>;
        let int_codes: Vec<u32>;
        let cap = self.config.limits.max_mots;
        let mut used = None;
        // `u16` ids are their own codes where they lie: the read takes
        // them as they are. (Not in WebAssembly, where the module's size
        // matters more.)
        #[cfg(not(target_arch = "wasm32"))]
        if let Ids::U16(v) = cols.mot
            && let Some((names, distinct)) = own_codes(v, cap)
        {
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            return self.read_sorted(cols, outs, (journeys, runs), v, (&refs, distinct));
        }
        let own = match cols.mot {
            Ids::U32(v) if cfg!(not(target_arch = "wasm32")) => own_codes(v, cap).map(|o| (v, o)),
            _ => None,
        };
        let (codes, values): (&[u32], &[&str]) = match (cols.mot, own) {
            (Ids::Dict { codes, values }, _) => (codes, values),
            (_, Some((v, (names, distinct)))) => {
                int_names = names;
                used = Some(distinct);
                int_refs = int_names.iter().map(String::as_str).collect();
                (v, &int_refs)
            }
            (Ids::U64(_) | Ids::U32(_) | Ids::U16(_) | Ids::I64(_), None) => {
                (int_codes, int_names) = int_dict_encode(&cols.mot, cap)?;
                int_refs = int_names.iter().map(String::as_str).collect();
                (&int_codes, &int_refs)
            }
            (ref text, None) => {
                encoded = text.dict_encode()?;
                (&encoded.0, &encoded.1)
            }
        };
        let used = used.unwrap_or(values.len());
        self.read_sorted(cols, outs, (journeys, runs), codes, (values, used))
    }

    /// [`Tracker::ingest_sorted`] once the MOT ids are codes: `codes` per
    /// row, into `values` (of which `used` are used by rows), the journeys'
    /// ids and how many journeys, and the outcomes with their journeys' ids.
    #[cfg_attr(mot_speed, optimize(speed))]
    // One caller in WebAssembly: inlined there, as one function it was.
    #[cfg_attr(target_arch = "wasm32", inline(always))]
    fn read_sorted<C: Code>(
        &mut self,
        cols: &Columns<'_>,
        outs: Option<(IntIds<'_>, &OutcomeColumns<'_>)>,
        (journeys, runs): (IntIds<'_>, usize),
        codes: &[C],
        (values, used): (&[&str], usize),
    ) -> Option<Result<IngestSummary, Error>> {
        if !matches!(cols.mot, Ids::Dict { .. })
            && let Err(e) = self
                .registry
                .check_room(values.iter().copied(), self.config.limits.max_mots)
        {
            return Some(Err(e));
        }

        let rejected_before: u64 = self.agg.rejected.iter().sum();
        let journeys_before = self.agg.journeys;
        self.generation = self.generation.wrapping_add(1);
        let generation = self.generation;
        let n = cols.len();
        let unit = cols.time_unit;
        let mut clock = super::Clock::new(&self.config);
        let mut cache: Vec<Option<Result<u32, RejectReason>>> = vec![None; values.len()];
        // A part of a read in parts numbers the MOTs as the previous part
        // did, and hands its numbering on once resolved.
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(h) = &self.scratch.handoff {
            h.receive(&mut self.registry);
        }
        // When every row will be accepted (the usual case), the per-row
        // counts are taken in a pass of their own over the columns and the
        // journeys are read without checking a row again.
        let span = self.resolve_clean(cols, codes, (values, used), &mut cache);
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(h) = &self.scratch.handoff {
            h.pass_on(Some(&self.registry));
        }
        let clean = span.is_some();
        let map: Vec<u32> = match span {
            Some(span) => {
                let map: Vec<u32> = cache
                    .iter()
                    .map(|m| match m {
                        Some(Ok(m)) => *m,
                        _ => u32::MAX,
                    })
                    .collect();
                self.count_rows(cols, codes, &map, span, &mut clock);
                map
            }
            None => Vec::new(),
        };
        let factor = super::NANOS / unit.per_second();
        let mut events: Vec<(i64, u32, Option<bool>)> = Vec::new();
        // With an SCO rule, a journey's class is known only at its end:
        // its rows are buffered.
        let rule = !self.config.sco_reached.is_empty();
        let (mut accepted, mut matched) = (0u64, 0u64);
        let n_out = outs.as_ref().map_or(0, |(ids, _)| ids.len());
        let mut o = 0usize;
        // A valid outcome row: its class and value; `None` if its value is
        // not finite (rejected).
        let outcome_at = |k: usize| -> Option<(Class, Option<f64>)> {
            let (_, oc) = outs.as_ref()?;
            let value = oc.value.map(|v| v[k]);
            if value.is_some_and(|v| !v.is_finite()) {
                return None;
            }
            Some((if oc.sco[k] { Class::Sco } else { Class::NoSco }, value))
        };
        let out_key = |k: usize| outs.as_ref().map_or(0, |(ids, _)| ids.get(k));
        // The journey of the last valid outcome row that had no interactions:
        // later valid rows for it are duplicates, as in the general path.
        let mut orphan: Option<u64> = None;

        self.scratch.batching = true;
        self.scratch.batch.start(self.registry.len());
        if self.scratch.track_variants {
            self.scratch.batch.reserve(runs);
        }
        if clean {
            self.scratch.chain.start(self.registry.len());
            // (Not in WebAssembly, where reserved memory is memory taken:
            // the queue grows as it fills there.)
            #[cfg(not(target_arch = "wasm32"))]
            self.agg.edge_times.reserve_queue(self.registry.len(), n);
        }
        let mut i = 0;
        while i < n {
            let j = journeys.get(i);
            let end = journeys.run_end(i);
            // Outcome rows before this journey have no journey; then this
            // journey's rows: the first valid one counts.
            while o < n_out && out_key(o) < j {
                self.reject_orphan(&mut orphan, out_key(o), outcome_at(o).is_some());
                o += 1;
            }
            let mut outcome = None;
            while o < n_out && out_key(o) == j {
                match (outcome_at(o), outcome) {
                    (None, _) => self.agg.reject(RejectReason::NonFiniteValue, 1),
                    (Some(x), None) => outcome = Some(x),
                    (Some(_), Some(_)) => self.agg.reject(RejectReason::DuplicateOutcome, 1),
                }
                o += 1;
            }
            let key = Key::Int(j);
            if self.config.remember_closed
                && self.closed.get(&key).is_some_and(|&g| g != generation)
            {
                self.agg.reject(RejectReason::AfterClose, (end - i) as u64);
                if outcome.is_some() {
                    self.agg.reject(RejectReason::DuplicateOutcome, 1);
                }
                i = end;
                continue;
            }
            // Rows in time order (the usual case) feed the sequence as they
            // are read; a journey out of order is buffered and sorted.
            let sorted = !rule && ascending(&cols.timestamp[i..end], |t| t);
            let (mut class, value) = outcome.unwrap_or((Class::Unknown, None));
            self.agg.begin_journey(&mut self.scratch);
            events.clear();
            let mut kept = 0u64;
            if clean {
                for r in i..end {
                    let m = map[codes[r].index()];
                    let ts = cols.timestamp[r] * factor;
                    let success = cols.success.map(|s| s[r]);
                    if sorted {
                        self.agg.step(&mut self.scratch, m, ts, success, class);
                    } else {
                        events.push((ts, m, success));
                    }
                }
                kept = (end - i) as u64;
            }
            for r in (i..end).filter(|_| !clean) {
                // No nulls on this path: the same checks as every row.
                let cost = cols.cost.map(|c| c[r]);
                let row_value = cols.value.map(|v| v[r]);
                let ts = match super::check_values(
                    Some(cols.timestamp[r]),
                    unit,
                    false,
                    cost,
                    row_value,
                ) {
                    Ok(ts) => ts,
                    Err(reason) => {
                        self.agg.reject(reason, 1);
                        continue;
                    }
                };
                let code = codes[r].index();
                let m = match cache.get_mut(code) {
                    None => Err(RejectReason::MissingMot),
                    Some(Some(m)) => *m,
                    Some(slot) => *slot.insert(self.registry.resolve(values[code])),
                };
                let m = match m {
                    Ok(m) => m,
                    Err(reason) => {
                        self.agg.reject(reason, 1);
                        continue;
                    }
                };
                if m as usize >= self.agg.mots.len() {
                    self.agg.ensure(self.registry.len());
                }
                let secs = ts.div_euclid(super::NANOS);
                let success = cols.success.map(|s| s[r]);
                self.agg
                    .count_row(&mut clock, m, secs, success, cost, row_value, None);
                self.detect_later(m, ts, r, success);
                kept += 1;
                if sorted {
                    self.agg.step(&mut self.scratch, m, ts, success, class);
                } else {
                    events.push((ts, m, success));
                }
            }
            i = end;
            if !sorted {
                events.sort_by_key(|e| e.0); // stable: ties keep input order
                if outcome.is_none() {
                    self.refresh_rule();
                    class = self
                        .scratch
                        .class_of(None, events.iter().map(|&(_, m, ok)| (m, ok)));
                }
                for &(ts, m, success) in &events {
                    self.agg.step(&mut self.scratch, m, ts, success, class);
                }
            }
            accepted += kept;
            if kept == 0 {
                if outcome.is_some() {
                    self.agg.reject(RejectReason::OutcomeWithoutInteractions, 1);
                }
                continue;
            }
            matched += u64::from(outcome.is_some());
            self.agg.end_journey(&mut self.scratch, class, value);
            if self.config.remember_closed {
                self.closed.insert(JourneyKey::Int(j), generation);
            }
        }
        self.agg.flush(&mut self.scratch);
        while o < n_out {
            self.reject_orphan(&mut orphan, out_key(o), outcome_at(o).is_some());
            o += 1;
        }
        let rejected_after: u64 = self.agg.rejected.iter().sum();
        Some(Ok(IngestSummary {
            rows: n as u64,
            accepted,
            rejected: rejected_after - rejected_before,
            journeys: self.agg.journeys - journeys_before,
            outcomes: matched,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs of sorted ids are their distinct values, across the check's
    /// blocks; ids that step down anywhere have none.
    #[test]
    fn runs_of_sorted_ids() {
        let ids: Vec<u64> = (0..10_000u64).map(|i| i / 3).collect();
        assert_eq!(IntIds::U64(&ids).runs(), Some(3_334));
        assert_eq!(IntIds::U64(&[]).runs(), Some(0));
        assert_eq!(IntIds::U32(&[7]).runs(), Some(1));
        assert_eq!(IntIds::I64(&[-2, -2, 5]).runs(), None); // -2 is 2⁶⁴ − 2 as a key
        let mut late = ids.clone();
        late[9_000] = 0;
        assert_eq!(IntIds::U64(&late).runs(), None);
        assert!(!IntIds::U64(&late).sorted() && IntIds::U64(&ids).sorted());
    }
}
