//! What a value in a column means: the coercion rules every front end
//! applies to the native values it holds (Arrow buffers in Python, typed
//! arrays and JavaScript values), so that a flag of `2`, a fractional or
//! NaN timestamp, or an all-null column gets the same answer from Rust,
//! Python and JavaScript — and the same as its text in a CSV file.
//!
//! | value | flag (success, SCO) | timestamp |
//! |---|---|---|
//! | null, NaN | missing | missing |
//! | `true` / `false` | the flag | `invalid-timestamp` |
//! | integer `0` / `1` | `false` / `true` | the integer in the time unit |
//! | another integer | `invalid-success` | the integer in the time unit |
//! | a float with a fraction, ±∞ | `invalid-success` | `invalid-timestamp` |
//! | text | as a CSV field ([`parse_flag`]) | as a CSV field (RFC 3339, or the time format) |
//! | a datetime in a unit | `invalid-success` | its instant |
//!
//! A timestamp outside 1900–2200 is `timestamp-out-of-range` (checked when
//! the row is ingested).
//!
//! ```
//! use mot_core::input::values::{flag_from_int, flag_from_f64, timestamp_from_f64};
//! use mot_core::RejectReason;
//! assert_eq!(flag_from_int(1), Ok(true));
//! assert_eq!(flag_from_int(2), Err(RejectReason::InvalidSuccess));
//! assert_eq!(flag_from_f64(0.0), Ok(Some(false)));
//! assert_eq!(flag_from_f64(f64::NAN), Ok(None));
//! assert_eq!(timestamp_from_f64(1_795_392_000.0), Ok(Some(1_795_392_000)));
//! assert_eq!(timestamp_from_f64(1.5), Err(RejectReason::InvalidTimestamp));
//! assert_eq!(timestamp_from_f64(f64::NAN), Ok(None));
//! ```

#[cfg(doc)]
use crate::events::parse_flag;
use crate::input::time::{ACCEPTED_FORMS, TimeFormat};
use crate::{Error, RejectReason, TimeUnit};

/// Reads text timestamps into nanoseconds since the epoch: the one rule for
/// every text value (CSV fields, XES dates, JavaScript rows, text columns
/// of a table). Integers are in the time unit; other text is RFC 3339 /
/// ISO 8601 at full precision, or — when a format is given — text in that
/// strftime-style format.
///
/// ```
/// use mot_core::input::values::TimeReader;
/// use mot_core::{RejectReason, TimeUnit};
/// let iso = TimeReader::new(TimeUnit::Millis, None)?;
/// assert_eq!(iso.read("1500"), Ok(1_500_000_000));
/// assert_eq!(iso.read("1970-01-01T00:00:01.5Z"), Ok(1_500_000_000));
/// assert_eq!(iso.read("11/10/2011 11:45"), Err(RejectReason::InvalidTimestamp));
/// let us = TimeReader::new(TimeUnit::Seconds, Some("%m/%d/%Y %H:%M"))?;
/// assert_eq!(us.read("01/01/1970 00:01"), Ok(60_000_000_000));
/// assert!(TimeReader::new(TimeUnit::Seconds, Some("%Q")).is_err());
/// # Ok::<(), mot_core::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct TimeReader {
    unit: TimeUnit,
    format: Option<TimeFormat>,
}

impl TimeReader {
    /// A reader of integers in `unit`, and of text in `format` (a
    /// strftime-style format) or else RFC 3339.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for a bad format.
    pub fn new(unit: TimeUnit, format: Option<&str>) -> Result<TimeReader, Error> {
        let format = format
            .map(TimeFormat::parse)
            .transpose()
            .map_err(Error::config)?;
        Ok(TimeReader { unit, format })
    }

    /// Nanoseconds since the epoch.
    ///
    /// # Errors
    ///
    /// [`RejectReason::InvalidTimestamp`] for text that is no timestamp,
    /// [`RejectReason::TimestampOutOfRange`] for an integer whose
    /// nanoseconds overflow.
    pub fn read(&self, text: &str) -> Result<i64, RejectReason> {
        if let Some(format) = &self.format {
            return format.read_ns(text).ok_or(RejectReason::InvalidTimestamp);
        }
        let t = text.trim();
        if let Ok(n) = t.parse::<i64>() {
            return crate::input::time::int_to_ns(n, self.unit.per_second())
                .ok_or(RejectReason::TimestampOutOfRange);
        }
        crate::input::time::parse_rfc3339_ns(t).ok_or(RejectReason::InvalidTimestamp)
    }

    /// Why `text` is not read, in words (for messages).
    pub fn explain(&self, text: &str) -> String {
        match self.read(text) {
            Ok(_) => format!("`{text}` is a timestamp"),
            Err(RejectReason::TimestampOutOfRange) => {
                format!("`{text}` in time unit `{}` is out of range", self.unit)
            }
            Err(_) => {
                let expected = match &self.format {
                    Some(f) => format!("the time format `{}`", f.as_str()),
                    None => ACCEPTED_FORMS.to_string(),
                };
                format!("`{text}` is not a timestamp: expected {expected}")
            }
        }
    }
}

/// An integer flag: `0` is `false`, `1` is `true`, anything else is
/// `invalid-success` (as the text `2` is in a CSV file).
///
/// # Errors
///
/// [`RejectReason::InvalidSuccess`] for any other integer.
pub fn flag_from_int(v: i64) -> Result<bool, RejectReason> {
    match v {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(RejectReason::InvalidSuccess),
    }
}

/// A flag given as a float (a JavaScript number): `0` and `1` as
/// [`flag_from_int`], NaN is missing (`None`).
///
/// # Errors
///
/// [`RejectReason::InvalidSuccess`] for any other number.
pub fn flag_from_f64(x: f64) -> Result<Option<bool>, RejectReason> {
    if x.is_nan() {
        return Ok(None);
    }
    if x == 0.0 {
        Ok(Some(false))
    } else if x == 1.0 {
        Ok(Some(true))
    } else {
        Err(RejectReason::InvalidSuccess)
    }
}

/// A timestamp given as a float (a JavaScript number, a float column): a
/// whole number is the integer in the time unit; NaN is missing (`None`).
///
/// # Errors
///
/// [`RejectReason::InvalidTimestamp`] for a fraction, an infinity, or a
/// number beyond the 64-bit integers.
pub fn timestamp_from_f64(x: f64) -> Result<Option<i64>, RejectReason> {
    if x.is_nan() {
        return Ok(None);
    }
    // 2^63: the first float past the i64 range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if x.fract() != 0.0 || !x.is_finite() || !(-LIMIT..LIMIT).contains(&x) {
        return Err(RejectReason::InvalidTimestamp);
    }
    Ok(Some(x as i64))
}

/// A number as the text of a field, as a CSV file would hold it: a whole
/// number below 2^53 in magnitude without a fraction (`1795392000`, not
/// `1795392000.0`), any other number in the shortest decimal form that
/// reads back to it (`0.1`, `-2.5`, `NaN`, `inf`).
///
/// ```
/// use mot_core::input::values::number_text;
/// assert_eq!(number_text(1_795_392_000.0), "1795392000");
/// assert_eq!(number_text(-0.0), "0");
/// assert_eq!(number_text(0.1), "0.1");
/// assert_eq!(number_text(1.5e-7), "0.00000015");
/// assert_eq!(number_text(f64::NAN), "NaN");
/// ```
pub fn number_text(x: f64) -> String {
    // 2^53: beyond it a float is no longer every integer.
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_timestamps_as_in_text() {
        use crate::events::parse_flag;
        // An integer flag means what its text means in a CSV file.
        for v in -3..5 {
            assert_eq!(
                flag_from_int(v).ok(),
                parse_flag(&v.to_string()),
                "flag {v}"
            );
        }
        for x in [0.5, -1.0, 2.0, f64::INFINITY] {
            assert_eq!(flag_from_f64(x), Err(RejectReason::InvalidSuccess));
        }
        for x in [0.25, f64::INFINITY, -f64::INFINITY, 1e19, -1e19] {
            assert_eq!(
                timestamp_from_f64(x),
                Err(RejectReason::InvalidTimestamp),
                "{x}"
            );
        }
        assert_eq!(timestamp_from_f64(-1.0), Ok(Some(-1)));
        assert_eq!(
            timestamp_from_f64(-9_223_372_036_854_775_808.0),
            Ok(Some(i64::MIN))
        );
    }
}
