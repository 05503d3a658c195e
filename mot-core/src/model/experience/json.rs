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
        // Checked inside the visitor, so that serde_json places an error at
        // the tag itself.
        struct Tag;
        impl serde::de::Visitor<'_> for Tag {
            type Value = ExperienceFormat;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("the format tag")
            }
            fn visit_str<E: serde::de::Error>(self, tag: &str) -> Result<ExperienceFormat, E> {
                check_format(tag)
                    .map(|()| ExperienceFormat)
                    .map_err(|e| E::custom(e.to_string()))
            }
        }
        deserializer.deserialize_str(Tag)
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
    format: Option<Tag>,
}

/// The `format` value as the probe sees it: text, or what else it is.
enum Tag {
    Text(String),
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess};
        struct Any;
        impl<'de> serde::de::Visitor<'de> for Any {
            type Value = Tag;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E>(self, s: &str) -> Result<Tag, E> {
                Ok(Tag::Text(s.to_string()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Tag, E> {
                Ok(Tag::Other("a boolean"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Tag, E> {
                Ok(Tag::Other("a number"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Tag, E> {
                Ok(Tag::Other("a number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Tag, E> {
                Ok(Tag::Other("a number"))
            }
            fn visit_unit<E>(self) -> Result<Tag, E> {
                Ok(Tag::Other("null"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tag, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Tag::Other("an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tag, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Tag::Other("an object"))
            }
        }
        deserializer.deserialize_any(Any)
    }
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

/// The path (`mots[3].smoto.target_rate`) of the value being read where
/// serde_json stopped with `err`.
///
/// The path is recovered from the text rather than tracked while reading:
/// a tracking deserializer (serde_path_to_error) doubles the reading code
/// of every type of the format, a large part of the WebAssembly module. The
/// text up to the error position is walked once, keeping the key of each
/// open object and the index of each open array. An error right after a key
/// (an unknown field), after a value (a wrong type or value, or a `missing
/// field` of an object just closed) or just before one (a value of the
/// wrong kind) names that value; a `duplicate field` names its object.
/// `tests::paths_agree_with_a_tracking_reader` holds this to
/// serde_path_to_error's paths over every field of the sample.
fn error_path(json: &str, err: &serde_json::Error) -> String {
    if err.line() == 0 {
        return String::new();
    }
    // serde_json counts lines from 1 and columns as bytes into the line.
    let line_start = if err.line() == 1 {
        0
    } else {
        json.match_indices('\n')
            .nth(err.line() - 2)
            .map_or(json.len(), |(i, _)| i + 1)
    };
    let end = (line_start + err.column()).min(json.len());
    let of_object = err.to_string().starts_with("duplicate field");
    path_at(json.as_bytes(), end, of_object)
}

/// One open container while walking JSON text.
enum Open {
    /// An object, with its current key once that key has been read.
    Object(Option<String>),
    /// An array, with the index of its current element once one has begun.
    Array(usize, bool),
}

/// The path of the innermost value open at byte `end` of `json`; with
/// `of_object`, the path of the innermost object, not of its current field.
fn path_at(json: &[u8], end: usize, of_object: bool) -> String {
    let text = &json[..end];
    let mut open: Vec<Open> = Vec::new();
    let begin_value = |open: &mut Vec<Open>| {
        if let Some(Open::Array(_, begun)) = open.last_mut() {
            *begun = true;
        }
    };
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'{' => {
                begin_value(&mut open);
                open.push(Open::Object(None));
            }
            b'[' => {
                begin_value(&mut open);
                open.push(Open::Array(0, false));
            }
            b'}' | b']' => {
                open.pop();
            }
            b',' => match open.last_mut() {
                Some(Open::Object(key)) => *key = None,
                Some(Open::Array(index, begun)) => {
                    *index += 1;
                    *begun = false;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < text.len() && text[j] != b'"' {
                    j += if text[j] == b'\\' { 2 } else { 1 };
                }
                match open.last_mut() {
                    Some(Open::Object(key @ None)) => {
                        // A key counts once it is whole.
                        if j < text.len() {
                            let raw = std::str::from_utf8(&text[start..j]).unwrap_or_default();
                            *key = Some(unescape(raw));
                        }
                    }
                    _ => begin_value(&mut open),
                }
                i = j;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b':' => {}
            _ => begin_value(&mut open),
        }
        i += 1;
    }
    // Stopped just before a value: that element has begun.
    if let Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') = json.get(end) {
        begin_value(&mut open);
    }
    if of_object {
        if let Some(Open::Object(key)) = open.last_mut() {
            *key = None;
        }
    }
    let mut path = String::new();
    for o in &open {
        match o {
            Open::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Open::Array(index, true) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            _ => {}
        }
    }
    path
}

/// A JSON string's text without its escapes.
fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_string())
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
        let probe: Probe =
            serde_json::from_str(json).map_err(|e| json_error(error_path(json, &e), &e))?;
        match probe.format {
            None => {
                return Err(Error::format(format!(
                    "missing `format` tag: an experience document starts with `\"format\": \"{FORMAT}\"`"
                )));
            }
            Some(Tag::Text(tag)) => check_format(&tag)?,
            Some(Tag::Other(found)) => {
                return Err(Error::format(format!(
                    "`format` must be the string `{FORMAT}`, found {found}"
                )));
            }
        }
        serde_json::from_str(json).map_err(|e| json_error(error_path(json, &e), &e))
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
        assert_eq!(
            err.to_string(),
            "`format` must be the string `mot.experience/1`, found a number"
        );
        let err = ExperienceSpec::from_json(r#"{"format": {"a": [1]}, "id": 2}"#).unwrap_err();
        assert!(err.to_string().ends_with("found an object"), "{err}");
        let err = ExperienceSpec::from_json(r#"{"format": "mot.experience/0"}"#).unwrap_err();
        assert!(err.to_string().starts_with("unknown format"));
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let err = ExperienceSpec::from_json("{\n  \"format\": ").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Json);
        assert_eq!(err.line_column().map(|l| l.0), Some(2));
        assert_eq!(err.path(), Some("format"));
        assert!(
            err.to_string()
                .starts_with("invalid experience JSON at `format`: EOF")
        );
        let err = ExperienceSpec::from_json("").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Json);
        assert_eq!(err.path(), Some(""));
        assert!(err.to_string().starts_with("invalid experience JSON: "));
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

    /// Every field and element of the sample, broken in several ways: the
    /// path recovered from the text equals the path a tracking reader
    /// (serde_path_to_error) reports.
    #[test]
    fn paths_agree_with_a_tracking_reader() {
        use serde_json::{Value, json};
        fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => m.iter().for_each(|(k, x)| {
                    let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                    out.push(p.clone());
                    pointers(x, p, out);
                }),
                Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
                    let p = format!("{at}/{i}");
                    out.push(p.clone());
                    pointers(x, p, out);
                }),
                _ => {}
            }
        }
        fn check(text: &str, checked: &mut usize) {
            let de = &mut serde_json::Deserializer::from_str(text);
            let tracked: Result<ExperienceSpec, _> = serde_path_to_error::deserialize(de);
            let ours = ExperienceSpec::from_json(text);
            match (tracked, ours) {
                (Ok(_), Ok(_)) => {}
                (Err(t), Err(o)) => {
                    let want = t.path().to_string();
                    let want = if want == "." { String::new() } else { want };
                    assert_eq!(o.kind(), ErrorKind::Json, "{o}");
                    assert_eq!(o.path(), Some(want.as_str()), "{t}");
                    *checked += 1;
                }
                (t, o) => panic!("{:?} vs {:?}", t.err(), o.err()),
            }
        }
        let base: Value = serde_json::from_str(crate::sample::AIRLINE_JSON).unwrap();
        let mut all = Vec::new();
        pointers(&base, String::new(), &mut all);
        let breaks = [
            json!(true),
            json!("x"),
            json!(-1.5),
            json!({}),
            json!([]),
            json!(null),
        ];
        let mut checked = 0;
        for (n, p) in all.iter().filter(|p| *p != "/format").enumerate() {
            let (parent, last) = p.rsplit_once('/').unwrap();
            // Two wrong values per place, in turn, through every kind.
            for b in [&breaks[n % breaks.len()], &breaks[(n + 3) % breaks.len()]] {
                let mut v = base.clone();
                *v.pointer_mut(p).unwrap() = b.clone();
                let text = if n % 2 == 0 {
                    v.to_string()
                } else {
                    serde_json::to_string_pretty(&v).unwrap()
                };
                check(&text, &mut checked);
            }
            let mut v = base.clone();
            match v.pointer_mut(parent).unwrap() {
                Value::Object(m) => {
                    // A missing field, and an unknown one.
                    m.remove(last);
                    check(&serde_json::to_string_pretty(&v).unwrap(), &mut checked);
                    let mut v = base.clone();
                    if let Value::Object(m) = v.pointer_mut(parent).unwrap() {
                        m.insert("zz-unknown".into(), json!(1));
                    }
                    check(&v.to_string(), &mut checked);
                }
                Value::Array(a) => {
                    a.push(json!({"ét\"\\é": [1, {"x": "]"}]}));
                    check(&serde_json::to_string_pretty(&v).unwrap(), &mut checked);
                }
                _ => unreachable!(),
            }
        }
        assert!(checked > 2000, "{checked}");

        // A duplicate field is an error of its object.
        let text = crate::sample::AIRLINE_JSON.replacen(
            "\"name\": \"Search and book\"",
            "\"name\": \"a\", \"name\": \"b\"",
            1,
        );
        check(&text, &mut checked);
        let err = ExperienceSpec::from_json(&text).unwrap_err();
        assert_eq!(err.path(), Some("mots[0]"));
        // Escaped keys are named unescaped.
        let text = crate::sample::AIRLINE_JSON.replacen("\"segment\"", "\"seg\\u006dent\\\"\"", 1);
        let err = ExperienceSpec::from_json(&text).unwrap_err();
        assert_eq!(err.path(), Some("segment\""));
        // Syntax errors name the value being read.
        let cut =
            &crate::sample::AIRLINE_JSON[..crate::sample::AIRLINE_JSON.find("Bag drop").unwrap()];
        let err = ExperienceSpec::from_json(cut).unwrap_err();
        assert_eq!(err.path(), Some("mots[5].name"));
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
