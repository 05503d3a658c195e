//! Journey ids as a tracker keeps them ([`JourneyKey`]) and the types the
//! row API takes as a journey id ([`IntoJourney`]).

use serde::{Deserialize, Serialize};

use crate::events::Key;

/// An owned journey id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum JourneyKey {
    /// An integer id.
    Int(u64),
    /// A text id.
    Str(Box<str>),
}

impl std::hash::Hash for JourneyKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_key().hash(state);
    }
}

impl JourneyKey {
    /// Borrows it.
    pub fn as_key(&self) -> Key<'_> {
        match self {
            JourneyKey::Int(i) => Key::Int(*i),
            JourneyKey::Str(s) => Key::Str(s),
        }
    }
}

impl From<Key<'_>> for JourneyKey {
    fn from(k: Key<'_>) -> Self {
        match k {
            Key::Int(i) => JourneyKey::Int(i),
            Key::Str(s) => JourneyKey::Str(s.into()),
        }
    }
}

impl From<&Key<'_>> for JourneyKey {
    fn from(k: &Key<'_>) -> Self {
        JourneyKey::from(*k)
    }
}

impl hashbrown::Equivalent<JourneyKey> for Key<'_> {
    fn equivalent(&self, key: &JourneyKey) -> bool {
        *self == key.as_key()
    }
}

/// Anything that names a journey: `&str`, `String`, integers.
pub trait IntoJourney {
    /// The journey id.
    fn key(&self) -> Key<'_>;
}

impl IntoJourney for &str {
    fn key(&self) -> Key<'_> {
        Key::Str(self)
    }
}
impl IntoJourney for String {
    fn key(&self) -> Key<'_> {
        Key::Str(self)
    }
}
impl IntoJourney for u64 {
    fn key(&self) -> Key<'_> {
        Key::Int(*self)
    }
}
impl IntoJourney for i64 {
    fn key(&self) -> Key<'_> {
        Key::Int(*self as u64)
    }
}
impl IntoJourney for Key<'_> {
    fn key(&self) -> Key<'_> {
        *self
    }
}
