//! The journey in time (DOMAIN §3c): durations with their count, mean and
//! percentiles from a mergeable sketch.
//!
//! [`DdSketch`] is the DDSketch of Masson, Rim and Lee (VLDB 2019) with
//! relative accuracy α = 1%: a positive value x falls in bucket i with
//! γ^(i−1) < x ≤ γ^i (i = ⌈ln x / ln γ⌉, with γ^i computed as exp(i·ln γ))
//! for γ = (1 + α)/(1 − α), zero in a bucket of its own,
//! and the q-quantile is the bucket where the running count first exceeds
//! q·(count − 1), reported as 2γⁱ/(γ + 1) — within α of every value of the
//! bucket, so within 1% of the exact quantile. A sketch holds only bucket
//! counts, so **merging two sketches is adding counts**: merged partial
//! states give exactly the percentiles of one pass, in any order.
//!
//! Why our own and not the `sketches-ddsketch` crate: that crate's store
//! collapses its lowest buckets past a size limit (so a merge can differ
//! from one pass) and has no stable serialised form to put in the
//! tracker's state bytes; this one is ~150 lines, bounded without
//! collapsing (timestamps lie between 1900 and 2200, so at most ~2,200
//! buckets from 1 ns to 300 years), canonical when serialised, and tested
//! below against exact quantiles and against merging.
//!
//! [`Timing`] adds the exact count and sum (in nanoseconds), so the mean
//! is exact.
//!
//! ```
//! use mot_core::timing::Timing;
//!
//! let mut t = Timing::default();
//! for s in [30, 60, 60, 90, 3_600] {
//!     t.add_nanos(s * 1_000_000_000);
//! }
//! let f = t.figures().unwrap();
//! assert_eq!(f.count, 5);
//! assert!((f.mean_s - 768.0).abs() < 1e-9);
//! assert!((f.p50_s - 60.0).abs() <= 0.6); // within 1% of the exact median
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Relative accuracy of the sketch.
pub const RELATIVE_ACCURACY: f64 = 0.01;

/// γ = (1 + α)/(1 − α).
fn gamma() -> f64 {
    (1.0 + RELATIVE_ACCURACY) / (1.0 - RELATIVE_ACCURACY)
}

/// The range of [`bounds`]: γ^−1200 ≈ 4e−11 to γ^1300 ≈ 2e11 (seconds:
/// below a nanosecond to thousands of years).
const BOUNDS_LO: i32 = -1_200;
const BOUNDS_HI: i32 = 1_300;

/// Bucket bounds: `bounds()[k]` is γ^(k + BOUNDS_LO), as `exp(i·ln γ)`.
fn bounds() -> &'static [f64] {
    static BOUNDS: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    BOUNDS.get_or_init(|| {
        let l = gamma().ln();
        (BOUNDS_LO..=BOUNDS_HI)
            .map(|i| (f64::from(i) * l).exp())
            .collect()
    })
}

/// Buckets of durations in nanoseconds, for [`DdSketch::add_nanos`].
struct NanosTable {
    /// `bounds[k]`: 10⁹·γ^(k + BOUNDS_LO), the largest duration (ns) of
    /// bucket `k + BOUNDS_LO`.
    bounds: Vec<f64>,
    /// Per binary exponent (0 to 63) and top six mantissa bits of a
    /// duration in ns: the bucket of the smallest such value.
    first: Vec<i16>,
}

fn nanos_table() -> &'static NanosTable {
    static TABLE: std::sync::OnceLock<NanosTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let bounds: Vec<f64> = bounds().iter().map(|b| b * 1e9).collect();
        let first = (0..64u64 * 64)
            .map(|key| {
                let low = f64::from_bits((key + (1023 << 6)) << 46);
                let k = bounds.partition_point(|&b| b < low);
                (k as i32 + BOUNDS_LO) as i16
            })
            .collect();
        NanosTable { bounds, first }
    })
}

/// Buckets kept as a short sorted list before turning dense.
const SPARSE: usize = 16;

/// [`DdSketch::nanos_code`] with its table at hand, for loops over many
/// durations.
#[derive(Clone, Copy)]
pub(crate) struct Coder(&'static NanosTable);

impl Coder {
    pub(crate) fn new() -> Coder {
        Coder(nanos_table())
    }

    /// The code of `ns ≥ 0` nanoseconds.
    #[inline(always)]
    pub(crate) fn code(self, ns: i64) -> u32 {
        if ns == 0 {
            return 0;
        }
        let t = self.0;
        let x = ns as f64;
        let key = ((x.to_bits() >> 46) - (1023 << 6)) as usize;
        let i = i32::from(t.first[key]);
        let i = i + i32::from(x > t.bounds[(i - BOUNDS_LO) as usize]);
        (i - BOUNDS_LO + 1) as u32
    }
}

/// Bucket indexes a sketch holds before counting them into its store.
const PENDING: usize = 32;

/// A DDSketch of non-negative values (see the module docs).
// Laid out in this order: what every value touches first, the store
// (touched once per `PENDING` values) last.
#[repr(C)]
#[derive(Clone, Debug)]
pub struct DdSketch {
    /// Every value, those pending included.
    count: u64,
    zero: u64,
    waiting: u8,
    /// Bucket indexes not yet counted into `store`: counting them in
    /// batches keeps a busy sketch's buckets in cache (one sketch per
    /// directly-follows edge is updated at every interaction).
    pending: [i16; PENDING],
    store: Store,
}

impl Default for DdSketch {
    fn default() -> DdSketch {
        DdSketch {
            zero: 0,
            count: 0,
            store: Store::default(),
            pending: [0; PENDING],
            waiting: 0,
        }
    }
}

#[derive(Clone, Debug)]
enum Store {
    /// `(index, count)` sorted by index, at most [`SPARSE`] entries.
    Sparse(Vec<(i32, u64)>),
    /// `counts[k]` is bucket `base + k`.
    Dense { base: i32, counts: Vec<u64> },
}

impl Default for Store {
    fn default() -> Store {
        Store::Sparse(Vec::new())
    }
}

impl DdSketch {
    /// The bucket of a positive value.
    #[inline]
    fn index(x: f64) -> i32 {
        let b = bounds();
        let bits = x.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i32 - 1023;
        // log2 x from the binary exponent and a quadratic in the mantissa
        // m ∈ [1, 2) (within 0.01), for a first guess at the bucket...
        let m = f64::from_bits((bits & ((1 << 52) - 1)) | (1023 << 52));
        let log2 = f64::from(exponent) + (-0.344_848_43 * m + 2.024_665_78) * m - 1.674_877_59;
        // (Truncated, not rounded up: the walk below corrects by one.)
        let guess = (log2 * (std::f64::consts::LN_2 / gamma().ln())) as i32;
        if exponent == -1023 || guess <= BOUNDS_LO + 2 || guess >= BOUNDS_HI - 2 {
            return Self::index_far(x);
        }
        // ... then the exact one: the smallest i with x ≤ γ^i.
        let mut k = (guess - BOUNDS_LO) as usize;
        while x > b[k] {
            k += 1;
        }
        while x <= b[k - 1] {
            k -= 1;
        }
        k as i32 + BOUNDS_LO
    }

    /// [`DdSketch::index`] for values outside the table (below a
    /// nanosecond or above centuries, in seconds).
    #[cold]
    fn index_far(x: f64) -> i32 {
        let l = gamma().ln();
        let mut i = (x.ln() / l).ceil() as i32;
        while x > (f64::from(i) * l).exp() {
            i += 1;
        }
        while x <= (f64::from(i - 1) * l).exp() {
            i -= 1;
        }
        i
    }

    /// The value a bucket stands for.
    fn value_of(index: i32) -> f64 {
        // The values of the usual buckets, computed once (the same
        // expression, so the same numbers).
        static VALUES: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
        let table = VALUES.get_or_init(|| (BOUNDS_LO..=BOUNDS_HI).map(Self::value).collect());
        match usize::try_from(index - BOUNDS_LO)
            .ok()
            .and_then(|k| table.get(k))
        {
            Some(&v) => v,
            None => Self::value(index),
        }
    }

    /// [`DdSketch::value_of`] computed. Kept out of line: the compiler
    /// would otherwise compute it for every bucket looked up (it has no
    /// side effect), a power for nothing but the few buckets outside the
    /// table.
    #[cold]
    #[inline(never)]
    fn value(i: i32) -> f64 {
        let g = gamma();
        2.0 * g.powi(i) / (g + 1.0)
    }

    /// Adds a value (negative and non-finite values are ignored; zero has
    /// a bucket of its own).
    #[inline]
    pub fn add(&mut self, x: f64) {
        if x == 0.0 {
            self.zero += 1;
            self.count += 1;
        } else if x > 0.0 && x.is_finite() {
            self.add_bucket(Self::index(x));
        }
    }

    /// Adds a duration of `ns` nanoseconds, `ns / 10⁹` seconds (negative
    /// ones are ignored): the same bucket as [`DdSketch::add`] of the
    /// seconds, found from a table instead of a logarithm.
    #[inline]
    pub fn add_nanos(&mut self, ns: i64) {
        if ns == 0 {
            self.zero += 1;
            self.count += 1;
        } else if ns > 0 {
            self.add_bucket(Self::index_nanos(ns));
        }
    }

    /// The bucket of `ns > 0` nanoseconds: the smallest i with
    /// ns ≤ 10⁹·γ^i. Every 64th of a binary octave lies within one
    /// bucket's width of its first value's bucket (2^(1/64) < γ), so one
    /// comparison finds it.
    #[inline]
    fn index_nanos(ns: i64) -> i32 {
        let t = nanos_table();
        let x = ns as f64;
        // Binary exponent (0 to 62) and the mantissa's top six bits.
        let key = ((x.to_bits() >> 46) - (1023 << 6)) as usize;
        let i = i32::from(t.first[key]);
        if x > t.bounds[(i - BOUNDS_LO) as usize] {
            i + 1
        } else {
            i
        }
    }

    /// A duration of `ns ≥ 0` nanoseconds as a 12-bit code, for queueing
    /// ([`DdSketch::add_codes`]): 0 for zero, else its bucket's offset.
    #[inline]
    pub(crate) fn nanos_code(ns: i64) -> u32 {
        Coder::new().code(ns)
    }

    /// Adds `n` values of each code ([`DdSketch::nanos_code`]) that
    /// `counts[code]` gives, for codes `lo..=hi`, and zeroes those counts.
    pub(crate) fn add_codes(&mut self, counts: &mut [u64], lo: usize, hi: usize) {
        // Many buckets at once: make the store cover them all first, so
        // that it is allocated once rather than grown step by step.
        let first = lo.max(1);
        if lo == 0 {
            let n = std::mem::take(&mut counts[0]);
            self.count += n;
            self.zero += n;
        }
        if first > hi {
            return;
        }
        let (from, to) = (first as i32 - 1 + BOUNDS_LO, hi as i32 - 1 + BOUNDS_LO);
        if matches!(self.store, Store::Dense { .. })
            || counts[first..=hi].iter().filter(|&&n| n > 0).count() > SPARSE
        {
            self.cover(from, to);
        }
        // A dense store (the usual case): the counts added slice to slice.
        if let Store::Dense {
            base,
            counts: store,
        } = &mut self.store
        {
            let at = (from - *base) as usize; // `cover` made it hold `from..=to`
            let mut added = 0;
            for (s, c) in store[at..].iter_mut().zip(&mut counts[first..=hi]) {
                let n = std::mem::take(c);
                *s += n;
                added += n;
            }
            self.count += added;
            return;
        }
        for (code, n) in (first..=hi).zip(&mut counts[first..=hi]) {
            let n = std::mem::take(n);
            if n == 0 {
                continue;
            }
            self.count += n;
            self.add_index(code as i32 - 1 + BOUNDS_LO, n);
        }
    }

    #[inline]
    fn add_bucket(&mut self, i: i32) {
        match i16::try_from(i) {
            Ok(i) => {
                self.pending[usize::from(self.waiting)] = i;
                self.waiting += 1;
                if usize::from(self.waiting) == PENDING {
                    self.flush();
                }
            }
            Err(_) => self.add_index(i, 1),
        }
        self.count += 1;
    }

    /// Counts the pending indexes into the store.
    fn flush(&mut self) {
        let waiting = std::mem::take(&mut self.waiting);
        let pending = self.pending;
        for &i in &pending[..usize::from(waiting)] {
            self.add_index(i32::from(i), 1);
        }
    }

    #[inline]
    fn add_index(&mut self, i: i32, n: u64) {
        match &mut self.store {
            Store::Dense { base, counts } if i >= *base => {
                if let Some(c) = counts.get_mut((i - *base) as usize) {
                    *c += n;
                    return;
                }
            }
            Store::Sparse(v) => match v.binary_search_by_key(&i, |e| e.0) {
                Ok(k) => {
                    v[k].1 += n;
                    return;
                }
                Err(k) if v.len() < SPARSE => {
                    v.insert(k, (i, n));
                    return;
                }
                Err(_) => {}
            },
            _ => {}
        }
        self.grow(i, n);
    }

    /// Makes the store dense over buckets `lo..=hi` (and those it holds).
    fn cover(&mut self, lo: i32, hi: i32) {
        if let Store::Dense { base, counts } = &self.store
            && *base <= lo
            && hi < *base + counts.len() as i32
        {
            return;
        }
        let held: Vec<(i32, u64)> = self.stored().collect();
        let lo = held.iter().map(|b| b.0).fold(lo, i32::min);
        let hi = held.iter().map(|b| b.0).fold(hi, i32::max);
        let mut counts = vec![0u64; (hi - lo + 1) as usize];
        for (k, c) in held {
            counts[(k - lo) as usize] += c;
        }
        self.store = Store::Dense { base: lo, counts };
    }

    #[cold]
    fn grow(&mut self, i: i32, n: u64) {
        let buckets: Vec<(i32, u64)> = self.stored().chain([(i, n)]).collect();
        let lo = buckets.iter().map(|b| b.0).min().unwrap_or(i);
        let hi = buckets.iter().map(|b| b.0).max().unwrap_or(i);
        // Some room on both sides, so that neighbours need no regrowth.
        let span = (hi - lo + 1) as usize;
        let pad = (span / 2).max(8) as i32;
        let base = lo - pad;
        let mut counts = vec![0u64; span + 2 * pad as usize];
        for (k, c) in buckets {
            counts[(k - base) as usize] += c;
        }
        self.store = Store::Dense { base, counts };
    }

    /// `(index, count)` of every non-empty bucket, by index, pending
    /// values included.
    fn buckets(&self) -> Box<dyn Iterator<Item = (i32, u64)> + '_> {
        if self.waiting == 0 {
            return self.stored();
        }
        let mut all: Vec<(i32, u64)> = self.stored().collect();
        all.extend(
            self.pending[..usize::from(self.waiting)]
                .iter()
                .map(|&i| (i32::from(i), 1)),
        );
        all.sort_unstable_by_key(|b| b.0);
        all.dedup_by(|b, a| {
            // `b` follows `a`: fold it in when the bucket is the same.
            let same = a.0 == b.0;
            if same {
                a.1 += b.1;
            }
            same
        });
        Box::new(all.into_iter())
    }

    /// `(index, count)` of every non-empty bucket of the store, by index.
    fn stored(&self) -> Box<dyn Iterator<Item = (i32, u64)> + '_> {
        match &self.store {
            Store::Sparse(v) => Box::new(v.iter().copied()),
            Store::Dense { base, counts } => Box::new(
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(move |(k, &c)| (*base + k as i32, c)),
            ),
        }
    }

    /// How many values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The q-quantile (0 ≤ q ≤ 1), within 1% of the exact value; `None`
    /// when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 || !(0.0..=1.0).contains(&q) {
            return None;
        }
        let rank = q * (self.count - 1) as f64;
        let mut seen = self.zero;
        if seen as f64 > rank {
            return Some(0.0);
        }
        let mut last = None;
        for (i, c) in self.buckets() {
            seen += c;
            last = Some(i);
            if seen as f64 > rank {
                return Some(Self::value_of(i));
            }
        }
        last.map(Self::value_of)
    }

    /// Several quantiles (each as [`DdSketch::quantile`] gives it) in one
    /// walk over the buckets; `qs` ascending.
    pub(crate) fn quantiles<const N: usize>(&self, qs: [f64; N]) -> Option<[f64; N]> {
        if self.count == 0 || qs.iter().any(|q| !(0.0..=1.0).contains(q)) {
            return None;
        }
        let ranks = qs.map(|q| q * (self.count - 1) as f64);
        let mut out = [0.0; N];
        let mut k = 0;
        let mut seen = self.zero;
        while k < N && seen as f64 > ranks[k] {
            k += 1; // 0.0
        }
        let mut last = None;
        // The usual case (a dense store, nothing pending) without the
        // boxed iterator.
        let (base, dense): (i32, &[u64]) = match &self.store {
            Store::Dense { base, counts } if self.waiting == 0 => (*base, counts),
            _ => (0, &[]),
        };
        let mut others = dense.is_empty().then(|| self.buckets());
        let mut j = 0;
        while k < N {
            let (i, c) = if let Some(it) = &mut others {
                match it.next() {
                    Some(b) => b,
                    None => break,
                }
            } else {
                match dense[j..].iter().position(|&c| c > 0) {
                    Some(p) => {
                        j += p + 1;
                        (base + (j - 1) as i32, dense[j - 1])
                    }
                    None => break,
                }
            };
            seen += c;
            last = Some(i);
            while k < N && seen as f64 > ranks[k] {
                out[k] = Self::value_of(i);
                k += 1;
            }
        }
        if let Some(i) = last {
            for v in &mut out[k..] {
                *v = Self::value_of(i);
            }
        }
        Some(out)
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &DdSketch) {
        self.zero += other.zero;
        self.count += other.count;
        self.flush();
        // Dense into dense (large sketches): one store covering both, the
        // counts added slice to slice.
        if let (
            0,
            Store::Dense {
                base: ob,
                counts: oc,
            },
        ) = (other.waiting, &other.store)
            && let Some(first) = oc.iter().position(|&c| c > 0)
        {
            let last = oc.iter().rposition(|&c| c > 0).unwrap_or(first);
            let (lo, hi) = (*ob + first as i32, *ob + last as i32);
            self.cover(lo, hi);
            if let Store::Dense { base, counts } = &mut self.store {
                let at = (lo - *base) as usize;
                for (a, b) in counts[at..].iter_mut().zip(&oc[first..=last]) {
                    *a += b;
                }
                return;
            }
        }
        for (i, c) in other.buckets() {
            self.add_index(i, c);
        }
    }
}

impl PartialEq for DdSketch {
    fn eq(&self, other: &DdSketch) -> bool {
        self.zero == other.zero && self.count == other.count && self.buckets().eq(other.buckets())
    }
}

/// Serialised canonically, as the zero count and the non-empty buckets.
#[derive(Serialize, Deserialize)]
struct Wire {
    zero: u64,
    buckets: Vec<(i32, u64)>,
}

impl Serialize for DdSketch {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wire {
            zero: self.zero,
            buckets: self.buckets().collect(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DdSketch {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        // Buckets from 1 ns to 300 years lie within ±2,300.
        let ok = wire.buckets.windows(2).all(|w| w[0].0 < w[1].0)
            && wire
                .buckets
                .iter()
                .all(|&(i, c)| i.abs() <= 4_096 && c > 0 && c < 1 << 56)
            && wire.zero < 1 << 56;
        if !ok {
            return Err(serde::de::Error::custom("a duration sketch is malformed"));
        }
        let mut s = DdSketch {
            zero: wire.zero,
            count: wire.zero,
            ..DdSketch::default()
        };
        for (i, c) in wire.buckets {
            s.add_index(i, c);
            s.count = s
                .count
                .checked_add(c)
                .filter(|&n| n < 1 << 56)
                .ok_or_else(|| serde::de::Error::custom("a duration sketch is too large"))?;
        }
        Ok(s)
    }
}

/// Durations: exact count and sum, and a sketch for the percentiles.
#[repr(C)]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Sum of the durations, in nanoseconds.
    sum_ns: u128,
    sketch: DdSketch,
}

impl Timing {
    /// Adds one duration in nanoseconds (negative ones are ignored).
    #[inline]
    pub fn add_nanos(&mut self, ns: i64) {
        if ns >= 0 {
            self.sum_ns += ns as u128;
            self.sketch.add_nanos(ns);
        }
    }

    /// Adds durations queued as codes ([`DdSketch::nanos_code`]; see
    /// [`DdSketch::add_codes`]); their sum is added apart.
    pub(crate) fn add_codes(&mut self, counts: &mut [u64], lo: usize, hi: usize) {
        self.sketch.add_codes(counts, lo, hi);
    }

    /// Adds to the sum of the durations (with [`Timing::add_codes`]).
    pub(crate) fn add_sum(&mut self, sum_ns: u128) {
        self.sum_ns += sum_ns;
    }

    /// Adds every duration of `other`.
    pub fn merge(&mut self, other: &Timing) {
        self.sum_ns += other.sum_ns;
        self.sketch.merge(&other.sketch);
    }

    /// How many durations.
    pub fn count(&self) -> u64 {
        self.sketch.count()
    }

    /// The figures, `None` without a duration.
    pub fn figures(&self) -> Option<Duration> {
        let count = self.count();
        if count == 0 {
            return None;
        }
        let [p50_s, p90_s, p99_s] = self.sketch.quantiles([0.5, 0.9, 0.99])?;
        Some(Duration {
            count,
            mean_s: self.sum_ns as f64 / count as f64 / 1e9,
            p50_s,
            p90_s,
            p99_s,
        })
    }
}

/// Count, mean and percentiles of durations, in seconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Duration {
    /// How many durations.
    pub count: u64,
    /// Their mean (exact).
    pub mean_s: f64,
    /// Median, within 1% (DDSketch).
    pub p50_s: f64,
    /// 90th percentile, within 1%.
    pub p90_s: f64,
    /// 99th percentile, within 1%.
    pub p99_s: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn exact(sorted: &[f64], q: f64) -> f64 {
        sorted[(q * (sorted.len() - 1) as f64).floor() as usize]
    }

    /// Several quantiles in one walk are each the quantile alone.
    #[test]
    fn quantiles_in_one_walk_equal_each_alone() {
        let mut rng = crate::simulate::Rng::new(9);
        for n in [1usize, 2, 7, 300, 5_000] {
            let mut s = DdSketch::default();
            for _ in 0..n {
                match rng.below(6) {
                    0 => s.add(0.0),
                    _ => s.add((rng.below(1_000_000) as f64 + 1.0) / 7.0),
                }
            }
            let qs = [0.0, 0.5, 0.9, 0.99, 1.0];
            let each = qs.map(|q| s.quantile(q).unwrap());
            assert_eq!(s.quantiles(qs).unwrap(), each, "{n} values");
        }
        assert_eq!(DdSketch::default().quantiles([0.5]), None);
    }

    #[test]
    fn bucket_index_is_the_logarithm_rounded_up() {
        let l = gamma().ln();
        let mut x: f64 = 1e-12;
        while x < 1e13 {
            let want = (x.ln() / l).ceil() as i32;
            let got = DdSketch::index(x);
            let edge = ((x.ln() / l) - (x.ln() / l).round()).abs() < 1e-9;
            assert!(got == want || edge, "{x}: {got} vs {want}");
            assert!(x <= (f64::from(got) * l).exp() && x > (f64::from(got - 1) * l).exp());
            x *= 1.000_7;
        }
        assert_eq!(DdSketch::index(1.0), 0);
        assert_eq!(
            DdSketch::index(f64::MIN_POSITIVE / 4.0),
            DdSketch::index_far(f64::MIN_POSITIVE / 4.0)
        );
    }

    #[test]
    fn nanosecond_buckets_are_the_buckets_of_the_seconds() {
        let l = gamma().ln();
        let mut ns: f64 = 1.0;
        while ns < 9e18 {
            let n = ns as i64;
            let s = n as f64 / 1e9;
            let edge = ((s.ln() / l) - (s.ln() / l).round()).abs() < 1e-9;
            assert!(
                DdSketch::index_nanos(n) == DdSketch::index(s) || edge,
                "{n} ns"
            );
            ns = ns * 1.003 + 1.0;
        }
        for n in [1, 2, 999_999_999, 1_000_000_000, 1_000_000_001, i64::MAX] {
            let s = n as f64 / 1e9;
            assert_eq!(DdSketch::index_nanos(n), DdSketch::index(s), "{n} ns");
        }
    }

    #[test]
    fn zeros_and_one_value() {
        let mut s = DdSketch::default();
        assert_eq!(s.quantile(0.5), None);
        s.add(0.0);
        assert_eq!(s.quantile(0.5), Some(0.0));
        s.add(10.0);
        s.add(10.0);
        let p = s.quantile(0.9).unwrap();
        assert!((p - 10.0).abs() <= 0.1, "{p}");
        assert_eq!(s.quantile(0.0), Some(0.0));
    }

    proptest! {
        /// Quantiles within 1% of the exact ones; any split merges to the
        /// one-pass sketch, which survives its serialised form.
        #[test]
        fn within_one_percent_and_merge_equals_one_pass(
            xs in prop::collection::vec(
                prop_oneof![Just(0.0), 1e-9f64..1e-3, 1e-3f64..1e4, 1e4f64..1e9],
                1..400,
            ),
            cut in 0usize..400,
        ) {
            let mut one = DdSketch::default();
            for &x in &xs {
                one.add(x);
            }
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            for q in [0.0, 0.5, 0.9, 0.99, 1.0] {
                let want = exact(&sorted, q);
                let got = one.quantile(q).unwrap();
                prop_assert!((got - want).abs() <= RELATIVE_ACCURACY * want * (1.0 + 1e-12),
                    "q={} got {} want {}", q, got, want);
            }
            let cut = cut.min(xs.len());
            let (mut a, mut b) = (DdSketch::default(), DdSketch::default());
            for &x in &xs[..cut] { a.add(x); }
            for &x in xs[cut..].iter().rev() { b.add(x); }
            b.merge(&a);
            prop_assert_eq!(&b, &one);
            let bytes = postcard::to_allocvec(&one).unwrap();
            let back: DdSketch = postcard::from_bytes(&bytes).unwrap();
            prop_assert_eq!(&back, &one);
            prop_assert_eq!(back.quantile(0.9), one.quantile(0.9));
        }
    }
}
