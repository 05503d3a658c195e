//! The bundled sample: an airline experience for business travellers.
//!
//! It is the fixture every test, binding and demo uses: 15+ MOTs covering all
//! six interaction types, a nested contact-centre MOT (`PS, PS, PP, SP`), all
//! three roles, a landscape of 28+ work items with one unexplained item, the
//! five dimensions, maturity and ideas. [`airline_next`] is its next version,
//! for the version diff.
//!
//! ```
//! let x = mot_core::sample::airline();
//! assert_eq!(x.spec().sco.one_liner, "Arrive on time with my bag");
//! let diff = mot_core::diff(x.spec(), mot_core::sample::airline_next().spec());
//! assert!(!diff.is_empty());
//! ```

use crate::Experience;

/// The airline sample as `mot.experience/1` JSON (version `2026.1`).
///
/// A `static` (not a `const`): every use shares one copy of the text, which
/// keeps the WebAssembly module from carrying it twice.
pub static AIRLINE_JSON: &str = include_str!("../data/airline.json");

/// The next version of the sample (`2026.2`), as JSON.
pub static AIRLINE_NEXT_JSON: &str = include_str!("../data/airline-2026.2.json");

/// The airline sample, validated.
///
/// # Panics
///
/// Never: the bundled JSON is checked by the crate's tests.
pub fn airline() -> Experience {
    load(AIRLINE_JSON)
}

/// The next version of the airline sample, validated.
///
/// # Panics
///
/// Never: the bundled JSON is checked by the crate's tests.
pub fn airline_next() -> Experience {
    load(AIRLINE_NEXT_JSON)
}

#[allow(clippy::expect_used)]
fn load(json: &str) -> Experience {
    Experience::from_json(json).expect("the bundled sample is valid")
}
