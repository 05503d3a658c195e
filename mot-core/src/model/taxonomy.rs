//! The MOT taxonomy: who interacts with whom.
//!
//! Six interaction types (Towers, *Moments of Truth and their usefulness*):
//! Person→Person (`PP`), Person→System (`PS`), System→Person (`SP`),
//! System→System (`SS`), Person→Product/Service (`PO`) and
//! Product/Service→Person (`OP`). Sequences of types shape a process: a call
//! to a contact centre is `PS, PS, PP, SP`.
//!
//! Parsing accepts the two-letter codes and long names, case-insensitively,
//! with spaces, hyphens, underscores, `→` or `->` between the words:
//!
//! ```
//! use mot_core::{Actor, InteractionType};
//!
//! let t: InteractionType = "person-to-system".parse()?;
//! assert_eq!(t, InteractionType::PS);
//! assert_eq!("op".parse::<InteractionType>()?, InteractionType::OP);
//! assert_eq!("Product or Service → Person".parse::<InteractionType>()?, InteractionType::OP);
//! assert_eq!(t.from(), Actor::Person);
//! assert_eq!(t.to(), Actor::System);
//! assert!("person-to-robot".parse::<InteractionType>().is_err());
//! # Ok::<(), mot_core::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// One side of an interaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    /// A person: the customer, or an employee.
    Person,
    /// A system: an IVR, a web site, a kiosk, a server.
    System,
    /// The product or service itself (a hire car, a parcel, an insurance policy).
    Product,
}

impl Actor {
    /// The one-letter code: `P`, `S` or `O`.
    pub fn code(self) -> char {
        match self {
            Actor::Person => 'P',
            Actor::System => 'S',
            Actor::Product => 'O',
        }
    }

    /// The long name: `person`, `system` or `product/service`.
    pub fn name(self) -> &'static str {
        match self {
            Actor::Person => "person",
            Actor::System => "system",
            Actor::Product => "product/service",
        }
    }
}

/// The six interaction types of a Moment of Truth.
///
/// Written in JSON as its two-letter code; read from a code or a long name
/// (codes `PP`, long names such as `person-to-system`, any case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InteractionType {
    /// Person to person: a ticket desk, a call with an agent.
    PP,
    /// Person to system: an IVR menu, a parking machine, a phone app.
    PS,
    /// System to person: a voicemail, an automated passport gate, an ATM.
    SP,
    /// System to system: an e-mail client and its server, a car and GPS.
    SS,
    /// Person to product or service: using a vacuum cleaner; finding your
    /// fence down (an interaction with the insurance policy).
    PO,
    /// Product or service to person: a parcel arriving, driving a hire car.
    OP,
}

impl InteractionType {
    /// All six, in the canonical order `PP PS SP SS PO OP`.
    pub const ALL: [InteractionType; 6] = [
        InteractionType::PP,
        InteractionType::PS,
        InteractionType::SP,
        InteractionType::SS,
        InteractionType::PO,
        InteractionType::OP,
    ];

    /// The type of an interaction from `from` to `to`, if it is one of the six.
    ///
    /// `System→Product`, `Product→System` and `Product→Product` are not
    /// interaction types of the method and give `None`.
    pub fn new(from: Actor, to: Actor) -> Option<InteractionType> {
        use Actor::*;
        Some(match (from, to) {
            (Person, Person) => InteractionType::PP,
            (Person, System) => InteractionType::PS,
            (System, Person) => InteractionType::SP,
            (System, System) => InteractionType::SS,
            (Person, Product) => InteractionType::PO,
            (Product, Person) => InteractionType::OP,
            _ => return None,
        })
    }

    /// Who starts the interaction.
    pub fn from(self) -> Actor {
        self.actors().0
    }

    /// Who the interaction is with.
    pub fn to(self) -> Actor {
        self.actors().1
    }

    fn actors(self) -> (Actor, Actor) {
        use Actor::*;
        match self {
            InteractionType::PP => (Person, Person),
            InteractionType::PS => (Person, System),
            InteractionType::SP => (System, Person),
            InteractionType::SS => (System, System),
            InteractionType::PO => (Person, Product),
            InteractionType::OP => (Product, Person),
        }
    }

    /// The two-letter code, e.g. `"PS"`.
    pub fn code(self) -> &'static str {
        match self {
            InteractionType::PP => "PP",
            InteractionType::PS => "PS",
            InteractionType::SP => "SP",
            InteractionType::SS => "SS",
            InteractionType::PO => "PO",
            InteractionType::OP => "OP",
        }
    }

    /// The long name, e.g. `"person-to-system"`, `"product/service-to-person"`.
    pub fn long_name(self) -> &'static str {
        match self {
            InteractionType::PP => "person-to-person",
            InteractionType::PS => "person-to-system",
            InteractionType::SP => "system-to-person",
            InteractionType::SS => "system-to-system",
            InteractionType::PO => "person-to-product/service",
            InteractionType::OP => "product/service-to-person",
        }
    }
}

impl fmt::Display for InteractionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

/// Actor words after folding case and dropping separators, longest first so
/// that `productorservice` is not read as `product` followed by junk.
const ACTOR_WORDS: [(&str, Actor); 9] = [
    ("productorservice", Actor::Product),
    ("productservice", Actor::Product),
    ("customer", Actor::Person),
    ("product", Actor::Product),
    ("service", Actor::Product),
    ("person", Actor::Person),
    ("system", Actor::System),
    ("human", Actor::Person),
    ("machine", Actor::System),
];

fn actor_prefix(s: &str) -> Option<(Actor, &str)> {
    ACTOR_WORDS
        .iter()
        .find_map(|(word, actor)| s.strip_prefix(word).map(|rest| (*actor, rest)))
}

fn parse_interaction_type(input: &str) -> Option<InteractionType> {
    let folded: String = input
        .trim()
        .replace('→', " to ")
        .replace("->", " to ")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let actor = |c: char| match c {
        'p' => Some(Actor::Person),
        's' => Some(Actor::System),
        'o' => Some(Actor::Product),
        _ => None,
    };
    let mut chars = folded.chars();
    if let (Some(a), Some(b), None) = (chars.next(), chars.next(), chars.next()) {
        return InteractionType::new(actor(a)?, actor(b)?);
    }
    let (from, rest) = actor_prefix(&folded)?;
    let rest = rest.strip_prefix("to")?;
    let (to, rest) = actor_prefix(rest)?;
    if !rest.is_empty() {
        return None;
    }
    InteractionType::new(from, to)
}

impl FromStr for InteractionType {
    type Err = Error;

    /// Parses a code (`PS`) or a long name (`person to system`), ignoring case.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InteractionType`](crate::ErrorKind::InteractionType) when
    /// the text is none of the six.
    fn from_str(s: &str) -> Result<Self, Error> {
        parse_interaction_type(s).ok_or_else(|| Error::interaction_type(s))
    }
}

impl serde::Serialize for InteractionType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for InteractionType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Parsed inside the visitor, so that a reader with positions (serde_json)
        // places the error at the value itself.
        struct Code;
        impl serde::de::Visitor<'_> for Code {
            type Value = InteractionType;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an interaction type code")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<InteractionType, E> {
                s.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Code)
    }
}

impl schemars::JsonSchema for InteractionType {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "InteractionType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Who interacts with whom, as a two-letter code (written canonically; long names such as `person-to-system` are also read, case-insensitively).",
            "type": "string",
            "enum": ["PP", "PS", "SP", "SS", "PO", "OP"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for t in InteractionType::ALL {
            assert_eq!(t.code().parse::<InteractionType>().unwrap(), t);
            assert_eq!(
                t.code().to_lowercase().parse::<InteractionType>().unwrap(),
                t
            );
            assert_eq!(t.long_name().parse::<InteractionType>().unwrap(), t);
            assert_eq!(
                t.long_name()
                    .to_uppercase()
                    .parse::<InteractionType>()
                    .unwrap(),
                t
            );
            assert_eq!(InteractionType::new(t.from(), t.to()), Some(t));
            let code: String = [t.from().code(), t.to().code()].iter().collect();
            assert_eq!(code, t.code());
        }
    }

    #[test]
    fn long_name_spellings() {
        let cases = [
            ("Person to Person", InteractionType::PP),
            ("person_to_system", InteractionType::PS),
            ("SystemToPerson", InteractionType::SP),
            ("system -> system", InteractionType::SS),
            ("person → product or service", InteractionType::PO),
            ("Product or Service to Customer", InteractionType::OP),
            ("service-to-person", InteractionType::OP),
            ("  pp  ", InteractionType::PP),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<InteractionType>().unwrap(), want, "{text}");
        }
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "P",
            "PPP",
            "XX",
            "SO",
            "OS",
            "OO",
            "person",
            "person to",
            "to person",
            "person-to-robot",
            "personperson",
            "person to the product",
            "system to product",
            "person to person to person",
        ] {
            let err = bad.parse::<InteractionType>().unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InteractionType, "{bad}");
            assert!(err.to_string().contains("is not an interaction type"));
        }
    }

    #[test]
    fn error_message_is_pinned() {
        let err = "XX".parse::<InteractionType>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "`XX` is not an interaction type: use one of `PP`, `PS`, `SP`, `SS`, `PO`, `OP` or a long name such as `person-to-system`"
        );
    }

    #[test]
    fn serde_uses_codes_and_reads_long_names() {
        let json = serde_json::to_string(&InteractionType::OP).unwrap();
        assert_eq!(json, "\"OP\"");
        let t: InteractionType = serde_json::from_str("\"system-to-person\"").unwrap();
        assert_eq!(t, InteractionType::SP);
        assert!(serde_json::from_str::<InteractionType>("\"nope\"").is_err());
    }
}
