"""The current time and the gym's local date, injectable for tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        ...

    @property
    def tz(self) -> tzinfo:
        """The gym's local time zone (dates shown and expiry dates use it)."""
        ...


class SystemClock:
    """The workstation's clock and time zone."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    @property
    def tz(self) -> tzinfo:
        local = datetime.now().astimezone().tzinfo
        assert local is not None
        return local


@dataclass
class FixedClock:
    """A clock that stands still until moved; used by tests and the demo generator."""

    current: datetime
    zone: tzinfo

    def now(self) -> datetime:
        return self.current.astimezone(UTC)

    @property
    def tz(self) -> tzinfo:
        return self.zone


def today(clock: Clock) -> date:
    """The gym's local date now."""
    return clock.now().astimezone(clock.tz).date()


def local_date(clock: Clock, moment: datetime) -> date:
    """The gym's local date of ``moment``."""
    return moment.astimezone(clock.tz).date()
