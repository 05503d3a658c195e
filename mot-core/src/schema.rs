//! The JSON Schema of `mot.experience/1`, generated from the types.
//!
//! The published copy is `mot-core/schema/mot.experience-1.schema.json`; a
//! test fails when it is out of date (regenerate with
//! `MOT_UPDATE_SCHEMA=1 cargo test -p mot-core schema`).
//!
//! ```
//! let schema = mot_core::schema::experience_schema_json();
//! assert!(schema.contains("\"mot.experience/1\""));
//! ```

use crate::ExperienceSpec;

/// The JSON Schema of an experience document, as a `serde_json` value.
pub fn experience_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(ExperienceSpec);
    schema.to_value()
}

/// The JSON Schema of an experience document, pretty-printed, ending with a
/// newline: exactly the published file.
pub fn experience_schema_json() -> String {
    let mut s = serde_json::to_string_pretty(&experience_schema()).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/mot.experience-1.schema.json"
    );

    #[test]
    fn schema_is_up_to_date() {
        let fresh = experience_schema_json();
        if std::env::var_os("MOT_UPDATE_SCHEMA").is_some() {
            std::fs::write(PUBLISHED, &fresh).unwrap();
        }
        let published = std::fs::read_to_string(PUBLISHED).unwrap_or_default();
        assert!(
            published == fresh,
            "{PUBLISHED} is out of date: run `MOT_UPDATE_SCHEMA=1 cargo test -p mot-core schema` and commit it"
        );
    }
}
