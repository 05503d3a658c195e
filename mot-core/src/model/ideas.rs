//! Improvement ideas from Experience Producers: the "direct channel" of the
//! method's Innovate step.
//!
//! Each idea is tied to an MOT and moves through a lifecycle:
//!
//! ```text
//! proposed → under-review → accepted → implemented
//!     └──────────┴─────────────┴──→ rejected
//! ```
//!
//! `implemented` and `rejected` are final.
//!
//! ```
//! use mot_core::{Idea, IdeaStatus};
//!
//! let mut idea = Idea {
//!     id: "i-1".into(), mot: "bag-drop".into(), author: "p-ana".into(),
//!     title: "Self-service bag tags".into(), description: None,
//!     status: IdeaStatus::Proposed, submitted_at: Some("2026-02-01".parse()?),
//!     implemented_at: None,
//! };
//! idea.set_status(IdeaStatus::UnderReview)?;
//! idea.set_status(IdeaStatus::Accepted)?;
//! assert!(idea.set_status(IdeaStatus::Proposed).is_err());
//! # Ok::<(), mot_core::Error>(())
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Error, IdeaId, Moment, MotId, PersonId};

/// An improvement idea.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Idea {
    /// Unique id among the experience's ideas.
    pub id: IdeaId,
    /// The MOT the idea would improve.
    pub mot: MotId,
    /// The person (usually an Experience Producer) who proposed it.
    pub author: PersonId,
    /// The idea in a line.
    pub title: String,
    /// More detail, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the idea is in its lifecycle.
    pub status: IdeaStatus,
    /// When it was proposed (a date or an RFC 3339 timestamp).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<Moment>,
    /// When it was put in place: its effect on the MOT is measured around
    /// this moment ([`IdeaReport`](crate::comparison::IdeaReport)), and
    /// `implemented_at − submitted_at` is its cycle time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implemented_at: Option<Moment>,
}

impl Idea {
    /// Moves the idea to `next`, if the lifecycle allows it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::IdeaTransition`](crate::ErrorKind::IdeaTransition) when
    /// [`IdeaStatus::can_become`] says no; the idea is left unchanged.
    pub fn set_status(&mut self, next: IdeaStatus) -> Result<(), Error> {
        if !self.status.can_become(next) {
            return Err(Error::idea_transition(self.status.as_str(), next.as_str()));
        }
        self.status = next;
        Ok(())
    }
}

/// Where an idea is in its lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IdeaStatus {
    /// Shared by a producer, not yet looked at.
    Proposed,
    /// The MOT Manager is assessing it.
    UnderReview,
    /// Agreed, to be implemented.
    Accepted,
    /// Done: part of the MOT's design now. Final.
    Implemented,
    /// Not taken forward. Final.
    Rejected,
}

impl IdeaStatus {
    /// The kebab-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            IdeaStatus::Proposed => "proposed",
            IdeaStatus::UnderReview => "under-review",
            IdeaStatus::Accepted => "accepted",
            IdeaStatus::Implemented => "implemented",
            IdeaStatus::Rejected => "rejected",
        }
    }

    /// Whether no further move is possible.
    pub fn is_final(self) -> bool {
        matches!(self, IdeaStatus::Implemented | IdeaStatus::Rejected)
    }

    /// Whether an idea in this status may move to `next`: one step forward
    /// along `proposed → under-review → accepted → implemented`, or to
    /// `rejected` from any status that is not final.
    pub fn can_become(self, next: IdeaStatus) -> bool {
        use IdeaStatus::*;
        matches!(
            (self, next),
            (Proposed, UnderReview)
                | (UnderReview, Accepted)
                | (Accepted, Implemented)
                | (Proposed | UnderReview | Accepted, Rejected)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdeaStatus::*;

    const ALL: [IdeaStatus; 5] = [Proposed, UnderReview, Accepted, Implemented, Rejected];

    #[test]
    fn lifecycle_table() {
        let allowed = [
            (Proposed, UnderReview),
            (UnderReview, Accepted),
            (Accepted, Implemented),
            (Proposed, Rejected),
            (UnderReview, Rejected),
            (Accepted, Rejected),
        ];
        for a in ALL {
            for b in ALL {
                assert_eq!(a.can_become(b), allowed.contains(&(a, b)), "{a:?} → {b:?}");
            }
            assert_eq!(a.is_final(), ALL.iter().all(|b| !a.can_become(*b)));
        }
    }

    #[test]
    fn refused_move_leaves_idea_unchanged() {
        let mut idea = Idea {
            id: "i".into(),
            mot: "m".into(),
            author: "p".into(),
            title: "t".into(),
            description: None,
            status: Implemented,
            submitted_at: None,
            implemented_at: None,
        };
        let err = idea.set_status(Proposed).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::IdeaTransition);
        assert_eq!(
            err.to_string(),
            "an idea cannot move from `implemented` to `proposed`"
        );
        assert_eq!(idea.status, Implemented);
    }
}
