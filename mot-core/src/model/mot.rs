//! The Moment of Truth: any interaction with the customer inside the experience.
//!
//! "It either contributes to the production of the SCO or it doesn't"
//! (Doug Bell). Each MOT has a name, an [`InteractionType`], a [`Smoto`] (what
//! success means for it, with an optional target rate), a MOT Manager,
//! Experience Producers, a place in the designed sequence, an optional parent
//! (nested MOTs: a call is IVR key presses, agent talk and an automated
//! close), a declared [`Contribution`] to the SCO, and optionally its
//! [`Dimensions`] and [`Design`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Design, Dimensions, InteractionType, MotId, PersonId};

/// A Moment of Truth.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mot {
    /// Unique id within the experience, e.g. `check-in`.
    pub id: MotId,
    /// A short, readable name, e.g. `Online check-in`.
    pub name: String,
    /// A longer description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who interacts with whom.
    #[serde(rename = "type")]
    pub interaction_type: InteractionType,
    /// The Successful MOT Outcome: what success means for this MOT.
    pub smoto: Smoto,
    /// The MOT Manager: sets the SMOTO vision, measures and reports it,
    /// illustrates how to produce it. `None` when nobody owns the MOT yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<PersonId>,
    /// The Experience Producers who produce this MOT's SMOTO.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub producers: Vec<PersonId>,
    /// Place in the designed sequence among its siblings (the top-level MOTs,
    /// or the children of the same parent), from 1. `None` for an MOT that is
    /// not on the designed path (e.g. a complaint call that happens only when
    /// something went wrong).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    /// The enclosing MOT, for a nested MOT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<MotId>,
    /// What the design says this MOT contributes to the SCO.
    pub contribution: Contribution,
    /// The five dimensions: opportunity, risk, value, return, cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Dimensions>,
    /// The organisation's plan for producing the SMOTO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<Design>,
}

/// The Successful MOT Outcome: success or failure is measured per
/// interaction; the target is the rate the MOT Manager aims for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Smoto {
    /// What a successful outcome of this MOT is, in words.
    pub description: String,
    /// Target share of successful interactions, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_rate: Option<f64>,
}

/// What the design declares an MOT contributes to the SCO.
///
/// Used by the alignment class (magic / misery / neutral / unaligned): an MOT
/// declared [`Contribution::Nothing`] is a candidate for removal, as SAS
/// removed unnecessary MOTs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "kebab-case")]
pub enum Contribution {
    /// Its successful outcome is part of producing the SCO.
    Direct,
    /// It enables MOTs that contribute directly (a reminder, a hand-over).
    Enabling,
    /// It contributes nothing to the SCO (JSON `"none"`).
    #[serde(rename = "none")]
    Nothing,
}

impl Contribution {
    /// The name used in JSON: `direct`, `enabling` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Contribution::Direct => "direct",
            Contribution::Enabling => "enabling",
            Contribution::Nothing => "none",
        }
    }

    /// Whether the MOT is declared to serve the SCO (directly or by enabling).
    pub fn serves_sco(self) -> bool {
        !matches!(self, Contribution::Nothing)
    }
}
