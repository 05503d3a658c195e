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
    ($(#[doc = $doc:literal] $name:ident = $text:literal,)*) => {
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

            /// What is wrong with such a row, in words (for messages).
            ///
            /// ```
            /// use mot_core::RejectReason;
            /// assert_eq!(RejectReason::UnknownMot.describe(), "The MOT id is not in the experience.");
            /// ```
            pub fn describe(self) -> &'static str {
                match self {
                    $(RejectReason::$name => $doc,)*
                }
                .trim()
            }
        }
    };
}

reasons! {
    /// The journey id is null or empty.
    MissingJourney = "missing-journey",
    /// The MOT id is null or empty.
    MissingMot = "missing-mot",
    /// The MOT id is not in the experience.
    UnknownMot = "unknown-mot",
    /// The timestamp is null.
    MissingTimestamp = "missing-timestamp",
    /// The timestamp could not be read (text input).
    InvalidTimestamp = "invalid-timestamp",
    /// The timestamp is before 1900 or from 2200 on.
    TimestampOutOfRange = "timestamp-out-of-range",
    /// The success flag is null.
    MissingSuccess = "missing-success",
    /// The success flag could not be read as true/false/1/0 (text input).
    InvalidSuccess = "invalid-success",
    /// The cost could not be read as a number (text input).
    InvalidCost = "invalid-cost",
    /// The cost is NaN or infinite.
    NonFiniteCost = "non-finite-cost",
    /// The cost is negative.
    NegativeCost = "negative-cost",
    /// The value could not be read as a number (text input).
    InvalidValue = "invalid-value",
    /// The value is NaN or infinite.
    NonFiniteValue = "non-finite-value",
    /// The journey was already closed when the interaction arrived.
    AfterClose = "after-close",
    /// Outcome row: the SCO flag is null or unreadable.
    MissingOutcome = "missing-outcome",
    /// Outcome row: a second outcome for the same journey (the first counts).
    DuplicateOutcome = "duplicate-outcome",
    /// Outcome row: no interaction of the journey was accepted.
    OutcomeWithoutInteractions = "outcome-without-interactions",
    /// A text row has fewer fields than its header.
    MalformedRow = "malformed-row",
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

/// Which rows are present (not null), Arrow-style.
#[derive(Clone, Copy, Debug, Default)]
pub enum Validity<'a> {
    /// No nulls.
    #[default]
    All,
    /// One flag per row: `true` means present.
    Bools(&'a [bool]),
    /// An Arrow validity bitmap: bit `offset + i` (least significant bit
    /// first) set means row `i` is present.
    Bits {
        /// The bitmap bytes.
        bytes: &'a [u8],
        /// The bit offset of row 0.
        offset: usize,
    },
}

impl Validity<'_> {
    /// Whether row `i` is present. Rows past the end of the mask count as
    /// null.
    #[inline]
    pub fn is_valid(&self, i: usize) -> bool {
        match self {
            Validity::All => true,
            Validity::Bools(b) => b.get(i).copied().unwrap_or(false),
            Validity::Bits { bytes, offset } => {
                let bit = offset + i;
                bytes
                    .get(bit / 8)
                    .is_some_and(|byte| byte & (1 << (bit % 8)) != 0)
            }
        }
    }

    /// How many rows the mask can describe (`None`: any number).
    pub(crate) fn capacity(&self) -> Option<usize> {
        match self {
            Validity::All => None,
            Validity::Bools(b) => Some(b.len()),
            Validity::Bits { bytes, offset } => Some((bytes.len() * 8).saturating_sub(*offset)),
        }
    }
}

/// A column of ids: journey ids or MOT ids, integers or text.
#[derive(Clone, Copy, Debug)]
pub enum Ids<'a> {
    /// Unsigned integers.
    U64(&'a [u64]),
    /// Signed integers. Matched against [`Ids::U64`] by their 64-bit
    /// two's-complement pattern.
    I64(&'a [i64]),
    /// Text, one slice per row.
    Str(&'a [&'a str]),
    /// Arrow `Utf8`: row `i` is `data[offsets[i]..offsets[i + 1]]`.
    Utf8 {
        /// `len + 1` offsets into `data`.
        offsets: &'a [i32],
        /// The UTF-8 bytes.
        data: &'a [u8],
    },
    /// Arrow `LargeUtf8`, with 64-bit offsets.
    LargeUtf8 {
        /// `len + 1` offsets into `data`.
        offsets: &'a [i64],
        /// The UTF-8 bytes.
        data: &'a [u8],
    },
    /// Dictionary-encoded text: row `i` is `values[codes[i]]`.
    Dict {
        /// One code per row.
        codes: &'a [u32],
        /// The distinct values.
        values: &'a [&'a str],
    },
}

/// A borrowed id, as read from a column. Ordered integers first, then text
/// (byte-wise).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key<'a> {
    /// An integer id.
    Int(u64),
    /// A text id.
    Str(&'a str),
}

impl fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "{i}"),
            Key::Str(s) => f.write_str(s),
        }
    }
}

impl<'a> Ids<'a> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Ids::U64(v) => v.len(),
            Ids::I64(v) => v.len(),
            Ids::Str(v) => v.len(),
            Ids::Utf8 { offsets, .. } => offsets.len().saturating_sub(1),
            Ids::LargeUtf8 { offsets, .. } => offsets.len().saturating_sub(1),
            Ids::Dict { codes, .. } => codes.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Text ids as codes into their distinct values (in order of first
    /// appearance); a row that reads as missing gets a code outside the
    /// values. `None` for integer ids. Lets plain string columns take the
    /// same dictionary path as dictionary-encoded ones.
    pub(crate) fn dict_encode(&self) -> Option<(Vec<u32>, Vec<&'a str>)> {
        if matches!(self, Ids::U64(_) | Ids::I64(_)) {
            return None;
        }
        let n = self.len();
        let mut index: hashbrown::HashMap<&'a str, u32> = hashbrown::HashMap::new();
        let mut values: Vec<&'a str> = Vec::new();
        let mut codes = Vec::with_capacity(n);
        // Consecutive rows often repeat an id: skip the hash for those.
        let mut last: Option<(&'a str, u32)> = None;
        for i in 0..n {
            let code = match self.get(i) {
                Some(Key::Str(s)) => match last {
                    Some((prev, code)) if prev == s => code,
                    _ => {
                        let code = *index.entry(s).or_insert_with(|| {
                            values.push(s);
                            u32::try_from(values.len() - 1).unwrap_or(u32::MAX)
                        });
                        last = Some((s, code));
                        code
                    }
                },
                _ => u32::MAX,
            };
            codes.push(code);
        }
        Some((codes, values))
    }

    /// The id of row `i`; `None` for an empty text, a malformed offset, bad
    /// UTF-8 or a code outside the dictionary (all read as missing), or a
    /// row past the end.
    #[inline(always)]
    pub fn get(&self, i: usize) -> Option<Key<'a>> {
        let text = |s: &'a str| (!s.is_empty()).then_some(Key::Str(s));
        match *self {
            Ids::U64(v) => v.get(i).map(|&x| Key::Int(x)),
            Ids::I64(v) => v.get(i).map(|&x| Key::Int(x as u64)),
            Ids::Str(v) => v.get(i).and_then(|s| text(s)),
            Ids::Utf8 { offsets, data } => {
                let (a, b) = (*offsets.get(i)?, *offsets.get(i + 1)?);
                let bytes = data.get(usize::try_from(a).ok()?..usize::try_from(b).ok()?)?;
                std::str::from_utf8(bytes).ok().and_then(text)
            }
            Ids::LargeUtf8 { offsets, data } => {
                let (a, b) = (*offsets.get(i)?, *offsets.get(i + 1)?);
                let bytes = data.get(usize::try_from(a).ok()?..usize::try_from(b).ok()?)?;
                std::str::from_utf8(bytes).ok().and_then(text)
            }
            Ids::Dict { codes, values } => {
                let code = *codes.get(i)?;
                values.get(code as usize).and_then(|s| text(s))
            }
        }
    }
}

/// An interaction log as columns over borrowed slices. Every column has one
/// entry per row; optional columns may be absent.
#[derive(Clone, Copy, Debug)]
pub struct Columns<'a> {
    /// Journey ids.
    pub journey: Ids<'a>,
    /// Nulls in `journey`.
    pub journey_valid: Validity<'a>,
    /// MOT ids.
    pub mot: Ids<'a>,
    /// Nulls in `mot`.
    pub mot_valid: Validity<'a>,
    /// Timestamps, in `time_unit` since the epoch.
    pub timestamp: &'a [i64],
    /// Nulls in `timestamp`.
    pub timestamp_valid: Validity<'a>,
    /// The unit of `timestamp`.
    pub time_unit: TimeUnit,
    /// Whether each interaction produced its SMOTO; `None` when the log has
    /// no success column (a plain process-mining log): every interaction is
    /// then counted with an unknown success, and every success figure of
    /// the dashboard is `null`.
    pub success: Option<&'a [bool]>,
    /// Nulls in `success` (a null flag in a success column is rejected as
    /// `missing-success`).
    pub success_valid: Validity<'a>,
    /// Cost of each interaction.
    pub cost: Option<&'a [f64]>,
    /// Nulls in `cost` (a null cost is simply unknown, not a rejection).
    pub cost_valid: Validity<'a>,
    /// Value the customer received from each interaction.
    pub value: Option<&'a [f64]>,
    /// Nulls in `value`.
    pub value_valid: Validity<'a>,
    /// Who produced each interaction.
    pub producer: Option<Ids<'a>>,
    /// Rows whose value a front end could not read (a flag of `2`, a
    /// fractional timestamp: see [`crate::input::values`]), with why; they
    /// are rejected for that reason before any other check. `None`: every
    /// value was readable.
    pub unreadable: Option<&'a [Option<RejectReason>]>,
}

impl<'a> Columns<'a> {
    /// The four usual columns, no nulls, no optional columns.
    pub fn new(journey: Ids<'a>, mot: Ids<'a>, timestamp: &'a [i64], success: &'a [bool]) -> Self {
        Columns {
            success: Some(success),
            ..Columns::without_success(journey, mot, timestamp)
        }
    }

    /// A log with no success column: journey, MOT and timestamp only.
    ///
    /// ```
    /// use mot_core::{Columns, Dashboard, DashboardOptions, Ids, Tracker, TrackerConfig};
    /// let events = Columns::without_success(Ids::U64(&[1, 1]), Ids::Str(&["a", "b"]), &[10, 20]);
    /// let d = Dashboard::from_columns(None, &events, None, TrackerConfig::default(), &DashboardOptions::default())?;
    /// assert_eq!(d.mots[0].interactions, 1);
    /// assert_eq!((d.mots[0].successes, d.mots[0].smoto_rate), (None, None));
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    pub fn without_success(journey: Ids<'a>, mot: Ids<'a>, timestamp: &'a [i64]) -> Self {
        Columns {
            journey,
            journey_valid: Validity::All,
            mot,
            mot_valid: Validity::All,
            timestamp,
            timestamp_valid: Validity::All,
            time_unit: TimeUnit::Seconds,
            success: None,
            success_valid: Validity::All,
            cost: None,
            cost_valid: Validity::All,
            value: None,
            value_valid: Validity::All,
            producer: None,
            unreadable: None,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.timestamp.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.timestamp.is_empty()
    }

    /// Checks that every column has one entry per row.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Columns`](crate::ErrorKind::Columns) naming the column.
    pub fn check(&self) -> Result<(), Error> {
        let n = self.len();
        let lens = [
            ("journey", Some(self.journey.len())),
            ("mot", Some(self.mot.len())),
            ("success", self.success.map(<[bool]>::len)),
            ("cost", self.cost.map(<[f64]>::len)),
            ("value", self.value.map(<[f64]>::len)),
            ("producer", self.producer.map(|p| p.len())),
            (
                "unreadable",
                self.unreadable.map(<[Option<RejectReason>]>::len),
            ),
        ];
        for (name, len) in lens {
            if let Some(len) = len
                && len != n
            {
                return Err(Error::columns(format!(
                    "column `{name}` has {len} rows, `timestamp` has {n}"
                )));
            }
        }
        let masks = [
            ("journey", self.journey_valid),
            ("mot", self.mot_valid),
            ("timestamp", self.timestamp_valid),
            ("success", self.success_valid),
            ("cost", self.cost_valid),
            ("value", self.value_valid),
        ];
        for (name, mask) in masks {
            if let Some(cap) = mask.capacity()
                && cap < n
            {
                return Err(Error::columns(format!(
                    "the null mask of `{name}` covers {cap} rows, the log has {n}"
                )));
            }
        }
        Ok(())
    }
}

/// Journey outcomes as columns.
#[derive(Clone, Copy, Debug)]
pub struct OutcomeColumns<'a> {
    /// Journey ids.
    pub journey: Ids<'a>,
    /// Nulls in `journey`.
    pub journey_valid: Validity<'a>,
    /// Whether the journey produced the SCO.
    pub sco: &'a [bool],
    /// Nulls in `sco`.
    pub sco_valid: Validity<'a>,
    /// The journey's value (revenue), if known.
    pub value: Option<&'a [f64]>,
    /// Nulls in `value`.
    pub value_valid: Validity<'a>,
}

impl<'a> OutcomeColumns<'a> {
    /// Journey ids and SCO flags, no nulls, no values.
    pub fn new(journey: Ids<'a>, sco: &'a [bool]) -> Self {
        OutcomeColumns {
            journey,
            journey_valid: Validity::All,
            sco,
            sco_valid: Validity::All,
            value: None,
            value_valid: Validity::All,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.sco.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.sco.is_empty()
    }

    /// Checks that every column has one entry per row.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Columns`](crate::ErrorKind::Columns) naming the column.
    pub fn check(&self) -> Result<(), Error> {
        let n = self.len();
        if self.journey.len() != n {
            return Err(Error::columns(format!(
                "outcome column `journey` has {} rows, `sco` has {n}",
                self.journey.len()
            )));
        }
        if let Some(v) = self.value
            && v.len() != n
        {
            return Err(Error::columns(format!(
                "outcome column `value` has {} rows, `sco` has {n}",
                v.len()
            )));
        }
        for (name, mask) in [
            ("journey", self.journey_valid),
            ("sco", self.sco_valid),
            ("value", self.value_valid),
        ] {
            if let Some(cap) = mask.capacity()
                && cap < n
            {
                return Err(Error::columns(format!(
                    "the null mask of outcome `{name}` covers {cap} rows, there are {n}"
                )));
            }
        }
        Ok(())
    }
}

/// Which columns of a user's table hold what: the mapping every front end
/// (CLI, Python, JavaScript) applies the same way.
///
/// The default names are `journey_id, mot_id, timestamp, success, cost,
/// value, producer` for interactions and `journey_id, sco, value` for
/// outcomes; the `pm4py` preset uses the process-mining convention
/// (`case:concept:name`, `concept:name`, `time:timestamp`, `org:resource`).
/// The optional columns (`cost`, `value`, `producer`, outcome `value`) are
/// read when present and skipped when absent, unless named explicitly.
///
/// ```
/// use mot_core::events::ColumnNames;
/// let mut names = ColumnNames::preset("pm4py")?;
/// names.set("success", "ok")?;
/// assert_eq!(names.journey, "case:concept:name");
/// assert_eq!(names.outcome_journey(), "case:concept:name");
/// assert_eq!(names.success, "ok");
/// # Ok::<(), mot_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnNames {
    /// Journey id column of the interactions.
    pub journey: String,
    /// MOT id column.
    pub mot: String,
    /// Timestamp column.
    pub timestamp: String,
    /// Success column.
    pub success: String,
    /// Cost column (optional).
    pub cost: String,
    /// Value column (optional).
    pub value: String,
    /// Producer column (optional).
    pub producer: String,
    /// Journey id column of the outcomes; `None`: the same as `journey`.
    pub outcome_journey: Option<String>,
    /// SCO column of the outcomes.
    pub sco: String,
    /// Value (revenue) column of the outcomes (optional).
    pub outcome_value: String,
    /// Roles whose column was named explicitly: those must exist.
    pub explicit: Vec<String>,
}

impl Default for ColumnNames {
    fn default() -> Self {
        ColumnNames {
            journey: "journey_id".into(),
            mot: "mot_id".into(),
            timestamp: "timestamp".into(),
            success: "success".into(),
            cost: "cost".into(),
            value: "value".into(),
            producer: "producer".into(),
            outcome_journey: None,
            sco: "sco".into(),
            outcome_value: "value".into(),
            explicit: Vec::new(),
        }
    }
}

impl ColumnNames {
    /// The roles [`ColumnNames::set`] accepts.
    pub const ROLES: [&'static str; 10] = [
        "journey",
        "mot",
        "timestamp",
        "success",
        "cost",
        "value",
        "producer",
        "outcome_journey",
        "sco",
        "outcome_value",
    ];

    /// A named set of defaults: `default` or `pm4py`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for another name.
    pub fn preset(name: &str) -> Result<ColumnNames, Error> {
        match name {
            "default" => Ok(ColumnNames::default()),
            "pm4py" => Ok(ColumnNames {
                journey: "case:concept:name".into(),
                mot: "concept:name".into(),
                timestamp: "time:timestamp".into(),
                producer: "org:resource".into(),
                ..ColumnNames::default()
            }),
            _ => Err(Error::config(format!(
                "`{name}` is not a column preset: use `default` or `pm4py`"
            ))),
        }
    }

    /// A preset (`None`: `default`) with a user's `{role: column}` mapping
    /// applied: the one way every front end (CLI, Python, JavaScript) reads
    /// a mapping. Roles are applied in sorted order, so the first error
    /// reported does not depend on the mapping's order.
    ///
    /// ```
    /// use mot_core::events::ColumnNames;
    /// let names = ColumnNames::mapped(None, [("journey", "case"), ("mot", "step")])?;
    /// assert_eq!((names.journey.as_str(), names.mot.as_str()), ("case", "step"));
    /// assert!(ColumnNames::mapped(Some("celonis"), []).is_err());
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for an unknown preset
    /// or role.
    pub fn mapped<'a>(
        preset: Option<&str>,
        columns: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<ColumnNames, Error> {
        let mut names = ColumnNames::preset(preset.unwrap_or("default"))?;
        let mut pairs: Vec<(&str, &str)> = columns.into_iter().collect();
        pairs.sort_unstable();
        for (role, column) in pairs {
            names.set(role, column)?;
        }
        Ok(names)
    }

    /// Names the column of one role (`journey`, `mot`, `timestamp`,
    /// `success`, `cost`, `value`, `producer`, `outcome_journey`, `sco`,
    /// `outcome_value`); a named optional column must then exist.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for an unknown role.
    pub fn set(&mut self, role: &str, column: &str) -> Result<(), Error> {
        let slot = match role {
            "journey" => &mut self.journey,
            "mot" => &mut self.mot,
            "timestamp" => &mut self.timestamp,
            "success" => &mut self.success,
            "cost" => &mut self.cost,
            "value" => &mut self.value,
            "producer" => &mut self.producer,
            "outcome_journey" => {
                self.outcome_journey = Some(column.into());
                self.explicit.push(role.into());
                return Ok(());
            }
            "sco" => &mut self.sco,
            "outcome_value" => &mut self.outcome_value,
            _ => {
                return Err(Error::config(format!(
                    "`{role}` is not a column role: use one of {}",
                    Self::ROLES.map(|r| format!("`{r}`")).join(", ")
                )));
            }
        };
        *slot = column.into();
        self.explicit.push(role.into());
        Ok(())
    }

    /// The journey id column of the outcomes.
    pub fn outcome_journey(&self) -> &str {
        self.outcome_journey.as_deref().unwrap_or(&self.journey)
    }

    /// Whether the column of `role` was named explicitly (and so must exist).
    pub fn is_explicit(&self, role: &str) -> bool {
        self.explicit.iter().any(|r| r == role)
    }
}

/// How text logs (CSV, XES, rows of text fields) are read: the one set of
/// reading settings every front end fills (the `mot` command's flags,
/// Python's keyword arguments, JavaScript's options).
///
/// ```
/// use mot_core::events::ReadOptions;
/// let o = ReadOptions { delimiter: Some(b';'), ..ReadOptions::default() };
/// assert_eq!(o.time_unit, mot_core::TimeUnit::Seconds);
/// assert!(o.time_format.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Which column holds what.
    pub names: ColumnNames,
    /// What an integer timestamp means (default: seconds). Text timestamps
    /// are read at their full precision whatever the unit.
    pub time_unit: TimeUnit,
    /// A strftime-style format for text timestamps that are not RFC 3339
    /// (`%d/%m/%Y %H:%M`); `None`: integers and RFC 3339 / ISO 8601.
    pub time_format: Option<String>,
    /// The CSV field delimiter; `None`: detected from the header line
    /// (`,` `;` tab or `|`, whichever occurs most outside quotes).
    pub delimiter: Option<u8>,
    /// Skip and count bad rows, or stop at the first.
    pub bad_rows: BadRows,
}

impl ReadOptions {
    /// Reads a delimiter option: one character, or `tab` / `\t`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for anything but one
    /// ASCII character.
    ///
    /// ```
    /// use mot_core::events::ReadOptions;
    /// assert_eq!(ReadOptions::parse_delimiter("tab")?, b'\t');
    /// assert_eq!(ReadOptions::parse_delimiter(";")?, b';');
    /// assert!(ReadOptions::parse_delimiter(";;").is_err());
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    pub fn parse_delimiter(text: &str) -> Result<u8, Error> {
        match text {
            "tab" | "\\t" | "\t" => Ok(b'\t'),
            t if t.len() == 1 && t.is_ascii() && t != "\"" => Ok(t.as_bytes()[0]),
            t => Err(Error::config(format!(
                "`{t}` is not a delimiter: give one ASCII character (`,` `;` `|`) or `tab`"
            ))),
        }
    }
}

/// Reads a success or SCO flag written as text: `true`/`false`, `1`/`0`,
/// `t`/`f`, `yes`/`no`, `y`/`n`, in any case. `None` otherwise.
///
/// ```
/// use mot_core::events::parse_flag;
/// assert_eq!(parse_flag("TRUE"), Some(true));
/// assert_eq!(parse_flag(" 0 "), Some(false));
/// assert_eq!(parse_flag("maybe"), None);
/// ```
pub fn parse_flag(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "t" | "yes" | "y" => Some(true),
        "false" | "0" | "f" | "no" | "n" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_masks() {
        assert!(Validity::All.is_valid(10));
        let b = [true, false];
        assert!(Validity::Bools(&b).is_valid(0));
        assert!(!Validity::Bools(&b).is_valid(1));
        assert!(!Validity::Bools(&b).is_valid(2));
        let bits = Validity::Bits {
            bytes: &[0b0000_0101],
            offset: 0,
        };
        assert!(bits.is_valid(0) && !bits.is_valid(1) && bits.is_valid(2) && !bits.is_valid(9));
        let shifted = Validity::Bits {
            bytes: &[0b0000_0101],
            offset: 2,
        };
        assert!(shifted.is_valid(0) && !shifted.is_valid(1));
    }

    #[test]
    fn ids_read_every_layout_and_never_panic() {
        let data = b"abcdef";
        let utf8 = Ids::Utf8 {
            offsets: &[0, 3, 3, 6, 99, 2],
            data,
        };
        assert_eq!(utf8.get(0), Some(Key::Str("abc")));
        assert_eq!(utf8.get(1), None); // empty
        assert_eq!(utf8.get(2), Some(Key::Str("def")));
        assert_eq!(utf8.get(3), None); // offset out of bounds
        assert_eq!(utf8.get(4), None); // decreasing offsets
        assert_eq!(utf8.get(5), None); // past the end
        let bad = Ids::LargeUtf8 {
            offsets: &[0, 2],
            data: &[0xff, 0xfe],
        };
        assert_eq!(bad.get(0), None); // invalid UTF-8
        let neg = Ids::Utf8 {
            offsets: &[-1, 2],
            data,
        };
        assert_eq!(neg.get(0), None);
        let dict = Ids::Dict {
            codes: &[1, 0, 7],
            values: &["x", "y"],
        };
        assert_eq!(dict.get(0), Some(Key::Str("y")));
        assert_eq!(dict.get(2), None);
        assert_eq!(Ids::I64(&[-1]).get(0), Some(Key::Int(u64::MAX)));
    }

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
    fn columns_check_lengths() {
        let ts = [1i64, 2];
        let ok = [true, true];
        let c = Columns::new(Ids::U64(&[1, 2]), Ids::Str(&["a", "b"]), &ts, &ok);
        assert!(c.check().is_ok());
        let c = Columns::new(Ids::U64(&[1]), Ids::Str(&["a", "b"]), &ts, &ok);
        let err = c.check().unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Columns);
        assert_eq!(
            err.to_string(),
            "column `journey` has 1 rows, `timestamp` has 2"
        );
        let mut c = Columns::new(Ids::U64(&[1, 2]), Ids::Str(&["a", "b"]), &ts, &ok);
        c.cost_valid = Validity::Bools(&[true]);
        assert!(c.check().is_err());
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
