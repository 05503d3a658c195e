//! The customer experience: one experience for one customer segment, owned by
//! the Experience Manager, holding the SCO and its MOTs.
//!
//! Two types:
//!
//! - [`ExperienceSpec`] is the plain data, with public fields, exactly as in
//!   the JSON format `mot.experience/1`. Build or edit one freely.
//! - [`Experience`] is a spec that passed [validation](Experience::new): ids
//!   unique, references resolved, no cycles, numbers in range. Only an
//!   `Experience` can be scored, queried or drawn.
//!
//! # Example
//!
//! ```
//! use mot_core::{Experience, ErrorKind};
//!
//! let json = mot_core::sample::AIRLINE_JSON;
//! let x = Experience::from_json(json)?;
//! assert_eq!(x.spec().format, mot_core::ExperienceFormat);
//! assert!(x.mots().len() >= 12);
//!
//! // A broken copy: every problem is reported at once, each with its path.
//! let mut spec = x.into_spec();
//! spec.mots[0].manager = Some("nobody".into());
//! spec.mots[1].id = spec.mots[2].id.clone();
//! let err = Experience::new(spec).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::Invalid);
//! for p in err.problems() {
//!     println!("{p}"); // `mots[0].manager`: person `nobody` does not exist ...
//! }
//! assert!(err.problems().len() >= 2);
//! # Ok::<(), mot_core::Error>(())
//! ```

mod json;
mod validate;

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use json::{ExperienceFormat, FORMAT};

use crate::{Error, Idea, Landscape, Maturity, Mot, MotId, Person, PersonId, WorkId};

/// An experience as plain data: the JSON format `mot.experience/1`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "mot.experience/1")]
pub struct ExperienceSpec {
    /// Always `"mot.experience/1"`.
    pub format: ExperienceFormat,
    /// Id of the experience, e.g. `air-travel-business`.
    pub id: String,
    /// Name of the experience, e.g. `Air travel`.
    pub name: String,
    /// Version label of this framework, e.g. `2026.2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When this version took effect (a date or an RFC 3339 timestamp):
    /// `mot compare` measures before and after it by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<crate::Moment>,
    /// The chosen customer (segment), e.g. `business traveller`.
    pub segment: String,
    /// The Experience Manager (a person id).
    pub manager: PersonId,
    /// The Successful Customer Outcome.
    pub sco: Sco,
    /// Currency of every cost, value and return, e.g. `EUR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Maturity of technology, people and SCO development.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maturity: Option<Maturity>,
    /// Everyone with a role in the experience.
    #[serde(default)]
    pub people: Vec<Person>,
    /// The Moments of Truth.
    pub mots: Vec<Mot>,
    /// Improvement ideas from Experience Producers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ideas: Vec<Idea>,
    /// The Customer Performance Landscape: all work, linked to the MOTs it serves.
    #[serde(default)]
    pub landscape: Landscape,
}

/// The Successful Customer Outcome: what the customer wants from the whole
/// experience. A journey either produced it or did not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sco {
    /// The one-liner, e.g. `Arrive on time with my bag`.
    pub one_liner: String,
    /// How a journey is judged to have produced it, measurably.
    pub definition: String,
    /// Target share of journeys that produce it, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_rate: Option<f64>,
}

/// A validated experience: the only kind that can be queried, scored or drawn.
///
/// Made by [`Experience::new`] or [`Experience::from_json`]; immutable. To
/// change it, take the spec back with [`Experience::into_spec`], edit, and
/// validate again.
#[derive(Clone, Debug, PartialEq)]
pub struct Experience {
    spec: ExperienceSpec,
    index: Index,
}

/// Lookups computed once at validation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Index {
    pub(crate) mots: HashMap<MotId, usize>,
    pub(crate) people: HashMap<PersonId, usize>,
    pub(crate) work: HashMap<WorkId, usize>,
    /// For each MOT, its children in designed order (positioned first, by
    /// position; then unpositioned, in list order).
    pub(crate) children: Vec<Vec<usize>>,
    /// Top-level MOTs in the same order.
    pub(crate) top: Vec<usize>,
    /// For each MOT, its parent.
    pub(crate) parent: Vec<Option<usize>>,
    /// Work items ordered so that every item comes before the items it supports.
    pub(crate) work_order: Vec<usize>,
}

impl Experience {
    /// Validates a spec.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) listing every problem
    /// found (see [`Error::problems`]), in the order of the document.
    pub fn new(spec: ExperienceSpec) -> Result<Experience, Error> {
        let problems = validate::problems(&spec);
        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }
        let index = Index::build(&spec);
        Ok(Experience { spec, index })
    }

    /// The plain data.
    pub fn spec(&self) -> &ExperienceSpec {
        &self.spec
    }

    /// Gives the plain data back, to edit it.
    pub fn into_spec(self) -> ExperienceSpec {
        self.spec
    }

    /// All MOTs, in the order of the document.
    pub fn mots(&self) -> &[Mot] {
        &self.spec.mots
    }

    /// The MOT with this id.
    pub fn mot(&self, id: &str) -> Option<&Mot> {
        self.index.mots.get(id).map(|&i| &self.spec.mots[i])
    }

    /// The person with this id.
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.index.people.get(id).map(|&i| &self.spec.people[i])
    }

    /// The work item with this id.
    pub fn work_item(&self, id: &str) -> Option<&crate::WorkItem> {
        self.index
            .work
            .get(id)
            .map(|&i| &self.spec.landscape.work[i])
    }

    /// The position of an MOT in [`mots`](Experience::mots).
    pub fn mot_index(&self, id: &str) -> Option<usize> {
        self.index.mots.get(id).copied()
    }

    /// The top-level MOTs in designed order: those with a position, by
    /// position, then those off the designed path, in document order.
    pub fn top_level(&self) -> Vec<&Mot> {
        self.index.top.iter().map(|&i| &self.spec.mots[i]).collect()
    }

    /// The MOTs nested in `id`, in designed order (empty for a leaf or an
    /// unknown id).
    pub fn children(&self, id: &str) -> Vec<&Mot> {
        self.index
            .mots
            .get(id)
            .map(|&i| {
                self.index.children[i]
                    .iter()
                    .map(|&c| &self.spec.mots[c])
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The chain of enclosing MOTs of `id`, innermost first.
    pub fn ancestors(&self, id: &str) -> Vec<&Mot> {
        let mut out = Vec::new();
        let mut at = self.index.mots.get(id).and_then(|&i| self.index.parent[i]);
        while let Some(p) = at {
            out.push(&self.spec.mots[p]);
            at = self.index.parent[p];
        }
        out
    }

    /// How deep an MOT is nested: 0 for top-level.
    pub fn depth(&self, id: &str) -> usize {
        self.ancestors(id).len()
    }

    /// The designed journey step by step: the positioned top-level MOTs in
    /// order, each nested MOT replaced by its positioned children
    /// (recursively). These leaves are the interactions a customer on the
    /// designed path goes through: for a call-centre MOT, `PS, PS, PP, SP`.
    pub fn designed_journey(&self) -> Vec<&Mot> {
        let mut out = Vec::new();
        for &i in &self.index.top {
            self.push_leaves(i, &mut out);
        }
        out
    }

    fn push_leaves<'a>(&'a self, i: usize, out: &mut Vec<&'a Mot>) {
        let mot = &self.spec.mots[i];
        if mot.position.is_none() {
            return;
        }
        let positioned: Vec<usize> = self.index.children[i]
            .iter()
            .copied()
            .filter(|&c| self.spec.mots[c].position.is_some())
            .collect();
        if positioned.is_empty() {
            out.push(mot);
        } else {
            for c in positioned {
                self.push_leaves(c, out);
            }
        }
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }
}

impl Index {
    fn build(spec: &ExperienceSpec) -> Index {
        let mots: HashMap<MotId, usize> = spec
            .mots
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        let people = spec
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let work: HashMap<WorkId, usize> = spec
            .landscape
            .work
            .iter()
            .enumerate()
            .map(|(i, w)| (w.id.clone(), i))
            .collect();
        let parent: Vec<Option<usize>> = spec
            .mots
            .iter()
            .map(|m| m.parent.as_ref().map(|p| mots[p.as_str()]))
            .collect();
        let mut children = vec![Vec::new(); spec.mots.len()];
        let mut top = Vec::new();
        for (i, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(i),
                None => top.push(i),
            }
        }
        // Positioned first by position, then the rest in document order.
        let key = |&i: &usize| (spec.mots[i].position.unwrap_or(u32::MAX), i);
        top.sort_by_key(key);
        for c in &mut children {
            c.sort_by_key(key);
        }
        let work_order = crate::landscape::support_order(spec, &work)
            .unwrap_or_else(|_| (0..spec.landscape.work.len()).collect());
        Index {
            mots,
            people,
            work,
            children,
            top,
            parent,
            work_order,
        }
    }
}
