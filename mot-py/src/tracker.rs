//! `mot.Tracker`: streaming, bulk ingestion, merging, bytes and pickling.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyType};

use crate::arrow_in::{Events, Outcomes, read_table};
use crate::comparison::{PyComparison, PyIdeaReport, window};
use crate::dashboard::{PyDashboard, column_names, options};
use crate::errors::{to_py, to_python};
use crate::experience::PyExperience;
use mot_core::{Extra, RejectReason, Tracker, TrackerConfig};

/// Reads interactions and journey outcomes and keeps the mergeable state
/// behind a dashboard.
///
/// Args:
///     experience: bind to this experience (unknown MOT ids are rejected);
///         ``None`` for discovery mode (MOTs come from the data).
///     period: the trend period: ``"day"`` (default), ``"week"`` or a width such as ``"6h"``.
///     time_unit: what an integer timestamp means: ``"s"`` (default), ``"ms"``, ``"us"``, ``"ns"``;
///         the tracker keeps nanoseconds whatever the unit.
///     timeout: close a journey as abandoned after this many seconds without activity
///         (default: never).
///     bad_rows: ``"reject"`` (count them by reason; the default) or ``"fail"``
///         (raise :class:`BadRowError`).
///     remember_closed: remember closed journeys to reject late interactions (default: yes).
///     track_variants: count distinct journey sequences exactly (default: yes).
///     durations: measure the time of each directly-follows edge and of each
///         journey (default: yes; off, the dashboard's durations are ``None``
///         and a bulk read takes about a quarter less time).
///     limits: resource caps, ``{name: value}`` (``max_mots``,
///         ``max_open_journeys``, ...); over one raises :class:`LimitError`.
///     sco_reached: the SCO as a rule over the journey, for logs without
///         outcomes: a journey produced it when it has an interaction with
///         one of these MOT ids (a successful one, where success is known).
///     cusum: the sequential detectors, ``{"odds_ratio": 2.0, "arl0": 10000.0}``
///         (the defaults): the shift in failure odds to detect and the
///         interactions between false alarms at target; alarms come out of
///         :meth:`alarms`.
///     designed: the designed journey (a "happy path"), MOT ids in order,
///         that every closed journey is measured against (the dashboard's
///         ``conformance``); default: the experience's designed journey,
///         none without an experience.
///
/// Example:
///     >>> import mot
///     >>> t = mot.Tracker(mot.sample_experience())
///     >>> t.record("j1", "check-in", 1795392000, True)
///     >>> t.record("j1", "bag-drop", 1795395600, False, cost=2.5)
///     >>> t.close_journey("j1", False)
///     >>> t.interactions, t.journeys
///     (2, 1)
///     >>> t2 = mot.Tracker.from_bytes(t.to_bytes())
///     >>> t2.interactions
///     2
#[pyclass(name = "Tracker", module = "mot")]
pub(crate) struct PyTracker {
    pub(crate) inner: Tracker,
    pub(crate) experience: Option<Py<PyExperience>>,
}

/// The tracker's configuration: the options given, the core's defaults
/// (`TrackerConfig::default()`) for the rest.
#[allow(clippy::too_many_arguments)]
fn config(
    period: Option<&str>,
    time_unit: Option<&str>,
    timeout: Option<i64>,
    bad_rows: Option<&str>,
    remember_closed: Option<bool>,
    track_variants: Option<bool>,
    durations: Option<bool>,
    sco_reached: Option<Vec<String>>,
    designed: Option<Vec<String>>,
) -> PyResult<TrackerConfig> {
    let mut c = TrackerConfig::default();
    if let Some(p) = period {
        c.period = p.parse().map_err(to_py)?;
    }
    if let Some(u) = time_unit {
        c.time_unit = u.parse().map_err(to_py)?;
    }
    if let Some(b) = bad_rows {
        c.bad_rows = b.parse().map_err(to_py)?;
    }
    c.timeout = timeout.or(c.timeout);
    c.remember_closed = remember_closed.unwrap_or(c.remember_closed);
    c.track_variants = track_variants.unwrap_or(c.track_variants);
    c.durations = durations.unwrap_or(c.durations);
    if let Some(r) = sco_reached {
        c.sco_reached = r;
    }
    if let Some(d) = designed {
        c.designed = d;
    }
    Ok(c)
}

/// A timestamp from Python: an integer, or a float read by the core's rule
/// for numbers (a fraction is `invalid-timestamp`, NaN a missing one), as
/// JavaScript's numbers are.
#[derive(FromPyObject)]
pub(crate) enum TimestampArg {
    Int(i64),
    Float(f64),
}

/// A journey id from Python: a string or an integer.
#[derive(FromPyObject)]
pub(crate) enum JourneyArg {
    Int(i64),
    Big(u64),
    Str(String),
}

impl mot_core::production::IntoJourney for JourneyArg {
    fn key(&self) -> mot_core::events::Key<'_> {
        match self {
            JourneyArg::Int(i) => mot_core::events::Key::Int(*i as u64),
            JourneyArg::Big(i) => mot_core::events::Key::Int(*i),
            JourneyArg::Str(s) => mot_core::events::Key::Str(s),
        }
    }
}

#[pymethods]
impl PyTracker {
    #[new]
    #[pyo3(signature = (experience = None, *, period = None, time_unit = None, timeout = None, bad_rows = None, remember_closed = None, track_variants = None, durations = None, limits = None, sco_reached = None, designed = None, cusum = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        experience: Option<Py<PyExperience>>,
        period: Option<&str>,
        time_unit: Option<&str>,
        timeout: Option<i64>,
        bad_rows: Option<&str>,
        remember_closed: Option<bool>,
        track_variants: Option<bool>,
        durations: Option<bool>,
        limits: Option<&Bound<'_, PyAny>>,
        sco_reached: Option<Vec<String>>,
        designed: Option<Vec<String>>,
        cusum: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut config = config(
            period,
            time_unit,
            timeout,
            bad_rows,
            remember_closed,
            track_variants,
            durations,
            sco_reached,
            designed,
        )?;
        config.limits = crate::dashboard::from_dict(py, limits, "limits")?.unwrap_or_default();
        if let Some(c) = crate::dashboard::from_dict(py, cusum, "cusum")? {
            config.cusum = c;
        }
        let inner = Tracker::with_config(experience.as_ref().map(|x| &x.get().inner), config)
            .map_err(to_py)?;
        Ok(PyTracker { inner, experience })
    }

    /// Records one interaction.
    ///
    /// Args:
    ///     journey: the journey id (string or integer).
    ///     mot: the MOT id.
    ///     timestamp: in the tracker's ``time_unit`` since 1970-01-01 UTC:
    ///         an integer, or a float without a fraction (one with a fraction
    ///         is counted as ``invalid-timestamp``, NaN as
    ///         ``missing-timestamp``, as in columns and in JavaScript).
    ///     success: whether the interaction produced its SMOTO; ``None`` when
    ///         not known (it then counts in no success figure).
    ///     cost: its cost, if known (finite, not negative).
    ///     value: the value the customer received, if known (finite).
    ///     producer: who produced it, if known.
    ///
    /// Raises:
    ///     BadRowError: with ``bad_rows="fail"``, for a row that would be rejected.
    #[pyo3(signature = (journey, mot, timestamp, success, cost = None, value = None, producer = None))]
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        journey: JourneyArg,
        mot: &str,
        timestamp: TimestampArg,
        success: Option<bool>,
        cost: Option<f64>,
        value: Option<f64>,
        producer: Option<&str>,
    ) -> PyResult<()> {
        let timestamp = match timestamp {
            TimestampArg::Int(t) => t,
            TimestampArg::Float(x) => match mot_core::input::values::timestamp_from_f64(x) {
                Ok(Some(t)) => t,
                // Counted after the row's journey checks, as every front
                // end counts a value it could not read.
                Ok(None) => {
                    return self
                        .inner
                        .reject_unreadable(journey, RejectReason::MissingTimestamp, None)
                        .map_err(to_py);
                }
                Err(reason) => {
                    return self
                        .inner
                        .reject_unreadable(journey, reason, Some(format!("timestamp `{x}`")))
                        .map_err(to_py);
                }
            },
        };
        let extra = Extra {
            cost,
            value,
            producer,
        };
        self.inner
            .record_event(journey, mot, timestamp, success, Some(extra))
            .map_err(to_py)
    }

    /// Closes a journey with its outcome.
    ///
    /// Args:
    ///     journey: the journey id.
    ///     sco: ``True`` if it produced the SCO, ``False`` if not, ``None`` if unknown.
    ///     value: its revenue, if known.
    #[pyo3(signature = (journey, sco, value = None))]
    fn close_journey(
        &mut self,
        journey: JourneyArg,
        sco: Option<bool>,
        value: Option<f64>,
    ) -> PyResult<()> {
        self.inner.close_journey(journey, sco, value).map_err(to_py)
    }

    /// Closes, as abandoned, journeys idle for longer than ``timeout`` at ``now``
    /// (seconds since the epoch); returns how many.
    fn expire(&mut self, now: i64) -> usize {
        self.inner.expire(now)
    }

    /// Closes every open journey with an unknown outcome; returns how many.
    fn close_open_journeys(&mut self) -> usize {
        self.inner.close_open_journeys()
    }

    /// Reads a whole log (and its outcomes) as tables and closes every journey in it.
    ///
    /// Args:
    ///     events: interactions, any table with the Arrow PyCapsule interface.
    ///     outcomes: journey outcomes, likewise.
    ///     columns: ``{role: column}`` for roles ``journey``, ``mot``, ``timestamp``,
    ///         ``success``, ``cost``, ``value``, ``producer``, ``outcome_journey``,
    ///         ``sco``, ``outcome_value``.
    ///     preset: ``"default"`` or ``"pm4py"``.
    ///     time_format: a strftime-style format for a timestamp column of
    ///         text that is not RFC 3339 (``"%d/%m/%Y %H:%M"``).
    ///
    /// Returns:
    ///     ``{"rows", "accepted", "rejected", "journeys", "outcomes"}`` for this call.
    #[pyo3(signature = (events, outcomes = None, *, columns = None, preset = None, time_format = None))]
    fn ingest<'py>(
        &mut self,
        py: Python<'py>,
        events: &Bound<'py, PyAny>,
        outcomes: Option<&Bound<'py, PyAny>>,
        columns: Option<std::collections::HashMap<String, String>>,
        preset: Option<&str>,
        time_format: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let names = column_names(columns, preset)?;
        let before = self.inner.rejected();
        let summary = ingest(py, &mut self.inner, events, outcomes, &names, time_format)?;
        crate::errors::warn_rejected(py, &self.inner.rejected().since(&before))?;
        to_python(py, &summary)
    }

    /// Adds another tracker's state (partitions of one log by journey merge exactly).
    ///
    /// Every figure of the merged state equals the single pass's but the
    /// sequential detectors': a detector follows one stream in time order,
    /// so after a merge each MOT's CUSUM is rerun on the merged per-period
    /// counts (a binomial CUSUM, one step per period), and ``mots[].cusum``
    /// and the alerts resting on it may differ from one pass.
    ///
    /// Raises:
    ///     MergeError: different experiences or settings.
    fn merge(&mut self, other: &PyTracker) -> PyResult<()> {
        self.inner.merge(&other.inner).map_err(to_py)
    }

    /// The state as bytes (versioned; readable by :meth:`from_bytes` in any process).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads a state written by :meth:`to_bytes`.
    ///
    /// Raises:
    ///     StateError: foreign, truncated, corrupt or newer bytes.
    #[classmethod]
    fn from_bytes(_cls: &Bound<'_, PyType>, data: &[u8]) -> PyResult<Self> {
        let inner = Tracker::from_bytes(data).map_err(to_py)?;
        Ok(PyTracker {
            inner,
            experience: None,
        })
    }

    /// Builds the dashboard.
    ///
    /// Args:
    ///     experience: names, types, owners, targets, dimensions (defaults to the
    ///         tracker's own experience).
    ///     top_variants: how many variants to list.
    ///     alignment: thresholds of the alignment rule, ``{name: value}``.
    ///     alert_min_interactions: fewest interactions in the latest period for an alert.
    ///     at_risk_threshold: open journeys with P(SCO | last interaction)
    ///         below this are listed in ``at_risk`` (default 0.5).
    ///     at_risk_top: how many of them to list (default 10).
    #[pyo3(signature = (experience = None, *, top_variants = None, alignment = None, alert_min_interactions = None, at_risk_threshold = None, at_risk_top = None))]
    #[allow(clippy::too_many_arguments)]
    fn dashboard(
        &self,
        py: Python<'_>,
        experience: Option<Py<PyExperience>>,
        top_variants: Option<usize>,
        alignment: Option<&Bound<'_, PyAny>>,
        alert_min_interactions: Option<u64>,
        at_risk_threshold: Option<f64>,
        at_risk_top: Option<usize>,
    ) -> PyResult<PyDashboard> {
        let x = experience.or_else(|| self.experience.as_ref().map(|x| x.clone_ref(py)));
        let mut options = options(py, top_variants, alignment, alert_min_interactions)?;
        options.at_risk_threshold = at_risk_threshold.unwrap_or(options.at_risk_threshold);
        options.at_risk_top = at_risk_top.unwrap_or(options.at_risk_top);
        let inner = py
            .detach(|| {
                mot_core::Dashboard::build(
                    &self.inner,
                    x.as_ref().map(|x| &x.get().inner),
                    &options,
                )
            })
            .map_err(to_py)?;
        Ok(PyDashboard { inner })
    }

    /// Did a change work? Compares two time windows of this tracker's
    /// state: per MOT its SMOTO rate, and the SCO and conformance rates,
    /// with the change ``after − before`` and two intervals (Newcombe, to
    /// read once; always-valid, to watch as data arrives).
    ///
    /// An interaction counts in the window of its timestamp; a journey in
    /// the window of its first interaction (SCO: journeys closed with a
    /// known outcome; conformance: closed journeys). Windows are half-open
    /// ``[start, end)`` and must be whole trend periods of the tracker
    /// (midnight UTC for the default ``"day"``); they must not overlap.
    ///
    /// Args:
    ///     before: the window before the change: ``(start, end)`` with each
    ///         a ``datetime`` (naive ones are UTC), a ``date``, an RFC 3339
    ///         or date string, or seconds since the epoch; or
    ///         ``"2026-01-01..2026-02-01"``.
    ///     after: the window after it, the same way.
    ///     experience: names and owners (defaults to the tracker's own).
    ///     alpha: ``1 −`` the confidence of both intervals (default 0.05).
    ///     tau2: the always-valid interval's mixture variance (default
    ///         0.0025, a 5-point change): choose it before looking, as the
    ///         square of the smallest change you care about.
    ///
    /// Returns:
    ///     Comparison: the ``mot.comparison/1`` contract.
    ///
    /// Raises:
    ///     ConfigError: a window that cuts a period, overlapping windows,
    ///         ``alpha`` or ``tau2`` out of range.
    ///
    /// Example:
    ///     >>> import mot
    ///     >>> t = mot.Tracker(mot.sample_experience())
    ///     >>> _ = t.ingest(*mot.sample_log(journeys=3000, seed=1))
    ///     >>> c = t.compare(("2026-08-01", "2026-09-01"), "2026-09-01..2026-10-01")
    ///     >>> d = c.to_dict()["sco"]
    ///     >>> d["ci_low"] <= d["difference"] <= d["ci_high"]
    ///     True
    ///     >>> d["always_valid_low"] < d["ci_low"]
    ///     True
    #[pyo3(signature = (before, after, *, experience = None, alpha = None, tau2 = None))]
    fn compare(
        &self,
        py: Python<'_>,
        before: &Bound<'_, PyAny>,
        after: &Bound<'_, PyAny>,
        experience: Option<Py<PyExperience>>,
        alpha: Option<f64>,
        tau2: Option<f64>,
    ) -> PyResult<PyComparison> {
        let (before, after) = (window(before, "before")?, window(after, "after")?);
        let x = experience.or_else(|| self.experience.as_ref().map(|x| x.clone_ref(py)));
        let d = mot_core::CompareOptions::default();
        let options = mot_core::CompareOptions {
            alpha: alpha.unwrap_or(d.alpha),
            tau2: tau2.unwrap_or(d.tau2),
        };
        let inner = py
            .detach(|| {
                mot_core::Comparison::build(
                    &self.inner,
                    x.as_ref().map(|x| &x.get().inner),
                    before,
                    after,
                    &options,
                )
            })
            .map_err(to_py)?;
        Ok(PyComparison { inner })
    }

    /// Which implemented ideas earned their keep: each idea with an
    /// ``implemented_at`` date measured on its MOT (SMOTO rate
    /// ``window_days`` before and after the day of the change, that day
    /// left out), the surest gain first; and the cycle time from
    /// ``submitted_at`` to ``implemented_at``, overall and per MOT.
    ///
    /// Args:
    ///     experience: the experience whose ideas to measure (defaults to
    ///         the tracker's own; required in discovery mode).
    ///     window_days: days in each window (default 28), a whole number
    ///         of the tracker's periods.
    ///     alpha: ``1 −`` the confidence of the intervals (default 0.05).
    ///     tau2: the always-valid interval's mixture variance (default 0.0025).
    ///
    /// Returns:
    ///     IdeaReport: the ``mot.ideas/1`` contract.
    ///
    /// Raises:
    ///     ConfigError: no experience, or ``window_days`` not a whole
    ///         number of periods.
    #[pyo3(signature = (*, experience = None, window_days = None, alpha = None, tau2 = None))]
    fn ideas(
        &self,
        py: Python<'_>,
        experience: Option<Py<PyExperience>>,
        window_days: Option<u32>,
        alpha: Option<f64>,
        tau2: Option<f64>,
    ) -> PyResult<PyIdeaReport> {
        let x = experience
            .or_else(|| self.experience.as_ref().map(|x| x.clone_ref(py)))
            .ok_or_else(|| {
                crate::errors::py_error(
                    "config",
                    "the ideas are in an experience: give `experience=`".into(),
                )
            })?;
        let d = mot_core::comparison::IdeasOptions::default();
        let options = mot_core::comparison::IdeasOptions {
            window_days: window_days.unwrap_or(d.window_days),
            alpha: alpha.unwrap_or(d.alpha),
            tau2: tau2.unwrap_or(d.tau2),
        };
        let inner = py
            .detach(|| {
                mot_core::comparison::IdeaReport::build(&self.inner, &x.get().inner, &options)
            })
            .map_err(to_py)?;
        Ok(PyIdeaReport { inner })
    }

    /// Interactions accepted so far.
    #[getter]
    fn interactions(&self) -> u64 {
        self.inner.interactions()
    }

    /// Journeys closed so far.
    #[getter]
    fn journeys(&self) -> u64 {
        self.inner.journeys()
    }

    /// Journeys still open.
    #[getter]
    fn open_journeys(&self) -> usize {
        self.inner.open_journeys()
    }

    /// Rows rejected so far, by reason (every reason listed).
    #[getter]
    fn rejected<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.rejected())
    }

    /// The alarms fired since the last call, oldest first, as dicts
    /// (``mot``, ``owner``, ``timestamp`` in seconds, ``statistic``, ``h``,
    /// ``p0``, ``p1``); the queue is emptied. A Bernoulli CUSUM runs per MOT
    /// with a SMOTO target as interactions arrive: at once for
    /// :meth:`record`, in timestamp order at the end of each :meth:`ingest`.
    ///
    /// Example:
    ///     >>> import mot
    ///     >>> t = mot.Tracker(mot.sample_experience())
    ///     >>> for i in range(60):
    ///     ...     t.record(f"j{i}", "bag-drop", 1795424400 + 60 * i, False)
    ///     >>> a = t.alarms()
    ///     >>> a[0]["mot"], a[0]["statistic"] >= a[0]["h"]
    ///     ('bag-drop', True)
    fn alarms<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.drain_alarms())
    }

    /// Open journeys whose chance of reaching the SCO, given their last
    /// interaction, is below ``threshold``: lowest first, at most ``limit``,
    /// as dicts (``journey``, ``mot`` — the last MOT —, ``owner`` — its MOT
    /// Manager —, ``failed``, ``probability``, ``at`` in seconds). The
    /// probability comes from the absorbing Markov chain over (MOT, failed)
    /// states of closed journeys with a known outcome, solved exactly when
    /// asked.
    ///
    /// Example:
    ///     >>> import mot
    ///     >>> x = mot.sample_experience()
    ///     >>> t = mot.Tracker(x)
    ///     >>> _ = t.ingest(*mot.sample_log(journeys=2000, seed=1))
    ///     >>> t.record("late", "payment-auth", 1795392060, False)
    ///     >>> r = t.at_risk(1.0, 5)
    ///     >>> r[0]["journey"], r[0]["failed"], r[0]["probability"] < 1
    ///     ('late', True, True)
    #[pyo3(signature = (threshold = None, limit = None))]
    fn at_risk<'py>(
        &self,
        py: Python<'py>,
        threshold: Option<f64>,
        limit: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let d = mot_core::DashboardOptions::default();
        to_python(
            py,
            &self.inner.at_risk(
                threshold.unwrap_or(d.at_risk_threshold),
                limit.unwrap_or(d.at_risk_top),
            ),
        )
    }

    /// Pickles through :meth:`to_bytes`.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let from_bytes = py.get_type::<PyTracker>().getattr("from_bytes")?;
        Ok((from_bytes, (self.to_bytes(py),)))
    }

    fn __repr__(&self) -> String {
        format!(
            "<mot.Tracker {} interactions, {} journeys closed, {} open>",
            self.inner.interactions(),
            self.inner.journeys(),
            self.inner.open_journeys()
        )
    }
}

/// Converts the tables, then ingests with the GIL released.
pub(crate) fn ingest(
    py: Python<'_>,
    tracker: &mut Tracker,
    events: &Bound<'_, PyAny>,
    outcomes: Option<&Bound<'_, PyAny>>,
    names: &mot_core::events::ColumnNames,
    time_format: Option<&str>,
) -> PyResult<mot_core::IngestSummary> {
    let unit = tracker.config().time_unit;
    let event_batch = read_table(events, "events")?;
    let outcome_batch = match outcomes {
        Some(o) if !o.is_none() => Some(read_table(o, "outcomes")?),
        _ => None,
    };
    let ev = Events::new(&event_batch, names, unit, time_format)?;
    let out = match &outcome_batch {
        Some(b) => Some(Outcomes::new(b, names)?),
        None => None,
    };
    py.detach(|| {
        let cols = ev.columns();
        let oc = out.as_ref().map(Outcomes::columns);
        tracker.ingest(&cols, oc.as_ref())
    })
    .map_err(to_py)
}
