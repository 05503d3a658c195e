//! Before/after: did a change work? The contract `mot.comparison/1`
//! (DOMAIN §3e).
//!
//! Two half-open UTC windows `[from, to)` — before and after a framework
//! version, an idea put in place, a campaign — and, for each MOT its SMOTO
//! rate, for the experience its SCO rate and its conformance rate, in each
//! window, with the difference `after − before` and two intervals for it:
//!
//! - `ci_low`, `ci_high`: the **Newcombe hybrid-score** 95% interval
//!   (Newcombe 1998, method 10; [`stats::newcombe`]), for a comparison
//!   looked at once, when the after window is complete;
//! - `always_valid_low`, `always_valid_high`: the **always-valid** interval
//!   of a mixture SPRT (Johari et al. 2017; [`stats::always_valid`]), for a
//!   comparison watched while the after window fills (daily, or at every
//!   batch of a live service): the chance that it *ever* excludes the true
//!   difference is at most `alpha`, however often it is looked at.
//!
//! Everything comes from one tracker's per-period series, without reading
//! the log again:
//!
//! - an **interaction** belongs to the window of its timestamp (SMOTO);
//! - a **journey** belongs to the window of its first interaction, as for
//!   conformance, and counts once it is closed with a known outcome (SCO)
//!   or closed (conformance).
//!
//! So both windows must start and end on boundaries of the tracker's trend
//! period (midnight UTC for the default `day`), and must not overlap: the
//! two samples of a comparison are independent.
//!
//! ```
//! use mot_core::{CompareOptions, Comparison, Tracker, TrackerConfig, Window, sample, simulate};
//!
//! let x = sample::airline();
//! let mut t = Tracker::new(&x, TrackerConfig::default());
//! simulate::airline_scenario(&x, 2_000, 7).generate().ingest_into(&mut t)?;
//! // The simulated log starts on 2026-08-01 and spans 90 days.
//! let before: Window = "2026-08-01..2026-09-01".parse()?;
//! let after: Window = "2026-09-01..2026-10-01".parse()?;
//! let c = Comparison::build(&t, Some(&x), before, after, &CompareOptions::default())?;
//! let bag = &c.mots.iter().find(|m| m.id == "bag-drop").unwrap().change;
//! assert!(bag.before.n > 0 && bag.after.n > 0);
//! let d = bag.difference.unwrap();
//! assert!(bag.ci_low.unwrap() <= d && d <= bag.ci_high.unwrap());
//! // The always-valid interval is the wider one.
//! assert!(bag.always_valid_low.unwrap() < bag.ci_low.unwrap());
//! # Ok::<(), mot_core::Error>(())
//! ```
//!
//! [`stats::newcombe`]: crate::stats::newcombe
//! [`stats::always_valid`]: crate::stats::always_valid

mod build;
mod ideas;
mod render;
mod window;

pub use build::same_experience;
pub use ideas::{CycleTime, IDEAS_FORMAT, IdeaEffect, IdeaReport, IdeasOptions, MotCycleTime};
pub use window::Window;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::dashboard::ExperienceRef;

/// The format tag of a comparison.
pub const COMPARISON_FORMAT: &str = "mot.comparison/1";

/// The default `τ²` of the always-valid interval: a 5-point change of a
/// rate (0.05²).
pub const DEFAULT_TAU2: f64 = 0.0025;

/// Options of a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct CompareOptions {
    /// `1 −` the confidence of both intervals (default 0.05: 95%).
    pub alpha: f64,
    /// The variance of the normal mixture of the always-valid interval
    /// (default 0.0025). Any positive value keeps the guarantee; it decides
    /// where the interval is tightest: set it to the square of the smallest
    /// change you care about (0.0025 = 5 points of a rate, 0.0001 = 1 point).
    /// Choose it before looking at the data.
    pub tau2: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            alpha: 0.05,
            tau2: DEFAULT_TAU2,
        }
    }
}

/// A comparison of two time windows: the contract `mot.comparison/1`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[schemars(title = "mot.comparison/1")]
pub struct Comparison {
    /// Always `"mot.comparison/1"`.
    pub format: String,
    /// The experience measured, when one was given.
    pub experience: Option<ExperienceRef>,
    /// The tracker's trend period (`day`, `week` or `<n>s`): windows start
    /// and end on its boundaries.
    pub period: String,
    /// The window before the change.
    pub before: Window,
    /// The window after it.
    pub after: Window,
    /// `1 −` the confidence of the intervals.
    pub alpha: f64,
    /// The mixture variance of the always-valid intervals.
    pub tau2: f64,
    /// SCO rate: journeys (by their first interaction) with a known outcome,
    /// and those that produced the SCO.
    pub sco: RateChange,
    /// Conformance rate: closed journeys (by their first interaction), and
    /// those that followed the designed journey exactly (`null` without a
    /// design).
    pub conformance: Option<RateChange>,
    /// Per MOT, its SMOTO rate: interactions with a known success, and the
    /// successful ones. In the dashboard's order.
    pub mots: Vec<MotChange>,
}

/// What was counted in one window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Counts {
    /// Trials: interactions, or journeys.
    pub n: u64,
    /// Successes among them.
    pub successes: u64,
    /// `successes / n` (`null` when `n = 0`).
    pub rate: Option<f64>,
}

/// One rate before and after, and how sure the change is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct RateChange {
    /// The window before.
    pub before: Counts,
    /// The window after.
    pub after: Counts,
    /// `after.rate − before.rate` (`null` when either window is empty).
    pub difference: Option<f64>,
    /// Newcombe hybrid-score interval, lower bound.
    pub ci_low: Option<f64>,
    /// Newcombe hybrid-score interval, upper bound.
    pub ci_high: Option<f64>,
    /// Always-valid (mSPRT) interval, lower bound (`null` also when both
    /// rates are 0 or 1: no variance to test with).
    pub always_valid_low: Option<f64>,
    /// Always-valid (mSPRT) interval, upper bound.
    pub always_valid_high: Option<f64>,
    /// What the Newcombe interval says: `improved` (it lies above 0),
    /// `worsened` (below 0), `no-clear-change` (it holds 0); `null` when it
    /// cannot be computed.
    pub verdict: Option<Verdict>,
}

/// What an interval says about a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The whole interval is above 0: the rate went up.
    Improved,
    /// The whole interval is below 0: the rate went down.
    Worsened,
    /// The interval holds 0: no change that the data can tell from noise.
    NoClearChange,
}

impl Verdict {
    /// `improved`, `worsened` or `no-clear-change`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Improved => "improved",
            Verdict::Worsened => "worsened",
            Verdict::NoClearChange => "no-clear-change",
        }
    }
}

/// One MOT's SMOTO rate before and after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct MotChange {
    /// MOT id.
    pub id: String,
    /// Name (from the experience).
    pub name: Option<String>,
    /// MOT Manager's person id (from the experience).
    pub owner: Option<String>,
    /// The change of its SMOTO rate.
    #[serde(flatten)]
    pub change: RateChange,
}

impl Comparison {
    /// The comparison as pretty JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The comparison as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
