//! [`TrackerConfig`]: how a tracker counts, with its defaults and checks.

use crate::cusum::CusumConfig;
use crate::events::{BadRows, TimeUnit};
use crate::{Error, Experience, Limits, Period};
use serde::{Deserialize, Serialize};

/// How a tracker counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackerConfig {
    /// The trend period (default: a UTC day). The per-day series behind
    /// `trend_slope_per_day` is always kept as well.
    pub period: Period,
    /// What an integer timestamp given to [`Tracker::record`](super::Tracker::record) means
    /// (default: seconds). Whatever the unit, the tracker keeps time in
    /// nanoseconds: interactions of a journey are ordered at the precision
    /// they were given, ties in arrival order.
    pub time_unit: TimeUnit,
    /// Close a journey as abandoned after this many seconds of event time
    /// without an interaction (default: none).
    pub timeout: Option<i64>,
    /// Skip and count bad rows, or fail on the first one (default: skip).
    pub bad_rows: BadRows,
    /// Remember closed journey ids to reject late interactions (default: yes).
    pub remember_closed: bool,
    /// Count distinct journey sequences (variants) exactly (default: yes).
    /// Their table grows with the variety of journeys and dominates the cost
    /// of merging states; turn it off when variants are not needed.
    #[serde(default = "yes")]
    pub track_variants: bool,
    /// Measure time (default: yes): per directly-follows edge the time
    /// between its two interactions, and per journey the time from its
    /// first interaction to its last, each an exact count and mean with
    /// percentiles to 1% ([`crate::timing`]). One sketch update per
    /// interaction, about a quarter of a bulk read's time: turn it off
    /// when no one reads the durations (the dashboard's `duration` of each
    /// edge and its `journey_duration` are then `null`).
    #[serde(default = "yes")]
    pub durations: bool,
    /// The SCO as a rule over the journey itself, for logs with no outcome
    /// table: a journey with no outcome given produced the SCO when it has
    /// an interaction with one of these MOTs (a successful one, where
    /// success is known), and did not otherwise. Empty (the default): no
    /// rule, such journeys have an unknown outcome. An outcome given for
    /// the journey ([`Tracker::close_journey`](super::Tracker::close_journey), outcome columns) always
    /// wins over the rule. With an experience, every MOT of the rule must
    /// be one of its MOTs ([`Tracker::with_config`](super::Tracker::with_config)
    /// says which is not); in discovery mode an MOT the log never names is
    /// never reached.
    #[serde(default)]
    pub sco_reached: Vec<String>,
    /// The designed journey every closed journey is measured against
    /// (conformance, see [`crate::conformance`]), as MOT ids in order.
    /// Empty (the default): the experience's
    /// [`designed_journey`](Experience::designed_journey) for a bound
    /// tracker, no design in discovery mode. Give it in discovery mode for
    /// a process's "happy path"; its MOTs are registered up front. A
    /// tracker's [`config`](super::Tracker::config) shows the design in use.
    #[serde(default)]
    pub designed: Vec<String>,
    /// The sequential detectors (a Bernoulli CUSUM per MOT with a SMOTO
    /// target, [`crate::cusum`]): the shift to detect and the in-control
    /// ARL (defaults: odds ratio 2, ARL 10,000).
    #[serde(default)]
    pub cusum: CusumConfig,
    /// Caps on distinct MOTs and open journeys (see [`Limits`]). Local
    /// policy: not part of the state's bytes, and not compared by
    /// [`Tracker::merge`](super::Tracker::merge).
    #[serde(skip)]
    pub limits: Limits,
    /// Threads a large bulk read into a fresh one-shot tracker may use
    /// (see [`Tracker::ingest`](super::Tracker::ingest)), and a dashboard
    /// for the removal effects of many MOTs and the durations of many
    /// edges: 0 (the default) for as many as the machine has, 1 for one.
    /// The figures are the same. Local policy, as `limits` is.
    #[serde(skip)]
    pub threads: usize,
}

fn yes() -> bool {
    true
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            period: Period::Day,
            time_unit: TimeUnit::Seconds,
            timeout: None,
            bad_rows: BadRows::Reject,
            remember_closed: true,
            track_variants: true,
            durations: true,
            sco_reached: Vec::new(),
            designed: Vec::new(),
            cusum: CusumConfig::default(),
            limits: Limits::default(),
            threads: 0,
        }
    }
}

impl TrackerConfig {
    pub(crate) fn check(&self) -> Result<(), Error> {
        if let Period::Seconds(s) = self.period
            && s <= 0
        {
            return Err(Error::config(format!(
                "period width `{s}` must be positive"
            )));
        }
        if let Some(t) = self.timeout
            && t <= 0
        {
            return Err(Error::config(format!("timeout `{t}` must be positive")));
        }
        if !self.cusum.is_valid() {
            return Err(Error::config(format!(
                "the detectors' CUSUM odds ratio `{}` must be above 1 and their ARL0 `{}` at least 1",
                self.cusum.odds_ratio, self.cusum.arl0
            )));
        }
        if self.designed.iter().any(String::is_empty) {
            return Err(Error::config(
                "the designed journey names an empty MOT id".to_string(),
            ));
        }
        Ok(())
    }

    /// Checks the designed journey against a bound experience.
    pub(super) fn check_design(&self, x: &Experience) -> Result<(), Error> {
        names_mots_of(x, &self.designed, "the designed journey")
    }

    /// Checks the SCO rule against a bound experience: an MOT it does not
    /// have could never be reached, and every journey would count as
    /// failing the SCO.
    pub(super) fn check_rule(&self, x: &Experience) -> Result<(), Error> {
        names_mots_of(x, &self.sco_reached, "the SCO rule")
    }
}

/// Whether every id of `what` is an MOT of `x`; else the first that is not.
fn names_mots_of(x: &Experience, ids: &[String], what: &str) -> Result<(), Error> {
    match ids.iter().find(|id| x.mot(id).is_none()) {
        Some(id) => Err(Error::config(format!(
            "{what} names `{id}`, which is not an MOT of experience `{}`",
            x.spec().id
        ))),
        None => Ok(()),
    }
}
