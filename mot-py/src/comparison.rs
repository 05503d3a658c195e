//! `mot.Comparison` and `mot.IdeaReport`: before/after comparisons and the
//! ideas report, as the core computes them (`Tracker.compare`,
//! `Tracker.ideas`).

use pyo3::prelude::*;
use pyo3::types::{PyDate, PyDateTime, PyString, PyTuple};

use crate::errors::{py_error, to_py, to_python};
use mot_core::comparison::IdeaReport;
use mot_core::{Comparison, Window};

/// A before/after comparison: the ``mot.comparison/1`` contract.
///
/// Per MOT its SMOTO rate, and the SCO and conformance rates, in two
/// windows, the difference ``after − before`` with its Newcombe 95%
/// interval (``ci_low``, ``ci_high``: read once, when the after window has
/// ended) and its always-valid interval (``always_valid_low``,
/// ``always_valid_high``: valid however often it is looked at). Made by
/// :meth:`Tracker.compare`.
#[pyclass(name = "Comparison", module = "mot", frozen)]
pub(crate) struct PyComparison {
    pub(crate) inner: Comparison,
}

#[pymethods]
impl PyComparison {
    /// The comparison as plain Python data: exactly the
    /// ``mot.comparison/1`` JSON.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner)
    }

    /// The comparison as ``mot.comparison/1`` JSON text.
    #[pyo3(signature = (pretty = false))]
    fn to_json(&self, pretty: bool) -> String {
        if pretty {
            self.inner.to_json_pretty()
        } else {
            self.inner.to_json()
        }
    }

    /// The comparison as text for an 80-column terminal.
    fn to_table(&self) -> String {
        self.inner.to_table()
    }

    /// The comparison as one self-contained HTML page (a chart of every
    /// change with both intervals, and the counts).
    fn to_html(&self) -> String {
        self.inner.to_html()
    }

    fn __str__(&self) -> String {
        self.inner.to_table()
    }

    fn __repr__(&self) -> String {
        format!(
            "<mot.Comparison {} vs {}: SCO {}>",
            self.inner.before,
            self.inner.after,
            self.inner
                .sco
                .difference
                .map_or("not measurable".to_string(), |d| format!(
                    "{:+.1} pts",
                    d * 100.0
                ))
        )
    }
}

/// Which implemented ideas earned their keep, and ideas' cycle times: the
/// ``mot.ideas/1`` contract. Made by :meth:`Tracker.ideas`.
#[pyclass(name = "IdeaReport", module = "mot", frozen)]
pub(crate) struct PyIdeaReport {
    pub(crate) inner: IdeaReport,
}

#[pymethods]
impl PyIdeaReport {
    /// The report as plain Python data: exactly the ``mot.ideas/1`` JSON.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner)
    }

    /// The report as ``mot.ideas/1`` JSON text.
    fn to_json(&self) -> String {
        self.inner.to_json_pretty()
    }

    /// The report as text for an 80-column terminal.
    fn to_table(&self) -> String {
        self.inner.to_table()
    }

    fn __str__(&self) -> String {
        self.inner.to_table()
    }

    fn __repr__(&self) -> String {
        format!(
            "<mot.IdeaReport {} implemented ideas>",
            self.inner.ideas.len()
        )
    }
}

/// One end of a window: seconds since the epoch.
fn instant(v: &Bound<'_, PyAny>) -> PyResult<i64> {
    if let Ok(dt) = v.cast::<PyDateTime>() {
        // Aware datetimes as they are; naive ones are UTC.
        let aware = !dt.getattr("tzinfo")?.is_none();
        let dt = if aware {
            dt.clone().into_any()
        } else {
            let utc = v
                .py()
                .import("datetime")?
                .getattr("timezone")?
                .getattr("utc")?;
            dt.call_method(
                "replace",
                (),
                Some(&[("tzinfo", utc)].into_py_dict(v.py())?),
            )?
        };
        let ts: f64 = dt.call_method0("timestamp")?.extract()?;
        if ts.fract() != 0.0 {
            return Err(py_error(
                "config",
                format!("`{v}` has a fraction of a second: windows are in whole seconds"),
            ));
        }
        return Ok(ts as i64);
    }
    if v.cast::<PyDate>().is_ok() {
        let text: String = v.call_method0("isoformat")?.extract()?;
        return text
            .parse::<mot_core::Moment>()
            .map(|m| m.seconds())
            .map_err(to_py);
    }
    if let Ok(s) = v.cast::<PyString>() {
        return s
            .to_str()?
            .parse::<mot_core::Moment>()
            .map(|m| m.seconds())
            .map_err(to_py);
    }
    if let Ok(n) = v.extract::<i64>() {
        return Ok(n);
    }
    Err(py_error(
        "config",
        format!(
            "`{v}` is not a time: give a `datetime`, a `date`, an RFC 3339 or date string, or seconds since the epoch"
        ),
    ))
}

use pyo3::types::IntoPyDict;

/// A window from `(start, end)` or `"FROM..TO"`.
pub(crate) fn window(v: &Bound<'_, PyAny>, what: &str) -> PyResult<Window> {
    if let Ok(s) = v.cast::<PyString>() {
        return s.to_str()?.parse::<Window>().map_err(to_py);
    }
    if let Ok(t) = v.cast::<PyTuple>()
        && t.len() == 2
    {
        return Window::new(instant(&t.get_item(0)?)?, instant(&t.get_item(1)?)?).map_err(to_py);
    }
    if let Ok(items) = v.extract::<Vec<Bound<'_, PyAny>>>()
        && items.len() == 2
    {
        return Window::new(instant(&items[0])?, instant(&items[1])?).map_err(to_py);
    }
    Err(py_error(
        "config",
        format!("`{what}` must be a `(start, end)` pair or a `\"FROM..TO\"` string, not `{v}`"),
    ))
}

/// The trend period a :class:`Tracker` needs for these windows to be whole
/// periods: ``"day"`` when every end falls on midnight UTC, else the
/// largest width in seconds that divides every end's time of day.
///
/// Args:
///     windows: windows as :meth:`Tracker.compare` takes them.
///
/// Example:
///     >>> import mot
///     >>> mot.fitting_period("2026-01-01..2026-02-01")
///     'day'
///     >>> mot.fitting_period(("2026-01-01T06:00:00Z", "2026-01-02"))
///     '21600s'
#[pyfunction]
#[pyo3(signature = (*windows))]
pub(crate) fn fitting_period(windows: &Bound<'_, PyTuple>) -> PyResult<String> {
    let ws = windows
        .iter()
        .map(|w| window(&w, "windows"))
        .collect::<PyResult<Vec<Window>>>()?;
    Ok(Window::fitting_period(&ws).name())
}

/// Versions of an experience in the order they took effect
/// (``effective_from``; undated ones last), each with its landscape's cost
/// and the share of it that serves no MOT.
///
/// Args:
///     experiences: the versions, in any order.
///
/// Returns:
///     list[dict]: ``id``, ``version``, ``effective_from``, ``mots``,
///     ``landscape_total``, ``unexplained``, ``unexplained_share``.
///
/// Example:
///     >>> import mot
///     >>> t = mot.timeline([mot.sample_experience_next(), mot.sample_experience()])
///     >>> [v["version"] for v in t], t[0]["effective_from"]
///     (['2026.1', '2026.2'], '2026-08-01')
#[pyfunction]
pub(crate) fn timeline<'py>(
    py: Python<'py>,
    experiences: Vec<PyRef<'py, crate::experience::PyExperience>>,
) -> PyResult<Bound<'py, PyAny>> {
    let refs: Vec<&mot_core::Experience> = experiences.iter().map(|x| &x.inner).collect();
    to_python(py, &mot_core::timeline(&refs))
}
