"""mot — Moments of Truth management for Python.

Build the MOT dashboard of an interaction log from any table your notebook
already has (pandas, polars, pyarrow, duckdb), stream interactions into a
:class:`Tracker`, merge partial states across processes, and load, query and
draw experience frameworks. Every number comes from the Rust core
(``mot-core``) and is identical in Rust, Python and JavaScript.

Example:
    >>> import mot
    >>> x = mot.sample_experience()
    >>> events, outcomes = mot.sample_log(journeys=2000)
    >>> d = mot.dashboard(events, outcomes, experience=x)
    >>> d.to_dict()["format"]
    'mot.dashboard/1'
    >>> round(d.to_dict()["sco"]["rate"], 3) > 0
    True
"""

from __future__ import annotations

import io
import os
import warnings
from typing import TYPE_CHECKING, Any

from ._mot import (
    COMPARISON_FORMAT,
    DASHBOARD_FORMAT,
    EXPERIENCE_FORMAT,
    IDEAS_FORMAT,
    Comparison,
    Dashboard,
    Experience,
    IdeaReport,
    Tracker,
    dashboard,
    dashboard_from_csv,
    fitting_period,
    read_xes_columns,
    sample_experience,
    sample_experience_next,
    sample_log_csv,
    timeline,
)
from .errors import (
    BadRowError,
    ColumnsError,
    ConfigError,
    FormatError,
    IdeaTransitionError,
    InteractionTypeError,
    InvalidExperienceError,
    JsonError,
    LimitError,
    MergeError,
    MotError,
    MotWarning,
    NotFoundError,
    StateError,
)
from ._mot import dashboard_from_xes as _dashboard_from_xes
from .plot import PlotKind

if TYPE_CHECKING:
    import pyarrow

__all__ = [
    "COMPARISON_FORMAT",
    "DASHBOARD_FORMAT",
    "EXPERIENCE_FORMAT",
    "IDEAS_FORMAT",
    "BadRowError",
    "ColumnsError",
    "Comparison",
    "ConfigError",
    "Dashboard",
    "Experience",
    "IdeaReport",
    "FormatError",
    "IdeaTransitionError",
    "InteractionTypeError",
    "InvalidExperienceError",
    "JsonError",
    "LimitError",
    "MergeError",
    "MotError",
    "MotWarning",
    "NotFoundError",
    "PlotKind",
    "StateError",
    "Tracker",
    "dashboard",
    "dashboard_from_csv",
    "dashboard_from_xes",
    "fitting_period",
    "read_xes",
    "sample_experience",
    "sample_experience_next",
    "sample_log",
    "sample_log_csv",
    "timeline",
]

def sample_log(journeys: int | None = None, seed: int | None = None) -> tuple[pyarrow.Table, pyarrow.Table]:
    """A deterministic simulated log of the airline sample.

    Args:
        journeys: how many journeys (default 20,000, as everywhere).
        seed: the simulation seed (the same seed gives the same log; default 2026).

    Returns:
        ``(events, outcomes)`` as pyarrow tables with the default column names.

    Example:
        >>> import mot
        >>> events, outcomes = mot.sample_log(journeys=100)
        >>> outcomes.num_rows
        100
    """
    import pyarrow.csv as pacsv

    events, outcomes = sample_log_csv(journeys, seed)
    return (
        pacsv.read_csv(io.BytesIO(events.encode())),
        pacsv.read_csv(io.BytesIO(outcomes.encode())),
    )


def _xes_bytes(source: str | bytes | os.PathLike[str]) -> bytes:
    """An XES log given as a path, XML text or bytes, as bytes."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str) and source.lstrip().startswith("<"):
        return source.encode()
    with open(source, "rb") as f:
        return f.read()


def read_xes(source: str | bytes | os.PathLike[str], *, time_format: str | None = None) -> pyarrow.Table:
    """Reads an XES event log (IEEE 1849) into a table, one row per event.

    The log is read by the Rust core in one streaming pass (gzip recognised
    by content); only the standard attributes are kept, as the columns
    ``case:concept:name``, ``concept:name``, ``time:timestamp`` (UTC, in
    nanoseconds), ``org:resource`` and ``lifecycle:transition`` — the names
    of the ``pm4py`` preset, so the table goes straight into
    :func:`dashboard` with ``preset="pm4py"``.

    A ``time:timestamp`` that cannot be read is null in the table, and a
    :class:`MotWarning` says how many there were and shows the first
    (:func:`dashboard` then counts those rows as ``missing-timestamp``).

    Args:
        source: a path to a ``.xes`` or ``.xes.gz`` file, the XML text, or
            the file's bytes.
        time_format: a strftime-style format for an export whose dates are
            not xs:dateTime (``"%d/%m/%Y %H:%M"``), as for :func:`dashboard`.

    Returns:
        A ``pyarrow.Table``.

    Raises:
        FormatError: XML that is not well formed (with its byte position,
            and the file's name when a path was given), or a corrupt gzip
            stream.
        ConfigError: a bad ``time_format``.

    Example:
        >>> import mot
        >>> xes = (
        ...     '<log><trace><string key="concept:name" value="c1"/>'
        ...     '<event><string key="concept:name" value="register"/>'
        ...     '<date key="time:timestamp" value="2010-12-30T14:32:00.250+01:00"/></event>'
        ...     "</trace></log>"
        ... )
        >>> t = mot.read_xes(xes)
        >>> t.column_names
        ['case:concept:name', 'concept:name', 'time:timestamp', 'org:resource', 'lifecycle:transition']
        >>> str(t.column("time:timestamp")[0])
        '2010-12-30 13:32:00.250000+00:00'
    """
    import pyarrow as pa

    name = "events.xes"
    if isinstance(source, os.PathLike) or (isinstance(source, str) and not source.lstrip().startswith("<")):
        name = os.path.basename(os.fspath(source))
    case, activity, timestamp, resource, lifecycle, unreadable, first = read_xes_columns(
        _xes_bytes(source), name, time_format
    )
    if unreadable:
        warnings.warn(
            f"`{name}`: {unreadable} `time:timestamp` value(s) could not be read and are null "
            f"(the first: `{first}`); give `time_format` if the dates are not xs:dateTime",
            MotWarning,
            stacklevel=2,
        )
    return pa.table(
        {
            "case:concept:name": pa.array(case, pa.string()),
            "concept:name": pa.array(activity, pa.string()),
            "time:timestamp": pa.array(timestamp, pa.timestamp("ns", tz="UTC")),
            "org:resource": pa.array(resource, pa.string()),
            "lifecycle:transition": pa.array(lifecycle, pa.string()),
        }
    )


def dashboard_from_xes(
    events: str | bytes | os.PathLike[str], outcomes: str | bytes | None = None, **options: Any
) -> Dashboard:
    """Builds the dashboard of an XES event log (IEEE 1849), plain or gzipped.

    Each event is an interaction: the trace's ``concept:name`` is the
    journey, the event's ``concept:name`` the MOT, with ``time:timestamp``
    and ``org:resource``. XES has no success flag, so every success figure
    is ``None`` (alignment ``"unmeasured"``); give ``sco_reached=[...]``
    (or an outcomes CSV) for the SCO figures. The counts equal pm4py's
    directly-follows graph and variants on the same log.

    Args:
        events: a path to a ``.xes`` / ``.xes.gz`` file, the XML text, or
            the file's bytes.
        outcomes: an outcomes CSV (``str`` or ``bytes``), or ``None``.
        **options: as for :func:`dashboard` (``experience``, ``period``,
            ``top_variants``, ``sco_reached``, ``bad_rows``, ...).

    Returns:
        The :class:`Dashboard`.

    Example:
        >>> import mot
        >>> xes = (
        ...     '<log><trace><string key="concept:name" value="c1"/>'
        ...     '<event><string key="concept:name" value="a"/><date key="time:timestamp" value="2026-01-01T00:00:00Z"/></event>'
        ...     '<event><string key="concept:name" value="b"/><date key="time:timestamp" value="2026-01-01T00:00:00.5Z"/></event>'
        ...     "</trace></log>"
        ... )
        >>> d = mot.dashboard_from_xes(xes, sco_reached=["b"]).to_dict()
        >>> d["variants"]["top"][0]["mots"], d["sco"]["rate"], d["mots"][0]["smoto_rate"]
        (['a', 'b'], 1.0, None)
    """
    return _dashboard_from_xes(_xes_bytes(events), outcomes, **options)
