//! The statistics behind the dashboard: Wilson score intervals, the
//! least-squares slope, and p-chart control limits.
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
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
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
    fn wilson_reference_values() {
        // Reference values from the closed form evaluated in exact arithmetic
        // (Python `decimal`, 50 digits), rounded to f64.
        let cases = [
            (0, 10, 0.0, 0.277_532_799_862_889_2),
            (10, 10, 0.722_467_200_137_110_7, 1.0),
            (1, 2, 0.094_531_205_734_230_72, 0.905_468_794_265_769_3),
            (90, 100, 0.825_634_338_495_086_5, 0.944_770_862_939_324_9),
        ];
        for (s, n, lo, hi) in cases {
            let ci = wilson(s, n, Z95).unwrap();
            assert!((ci.low - lo).abs() < 1e-15, "{s}/{n}: {} vs {lo}", ci.low);
            assert!((ci.high - hi).abs() < 1e-15, "{s}/{n}: {} vs {hi}", ci.high);
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
