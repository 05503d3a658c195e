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
from typing import TYPE_CHECKING, Any

from ._mot import (
    DASHBOARD_FORMAT,
    EXPERIENCE_FORMAT,
    Dashboard,
    Experience,
    Tracker,
    dashboard,
    dashboard_from_csv,
    sample_experience,
    sample_experience_next,
    sample_log_csv,
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
    NotFoundError,
    StateError,
)

if TYPE_CHECKING:
    import pyarrow

__all__ = [
    "DASHBOARD_FORMAT",
    "EXPERIENCE_FORMAT",
    "BadRowError",
    "ColumnsError",
    "ConfigError",
    "Dashboard",
    "Experience",
    "FormatError",
    "IdeaTransitionError",
    "InteractionTypeError",
    "InvalidExperienceError",
    "JsonError",
    "LimitError",
    "MergeError",
    "MotError",
    "NotFoundError",
    "StateError",
    "Tracker",
    "dashboard",
    "dashboard_from_csv",
    "sample_experience",
    "sample_experience_next",
    "sample_log",
    "sample_log_csv",
]

def sample_log(journeys: int = 20_000, seed: int = 2026) -> tuple[pyarrow.Table, pyarrow.Table]:
    """A deterministic simulated log of the airline sample.

    Args:
        journeys: how many journeys.
        seed: the simulation seed (the same seed gives the same log).

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
