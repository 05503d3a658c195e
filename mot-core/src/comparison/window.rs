//! A half-open UTC time window `[from, to)`.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Error, Moment, Period};

/// A half-open time window `[from, to)`, in seconds since the epoch (UTC).
///
/// Written `FROM..TO` with each end an RFC 3339 timestamp or a date
/// (midnight UTC): `2026-01-01..2026-02-01` is January 2026.
///
/// ```
/// use mot_core::Window;
///
/// let w: Window = "2026-01-01..2026-02-01".parse()?;
/// assert_eq!((w.from, w.to), (1_767_225_600, 1_769_904_000));
/// assert!(w.contains(1_767_225_600) && !w.contains(1_769_904_000));
/// assert_eq!(w.to_string(), "2026-01-01..2026-02-01");
/// assert!("2026-02-01..2026-01-01".parse::<Window>().is_err());
/// # Ok::<(), mot_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Window {
    /// First second in the window, seconds since the epoch.
    pub from: i64,
    /// First second after it.
    pub to: i64,
}

impl Window {
    /// `[from, to)`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) unless `from < to`.
    pub fn new(from: i64, to: i64) -> Result<Window, Error> {
        if from >= to {
            return Err(Error::config(format!(
                "a window must end after it starts: `{}` is not before `{}`",
                stamp(from),
                stamp(to)
            )));
        }
        Ok(Window { from, to })
    }

    /// Whether `seconds` lies in the window.
    pub fn contains(&self, seconds: i64) -> bool {
        (self.from..self.to).contains(&seconds)
    }

    /// Whether the two windows share a second.
    pub fn overlaps(&self, other: &Window) -> bool {
        self.from < other.to && other.from < self.to
    }

    /// Its length in seconds.
    pub fn seconds(&self) -> i64 {
        self.to - self.from
    }

    /// The period indexes `[first, end)` of `period` that make up the
    /// window.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when an end is not
    /// a boundary of `period`: the window would cut a period in two.
    pub fn periods(&self, period: Period) -> Result<(i64, i64), Error> {
        let (a, b) = (period.index(self.from), period.index(self.to));
        for (t, i) in [(self.from, a), (self.to, b)] {
            if period.start_of(i) != t {
                return Err(Error::config(format!(
                    "window `{self}` cuts a `{period}` period at `{}`: windows start and end on period boundaries (the periods around it start at `{}` and `{}`)",
                    stamp(t),
                    stamp(period.start_of(i)),
                    stamp(period.start_of(i + 1)),
                )));
            }
        }
        Ok((a, b))
    }
}

impl Window {
    /// The trend period a tracker needs for these windows to be whole
    /// periods: a UTC `day` when every end falls on midnight, else the
    /// largest width in seconds that divides every end's time of day
    /// (`6h` for ends at 06:00 and 18:00).
    ///
    /// ```
    /// use mot_core::{Period, Window};
    ///
    /// let w = |s: &str| s.parse::<Window>().unwrap();
    /// assert_eq!(Window::fitting_period(&[w("2026-01-01..2026-02-01")]), Period::Day);
    /// assert_eq!(
    ///     Window::fitting_period(&[w("2026-01-01T06:00:00Z..2026-01-01T18:00:00Z")]),
    ///     Period::Seconds(21_600)
    /// );
    /// ```
    pub fn fitting_period(windows: &[Window]) -> Period {
        fn gcd(a: i64, b: i64) -> i64 {
            if b == 0 { a } else { gcd(b, a % b) }
        }
        let g = windows
            .iter()
            .flat_map(|w| [w.from, w.to])
            .fold(86_400, |g, t| gcd(g, t.rem_euclid(86_400)));
        if g == 86_400 {
            Period::Day
        } else {
            Period::Seconds(g)
        }
    }
}

/// A date when at midnight, else an RFC 3339 timestamp.
fn stamp(seconds: i64) -> String {
    Moment::from_seconds(seconds).to_string()
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", stamp(self.from), stamp(self.to))
    }
}

impl FromStr for Window {
    type Err = Error;

    /// `FROM..TO`, each an RFC 3339 timestamp (whole seconds) or a date.
    fn from_str(text: &str) -> Result<Window, Error> {
        let Some((a, b)) = text.split_once("..") else {
            return Err(Error::config(format!(
                "`{text}` is not a window: write `FROM..TO`, e.g. `2026-01-01..2026-02-01` (dates or RFC 3339 timestamps, UTC, `TO` excluded)"
            )));
        };
        let end = |s: &str| -> Result<i64, Error> {
            s.parse::<Moment>()
                .map(Moment::seconds)
                .map_err(|e| Error::config(format!("{e} (in window `{text}`)")))
        };
        Window::new(end(a)?, end(b)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let w: Window = "2026-01-01T06:00:00+01:00..2026-01-02".parse().unwrap();
        assert_eq!(w.from, 1_767_225_600 + 5 * 3_600);
        assert_eq!(w.to_string(), "2026-01-01T05:00:00Z..2026-01-02");
        for bad in [
            "2026-01-01",
            "2026-01-01..",
            "2026-01-01..yesterday",
            "2026-01-02..2026-01-01",
            "2026-01-01..2026-01-01",
            "2026-01-01T00:00:00.5Z..2026-01-02",
        ] {
            let err = bad.parse::<Window>().unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Config, "{bad}");
        }
    }

    #[test]
    fn periods_need_boundaries() {
        let w: Window = "2026-01-05..2026-01-19".parse().unwrap();
        let (a, b) = w.periods(Period::Day).unwrap();
        assert_eq!(b - a, 14);
        // 2026-01-05 is a Monday: ISO weeks fit.
        let (a, b) = w.periods(Period::Week).unwrap();
        assert_eq!(b - a, 2);
        let w: Window = "2026-01-01..2026-01-19".parse().unwrap();
        let err = w.periods(Period::Week).unwrap_err().to_string();
        assert!(
            err.contains("cuts a `week` period at `2026-01-01`"),
            "{err}"
        );
        assert!(err.contains("`2025-12-29` and `2026-01-05`"), "{err}");
        assert!(w.overlaps(&"2026-01-18..2026-01-20".parse().unwrap()));
        assert!(!w.overlaps(&"2026-01-19..2026-01-20".parse().unwrap()));
    }
}
