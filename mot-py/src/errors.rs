//! Core errors as Python exceptions: every [`ErrorKind`](mot_core::ErrorKind)
//! becomes its class in `mot.errors`, with `kind`, `path`, `problems`, `row`
//! and `reason` set from the core error.

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The Python exception for a core error.
pub(crate) fn to_py(e: mot_core::Error) -> PyErr {
    Python::attach(|py| build(py, &e).unwrap_or_else(|failure| failure))
}

fn build(py: Python<'_>, e: &mot_core::Error) -> PyResult<PyErr> {
    let details = PyDict::new(py);
    if let Some(path) = e.path() {
        details.set_item("path", path)?;
    }
    if !e.problems().is_empty() {
        let json = serde_json::to_string(e.problems()).unwrap_or_default();
        details.set_item("problems", json_to_py(py, &json)?)?;
    }
    if let Some(row) = e.row() {
        details.set_item("row", row)?;
    }
    if let Some(reason) = e.reject_reason() {
        details.set_item("reason", reason.as_str())?;
    }
    let make = py.import("mot.errors")?.getattr("_make")?;
    let exc = make.call1((e.kind().as_str(), e.to_string(), details))?;
    Ok(PyErr::from_value(exc))
}

/// A `mot.errors` exception of `kind` raised by the binding itself (a table
/// that cannot be read, bad options), built like the core's.
pub(crate) fn py_error(kind: &str, message: String) -> PyErr {
    Python::attach(|py| {
        let made = py
            .import("mot.errors")
            .and_then(|m| m.getattr("_make"))
            .and_then(|f| f.call1((kind, message, PyDict::new(py))));
        match made {
            Ok(exc) => PyErr::from_value(exc),
            Err(e) => e,
        }
    })
}

/// Tells the user that rows were rejected, where a notebook user looks: a
/// `mot.errors.MotWarning` with the core's one-line summary (nothing when
/// no row was rejected).
pub(crate) fn warn_rejected(py: Python<'_>, rejected: &mot_core::Rejected) -> PyResult<()> {
    let Some(summary) = rejected.summary() else {
        return Ok(());
    };
    let category = py.import("mot.errors")?.getattr("MotWarning")?;
    let message = std::ffi::CString::new(format!(
        "{summary} (counted in the dashboard's `rejected`; `bad_rows=\"fail\"` raises at the first)"
    ))
    .unwrap_or_default();
    PyErr::warn(py, &category, &message, 2)
}

/// Parses JSON text into Python objects (`json.loads`): the one way results
/// cross into Python, so they are exactly the `mot.*` JSON contracts.
pub(crate) fn json_to_py<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.getattr("loads")?.call1((json,))
}

/// Serialises a core result and hands it to Python as plain objects.
pub(crate) fn to_python<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    json_to_py(py, &json)
}
