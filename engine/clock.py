"""The one source of the current time.

Everything in the engine that needs "now" (timers, script helpers, history timestamps) asks the clock it
was given, never the wall clock, so that tests, `timers run --now` and replays control time.
"""

from datetime import UTC, datetime, timedelta


class SystemClock:
    """The real time, always zone-aware UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until it is moved: for tests, one-off timer sweeps and replays."""

    def __init__(self, at: datetime):
        self._at = _aware(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = _aware(at)

    def advance(self, **delta) -> datetime:
        """Move forward by a `timedelta(**delta)` and return the new time."""
        self._at += timedelta(**delta)
        return self._at


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("the clock needs a zone-aware datetime")
    return at.astimezone(UTC)
