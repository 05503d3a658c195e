//! Interaction logs: what the engine reads, and what it does with bad rows.
//!
//! One row per interaction: journey id, MOT id, timestamp, success; optional
//! cost, value (to the customer) and producer. One row per journey outcome:
//! journey id, SCO reached; optional value (revenue).
//!
//! Two ways in, both on [`Tracker`](crate::Tracker):
//!
//! - the **row API** for streams: [`Tracker::record`](crate::Tracker::record)
//!   an interaction, [`Tracker::close_journey`](crate::Tracker::close_journey)
//!   with its outcome;
//! - the **columnar API** for bulk data: [`Columns`] over slices (the
//!   bindings hand Arrow buffers and typed arrays to it without copying), fed
//!   to [`Tracker::ingest`](crate::Tracker::ingest).
//!
//! Interactions of a journey are ordered by timestamp; ties keep input order.
//!
//! **Bad rows never vanish.** A row that cannot be used is rejected with a
//! [`RejectReason`] and counted in [`Rejected`], which every dashboard
//! reports; or, with [`BadRows::Fail`], the call stops at the first one with
//! an [`ErrorKind::BadRow`](crate::ErrorKind::BadRow) error naming the row
//! and the reason.
//!
//! **Timestamps** are integers since 1970-01-01T00:00:00Z in a [`TimeUnit`];
//! text is read by [`crate::input::time`] (RFC 3339 at full precision, or
//! an explicit format) and the bindings convert datetimes (naive ones are
//! taken as UTC). The engine keeps time in nanoseconds, so interactions of
//! a journey are ordered at the precision given. Only timestamps from
//! 1900-01-01 up to (not including) 2200-01-01 are accepted.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

/// The unit of integer timestamps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    /// Seconds.
    #[default]
    #[serde(rename = "s")]
    Seconds,
    /// Milliseconds.
    #[serde(rename = "ms")]
    Millis,
    /// Microseconds.
    #[serde(rename = "us")]
    Micros,
    /// Nanoseconds.
    #[serde(rename = "ns")]
    Nanos,
}

impl TimeUnit {
    /// How many units make a second.
    pub fn per_second(self) -> i64 {
        match self {
            TimeUnit::Seconds => 1,
            TimeUnit::Millis => 1_000,
            TimeUnit::Micros => 1_000_000,
            TimeUnit::Nanos => 1_000_000_000,
        }
    }

    /// `s`, `ms`, `us` or `ns`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "s",
            TimeUnit::Millis => "ms",
            TimeUnit::Micros => "us",
            TimeUnit::Nanos => "ns",
        }
    }

    /// The accepted range `[min, max)` of timestamps in this unit.
    pub fn range(self) -> (i64, i64) {
        (
            MIN_TIMESTAMP_SECONDS * self.per_second(),
            MAX_TIMESTAMP_SECONDS * self.per_second(),
        )
    }
}

impl FromStr for TimeUnit {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "s" | "sec" | "second" | "seconds" => TimeUnit::Seconds,
            "ms" | "milli" | "millis" | "milliseconds" => TimeUnit::Millis,
            "us" | "µs" | "micro" | "micros" | "microseconds" => TimeUnit::Micros,
            "ns" | "nano" | "nanos" | "nanoseconds" => TimeUnit::Nanos,
            _ => {
                return Err(Error::config(format!(
                    "`{s}` is not a time unit: use `s`, `ms`, `us` or `ns`"
                )));
            }
        })
    }
}

impl fmt::Display for TimeUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// 1900-01-01T00:00:00Z in seconds since the epoch: the earliest timestamp accepted.
pub const MIN_TIMESTAMP_SECONDS: i64 = -2_208_988_800;
/// 2200-01-01T00:00:00Z in seconds since the epoch: timestamps must be before it.
pub const MAX_TIMESTAMP_SECONDS: i64 = 7_258_118_400;

/// What to do with a row that cannot be used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BadRows {
    /// Skip it and count it by reason (the default).
    #[default]
    Reject,
    /// Stop at the first one with an error.
    Fail,
}

impl FromStr for BadRows {
    type Err = Error;

    /// `reject` or `fail`.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reject" => Ok(BadRows::Reject),
            "fail" => Ok(BadRows::Fail),
            _ => Err(Error::config(format!(
                "`{s}` is not a bad-row policy: use `reject` or `fail`"
            ))),
        }
    }
}

macro_rules! reasons {
    ($(#[doc = $doc:literal] $name:ident = $text:literal => $says:literal,)*) => {
        /// Why a row was rejected.
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RejectReason {
            $(#[doc = $doc] $name,)*
        }

        impl RejectReason {
            /// Every reason, in the order reports list them.
            pub const ALL: &'static [RejectReason] = &[$(RejectReason::$name,)*];

            /// The stable kebab-case name used in reports.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RejectReason::$name => $text,)*
                }
            }

            /// What is wrong with such a row, in words for messages: lowercase,
            /// no trailing period, as every message of the crate.
            ///
            /// ```
            /// use mot_core::RejectReason;
            /// assert_eq!(RejectReason::UnknownMot.describe(), "the MOT id is not in the experience");
            /// ```
            pub fn describe(self) -> &'static str {
                match self {
                    $(RejectReason::$name => $says,)*
                }
            }
        }
    };
}

reasons! {
    /// The journey id is null or empty.
    MissingJourney = "missing-journey" => "the journey id is null or empty",
    /// The MOT id is null or empty.
    MissingMot = "missing-mot" => "the MOT id is null or empty",
    /// The MOT id is not in the experience.
    UnknownMot = "unknown-mot" => "the MOT id is not in the experience",
    /// The timestamp is null.
    MissingTimestamp = "missing-timestamp" => "the timestamp is null",
    /// The timestamp could not be read (text input).
    InvalidTimestamp = "invalid-timestamp" => "the timestamp cannot be read as a time",
    /// The timestamp is before 1900 or from 2200 on.
    TimestampOutOfRange = "timestamp-out-of-range"
        => "the timestamp is before `1900-01-01` or from `2200-01-01` on",
    /// The success flag is null.
    MissingSuccess = "missing-success" => "the success flag is null",
    /// The success flag could not be read as true/false/1/0 (text input).
    InvalidSuccess = "invalid-success"
        => "the success flag cannot be read as true or false",
    /// The cost could not be read as a number (text input).
    InvalidCost = "invalid-cost" => "the cost cannot be read as a number",
    /// The cost is NaN or infinite.
    NonFiniteCost = "non-finite-cost" => "the cost is `NaN` or infinite",
    /// The cost is negative.
    NegativeCost = "negative-cost" => "the cost is negative",
    /// The value could not be read as a number (text input).
    InvalidValue = "invalid-value" => "the value cannot be read as a number",
    /// The value is NaN or infinite.
    NonFiniteValue = "non-finite-value" => "the value is `NaN` or infinite",
    /// The journey was already closed when the interaction arrived.
    AfterClose = "after-close" => "the journey was already closed when the interaction arrived",
    /// Outcome row: the SCO flag is null or unreadable.
    MissingOutcome = "missing-outcome" => "the outcome's SCO flag is null or cannot be read",
    /// Outcome row: a second outcome for the same journey (the first counts).
    DuplicateOutcome = "duplicate-outcome"
        => "the journey already has an outcome (the first one counts)",
    /// Outcome row: no interaction of the journey was accepted.
    OutcomeWithoutInteractions = "outcome-without-interactions"
        => "no interaction of the outcome's journey was accepted",
    /// A text row has fewer fields than its header, or a JSON row is not a flat object.
    MalformedRow = "malformed-row"
        => "a text row has fewer fields than its header, or a JSON row is not a flat object",
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Rejected rows, counted by reason.
///
/// Serialised as an object with every reason as a key (zeros included), so
/// the shape of a report never depends on the data.
#[derive(Clone, Debug, Default)]
pub struct Rejected {
    counts: Vec<u64>,
}

impl Rejected {
    /// Counts one more row rejected for `reason`.
    pub fn add(&mut self, reason: RejectReason) {
        self.add_n(reason, 1);
    }

    /// Counts `n` more rows rejected for `reason`.
    pub fn add_n(&mut self, reason: RejectReason, n: u64) {
        let i = reason as usize;
        if self.counts.len() <= i {
            self.counts.resize(RejectReason::ALL.len(), 0);
        }
        self.counts[i] += n;
    }

    /// Rows rejected for `reason`.
    pub fn get(&self, reason: RejectReason) -> u64 {
        self.counts.get(reason as usize).copied().unwrap_or(0)
    }

    /// All rejected rows.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// `(reason, count)` for every reason with a count above zero.
    pub fn nonzero(&self) -> impl Iterator<Item = (RejectReason, u64)> + '_ {
        RejectReason::ALL
            .iter()
            .map(|&r| (r, self.get(r)))
            .filter(|(_, n)| *n > 0)
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Rejected) {
        for &r in RejectReason::ALL {
            let n = other.get(r);
            if n > 0 {
                self.add_n(r, n);
            }
        }
    }

    /// One line for the user, `None` when nothing was rejected:
    /// ``"3 rows rejected: 2 `invalid-timestamp`, 1 `unknown-mot`"``. Every
    /// front end prints (the `mot` command, on standard error) or raises
    /// (a Python warning) this same line.
    ///
    /// ```
    /// use mot_core::{RejectReason, Rejected};
    /// let mut r = Rejected::default();
    /// assert_eq!(r.summary(), None);
    /// r.add_n(RejectReason::UnknownMot, 1);
    /// r.add_n(RejectReason::InvalidTimestamp, 2);
    /// assert_eq!(r.summary().unwrap(), "3 rows rejected: 2 `invalid-timestamp`, 1 `unknown-mot`");
    /// ```
    pub fn summary(&self) -> Option<String> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let mut reasons: Vec<(RejectReason, u64)> = self.nonzero().collect();
        // Most first; ties in the order reports list reasons.
        reasons.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        let parts: Vec<String> = reasons
            .iter()
            .map(|(r, n)| format!("{n} `{}`", r.as_str()))
            .collect();
        let rows = if total == 1 { "row" } else { "rows" };
        Some(format!("{total} {rows} rejected: {}", parts.join(", ")))
    }

    /// The rows rejected since `before` (an earlier tally of the same
    /// tracker): what one call added.
    ///
    /// ```
    /// use mot_core::{RejectReason, Rejected};
    /// let mut r = Rejected::default();
    /// r.add(RejectReason::UnknownMot);
    /// let before = r.clone();
    /// r.add(RejectReason::UnknownMot);
    /// assert_eq!(r.since(&before).get(RejectReason::UnknownMot), 1);
    /// ```
    pub fn since(&self, before: &Rejected) -> Rejected {
        let mut d = Rejected::default();
        for &r in RejectReason::ALL {
            let n = self.get(r).saturating_sub(before.get(r));
            if n > 0 {
                d.add_n(r, n);
            }
        }
        d
    }

    pub(crate) fn from_vec(v: &[u64]) -> Rejected {
        let mut r = Rejected::default();
        for (&reason, &n) in RejectReason::ALL.iter().zip(v) {
            if n > 0 {
                r.add_n(reason, n);
            }
        }
        r
    }
}

/// Equal when every reason has the same count (however the tally is held).
impl PartialEq for Rejected {
    fn eq(&self, other: &Rejected) -> bool {
        RejectReason::ALL
            .iter()
            .all(|&r| self.get(r) == other.get(r))
    }
}

impl Eq for Rejected {}

impl Serialize for Rejected {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(RejectReason::ALL.len()))?;
        for &r in RejectReason::ALL {
            map.serialize_entry(r.as_str(), &self.get(r))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Rejected {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, u64>::deserialize(deserializer)?;
        let mut r = Rejected::default();
        for (name, n) in map {
            let reason = RejectReason::ALL
                .iter()
                .find(|r| r.as_str() == name)
                .ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown reject reason `{name}`"))
                })?;
            r.add_n(*reason, n);
        }
        Ok(r)
    }
}

pub use super::columns::{Columns, Ids, Key, OutcomeColumns, Validity};
pub use super::names::{ColumnNames, EventLayout, OutcomeLayout, ReadOptions, parse_flag};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_serialises_every_reason() {
        let mut r = Rejected::default();
        r.add(RejectReason::UnknownMot);
        r.add_n(RejectReason::NegativeCost, 2);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v.as_object().unwrap().len(), RejectReason::ALL.len());
        assert_eq!(v["unknown-mot"], 1);
        assert_eq!(v["negative-cost"], 2);
        assert_eq!(v["after-close"], 0);
        assert_eq!(r.total(), 3);
        let v: Vec<u64> = RejectReason::ALL.iter().map(|&x| r.get(x)).collect();
        assert_eq!(Rejected::from_vec(&v), r);
        let back: Rejected = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn time_units() {
        assert_eq!("MS".parse::<TimeUnit>().unwrap(), TimeUnit::Millis);
        assert_eq!(
            TimeUnit::Nanos.range().1,
            MAX_TIMESTAMP_SECONDS * 1_000_000_000
        );
        assert!("days".parse::<TimeUnit>().is_err());
    }
}
