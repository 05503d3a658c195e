//! JSON Schemas of `mot.experience/1`, `mot.dashboard/1`,
//! `mot.comparison/1` and `mot.ideas/1`, generated from the types.
//!
//! The published copies are `mot-core/schema/<format>-1.schema.json`
//! (`mot.experience-1.schema.json`, ...); a test fails when one is out of
//! date (regenerate with
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

/// The JSON Schema of a dashboard (`mot.dashboard/1`), pretty-printed,
/// ending with a newline: exactly the published file.
pub fn dashboard_schema_json() -> String {
    let schema = schemars::schema_for!(crate::Dashboard);
    let mut s = serde_json::to_string_pretty(&schema.to_value()).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of a before/after comparison (`mot.comparison/1`),
/// pretty-printed, ending with a newline: exactly the published file.
pub fn comparison_schema_json() -> String {
    pretty(schemars::schema_for!(crate::Comparison).to_value())
}

/// The JSON Schema of an ideas report (`mot.ideas/1`), pretty-printed,
/// ending with a newline: exactly the published file.
pub fn ideas_schema_json() -> String {
    pretty(schemars::schema_for!(crate::comparison::IdeaReport).to_value())
}

fn pretty(v: serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(file: &str, fresh: &str) {
        let path = format!("{}/schema/{file}", env!("CARGO_MANIFEST_DIR"));
        if std::env::var_os("MOT_UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, fresh).unwrap();
        }
        let published = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            published == fresh,
            "{path} is out of date: run `MOT_UPDATE_SCHEMA=1 cargo test -p mot-core schema` and commit it"
        );
    }

    #[test]
    fn schema_is_up_to_date() {
        check("mot.experience-1.schema.json", &experience_schema_json());
    }

    #[test]
    fn dashboard_schema_is_up_to_date() {
        check("mot.dashboard-1.schema.json", &dashboard_schema_json());
    }

    #[test]
    fn comparison_schemas_are_up_to_date() {
        check("mot.comparison-1.schema.json", &comparison_schema_json());
        check("mot.ideas-1.schema.json", &ideas_schema_json());
    }
}
