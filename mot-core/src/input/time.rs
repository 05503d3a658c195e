//! Calendar arithmetic and timestamps as text: the crate's one place that
//! knows about dates.
//!
//! A timestamp is an `i64` count of **nanoseconds since
//! 1970-01-01T00:00:00Z**, which covers 1677-09-21 to 2262-04-11. Dates are
//! proleptic Gregorian and times are UTC. Leap seconds are not counted:
//! `23:59:60` reads as the next day's `00:00:00`.
//!
//! - Calendar: [`days_from_civil`], [`civil_from_days`], [`days_in_month`],
//!   [`is_leap_year`] (Howard Hinnant's algorithms, exact for every `i64`
//!   day count).
//! - Text out: [`format_utc`] writes RFC 3339 (`2026-11-23T08:30:00Z`) at a
//!   [`Precision`]; [`format_date`] writes `2026-11-23`.
//! - Text in: [`parse_rfc3339_ns`] reads RFC 3339 / ISO 8601 without
//!   allocating; [`TimeFormat`] reads an explicit strftime-style format
//!   (`%d/%m/%Y %H:%M`); [`int_to_ns`] scales an integer in a time unit.
//!   [`ACCEPTED_FORMS`] describes the defaults, for error messages.
//!
//! Nothing here panics, whatever the input: bad text gives `None` (or an
//! error message for a bad format), and values beyond the `i64` range give
//! `None` rather than wrapping.
//!
//! ```
//! use mot_core::input::time::{
//!     civil_from_days, format_date, format_utc, parse_rfc3339_ns, Precision, TimeFormat,
//! };
//!
//! let ns = parse_rfc3339_ns("2026-11-23 09:30:00.250+01:00").ok_or("not a time")?;
//! assert_eq!(format_utc(ns, Precision::Auto), "2026-11-23T08:30:00.250Z");
//! assert_eq!(format_date(ns / 1_000_000_000), "2026-11-23");
//! assert_eq!(civil_from_days(ns.div_euclid(86_400 * 1_000_000_000)), (2026, 11, 23));
//!
//! let us = TimeFormat::parse("%m/%d/%Y %I:%M:%S%.f %p")?;
//! assert_eq!(us.read_ns("11/23/2026 8:30:00.25 AM"), Some(ns));
//! assert_eq!(us.read_ns("11/31/2026 8:30:00 AM"), None); // no November 31st
//! # Ok::<(), String>(())
//! ```

#![deny(missing_docs)]

use std::fmt::{self, Write as _};
use std::str::FromStr;

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
const POW10: [i64; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// The timestamp forms read without an explicit format, as one line for
/// error messages.
pub const ACCEPTED_FORMS: &str = "integers in the time unit, or RFC 3339 / ISO 8601 text such as \
     `2026-11-23T08:30:00Z`, `2026-11-23 08:30:00.250+01:00` or `2026-11-23`; \
     give a format (`%d/%m/%Y %H:%M`) for anything else";

// ---------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------

/// Whether `y` is a leap year in the proleptic Gregorian calendar (year 0 is
/// 1 BC, and a leap year).
///
/// ```
/// use mot_core::input::time::is_leap_year;
/// assert!(is_leap_year(2000) && is_leap_year(2024) && is_leap_year(0));
/// assert!(!is_leap_year(1900) && !is_leap_year(2026));
/// ```
pub fn is_leap_year(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// The number of days in month `m` (1–12) of year `y`; 0 when `m` is not a
/// month.
///
/// ```
/// use mot_core::input::time::days_in_month;
/// assert_eq!(days_in_month(2024, 2), 29);
/// assert_eq!(days_in_month(1900, 2), 28);
/// assert_eq!(days_in_month(2026, 11), 30);
/// assert_eq!(days_in_month(2026, 13), 0);
/// ```
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// [`days_from_civil`] for `m` in 1..=12 and `|y|` below 2⁵², all in `i64`:
/// the hot path of the parsers.
#[inline(always)]
fn days_from_civil_i64(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days from 1970-01-01 to the civil date `y-m-d` (proleptic Gregorian;
/// negative before 1970). Howard Hinnant's `days_from_civil`.
///
/// Like `mktime`, a month outside 1–12 rolls into the neighbouring years
/// (`m = 13` is January of `y + 1`, `m = 0` December of `y - 1`) and the day
/// is an offset from the first of the month (`d = 0` is the month's eve).
/// Validate dates with [`days_in_month`] first where that matters. A result
/// beyond the `i64` range saturates.
///
/// ```
/// use mot_core::input::time::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2026, 11, 23), 20_780);
/// assert_eq!(days_from_civil(1969, 12, 31), -1);
/// assert_eq!(days_from_civil(2026, 13, 1), days_from_civil(2027, 1, 1));
/// ```
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    const SAFE_YEARS: i64 = 1 << 52;
    let m0 = i64::from(m) - 1;
    let y = y.saturating_add(m0.div_euclid(12));
    let m = m0.rem_euclid(12) + 1;
    if (-SAFE_YEARS..SAFE_YEARS).contains(&y) {
        return days_from_civil_i64(y, m, i64::from(d));
    }
    // Far-away years: the same arithmetic in i128, saturated.
    let y = i128::from(y) - i128::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i128::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i128::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    i64::try_from(days).unwrap_or(if days < 0 { i64::MIN } else { i64::MAX })
}

/// The civil date `(year, month, day)` that is `days` days after 1970-01-01
/// (before it when negative), proleptic Gregorian. Howard Hinnant's
/// `civil_from_days`; exact for every `i64`.
///
/// ```
/// use mot_core::input::time::civil_from_days;
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// assert_eq!(civil_from_days(11_016), (2000, 2, 29));
/// ```
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // `days + 719_468` (days from 0000-03-01) could overflow: split first.
    let shifted = days.rem_euclid(146_097) + 719_468;
    let era = days.div_euclid(146_097) + shifted / 146_097;
    let doe = shifted % 146_097; // [0, 146_096]
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March first
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m as u32, d as u32)
}

/// How many fractional digits [`format_utc`] writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Precision {
    /// As few as show the value exactly: none for whole seconds, else 3, 6
    /// or 9 (`.250`, `.000250`, `.000000250`).
    #[default]
    Auto,
    /// Whole seconds: the fraction is dropped.
    Seconds,
    /// Always 3 digits (milliseconds), cut towards the past.
    Millis,
    /// Always 6 digits (microseconds), cut towards the past.
    Micros,
    /// Always 9 digits (nanoseconds).
    Nanos,
}

impl Precision {
    /// The number of digits to write for the fraction `frac` (in ns).
    fn digits(self, frac: i64) -> usize {
        match self {
            Precision::Auto if frac == 0 => 0,
            Precision::Auto if frac % 1_000_000 == 0 => 3,
            Precision::Auto if frac % 1_000 == 0 => 6,
            Precision::Auto => 9,
            Precision::Seconds => 0,
            Precision::Millis => 3,
            Precision::Micros => 6,
            Precision::Nanos => 9,
        }
    }
}

/// Writes `y-m-d`: four digits for years 0000–9999, else a sign and at
/// least four digits (ISO 8601 expanded years).
fn push_date(s: &mut String, y: i64, m: u32, d: u32) {
    let _ = if (0..=9_999).contains(&y) {
        write!(s, "{y:04}-{m:02}-{d:02}")
    } else {
        write!(s, "{y:+05}-{m:02}-{d:02}")
    };
}

/// The instant `ns` (nanoseconds since the epoch) as RFC 3339 UTC text:
/// `2026-11-23T08:30:00Z`, with the fractional digits `precision` asks for
/// ([`Precision::Auto`]: only when the fraction is not zero, as 3, 6 or 9
/// digits). Fractions are cut towards the past, so the text never shows a
/// later instant. [`parse_rfc3339_ns`] reads every output back.
///
/// ```
/// use mot_core::input::time::{format_utc, Precision};
/// let ns = 1_795_422_600_000_000_000; // 2026-11-23T08:30:00Z
/// assert_eq!(format_utc(ns, Precision::Auto), "2026-11-23T08:30:00Z");
/// assert_eq!(format_utc(ns + 250_000_000, Precision::Auto), "2026-11-23T08:30:00.250Z");
/// assert_eq!(format_utc(ns + 1, Precision::Auto), "2026-11-23T08:30:00.000000001Z");
/// assert_eq!(format_utc(ns + 1, Precision::Millis), "2026-11-23T08:30:00.000Z");
/// assert_eq!(format_utc(-1, Precision::Auto), "1969-12-31T23:59:59.999999999Z");
/// ```
pub fn format_utc(ns: i64, precision: Precision) -> String {
    let seconds = ns.div_euclid(NANOS_PER_SECOND);
    let frac = ns.rem_euclid(NANOS_PER_SECOND);
    let (y, m, d) = civil_from_days(seconds.div_euclid(SECONDS_PER_DAY));
    let sod = seconds.rem_euclid(SECONDS_PER_DAY);
    let mut s = String::with_capacity(30);
    push_date(&mut s, y, m, d);
    let _ = write!(
        s,
        "T{:02}:{:02}:{:02}",
        sod / 3_600,
        sod / 60 % 60,
        sod % 60
    );
    let digits = precision.digits(frac);
    if digits > 0 {
        let _ = write!(s, ".{:0digits$}", frac / POW10[9 - digits]);
    }
    s.push('Z');
    s
}

/// The UTC date of `seconds` since the epoch, as `2026-11-23`. Years outside
/// 0000–9999 are written with a sign (`+10000-01-01`, `-0001-12-31`).
///
/// ```
/// use mot_core::input::time::format_date;
/// assert_eq!(format_date(1_795_392_000), "2026-11-23");
/// assert_eq!(format_date(-1), "1969-12-31");
/// ```
pub fn format_date(seconds: i64) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(SECONDS_PER_DAY));
    let mut s = String::with_capacity(10);
    push_date(&mut s, y, m, d);
    s
}

// ---------------------------------------------------------------------------
// Byte-level readers shared by the parsers
// ---------------------------------------------------------------------------

/// The ASCII digit at `b[i]`, as a number.
#[inline(always)]
fn digit(b: &[u8], i: usize) -> Option<i64> {
    match b.get(i) {
        Some(&c) if c.is_ascii_digit() => Some(i64::from(c - b'0')),
        _ => None,
    }
}

/// Exactly two ASCII digits at `b[i..i + 2]`.
#[inline(always)]
fn two_digits(b: &[u8], i: usize) -> Option<i64> {
    Some(digit(b, i)? * 10 + digit(b, i + 1)?)
}

/// 1..=`max` ASCII digits from `b[*i]`, advancing `*i` past them.
#[inline]
fn number(b: &[u8], i: &mut usize, max: usize) -> Option<i64> {
    let start = *i;
    let mut v = 0;
    while *i - start < max {
        match digit(b, *i) {
            Some(x) => v = v * 10 + x,
            None => break,
        }
        *i += 1;
    }
    (*i > start).then_some(v)
}

/// One or more fractional digits from `b[*i]`, as nanoseconds: digits past
/// the ninth are read and dropped (truncated).
#[inline]
fn fraction(b: &[u8], i: &mut usize) -> Option<i64> {
    let start = *i;
    let mut v = 0;
    while let Some(x) = digit(b, *i) {
        if *i - start < 9 {
            v = v * 10 + x;
        }
        *i += 1;
    }
    match *i - start {
        0 => None,
        n if n < 9 => Some(v * POW10[9 - n]),
        _ => Some(v),
    }
}

/// A UTC offset at `b[*i]`: `Z`/`z`, or a sign and `HH:MM`, `HHMM` or `HH`
/// (hours up to 23, minutes up to 59). Seconds east of UTC.
fn offset(b: &[u8], i: &mut usize) -> Option<i64> {
    let sign = match *b.get(*i)? {
        b'Z' | b'z' => {
            *i += 1;
            return Some(0);
        }
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours = two_digits(b, *i + 1)?;
    let mut j = *i + 3;
    let minutes = if b.get(j) == Some(&b':') {
        let m = two_digits(b, j + 1)?;
        j += 3;
        m
    } else if let Some(m) = two_digits(b, j) {
        j += 2;
        m
    } else {
        0
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    *i = j;
    Some(sign * (hours * 3_600 + minutes * 60))
}

/// `seconds` and `nanos` (0..1e9) as nanoseconds, if that fits an `i64`.
#[inline(always)]
fn to_ns(seconds: i64, nanos: i64) -> Option<i64> {
    i64::try_from(i128::from(seconds) * i128::from(NANOS_PER_SECOND) + i128::from(nanos)).ok()
}

/// Whether `b[i..]` starts with `word`, ignoring ASCII case.
#[inline]
fn starts_with_ci(b: &[u8], i: usize, word: &str) -> bool {
    b.get(i..i + word.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(word.as_bytes()))
}

// ---------------------------------------------------------------------------
// RFC 3339 / ISO 8601
// ---------------------------------------------------------------------------

/// Reads RFC 3339 / ISO 8601 text as nanoseconds since the epoch.
///
/// Accepted, after trimming surrounding whitespace:
///
/// - a date `YYYY-MM-DD` (midnight UTC), optionally followed by
/// - `T`, `t` or a space and a time `HH:MM` or `HH:MM:SS`, the seconds
///   optionally with a fraction of one or more digits (digits past the
///   ninth are dropped, not rounded); `:60` (a leap second) reads as the
///   next minute's `:00`;
/// - then optionally an offset: `Z`, `z`, `+02:00`, `+0200`, `+02`,
///   `-05:30`… Without one the time is **UTC**.
///
/// Every field has its exact number of digits (`2026-1-1` is rejected).
/// `None` for anything else, an impossible date (`2026-02-30`), a time
/// past `23:59:60`, or an instant outside the `i64` range (before
/// 1677-09-21T00:12:43.145224192Z or after 2262-04-11T23:47:16.854775807Z).
/// Integers are not read here: see [`int_to_ns`].
///
/// Reads bytes and never allocates: it is the hot path of CSV ingest.
///
/// ```
/// use mot_core::input::time::parse_rfc3339_ns;
/// const S: i64 = 1_000_000_000;
/// assert_eq!(parse_rfc3339_ns("2026-11-23T00:00:00Z"), Some(1_795_392_000 * S));
/// assert_eq!(parse_rfc3339_ns("2026-11-23t01:00:00+01:00"), Some(1_795_392_000 * S));
/// assert_eq!(parse_rfc3339_ns("2026-11-23 00:00:00.5"), Some(1_795_392_000 * S + S / 2));
/// assert_eq!(parse_rfc3339_ns("2026-11-23"), Some(1_795_392_000 * S));
/// assert_eq!(parse_rfc3339_ns("2026-02-30"), None);
/// assert_eq!(parse_rfc3339_ns("1795392000"), None);
/// ```
pub fn parse_rfc3339_ns(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    let year = two_digits(b, 0)? * 100 + two_digits(b, 2)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = two_digits(b, 5)?;
    let day = two_digits(b, 8)?;
    if !(1..=12).contains(&month) || day < 1 || day > i64::from(days_in_month(year, month as u32)) {
        return None;
    }
    let mut seconds = days_from_civil_i64(year, month, day) * SECONDS_PER_DAY;
    let mut nanos = 0;
    let mut i = 10;
    if matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        let hours = two_digits(b, 11)?;
        if b.get(13) != Some(&b':') {
            return None;
        }
        let minutes = two_digits(b, 14)?;
        let mut secs = 0;
        i = 16;
        if b.get(16) == Some(&b':') {
            secs = two_digits(b, 17)?;
            i = 19;
            if b.get(19) == Some(&b'.') {
                i = 20;
                nanos = fraction(b, &mut i)?;
            }
        }
        if hours > 23 || minutes > 59 || secs > 60 {
            return None;
        }
        seconds += hours * 3_600 + minutes * 60 + secs;
    }
    if i < b.len() {
        seconds -= offset(b, &mut i)?;
        if i != b.len() {
            return None;
        }
    }
    to_ns(seconds, nanos)
}

// ---------------------------------------------------------------------------
// Integers
// ---------------------------------------------------------------------------

/// An integer timestamp in a unit with `per_second` ticks a second (1 for
/// seconds, 1 000 for milliseconds, 1 000 000 for microseconds,
/// 1 000 000 000 for nanoseconds) as nanoseconds.
///
/// `None` when the result overflows an `i64`, or when `per_second` is not a
/// positive divisor of 1 000 000 000.
///
/// ```
/// use mot_core::input::time::int_to_ns;
/// assert_eq!(int_to_ns(1_795_392_000, 1), Some(1_795_392_000_000_000_000));
/// assert_eq!(int_to_ns(-5, 1_000), Some(-5_000_000));
/// assert_eq!(int_to_ns(i64::MAX, 1), None);
/// assert_eq!(int_to_ns(1, 7), None);
/// ```
pub fn int_to_ns(value: i64, per_second: i64) -> Option<i64> {
    if per_second <= 0 || NANOS_PER_SECOND % per_second != 0 {
        return None;
    }
    value.checked_mul(NANOS_PER_SECOND / per_second)
}

// ---------------------------------------------------------------------------
// Explicit formats
// ---------------------------------------------------------------------------

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Reads an English name from `names` at `b[*i]`, in full or as its first
/// three letters, ignoring case (and `Sept` for index 8 when `sept`): its
/// index. Full names are tried first, so `March` is not read as `Mar`.
fn name(b: &[u8], i: &mut usize, names: &[&str], sept: bool) -> Option<usize> {
    let (k, len) = names
        .iter()
        .position(|n| starts_with_ci(b, *i, n))
        .map(|k| (k, names.get(k).map_or(0, |n| n.len())))
        .or_else(|| (sept && starts_with_ci(b, *i, "sept")).then_some((8, 4)))
        .or_else(|| {
            names
                .iter()
                .position(|n| n.get(..3).is_some_and(|a| starts_with_ci(b, *i, a)))
                .map(|k| (k, 3))
        })?;
    *i += len;
    Some(k)
}

/// One directive's field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    /// `%Y`
    Year,
    /// `%y`
    Year2,
    /// `%m`
    Month,
    /// `%b`, `%h`, `%B`
    MonthName,
    /// `%d`
    Day,
    /// `%e`
    DaySpaced,
    /// `%j`
    DayOfYear,
    /// `%a`, `%A`
    Weekday,
    /// `%H`
    Hour,
    /// `%I`
    Hour12,
    /// `%p`
    AmPm,
    /// `%M`
    Minute,
    /// `%S`
    Second,
    /// `%f`
    Fraction,
    /// `%.f`
    DotFraction,
    /// `%z`
    Offset,
    /// `%Z`
    Zone,
    /// `%s`
    Epoch,
}

const YEAR: u16 = 1;
const MONTH: u16 = 1 << 1;
const DAY: u16 = 1 << 2;
const DAY_OF_YEAR: u16 = 1 << 3;
const HOUR: u16 = 1 << 4;
const AM_PM: u16 = 1 << 5;
const MINUTE: u16 = 1 << 6;
const SECOND: u16 = 1 << 7;
const FRACTION: u16 = 1 << 8;
const OFFSET: u16 = 1 << 9;
const EPOCH: u16 = 1 << 10;
const WEEKDAY: u16 = 1 << 11;

impl Field {
    /// The value this field sets (a bit) and its name in error messages.
    fn slot(self) -> (u16, &'static str) {
        match self {
            Field::Year | Field::Year2 => (YEAR, "year"),
            Field::Month | Field::MonthName => (MONTH, "month"),
            Field::Day | Field::DaySpaced => (DAY, "day"),
            Field::DayOfYear => (DAY_OF_YEAR, "day of the year"),
            Field::Weekday => (WEEKDAY, "weekday"),
            Field::Hour | Field::Hour12 => (HOUR, "hour"),
            Field::AmPm => (AM_PM, "AM/PM"),
            Field::Minute => (MINUTE, "minute"),
            Field::Second => (SECOND, "second"),
            Field::Fraction | Field::DotFraction => (FRACTION, "fraction of a second"),
            Field::Offset | Field::Zone => (OFFSET, "time zone"),
            Field::Epoch => (EPOCH, "epoch seconds"),
        }
    }
}

/// A piece of a parsed format.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    /// Text that must appear as is.
    Literal(Box<str>),
    /// One or more whitespace characters.
    Space,
    /// A directive.
    Field(Field),
}

/// Builds a [`TimeFormat`]'s items.
struct Builder<'a> {
    spec: &'a str,
    items: Vec<Item>,
    literal: String,
    seen: u16,
    twelve_hour: bool,
}

impl Builder<'_> {
    fn flush(&mut self) {
        if !self.literal.is_empty() {
            let text = std::mem::take(&mut self.literal);
            self.items.push(Item::Literal(text.into_boxed_str()));
        }
    }

    fn space(&mut self) {
        self.flush();
        if self.items.last() != Some(&Item::Space) {
            self.items.push(Item::Space);
        }
    }

    fn field(&mut self, field: Field) -> Result<(), String> {
        self.flush();
        let (bit, what) = field.slot();
        if self.seen & bit != 0 && bit != WEEKDAY {
            return Err(format!(
                "time format `{}` gives the {what} twice",
                self.spec
            ));
        }
        self.seen |= bit;
        self.twelve_hour |= field == Field::Hour12;
        self.items.push(Item::Field(field));
        Ok(())
    }

    fn fields(&mut self, fields: &[Field], separator: char) -> Result<(), String> {
        for (k, &f) in fields.iter().enumerate() {
            if k > 0 {
                self.literal.push(separator);
            }
            self.field(f)?;
        }
        Ok(())
    }

    fn directive(&mut self, c: char) -> Result<(), String> {
        let field = match c {
            'Y' => Field::Year,
            'y' => Field::Year2,
            'm' => Field::Month,
            'b' | 'h' | 'B' => Field::MonthName,
            'd' => Field::Day,
            'e' => Field::DaySpaced,
            'j' => Field::DayOfYear,
            'a' | 'A' => Field::Weekday,
            'H' => Field::Hour,
            'I' => Field::Hour12,
            'p' => Field::AmPm,
            'M' => Field::Minute,
            'S' => Field::Second,
            'f' => Field::Fraction,
            'z' => Field::Offset,
            'Z' => Field::Zone,
            's' => Field::Epoch,
            'T' => return self.fields(&[Field::Hour, Field::Minute, Field::Second], ':'),
            'F' => return self.fields(&[Field::Year, Field::Month, Field::Day], '-'),
            'D' => return self.fields(&[Field::Month, Field::Day, Field::Year2], '/'),
            'R' => return self.fields(&[Field::Hour, Field::Minute], ':'),
            '%' => {
                self.literal.push('%');
                return Ok(());
            }
            _ => {
                return Err(format!(
                    "unknown directive `%{c}` in time format `{}`",
                    self.spec
                ));
            }
        };
        self.field(field)
    }

    fn finish(mut self) -> Result<TimeFormat, String> {
        self.flush();
        let (spec, seen) = (self.spec, self.seen);
        let has = |bits: u16| seen & bits == bits;
        if has(EPOCH) && seen & !(EPOCH | FRACTION) != 0 {
            return Err(format!(
                "time format `{spec}` combines `%s` with other date or time directives: \
                 only `%f` or `%.f` may go with it"
            ));
        }
        if has(DAY_OF_YEAR) && seen & (MONTH | DAY) != 0 {
            return Err(format!(
                "time format `{spec}` combines `%j` with a month or a day"
            ));
        }
        if self.twelve_hour && !has(AM_PM) {
            return Err(format!("time format `{spec}` has `%I` without `%p`"));
        }
        if has(AM_PM) && !self.twelve_hour {
            return Err(format!("time format `{spec}` has `%p` without `%I`"));
        }
        if !(has(EPOCH) || has(YEAR | MONTH | DAY) || has(YEAR | DAY_OF_YEAR)) {
            return Err(format!(
                "time format `{spec}` has no complete date: it needs a year (`%Y` or `%y`), \
                 a month (`%m` or `%b`) and a day (`%d`), a year and `%j`, or `%s`"
            ));
        }
        Ok(TimeFormat {
            spec: spec.to_owned(),
            items: self.items,
        })
    }
}

/// The values read so far by [`TimeFormat::read_ns`].
struct Values {
    year: i64,
    month: i64,
    day: i64,
    day_of_year: Option<i64>,
    hour: i64,
    pm: Option<bool>,
    minute: i64,
    second: i64,
    nanos: i64,
    offset: i64,
    epoch: Option<i64>,
}

impl Values {
    /// Reads `field` at `b[*i]`, advancing `*i`.
    fn read(&mut self, field: Field, b: &[u8], i: &mut usize) -> Option<()> {
        match field {
            Field::Year => self.year = number(b, i, 4)?,
            Field::Year2 => {
                let y = number(b, i, 2)?;
                self.year = if y >= 69 { 1_900 + y } else { 2_000 + y };
            }
            Field::Month => self.month = number(b, i, 2)?,
            Field::MonthName => self.month = name(b, i, &MONTHS, true)? as i64 + 1,
            Field::Day => self.day = number(b, i, 2)?,
            Field::DaySpaced => {
                while b.get(*i) == Some(&b' ') {
                    *i += 1;
                }
                self.day = number(b, i, 2)?;
            }
            Field::DayOfYear => self.day_of_year = Some(number(b, i, 3)?),
            Field::Weekday => {
                name(b, i, &WEEKDAYS, false)?;
            }
            Field::Hour | Field::Hour12 => self.hour = number(b, i, 2)?,
            Field::AmPm => {
                self.pm = Some(match () {
                    () if starts_with_ci(b, *i, "am") => false,
                    () if starts_with_ci(b, *i, "pm") => true,
                    () => return None,
                });
                *i += 2;
            }
            Field::Minute => self.minute = number(b, i, 2)?,
            Field::Second => self.second = number(b, i, 2)?,
            Field::Fraction => self.nanos = fraction(b, i)?,
            Field::DotFraction => {
                if b.get(*i) == Some(&b'.') {
                    *i += 1;
                    self.nanos = fraction(b, i)?;
                }
            }
            Field::Offset => self.offset = offset(b, i)?,
            Field::Zone => {
                let len = ["utc", "gmt", "z"]
                    .iter()
                    .find(|z| starts_with_ci(b, *i, z))?
                    .len();
                *i += len;
            }
            Field::Epoch => {
                let negative = b.get(*i) == Some(&b'-');
                if matches!(b.get(*i), Some(b'-' | b'+')) {
                    *i += 1;
                }
                let start = *i;
                let mut v: i64 = 0;
                while let Some(x) = digit(b, *i) {
                    v = v.checked_mul(10)?.checked_add(x)?;
                    *i += 1;
                }
                if *i == start {
                    return None;
                }
                self.epoch = Some(if negative { -v } else { v });
            }
        }
        Some(())
    }

    /// The instant read, checking every field's range.
    fn finish(&self) -> Option<i64> {
        if let Some(seconds) = self.epoch {
            return to_ns(seconds, self.nanos);
        }
        let hour = match self.pm {
            Some(_) if !(1..=12).contains(&self.hour) => return None,
            Some(pm) => self.hour % 12 + if pm { 12 } else { 0 },
            None if self.hour > 23 => return None,
            None => self.hour,
        };
        if self.minute > 59 || self.second > 60 {
            return None;
        }
        let days = match self.day_of_year {
            Some(doy) => {
                if doy < 1 || doy > 365 + i64::from(is_leap_year(self.year)) {
                    return None;
                }
                days_from_civil_i64(self.year, 1, 1) + doy - 1
            }
            None => {
                let month = u32::try_from(self.month).ok()?;
                if self.day < 1 || self.day > i64::from(days_in_month(self.year, month)) {
                    return None;
                }
                days_from_civil_i64(self.year, self.month, self.day)
            }
        };
        let seconds =
            days * SECONDS_PER_DAY + hour * 3_600 + self.minute * 60 + self.second - self.offset;
        to_ns(seconds, self.nanos)
    }
}

/// An explicit, strftime-style timestamp format, parsed once and then used
/// to read many values with [`TimeFormat::read_ns`].
///
/// | directive | reads |
/// |---|---|
/// | `%Y` | year, 1–4 digits, no sign |
/// | `%y` | year in the century, 1–2 digits: 69–99 → 19xx, 00–68 → 20xx (POSIX) |
/// | `%m` | month, 1–2 digits |
/// | `%b`, `%h`, `%B` | English month name, full or first three letters (`Sept` too), any case |
/// | `%d` | day of the month, 1–2 digits |
/// | `%e` | day of the month, space- or zero-padded |
/// | `%j` | day of the year, 1–3 digits |
/// | `%a`, `%A` | English weekday name, full or first three letters, any case: read and ignored |
/// | `%H` | hour 0–23, 1–2 digits |
/// | `%I`, `%p` | hour 1–12, and `AM`/`PM` (any case): they go together |
/// | `%M` | minute, 1–2 digits |
/// | `%S` | second, 1–2 digits, up to 60 (a leap second reads as the next minute) |
/// | `%f` | fractional digits: `25` is a quarter second; digits past the ninth are dropped |
/// | `%.f` | optional: `.` and fractional digits, or nothing |
/// | `%z` | offset: `+0200`, `+02:00`, `+02`, `Z` |
/// | `%Z` | time zone name: `UTC`, `GMT` or `Z` only (any case) |
/// | `%s` | seconds since the epoch, optionally signed |
/// | `%T`, `%F`, `%D`, `%R` | `%H:%M:%S`, `%Y-%m-%d`, `%m/%d/%y`, `%H:%M` |
/// | `%%` | a `%` |
///
/// A space (or any whitespace) in the format matches one or more ASCII
/// whitespace characters; any other character matches itself. Numeric
/// fields take one digit up to their width, as `strptime` does, so
/// `%m/%d/%Y %H:%M` reads `11/1/2011 9:05`. The whole input must match,
/// once surrounding whitespace is trimmed. Missing time fields are 0;
/// without `%z`/`%Z` the time is UTC.
///
/// ```
/// use mot_core::input::time::{parse_rfc3339_ns, TimeFormat};
/// let f = TimeFormat::parse("%m/%d/%Y %H:%M")?;
/// assert_eq!(f.read_ns("11/10/2011 11:45"), parse_rfc3339_ns("2011-11-10T11:45:00Z"));
/// assert_eq!(f.read_ns("11/1/2011 9:05"), parse_rfc3339_ns("2011-11-01T09:05:00Z"));
/// assert_eq!(f.read_ns("2011-11-10 11:45"), None);
///
/// let eu = TimeFormat::parse("%d.%m.%Y %H:%M:%S%.f %z")?;
/// assert_eq!(eu.read_ns("23.11.2026 09:30:00.5 +01:00"), parse_rfc3339_ns("2026-11-23T08:30:00.5Z"));
///
/// let err = TimeFormat::parse("%d/%Q").unwrap_err();
/// assert_eq!(err, "unknown directive `%Q` in time format `%d/%Q`");
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeFormat {
    spec: String,
    items: Vec<Item>,
}

impl TimeFormat {
    /// Parses a format such as `%d/%m/%Y %H:%M` (see the directives above).
    ///
    /// # Errors
    ///
    /// A message naming the format when it has an unknown directive, ends
    /// with a lone `%`, gives a field twice (`%Y` and `%y`, `%H` and `%I`),
    /// mixes `%j` with a month or day, has `%I` without `%p` or the reverse,
    /// combines `%s` with anything but `%f`/`%.f`, or has no complete date:
    /// it needs a year, a month and a day, a year and `%j`, or `%s`.
    pub fn parse(spec: &str) -> Result<TimeFormat, String> {
        let mut b = Builder {
            spec,
            items: Vec::new(),
            literal: String::new(),
            seen: 0,
            twelve_hour: false,
        };
        let mut chars = spec.chars();
        while let Some(c) = chars.next() {
            match c {
                '%' => match chars.next() {
                    None => {
                        return Err(format!("time format `{spec}` ends with a lone `%`"));
                    }
                    Some('.') => match chars.next() {
                        Some('f') => b.field(Field::DotFraction)?,
                        other => {
                            let c = other.map(String::from).unwrap_or_default();
                            return Err(format!(
                                "unknown directive `%.{c}` in time format `{spec}`"
                            ));
                        }
                    },
                    Some(d) => b.directive(d)?,
                },
                c if c.is_whitespace() => b.space(),
                c => b.literal.push(c),
            }
        }
        b.finish()
    }

    /// The format as given to [`TimeFormat::parse`].
    pub fn as_str(&self) -> &str {
        &self.spec
    }

    /// Reads `text` (trimmed of surrounding whitespace) in this format, as
    /// nanoseconds since the epoch.
    ///
    /// `None` when the text does not match the whole format, a field is out
    /// of range (month 13, `%I` 0, minute 60…), the date does not exist
    /// (February 30th, day 366 of a common year), or the instant is outside
    /// the `i64` range of nanoseconds. Never allocates.
    pub fn read_ns(&self, text: &str) -> Option<i64> {
        let b = text.trim().as_bytes();
        let mut i = 0;
        let mut v = Values {
            year: 1970,
            month: 1,
            day: 1,
            day_of_year: None,
            hour: 0,
            pm: None,
            minute: 0,
            second: 0,
            nanos: 0,
            offset: 0,
            epoch: None,
        };
        for item in &self.items {
            match item {
                Item::Literal(l) => {
                    let l = l.as_bytes();
                    if b.get(i..i + l.len()) != Some(l) {
                        return None;
                    }
                    i += l.len();
                }
                Item::Space => {
                    let start = i;
                    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                        i += 1;
                    }
                    if i == start {
                        return None;
                    }
                }
                Item::Field(f) => v.read(*f, b, &mut i)?,
            }
        }
        if i != b.len() {
            return None;
        }
        v.finish()
    }
}

impl FromStr for TimeFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        TimeFormat::parse(s)
    }
}

impl fmt::Display for TimeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = NANOS_PER_SECOND;
    /// 2026-11-23T00:00:00Z in seconds.
    const NOV_23: i64 = 1_795_392_000;

    fn ns(text: &str) -> i64 {
        parse_rfc3339_ns(text).unwrap_or_else(|| panic!("`{text}` should parse"))
    }

    fn fmt(spec: &str) -> TimeFormat {
        TimeFormat::parse(spec).unwrap_or_else(|e| panic!("{e}"))
    }

    /// xorshift64*: deterministic pseudo-random numbers for the property loops.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn range(&mut self, lo: i64, hi: i64) -> i64 {
            let width = (hi as u64).wrapping_sub(lo as u64);
            lo.wrapping_add((self.next() % width) as i64)
        }
    }

    #[test]
    fn every_case_of_the_old_parse_timestamp() {
        assert_eq!(parse_rfc3339_ns("1970-01-01"), Some(0));
        assert_eq!(parse_rfc3339_ns("1969-12-31T23:59:59Z"), Some(-S));
        assert_eq!(
            parse_rfc3339_ns("2000-02-29T12:00:00-0230"),
            Some((951_825_600 + 9_000) * S)
        );
        assert_eq!(
            parse_rfc3339_ns("2026-11-23T08:30"),
            Some((NOV_23 + 30_600) * S)
        );
        assert_eq!(
            parse_rfc3339_ns("2026-11-23T00:00:00.123456789Z"),
            Some(1_795_392_000_123_456_789)
        );
        assert_eq!(
            parse_rfc3339_ns("2026-11-23T00:00:00.123456789Z").map(|n| n / 1_000),
            Some(1_795_392_000_123_456)
        );
        // The old doctest.
        assert_eq!(parse_rfc3339_ns("2026-11-23T00:00:00Z"), Some(NOV_23 * S));
        assert_eq!(
            parse_rfc3339_ns("2026-11-23T01:00:00+01:00"),
            Some(NOV_23 * S)
        );
        assert_eq!(
            parse_rfc3339_ns("2026-11-23 00:00:00.5").map(|n| n / 1_000_000),
            Some(1_795_392_000_500)
        );
        assert_eq!(int_to_ns(NOV_23, 1), Some(NOV_23 * S));
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-11-23T24:00",
            "2026-11-23X",
            "2026-11-23T00:00:00.Z",
            "2026-11-23T00:00+25:00",
            "2026-1-1",
            "١٩٧٠-01-01",
            "9999999999999999999999",
            "2026-02-30",
        ] {
            assert_eq!(parse_rfc3339_ns(bad), None, "{bad}");
        }
    }

    #[test]
    fn rfc3339_spellings() {
        let want = (NOV_23 + 30_600) * S;
        for text in [
            "2026-11-23T08:30:00Z",
            "2026-11-23t08:30:00z",
            "2026-11-23 08:30:00",
            "2026-11-23T08:30",
            "2026-11-23T08:30Z",
            "  2026-11-23T08:30:00Z\t",
            "2026-11-23T08:30:00.000Z",
            "2026-11-23T08:30:00.000000000000Z",
            "2026-11-23T10:30:00+02:00",
            "2026-11-23T10:30:00+0200",
            "2026-11-23T10:30:00+02",
            "2026-11-23T03:00:00-05:30",
            "2026-11-23T03:00-0530",
            "2026-11-23T08:30:00-00:00",
        ] {
            assert_eq!(parse_rfc3339_ns(text), Some(want), "{text}");
        }
        // A date with an offset (as the old code read it), and leap seconds.
        assert_eq!(parse_rfc3339_ns("2026-11-23Z"), Some(NOV_23 * S));
        assert_eq!(
            parse_rfc3339_ns("2026-11-23+01:00"),
            Some((NOV_23 - 3_600) * S)
        );
        assert_eq!(
            parse_rfc3339_ns("2016-12-31T23:59:60Z"),
            parse_rfc3339_ns("2017-01-01")
        );
    }

    #[test]
    fn fractions_of_every_length() {
        let base = NOV_23 * S;
        for (frac, nanos) in [
            ("5", 500_000_000),
            ("250", 250_000_000),
            ("000250", 250_000),
            ("123456789", 123_456_789),
            ("123456789987", 123_456_789), // truncated, not rounded
            ("999999999999", 999_999_999),
            ("000000001", 1),
            ("0000000009", 0),
        ] {
            let text = format!("2026-11-23T00:00:00.{frac}Z");
            assert_eq!(parse_rfc3339_ns(&text), Some(base + nanos), "{text}");
        }
        assert_eq!(parse_rfc3339_ns("1969-12-31T23:59:59.5Z"), Some(-S / 2));
        for bad in [
            "2026-11-23T00:00:00.",
            "2026-11-23T00:00:00,5",
            "2026-11-23T00:00.5",
            "2026-11-23T00:00:00.5.5",
            "2026-11-23T00:00:00.-5",
        ] {
            assert_eq!(parse_rfc3339_ns(bad), None, "{bad}");
        }
    }

    #[test]
    fn bad_offsets_and_fields() {
        for bad in [
            "2026-11-23T00:00+24:00",
            "2026-11-23T00:00+01:60",
            "2026-11-23T00:00+1",
            "2026-11-23T00:00+013",
            "2026-11-23T00:00+01:0",
            "2026-11-23T00:00+01:000",
            "2026-11-23T00:00+01:00Z",
            "2026-11-23T00:00 +01:00",
            "2026-11-23T00:00UTC",
            "2026-11-23T00:00++1:00",
            "2026-11-23T+8:30",
            "2026-11-23T8:30",
            "2026-11-23T08:60",
            "2026-11-23T08:30:61",
            "2026-11-23T08:30:",
            "2026-11-23T08",
            "2026-11-23T",
            "2026-11-23TT08:30",
            "2026-00-10",
            "2026-11-00",
            "2026-11-31",
            "+2026-11-23",
            "-2026-11-23",
            "20261123",
            "2026/11/23",
            "2026-11-23T00:00:00.5é",
            "2026-11-23T08:30:00é",
            "2026-11-23T08:30+aé1",
            "2026-11-23é",
        ] {
            assert_eq!(parse_rfc3339_ns(bad), None, "{bad}");
        }
    }

    #[test]
    fn leap_years_and_old_dates() {
        assert!(parse_rfc3339_ns("2000-02-29").is_some());
        assert!(parse_rfc3339_ns("2024-02-29").is_some());
        assert!(parse_rfc3339_ns("1904-02-29").is_some());
        for bad in ["1900-02-29", "2023-02-29", "2100-02-29", "2026-02-29"] {
            assert_eq!(parse_rfc3339_ns(bad), None, "{bad}");
        }
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2026, 0), 0);
        assert_eq!(
            parse_rfc3339_ns("1900-01-01T00:00:00Z"),
            Some(-2_208_988_800 * S)
        );
        assert_eq!(
            parse_rfc3339_ns("2200-01-01T00:00:00Z"),
            Some(7_258_118_400 * S)
        );
        assert_eq!(
            parse_rfc3339_ns("1969-07-20T20:17:40Z"),
            Some(-14_182_940 * S)
        );
        assert_eq!(
            format_utc(-14_182_940 * S, Precision::Auto),
            "1969-07-20T20:17:40Z"
        );
    }

    #[test]
    fn the_ends_of_the_i64_range() {
        let lo = "1677-09-21T00:12:43.145224192Z";
        let hi = "2262-04-11T23:47:16.854775807Z";
        assert_eq!(parse_rfc3339_ns(lo), Some(i64::MIN));
        assert_eq!(parse_rfc3339_ns(hi), Some(i64::MAX));
        assert_eq!(format_utc(i64::MIN, Precision::Auto), lo);
        assert_eq!(format_utc(i64::MAX, Precision::Auto), hi);
        assert_eq!(parse_rfc3339_ns("1677-09-21T00:12:43.145224191Z"), None);
        assert_eq!(parse_rfc3339_ns("2262-04-11T23:47:16.854775808Z"), None);
        assert_eq!(parse_rfc3339_ns("9999-12-31T23:59:59Z"), None);
        assert_eq!(parse_rfc3339_ns("0000-01-01"), None);
        assert_eq!(
            parse_rfc3339_ns("2262-04-12T00:47:16.854775807+01:00"),
            Some(i64::MAX)
        );
    }

    #[test]
    fn formatting() {
        let t = (NOV_23 + 30_600) * S;
        assert_eq!(format_utc(t, Precision::Auto), "2026-11-23T08:30:00Z");
        assert_eq!(format_utc(t, Precision::Seconds), "2026-11-23T08:30:00Z");
        assert_eq!(format_utc(t, Precision::Millis), "2026-11-23T08:30:00.000Z");
        assert_eq!(
            format_utc(t, Precision::Micros),
            "2026-11-23T08:30:00.000000Z"
        );
        assert_eq!(
            format_utc(t, Precision::Nanos),
            "2026-11-23T08:30:00.000000000Z"
        );
        let u = t + 123_456_789;
        assert_eq!(
            format_utc(u, Precision::Auto),
            "2026-11-23T08:30:00.123456789Z"
        );
        assert_eq!(format_utc(u, Precision::Seconds), "2026-11-23T08:30:00Z");
        assert_eq!(format_utc(u, Precision::Millis), "2026-11-23T08:30:00.123Z");
        assert_eq!(
            format_utc(u, Precision::Micros),
            "2026-11-23T08:30:00.123456Z"
        );
        assert_eq!(
            format_utc(t + 120_000, Precision::Auto),
            "2026-11-23T08:30:00.000120Z"
        );
        assert_eq!(
            format_utc(t + 5_000_000, Precision::Auto),
            "2026-11-23T08:30:00.005Z"
        );
        // Cut towards the past, before 1970 too.
        assert_eq!(
            format_utc(-1, Precision::Millis),
            "1969-12-31T23:59:59.999Z"
        );
        assert_eq!(format_utc(-1, Precision::Seconds), "1969-12-31T23:59:59Z");
        assert_eq!(format_utc(0, Precision::default()), "1970-01-01T00:00:00Z");
        // The dashboard's dates.
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(NOV_23), "2026-11-23");
        assert_eq!(format_date(NOV_23 + 86_399), "2026-11-23");
        assert_eq!(format_date(-86_400), "1969-12-31");
        assert_eq!(format_date(951_782_400), "2000-02-29");
        assert_eq!(format_date(253_402_300_800), "+10000-01-01");
        assert_eq!(format_date(-62_167_219_201), "-0001-12-31");
        assert!(format_date(i64::MIN).starts_with('-'));
        assert!(format_date(i64::MAX).starts_with('+'));
    }

    #[test]
    fn round_trips() {
        for text in [
            "2026-11-23T08:30:00Z",
            "2026-11-23T08:30:00.250Z",
            "2026-11-23T08:30:00.000250Z",
            "2026-11-23T08:30:00.000000250Z",
            "1969-12-31T23:59:59.999999999Z",
            "1900-01-01T00:00:00Z",
            "2199-12-31T23:59:59.999Z",
            "2000-02-29T12:00:00Z",
        ] {
            assert_eq!(format_utc(ns(text), Precision::Auto), text);
        }
    }

    #[test]
    fn property_format_then_parse_is_the_identity() {
        let (lo, hi) = (-2_208_988_800 * S, 7_258_118_400 * S);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for k in 0..200_000 {
            let mut t = rng.range(lo, hi);
            // Every few values, whole seconds / millis so Auto takes each branch.
            match k % 4 {
                0 => t -= t.rem_euclid(S),
                1 => t -= t.rem_euclid(1_000_000),
                2 => t -= t.rem_euclid(1_000),
                _ => {}
            }
            let text = format_utc(t, Precision::Auto);
            assert_eq!(parse_rfc3339_ns(&text), Some(t), "{text}");
            assert_eq!(parse_rfc3339_ns(&format_utc(t, Precision::Nanos)), Some(t));
            let ms = parse_rfc3339_ns(&format_utc(t, Precision::Millis));
            assert_eq!(ms, Some(t - t.rem_euclid(1_000_000)));
        }
    }

    #[test]
    fn property_civil_days_identity() {
        let mut previous = civil_from_days(-200_001);
        for days in -200_000..=200_000 {
            let (y, m, d) = civil_from_days(days);
            assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
            assert_eq!(days_from_civil(y, m, d), days);
            // One day after the previous one.
            let (py, pm, pd) = previous;
            let next = if pd < days_in_month(py, pm) {
                (py, pm, pd + 1)
            } else if pm < 12 {
                (py, pm + 1, 1)
            } else {
                (py + 1, 1, 1)
            };
            assert_eq!((y, m, d), next);
            previous = (y, m, d);
        }
        assert_eq!(civil_from_days(-200_000), (1422, 6, 3));
        assert_eq!(civil_from_days(200_000), (2517, 8, 1));
    }

    #[test]
    fn calendar_extremes_never_panic() {
        let mut rng = Rng(42);
        for days in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{days}");
        }
        for _ in 0..10_000 {
            let days = rng.next() as i64;
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{days}");
        }
        assert_eq!(days_from_civil(i64::MAX, 12, 31), i64::MAX);
        assert_eq!(days_from_civil(i64::MIN, 1, 1), i64::MIN);
        assert_eq!(days_from_civil(i64::MAX, u32::MAX, u32::MAX), i64::MAX);
        assert_eq!(days_from_civil(2026, 0, 1), days_from_civil(2025, 12, 1));
        assert_eq!(days_from_civil(2026, 25, 1), days_from_civil(2028, 1, 1));
        assert_eq!(days_from_civil(2026, 3, 0), days_from_civil(2026, 2, 28));
        assert_eq!(days_from_civil(-1, 12, 31), days_from_civil(0, 1, 1) - 1);
        assert!(is_leap_year(-4) && !is_leap_year(-100) && is_leap_year(-400));
    }

    #[test]
    fn integers() {
        assert_eq!(int_to_ns(3, 1), Some(3 * S));
        assert_eq!(int_to_ns(3, 1_000), Some(3_000_000));
        assert_eq!(int_to_ns(3, 1_000_000), Some(3_000));
        assert_eq!(int_to_ns(3, 1_000_000_000), Some(3));
        assert_eq!(int_to_ns(-3, 1), Some(-3 * S));
        assert_eq!(int_to_ns(i64::MIN, 1_000_000_000), Some(i64::MIN));
        assert_eq!(int_to_ns(i64::MIN, 1), None);
        assert_eq!(int_to_ns(9_223_372_037, 1), None);
        assert_eq!(int_to_ns(9_223_372_036, 1), Some(9_223_372_036 * S));
        for per in [0, -1, 3, 7, 2_000_000_000, i64::MIN] {
            assert_eq!(int_to_ns(1, per), None, "{per}");
        }
    }

    #[test]
    fn every_directive() {
        let t = (NOV_23 + 30_600) * S; // 2026-11-23T08:30:00Z, a Monday
        let cases: &[(&str, &str, i64)] = &[
            ("%Y-%m-%d %H:%M:%S", "2026-11-23 08:30:00", t),
            ("%Y-%m-%d %H:%M:%S", "2026-11-23   8:30:0", t),
            ("%m/%d/%Y %H:%M", "11/23/2026 8:30", t),
            ("%y%m%d%H%M", "2611230830", t),
            ("%d/%m/%y %H:%M", "23/11/26 08:30", t),
            ("%d/%m/%y", "1/1/69", ns("1969-01-01")),
            ("%d/%m/%y", "31/12/68", ns("2068-12-31")),
            ("%d/%m/%y", "1/1/99", ns("1999-01-01")),
            ("%d/%m/%y", "1/1/00", ns("2000-01-01")),
            (
                "%e %b %Y %R",
                " 3 Nov 2026 08:30",
                ns("2026-11-03T08:30:00Z"),
            ),
            (
                "%e %b %Y %R",
                "03 nov 2026 08:30",
                ns("2026-11-03T08:30:00Z"),
            ),
            ("%e-%b-%Y", "3-NOVEMBER-2026", ns("2026-11-03")),
            ("%d %B %Y", "1 September 2026", ns("2026-09-01")),
            ("%d %B %Y", "1 Sept 2026", ns("2026-09-01")),
            ("%d %B %Y", "1 sep 2026", ns("2026-09-01")),
            ("%d %h %Y", "1 March 2026", ns("2026-03-01")),
            ("%d %h %Y", "1 Mar 2026", ns("2026-03-01")),
            ("%d %h %Y", "1 May 2026", ns("2026-05-01")),
            ("%a %d %b %Y", "Mon 23 Nov 2026", NOV_23 * S),
            ("%A, %d %b %Y", "monday, 23 Nov 2026", NOV_23 * S),
            ("%A, %d %b %Y", "Friday, 23 Nov 2026", NOV_23 * S), // not checked
            ("%Y-%m-%d %I:%M %p", "2026-11-23 8:30 AM", t),
            ("%Y-%m-%d %I:%M %p", "2026-11-23 08:30 am", t),
            ("%Y-%m-%d %I:%M%p", "2026-11-23 8:30pM", t + 12 * 3_600 * S),
            ("%Y-%m-%d %I:%M %p", "2026-11-23 12:00 AM", NOV_23 * S),
            (
                "%Y-%m-%d %I:%M %p",
                "2026-11-23 12:00 PM",
                (NOV_23 + 43_200) * S,
            ),
            (
                "%Y-%m-%d %H:%M:%S.%f",
                "2026-11-23 08:30:00.25",
                t + 250_000_000,
            ),
            (
                "%Y-%m-%d %H:%M:%S.%f",
                "2026-11-23 08:30:00.123456789123",
                t + 123_456_789,
            ),
            ("%Y-%m-%d %H:%M:%S%.f", "2026-11-23 08:30:00", t),
            (
                "%Y-%m-%d %H:%M:%S%.f",
                "2026-11-23 08:30:00.000001",
                t + 1_000,
            ),
            ("%Y %j", "2026 327", NOV_23 * S),
            ("%Y %j", "2024 366", ns("2024-12-31")),
            ("%Y %j", "2026 1", ns("2026-01-01")),
            ("%F %T%z", "2026-11-23 10:30:00+0200", t),
            ("%F %T%z", "2026-11-23 10:30:00+02:00", t),
            ("%F %T%z", "2026-11-23 10:30:00+02", t),
            ("%F %T%z", "2026-11-23 03:00:00-05:30", t),
            ("%F %T%z", "2026-11-23 08:30:00Z", t),
            ("%F %T %Z", "2026-11-23 08:30:00 UTC", t),
            ("%F %T %Z", "2026-11-23 08:30:00 gmt", t),
            ("%F %T%Z", "2026-11-23 08:30:00Z", t),
            ("%D %R", "11/23/26 08:30", t),
            ("%D", "11/23/26", NOV_23 * S),
            ("%s", "1795422600", t),
            ("%s", "-1", -S),
            ("%s", "+0", 0),
            ("%s%.f", "1795422600.5", t + 500_000_000),
            ("%s.%f", "-1.5", -S + 500_000_000),
            ("%Y-%m-%d 100%%", "2026-11-23 100%", NOV_23 * S),
            (
                "%d.%m.%Y %H:%M:%S%.f",
                "23.11.2026 08:30:00.250",
                t + 250_000_000,
            ),
            ("[%Y-%m-%d]", "  [2026-11-23]  ", NOV_23 * S),
            ("%Y-%m-%dT%H:%M", "2026-11-23T08:30", t),
            ("%d/%m/%Y\t%H:%M", "23/11/2026 \t 08:30", t),
            ("%d/%m/%Y  %H:%M", "23/11/2026 08:30", t),
            ("%Y年%m月%d日", "2026年11月23日", NOV_23 * S),
            ("%Y-%m-%d %H:%M:%S", "2016-12-31 23:59:60", ns("2017-01-01")),
            (
                "%Y-%m-%d %H:%M:%S",
                "1677-09-21 00:12:44",
                ns("1677-09-21T00:12:44Z"),
            ),
        ];
        for &(spec, text, want) in cases {
            assert_eq!(fmt(spec).read_ns(text), Some(want), "{spec} / {text}");
        }
    }

    #[test]
    fn formats_reject_bad_input() {
        let cases: &[(&str, &str)] = &[
            ("%m/%d/%Y %H:%M", "13/10/2011 11:45"),
            ("%m/%d/%Y %H:%M", "11/31/2011 11:45"),
            ("%m/%d/%Y %H:%M", "0/10/2011 11:45"),
            ("%m/%d/%Y %H:%M", "11/0/2011 11:45"),
            ("%m/%d/%Y %H:%M", "11/10/2011 24:00"),
            ("%m/%d/%Y %H:%M", "11/10/2011 11:60"),
            ("%m/%d/%Y %H:%M", "11/10/2011 11:45 extra"),
            ("%m/%d/%Y %H:%M", "11/10/2011 11:"),
            ("%m/%d/%Y %H:%M", "11/10/2011 11:456"),
            ("%m/%d/%Y %H:%M", "11/10/2011"),
            ("%m/%d/%Y %H:%M", "11/10/2011T11:45"),
            ("%m/%d/%Y %H:%M", "11/10/20111 11:45"),
            ("%m/%d/%Y %H:%M", "11-10-2011 11:45"),
            ("%m/%d/%Y %H:%M", "+1/10/2011 11:45"),
            ("%m/%d/%Y %H:%M", ""),
            ("%Y-%m-%d %H:%M:%S", "2026-11-23 08:30:61"),
            ("%Y-%m-%d %I:%M %p", "2026-11-23 0:30 AM"),
            ("%Y-%m-%d %I:%M %p", "2026-11-23 13:30 PM"),
            ("%Y-%m-%d %I:%M %p", "2026-11-23 8:30 XM"),
            ("%Y-%m-%d %I:%M %p", "2026-11-23 8:30"),
            ("%Y %j", "2026 366"),
            ("%Y %j", "2026 0"),
            ("%Y %j", "2026 1000"),
            ("%d %b %Y", "1 Foo 2026"),
            ("%e-%b-%Y", "3-11-2026"),
            ("%d %b %Y", "1 Ma 2026"),
            ("%d %b %Y", "1 Marc 2026"),
            ("%a %d %b %Y", "Mo 23 Nov 2026"),
            ("%F %T%z", "2026-11-23 10:30:00+2400"),
            ("%F %T%z", "2026-11-23 10:30:00+0260"),
            ("%F %T%z", "2026-11-23 10:30:00 +0200"),
            ("%F %T%z", "2026-11-23 10:30:00"),
            ("%F %T %Z", "2026-11-23 08:30:00 CET"),
            ("%F %T %Z", "2026-11-23 08:30:00 UT"),
            ("%Y-%m-%d %H:%M:%S.%f", "2026-11-23 08:30:00."),
            ("%Y-%m-%d %H:%M:%S%.f", "2026-11-23 08:30:00."),
            ("%s", ""),
            ("%s", "-"),
            ("%s", "12a"),
            ("%s", "99999999999999999999"),
            ("%s", "9223372037"),
            ("%Y-%m-%d", "9999-12-31"),
            ("%Y-%m-%d", "١٩٧٠-01-01"),
            ("%Y-%m-%dé", "2026-11-23e"),
            ("%Y-%m-%d", "2026-11-23é"),
        ];
        for &(spec, text) in cases {
            assert_eq!(fmt(spec).read_ns(text), None, "{spec} / {text}");
        }
    }

    #[test]
    fn format_errors() {
        let cases: &[(&str, &str)] = &[
            ("%d/%Q", "unknown directive `%Q` in time format `%d/%Q`"),
            (
                "%Y-%m-%d %.3f",
                "unknown directive `%.3` in time format `%Y-%m-%d %.3f`",
            ),
            (
                "%Y-%m-%d %.",
                "unknown directive `%.` in time format `%Y-%m-%d %.`",
            ),
            (
                "%Y-%m-%é",
                "unknown directive `%é` in time format `%Y-%m-%é`",
            ),
            (
                "%Y-%m-%d %",
                "time format `%Y-%m-%d %` ends with a lone `%`",
            ),
            (
                "%Y-%m-%d %y",
                "time format `%Y-%m-%d %y` gives the year twice",
            ),
            (
                "%F %H %I %p",
                "time format `%F %H %I %p` gives the hour twice",
            ),
            (
                "%F %T%.f.%f",
                "time format `%F %T%.f.%f` gives the fraction of a second twice",
            ),
            (
                "%F %z %Z",
                "time format `%F %z %Z` gives the time zone twice",
            ),
            ("%F %b", "time format `%F %b` gives the month twice"),
            (
                "%s %Y",
                "time format `%s %Y` combines `%s` with other date or time directives: \
                 only `%f` or `%.f` may go with it",
            ),
            (
                "%Y %j %m",
                "time format `%Y %j %m` combines `%j` with a month or a day",
            ),
            ("%F %I:%M", "time format `%F %I:%M` has `%I` without `%p`"),
            (
                "%F %H:%M %p",
                "time format `%F %H:%M %p` has `%p` without `%I`",
            ),
            (
                "%H:%M",
                "time format `%H:%M` has no complete date: it needs a year (`%Y` or `%y`), \
                 a month (`%m` or `%b`) and a day (`%d`), a year and `%j`, or `%s`",
            ),
        ];
        for &(spec, want) in cases {
            assert_eq!(TimeFormat::parse(spec), Err(want.to_owned()), "{spec}");
        }
        for incomplete in ["", " ", "%Y-%m", "%m-%d", "%j", "%d %b", "%y %m"] {
            assert!(TimeFormat::parse(incomplete).is_err(), "{incomplete}");
        }
        let f: TimeFormat = "%d/%m/%Y".parse().unwrap_or_else(|e: String| panic!("{e}"));
        assert_eq!(f.as_str(), "%d/%m/%Y");
        assert_eq!(f.to_string(), "%d/%m/%Y");
    }

    #[test]
    fn never_panics_on_prefixes_or_odd_input() {
        let valid = [
            "2026-11-23T08:30:00.123456789+02:00",
            "2026-11-23 08:30:00,5 -0530",
            "1969-12-31T23:59:60.5z",
            "2026-11-23é08:30:00ü",
            "١٩٧٠-01-01T00:00:00Z",
            "２０２６-11-23",
        ];
        let formats = [
            fmt("%Y-%m-%dT%H:%M:%S%.f%z"),
            fmt("%a, %e %B %Y %I:%M:%S %p %Z"),
            fmt("%s.%f"),
            fmt("%Y年%j日"),
        ];
        for text in valid {
            for (k, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let prefix = &text[..k];
                let suffix = &text[k..];
                for t in [prefix, suffix] {
                    let _ = parse_rfc3339_ns(t);
                    for f in &formats {
                        let _ = f.read_ns(t);
                    }
                }
            }
        }
        let mut rng = Rng(7);
        let alphabet: Vec<char> = "0123456789-:T .+Zzé١年%aAmMpP".chars().collect();
        for _ in 0..50_000 {
            let len = rng.range(0, 40) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[rng.range(0, alphabet.len() as i64) as usize])
                .collect();
            let _ = parse_rfc3339_ns(&s);
            let _ = TimeFormat::parse(&s).map(|f| f.read_ns(&s));
            for f in &formats {
                let _ = f.read_ns(&s);
            }
        }
        assert_eq!(parse_rfc3339_ns("١٩٧٠-01-01"), None);
        assert_eq!(parse_rfc3339_ns("2026-11-23T08:30:00é"), None);
    }

    #[test]
    fn accepted_forms_is_one_line() {
        assert!(!ACCEPTED_FORMS.contains('\n'));
        assert!(ACCEPTED_FORMS.contains("`2026-11-23T08:30:00Z`"));
        assert!(!ACCEPTED_FORMS.contains("  "));
    }
}
