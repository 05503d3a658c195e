//! `mot.dashboard()` and `mot.Dashboard`: the `mot.dashboard/1` contract.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

use crate::errors::{to_py, to_python};
use crate::experience::PyExperience;
use crate::tracker::ingest;
use mot_core::events::ColumnNames;
use mot_core::{Dashboard, DashboardOptions, Settings, Tracker};

/// A dashboard: every metric of the method for one log, as the
/// ``mot.dashboard/1`` JSON contract.
///
/// :meth:`to_dict` is exactly that contract; :meth:`table` gives the
/// per-MOT, per-type, per-owner, trend and alert tables; in a notebook the
/// dashboard shows itself as the HTML report.
///
/// Example:
///     >>> import mot
///     >>> events, outcomes = mot.sample_log(journeys=500)
///     >>> d = mot.dashboard(events, outcomes, experience=mot.sample_experience())
///     >>> d.to_dict()["amount"]["journeys"]
///     500
///     >>> d.table("types").column_names[:3]
///     ['type', 'mots', 'interactions']
///     >>> mot.Dashboard.from_json(d.to_json()).to_dict() == d.to_dict()
///     True
#[pyclass(name = "Dashboard", module = "mot", frozen, subclass)]
pub(crate) struct PyDashboard {
    pub(crate) inner: Dashboard,
}

/// Column names from a preset and a `{role: column}` mapping.
pub(crate) fn column_names(
    columns: Option<std::collections::HashMap<String, String>>,
    preset: Option<&str>,
) -> PyResult<ColumnNames> {
    let columns = columns.unwrap_or_default();
    ColumnNames::mapped(
        preset,
        columns.iter().map(|(r, c)| (r.as_str(), c.as_str())),
    )
    .map_err(to_py)
}

/// Dashboard options; `alignment` is a dict of `AlignmentRule` fields.
pub(crate) fn options(
    py: Python<'_>,
    top_variants: Option<usize>,
    alignment: Option<&Bound<'_, PyAny>>,
    alert_min_interactions: Option<u64>,
) -> PyResult<DashboardOptions> {
    let d = DashboardOptions::default();
    Ok(DashboardOptions {
        alignment: from_dict(py, alignment, "alignment")?.unwrap_or(d.alignment),
        top_variants: top_variants.unwrap_or(d.top_variants),
        alert_min_interactions: alert_min_interactions.unwrap_or(d.alert_min_interactions),
        ..d
    })
}

/// A dict of a core options type's fields (`alignment`, `limits`), read
/// through JSON so that unknown names and wrong types are `ConfigError`s.
pub(crate) fn from_dict<T: serde::de::DeserializeOwned>(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Option<T>> {
    let Some(v) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let json: String = py
        .import("json")?
        .getattr("dumps")?
        .call1((v,))?
        .extract()?;
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|e| to_py_config(format!("{what} options are not valid: {e}")))
}

fn to_py_config(message: String) -> PyErr {
    crate::errors::py_error("config", message)
}

/// Builds the dashboard of an interaction log.
///
/// Args:
///     events: interactions — any table with the Arrow PyCapsule interface
///         (pandas, polars, pyarrow, duckdb). Numeric columns are read without
///         copying. Journey and MOT ids may be integers or strings;
///         timestamps integers (``time_unit``) or datetimes (naive = UTC).
///     outcomes: journey outcomes (journey id, SCO flag, optional value), likewise.
///     experience: the :class:`Experience` the log measures; ``None`` for
///         discovery mode.
///     columns: ``{role: column}`` to map your column names (roles: ``journey``,
///         ``mot``, ``timestamp``, ``success``, ``cost``, ``value``, ``producer``,
///         ``outcome_journey``, ``sco``, ``outcome_value``).
///     preset: ``"default"`` or ``"pm4py"`` (``case:concept:name``,
///         ``concept:name``, ``time:timestamp``).
///     period: the trend period: ``"day"`` (default), ``"week"`` or a width such as ``"6h"``.
///     time_unit: what an integer timestamp means: ``"s"`` (default), ``"ms"``, ``"us"``, ``"ns"``.
///     bad_rows: ``"reject"`` (count by reason, the default) or ``"fail"``.
///     timeout: close journeys idle this many seconds as abandoned (default: none).
///     top_variants: how many variants to list (default 10).
///     alignment: thresholds of the alignment rule, ``{name: value}``.
///     alert_min_interactions: fewest interactions in the latest period for an alert.
///     track_variants: count distinct journey sequences exactly.
///     durations: measure the time of each directly-follows edge and of
///         each journey (default: yes; off, ``directly_follows.edges[].duration``
///         and ``journey_duration`` are ``None`` and the read takes about a
///         quarter less time).
///     limits: resource caps, ``{name: value}`` (``max_mots``,
///         ``max_open_journeys``, ...); over one raises :class:`LimitError`.
///     sco_reached: the SCO as a rule over the journey, for logs without
///         outcomes: a journey produced it when it has an interaction with
///         one of these MOT ids (a successful one, where success is known).
///     time_format: a strftime-style format for a timestamp column of text
///         that is not RFC 3339 (``"%d/%m/%Y %H:%M"``).
///     designed: the designed journey (a "happy path"), MOT ids in order,
///         that every journey is measured against (``conformance``,
///         ``mots[].gap``, variants' ``cost`` and ``fitness``); default:
///         the experience's designed journey, none without an experience.
///     threads: threads a large log (a million rows or more, sorted by
///         integer journey id) is read on, in parts merged after: ``0``
///         (default) for every thread of the machine, ``1`` for one; the
///         figures are the same.
///     cusum: the sequential detectors of MOTs with a SMOTO target,
///         ``{"odds_ratio": 2.0, "arl0": 10000.0}`` (the defaults): the
///         shift of the failure odds to detect and the in-control average
///         run length (``mots[].cusum``, alerts of kind ``cusum``).
///     at_risk_threshold: open journeys whose chance of reaching the SCO
///         is below this are at risk (default 0.5; the ``at_risk`` section).
///     at_risk_top: how many journeys at risk to list (default 10).
///
/// Values are read by the same rules in every front end: timestamps as
/// datetimes (any unit; naive = UTC), integers in ``time_unit``, whole
/// floats (a fraction is ``invalid-timestamp``; NaN is missing) or text
/// (RFC 3339 at full precision, or ``time_format``); flags as booleans or
/// the integers 0 and 1 (another integer is ``invalid-success``).
///
/// The ``success`` column is optional: without it every process figure
/// (amounts, directly-follows, variants) is computed and every success
/// figure is ``None``. Rejected rows raise a :class:`MotWarning` that
/// counts them by reason.
///
/// Every option is a keyword and optional; the defaults are the core's
/// (``mot_core::Settings``, the same for the ``mot`` command and
/// JavaScript), and an unknown name raises :class:`ConfigError` naming it.
///
/// Returns:
///     The :class:`Dashboard`.
///
/// Raises:
///     ColumnsError: a column is missing or of an unusable type.
///     BadRowError: with ``bad_rows="fail"``, the first bad row.
///     ConfigError: an unknown preset, period, unit or option.
///
/// Example:
///     >>> import mot, pyarrow as pa
///     >>> events = pa.table({"journey_id": [1, 1, 2], "mot_id": ["check-in", "bag-drop", "check-in"],
///     ...                    "timestamp": [1795392000, 1795395600, 1795392000], "success": [True, False, True]})
///     >>> outcomes = pa.table({"journey_id": [1, 2], "sco": [False, True]})
///     >>> d = mot.dashboard(events, outcomes, experience=mot.sample_experience())
///     >>> d.to_dict()["sco"]["rate"]
///     0.5
#[pyfunction]
#[pyo3(signature = (events, outcomes = None, *, experience = None, **options))]
pub(crate) fn dashboard(
    py: Python<'_>,
    events: &Bound<'_, PyAny>,
    outcomes: Option<&Bound<'_, PyAny>>,
    experience: Option<PyRef<'_, PyExperience>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyDashboard> {
    let s = settings(py, options)?;
    let x = experience.as_ref().map(|x| &x.inner);
    let mut tracker = Tracker::one_shot(x, s.tracker_config().map_err(to_py)?).map_err(to_py)?;
    let names = s.names().map_err(to_py)?;
    ingest(
        py,
        &mut tracker,
        events,
        outcomes,
        &names,
        s.time_format.as_deref(),
    )?;
    let options = s.dashboard_options();
    let inner = py
        .detach(|| Dashboard::build(&tracker, x, &options))
        .map_err(to_py)?;
    crate::errors::warn_rejected(py, &inner.rejected)?;
    Ok(PyDashboard { inner })
}

/// The keyword options of `dashboard`, `dashboard_from_csv` and
/// `dashboard_from_xes` as the core's [`Settings`]: read through JSON, so
/// the defaults are the core's and an unknown name or a wrong type is a
/// `ConfigError` naming it.
fn settings(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Settings> {
    let json: String = match options {
        None => "{}".to_string(),
        Some(d) => py
            .import("json")?
            .getattr("dumps")?
            .call1((d,))
            .map_err(|e| to_py_config(format!("options must be plain values: {e}")))?
            .extract()?,
    };
    Settings::from_json(&json).map_err(to_py)
}

/// CSV text (``str``) or bytes (``bytes``, UTF-8) as bytes.
fn text_bytes<'a>(v: &'a Bound<'_, PyAny>, what: &str) -> PyResult<std::borrow::Cow<'a, [u8]>> {
    if let Ok(b) = v.cast::<pyo3::types::PyBytes>() {
        return Ok(std::borrow::Cow::Owned(b.as_bytes().to_vec()));
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(std::borrow::Cow::Owned(s.into_bytes()));
    }
    Err(crate::errors::py_error(
        "columns",
        format!("{what} must be CSV text (str) or bytes"),
    ))
}

/// Builds the dashboard from CSV text, read exactly as the ``mot`` command
/// and the JavaScript package read it (a header row; fields trimmed; an
/// empty field is null; the delimiter detected among ``,`` ``;`` tab ``|``;
/// a UTF-8 byte-order mark skipped; timestamps as integers in ``time_unit``,
/// RFC 3339 / ISO 8601 text at full precision, or text in ``time_format``).
///
/// Args:
///     events: the interactions file's content (``str`` or ``bytes``).
///     outcomes: the outcomes file's content, or ``None``.
///     time_format: a strftime-style format for text timestamps that are not
///         RFC 3339, such as ``"%d/%m/%Y %H:%M"``.
///     delimiter: the field delimiter (one character, or ``"tab"``);
///         ``None`` detects it from the header line.
///     experience, columns, preset, period, time_unit, bad_rows,
///         top_variants, alignment, alert_min_interactions, track_variants,
///         durations, limits, sco_reached, designed, threads: as for :func:`dashboard`.
///
/// Returns:
///     The :class:`Dashboard`.
///
/// Raises:
///     ColumnsError: a missing column, or an empty file.
///     FormatError: the text is not CSV (for example, not UTF-8).
///     ConfigError: a bad time format or delimiter.
///     BadRowError: with ``bad_rows="fail"``, the first bad row, naming its line.
///
/// Example:
///     >>> import mot
///     >>> events, outcomes = mot.sample_log_csv(journeys=100)
///     >>> d = mot.dashboard_from_csv(events, outcomes, experience=mot.sample_experience())
///     >>> d.to_dict()["sco"]["journeys"]
///     100
///     >>> log = "case;step;when\nc1;a;10/11/2011 11:45\nc1;b;10/11/2011 11:46\n"
///     >>> d = mot.dashboard_from_csv(log, columns={"journey": "case", "mot": "step", "timestamp": "when"},
///     ...                            time_format="%d/%m/%Y %H:%M")
///     >>> [(e["from"], e["to"], e["count"]) for e in d.to_dict()["directly_follows"]["edges"]]
///     [('a', 'b', 1)]
#[pyfunction]
#[pyo3(signature = (events, outcomes = None, *, experience = None, **options))]
pub(crate) fn dashboard_from_csv(
    py: Python<'_>,
    events: &Bound<'_, PyAny>,
    outcomes: Option<&Bound<'_, PyAny>>,
    experience: Option<PyRef<'_, PyExperience>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyDashboard> {
    let s = settings(py, options)?;
    from_text(py, events, outcomes, experience, &s, false)
}

/// Builds the dashboard of an XES event log (IEEE 1849): each event is an
/// interaction with the trace's ``concept:name`` as the journey, its own
/// ``concept:name`` as the MOT, ``time:timestamp`` and ``org:resource``.
/// XES has no success flag, so every success figure is ``None``; give
/// ``sco_reached`` (or an outcomes table as CSV text) for the SCO figures.
///
/// Args:
///     events: the log's bytes, plain or gzipped (recognised by content).
///     outcomes: an outcomes CSV (``str`` or ``bytes``), or ``None``.
///     experience, columns (for the outcomes), preset, period, bad_rows,
///         top_variants, alignment, alert_min_interactions, track_variants,
///         durations, limits, sco_reached, designed, threads: as for :func:`dashboard`.
///
/// Returns:
///     The :class:`Dashboard`.
///
/// Raises:
///     FormatError: XML that is not well formed (with its byte position),
///         or a corrupt gzip stream.
#[pyfunction]
#[pyo3(signature = (events, outcomes = None, *, experience = None, **options))]
pub(crate) fn dashboard_from_xes(
    py: Python<'_>,
    events: &Bound<'_, PyAny>,
    outcomes: Option<&Bound<'_, PyAny>>,
    experience: Option<PyRef<'_, PyExperience>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyDashboard> {
    let s = settings(py, options)?;
    from_text(py, events, outcomes, experience, &s, true)
}

/// The text inputs' one path: read the events (CSV or XES) and outcomes
/// with the GIL released, build the dashboard, warn of rejected rows.
fn from_text(
    py: Python<'_>,
    events: &Bound<'_, PyAny>,
    outcomes: Option<&Bound<'_, PyAny>>,
    experience: Option<PyRef<'_, PyExperience>>,
    s: &Settings,
    xes: bool,
) -> PyResult<PyDashboard> {
    use mot_core::csv::{EventTable, OutcomeTable};
    let read = s.read_options().map_err(to_py)?;
    let read = &read;
    let config = s.tracker_config().map_err(to_py)?;
    let options = &s.dashboard_options();
    let events = text_bytes(events, "events")?;
    let outcomes = outcomes
        .filter(|o| !o.is_none())
        .map(|o| text_bytes(o, "outcomes"))
        .transpose()?;
    let x = experience.as_ref().map(|x| &x.inner);
    let inner = py
        .detach(|| {
            let e = if xes {
                EventTable::read_xes(&events[..], "events.xes", read)?
            } else {
                EventTable::read(&events[..], "events.csv", read)?
            };
            let o = outcomes
                .as_deref()
                .map(|t| OutcomeTable::read(t, "outcomes.csv", read))
                .transpose()?;
            Dashboard::from_tables(x, &e, o.as_ref(), config, options)
        })
        .map_err(to_py)?;
    crate::errors::warn_rejected(py, &inner.rejected)?;
    Ok(PyDashboard { inner })
}

/// The columns of an XES log (see :func:`mot.read_xes`), as
/// ``(case, activity, timestamp_ns, resource, lifecycle)`` lists, then how
/// many timestamps could not be read and the first of them; ``source``
/// names the log in errors.
#[pyfunction]
#[pyo3(signature = (data, source = "events.xes", time_format = None))]
#[allow(clippy::type_complexity)]
pub(crate) fn read_xes_columns(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    source: &str,
    time_format: Option<&str>,
) -> PyResult<(
    Vec<Option<String>>,
    Vec<Option<String>>,
    Vec<Option<i64>>,
    Vec<Option<String>>,
    Vec<Option<String>>,
    u64,
    Option<String>,
)> {
    let data = text_bytes(data, "the XES log")?;
    let c = py
        .detach(|| mot_core::input::xes::XesColumns::read_with(&data[..], source, time_format))
        .map_err(to_py)?;
    Ok((
        c.case,
        c.activity,
        c.timestamp,
        c.resource,
        c.lifecycle,
        c.unreadable_timestamps,
        c.first_unreadable_timestamp,
    ))
}

#[pymethods]
impl PyDashboard {
    /// The dashboard as plain Python data: exactly the ``mot.dashboard/1`` JSON.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner)
    }

    /// The dashboard as ``mot.dashboard/1`` JSON text.
    #[pyo3(signature = (pretty = false))]
    fn to_json(&self, pretty: bool) -> String {
        if pretty {
            self.inner.to_json_pretty()
        } else {
            self.inner.to_json()
        }
    }

    /// Reads a dashboard from its JSON.
    ///
    /// Raises:
    ///     JsonError: not a ``mot.dashboard/1`` document.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        let inner: Dashboard = serde_json::from_str(text)
            .map_err(|e| crate::errors::py_error("json", format!("invalid dashboard JSON: {e}")))?;
        Ok(PyDashboard { inner })
    }

    /// One part of the dashboard as a ``pyarrow.Table``.
    ///
    /// Times are ``timestamp[s, tz=UTC]`` columns (the contract's integer
    /// seconds since the epoch): ``start`` of ``trends`` and
    /// ``conformance``, ``period_start`` of ``alerts``,
    /// ``cusum.last_alarm_at`` of ``mots``.
    ///
    /// Args:
    ///     name: ``mots`` (one row per MOT; the five dimensions as
    ///         ``dimensions.*`` columns), ``types``, ``owners``, ``producers``,
    ///         ``trends`` (one row per MOT and period), ``alerts``, ``variants``,
    ///         ``edges`` (directly-follows), ``conformance`` (one row per
    ///         period) or ``rejected``.
    ///
    /// Raises:
    ///     ValueError: an unknown name.
    ///
    /// Example:
    ///     >>> import mot
    ///     >>> events, outcomes = mot.sample_log(journeys=500)
    ///     >>> t = mot.dashboard(events, outcomes).table("trends")
    ///     >>> t.schema.field("start").type
    ///     TimestampType(timestamp[s, tz=UTC])
    #[pyo3(signature = (name = "mots"))]
    fn table<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        py.import("mot._tables")?
            .getattr("table")?
            .call1((self.to_dict(py)?, name))
    }

    /// :meth:`table` as a pandas DataFrame; times are timezone-aware UTC
    /// datetimes (``datetime64[s, UTC]``).
    ///
    /// Needs pandas: ``pip install "./mot-py[pandas]"`` (or ``[all]``).
    ///
    /// Raises:
    ///     ModuleNotFoundError: pandas is not installed (the message says
    ///         how to install it).
    ///     ValueError: an unknown name.
    ///
    /// Example:
    ///     >>> import mot
    ///     >>> events, outcomes = mot.sample_log(journeys=500)
    ///     >>> df = mot.dashboard(events, outcomes).to_pandas("trends")
    ///     >>> str(df["start"].dtype), str(df["start"].iloc[0])
    ///     ('datetime64[s, UTC]', '2026-08-01 00:00:00+00:00')
    #[pyo3(signature = (name = "mots"))]
    fn to_pandas<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        py.import("mot._tables")?
            .getattr("to_pandas")?
            .call1((self.to_dict(py)?, name))
    }

    /// :meth:`table` as a polars DataFrame; times are timezone-aware UTC
    /// datetimes (``Datetime(time_zone="UTC")``).
    ///
    /// Needs polars: ``pip install "./mot-py[polars]"`` (or ``[all]``).
    ///
    /// Raises:
    ///     ModuleNotFoundError: polars is not installed (the message says
    ///         how to install it).
    ///     ValueError: an unknown name.
    #[pyo3(signature = (name = "mots"))]
    fn to_polars<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        py.import("mot._tables")?
            .getattr("to_polars")?
            .call1((self.to_dict(py)?, name))
    }

    /// Draws a picture with matplotlib (``pip install "./mot-py[plot]"``).
    ///
    /// Labels never overlap one another and stay inside the figure.
    ///
    /// Args:
    ///     kind: a :data:`mot.PlotKind`: ``smoto`` (SMOTO rates with 95%
    ///         intervals and targets), ``magic`` (the magic–misery map),
    ///         ``trend`` (trends with control limits) or ``gap`` (the
    ///         designed journey step by step with the share of journeys
    ///         that skipped each step, the most repeated and undesigned
    ///         MOTs, and the SCO rate of conforming vs deviating journeys;
    ///         needs a design).
    ///     ax: a matplotlib axes to draw on (``smoto`` and ``magic``).
    ///
    /// Returns:
    ///     The matplotlib figure.
    ///
    /// Raises:
    ///     ModuleNotFoundError: matplotlib is not installed (the message
    ///         says how to install it).
    ///     ValueError: an unknown kind, ``gap`` without a design, or
    ///         ``trend`` without SMOTO rates (a log without a success column).
    #[pyo3(signature = (kind = "smoto", ax = None))]
    fn plot<'py>(
        &self,
        py: Python<'py>,
        kind: &str,
        ax: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        py.import("mot.plot")?
            .getattr("draw")?
            .call1((self.to_dict(py)?, kind, ax))
    }

    /// The report as one self-contained HTML page (all data escaped).
    fn to_html(&self) -> String {
        self.inner.to_html()
    }

    /// The dashboard as text for an 80-column terminal.
    fn to_table(&self) -> String {
        self.inner.to_table()
    }

    fn _repr_html_(&self) -> String {
        self.inner.to_html()
    }

    fn __str__(&self) -> String {
        self.inner.to_table()
    }

    fn __repr__(&self) -> String {
        let d = &self.inner;
        format!(
            "<mot.Dashboard {} interactions, {} journeys, SCO rate {}>",
            d.amount.interactions,
            d.amount.journeys,
            d.sco
                .rate
                .map_or_else(|| "n/a".into(), |r| format!("{:.1}%", r * 100.0))
        )
    }

    /// Pickles through the JSON contract.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let from_json = py.get_type::<PyDashboard>().getattr("from_json")?;
        Ok((from_json, (self.inner.to_json(),)))
    }
}
