//! MOT design: the organisation's plan for producing a SMOTO.
//!
//! "Illustrate the organization's plan for producing each SMOTO" (Bell). A
//! design is an ordered list of steps, each linked to the work items of the
//! Customer Performance Landscape that perform it. Render one with
//! [`Experience::design_mermaid`](crate::Experience::design_mermaid) or
//! [`Experience::design_dot`](crate::Experience::design_dot).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::WorkId;

/// The plan for producing one MOT's SMOTO.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// The steps, in the order they happen.
    pub steps: Vec<DesignStep>,
}

/// One step of a [`Design`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignStep {
    /// What happens in this step.
    pub name: String,
    /// More detail, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The work items (landscape ids) that perform this step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub work: Vec<WorkId>,
}
