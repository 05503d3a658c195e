"""Type stubs of the compiled module ``mot._mot`` (checked by mypy.stubtest)."""

import datetime
from os import PathLike
from typing import Any, Union, final

from typing_extensions import disjoint_base

from mot.plot import PlotKind

__all__ = [
    "COMPARISON_FORMAT",
    "DASHBOARD_FORMAT",
    "EXPERIENCE_FORMAT",
    "IDEAS_FORMAT",
    "Comparison",
    "Dashboard",
    "IdeaReport",
    "Experience",
    "Tracker",
    "dashboard",
    "dashboard_from_csv",
    "dashboard_from_xes",
    "fitting_period",
    "read_xes_columns",
    "sample_experience",
    "sample_experience_next",
    "sample_log_csv",
    "timeline",
]

COMPARISON_FORMAT: str
DASHBOARD_FORMAT: str
EXPERIENCE_FORMAT: str
IDEAS_FORMAT: str

# One end of a window: a datetime (naive ones are UTC), a date, an RFC 3339
# or date string, or seconds since the epoch.
_Instant = Union[datetime.datetime, datetime.date, str, int]
# A window: ``(start, end)``, or ``"FROM..TO"``.
_Window = Union[tuple[_Instant, _Instant], str]

@final
class Comparison:
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self, pretty: bool = False) -> str: ...
    def to_table(self) -> str: ...
    def to_html(self) -> str: ...

@final
class IdeaReport:
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_table(self) -> str: ...

@final
class Experience:
    @classmethod
    def from_json(cls, text: str) -> Experience: ...
    @classmethod
    def load(cls, path: str | PathLike[str]) -> Experience: ...
    def to_json(self, pretty: bool = False) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str | None: ...
    def mot_ids(self) -> list[str]: ...
    def designed_journey(self) -> list[str]: ...
    def roles_of(self, person: str) -> list[str]: ...
    def trace(self, work: str) -> dict[str, Any]: ...
    def unexplained_work(self) -> list[str]: ...
    def cost_rollup(self) -> dict[str, Any]: ...
    def failure_impact(self, work: str) -> dict[str, Any]: ...
    def diff(self, other: Experience) -> dict[str, Any]: ...
    def mermaid(self) -> str: ...
    def dot(self) -> str: ...
    def design_mermaid(self, mot: str) -> str: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

@disjoint_base
class Dashboard:
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self, pretty: bool = False) -> str: ...
    @classmethod
    def from_json(cls, text: str) -> Dashboard: ...
    def table(self, name: str = "mots") -> Any: ...
    def to_pandas(self, name: str = "mots") -> Any: ...
    def to_polars(self, name: str = "mots") -> Any: ...
    def plot(self, kind: PlotKind = "smoto", ax: Any | None = None) -> Any:
        """Draws one :data:`mot.PlotKind`: ``"smoto"``, ``"magic"``, ``"trend"`` or ``"gap"``."""
    def to_html(self) -> str: ...
    def to_table(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

@final
class Tracker:
    def __new__(
        cls,
        experience: Experience | None = None,
        *,
        period: str | None = None,
        time_unit: str | None = None,
        timeout: int | None = None,
        bad_rows: str | None = None,
        remember_closed: bool | None = None,
        track_variants: bool | None = None,
        durations: bool | None = None,
        limits: dict[str, int] | None = None,
        sco_reached: list[str] | None = None,
        designed: list[str] | None = None,
        cusum: dict[str, float] | None = None,
    ) -> Tracker: ...
    def alarms(self) -> list[dict[str, Any]]: ...
    def at_risk(self, threshold: float | None = None, limit: int | None = None) -> list[dict[str, Any]]: ...
    def record(
        self,
        journey: int | str,
        mot: str,
        timestamp: int | float,
        success: bool | None,
        cost: float | None = None,
        value: float | None = None,
        producer: str | None = None,
    ) -> None: ...
    def close_journey(self, journey: int | str, sco: bool | None, value: float | None = None) -> None: ...
    def expire(self, now: int) -> int: ...
    def close_open_journeys(self) -> int: ...
    def ingest(
        self,
        events: Any,
        outcomes: Any | None = None,
        *,
        columns: dict[str, str] | None = None,
        preset: str | None = None,
        time_format: str | None = None,
    ) -> dict[str, int]: ...
    def merge(self, other: Tracker) -> None: ...
    def to_bytes(self) -> bytes: ...
    @classmethod
    def from_bytes(cls, data: bytes) -> Tracker: ...
    def dashboard(
        self,
        experience: Experience | None = None,
        *,
        top_variants: int | None = None,
        alignment: dict[str, Any] | None = None,
        alert_min_interactions: int | None = None,
        at_risk_threshold: float | None = None,
        at_risk_top: int | None = None,
    ) -> Dashboard: ...
    def compare(
        self,
        before: _Window,
        after: _Window,
        *,
        experience: Experience | None = None,
        alpha: float | None = None,
        tau2: float | None = None,
    ) -> Comparison: ...
    def ideas(
        self,
        *,
        experience: Experience | None = None,
        window_days: int | None = None,
        alpha: float | None = None,
        tau2: float | None = None,
    ) -> IdeaReport: ...
    @property
    def interactions(self) -> int: ...
    @property
    def journeys(self) -> int: ...
    @property
    def open_journeys(self) -> int: ...
    @property
    def rejected(self) -> dict[str, int]: ...
    def __reduce__(self) -> tuple[Any, tuple[bytes]]: ...

def dashboard(
    events: Any,
    outcomes: Any | None = None,
    *,
    experience: Experience | None = None,
    columns: dict[str, str] | None = None,
    preset: str | None = None,
    period: str = "day",
    time_unit: str = "s",
    bad_rows: str = "reject",
    timeout: int | None = None,
    top_variants: int = 10,
    alignment: dict[str, Any] | None = None,
    alert_min_interactions: int = 10,
    track_variants: bool = True,
    durations: bool = True,
    limits: dict[str, int] | None = None,
    sco_reached: list[str] | None = None,
    designed: list[str] | None = None,
    time_format: str | None = None,
    delimiter: str | None = None,
    threads: int = 0,
) -> Dashboard: ...
def dashboard_from_csv(
    events: str | bytes,
    outcomes: str | bytes | None = None,
    *,
    experience: Experience | None = None,
    columns: dict[str, str] | None = None,
    preset: str | None = None,
    period: str = "day",
    time_unit: str = "s",
    bad_rows: str = "reject",
    timeout: int | None = None,
    top_variants: int = 10,
    alignment: dict[str, Any] | None = None,
    alert_min_interactions: int = 10,
    track_variants: bool = True,
    durations: bool = True,
    limits: dict[str, int] | None = None,
    sco_reached: list[str] | None = None,
    designed: list[str] | None = None,
    time_format: str | None = None,
    delimiter: str | None = None,
    threads: int = 0,
) -> Dashboard: ...
def dashboard_from_xes(
    events: str | bytes,
    outcomes: str | bytes | None = None,
    *,
    experience: Experience | None = None,
    columns: dict[str, str] | None = None,
    preset: str | None = None,
    period: str = "day",
    bad_rows: str = "reject",
    timeout: int | None = None,
    top_variants: int = 10,
    alignment: dict[str, Any] | None = None,
    alert_min_interactions: int = 10,
    track_variants: bool = True,
    durations: bool = True,
    limits: dict[str, int] | None = None,
    sco_reached: list[str] | None = None,
    designed: list[str] | None = None,
    threads: int = 0,
) -> Dashboard: ...
def read_xes_columns(
    data: str | bytes,
    source: str = "events.xes",
    time_format: str | None = None,
) -> tuple[
    list[str | None],
    list[str | None],
    list[int | None],
    list[str | None],
    list[str | None],
    int,
    str | None,
]: ...
def sample_experience() -> Experience: ...
def sample_experience_next() -> Experience: ...
def sample_log_csv(journeys: int | None = None, seed: int | None = None) -> tuple[str, str]: ...

def fitting_period(*windows: _Window) -> str: ...
def timeline(experiences: list[Experience]) -> list[dict[str, Any]]: ...
