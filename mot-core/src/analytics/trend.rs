//! Trends: SMOTO rate per period, its least-squares slope, and p-chart
//! control limits that flag out-of-control periods.
//!
//! A [`Period`] is a UTC day, an ISO week (Monday 00:00 UTC), or any width
//! in seconds counted from the epoch. For each MOT and period the engine
//! counts interactions and successes; the dashboard draws a p-chart per MOT:
//! centre line `p̄` = the MOT's successes / interactions over all periods,
//! limits `p̄ ± 3·√(p̄(1−p̄)/nᵢ)` clipped to [0, 1], and flags every period
//! whose rate lies outside them. This is the classic (Phase I) p-chart:
//! the centre line is estimated from the same periods it judges.
//!
//! ```
//! use mot_core::Period;
//! let week: Period = "week".parse()?;
//! // 1970-01-01 was a Thursday: its ISO week began on Monday 1969-12-29.
//! assert_eq!(week.start_of(week.index(0)), -3 * 86_400);
//! assert_eq!("6h".parse::<Period>()?, Period::Seconds(21_600));
//! # Ok::<(), mot_core::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The width of a trend period.
///
/// Written and read as text everywhere (serde included): `day`, `week`, or
/// `<n>s`. `week` (also `1w`) is the ISO week; any other width (`7d`,
/// `168h`, `2w`) counts periods from the epoch, so a `7d` period starts on a
/// Thursday.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Period {
    /// A UTC calendar day.
    #[default]
    Day,
    /// An ISO week: Monday 00:00 UTC to the next Monday.
    Week,
    /// A fixed width in seconds, periods counted from the epoch.
    Seconds(i64),
}

impl Period {
    /// The period's width in seconds.
    pub fn width(self) -> i64 {
        match self {
            Period::Day => DAY,
            Period::Week => 7 * DAY,
            Period::Seconds(s) => s.max(1),
        }
    }

    /// Whether every period is made of whole UTC days (a day never
    /// straddles two periods): a day's counts can be added to its period.
    pub(crate) fn whole_days(self) -> bool {
        self.width() % DAY == 0 && self.offset() % DAY == 0
    }

    fn offset(self) -> i64 {
        match self {
            Period::Week => 3 * DAY,
            _ => 0,
        }
    }

    /// The index of the period holding `seconds` since the epoch.
    #[inline]
    pub fn index(self, seconds: i64) -> i64 {
        (seconds + self.offset()).div_euclid(self.width())
    }

    /// When period `index` starts, in seconds since the epoch.
    pub fn start_of(self, index: i64) -> i64 {
        index * self.width() - self.offset()
    }

    /// The name used in reports: `day`, `week` or `<n>s`.
    pub fn name(self) -> String {
        match self {
            Period::Day => "day".into(),
            Period::Week => "week".into(),
            Period::Seconds(s) => format!("{s}s"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.name())
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::settings::parsed(deserializer)
    }
}

impl FromStr for Period {
    type Err = Error;

    /// `day`, `week`, or a width: `3600`, `3600s`, `15m`, `6h`, `2d`, `1w`.
    fn from_str(s: &str) -> Result<Self, Error> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "day" | "daily" | "1d" => return Ok(Period::Day),
            "week" | "weekly" | "1w" => return Ok(Period::Week),
            _ => {}
        }
        let bad = || {
            Error::config(format!(
                "`{s}` is not a period: use `day`, `week`, or a width such as `3600s`, `15m`, `6h`, `2d`"
            ))
        };
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let n: i64 = num.parse().map_err(|_| bad())?;
        let mult = match unit {
            "" | "s" => 1,
            "m" | "min" => 60,
            "h" => 3_600,
            "d" => DAY,
            "w" => 7 * DAY,
            _ => return Err(bad()),
        };
        let width = n.checked_mul(mult).filter(|w| *w > 0).ok_or_else(bad)?;
        Ok(match width {
            DAY => Period::Day,
            _ => Period::Seconds(width),
        })
    }
}

/// Remembers the bounds of the last period looked up, so that consecutive
/// timestamps in the same period (the usual case within a journey) need no
/// division.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PeriodCache {
    period: Period,
    lo: i64,
    hi: i64,
    index: i64,
}

impl PeriodCache {
    pub(crate) fn new(period: Period) -> PeriodCache {
        PeriodCache {
            period,
            lo: 1,
            hi: 0,
            index: 0,
        }
    }

    /// The index of the period holding `seconds`, and its bounds (start
    /// and end, seconds).
    pub(crate) fn bounds(&mut self, seconds: i64) -> (i64, i64, i64) {
        let index = self.index(seconds);
        (index, self.lo, self.hi)
    }

    /// The period it finds.
    pub(crate) fn period(&self) -> Period {
        self.period
    }

    /// `period.index(seconds)`.
    #[inline]
    #[cfg_attr(mot_speed, optimize(speed))]
    pub(crate) fn index(&mut self, seconds: i64) -> i64 {
        if seconds < self.lo || seconds >= self.hi {
            self.index = self.period.index(seconds);
            self.lo = self.period.start_of(self.index);
            self.hi = self.lo + self.period.width();
        }
        self.index
    }
}

/// Largest span of periods kept as a dense array; wider series are sparse.
const DENSE_SPAN: usize = 1 << 16;

/// Interactions and successes per period index, for one MOT. Two series
/// are equal when they hold the same counts, however they are laid out.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) enum Series {
    /// No data yet.
    #[default]
    Empty,
    /// `counts[k]` is period `base + k`.
    Dense { base: i64, counts: Vec<[u64; 2]> },
    /// For data spread over very many periods.
    Sparse(BTreeMap<i64, [u64; 2]>),
}

impl PartialEq for Series {
    fn eq(&self, other: &Series) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Series {
    #[inline]
    #[cfg_attr(mot_speed, optimize(speed))]
    pub(crate) fn add(&mut self, index: i64, n: u64, successes: u64) {
        if let Series::Dense { base, counts } = self
            && index >= *base
            && let Some(c) = counts.get_mut(index.wrapping_sub(*base) as usize)
        {
            c[0] += n;
            c[1] += successes;
            return;
        }
        self.add_slow(index, n, successes);
    }

    #[cold]
    #[inline(never)]
    fn add_slow(&mut self, index: i64, n: u64, successes: u64) {
        match self {
            Series::Dense { .. } => {
                self.grow_to(index);
                self.add(index, n, successes);
            }
            Series::Sparse(map) => {
                let c = map.entry(index).or_default();
                c[0] += n;
                c[1] += successes;
            }
            Series::Empty => {
                *self = Series::Dense {
                    base: index,
                    counts: vec![[n, successes]],
                };
            }
        }
    }

    #[cold]
    fn grow_to(&mut self, index: i64) {
        let Series::Dense { base, counts } = self else {
            return;
        };
        let lo = i128::from((*base).min(index));
        let hi = (i128::from(*base) + counts.len() as i128 - 1).max(i128::from(index));
        if hi - lo + 1 > DENSE_SPAN as i128 {
            let map = self.iter().map(|(i, n, s)| (i, [n, s])).collect();
            *self = Series::Sparse(map);
            return;
        }
        if index < *base {
            // Grow the front by at least the current length, so repeated
            // early indexes cost amortised O(1).
            let grow = ((*base - index) as usize)
                .max(counts.len())
                .min(DENSE_SPAN - counts.len());
            let mut v = vec![[0, 0]; grow];
            v.extend_from_slice(counts);
            *base -= grow as i64;
            *counts = v;
        } else {
            let need = (index - *base + 1) as usize;
            let target = need.max(counts.len() * 2).min(DENSE_SPAN);
            counts.resize(target.max(need), [0, 0]);
        }
    }

    /// `(index, n, successes)` for every period with data, in order.
    pub(crate) fn iter(&self) -> Box<dyn Iterator<Item = (i64, u64, u64)> + '_> {
        match self {
            Series::Empty => Box::new(std::iter::empty()),
            Series::Dense { base, counts } => Box::new(
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c[0] > 0)
                    .map(move |(k, c)| (*base + k as i64, c[0], c[1])),
            ),
            Series::Sparse(map) => Box::new(map.iter().map(|(i, c)| (*i, c[0], c[1]))),
        }
    }

    /// Checks a decoded series: indexes within what valid timestamps give,
    /// and no stored period with more successes than trials — empty periods
    /// included, which [`Series::iter`] skips but a merge adds to.
    pub(crate) fn check(&self) -> Result<(), String> {
        const LIMIT: i64 = 1 << 40;
        let (in_range, counts_ok) = match self {
            Series::Empty => (true, true),
            Series::Dense { base, counts } => (
                base.abs() < LIMIT && counts.len() <= DENSE_SPAN && !counts.is_empty(),
                counts.iter().all(|c| c[1] <= c[0]),
            ),
            Series::Sparse(map) => (
                map.keys().all(|k| k.abs() < LIMIT),
                map.values().all(|c| c[1] <= c[0]),
            ),
        };
        if !in_range {
            Err("a period series is out of range".into())
        } else if !counts_ok {
            Err("a period of a series has more successes than trials".into())
        } else {
            Ok(())
        }
    }

    pub(crate) fn merge(&mut self, other: &Series) {
        match other {
            Series::Empty => {}
            Series::Dense { base, counts } if !counts.is_empty() => {
                // Make room for the whole range once, then add slice to slice.
                self.add(*base, 0, 0);
                self.add(*base + counts.len() as i64 - 1, 0, 0);
                if let Series::Dense {
                    base: mine,
                    counts: into,
                } = self
                {
                    let offset = (*base - *mine) as usize;
                    for (a, b) in into[offset..offset + counts.len()].iter_mut().zip(counts) {
                        a[0] += b[0];
                        a[1] += b[1];
                    }
                    return;
                }
                for (i, n, s) in other.iter() {
                    self.add(i, n, s);
                }
            }
            _ => {
                for (i, n, s) in other.iter() {
                    self.add(i, n, s);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_parsing() {
        assert_eq!("day".parse::<Period>().unwrap(), Period::Day);
        assert_eq!("86400".parse::<Period>().unwrap(), Period::Day);
        assert_eq!("Week".parse::<Period>().unwrap(), Period::Week);
        assert_eq!("15m".parse::<Period>().unwrap(), Period::Seconds(900));
        assert_eq!("2d".parse::<Period>().unwrap(), Period::Seconds(172_800));
        for bad in ["", "0", "-5s", "3x", "h", "99999999999999999999d"] {
            let err = bad.parse::<Period>().unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{bad}");
        }
    }

    #[test]
    fn period_serde_is_its_text() {
        for p in [Period::Day, Period::Week, Period::Seconds(900)] {
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.name()));
            assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), p);
        }
        assert!(serde_json::from_str::<Period>("\"fortnightly\"").is_err());
    }

    #[test]
    fn period_indexes() {
        assert_eq!(Period::Day.index(-1), -1);
        assert_eq!(Period::Day.index(86_399), 0);
        // Monday 2026-11-23 00:00 UTC = 1_795_392_000 s.
        let monday = 1_795_392_000;
        let w = Period::Week;
        assert_eq!(w.index(monday), w.index(monday + 7 * DAY - 1));
        assert_eq!(w.index(monday) + 1, w.index(monday + 7 * DAY));
        assert_eq!(w.start_of(w.index(monday + 3 * DAY)), monday);
    }

    #[test]
    fn period_cache_agrees() {
        for p in [
            Period::Day,
            Period::Week,
            Period::Seconds(3_600),
            Period::Seconds(7),
        ] {
            let mut c = PeriodCache::new(p);
            for s in [
                -100_000i64,
                -1,
                0,
                1,
                86_399,
                86_400,
                5,
                1_795_392_000,
                1_795_392_000 + 604_799,
            ] {
                assert_eq!(c.index(s), p.index(s), "{p} {s}");
            }
        }
    }

    #[test]
    fn series_grows_both_ways_and_goes_sparse() {
        let mut s = Series::default();
        s.add(10, 1, 1);
        s.add(5, 2, 1);
        s.add(20, 1, 0);
        s.add(10, 1, 0);
        let got: Vec<_> = s.iter().collect();
        assert_eq!(got, [(5, 2, 1), (10, 2, 1), (20, 1, 0)]);
        s.add(10 + DENSE_SPAN as i64 * 4, 1, 1);
        assert!(matches!(s, Series::Sparse(_)));
        assert_eq!(s.iter().count(), 4);
        let mut m = Series::default();
        m.merge(&s);
        assert_eq!(m.iter().collect::<Vec<_>>(), s.iter().collect::<Vec<_>>());
    }
}
