//! The statistics behind the published numbers: Wilson score intervals,
//! the least-squares slope, p-chart control limits, and for before/after
//! comparisons the Newcombe interval of a difference of two rates and its
//! always-valid (mSPRT) counterpart.
//!
//! ```
//! use mot_core::stats::{wilson, Z95};
//!
//! let ci = wilson(90, 100, Z95).unwrap();
//! assert!((ci.low - 0.825_634_338_495_086_5).abs() < 1e-15);
//! assert!((ci.high - 0.944_770_862_939_324_9).abs() < 1e-15);
//! assert!(wilson(0, 0, Z95).is_none());
//! ```

use serde::Serialize;

/// The two-sided 95% normal quantile, 1.959963984540054.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A rate with its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// The Wilson score interval (Wilson 1927) for `successes` out of `n`:
///
/// `(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)`, with `p = successes/n`.
///
/// Unlike the normal (Wald) interval it stays inside [0, 1] and is honest
/// for small `n` and for rates near 0 or 1. `None` when `n = 0`.
pub fn wilson(successes: u64, n: u64, z: f64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let n = n as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At p = 0 the half-width equals the centre, and at p = 1 it reaches
    // 1 exactly: the bounds are 0 and 1 there, not a rounding away.
    Some(Interval {
        low: if successes == 0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        high: if successes as f64 == n {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    })
}

// The coefficients of AS 241 `PPND16`, highest degree first; each
// denominator's constant term is 1.
#[allow(clippy::excessive_precision, clippy::inconsistent_digit_grouping)]
mod as241 {
    pub(super) const CENTRAL_NUM: [f64; 8] = [
        2.50908_09287_30122_6727e+3,
        3.34305_75583_58812_8105e+4,
        6.72657_70927_00870_0853e+4,
        4.59219_53931_54987_1457e+4,
        1.37316_93765_50946_1125e+4,
        1.97159_09503_06551_4427e+3,
        1.33141_66789_17843_7745e+2,
        3.38713_28727_96366_6080e+0,
    ];
    pub(super) const CENTRAL_DEN: [f64; 7] = [
        5.22649_52788_52854_5610e+3,
        2.87290_85735_72194_2674e+4,
        3.93078_95800_09271_0610e+4,
        2.12137_94301_58659_5867e+4,
        5.39419_60214_24751_1077e+3,
        6.87187_00749_20579_0830e+2,
        4.23133_30701_60091_1252e+1,
    ];
    pub(super) const TAIL_NUM: [f64; 8] = [
        7.74545_01427_83414_07640e-4,
        2.27238_44989_26918_45833e-2,
        2.41780_72517_74506_11770e-1,
        1.27045_82524_52368_38258e+0,
        3.64784_83247_63204_60504e+0,
        5.76949_72214_60691_40550e+0,
        4.63033_78461_56545_29590e+0,
        1.42343_71107_49683_57734e+0,
    ];
    pub(super) const TAIL_DEN: [f64; 7] = [
        1.05075_00716_44416_84324e-9,
        5.47593_80849_95344_94600e-4,
        1.51986_66563_61645_71966e-2,
        1.48103_97642_74800_74590e-1,
        6.89767_33498_51000_04550e-1,
        1.67638_48301_83803_84940e+0,
        2.05319_16266_37758_82187e+0,
    ];
    pub(super) const FAR_NUM: [f64; 8] = [
        2.01033_43992_92288_13265e-7,
        2.71155_55687_43487_57815e-5,
        1.24266_09473_88078_43860e-3,
        2.65321_89526_57612_30930e-2,
        2.96560_57182_85048_91230e-1,
        1.78482_65399_17291_33580e+0,
        5.46378_49111_64114_36990e+0,
        6.65790_46435_01103_77720e+0,
    ];
    pub(super) const FAR_DEN: [f64; 7] = [
        2.04426_31033_89939_78564e-15,
        1.42151_17583_16445_88870e-7,
        1.84631_83175_10054_68180e-5,
        7.86869_13114_56132_59100e-4,
        1.48753_61290_85061_48525e-2,
        1.36929_88092_27358_05310e-1,
        5.99832_20655_58879_37690e-1,
    ];
}

/// `c[0]·xⁿ + … + c[n]` by Horner's rule.
fn horner(c: &[f64], x: f64) -> f64 {
    c.iter().fold(0.0, |acc, &c| acc * x + c)
}

/// The standard normal quantile: `z` with `Φ(z) = p`, for `0 < p < 1`
/// (Wichura 1988, algorithm AS 241 `PPND16`, accurate to about 1 part in
/// 10¹⁶). `NaN` outside (0, 1).
pub fn normal_quantile(p: f64) -> f64 {
    use as241::*;
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * horner(&CENTRAL_NUM, r) / (horner(&CENTRAL_DEN, r) * r + 1.0);
    }
    let r = (-(if q <= 0.0 { p } else { 1.0 - p }).ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        horner(&TAIL_NUM, r) / (horner(&TAIL_DEN, r) * r + 1.0)
    } else {
        let r = r - 5.0;
        horner(&FAR_NUM, r) / (horner(&FAR_DEN, r) * r + 1.0)
    };
    if q < 0.0 { -x } else { x }
}

/// The two-sided normal quantile for a `1 − alpha` interval:
/// `Φ⁻¹(1 − alpha/2)` ([`Z95`] for `alpha = 0.05`).
pub fn z_for(alpha: f64) -> f64 {
    if alpha == 0.05 {
        Z95
    } else {
        normal_quantile(1.0 - alpha / 2.0)
    }
}

/// The Newcombe hybrid-score interval (Newcombe 1998, method 10) for the
/// difference of two independent rates, `p_b − p_a` (`a` before, `b`
/// after), from their Wilson intervals `(l, u)` at the same `z`:
///
/// ```text
/// δ = p_b − p_a,  low = δ − √((p_b − l_b)² + (u_a − p_a)²),
///                 high = δ + √((u_b − p_b)² + (p_a − l_a)²)
/// ```
///
/// It keeps the Wilson interval's good coverage for small samples and
/// rates near 0 or 1, where the Wald interval fails. `None` when either
/// sample is empty.
///
/// ```
/// use mot_core::stats::{newcombe, Z95};
///
/// // Newcombe (1998), Table II, example (a): 56/70 − 48/80.
/// let ci = newcombe(48, 80, 56, 70, Z95).unwrap();
/// assert!((ci.low - 0.0524).abs() < 5e-5 && (ci.high - 0.3339).abs() < 5e-5);
/// ```
pub fn newcombe(s_a: u64, n_a: u64, s_b: u64, n_b: u64, z: f64) -> Option<Interval> {
    let (pa, pb) = (rate(s_a, n_a)?, rate(s_b, n_b)?);
    let (a, b) = (wilson(s_a, n_a, z)?, wilson(s_b, n_b, z)?);
    let d = pb - pa;
    Some(Interval {
        low: d - ((pb - b.low).powi(2) + (a.high - pa).powi(2)).sqrt(),
        high: d + ((b.high - pb).powi(2) + (pa - a.low).powi(2)).sqrt(),
    })
}

/// The always-valid interval for `p_b − p_a` of a mixture sequential
/// probability ratio test with a normal mixture `N(0, τ²)` over the true
/// difference (Johari, Pekelis & Walsh 2017):
///
/// ```text
/// θ̂ ± √( V(V + τ²)/τ² · ( ln((V + τ²)/V) + 2·ln(1/α) ) ),
/// V = p̂_a(1 − p̂_a)/n_a + p̂_b(1 − p̂_b)/n_b
/// ```
///
/// Unlike a fixed-horizon interval it stays valid however often it is
/// looked at (daily, at every batch) and whenever one stops: the chance
/// that it *ever* excludes the true difference is at most `alpha`. The
/// price is width. `τ²` is the variance of the mixture: the interval is
/// narrowest when `V` is near `τ²/…`, i.e. when the data can just resolve
/// an effect of size `τ`; set it to the square of a typical effect you
/// care about (the default 0.0025 is a 5-point change of a rate). Any
/// `τ² > 0` keeps the guarantee.
///
/// `None` when either sample is empty, or when `V = 0` (every rate 0 or
/// 1: the normal approximation behind the test has no variance to use).
pub fn always_valid(
    s_a: u64,
    n_a: u64,
    s_b: u64,
    n_b: u64,
    alpha: f64,
    tau2: f64,
) -> Option<Interval> {
    let (pa, pb) = (rate(s_a, n_a)?, rate(s_b, n_b)?);
    let v = pa * (1.0 - pa) / n_a as f64 + pb * (1.0 - pb) / n_b as f64;
    if !(v > 0.0 && tau2 > 0.0 && alpha > 0.0 && alpha < 1.0) {
        return None;
    }
    let half = (v * (v + tau2) / tau2 * (((v + tau2) / v).ln() + 2.0 * (1.0 / alpha).ln())).sqrt();
    let d = pb - pa;
    Some(Interval {
        low: d - half,
        high: d + half,
    })
}

/// `successes / n`, or `None` when `n = 0`.
pub fn rate(successes: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| successes as f64 / n as f64)
}

/// The ordinary least-squares slope of `y` on `x`; `None` with fewer than
/// two distinct `x`.
///
/// Computed on centred values (two passes), so large `x` such as day
/// numbers since 1970 lose no precision.
pub fn ols_slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(x, y) in points {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
    }
    (sxx > 0.0).then(|| sxy / sxx)
}

/// p-chart limits for one period of `n` items around the centre line
/// `p_bar`: `p̄ ± 3·√(p̄(1−p̄)/n)`, clipped to [0, 1]. `None` when `n = 0`.
pub fn p_chart_limits(p_bar: f64, n: u64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let sigma = (p_bar * (1.0 - p_bar) / n as f64).sqrt();
    Some(Interval {
        low: (p_bar - 3.0 * sigma).max(0.0),
        high: (p_bar + 3.0 * sigma).min(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_reference_values() {
        // Python's `statistics.NormalDist().inv_cdf` (also AS 241), and
        // the symmetry Φ⁻¹(1 − p) = −Φ⁻¹(p).
        let cases = [
            (0.975, 1.959_963_984_540_053_6),
            (0.995, 2.575_829_303_548_9),
            (0.9, 1.281_551_565_544_600_8),
            (0.5, 0.0),
            (1e-10, -6.361_340_902_404_056),
            (0.024_25, -1.972_961_051_311_884_5),
        ];
        for (p, z) in cases {
            let got = normal_quantile(p);
            assert!(
                (got - z).abs() <= 1e-15 * z.abs().max(1.0),
                "{p}: {got} vs {z}"
            );
            if p > 1e-3 {
                assert!((normal_quantile(1.0 - p) + got).abs() < 1e-12, "{p}");
            }
        }
        assert!((z_for(0.05) - Z95).abs() < 1e-15);
        assert!((z_for(0.01) - 2.575_829_303_548_9).abs() < 1e-14);
        for p in [0.0, 1.0, -0.1, f64::NAN] {
            assert!(normal_quantile(p).is_nan());
        }
    }

    #[test]
    fn newcombe_reference_values() {
        // Newcombe (1998), Table II, method 10, to the published 4 decimals
        // (p_b − p_a here; the paper's p1 − p2 is the mirror image).
        let cases = [
            ((48, 80, 56, 70), (0.0524, 0.3339)),
            ((0, 10, 9, 10), (0.4883, 0.9821)),
            ((0, 10, 0, 20), (-0.2775, 0.1611)),
            ((5, 56, 0, 29), (-0.1926, 0.0381)),
        ];
        for ((sa, na, sb, nb), (lo, hi)) in cases {
            let ci = newcombe(sa, na, sb, nb, Z95).unwrap();
            assert!(
                (ci.low - lo).abs() < 5e-5,
                "{sa}/{na} {sb}/{nb}: {}",
                ci.low
            );
            assert!(
                (ci.high - hi).abs() < 5e-5,
                "{sa}/{na} {sb}/{nb}: {}",
                ci.high
            );
        }
        assert_eq!(newcombe(0, 0, 1, 2, Z95), None);
    }

    #[test]
    fn always_valid_keeps_its_coverage_under_daily_peeking() {
        // No true change (30% in both arms), 100 trials a day per arm,
        // looked at every day for 60 days, 600 runs (fixed seed): the
        // fixed-horizon interval excludes the true difference on some day
        // in far more than 5% of runs; the always-valid one in at most 5%.
        let mut rng = crate::simulate::Rng::new(2017);
        let (runs, days, per_day, p) = (600, 60, 100, 0.3);
        let (mut fixed_wrong, mut av_wrong) = (0, 0);
        for _ in 0..runs {
            let (mut sa, mut sb, mut n) = (0u64, 0u64, 0u64);
            let (mut fixed_seen, mut av_seen) = (false, false);
            for _ in 0..days {
                for _ in 0..per_day {
                    sa += u64::from(rng.unit() < p);
                    sb += u64::from(rng.unit() < p);
                }
                n += per_day;
                let f = newcombe(sa, n, sb, n, Z95).unwrap();
                fixed_seen |= f.low > 0.0 || f.high < 0.0;
                if let Some(a) = always_valid(sa, n, sb, n, 0.05, 0.0025) {
                    av_seen |= a.low > 0.0 || a.high < 0.0;
                }
            }
            fixed_wrong += u64::from(fixed_seen);
            av_wrong += u64::from(av_seen);
        }
        let (fixed, av) = (
            fixed_wrong as f64 / runs as f64,
            av_wrong as f64 / runs as f64,
        );
        assert!(fixed > 0.15, "fixed-horizon error under peeking: {fixed}");
        assert!(av <= 0.05, "always-valid error under peeking: {av}");
        // And it still finds a real change: 30% → 36%.
        let (mut found, mut rng) = (0, crate::simulate::Rng::new(7));
        for _ in 0..100 {
            let (mut sa, mut sb) = (0u64, 0u64);
            for _ in 0..days * per_day {
                sa += u64::from(rng.unit() < 0.30);
                sb += u64::from(rng.unit() < 0.36);
            }
            let n = days * per_day;
            found += u64::from(always_valid(sa, n, sb, n, 0.05, 0.0025).unwrap().low > 0.0);
        }
        assert!(found >= 90, "power: {found}/100");
    }

    #[test]
    fn always_valid_closed_form() {
        // 30/100 before, 45/100 after, α = 0.05, τ² = 0.0025, by hand:
        // V = 0.21/100 + 0.2475/100 = 0.004575.
        let v: f64 = 0.004575;
        let half =
            (v * (v + 0.0025) / 0.0025 * (((v + 0.0025) / v).ln() + 2.0 * 20f64.ln())).sqrt();
        let ci = always_valid(30, 100, 45, 100, 0.05, 0.0025).unwrap();
        assert!((ci.low - (0.15 - half)).abs() < 1e-15 && (ci.high - (0.15 + half)).abs() < 1e-15);
        // Wider than the fixed-horizon interval, which it must be.
        let fixed = newcombe(30, 100, 45, 100, Z95).unwrap();
        assert!(ci.low < fixed.low && ci.high > fixed.high);
        // No variance, no interval; no data, no interval.
        assert_eq!(always_valid(0, 10, 0, 10, 0.05, 0.0025), None);
        assert_eq!(always_valid(0, 0, 1, 2, 0.05, 0.0025), None);
    }

    #[test]
    fn wilson_reference_values() {
        // Reference values from the closed form evaluated in exact arithmetic
        // (Python `decimal`, 50 digits), rounded to f64.
        let cases = [
            (0, 10, 0.0, 0.277_532_799_862_889_2),
            // Rounding once gave a lower bound of 2.8e-17 here, above the rate.
            (0, 7, 0.0, 0.354_330_435_066_687_4),
            (7, 7, 0.645_669_564_933_312_6, 1.0),
            (10, 10, 0.722_467_200_137_110_7, 1.0),
            (1, 2, 0.094_531_205_734_230_72, 0.905_468_794_265_769_3),
            (90, 100, 0.825_634_338_495_086_5, 0.944_770_862_939_324_9),
        ];
        for (s, n, lo, hi) in cases {
            let ci = wilson(s, n, Z95).unwrap();
            assert!((ci.low - lo).abs() < 1e-15, "{s}/{n}: {} vs {lo}", ci.low);
            assert!((ci.high - hi).abs() < 1e-15, "{s}/{n}: {} vs {hi}", ci.high);
            // A bound of 0 or 1 is exact: a rate of 0 is inside its interval.
            assert!(lo != 0.0 || ci.low == 0.0, "{s}/{n}: {}", ci.low);
            assert!(hi != 1.0 || ci.high == 1.0, "{s}/{n}: {}", ci.high);
        }
        assert_eq!(wilson(0, 0, Z95), None);
    }

    #[test]
    fn slope() {
        let pts: Vec<(f64, f64)> = (0..10)
            .map(|i| (20_000.0 + i as f64, 0.5 - 0.01 * i as f64))
            .collect();
        assert!((ols_slope(&pts).unwrap() + 0.01).abs() < 1e-12);
        assert_eq!(ols_slope(&[(1.0, 2.0)]), None);
        assert_eq!(ols_slope(&[(1.0, 2.0), (1.0, 3.0)]), None);
    }

    #[test]
    fn p_chart() {
        let l = p_chart_limits(0.9, 100).unwrap();
        assert!((l.low - 0.81).abs() < 1e-12 && (l.high - 0.99).abs() < 1e-12);
        let wide = p_chart_limits(0.5, 1).unwrap();
        assert_eq!((wide.low, wide.high), (0.0, 1.0));
        assert_eq!(p_chart_limits(0.5, 0), None);
    }
}
