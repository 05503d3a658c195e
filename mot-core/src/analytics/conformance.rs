//! Conformance: how far each journey is from the designed journey (the
//! Design–Implementation gap, DOMAIN §3b).
//!
//! The designed journey D (length m) is
//! [`Experience::designed_journey`](crate::Experience::designed_journey) or
//! a sequence given as an option; the observed sequence S (length n) of a
//! journey is its MOTs in time order, the sequence of its variant. With
//! LCS the length of their longest common subsequence:
//!
//! - **deviation cost** c = n + m − 2·LCS(S, D): the fewest insertions and
//!   deletions that turn S into D — the cost of an optimal alignment with
//!   unit-cost log and model moves against a strictly sequential model, as
//!   pm4py's alignments report it;
//! - **fitness** f = 1 − c/(n + m); a journey **conforms** when c = 0;
//! - the **kinds** of deviation, which do not depend on which optimal
//!   alignment is chosen: for an MOT x of D seen c_S(x) times and designed
//!   c_D(x) times, **missing** = max(0, c_D − c_S) (a step skipped) and
//!   **extra** = max(0, c_S − c_D) (a step repeated: rework); **undesigned**
//!   counts interactions with MOTs outside D (detours); **out of order** =
//!   Σ_x min(c_S, c_D) − LCS. Then c = missing + extra + undesigned +
//!   2·out_of_order.
//!
//! LCS is computed bit-parallel (Allison–Dix 1986, in the form of
//! Crochemore et al. 2001 that Hyyrö 2004 analyses): D is encoded once as
//! one bit mask per MOT, and each observed MOT updates a bit vector of m
//! bits with one addition and three logical operations — one machine word
//! per 64 designed steps, O(n·⌈m/64⌉) per journey. The tracker computes it
//! once per distinct variant.
//!
//! ```
//! use mot_core::conformance::Deviation;
//!
//! let designed = ["search", "book", "pay", "board"];
//! let observed = ["search", "pay", "book", "call", "board", "board"];
//! let d = Deviation::of(&observed, &designed);
//! assert_eq!(d.lcs, 3); // search, book|pay, board
//! assert_eq!(d.cost, 6 + 4 - 2 * 3);
//! assert_eq!((d.missing, d.extra, d.undesigned, d.out_of_order), (0, 1, 1, 1));
//! assert!((d.fitness() - 0.6).abs() < 1e-12);
//! assert!(!d.conforms());
//! ```

use std::hash::Hash;

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use crate::numeric::Sum;
use crate::trend::Series;

/// The deviation of one observed sequence from a designed one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deviation {
    /// Observed length n.
    pub observed: u32,
    /// Designed length m.
    pub designed: u32,
    /// Length of the longest common subsequence.
    pub lcs: u32,
    /// n + m − 2·LCS.
    pub cost: u32,
    /// Designed steps skipped.
    pub missing: u32,
    /// Designed MOTs seen more often than designed.
    pub extra: u32,
    /// Interactions with MOTs outside the design.
    pub undesigned: u32,
    /// Pairs of designed steps seen in the wrong order.
    pub out_of_order: u32,
}

impl Deviation {
    /// The deviation of `observed` from `designed`, for any comparable ids.
    pub fn of<T: Eq + Hash>(observed: &[T], designed: &[T]) -> Deviation {
        let mut codes: HashMap<&T, u32> = HashMap::new();
        let mut code = |x| {
            let next = codes.len() as u32;
            *codes.entry(x).or_insert(next)
        };
        let d: Vec<u32> = designed.iter().map(&mut code).collect();
        let s: Vec<u32> = observed.iter().map(&mut code).collect();
        let design = Design::new(&d, codes.len());
        let mut scratch = GapScratch::default();
        design.measure(&s, &mut scratch, |_, _, _, _| {})
    }

    /// 1 − cost/(n + m); 1 when both are empty.
    pub fn fitness(&self) -> f64 {
        fitness(self.cost, self.observed + self.designed)
    }

    /// Whether the sequence is exactly the design.
    pub fn conforms(&self) -> bool {
        self.cost == 0
    }
}

/// 1 − cost/len, 1 for an empty pair.
pub(crate) fn fitness(cost: u32, len: u32) -> f64 {
    if len == 0 {
        1.0
    } else {
        1.0 - f64::from(cost) / f64::from(len)
    }
}

/// A designed journey encoded for bit-parallel LCS, over MOT codes
/// `0..mots`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Design {
    /// The designed codes, in order.
    steps: Vec<u32>,
    /// Words per bit vector: ⌈m/64⌉.
    words: usize,
    /// Per code, where its match mask starts in `masks` (`u32::MAX`: not
    /// designed).
    slot: Vec<u32>,
    /// Match masks, `words` words each, one per distinct designed code.
    masks: Vec<u64>,
    /// Per distinct designed code (in slot order): the code and how often
    /// D holds it.
    counts: Vec<(u32, u32)>,
    /// Mask of the used bits of the last word.
    top: u64,
}

/// Reusable buffers for measuring journeys.
#[derive(Clone, Debug, Default)]
pub(crate) struct GapScratch {
    v: Vec<u64>,
    seen: Vec<u32>,
    /// Per code, interactions with an undesigned MOT (zero between calls).
    other: Vec<u32>,
    order: Vec<u32>,
}

impl Design {
    /// Encodes `steps` (codes below `mots`).
    pub(crate) fn new(steps: &[u32], mots: usize) -> Design {
        let m = steps.len();
        let words = m.div_ceil(64);
        let mut slot = vec![u32::MAX; mots];
        let mut masks = Vec::new();
        let mut counts: Vec<(u32, u32)> = Vec::new();
        for (j, &c) in steps.iter().enumerate() {
            let k = match slot[c as usize] {
                u32::MAX => {
                    let k = counts.len() as u32;
                    slot[c as usize] = k;
                    counts.push((c, 0));
                    masks.resize(masks.len() + words, 0);
                    k
                }
                k => k,
            };
            counts[k as usize].1 += 1;
            masks[k as usize * words + j / 64] |= 1 << (j % 64);
        }
        let top = match m % 64 {
            0 => u64::MAX,
            r => (1u64 << r) - 1,
        };
        Design {
            steps: steps.to_vec(),
            words,
            slot,
            masks,
            counts,
            top,
        }
    }

    /// The designed codes.
    pub(crate) fn steps(&self) -> &[u32] {
        &self.steps
    }

    /// Whether `code` is a designed MOT.
    pub(crate) fn contains(&self, code: u32) -> bool {
        self.slot.get(code as usize).is_some_and(|&k| k != u32::MAX)
    }

    /// Length of the LCS of `seq` and the design, bit-parallel.
    #[cfg_attr(mot_speed, optimize(speed))]
    pub(crate) fn lcs(&self, seq: &[u32], v: &mut Vec<u64>) -> u32 {
        let w = self.words;
        if w == 0 {
            return 0;
        }
        v.clear();
        v.resize(w, u64::MAX);
        v[w - 1] = self.top;
        for &c in seq {
            let Some(&k) = self.slot.get(c as usize) else {
                continue;
            };
            if k == u32::MAX {
                continue; // not designed: V & 0 = 0, V unchanged
            }
            let mask = &self.masks[k as usize * w..(k as usize + 1) * w];
            // V ← (V + (V & M)) | (V & !M), the addition carrying across words.
            let mut carry = 0u64;
            for (x, &mk) in v.iter_mut().zip(mask) {
                let u = *x & mk;
                let (s1, c1) = x.overflowing_add(u);
                let (s2, c2) = s1.overflowing_add(carry);
                carry = u64::from(c1 | c2);
                *x = s2 | (*x & !mk);
            }
            v[w - 1] &= self.top;
        }
        let ones: u32 = v.iter().map(|x| x.count_ones()).sum();
        self.steps.len() as u32 - ones
    }

    /// The deviation of `seq`; `per_mot(code, missing, extra, undesigned)`
    /// is called for every MOT with a non-zero share, designed MOTs first
    /// (in design order), then undesigned ones in order of first
    /// appearance.
    pub(crate) fn measure(
        &self,
        seq: &[u32],
        scratch: &mut GapScratch,
        mut per_mot: impl FnMut(u32, u32, u32, u32),
    ) -> Deviation {
        // One copy of the body, whatever the closure (code size in
        // WebAssembly).
        self.measure_dyn(seq, scratch, &mut per_mot)
    }

    fn measure_dyn(
        &self,
        seq: &[u32],
        scratch: &mut GapScratch,
        per_mot: &mut dyn FnMut(u32, u32, u32, u32),
    ) -> Deviation {
        let n = seq.len() as u32;
        let m = self.steps.len() as u32;
        // c_S per designed code (by slot), and the undesigned ones; with a
        // design of at most 64 steps (one word), the LCS in the same pass.
        let GapScratch {
            v,
            seen,
            other,
            order,
        } = scratch;
        seen.clear();
        seen.resize(self.counts.len(), 0);
        order.clear();
        let mut undesigned = 0u32;
        // Undesigned MOTs: counted per code, listed in order of first
        // appearance.
        let mut not_designed = |c: u32| {
            undesigned += 1;
            let i = c as usize;
            if i >= other.len() {
                other.resize(i + 1, 0);
            }
            if other[i] == 0 {
                order.push(c);
            }
            other[i] += 1;
        };
        let lcs = if self.words == 1 {
            let mut v = self.top;
            for &c in seq {
                match self.slot.get(c as usize) {
                    Some(&k) if k != u32::MAX => {
                        seen[k as usize] += 1;
                        let mk = self.masks[k as usize];
                        let u = v & mk;
                        v = (v.wrapping_add(u) | (v & !mk)) & self.top;
                    }
                    _ => not_designed(c),
                }
            }
            m - v.count_ones()
        } else {
            for &c in seq {
                match self.slot.get(c as usize) {
                    Some(&k) if k != u32::MAX => seen[k as usize] += 1,
                    _ => not_designed(c),
                }
            }
            self.lcs(seq, v)
        };
        let (mut missing, mut extra, mut common) = (0u32, 0u32, 0u32);
        for (&(code, want), &got) in self.counts.iter().zip(seen.iter()) {
            let miss = want.saturating_sub(got);
            let more = got.saturating_sub(want);
            missing += miss;
            extra += more;
            common += want.min(got);
            if miss > 0 || more > 0 {
                per_mot(code, miss, more, 0);
            }
        }
        // Each undesigned MOT once, in order of first appearance.
        for &c in order.iter() {
            per_mot(c, 0, 0, std::mem::take(&mut other[c as usize]));
        }
        let cost = n + m - 2 * lcs;
        Deviation {
            observed: n,
            designed: m,
            lcs,
            cost,
            missing,
            extra,
            undesigned,
            out_of_order: common - lcs,
        }
    }
}

/// Conformance counts over closed journeys: the tracker's mergeable state
/// behind the dashboard's `conformance` section. Every figure is a count,
/// so merged states give exactly the single-pass figures.
///
/// Per journey it keeps only what depends on the journey itself: whether
/// it followed the design exactly, its outcome and the period of its first
/// interaction. What depends only on the sequence (cost, fitness, the kinds
/// of deviation, each MOT's share) is measured once per distinct sequence
/// from the variant table when the dashboard is built; without a variant
/// table it is summed here, in `sums` and the MOTs' counts, as journeys
/// close.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct GapStats {
    pub(crate) journeys: u64,
    pub(crate) conforming: u64,
    /// `[known outcome, SCO]` of conforming journeys, and of deviating ones.
    pub(crate) conforming_sco: [u64; 2],
    pub(crate) deviating_sco: [u64; 2],
    /// Journeys and conforming ones per period of their first interaction.
    pub(crate) periods: Series,
    /// Without a variant table: the sums over journeys of what depends on
    /// the sequence.
    pub(crate) sums: GapSums,
}

/// Sums of deviations over journeys.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct GapSums {
    /// Journeys added.
    pub(crate) journeys: u64,
    /// Sum of the deviation costs.
    pub(crate) cost: u64,
    /// Totals: missing, extra, undesigned, out of order.
    pub(crate) deviations: [u64; 4],
    /// Journeys by `(cost, n + m)`: the mean fitness from exact counts,
    /// the same whatever the order journeys were added or merged in.
    #[serde(with = "pairs")]
    pub(crate) fitness: HashMap<(u32, u32), u64>,
}

/// A `(u32, u32) → u64` map as a list sorted by key (canonical bytes).
mod pairs {
    use hashbrown::HashMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(
        map: &HashMap<(u32, u32), u64>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut v: Vec<((u32, u32), u64)> = map.iter().map(|(&k, &c)| (k, c)).collect();
        v.sort_unstable();
        v.serialize(serializer)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<HashMap<(u32, u32), u64>, D::Error> {
        let v = Vec::<((u32, u32), u64)>::deserialize(deserializer)?;
        let n = v.len();
        let map: HashMap<_, _> = v.into_iter().collect();
        if map.len() != n {
            return Err(serde::de::Error::custom("a fitness count is listed twice"));
        }
        Ok(map)
    }
}

/// [`GapSums`] built from many journeys (the distinct sequences of a
/// variant table): the fitness pairs `(cost, n + m)` of short journeys are
/// counted in a dense table, and go into the map once at the end.
pub(crate) struct GapTally {
    sums: GapSums,
    /// `short[(n + m) << 8 | cost]` for `n + m < 256`.
    short: Vec<u64>,
}

impl GapTally {
    pub(crate) fn new() -> GapTally {
        GapTally {
            sums: GapSums::default(),
            short: vec![0; 1 << 16],
        }
    }

    /// Adds `count` journeys with deviation `d`.
    #[inline]
    pub(crate) fn add(&mut self, d: &Deviation, count: u64) {
        let len = d.observed + d.designed;
        if len < 256 {
            self.sums.add_counts(d, count);
            self.short[(len << 8 | d.cost) as usize] += count;
        } else {
            self.sums.add(d, count);
        }
    }

    pub(crate) fn finish(mut self) -> GapSums {
        for (k, &c) in self.short.iter().enumerate().filter(|(_, c)| **c > 0) {
            let key = ((k & 0xff) as u32, (k >> 8) as u32);
            *self.sums.fitness.entry(key).or_default() += c;
        }
        self.sums
    }
}

impl GapSums {
    /// Adds `count` journeys with deviation `d`.
    #[inline]
    pub(crate) fn add(&mut self, d: &Deviation, count: u64) {
        self.add_counts(d, count);
        *self
            .fitness
            .entry((d.cost, d.observed + d.designed))
            .or_default() += count;
    }

    /// [`GapSums::add`] but for the fitness counts.
    #[inline]
    fn add_counts(&mut self, d: &Deviation, count: u64) {
        self.journeys += count;
        self.cost += u64::from(d.cost) * count;
        for (t, x) in
            self.deviations
                .iter_mut()
                .zip([d.missing, d.extra, d.undesigned, d.out_of_order])
        {
            *t += u64::from(x) * count;
        }
    }

    pub(crate) fn merge(&mut self, other: &GapSums) {
        self.journeys += other.journeys;
        self.cost += other.cost;
        for (a, b) in self.deviations.iter_mut().zip(other.deviations) {
            *a += b;
        }
        for (&k, &c) in &other.fitness {
            *self.fitness.entry(k).or_default() += c;
        }
    }

    /// Mean fitness over the journeys, `None` without one.
    pub(crate) fn mean_fitness(&self) -> Option<f64> {
        if self.journeys == 0 {
            return None;
        }
        let mut keys: Vec<_> = self.fitness.iter().collect();
        keys.sort_unstable();
        let mut sum = Sum::default();
        for (&(cost, len), &c) in keys {
            sum.add(c as f64 * fitness(cost, len));
        }
        Some(sum.value() / self.journeys as f64)
    }

    fn check(&self) -> bool {
        let in_fitness = self
            .fitness
            .values()
            .try_fold(0u64, |a, &c| a.checked_add(c));
        in_fitness == Some(self.journeys) && self.fitness.keys().all(|&(c, l)| c <= l)
    }
}

impl GapStats {
    /// Adds one journey: whether it conforms, its outcome (`None`:
    /// unknown) and the period of its first interaction.
    #[inline]
    pub(crate) fn add(&mut self, conforms: bool, sco: Option<bool>, period: i64) {
        self.journeys += 1;
        self.conforming += u64::from(conforms);
        if let Some(sco) = sco {
            let group = if conforms {
                &mut self.conforming_sco
            } else {
                &mut self.deviating_sco
            };
            group[0] += 1;
            group[1] += u64::from(sco);
        }
        self.periods.add(period, 1, u64::from(conforms));
    }

    pub(crate) fn merge(&mut self, other: &GapStats) {
        self.journeys += other.journeys;
        self.conforming += other.conforming;
        for (a, b) in [
            (&mut self.conforming_sco, other.conforming_sco),
            (&mut self.deviating_sco, other.deviating_sco),
        ] {
            a[0] += b[0];
            a[1] += b[1];
        }
        self.periods.merge(&other.periods);
        self.sums.merge(&other.sums);
    }

    /// The invariants of a decoded state.
    pub(crate) fn check(&self) -> Result<(), String> {
        let in_periods = self
            .periods
            .iter()
            .try_fold(0u64, |a, (_, n, _)| a.checked_add(n));
        let groups = self.conforming_sco[0].checked_add(self.deviating_sco[0]);
        if self.conforming > self.journeys
            || in_periods != Some(self.journeys)
            || groups.is_none_or(|g| g > self.journeys)
            || self.conforming_sco[1] > self.conforming_sco[0]
            || self.deviating_sco[1] > self.deviating_sco[0]
            || self.conforming_sco[0] > self.conforming
            || self.sums.journeys > self.journeys
            || !self.sums.check()
        {
            return Err("conformance counts are inconsistent".into());
        }
        self.periods.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// LCS by plain dynamic programming.
    fn lcs_dp(a: &[u32], b: &[u32]) -> u32 {
        let mut row = vec![0u32; b.len() + 1];
        for &x in a {
            let mut diag = 0;
            for (j, &y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y {
                    diag + 1
                } else {
                    row[j + 1].max(row[j])
                };
                diag = up;
            }
        }
        row[b.len()]
    }

    #[test]
    fn conforming_and_empty_sequences() {
        let d = Deviation::of(&["a", "b"], &["a", "b"]);
        assert!(d.conforms());
        assert_eq!(d.fitness(), 1.0);
        let empty: [&str; 0] = [];
        let d = Deviation::of(&empty, &["a", "b"]);
        assert_eq!((d.cost, d.missing), (2, 2));
        assert_eq!(d.fitness(), 0.0);
        let d = Deviation::of(&["x", "y", "x"], &["a"]);
        assert_eq!((d.undesigned, d.missing, d.cost), (3, 1, 4));
    }

    #[test]
    fn per_mot_shares_add_up() {
        let design = Design::new(&[0, 1, 2, 1], 5);
        let mut scratch = GapScratch::default();
        let mut shares = Vec::new();
        let d = design.measure(&[1, 3, 1, 1, 4, 3, 0], &mut scratch, |c, a, b, u| {
            shares.push((c, a, b, u))
        });
        assert_eq!(
            shares,
            vec![(1, 0, 1, 0), (2, 1, 0, 0), (3, 0, 0, 2), (4, 0, 0, 1)]
        );
        assert_eq!(
            d.cost,
            d.missing + d.extra + d.undesigned + 2 * d.out_of_order
        );
    }

    proptest! {
        /// The bit-parallel LCS equals the dynamic programme, across word
        /// boundaries (designs up to 200 steps over few symbols, so that
        /// repeats are common), and the cost splits into the four kinds.
        #[test]
        fn bit_parallel_lcs_equals_dynamic_programming(
            d in prop::collection::vec(0u32..6, 0..200),
            s in prop::collection::vec(0u32..8, 0..150),
        ) {
            let design = Design::new(&d, 8);
            let mut scratch = GapScratch::default();
            let mut sum = [0u32; 3];
            let dev = design.measure(&s, &mut scratch, |_, a, b, u| {
                sum[0] += a;
                sum[1] += b;
                sum[2] += u;
            });
            prop_assert_eq!(dev.lcs, lcs_dp(&s, &d));
            prop_assert_eq!(dev.cost, dev.missing + dev.extra + dev.undesigned + 2 * dev.out_of_order);
            prop_assert_eq!(sum, [dev.missing, dev.extra, dev.undesigned]);
        }
    }
}
