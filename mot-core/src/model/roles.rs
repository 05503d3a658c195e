//! People and the three roles of MOT management (Bell, *Moments of Truth
//! structure*).
//!
//! - the **Experience Manager** sets the SCO vision, measures and reports SCO
//!   production, and identifies the MOTs ([`ExperienceSpec::manager`](crate::ExperienceSpec::manager));
//! - a **MOT Manager** sets the SMOTO vision, measures and reports SMOTO
//!   production, and illustrates how to produce it ([`Mot::manager`](crate::Mot::manager));
//! - **Experience Producers** produce SMOTOs and SCOs and propose
//!   improvements ([`Mot::producers`](crate::Mot::producers), [`Idea::author`](crate::Idea::author)).
//!
//! A person's roles follow from these assignments; they are not stored twice.
//!
//! ```
//! use mot_core::{Role, sample};
//!
//! let x = sample::airline();
//! assert_eq!(x.roles_of("p-em"), vec![Role::ExperienceManager]);
//! assert!(!x.people_in(Role::MotManager).is_empty());
//! ```

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Experience, PersonId};

/// A person who takes part in managing the experience.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Unique id among the experience's people.
    pub id: PersonId,
    /// Full name.
    pub name: String,
    /// Job title or team, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// The three roles of MOT management.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Owns the experience and its SCO.
    ExperienceManager,
    /// Owns one or more MOTs and their SMOTOs.
    MotManager,
    /// Produces MOTs and proposes ideas.
    ExperienceProducer,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::ExperienceManager => "Experience Manager",
            Role::MotManager => "MOT Manager",
            Role::ExperienceProducer => "Experience Producer",
        })
    }
}

impl Experience {
    /// The roles a person holds, in the order Experience Manager, MOT
    /// Manager, Experience Producer. Empty for an unknown id or a person
    /// with no assignment.
    pub fn roles_of(&self, person: &str) -> Vec<Role> {
        let spec = self.spec();
        let mut roles = Vec::new();
        if spec.manager == person {
            roles.push(Role::ExperienceManager);
        }
        if spec
            .mots
            .iter()
            .any(|m| m.manager.as_ref().is_some_and(|p| p == person))
        {
            roles.push(Role::MotManager);
        }
        let produces = spec
            .mots
            .iter()
            .any(|m| m.producers.iter().any(|p| p == person));
        let proposes = spec.ideas.iter().any(|i| i.author == person);
        if produces || proposes {
            roles.push(Role::ExperienceProducer);
        }
        roles
    }

    /// The people holding `role`, in the order of the `people` list.
    pub fn people_in(&self, role: Role) -> Vec<&crate::Person> {
        self.spec()
            .people
            .iter()
            .filter(|p| self.roles_of(p.id.as_str()).contains(&role))
            .collect()
    }

    /// The MOTs a person manages, in the experience's order.
    pub fn mots_managed_by(&self, person: &str) -> Vec<&crate::Mot> {
        self.spec()
            .mots
            .iter()
            .filter(|m| m.manager.as_ref().is_some_and(|p| p == person))
            .collect()
    }

    /// The share of MOTs that have a MOT Manager, in [0, 1]; `None` for an
    /// experience without MOTs.
    pub fn ownership_share(&self) -> Option<f64> {
        let mots = &self.spec().mots;
        let owned = mots.iter().filter(|m| m.manager.is_some()).count();
        (!mots.is_empty()).then(|| owned as f64 / mots.len() as f64)
    }
}
