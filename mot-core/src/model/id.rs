//! Typed identifiers: a [`MotId`] cannot be passed where a [`WorkId`] is meant.
//!
//! Each is a string newtype, written in JSON as a plain string.
//!
//! ```
//! use mot_core::MotId;
//! let id = MotId::from("check-in");
//! assert_eq!(id.as_str(), "check-in");
//! assert_eq!(id, "check-in");
//! ```

use std::borrow::Borrow;
use std::fmt;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, schemars::JsonSchema,
        )]
        #[serde(transparent)]
        #[schemars(transparent)]
        #[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
        pub struct $name(String);

        impl $name {
            /// Makes an id from any string.
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

id_type!(
    /// The id of a Moment of Truth, unique within an experience.
    MotId
);
id_type!(
    /// The id of a person (Experience Manager, MOT Manager, Experience Producer).
    PersonId
);
id_type!(
    /// The id of a work item in the Customer Performance Landscape.
    WorkId
);
id_type!(
    /// The id of an improvement idea.
    IdeaId
);
