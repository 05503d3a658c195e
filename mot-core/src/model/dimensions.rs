//! The five dimensions of an MOT (Belsley, *Get Scientific about Managing
//! Moments of Truth*).
//!
//! **Opportunity** (best case) and **Risk** (worst case) bound a scale on
//! which actual performance is placed; **Value** is what the customer
//! receives; **Return** what the company receives; **Cost** what people,
//! systems and equipment consume (the MOT as a cost centre).
//!
//! The position on the scale is `(actual − worst) / (best − worst)`: 0 at the
//! worst case, 1 at the best, outside [0, 1] when performance leaves the scale.
//! ROI is `(return − cost) / cost`.
//!
//! ```
//! use mot_core::Dimensions;
//!
//! let d = Dimensions { opportunity: 0.99, risk: 0.6, actual: Some(0.9), value: Some(30.0),
//!                      company_return: Some(12.0), cost: Some(4.0), ..Default::default() };
//! assert!((d.position(0.9).unwrap() - 0.769_230_769_230_769_3).abs() < 1e-15);
//! assert_eq!(d.roi(), Some(2.0));
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The five dimensions of one MOT. Money figures are per interaction, in the
/// experience's currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimensions {
    /// Opportunity: the best case on the performance scale.
    pub opportunity: f64,
    /// Risk: the worst case on the performance scale. Must be below `opportunity`.
    pub risk: f64,
    /// What the scale measures. `None` means the SMOTO rate, the default the
    /// engine places the observed rate on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// The actual performance as last assessed, on the same scale, when no
    /// interaction log is at hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<f64>,
    /// Value the customer receives per interaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Return the company receives per interaction (JSON `return`).
    #[serde(rename = "return", default, skip_serializing_if = "Option::is_none")]
    pub company_return: Option<f64>,
    /// Cost per interaction (people, systems, equipment). Not negative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
}

impl Dimensions {
    /// Where `actual` lies on the opportunity–risk scale:
    /// `(actual − risk) / (opportunity − risk)`.
    ///
    /// `None` when the scale has no width or a number is not finite.
    pub fn position(&self, actual: f64) -> Option<f64> {
        let width = self.opportunity - self.risk;
        let p = (actual - self.risk) / width;
        (width > 0.0 && p.is_finite()).then_some(p)
    }

    /// The position of the declared [`actual`](Dimensions::actual), if any.
    pub fn declared_position(&self) -> Option<f64> {
        self.actual.and_then(|a| self.position(a))
    }

    /// `(return − cost) / cost`, when both are declared and cost is above 0.
    pub fn roi(&self) -> Option<f64> {
        roi(self.company_return?, self.cost?)
    }
}

/// `(ret − cost) / cost`; `None` unless `cost > 0` and the result is finite.
pub fn roi(ret: f64, cost: f64) -> Option<f64> {
    let r = (ret - cost) / cost;
    (cost > 0.0 && r.is_finite()).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_bounds() {
        let d = Dimensions {
            opportunity: 1.0,
            risk: 0.5,
            ..Default::default()
        };
        assert_eq!(d.position(0.5), Some(0.0));
        assert_eq!(d.position(1.0), Some(1.0));
        assert_eq!(d.position(0.75), Some(0.5));
        assert_eq!(d.position(0.25), Some(-0.5));
        assert_eq!(d.position(f64::NAN), None);
        let flat = Dimensions {
            opportunity: 1.0,
            risk: 1.0,
            ..Default::default()
        };
        assert_eq!(flat.position(1.0), None);
    }

    #[test]
    fn roi_needs_positive_cost() {
        assert_eq!(roi(3.0, 1.0), Some(2.0));
        assert_eq!(roi(0.0, 2.0), Some(-1.0));
        assert_eq!(roi(1.0, 0.0), None);
        assert_eq!(roi(1.0, -1.0), None);
    }
}
