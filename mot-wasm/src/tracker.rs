//! `Tracker`: streaming interactions in, mergeable state out.

use mot_core::events::ColumnNames;
use mot_core::input::values::timestamp_from_f64;
use mot_core::{Dashboard, Extra, IngestSummary, RejectReason};
use tsify::Ts;
use wasm_bindgen::prelude::*;

use crate::dashboard::{DashboardSettings, contract};
use crate::errors::{JsResult, columns, to_js, to_object};
use crate::experience::optional_experience;
use crate::tables;

/// Streaming production: record interactions as they happen, close
/// journeys with their outcome, merge partial states, and move states as
/// bytes (`toBytes` / `fromBytes`, the same versioned encoding as Rust and
/// Python).
#[wasm_bindgen]
#[derive(Debug)]
pub struct Tracker {
    inner: mot_core::Tracker,
    experience: Option<mot_core::Experience>,
}

/// A journey id from JS: a string or a non-negative integer number.
enum Journey {
    Str(String),
    Int(u64),
}

fn journey_key(v: &JsValue) -> JsResult<Journey> {
    if let Some(s) = v.as_string() {
        return Ok(Journey::Str(s));
    }
    match v.as_f64() {
        Some(x) if x.fract() == 0.0 && (0.0..9.007_199_254_740_992e15).contains(&x) => {
            Ok(Journey::Int(x as u64))
        }
        _ => Err(columns(
            "a journey id is a string or a non-negative integer",
        )),
    }
}

#[wasm_bindgen]
impl Tracker {
    /// A tracker bound to `experience` (or in discovery mode without one),
    /// with the period, time unit, timeout, bad-row policy and variant
    /// tracking of `options` (as for `dashboard`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Experience | string | null | undefined")]
        experience: JsValue,
        options: Option<Ts<DashboardSettings>>,
    ) -> JsResult<Tracker> {
        let s = DashboardSettings::read(options)?;
        let x = optional_experience(&experience)?;
        let inner =
            mot_core::Tracker::with_config(x.as_ref(), s.tracker_config()?).map_err(to_js)?;
        Ok(Tracker {
            inner,
            experience: x,
        })
    }

    /// Records one interaction (timestamp in the tracker's time unit; a
    /// fraction is `invalid-timestamp`). `success` may be `null` when not
    /// known. Throws `bad-row` only with `badRows: "fail"`; otherwise a bad
    /// row is counted in `rejected`.
    // The positional signature of Python's `Tracker.record`.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        journey: JsValue,
        mot: &str,
        timestamp: f64,
        success: Option<bool>,
        cost: Option<f64>,
        value: Option<f64>,
        producer: Option<String>,
    ) -> JsResult<()> {
        // A number is read by the core's rule: a fraction or an infinity is
        // `invalid-timestamp`, NaN `missing-timestamp` (as in columns).
        let (reason, detail) = match timestamp_from_f64(timestamp) {
            Ok(Some(ts)) => {
                let extra = Extra {
                    cost,
                    value,
                    producer: producer.as_deref(),
                };
                return match journey_key(&journey)? {
                    Journey::Str(k) => self.inner.record_event(k, mot, ts, success, Some(extra)),
                    Journey::Int(k) => self.inner.record_event(k, mot, ts, success, Some(extra)),
                }
                .map_err(to_js);
            }
            Ok(None) => (RejectReason::MissingTimestamp, None),
            Err(reason) => (reason, Some(format!("timestamp `{timestamp}`"))),
        };
        match journey_key(&journey)? {
            Journey::Str(k) => self.inner.reject_unreadable(k, reason, detail),
            Journey::Int(k) => self.inner.reject_unreadable(k, reason, detail),
        }
        .map_err(to_js)
    }

    /// Closes a journey with its outcome: `true` (reached the SCO), `false`,
    /// or `null` (unknown); `value` is its revenue.
    #[wasm_bindgen(js_name = closeJourney)]
    pub fn close_journey(
        &mut self,
        journey: JsValue,
        sco: Option<bool>,
        value: Option<f64>,
    ) -> JsResult<()> {
        match journey_key(&journey)? {
            Journey::Str(k) => self.inner.close_journey(k, sco, value),
            Journey::Int(k) => self.inner.close_journey(k, sco, value),
        }
        .map_err(to_js)
    }

    /// Closes journeys idle since before `now - timeout` as abandoned;
    /// returns how many.
    pub fn expire(&mut self, now: f64) -> f64 {
        self.inner.expire(now as i64) as f64
    }

    /// Closes every open journey with an unknown outcome; returns how many.
    #[wasm_bindgen(js_name = closeOpenJourneys)]
    pub fn close_open_journeys(&mut self) -> f64 {
        self.inner.close_open_journeys() as f64
    }

    /// Reads a whole log (rows or columns, as for `dashboard`) and closes
    /// every journey in it; returns the counts `{rows, accepted, rejected,
    /// journeys, outcomes}`.
    pub fn ingest(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Rows | Columns")] events: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Rows | Columns | null | undefined")]
        outcomes: Option<JsValue>,
        options: Option<Ts<DashboardSettings>>,
    ) -> JsResult<Ts<IngestSummary>> {
        let s = DashboardSettings::read(options)?;
        let names: ColumnNames = s.names()?;
        let summary = tables::ingest(
            &mut self.inner,
            &events,
            outcomes.as_ref(),
            &names,
            s.time_format.as_deref(),
        )?;
        Ok(Ts::new_unchecked(to_object(&summary)?))
    }

    /// Adds another tracker's state (partitions of one log by journey merge
    /// exactly). Throws `merge` for different experiences or settings.
    ///
    /// Every figure of the merged state equals the single pass's but the
    /// sequential detectors': a detector follows one stream in time order,
    /// so after a merge each MOT's CUSUM is rerun on the merged per-period
    /// counts (a binomial CUSUM, one step per period), and `mots[].cusum`
    /// and the alerts resting on it may differ from one pass.
    pub fn merge(&mut self, other: &Tracker) -> JsResult<()> {
        self.inner.merge(&other.inner).map_err(to_js)
    }

    /// The state as bytes (versioned; readable by `fromBytes` anywhere).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.inner.to_bytes()
    }

    /// Reads a state written by `toBytes` (here, in Rust or in Python).
    /// Throws `state` for foreign, truncated, corrupt or newer bytes.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        bytes: &[u8],
        #[wasm_bindgen(unchecked_param_type = "Experience | string | null | undefined")]
        experience: JsValue,
    ) -> JsResult<Tracker> {
        let inner = mot_core::Tracker::from_bytes(bytes).map_err(to_js)?;
        Ok(Tracker {
            inner,
            experience: optional_experience(&experience)?,
        })
    }

    /// The dashboard of everything recorded so far (`mot.dashboard/1`).
    pub fn dashboard(&self, options: Option<Ts<DashboardSettings>>) -> JsResult<Ts<Dashboard>> {
        let s = DashboardSettings::read(options)?;
        let d = Dashboard::build(&self.inner, self.experience.as_ref(), &s.options()?)
            .map_err(to_js)?;
        contract(&d)
    }

    /// Did a change work? Compares two windows of this tracker's state
    /// (`mot.comparison/1`): per MOT its SMOTO rate, and the SCO and
    /// conformance rates, with the change `after − before`, its Newcombe
    /// interval (`ci_low`, `ci_high`: read once) and its always-valid
    /// interval (`always_valid_low`, `always_valid_high`: valid however
    /// often it is looked at).
    ///
    /// `before`, `after`: `"2026-01-01..2026-02-01"` or `[start, end]` with
    /// each a `Date`, a date or RFC 3339 string, or seconds; half-open, UTC,
    /// whole periods of the tracker (see `fittingPeriod`), not overlapping.
    /// `options`: `{ alpha, tau2 }` (defaults 0.05 and 0.0025). Throws a
    /// `config` error otherwise.
    #[wasm_bindgen(unchecked_return_type = "Comparison")]
    pub fn compare(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "string | [Date | string | number, Date | string | number]"
        )]
        before: JsValue,
        #[wasm_bindgen(
            unchecked_param_type = "string | [Date | string | number, Date | string | number]"
        )]
        after: JsValue,
        options: Option<Ts<mot_core::CompareOptions>>,
    ) -> JsResult<JsValue> {
        let c = crate::comparison::compare(
            &self.inner,
            self.experience.as_ref(),
            &before,
            &after,
            options,
        )?;
        to_object(&c)
    }

    /// Which implemented ideas earned their keep (`mot.ideas/1`): each idea
    /// of the tracker's experience with an `implemented_at` date measured on
    /// its MOT, `window_days` (default 28) before and after the day of the
    /// change, the surest gain first; and the cycle times. Throws a `config`
    /// error for a tracker without an experience.
    #[wasm_bindgen(unchecked_return_type = "IdeaReport")]
    pub fn ideas(
        &self,
        options: Option<Ts<mot_core::comparison::IdeasOptions>>,
    ) -> JsResult<JsValue> {
        let x = self.experience.as_ref().ok_or_else(|| {
            crate::errors::config("the ideas are in an experience: create the tracker with one")
        })?;
        to_object(&crate::comparison::ideas(&self.inner, x, options)?)
    }

    /// Interactions accepted so far.
    #[wasm_bindgen(getter)]
    pub fn interactions(&self) -> f64 {
        self.inner.interactions() as f64
    }

    /// Journeys closed so far.
    #[wasm_bindgen(getter)]
    pub fn journeys(&self) -> f64 {
        self.inner.journeys() as f64
    }

    /// Journeys still open.
    #[wasm_bindgen(getter, js_name = openJourneys)]
    pub fn open_journeys(&self) -> f64 {
        self.inner.open_journeys() as f64
    }

    /// Rows rejected so far, by reason (every reason, zeros included).
    #[wasm_bindgen(getter, unchecked_return_type = "Record<string, number>")]
    pub fn rejected(&self) -> JsResult<JsValue> {
        to_object(&self.inner.rejected())
    }

    /// The alarms fired since the last call, oldest first (`mot`, `owner`,
    /// `timestamp` in seconds, `statistic`, `h`, `p0`, `p1`); the queue is
    /// emptied. A Bernoulli CUSUM runs per MOT with a SMOTO target as
    /// interactions arrive: at once for `record`, in timestamp order at the
    /// end of each `ingest`.
    #[wasm_bindgen(js_name = drainAlarms, unchecked_return_type = "Alarm[]")]
    pub fn drain_alarms(&mut self) -> JsResult<JsValue> {
        to_object(&self.inner.drain_alarms())
    }

    /// Open journeys whose chance of reaching the SCO, given their last
    /// interaction, is below `threshold` (default 0.5): lowest first, at
    /// most `limit` (default 10), with the last MOT, its owner, `failed`,
    /// the `probability` and `at` (seconds). From the absorbing Markov
    /// chain over (MOT, failed) states of closed journeys, solved exactly
    /// when asked.
    #[wasm_bindgen(js_name = atRisk, unchecked_return_type = "AtRisk[]")]
    pub fn at_risk(&self, threshold: Option<f64>, limit: Option<usize>) -> JsResult<JsValue> {
        let d = mot_core::DashboardOptions::default();
        to_object(&self.inner.at_risk(
            threshold.unwrap_or(d.at_risk_threshold),
            limit.unwrap_or(d.at_risk_top),
        ))
    }
}
