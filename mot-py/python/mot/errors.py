"""The exceptions of ``mot``: one base, one class per kind of error.

Every error the library raises is a :class:`MotError`; the kinds that mean
"your input is wrong" also subclass :class:`ValueError` (and a missing id
subclasses :class:`LookupError`), so ordinary ``except ValueError`` code keeps
working. Each exception carries ``kind`` (the stable name of the kind, the
same string in Rust, Python and JavaScript) and, where it applies, ``path``
(where in a document), ``problems`` (every problem of an invalid
experience, as dicts), ``row`` and ``reason`` (the rejected row and why).
"""

from __future__ import annotations

from typing import Any


class MotError(Exception):
    """Base class of every error raised by ``mot``."""

    kind: str = "mot"
    path: str | None = None
    problems: list[dict[str, Any]] = []
    row: int | None = None
    reason: str | None = None


class JsonError(MotError, ValueError):
    """The input is not well-formed JSON, has a value of the wrong type, or an unknown field."""

    kind = "json"


class FormatError(MotError, ValueError):
    """The ``format`` tag is missing, unknown, or newer than this library."""

    kind = "format"


class InvalidExperienceError(MotError, ValueError):
    """The experience breaks one or more rules; ``problems`` lists every one."""

    kind = "invalid"


class InteractionTypeError(MotError, ValueError):
    """A string is not one of the six interaction types."""

    kind = "interaction-type"


class NotFoundError(MotError, LookupError):
    """An id given to a query is not in the experience."""

    kind = "not-found"


class IdeaTransitionError(MotError, ValueError):
    """An idea cannot move from its status to the one asked for."""

    kind = "idea-transition"


class ConfigError(MotError, ValueError):
    """An option is out of its domain (a period of 0 seconds, an unknown preset, ...)."""

    kind = "config"


class ColumnsError(MotError, ValueError):
    """Input columns are missing, of an unusable type, or do not fit together."""

    kind = "columns"


class BadRowError(MotError, ValueError):
    """A row was rejected and the caller asked to fail on bad rows; ``row`` and ``reason`` say which and why."""

    kind = "bad-row"


class StateError(MotError, ValueError):
    """Bytes are not a tracker state this library can read."""

    kind = "state"


class MergeError(MotError, ValueError):
    """Two tracker states cannot be merged (different experiences or settings)."""

    kind = "merge"


class LimitError(MotError, ValueError):
    """The input would take the library past a resource limit (too many distinct MOTs or open journeys, a document too large or too deep); nothing was changed."""

    kind = "limit"


BY_KIND: dict[str, type[MotError]] = {
    cls.kind: cls
    for cls in (
        JsonError,
        FormatError,
        InvalidExperienceError,
        InteractionTypeError,
        NotFoundError,
        IdeaTransitionError,
        ConfigError,
        ColumnsError,
        BadRowError,
        StateError,
        MergeError,
        LimitError,
    )
}


def _make(kind: str, message: str, details: dict[str, Any]) -> MotError:
    """Builds the exception for ``kind`` (called by the compiled module)."""
    err = BY_KIND.get(kind, MotError)(message)
    err.kind = kind
    for key, value in details.items():
        setattr(err, key, value)
    return err


class MotWarning(UserWarning):
    """Rows were rejected: the message counts them by reason.

    Raised with :func:`warnings.warn` by :func:`mot.dashboard`,
    :func:`mot.dashboard_from_csv`, :func:`mot.dashboard_from_xes` and
    :meth:`mot.Tracker.ingest` whenever a row was rejected, so that a bad
    export is seen in the notebook and not only in the dashboard's
    ``rejected`` counts. Silence it with ``warnings.simplefilter("ignore",
    mot.MotWarning)``, or turn it into an error with ``"error"``.
    """
