//! Organisational maturity behind an experience.
//!
//! "On a scale of 1-10 (1 bad, 10 good) how developed and supportive is the
//! technology, people skills and SCO development?" (Towers). Lower maturity
//! goes with more MOTs per outcome, higher cost and poorer service.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Maturity scores, each an integer from 1 (bad) to 10 (good).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Maturity {
    /// How developed and supportive the technology is.
    pub technology: i64,
    /// How developed people's skills and competence are.
    pub people: i64,
    /// How clearly and objectively the SCO is articulated.
    pub sco_development: i64,
}

impl Maturity {
    /// The three scores with their JSON field names.
    pub fn scores(&self) -> [(&'static str, i64); 3] {
        [
            ("technology", self.technology),
            ("people", self.people),
            ("sco_development", self.sco_development),
        ]
    }

    /// The mean of the three scores.
    ///
    /// ```
    /// let m = mot_core::Maturity { technology: 6, people: 7, sco_development: 8 };
    /// assert_eq!(m.mean(), 7.0);
    /// ```
    pub fn mean(&self) -> f64 {
        (self.technology + self.people + self.sco_development) as f64 / 3.0
    }
}
