//! `dashboard(...)` and `dashboardFromCsv(...)`: an interaction log to the
//! `mot.dashboard/1` contract.

use std::collections::BTreeMap;

use js_sys::{Object, Reflect};
use mot_core::csv::{EventTable, OutcomeTable};
use mot_core::events::ColumnNames;
use mot_core::{
    AlignmentRule, Dashboard, DashboardOptions, Limits, Settings, Tracker, TrackerConfig,
};
use serde::{Deserialize, Serialize};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use crate::errors::{JsResult, config, to_js, to_object};
use crate::experience::optional_experience;
use crate::tables;

/// Options of [`dashboard`] and [`dashboard_from_csv`]; every field is
/// optional, with the defaults of the Rust and Python APIs.
#[derive(Tsify, Serialize, Deserialize, Debug, Default, Clone)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct DashboardSettings {
    /// `{role: column}` to map your column (or field) names; roles:
    /// `journey`, `mot`, `timestamp`, `success`, `cost`, `value`, `producer`,
    /// `outcome_journey`, `sco`, `outcome_value`.
    #[tsify(optional)]
    pub columns: Option<BTreeMap<String, String>>,
    /// `"default"` or `"pm4py"` (`case:concept:name`, `concept:name`, `time:timestamp`).
    #[tsify(optional)]
    pub preset: Option<String>,
    /// Trend period: `"day"` (default), `"week"` or a width such as `"6h"`.
    #[tsify(optional)]
    pub period: Option<String>,
    /// What an integer timestamp means: `"s"` (default), `"ms"`, `"us"`,
    /// `"ns"`. Text timestamps are read at full precision whatever the unit.
    #[tsify(optional)]
    pub time_unit: Option<String>,
    /// A strftime-style format for text timestamps that are not RFC 3339,
    /// such as `"%d/%m/%Y %H:%M"`.
    #[tsify(optional)]
    pub time_format: Option<String>,
    /// CSV field delimiter (`dashboardFromCsv`): one character or `"tab"`;
    /// detected from the header line (`,` `;` tab `|`) when absent.
    #[tsify(optional)]
    pub delimiter: Option<String>,
    /// The SCO as a rule over the journey, for logs without outcomes: a
    /// journey produced it when it has an interaction with one of these MOT
    /// ids (a successful one, where success is known).
    #[tsify(optional)]
    pub sco_reached: Option<Vec<String>>,
    /// The designed journey (a "happy path"), MOT ids in order, that every
    /// journey is measured against (`conformance`, `mots[].gap`, variants'
    /// `cost` and `fitness`); default: the experience's designed journey,
    /// none without an experience.
    #[tsify(optional)]
    pub designed: Option<Vec<String>>,
    /// The sequential detectors: `{ odds_ratio, arl0 }` (defaults 2 and
    /// 10,000): the shift in failure odds to detect, and the interactions
    /// between false alarms of an MOT at its target.
    #[tsify(optional)]
    pub cusum: Option<mot_core::cusum::CusumConfig>,
    /// `"reject"` (count bad rows by reason, the default) or `"fail"`.
    #[tsify(optional)]
    pub bad_rows: Option<String>,
    /// Closes journeys with no interaction for this long (in seconds) as abandoned.
    #[tsify(optional)]
    pub timeout: Option<i64>,
    /// How many variants to list (default 10).
    #[tsify(optional)]
    pub top_variants: Option<usize>,
    /// Thresholds of the alignment rule (snake_case names, as in the contract).
    #[tsify(optional)]
    pub alignment: Option<AlignmentRule>,
    /// Fewest interactions in the latest period for an alert (default 10).
    #[tsify(optional)]
    pub alert_min_interactions: Option<u64>,
    /// Open journeys with P(SCO | last interaction) below this are at
    /// risk (default 0.5).
    #[tsify(optional)]
    pub at_risk_threshold: Option<f64>,
    /// How many journeys at risk to list (default 10).
    #[tsify(optional)]
    pub at_risk_top: Option<usize>,
    /// Count distinct journey sequences exactly (default true).
    #[tsify(optional)]
    pub track_variants: Option<bool>,
    /// Measure the time of each directly-follows edge and of each journey
    /// (default true; false: `directly_follows.edges[].duration` and
    /// `journey_duration` are null, and a large read takes about a quarter
    /// less time).
    #[tsify(optional)]
    pub durations: Option<bool>,
    /// Resource caps (snake_case names; defaults: `max_mots` 100000,
    /// `max_open_journeys` 50000000, ...). Over a cap is a `limit` error.
    #[tsify(optional)]
    pub limits: Option<Limits>,
}

impl DashboardSettings {
    pub(crate) fn read(settings: Option<Ts<DashboardSettings>>) -> JsResult<DashboardSettings> {
        match settings {
            None => Ok(DashboardSettings::default()),
            Some(s) => {
                let js = s.js_value();
                if js.is_undefined() || js.is_null() {
                    return Ok(DashboardSettings::default());
                }
                parse_options(&js)
            }
        }
    }

    /// The core's settings: the options given, the core's defaults for the
    /// rest (no default lives here).
    pub(crate) fn core(&self) -> JsResult<Settings> {
        let mut s = Settings::default();
        if let Some(c) = &self.columns {
            s.columns = c.clone();
        }
        s.preset.clone_from(&self.preset);
        if let Some(p) = &self.period {
            s.period = p.parse().map_err(to_js)?;
        }
        if let Some(u) = &self.time_unit {
            s.time_unit = u.parse().map_err(to_js)?;
        }
        s.time_format.clone_from(&self.time_format);
        s.delimiter.clone_from(&self.delimiter);
        if let Some(b) = &self.bad_rows {
            s.bad_rows = b.parse().map_err(to_js)?;
        }
        s.timeout = self.timeout.or(s.timeout);
        s.top_variants = self.top_variants.unwrap_or(s.top_variants);
        if let Some(a) = &self.alignment {
            s.alignment = a.clone();
        }
        s.alert_min_interactions = self
            .alert_min_interactions
            .unwrap_or(s.alert_min_interactions);
        s.at_risk_threshold = self.at_risk_threshold.unwrap_or(s.at_risk_threshold);
        s.at_risk_top = self.at_risk_top.unwrap_or(s.at_risk_top);
        s.track_variants = self.track_variants.unwrap_or(s.track_variants);
        s.durations = self.durations.unwrap_or(s.durations);
        s.limits = self.limits.unwrap_or(s.limits);
        if let Some(r) = &self.sco_reached {
            s.sco_reached = r.clone();
        }
        if let Some(d) = &self.designed {
            s.designed = d.clone();
        }
        if let Some(c) = self.cusum {
            s.cusum = c;
        }
        Ok(s)
    }

    pub(crate) fn names(&self) -> JsResult<ColumnNames> {
        self.core()?.names().map_err(to_js)
    }

    pub(crate) fn tracker_config(&self) -> JsResult<TrackerConfig> {
        self.core()?.tracker_config().map_err(to_js)
    }

    pub(crate) fn options(&self) -> JsResult<DashboardOptions> {
        Ok(self.core()?.dashboard_options())
    }
}

/// Options objects are read through their JSON, so that unknown names
/// and wrong types are reported (`config`) like everywhere else.
fn parse_options<T: serde::de::DeserializeOwned>(js: &JsValue) -> JsResult<T> {
    let text = js_sys::JSON::stringify(js)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| config("options must be a plain object"))?;
    mot_core::settings::options_from_json(&text).map_err(to_js)
}

/// The dashboard as a plain object: exactly the `mot.dashboard/1` JSON.
pub(crate) fn contract(d: &Dashboard) -> JsResult<Ts<Dashboard>> {
    Ok(Ts::new_unchecked(to_object(d)?))
}

/// Builds the dashboard of an interaction log.
///
/// `events` is an array of row objects (`{journey_id, mot_id, timestamp,
/// success, cost?, value?, producer?}`; values read exactly as CSV fields,
/// timestamps as integers in `timeUnit`, ISO 8601 strings or `Date`s) or an
/// object of columns (typed arrays or plain arrays: ids as strings or
/// integers, timestamps as integers, success as a `Uint8Array` of 0/1 or
/// booleans, cost as a `Float64Array`). `outcomes` takes the same form
/// (`{journey_id, sco, value?}`). `experience` is an [`Experience`] or
/// `undefined` (discovery mode).
///
/// Returns the `mot.dashboard/1` contract as a plain object. Throws a
/// `MotError` (`columns`, `bad-row` with `badRows: "fail"`, `config`).
#[wasm_bindgen]
pub fn dashboard(
    #[wasm_bindgen(unchecked_param_type = "Rows | Columns")] events: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Rows | Columns | null | undefined")] outcomes: Option<
        JsValue,
    >,
    #[wasm_bindgen(unchecked_param_type = "Experience | string | null | undefined")]
    experience: JsValue,
    options: Option<Ts<DashboardSettings>>,
) -> JsResult<Ts<Dashboard>> {
    let s = DashboardSettings::read(options)?;
    let experience = optional_experience(&experience)?;
    let x = experience.as_ref();
    let mut tracker = Tracker::one_shot(x, s.tracker_config()?).map_err(to_js)?;
    tables::ingest(
        &mut tracker,
        &events,
        outcomes.as_ref(),
        &s.names()?,
        s.time_format.as_deref(),
    )?;
    let d = Dashboard::build(&tracker, x, &s.options()?).map_err(to_js)?;
    contract(&d)
}

/// Builds the dashboard from CSV text: an interactions file and, optionally,
/// an outcomes file, read exactly as the `mot dashboard` command reads them
/// (header row; fields trimmed; an empty field is null). `experience` is the
/// experience's JSON text (or an [`Experience`]), or `undefined` for
/// discovery mode.
///
/// Throws a `MotError`: `json` / `format` / `invalid` for the experience,
/// `columns` for a missing column, `bad-row` with `badRows: "fail"`
/// (naming the file line).
#[wasm_bindgen(js_name = dashboardFromCsv)]
pub fn dashboard_from_csv(
    events: &str,
    outcomes: Option<String>,
    options: Option<Ts<DashboardCsvSettings>>,
) -> JsResult<Ts<Dashboard>> {
    from_text(events, outcomes, options, false)
}

/// Builds the dashboard of an XES event log (IEEE 1849) given as its XML
/// text: each event is an interaction, with the trace's `concept:name` as
/// the journey, its own `concept:name` as the MOT, `time:timestamp` and
/// `org:resource`, read exactly as the `mot` command and Python read XES.
/// XES has no success flag, so every success figure is `null`; give
/// `scoReached` (or an outcomes CSV) for the SCO figures. The package reads
/// no gzip: decompress `.xes.gz` first (`DecompressionStream("gzip")` in
/// the browser, `zlib.gunzipSync` in Node).
///
/// Throws a `MotError`: `format` for XML that is not well formed (with its
/// byte position), `bad-row` with `badRows: "fail"`.
#[wasm_bindgen(js_name = dashboardFromXes)]
pub fn dashboard_from_xes(
    events: &str,
    outcomes: Option<String>,
    options: Option<Ts<DashboardCsvSettings>>,
) -> JsResult<Ts<Dashboard>> {
    from_text(events, outcomes, options, true)
}

/// The text inputs' one path: events as CSV or XES, outcomes as CSV.
fn from_text(
    events: &str,
    outcomes: Option<String>,
    options: Option<Ts<DashboardCsvSettings>>,
    xes: bool,
) -> JsResult<Ts<Dashboard>> {
    let (experience, settings) = DashboardCsvSettings::read(options)?;
    let config = settings.tracker_config()?;
    let read = settings.core()?.read_options().map_err(to_js)?;
    let e = if xes {
        EventTable::read_xes(events.as_bytes(), "events.xes", &read)
    } else {
        EventTable::read(events.as_bytes(), "events.csv", &read)
    }
    .map_err(to_js)?;
    let o = outcomes
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| OutcomeTable::read(t.as_bytes(), "outcomes.csv", &read))
        .transpose()
        .map_err(to_js)?;
    let d = Dashboard::from_tables(
        experience.as_ref(),
        &e,
        o.as_ref(),
        config,
        &settings.options()?,
    )
    .map_err(to_js)?;
    contract(&d)
}

/// Options of [`dashboard_from_csv`]: the experience (its JSON text or an
/// [`Experience`](crate::Experience)), plus every [`DashboardSettings`] field.
///
/// Only the TypeScript declaration is derived: the object is read as its
/// `experience` plus a [`DashboardSettings`] (no serde `flatten`, which
/// would compile a second reader of every setting into the module).
#[derive(Tsify, Serialize, Debug, Default, Clone)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct DashboardCsvSettings {
    /// The experience, as `mot.experience/1` JSON text or an `Experience`.
    #[tsify(optional, type = "Experience | string | null")]
    pub experience: Option<String>,
    /// Everything else.
    #[serde(flatten)]
    pub settings: DashboardSettings,
}

impl DashboardCsvSettings {
    fn read(
        options: Option<Ts<DashboardCsvSettings>>,
    ) -> JsResult<(Option<mot_core::Experience>, DashboardSettings)> {
        let Some(o) = options else {
            return Ok((None, DashboardSettings::default()));
        };
        let js = o.js_value();
        if js.is_undefined() || js.is_null() {
            return Ok((None, DashboardSettings::default()));
        }
        if !js.is_object() {
            return Err(config("options must be a plain object"));
        }
        let key = JsValue::from_str("experience");
        let experience = Reflect::get(&js, &key).unwrap_or(JsValue::UNDEFINED);
        let x = optional_experience(&experience)?;
        // The settings are the options without `experience` (a shallow copy:
        // the caller's object is not changed).
        let rest = Object::assign(&Object::new(), js.unchecked_ref());
        let _ = Reflect::delete_property(&rest, &key);
        Ok((x, parse_options(&rest)?))
    }
}

/// The one-line summary of rejected rows that the `mot` command prints and
/// Python warns with — ``"3 rows rejected: 2 `invalid-timestamp`, 1
/// `unknown-mot`"`` — from a dashboard's `rejected` counts (or a tracker's);
/// `undefined` when nothing was rejected. Show it where your user looks.
#[wasm_bindgen(js_name = rejectedSummary)]
pub fn rejected_summary(
    #[wasm_bindgen(unchecked_param_type = "Record<string, number>")] rejected: JsValue,
) -> JsResult<Option<String>> {
    let counts: mot_core::Rejected = parse_options(&rejected)?;
    Ok(counts.summary())
}
