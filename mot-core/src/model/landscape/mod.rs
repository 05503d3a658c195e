//! The Customer Performance Landscape: every piece of work, linked to the
//! MOTs that cause it.
//!
//! "MOTs are the cause of all work" (Towers): every process, activity,
//! system, team, piece of equipment and policy should be traceable to a
//! Moment of Truth. The landscape is a graph: a [`WorkItem`] serves MOTs
//! directly ([`WorkItem::mots`]) and supports other work
//! ([`WorkItem::supports`]). Work that reaches no MOT, directly or through
//! other work, is **unexplained work**.
//!
//! Queries on a validated [`Experience`](crate::Experience):
//!
//! - [`trace`](crate::Experience::trace): from a work item up to the MOTs and
//!   the SCO it serves;
//! - [`unexplained_work`](crate::Experience::unexplained_work);
//! - [`cost_rollup`](crate::Experience::cost_rollup): work costs rolled up to
//!   MOTs and to the experience (see [`CostRollup`] for the allocation rule);
//! - [`failure_impact`](crate::Experience::failure_impact): what if this work
//!   item fails — the MOTs and the share of the designed journey at risk.
//!
//! ```
//! use mot_core::sample;
//!
//! let x = sample::airline();
//! let trace = x.trace("sys-dcs")?; // the departure control system
//! assert!(trace.mots.iter().any(|m| m.mot == "bag-drop"));
//! assert!(trace.serves_sco);
//! let unexplained: Vec<_> = x.unexplained_work().iter().map(|w| w.id.as_str()).collect();
//! assert_eq!(unexplained, ["pol-fax-confirmation"]);
//! let costs = x.cost_rollup();
//! assert!((costs.allocated + costs.unexplained - costs.total).abs() < 1e-9);
//! # Ok::<(), mot_core::Error>(())
//! ```

mod query;

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use query::{CostRollup, FailureImpact, MotCost, Trace, TracedMot};

use crate::{ExperienceSpec, MotId, PersonId, WorkId};

/// All the work of an experience.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Landscape {
    /// The work items.
    #[serde(default)]
    pub work: Vec<WorkItem>,
}

/// One piece of work: a process, activity, system, team, piece of equipment
/// or policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkItem {
    /// Unique id in the landscape, e.g. `sys-dcs`.
    pub id: WorkId,
    /// Readable name, e.g. `Departure control system`.
    pub name: String,
    /// What kind of work it is.
    pub kind: WorkKind,
    /// More detail, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who is accountable for it, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<PersonId>,
    /// What it costs over the planning period, in the experience's currency.
    /// Not negative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// The MOTs this work serves directly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mots: Vec<MotLink>,
    /// Other work this work supports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supports: Vec<WorkLink>,
}

/// The six kinds of work in the landscape.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum WorkKind {
    /// A process.
    Process,
    /// An activity within a process.
    Activity,
    /// An IT system.
    System,
    /// A team of people.
    Team,
    /// Equipment (kiosks, belts, vehicles).
    Equipment,
    /// A policy or rule.
    Policy,
}

impl WorkKind {
    /// The kebab-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkKind::Process => "process",
            WorkKind::Activity => "activity",
            WorkKind::System => "system",
            WorkKind::Team => "team",
            WorkKind::Equipment => "equipment",
            WorkKind::Policy => "policy",
        }
    }
}

/// A link from work to an MOT it serves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MotLink {
    /// The MOT served.
    pub mot: MotId,
    /// Share of the work's cost to allocate along this link, relative to the
    /// item's other links. Declare on all links of an item or on none (then
    /// shares are equal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// A link from work to other work it supports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkLink {
    /// The work supported.
    pub work: WorkId,
    /// Relative share of cost, as in [`MotLink::weight`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

impl WorkItem {
    /// The allocation shares of this item's cost over its links, MOT links
    /// first, then work links, in list order: weights normalised to sum 1
    /// when declared, else equal shares. Empty for an item with no links.
    pub fn shares(&self) -> Vec<f64> {
        let weights: Vec<Option<f64>> = self
            .mots
            .iter()
            .map(|l| l.weight)
            .chain(self.supports.iter().map(|l| l.weight))
            .collect();
        let n = weights.len();
        if weights.iter().all(Option::is_some) {
            let total: f64 = weights.iter().flatten().sum();
            if total > 0.0 && total.is_finite() {
                return weights.iter().flatten().map(|w| w / total).collect();
            }
        }
        vec![1.0 / n as f64; n]
    }
}

/// Orders work so that each item comes before every item it supports
/// (Kahn's algorithm, ties in document order). Dangling links are ignored.
///
/// # Errors
///
/// The indexes of the items left on a cycle.
pub(crate) fn support_order(
    spec: &ExperienceSpec,
    index: &HashMap<WorkId, usize>,
) -> Result<Vec<usize>, Vec<usize>> {
    let work = &spec.landscape.work;
    let mut indegree = vec![0usize; work.len()];
    let targets: Vec<Vec<usize>> = work
        .iter()
        .map(|w| {
            w.supports
                .iter()
                .filter_map(|l| index.get(l.work.as_str()).copied())
                .collect()
        })
        .collect();
    for ts in &targets {
        for &t in ts {
            indegree[t] += 1;
        }
    }
    let mut ready: std::collections::BTreeSet<usize> =
        (0..work.len()).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(work.len());
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &t in &targets[i] {
            indegree[t] -= 1;
            if indegree[t] == 0 {
                ready.insert(t);
            }
        }
    }
    if order.len() == work.len() {
        Ok(order)
    } else {
        Err((0..work.len()).filter(|&i| indegree[i] > 0).collect())
    }
}
