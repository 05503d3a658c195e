//! Sequential alarms: a Bernoulli CUSUM per MOT (DOMAIN §3d; Reynolds &
//! Stoumbos 1999), so that an owner hears of a failing MOT within a few
//! interactions of it starting to fail, not when the period closes.
//!
//! For an MOT with SMOTO target t, the in-control failure rate is
//! p0 = 1 − t and the rate to detect p1 = R·p0 / (1 − p0 + R·p0) (failure
//! odds multiplied by R, default 2). Each interaction adds a weight to the
//! statistic — ln(p1/p0) for a failure, ln((1 − p1)/(1 − p0)) for a success
//! — and S_t = max(0, S_{t−1} + w_t); an **alarm** when S_t ≥ h, after which
//! S restarts at 0.
//!
//! **Integer weights, exact ARL.** The detector runs on the two weights
//! rounded to integers on a common scale (the smaller weight k units, the
//! larger round(k·ratio), with k the smallest of 1..=64 that keeps the
//! ratio within 0.5%): S and h are reported back in the weights' units. On
//! integers the CUSUM is a finite Markov chain (states 0..H−1, the alarm
//! absorbing), so its in-control average run length (interactions between
//! false alarms at failure rate p0) is computed **exactly**: the chain's
//! equations a(i) = 1 + p0·a(i + U) + (1 − p0)·a(max(0, i − D)) (a = 0 at
//! H and above) are solved by shooting from the top (D unknowns, then a
//! D×D system), O(H·D). h is the smallest threshold on the integer grid
//! (h = H/scale, H = 1, 2, …) whose ARL is at least ARL0 (default 10,000:
//! with 200 interactions a day, one false alarm per MOT in 50 days); it is
//! found by bisection. The tests check the ARL against simulation.
//!
//! ```
//! use mot_core::cusum::Cusum;
//!
//! let c = Cusum::new(0.95, 2.0, 10_000.0).unwrap(); // target 95%
//! assert!((c.p0 - 0.05).abs() < 1e-12);
//! assert!(c.arl >= 10_000.0 && c.h > 0.0);
//! let mut s = 0;
//! // In control, successes keep the statistic at 0; a run of failures alarms.
//! assert!((0..100).all(|_| c.step(&mut s, false).is_none()));
//! let crossed = (0..100).find_map(|_| c.step(&mut s, true)).unwrap();
//! assert!(c.statistic(crossed) >= c.h && s == 0); // restarted
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An alarm, queued by the tracker when it fires (see
/// [`Tracker::drain_alarms`](crate::Tracker::drain_alarms)).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Alarm {
    /// MOT id.
    pub mot: String,
    /// Its MOT Manager's person id.
    pub owner: Option<String>,
    /// The interaction that fired it, seconds since the epoch.
    pub timestamp: i64,
    /// The statistic that crossed the threshold.
    pub statistic: f64,
    /// The threshold h.
    pub h: f64,
    /// In-control failure rate (1 − target).
    pub p0: f64,
    /// The failure rate the detector is tuned to detect.
    pub p1: f64,
}

/// A detector's running state: mergeable as documented on
/// [`Tracker::merge`](crate::Tracker::merge).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CusumState {
    /// The integer statistic.
    pub(crate) s: u32,
    pub(crate) alarms: u64,
    /// The last alarm: when (ns) and the integer statistic that crossed.
    pub(crate) last: Option<(i64, u32)>,
}

/// How the detectors are set (part of a tracker's configuration).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(default, deny_unknown_fields)]
pub struct CusumConfig {
    /// The shift to detect: failure odds multiplied by this (default 2).
    pub odds_ratio: f64,
    /// In-control average run length: interactions between false alarms
    /// of an MOT at its target (default 10,000).
    pub arl0: f64,
}

impl Default for CusumConfig {
    fn default() -> Self {
        CusumConfig {
            odds_ratio: 2.0,
            arl0: 10_000.0,
        }
    }
}

impl CusumConfig {
    /// Whether the values are usable: an odds ratio above 1 and an ARL0 of
    /// at least 1, both finite.
    pub fn is_valid(&self) -> bool {
        self.odds_ratio.is_finite()
            && self.odds_ratio > 1.0
            && self.arl0.is_finite()
            && (1.0..=1e12).contains(&self.arl0)
    }
}

/// One MOT's detector design: rates, weights on the integer grid, the
/// threshold and its exact in-control ARL.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cusum {
    /// In-control failure rate, 1 − target.
    pub p0: f64,
    /// Out-of-control failure rate to detect.
    pub p1: f64,
    /// The configured in-control ARL.
    pub arl0: f64,
    /// The achieved in-control ARL (≥ `arl0`).
    pub arl: f64,
    /// The threshold, in the weights' units.
    pub h: f64,
    /// Integer weight of a failure (added to the statistic).
    pub up: u32,
    /// Integer weight of a success (subtracted).
    pub down: u32,
    /// Integer threshold: an alarm when the integer statistic reaches it.
    pub threshold: u32,
    /// Integer units per unit of the statistic.
    pub scale: f64,
}

/// The largest chain searched: states × (success step + 1), the shooting
/// method's work and memory (8 MB at most). Every target up to 99.999%
/// fits; beyond it (or for a state's corrupt target) there is no detector,
/// and designing one costs at most a few tens of milliseconds.
const MAX_WORK: u64 = 1 << 20;

/// The lowest target with a detector. Below it failures are the norm,
/// and the chain's equations, solved by shooting (a division by the
/// success probability per step), lose their precision.
pub const MIN_TARGET: f64 = 0.35;

/// The largest success step (the number of unknowns the shooting method
/// solves for at the end): every target of 1% or more stays below it.
const MAX_DOWN: u32 = 160;

impl Cusum {
    /// The detector for SMOTO target `target` ([`MIN_TARGET`] ≤ target <
    /// 1), or `None` for a target of 1 (nothing may fail), one below
    /// [`MIN_TARGET`] (failure is the norm) or an invalid configuration.
    pub fn new(target: f64, odds_ratio: f64, arl0: f64) -> Option<Cusum> {
        // Trackers are built often with the same targets: designs are kept.
        type Key = (u64, u64, u64);
        static DESIGNS: std::sync::OnceLock<
            std::sync::Mutex<hashbrown::HashMap<Key, Option<Cusum>>>,
        > = std::sync::OnceLock::new();
        let key = (target.to_bits(), odds_ratio.to_bits(), arl0.to_bits());
        let designs = DESIGNS.get_or_init(Default::default);
        if let Some(d) = designs.lock().ok().and_then(|m| m.get(&key).copied()) {
            return d;
        }
        let d = Cusum::design(target, odds_ratio, arl0);
        if let Ok(mut m) = designs.lock() {
            if m.len() > 4_096 {
                m.clear();
            }
            m.insert(key, d);
        }
        d
    }

    fn design(target: f64, odds_ratio: f64, arl0: f64) -> Option<Cusum> {
        let config = CusumConfig { odds_ratio, arl0 };
        if !((MIN_TARGET..1.0).contains(&target) && config.is_valid()) {
            return None;
        }
        let p0 = 1.0 - target;
        let p1 = odds_ratio * p0 / (1.0 - p0 + odds_ratio * p0);
        let fail = (p1 / p0).ln();
        let succeed = -((1.0 - p1) / (1.0 - p0)).ln();
        let (small, large) = if fail <= succeed {
            (fail, succeed)
        } else {
            (succeed, fail)
        };
        let ratio = large / small;
        let k = (1..=64u32)
            .find(|&k| {
                let x = f64::from(k) * ratio;
                (x.round() - x).abs() <= 0.005 * x
            })
            .unwrap_or(64);
        let big = (f64::from(k) * ratio).round().max(1.0) as u32;
        let (up, down) = if fail <= succeed { (k, big) } else { (big, k) };
        if down > MAX_DOWN || !scale_ok(small) {
            return None;
        }
        let scale = f64::from(k) / small;
        let max_states = (MAX_WORK / u64::from(down + 1)).min(u64::from(u32::MAX)) as u32;
        // Bisection on the integer threshold: ARL grows with it. A value
        // the solve could not give precisely (past the threshold sought, the
        // shooting's divisions grow) counts as past it.
        let arl_at = |h: u32| arl(h, up, down, p0);
        let past = |a: f64| !(a.is_finite() && a >= 1.0) || a >= arl0;
        let mut hi = up.clamp(1, max_states);
        while !past(arl_at(hi)) {
            if hi >= max_states {
                return None;
            }
            hi = hi.saturating_mul(2).min(max_states);
        }
        let mut lo = 0u32; // not past, or 0
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if past(arl_at(mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let achieved = arl_at(hi);
        if !(achieved.is_finite() && achieved >= arl0) {
            return None; // the solve lost its precision: no detector
        }
        Some(Cusum {
            p0,
            p1,
            arl0,
            arl: achieved,
            h: f64::from(hi) / scale,
            up,
            down,
            threshold: hi,
            scale,
        })
    }

    /// One interaction: updates the integer statistic `s`; on an alarm
    /// returns the statistic that crossed the threshold (`s` is then back
    /// at 0).
    #[inline]
    pub fn step(&self, s: &mut u32, failed: bool) -> Option<u32> {
        *s = if failed {
            s.saturating_add(self.up)
        } else {
            s.saturating_sub(self.down)
        };
        (*s >= self.threshold).then(|| std::mem::take(s))
    }

    /// `n` interactions of which `failed` failed, as one step of a
    /// binomial CUSUM (what a merged state runs on per-period counts); on
    /// an alarm returns the statistic that crossed (saturated).
    pub fn step_counts(&self, s: &mut u32, n: u64, failed: u64) -> Option<u32> {
        let up = i128::from(failed.min(n)) * i128::from(self.up);
        let down = i128::from(n - failed.min(n)) * i128::from(self.down);
        let next = (i128::from(*s) + up - down).max(0);
        if next >= i128::from(self.threshold) {
            *s = 0;
            Some(u32::try_from(next).unwrap_or(u32::MAX))
        } else {
            *s = next as u32;
            None
        }
    }

    /// The integer statistic in the weights' units.
    pub fn statistic(&self, s: u32) -> f64 {
        f64::from(s) / self.scale
    }
}

/// Whether the smaller weight is usable as the grid's unit.
fn scale_ok(small: f64) -> bool {
    small.is_finite() && small > 1e-12
}

/// The exact in-control ARL of the integer CUSUM with threshold `h`, up
/// step `up`, down step `down`, failure probability `p`, from state 0.
///
/// a(i) = 1 + p·a(i + up) + q·a(max(0, i − down)) for 0 ≤ i < h, a = 0 at
/// h and above. Each a(i) is written as an affine function of the `down`
/// unknowns a(h − down), …, a(h − 1) (those below 0 do not exist and are
/// dropped), found from the top down: a(i − down) = (a(i) − 1 − p·a(i +
/// up))/q. The equations of states 0..down (where max(0, ·) clamps) then
/// fix the unknowns.
pub(crate) fn arl(h: u32, up: u32, down: u32, p: f64) -> f64 {
    if h == 0 {
        return 0.0;
    }
    let (h, up, down) = (h as usize, up as usize, down as usize);
    let q = 1.0 - p;
    let d = down.min(h); // unknowns: the top d states
    let width = d + 1; // [constant, t_1..t_d]
    let mut c = vec![0.0f64; h * width];
    for r in 0..d {
        c[(h - d + r) * width + 1 + r] = 1.0;
    }
    // From the top: the equation of state i gives a(i − down), from a(i)
    // and a(i + up), both above it (0 at h and beyond).
    for i in (down..h).rev() {
        let j = i - down;
        if j >= h - d {
            continue; // an unknown itself
        }
        let (below, above) = c.split_at_mut(i * width);
        let ai = &above[..width];
        // `above` starts at state i, so state i + up is at offset `up`.
        let aup = (i + up < h).then(|| &above[up * width..(up + 1) * width]);
        let row = &mut below[j * width..(j + 1) * width];
        for k in 0..width {
            let up_k = aup.map_or(0.0, |a| a[k]);
            row[k] = (ai[k] - p * up_k) / q;
        }
        row[0] -= 1.0 / q;
    }
    // States 0..min(down, h): a(i) = 1 + p·a(i + up) + q·a(0).
    let n = d;
    let mut m = vec![0.0f64; n * (n + 1)];
    for (e, i) in (0..down.min(h)).enumerate().take(n) {
        let ai = &c[i * width..(i + 1) * width];
        let a0 = &c[0..width];
        let aup = (i + up < h).then(|| &c[(i + up) * width..(i + up + 1) * width]);
        let up_k = |k: usize| aup.map_or(0.0, |a| a[k]);
        // (ai − p·aup − q·a0)·[1, t] = 1
        for k in 1..width {
            m[e * (n + 1) + (k - 1)] = ai[k] - p * up_k(k) - q * a0[k];
        }
        m[e * (n + 1) + n] = 1.0 - (ai[0] - p * up_k(0) - q * a0[0]);
    }
    let t = solve(n, &mut m);
    let a0 = &c[0..width];
    a0[0] + a0[1..].iter().zip(&t).map(|(x, y)| x * y).sum::<f64>()
}

/// Solves the n×n system in `m` (rows of n coefficients and the right-hand
/// side), Gaussian elimination with partial pivoting.
fn solve(n: usize, m: &mut [f64]) -> Vec<f64> {
    let w = n + 1;
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&a, &b| m[a * w + col].abs().total_cmp(&m[b * w + col].abs()))
            .unwrap_or(col);
        if pivot != col {
            for k in 0..w {
                m.swap(col * w + k, pivot * w + k);
            }
        }
        let d = m[col * w + col];
        if d == 0.0 {
            continue;
        }
        for r in 0..n {
            if r != col {
                let f = m[r * w + col] / d;
                if f != 0.0 {
                    for k in col..w {
                        m[r * w + k] -= f * m[col * w + k];
                    }
                }
            }
        }
    }
    (0..n)
        .map(|r| {
            let d = m[r * w + r];
            if d == 0.0 { 0.0 } else { m[r * w + n] / d }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ARL by a dense linear solve of (I − Q)·a = 1, independently of the
    /// shooting method.
    fn arl_dense(h: u32, up: u32, down: u32, p: f64) -> f64 {
        let n = h as usize;
        let mut m = vec![0.0; n * (n + 1)];
        for i in 0..n {
            m[i * (n + 1) + i] += 1.0;
            let u = i + up as usize;
            if u < n {
                m[i * (n + 1) + u] -= p;
            }
            let dn = i.saturating_sub(down as usize);
            m[i * (n + 1) + dn] -= 1.0 - p;
            m[i * (n + 1) + n] = 1.0;
        }
        solve(n, &mut m)[0]
    }

    #[test]
    fn shooting_equals_a_dense_solve() {
        for (h, up, down, p) in [
            (1, 3, 1, 0.1),
            (5, 1, 1, 0.5),
            (40, 7, 1, 0.05),
            (60, 13, 2, 0.02),
            (30, 2, 3, 0.4),
            (25, 5, 7, 0.45),
            (120, 69, 1, 0.01),
        ] {
            let (a, b) = (arl(h, up, down, p), arl_dense(h, up, down, p));
            assert!(
                (a - b).abs() <= 1e-9 * b.max(1.0),
                "{h} {up} {down} {p}: {a} vs {b}"
            );
        }
    }

    #[test]
    fn thresholds_are_the_smallest_meeting_arl0() {
        for target in [0.5, 0.7, 0.9, 0.95, 0.99, 0.999] {
            let c = Cusum::new(target, 2.0, 10_000.0).unwrap();
            assert!(c.arl >= 10_000.0);
            assert!(arl(c.threshold - 1, c.up, c.down, c.p0) < 10_000.0);
            assert!(c.p1 > c.p0);
        }
        assert!(Cusum::new(1.0, 2.0, 10_000.0).is_none());
        assert!(Cusum::new(0.0, 2.0, 10_000.0).is_none());
        assert!(Cusum::new(0.9, 1.0, 10_000.0).is_none());
        // Extreme targets (as a corrupt state could carry) end quickly,
        // with a detector or without one.
        assert!(Cusum::new(0.3, 2.0, 10_000.0).is_none());
        for t in [
            1e-300,
            1e-9,
            0.01,
            0.02,
            0.25,
            0.999_999,
            1.0 - 1e-12,
            f64::NAN,
        ] {
            let _ = Cusum::new(t, 2.0, 10_000.0);
            let _ = Cusum::new(t, 1e6, 1e12);
        }
    }

    /// Every target of the covered range, on a grid of 0.0005, has a
    /// detector whose ARL meets ARL0 (the shooting stays precise there).
    #[test]
    fn every_target_from_the_minimum_has_a_detector() {
        for i in 700..1_998 {
            let t = f64::from(i) / 2_000.0;
            let c = Cusum::new(t, 2.0, 10_000.0).unwrap_or_else(|| panic!("target {t}"));
            assert!(c.arl >= 10_000.0 && c.arl < 1e5, "target {t}: {}", c.arl);
        }
    }

    proptest::proptest! {
        // Each case designs a detector for a new target (milliseconds each).
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// No stream shorter than threshold/up interactions can alarm,
        /// whatever its failures.
        #[test]
        fn short_streams_never_alarm(
            target in MIN_TARGET..0.999,
            fails in proptest::collection::vec(proptest::bool::ANY, 0..400),
        ) {
            let c = Cusum::new(target, 2.0, 10_000.0).unwrap();
            let short = (c.threshold.div_ceil(c.up) as usize).saturating_sub(1);
            let mut s = 0;
            for &f in fails.iter().take(short) {
                proptest::prop_assert!(c.step(&mut s, f).is_none());
            }
        }
    }

    /// The in-control ARL the detector claims is what simulation gives
    /// (fixed seed, 4,000 runs: the standard error of the mean is ~1.6%).
    #[test]
    fn in_control_arl_matches_simulation() {
        // SplitMix64: a fixed, dependency-free stream of uniforms.
        let mut state = 2026u64;
        let mut uniform = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as f64 / u64::MAX as f64
        };
        for target in [0.8, 0.95, 0.99] {
            let c = Cusum::new(target, 2.0, 500.0).unwrap();
            let runs = 4_000;
            let mut total = 0u64;
            for _ in 0..runs {
                let mut s = 0;
                let mut n = 0u64;
                loop {
                    n += 1;
                    if c.step(&mut s, uniform() < c.p0).is_some() {
                        break;
                    }
                }
                total += n;
            }
            let mean = total as f64 / f64::from(runs);
            assert!(
                (mean - c.arl).abs() <= 0.1 * c.arl,
                "target {target}: simulated {mean}, claimed {}",
                c.arl
            );
        }
    }
}
