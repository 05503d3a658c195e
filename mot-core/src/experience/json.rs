//! The JSON format `mot.experience/1`: the `format` tag, reading with paths
//! in errors, and writing.

use serde::{Deserialize, Serialize};

use super::{Experience, ExperienceSpec};
use crate::Error;
use crate::Limits;

/// The format tag of experience documents this library reads and writes.
pub const FORMAT: &str = "mot.experience/1";

const FORMAT_NAME: &str = "mot.experience";
const FORMAT_VERSION: u32 = 1;

/// The `format` field of an experience document: always
/// `"mot.experience/1"`. Reading any other value is an error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ExperienceFormat;

impl Serialize for ExperienceFormat {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(FORMAT)
    }
}

impl<'de> Deserialize<'de> for ExperienceFormat {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let tag = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        check_format(&tag)
            .map(|()| ExperienceFormat)
            .map_err(|e| serde::de::Error::custom(e.to_string()))
    }
}

impl schemars::JsonSchema for ExperienceFormat {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ExperienceFormat".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The format tag.",
            "const": FORMAT
        })
    }
}

/// Checks a format tag: the right one, a newer version, or something else.
fn check_format(tag: &str) -> Result<(), Error> {
    if tag == FORMAT {
        return Ok(());
    }
    let newer = tag
        .strip_prefix(FORMAT_NAME)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|v| v.parse::<u32>().ok())
        .is_some_and(|v| v > FORMAT_VERSION);
    Err(Error::format(if newer {
        format!("format `{tag}` is newer than this library reads (`{FORMAT}`): upgrade mot")
    } else {
        format!("unknown format `{tag}`, expected `{FORMAT}`")
    }))
}

/// First pass: is it JSON at all, and what does it say its format is?
/// Everything but `format` is skipped without being kept.
#[derive(Deserialize)]
struct Probe {
    format: Option<serde_json::Value>,
}

fn json_error(path: String, err: &serde_json::Error) -> Error {
    // serde_json appends " at line L column C"; we keep those apart.
    let full = err.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) if err.line() > 0 => full[..i].to_string(),
        _ => full,
    };
    let message = if path.is_empty() || path == "." {
        format!("invalid experience JSON: {message}")
    } else {
        format!("invalid experience JSON at `{path}`: {message}")
    };
    Error::json(path, message, err.line(), err.column())
}

impl ExperienceSpec {
    /// Reads a `mot.experience/1` document without validating it.
    ///
    /// Use this to load a broken model for repair; use
    /// [`Experience::from_json`] to load one for use.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::Json`](crate::ErrorKind::Json): not JSON, a value of
    ///   the wrong type, a missing or unknown field; [`Error::path`] names it.
    /// - [`ErrorKind::Format`](crate::ErrorKind::Format): the `format` tag is
    ///   missing, unknown, or newer than this library.
    pub fn from_json(json: &str) -> Result<ExperienceSpec, Error> {
        ExperienceSpec::from_json_with(json, &Limits::default())
    }

    /// [`ExperienceSpec::from_json`] under other [`Limits`]
    /// (`max_json_bytes`, `max_json_depth`).
    ///
    /// # Errors
    ///
    /// As [`ExperienceSpec::from_json`], and
    /// [`ErrorKind::Limit`](crate::ErrorKind::Limit) for a document over a
    /// limit.
    pub fn from_json_with(json: &str, limits: &Limits) -> Result<ExperienceSpec, Error> {
        limits.check_json(json)?;
        let probe: Probe = serde_json::from_str(json).map_err(|e| json_error(String::new(), &e))?;
        match probe.format {
            None => {
                return Err(Error::format(format!(
                    "missing `format` tag: an experience document starts with `\"format\": \"{FORMAT}\"`"
                )));
            }
            Some(serde_json::Value::String(tag)) => check_format(&tag)?,
            Some(other) => {
                return Err(Error::format(format!(
                    "`format` must be the string `{FORMAT}`, found `{other}`"
                )));
            }
        }
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            json_error(path, e.inner())
        })
    }

    /// Writes the spec as compact JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail; f64 NaN/∞
        // are written as null by serde_json.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Writes the spec as indented JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl Experience {
    /// Reads and validates a `mot.experience/1` document.
    ///
    /// # Errors
    ///
    /// The errors of [`ExperienceSpec::from_json`], then
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) with every problem
    /// validation finds.
    ///
    /// # Example
    ///
    /// ```
    /// use mot_core::{Experience, ErrorKind};
    ///
    /// let x = Experience::from_json(mot_core::sample::AIRLINE_JSON)?;
    /// let back = Experience::from_json(&x.to_json())?;
    /// assert_eq!(x, back);
    ///
    /// let err = Experience::from_json(r#"{"format": "mot.experience/1", "id": 7}"#).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Json);
    /// assert_eq!(err.path(), Some("id"));
    /// # Ok::<(), mot_core::Error>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Experience, Error> {
        Experience::new(ExperienceSpec::from_json(json)?)
    }

    /// [`Experience::from_json`] under other [`Limits`] (`max_json_bytes`,
    /// `max_json_depth`; the defaults allow 64 MiB and 64 levels).
    ///
    /// ```
    /// use mot_core::{ErrorKind, Experience, Limits};
    /// let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    /// let err = Experience::from_json(&deep).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Limit);
    /// let tight = Limits { max_json_bytes: 100, ..Limits::default() };
    /// let err = Experience::from_json_with(mot_core::sample::AIRLINE_JSON, &tight).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Limit);
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Experience::from_json`], and
    /// [`ErrorKind::Limit`](crate::ErrorKind::Limit) for a document over a
    /// limit.
    pub fn from_json_with(json: &str, limits: &Limits) -> Result<Experience, Error> {
        Experience::new(ExperienceSpec::from_json_with(json, limits)?)
    }

    /// Writes the experience as compact JSON (`mot.experience/1`).
    pub fn to_json(&self) -> String {
        self.spec().to_json()
    }

    /// Writes the experience as indented JSON (`mot.experience/1`).
    pub fn to_json_pretty(&self) -> String {
        self.spec().to_json_pretty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn format_tag_errors() {
        let err = ExperienceSpec::from_json("{}").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Format);
        assert!(err.to_string().starts_with("missing `format` tag"));

        let err = ExperienceSpec::from_json(r#"{"format": "mot.experience/2"}"#).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Format);
        assert_eq!(
            err.to_string(),
            "format `mot.experience/2` is newer than this library reads (`mot.experience/1`): upgrade mot"
        );

        let err = ExperienceSpec::from_json(r#"{"format": "bpmn/2"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown format `bpmn/2`, expected `mot.experience/1`"
        );
        let err = ExperienceSpec::from_json(r#"{"format": 1}"#).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Format);
        let err = ExperienceSpec::from_json(r#"{"format": "mot.experience/0"}"#).unwrap_err();
        assert!(err.to_string().starts_with("unknown format"));
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let err = ExperienceSpec::from_json("{\n  \"format\": ").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Json);
        assert_eq!(err.line_column().map(|l| l.0), Some(2));
        assert!(err.to_string().starts_with("invalid experience JSON: "));
        let err = ExperienceSpec::from_json("").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Json);
        let err = ExperienceSpec::from_json("[]").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Json);
    }

    #[test]
    fn unknown_fields_are_rejected_with_their_path() {
        let mut v: serde_json::Value = serde_json::from_str(crate::sample::AIRLINE_JSON).unwrap();
        v["mots"][3]["colour"] = serde_json::json!("red");
        let err = ExperienceSpec::from_json(&v.to_string()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Json);
        assert_eq!(err.path(), Some("mots[3].colour"));
        assert!(err.to_string().contains("unknown field `colour`"), "{err}");
    }

    #[test]
    fn wrong_types_name_their_path() {
        let mut v: serde_json::Value = serde_json::from_str(crate::sample::AIRLINE_JSON).unwrap();
        v["mots"][1]["type"] = serde_json::json!("person-to-robot");
        let err = ExperienceSpec::from_json(&v.to_string()).unwrap_err();
        assert_eq!(err.path(), Some("mots[1].type"));
        assert!(
            err.to_string().contains("is not an interaction type"),
            "{err}"
        );

        let mut v: serde_json::Value = serde_json::from_str(crate::sample::AIRLINE_JSON).unwrap();
        v["landscape"]["work"][0]["cost"] = serde_json::json!("cheap");
        let err = ExperienceSpec::from_json(&v.to_string()).unwrap_err();
        assert_eq!(err.path(), Some("landscape.work[0].cost"));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn generated_specs_are_valid(spec in crate::testing::valid_spec()) {
                let problems = crate::experience::validate::problems(&spec);
                prop_assert!(problems.is_empty(), "{problems:#?}");
            }

            #[test]
            fn serde_round_trip_is_exact(spec in crate::testing::valid_spec()) {
                let x = Experience::new(spec.clone()).unwrap();
                let compact = x.to_json();
                let back = Experience::from_json(&compact).unwrap();
                prop_assert_eq!(back.spec(), &spec);
                prop_assert_eq!(back.to_json(), compact);
                let pretty = Experience::from_json(&x.to_json_pretty()).unwrap();
                prop_assert_eq!(pretty.spec(), &spec);
                // Every float bit pattern survives.
                for (a, b) in spec.mots.iter().zip(&back.spec().mots) {
                    if let (Some(da), Some(db)) = (&a.dimensions, &b.dimensions) {
                        prop_assert_eq!(da.opportunity.to_bits(), db.opportunity.to_bits());
                        prop_assert_eq!(da.risk.to_bits(), db.risk.to_bits());
                    }
                }
            }
        }
    }
}
