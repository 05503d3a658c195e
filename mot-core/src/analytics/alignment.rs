//! Alignment: moments of magic, moments of misery.
//!
//! "Do they explicitly contribute to the achievement of a Successful
//! Customer Outcome?" (Towers). Each MOT gets one class from its design
//! (declared contribution) and its data (SMOTO rate against target, impact):
//!
//! 1. **unaligned** — the design declares it contributes nothing to the SCO
//!    (`contribution: none`): a candidate for removal, as SAS removed
//!    unnecessary MOTs.
//! 2. **unmeasured** — it was observed, but no interaction with it has a
//!    known success (a plain process-mining log, with no success column):
//!    performance cannot be judged, so no class from data is given.
//! 3. **neutral** — fewer than `min_interactions` interactions with a known
//!    success: too little data to judge.
//! 4. **misery** — it fails the customer: its SMOTO rate is below its target
//!    (or `default_target` when it has none); or it hurts the SCO: journeys
//!    through it produce the SCO at least `harm_margin` less often than all
//!    journeys.
//! 5. **magic** — it performs (rate at or above target) and measurably
//!    contributes: lift at least `min_lift`, or removal effect at least
//!    `min_removal_effect` — each with its 95% interval above 0 (an effect
//!    the data cannot tell from none does not make a driver).
//! 6. **neutral** — otherwise: it performs but its contribution is not
//!    measurable in the data.
//!
//! The thresholds are an [`AlignmentRule`]; its defaults are documented on
//! each field.
//!
//! ```
//! use mot_core::{Alignment, AlignmentInput, AlignmentRule};
//!
//! let rule = AlignmentRule::default();
//! let mut m = AlignmentInput { declared_none: false, interactions: 500, rate: Some(0.95),
//!     target: Some(0.9), lift: Some(0.2), lift_ci_low: Some(0.1), removal_effect: Some(0.3),
//!     removal_effect_ci_low: Some(0.2),
//!     sco_when_present: Some(0.8), sco_rate: Some(0.8), success_unknown: false };
//! assert_eq!(rule.classify(&m), Alignment::Magic);
//! m.rate = Some(0.7);
//! assert_eq!(rule.classify(&m), Alignment::Misery);
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The alignment classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "kebab-case")]
pub enum Alignment {
    /// Contributes to the SCO and performs.
    Magic,
    /// Fails the customer or hurts the SCO.
    Misery,
    /// Not enough data, or no measurable contribution.
    Neutral,
    /// Declared to contribute nothing: a candidate for removal.
    Unaligned,
    /// Observed, but with no known success: the log has no success flag.
    Unmeasured,
}

impl Alignment {
    /// `magic`, `misery`, `neutral`, `unaligned` or `unmeasured`.
    pub fn as_str(self) -> &'static str {
        match self {
            Alignment::Magic => "magic",
            Alignment::Misery => "misery",
            Alignment::Neutral => "neutral",
            Alignment::Unaligned => "unaligned",
            Alignment::Unmeasured => "unmeasured",
        }
    }
}

/// The thresholds of the alignment rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct AlignmentRule {
    /// Target SMOTO rate for MOTs without one (default 0.9).
    pub default_target: f64,
    /// Fewer interactions than this are too few to judge (default 30).
    pub min_interactions: u64,
    /// Lift at or above this counts as a measurable contribution (default 0.02).
    pub min_lift: f64,
    /// Removal effect at or above this counts as a measurable contribution
    /// (default 0.05).
    pub min_removal_effect: f64,
    /// Journeys through the MOT producing the SCO this much less often than
    /// all journeys means it hurts the SCO (default 0.05).
    pub harm_margin: f64,
}

impl Default for AlignmentRule {
    fn default() -> Self {
        AlignmentRule {
            default_target: 0.9,
            min_interactions: 30,
            min_lift: 0.02,
            min_removal_effect: 0.05,
            harm_margin: 0.05,
        }
    }
}

/// What the rule looks at for one MOT.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AlignmentInput {
    /// The design declares it contributes nothing.
    pub declared_none: bool,
    /// Interactions observed with a known success.
    pub interactions: u64,
    /// SMOTO rate.
    pub rate: Option<f64>,
    /// SMOTO target.
    pub target: Option<f64>,
    /// Lift.
    pub lift: Option<f64>,
    /// The lower bound of its 95% interval (`None`: not known, the lift
    /// alone decides).
    pub lift_ci_low: Option<f64>,
    /// Removal effect.
    pub removal_effect: Option<f64>,
    /// The lower bound of its 95% interval (`None`: not known, the effect
    /// alone decides).
    pub removal_effect_ci_low: Option<f64>,
    /// SCO rate of known-outcome journeys through it.
    pub sco_when_present: Option<f64>,
    /// SCO rate of all known-outcome journeys.
    pub sco_rate: Option<f64>,
    /// It was observed, but no interaction with it had a known success.
    pub success_unknown: bool,
}

impl AlignmentRule {
    /// Classifies one MOT (see the [module docs](crate::alignment) for the rule).
    pub fn classify(&self, m: &AlignmentInput) -> Alignment {
        if m.declared_none {
            return Alignment::Unaligned;
        }
        if m.success_unknown {
            return Alignment::Unmeasured;
        }
        let Some(rate) = m.rate.filter(|_| m.interactions >= self.min_interactions) else {
            return Alignment::Neutral;
        };
        let target = m.target.unwrap_or(self.default_target);
        let fails = rate < target;
        let hurts = matches!((m.sco_when_present, m.sco_rate), (Some(p), Some(all)) if p <= all - self.harm_margin);
        if fails || hurts {
            return Alignment::Misery;
        }
        let contributes = (m.lift.is_some_and(|l| l >= self.min_lift)
            && m.lift_ci_low.is_none_or(|low| low > 0.0))
            || (m
                .removal_effect
                .is_some_and(|r| r >= self.min_removal_effect)
                && m.removal_effect_ci_low.is_none_or(|low| low > 0.0));
        if contributes {
            Alignment::Magic
        } else {
            Alignment::Neutral
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> AlignmentInput {
        AlignmentInput {
            declared_none: false,
            interactions: 100,
            rate: Some(0.95),
            target: None,
            lift: Some(0.1),
            lift_ci_low: None,
            removal_effect: Some(0.01),
            removal_effect_ci_low: None,
            sco_when_present: Some(0.7),
            sco_rate: Some(0.72),
            success_unknown: false,
        }
    }

    #[test]
    fn each_branch() {
        let r = AlignmentRule::default();
        assert_eq!(r.classify(&base()), Alignment::Magic);
        assert_eq!(
            r.classify(&AlignmentInput {
                declared_none: true,
                ..base()
            }),
            Alignment::Unaligned
        );
        assert_eq!(
            r.classify(&AlignmentInput {
                interactions: 29,
                ..base()
            }),
            Alignment::Neutral
        );
        assert_eq!(
            r.classify(&AlignmentInput {
                rate: Some(0.89),
                ..base()
            }),
            Alignment::Misery
        );
        assert_eq!(
            r.classify(&AlignmentInput {
                target: Some(0.99),
                ..base()
            }),
            Alignment::Misery
        );
        assert_eq!(
            r.classify(&AlignmentInput {
                sco_when_present: Some(0.66),
                ..base()
            }),
            Alignment::Misery
        );
        assert_eq!(
            r.classify(&AlignmentInput {
                lift: Some(0.0),
                ..base()
            }),
            Alignment::Neutral
        );
        assert_eq!(
            r.classify(&AlignmentInput {
                lift: None,
                removal_effect: Some(0.05),
                ..base()
            }),
            Alignment::Magic
        );
        // An effect whose interval reaches 0 is no driver.
        assert_eq!(
            r.classify(&AlignmentInput {
                lift_ci_low: Some(-0.01),
                ..base()
            }),
            Alignment::Neutral
        );
        for (low, class) in [
            (Some(0.0), Alignment::Neutral),
            (Some(0.001), Alignment::Magic),
        ] {
            assert_eq!(
                r.classify(&AlignmentInput {
                    lift: None,
                    removal_effect: Some(0.3),
                    removal_effect_ci_low: low,
                    ..base()
                }),
                class
            );
        }
        let unknown = AlignmentInput {
            success_unknown: true,
            interactions: 0,
            rate: None,
            ..base()
        };
        assert_eq!(r.classify(&unknown), Alignment::Unmeasured);
        assert_eq!(
            r.classify(&AlignmentInput {
                declared_none: true,
                ..unknown
            }),
            Alignment::Unaligned
        );
    }
}
