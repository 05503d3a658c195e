//! # mot-wasm: Moments of Truth management in the browser and in Node
//!
//! The WebAssembly binding of [`mot_core`]: the same numbers as Rust and
//! Python, as an npm package (`mot-wasm/pkg`, built by
//! `bash mot-wasm/build.sh`). Every rule lives in the core; this crate only
//! converts JavaScript values, maps errors and forwards.
//!
//! ```js
//! import init, { Experience, dashboard, dashboardFromCsv, Tracker } from "mot-wasm";
//! const x = Experience.fromJson(text);
//! const d = dashboard(rows, outcomeRows, x, { period: "week" }); // mot.dashboard/1
//! ```
//!
//! - [`Experience`]: load and validate `mot.experience/1`, landscape queries,
//!   version diff, pictures.
//! - [`dashboard()`] (rows or columns) and [`dashboard_from_csv`] (CSV text):
//!   the `mot.dashboard/1` contract as a plain object, typed by the
//!   TypeScript declarations tsify derives from the core's serde types.
//! - [`Tracker`]: streaming, merging, `toBytes` / `fromBytes`; `compare`
//!   (before/after, `mot.comparison/1`) and `ideas` (`mot.ideas/1`), with
//!   [`comparison::fitting_period`].
//! - Errors are JS `Error`s named `MotError` with a `kind` (see `errors`).

#![cfg_attr(mot_speed, feature(optimize_attribute))]

pub mod comparison;
mod dashboard;
mod errors;
mod experience;
mod tables;
mod tracker;

pub use dashboard::{
    DashboardCsvSettings, DashboardSettings, dashboard, dashboard_from_csv, dashboard_from_xes,
    rejected_summary,
};
pub use experience::Experience;
pub use tracker::Tracker;

use wasm_bindgen::prelude::*;

/// Installs the panic hook in debug builds (panic messages on the console,
/// for diagnostics; no input is meant to reach a panic). The release
/// module is built with `panic=immediate-abort`: it has no messages to show.
#[wasm_bindgen(start)]
fn start() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
}

/// The format tag of dashboards: `"mot.dashboard/1"`.
#[wasm_bindgen(js_name = dashboardFormat)]
pub fn dashboard_format() -> String {
    mot_core::dashboard::DASHBOARD_FORMAT.to_string()
}

/// The bundled airline experience, as `mot.experience/1` JSON text.
#[wasm_bindgen(js_name = sampleExperience)]
pub fn sample_experience() -> String {
    mot_core::sample::AIRLINE_JSON.to_string()
}

/// A generated log of the airline sample: `{events, outcomes}` as CSV text
/// (deterministic for a seed; the simulation has a bag-drop incident in its
/// last days, so the dashboard shows alerts).
#[wasm_bindgen(js_name = sampleLog, unchecked_return_type = "{ events: string; outcomes: string }")]
pub fn sample_log(journeys: Option<usize>, seed: Option<f64>) -> JsValue {
    let x = mot_core::sample::airline();
    let (events, outcomes) = mot_core::simulate::airline_scenario(
        &x,
        journeys.unwrap_or(mot_core::simulate::SAMPLE_JOURNEYS),
        seed.map_or(mot_core::simulate::SAMPLE_SEED, |s| s as u64),
    )
    .generate()
    .to_csv();
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"events".into(), &events.into());
    let _ = js_sys::Reflect::set(&o, &"outcomes".into(), &outcomes.into());
    o.into()
}
