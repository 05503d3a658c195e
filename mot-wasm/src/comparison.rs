//! Before/after comparisons (`mot.comparison/1`) and the ideas report
//! (`mot.ideas/1`): `Tracker.compare`, `Tracker.ideas`. The core computes;
//! this module turns JS times into windows. (The table and HTML renderings
//! stay in Rust, Python and the CLI: they would cost the module 18 KB.)

use mot_core::comparison::IdeaReport;
use mot_core::{Comparison, Moment, Window};
use tsify::Ts;
use wasm_bindgen::prelude::*;

use crate::errors::{JsResult, config, to_js};

/// One end of a window: a `Date`, a date or RFC 3339 string, or seconds
/// since the epoch.
fn instant(v: &JsValue) -> JsResult<i64> {
    if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        let ms = d.get_time();
        if !ms.is_finite() || ms % 1000.0 != 0.0 {
            return Err(config(
                "a window end must be a valid `Date` in whole seconds",
            ));
        }
        return Ok((ms / 1000.0) as i64);
    }
    if let Some(s) = v.as_string() {
        return s.parse::<Moment>().map(Moment::seconds).map_err(to_js);
    }
    match v.as_f64() {
        Some(x) if x.fract() == 0.0 && x.abs() < 9.007_199_254_740_992e15 => Ok(x as i64),
        _ => Err(config(
            "a window end is a `Date`, a date or RFC 3339 string, or whole seconds since the epoch",
        )),
    }
}

/// A window from `"FROM..TO"` or `[start, end]`.
pub(crate) fn window(v: &JsValue, what: &str) -> JsResult<Window> {
    if let Some(s) = v.as_string() {
        return s.parse::<Window>().map_err(to_js);
    }
    if let Some(a) = v.dyn_ref::<js_sys::Array>()
        && a.length() == 2
    {
        return Window::new(instant(&a.get(0))?, instant(&a.get(1))?).map_err(to_js);
    }
    Err(config(format!(
        "`{what}` must be a `[start, end]` pair or a `\"FROM..TO\"` string"
    )))
}

/// Builds the comparison of `tracker` between two windows.
pub(crate) fn compare(
    tracker: &mot_core::Tracker,
    experience: Option<&mot_core::Experience>,
    before: &JsValue,
    after: &JsValue,
    options: Option<Ts<mot_core::CompareOptions>>,
) -> JsResult<Comparison> {
    let options = match options {
        Some(o) => o
            .to_rust()
            .map_err(|e| config(format!("invalid options: {e}")))?,
        None => mot_core::CompareOptions::default(),
    };
    let (before, after) = (window(before, "before")?, window(after, "after")?);
    Comparison::build(tracker, experience, before, after, &options).map_err(to_js)
}

/// Builds the ideas report of `tracker`.
pub(crate) fn ideas(
    tracker: &mot_core::Tracker,
    experience: &mot_core::Experience,
    options: Option<Ts<mot_core::comparison::IdeasOptions>>,
) -> JsResult<IdeaReport> {
    let options = match options {
        Some(o) => o
            .to_rust()
            .map_err(|e| config(format!("invalid options: {e}")))?,
        None => mot_core::comparison::IdeasOptions::default(),
    };
    IdeaReport::build(tracker, experience, &options).map_err(to_js)
}

/// The trend period a `Tracker` needs for these windows to be whole
/// periods: `"day"` when every end falls on midnight UTC, else the largest
/// width in seconds that divides every end's time of day (`"21600s"`).
#[wasm_bindgen(js_name = fittingPeriod)]
pub fn fitting_period(
    #[wasm_bindgen(
        unchecked_param_type = "(string | [Date | string | number, Date | string | number])[]"
    )]
    windows: Vec<JsValue>,
) -> JsResult<String> {
    let ws = windows
        .iter()
        .map(|w| window(w, "windows"))
        .collect::<JsResult<Vec<Window>>>()?;
    Ok(Window::fitting_period(&ws).name())
}

/// Versions of an experience in the order they took effect
/// (`effective_from`; undated ones last), each with its landscape's cost and
/// the share of it that serves no MOT (`unexplained_share`). Each version is
/// an `Experience` or its JSON text.
#[wasm_bindgen(unchecked_return_type = "VersionCost[]")]
pub fn timeline(
    #[wasm_bindgen(unchecked_param_type = "(Experience | string)[]")] experiences: Vec<JsValue>,
) -> JsResult<JsValue> {
    let mut xs = Vec::with_capacity(experiences.len());
    for v in &experiences {
        xs.push(
            crate::experience::optional_experience(v)?
                .ok_or_else(|| config("each version must be an Experience or its JSON text"))?,
        );
    }
    let refs: Vec<&mot_core::Experience> = xs.iter().collect();
    crate::errors::to_object(&mot_core::timeline(&refs))
}
