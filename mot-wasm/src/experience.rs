//! `Experience`: load, validate, query and draw an experience framework.

use mot_core::landscape::{CostRollup, FailureImpact, Trace};
use tsify::Ts;
use wasm_bindgen::prelude::*;

use crate::errors::{JsResult, error, to_js, to_object};

/// One experience for one customer segment (`mot.experience/1`), validated.
///
/// ```js
/// const x = Experience.fromJson(text);   // throws a MotError of kind "json", "format" or "invalid"
/// x.name; x.motIds(); x.unexplainedWork(); x.trace("sys-dcs");
/// ```
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct Experience {
    pub(crate) inner: mot_core::Experience,
}

#[wasm_bindgen]
impl Experience {
    /// Reads and validates a `mot.experience/1` JSON document.
    ///
    /// Throws a `MotError` of kind `json` (with `path`), `format` (a wrong or
    /// newer format tag) or `invalid` (with every `problems` entry: `path`,
    /// `kind`, `message`).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> JsResult<Experience> {
        mot_core::Experience::from_json(text)
            .map(|inner| Experience { inner })
            .map_err(to_js)
    }

    /// The document as JSON text (`pretty` for indented).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self, pretty: Option<bool>) -> String {
        if pretty.unwrap_or(false) {
            self.inner.to_json_pretty()
        } else {
            self.inner.to_json()
        }
    }

    /// The experience id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.spec().id.clone()
    }

    /// The experience name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.spec().name.clone()
    }

    /// The version label, if any.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> Option<String> {
        self.inner.spec().version.clone()
    }

    /// The MOT ids, in document order.
    #[wasm_bindgen(js_name = motIds)]
    pub fn mot_ids(&self) -> Vec<String> {
        self.inner.mots().iter().map(|m| m.id.to_string()).collect()
    }

    /// The designed journey: MOT ids in order, nested MOTs expanded.
    #[wasm_bindgen(js_name = designedJourney)]
    pub fn designed_journey(&self) -> Vec<String> {
        self.inner
            .designed_journey()
            .iter()
            .map(|m| m.id.to_string())
            .collect()
    }

    /// The roles of a person: `experience-manager`, `mot-manager`,
    /// `experience-producer`.
    #[wasm_bindgen(js_name = rolesOf)]
    pub fn roles_of(&self, person: &str) -> Vec<String> {
        self.inner
            .roles_of(person)
            .iter()
            .filter_map(|r| serde_json::to_value(r).ok()?.as_str().map(String::from))
            .collect()
    }

    /// Traces a work item up to the MOTs and the SCO it serves. Throws
    /// `not-found` for an unknown work id.
    pub fn trace(&self, work: &str) -> JsResult<Ts<Trace>> {
        let t = self.inner.trace(work).map_err(to_js)?;
        Ok(Ts::new_unchecked(to_object(&t)?))
    }

    /// The ids of the work in the landscape that serves no MOT, directly or
    /// through other work: candidates for removal.
    #[wasm_bindgen(js_name = unexplainedWork)]
    pub fn unexplained_work(&self) -> Vec<String> {
        self.inner
            .unexplained_work()
            .iter()
            .map(|w| w.id.to_string())
            .collect()
    }

    /// Work costs rolled up to MOTs and to the experience (compensated sums).
    #[wasm_bindgen(js_name = costRollup)]
    pub fn cost_rollup(&self) -> JsResult<Ts<CostRollup>> {
        Ok(Ts::new_unchecked(to_object(&self.inner.cost_rollup())?))
    }

    /// What fails when a work item fails: impaired work, MOTs hit, MOTs at
    /// risk, and whether the SCO is at risk. Throws `not-found`.
    #[wasm_bindgen(js_name = failureImpact)]
    pub fn failure_impact(&self, work: &str) -> JsResult<Ts<FailureImpact>> {
        let f = self.inner.failure_impact(work).map_err(to_js)?;
        Ok(Ts::new_unchecked(to_object(&f)?))
    }

    /// What changed from this version to `next`.
    pub fn diff(&self, next: &Experience) -> JsResult<Ts<mot_core::Diff>> {
        let d = mot_core::diff(self.inner.spec(), next.inner.spec());
        Ok(Ts::new_unchecked(to_object(&d)?))
    }

    /// The experience as a Mermaid flowchart.
    pub fn mermaid(&self) -> String {
        self.inner.mermaid()
    }

    /// The experience as a Graphviz DOT graph.
    pub fn dot(&self) -> String {
        self.inner.dot()
    }

    /// One MOT's design as a Mermaid flowchart. Throws `not-found`.
    #[wasm_bindgen(js_name = designMermaid)]
    pub fn design_mermaid(&self, mot: &str) -> JsResult<String> {
        self.inner.design_mermaid(mot).map_err(to_js)
    }

    /// The bundled airline sample.
    pub fn sample() -> Experience {
        Experience {
            inner: mot_core::sample::airline(),
        }
    }
}

/// An optional experience argument: an [`Experience`], its JSON text, or
/// `undefined` / `null` (discovery mode). An `Experience` object is read
/// through its JSON (it stays usable by the caller; wasm-bindgen cannot
/// borrow an optional class argument).
pub(crate) fn optional_experience(v: &JsValue) -> JsResult<Option<mot_core::Experience>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(text) = v.as_string() {
        return mot_core::Experience::from_json(&text)
            .map(Some)
            .map_err(to_js);
    }
    let to_json = js_sys::Reflect::get(v, &JsValue::from_str("toJson"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| {
            error(
                "config",
                "the experience must be an Experience, its JSON text, or undefined",
            )
        })?;
    let text = to_json
        .call0(v)?
        .as_string()
        .ok_or_else(|| error("config", "the experience's toJson() did not return text"))?;
    mot_core::Experience::from_json(&text)
        .map(Some)
        .map_err(to_js)
}
