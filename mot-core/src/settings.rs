//! Settings: every option of a one-call dashboard, with its default, once.
//!
//! The `mot` command's flags, Python's keyword arguments and JavaScript's
//! options object all fill this one type (through serde, so an unknown
//! name or a value of the wrong type is a `config` error naming it), and
//! the core turns it into the reading options, the tracker's configuration
//! and the dashboard's options. No front end keeps a default of its own.
//!
//! ```
//! use mot_core::Settings;
//! let s: Settings = serde_json::from_str(r#"{"period": "week", "time_format": "%d/%m/%Y %H:%M"}"#)?;
//! assert_eq!(s.tracker_config()?.period, mot_core::Period::Week);
//! assert_eq!(s.read_options()?.time_format.as_deref(), Some("%d/%m/%Y %H:%M"));
//! assert_eq!(s.dashboard_options().top_variants, 10); // the default
//! assert!(serde_json::from_str::<Settings>(r#"{"colour": "blue"}"#).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::events::{BadRows, ColumnNames, ReadOptions};
use crate::{AlignmentRule, DashboardOptions, Error, Limits, Period, TimeUnit, TrackerConfig};

/// Every option of a one-call dashboard (`mot dashboard`, `mot.dashboard`,
/// `dashboard` in JavaScript); each field's default is the library's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `{role: column}` to map the user's column names (roles: `journey`,
    /// `mot`, `timestamp`, `success`, `cost`, `value`, `producer`,
    /// `outcome_journey`, `sco`, `outcome_value`). Default: none.
    pub columns: BTreeMap<String, String>,
    /// A set of column names: `default` or `pm4py`. Default: `default`.
    pub preset: Option<String>,
    /// The trend period: `day`, `week` or a width such as `6h`. Default: `day`.
    pub period: Period,
    /// What an integer timestamp means: `s`, `ms`, `us`, `ns`. Default: `s`.
    #[serde(deserialize_with = "parsed")]
    pub time_unit: TimeUnit,
    /// A strftime-style format for text timestamps that are not RFC 3339.
    /// Default: none.
    pub time_format: Option<String>,
    /// The CSV delimiter: one character or `tab`. Default: detected.
    pub delimiter: Option<String>,
    /// `reject` (count bad rows by reason) or `fail`. Default: `reject`.
    #[serde(deserialize_with = "parsed")]
    pub bad_rows: BadRows,
    /// Close a journey as abandoned after this many seconds without an
    /// interaction. Default: none.
    pub timeout: Option<i64>,
    /// How many variants to list. Default: 10.
    pub top_variants: usize,
    /// The alignment rule's thresholds. Default: [`AlignmentRule::default`].
    pub alignment: AlignmentRule,
    /// Fewest interactions in the latest period for an alert. Default: 10.
    pub alert_min_interactions: u64,
    /// Count distinct journey sequences exactly. Default: yes.
    pub track_variants: bool,
    /// Measure durations per directly-follows edge and per journey (see
    /// [`TrackerConfig::durations`]). Default: yes.
    pub durations: bool,
    /// Resource caps. Default: [`Limits::default`].
    pub limits: Limits,
    /// The SCO as a rule over the log (see [`TrackerConfig::sco_reached`]).
    /// Default: none.
    pub sco_reached: Vec<String>,
    /// The designed journey to measure conformance against, MOT ids in
    /// order (see [`TrackerConfig::designed`]). Default: the experience's
    /// designed journey, none without an experience.
    pub designed: Vec<String>,
    /// The sequential detectors: `{odds_ratio, arl0}` (see
    /// [`TrackerConfig::cusum`]). Default: odds ratio 2, ARL0 10,000.
    pub cusum: crate::cusum::CusumConfig,
    /// Open journeys with P(SCO | last interaction) below this are at
    /// risk. Default: 0.5.
    pub at_risk_threshold: f64,
    /// How many journeys at risk to list. Default: 10.
    pub at_risk_top: usize,
    /// Threads a large read may use: 0 for every thread of the machine, 1
    /// for one (see [`TrackerConfig::threads`]; the figures are the same).
    /// Default: 0.
    pub threads: usize,
}

impl Default for Settings {
    fn default() -> Self {
        let tracker = TrackerConfig::default();
        let dashboard = DashboardOptions::default();
        Settings {
            columns: BTreeMap::new(),
            preset: None,
            period: tracker.period,
            time_unit: tracker.time_unit,
            time_format: None,
            delimiter: None,
            bad_rows: tracker.bad_rows,
            timeout: tracker.timeout,
            top_variants: dashboard.top_variants,
            alignment: dashboard.alignment,
            alert_min_interactions: dashboard.alert_min_interactions,
            track_variants: tracker.track_variants,
            durations: tracker.durations,
            limits: tracker.limits,
            sco_reached: tracker.sco_reached,
            designed: tracker.designed,
            cusum: tracker.cusum,
            at_risk_threshold: dashboard.at_risk_threshold,
            at_risk_top: dashboard.at_risk_top,
            threads: tracker.threads,
        }
    }
}

impl Settings {
    /// Reads settings from JSON text (what the bindings hand over: Python's
    /// keyword arguments, JavaScript's options).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) naming an unknown
    /// option or a value of the wrong type.
    pub fn from_json(text: &str) -> Result<Settings, Error> {
        options_from_json(text)
    }

    /// The column names: the preset with the mapping applied.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for an unknown preset
    /// or role.
    pub fn names(&self) -> Result<ColumnNames, Error> {
        ColumnNames::mapped(
            self.preset.as_deref(),
            self.columns.iter().map(|(r, c)| (r.as_str(), c.as_str())),
        )
    }

    /// How text logs are read.
    ///
    /// # Errors
    ///
    /// As [`Settings::names`], and a delimiter that is not one character.
    pub fn read_options(&self) -> Result<ReadOptions, Error> {
        Ok(ReadOptions {
            names: self.names()?,
            time_unit: self.time_unit,
            time_format: self.time_format.clone(),
            delimiter: self
                .delimiter
                .as_deref()
                .map(ReadOptions::parse_delimiter)
                .transpose()?,
            bad_rows: self.bad_rows,
        })
    }

    /// The tracker's configuration.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) for a period width or
    /// timeout that is not positive.
    pub fn tracker_config(&self) -> Result<TrackerConfig, Error> {
        let c = TrackerConfig {
            period: self.period,
            time_unit: self.time_unit,
            timeout: self.timeout,
            bad_rows: self.bad_rows,
            track_variants: self.track_variants,
            durations: self.durations,
            sco_reached: self.sco_reached.clone(),
            designed: self.designed.clone(),
            cusum: self.cusum,
            limits: self.limits,
            threads: self.threads,
            ..TrackerConfig::default()
        };
        c.check()?;
        Ok(c)
    }

    /// The dashboard's options.
    pub fn dashboard_options(&self) -> DashboardOptions {
        DashboardOptions {
            alignment: self.alignment.clone(),
            top_variants: self.top_variants,
            alert_min_interactions: self.alert_min_interactions,
            at_risk_threshold: self.at_risk_threshold,
            at_risk_top: self.at_risk_top,
        }
    }
}

/// An options object from the JSON text a binding wrote (Python's keyword
/// arguments, a JavaScript object): an unknown name, a wrong type or value
/// is the [`ErrorKind::Config`](crate::ErrorKind::Config) error every front
/// end gives, serde's message without its position in that text (which
/// means nothing to the user).
///
/// ```
/// let e = mot_core::settings::options_from_json::<mot_core::Settings>(r#"{"top_variants": -1}"#)
///     .unwrap_err();
/// assert_eq!(e.to_string(), "invalid value: integer `-1`, expected usize");
/// ```
///
/// # Errors
///
/// As above.
pub fn options_from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let at = format!(" at line {} column {}", e.line(), e.column());
        Error::config(message.strip_suffix(&at).unwrap_or(&message).to_string())
    })
}

/// A value read through its `FromStr`: the words and the message of the
/// `mot` command's flags (`"ms"` or `"millis"`; "`min` is not a time unit:
/// use …"). [`Period`] reads itself this way everywhere.
pub(crate) fn parsed<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr<Err = Error>,
{
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    text.parse().map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_library_defaults_and_unknown_names_are_errors() {
        let s = Settings::from_json("{}").unwrap();
        assert_eq!(s, Settings::default());
        assert_eq!(s.tracker_config().unwrap(), TrackerConfig::default());
        assert_eq!(s.dashboard_options(), DashboardOptions::default());
        assert_eq!(s.read_options().unwrap(), ReadOptions::default());
        let e = Settings::from_json(r#"{"top_variant": 3}"#).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        assert!(e.to_string().contains("top_variant"), "{e}");
        let e = Settings::from_json(r#"{"period": "fortnight"}"#).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        // The values read as the `mot` command reads its flags, with its
        // messages, and no position in the JSON.
        let e = Settings::from_json(r#"{"time_unit": "min"}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`min` is not a time unit: use `s`, `ms`, `us` or `ns`"
        );
        let e = Settings::from_json(r#"{"bad_rows": "skip"}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`skip` is not a bad-row policy: use `reject` or `fail`"
        );
        let s = Settings::from_json(r#"{"time_unit": "millis", "bad_rows": "FAIL"}"#).unwrap();
        assert_eq!((s.time_unit, s.bad_rows), (TimeUnit::Millis, BadRows::Fail));
        let e = Settings::from_json(r#"{"top_variants": -1}"#).unwrap_err();
        assert!(!e.to_string().contains("column"), "{e}");
        let s = Settings::from_json(r#"{"timeout": -5}"#).unwrap();
        assert_eq!(
            s.tracker_config().unwrap_err().kind(),
            crate::ErrorKind::Config
        );
        let s = Settings::from_json(
            r#"{"preset": "pm4py", "columns": {"success": "ok"}, "delimiter": "tab", "bad_rows": "fail", "sco_reached": ["a"], "designed": ["a", "b"]}"#,
        )
        .unwrap();
        let r = s.read_options().unwrap();
        assert_eq!(
            (r.names.journey.as_str(), r.names.success.as_str()),
            ("case:concept:name", "ok")
        );
        assert_eq!(r.delimiter, Some(b'\t'));
        assert_eq!(s.tracker_config().unwrap().sco_reached, ["a"]);
        assert_eq!(s.tracker_config().unwrap().designed, ["a", "b"]);
    }
}
