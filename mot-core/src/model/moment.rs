//! A point in time in the experience document: a date or an RFC 3339
//! timestamp, kept in whole seconds since the epoch (UTC).

use std::fmt;
use std::str::FromStr;

use crate::Error;
use crate::input::time::{Precision, format_date, format_utc, parse_rfc3339_ns};

const NANOS: i64 = 1_000_000_000;

/// A point in time, in whole seconds since the epoch (UTC).
///
/// Read from a date (`2026-02-01`, midnight UTC) or an RFC 3339 timestamp
/// (`2026-02-01T09:30:00+01:00`); written as a date when it is midnight
/// UTC, else as an RFC 3339 timestamp in UTC.
///
/// ```
/// use mot_core::Moment;
///
/// let m: Moment = "2026-02-01T09:30:00+01:00".parse()?;
/// assert_eq!(m.seconds(), 1_769_934_600);
/// assert_eq!(m.to_string(), "2026-02-01T08:30:00Z");
/// assert_eq!("2026-02-01".parse::<Moment>()?.to_string(), "2026-02-01");
/// # Ok::<(), mot_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment(i64);

impl Moment {
    /// The moment `seconds` after the epoch.
    pub fn from_seconds(seconds: i64) -> Moment {
        Moment(seconds)
    }

    /// Seconds since the epoch.
    pub fn seconds(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.rem_euclid(86_400) == 0 {
            f.write_str(&format_date(self.0))
        } else {
            f.write_str(&format_utc(
                self.0.saturating_mul(NANOS),
                Precision::Seconds,
            ))
        }
    }
}

impl FromStr for Moment {
    type Err = Error;

    fn from_str(text: &str) -> Result<Moment, Error> {
        let ns = parse_rfc3339_ns(text).ok_or_else(|| {
            Error::config(format!(
                "`{}` is not a date or an RFC 3339 timestamp (e.g. `2026-02-01` or `2026-02-01T09:30:00Z`)",
                text.trim()
            ))
        })?;
        if ns.rem_euclid(NANOS) != 0 {
            return Err(Error::config(format!(
                "`{}` has a fraction of a second: use whole seconds",
                text.trim()
            )));
        }
        Ok(Moment(ns.div_euclid(NANOS)))
    }
}

impl serde::Serialize for Moment {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Moment {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Moment {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Moment".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A date (`2026-02-01`, midnight UTC) or an RFC 3339 timestamp in whole seconds (`2026-02-01T09:30:00+01:00`).",
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip() {
        let m: Moment = serde_json::from_str("\"2026-02-01T00:00:00+00:00\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2026-02-01\"");
        let err = serde_json::from_str::<Moment>("\"01/02/2026\"").unwrap_err();
        assert!(err.to_string().contains("is not a date"), "{err}");
        assert!("2026-02-01T00:00:00.5Z".parse::<Moment>().is_err());
    }
}
