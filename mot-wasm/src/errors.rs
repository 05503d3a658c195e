//! Core errors as JavaScript `Error` objects: `name` is `"MotError"`, `kind`
//! is the core's [`ErrorKind`](mot_core::ErrorKind) name (`json`, `format`,
//! `invalid`, `columns`, `bad-row`, `config`, `state`, `merge`, …), and,
//! where the core says so, `path`, `problems`, `row` and `reason`.

use js_sys::{Error, JSON, Reflect};
use wasm_bindgen::JsValue;

/// What every exported function returns on failure.
pub(crate) type JsResult<T> = Result<T, JsValue>;

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a fresh `Error` cannot fail (not frozen, not a proxy).
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// A `MotError` of `kind` with `message`.
pub(crate) fn error(kind: &str, message: &str) -> JsValue {
    let e = Error::new(message);
    e.set_name("MotError");
    let e = JsValue::from(e);
    set(&e, "kind", &JsValue::from_str(kind));
    e
}

/// The `MotError` for a core error, with its details.
pub(crate) fn to_js(e: mot_core::Error) -> JsValue {
    let js = error(e.kind().as_str(), &e.to_string());
    if let Some(path) = e.path() {
        set(&js, "path", &JsValue::from_str(path));
    }
    if !e.problems().is_empty() {
        if let Ok(problems) = to_object(e.problems()) {
            set(&js, "problems", &problems);
        }
    }
    if let Some(row) = e.row() {
        set(&js, "row", &JsValue::from_f64(row as f64));
    }
    if let Some(reason) = e.reject_reason() {
        set(&js, "reason", &JsValue::from_str(reason.as_str()));
    }
    js
}

/// A `config` error (bad options given to the binding).
pub(crate) fn config(message: impl AsRef<str>) -> JsValue {
    error("config", message.as_ref())
}

/// A `columns` error (input arrays or rows of the wrong shape).
pub(crate) fn columns(message: impl AsRef<str>) -> JsValue {
    error("columns", message.as_ref())
}

/// Serialises a core result with serde_json and parses it in JS: the one
/// way results cross into JavaScript, so they are exactly the `mot.*` JSON
/// contracts (plain objects, `null` for absent values, numbers as numbers).
pub(crate) fn to_object<T: serde::Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    let text = serde_json::to_string(value).map_err(|e| error("json", &e.to_string()))?;
    JSON::parse(&text)
}
