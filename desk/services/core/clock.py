"""The current time and the gym's local date, injectable for tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import tz as dateutil_tz

from desk.services.core.errors import ValidationError

TIMEZONE_ENV = "DESK_TIMEZONE"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        ...

    @property
    def tz(self) -> tzinfo:
        """The gym's local time zone (dates shown and expiry dates use it)."""
        ...


class SystemClock:
    """The workstation's clock, in the gym's time zone.

    The zone is ``DESK_TIMEZONE`` (an IANA name such as "America/New_York") when
    set, else the gym's zone from Settings > General, else the workstation's own
    zone with its daylight-saving rules; never a fixed offset, which would put
    every booking an hour off half the year.
    """

    def __init__(self, zone: str | None = None) -> None:
        self._pinned = zone is not None or bool(os.environ.get(TIMEZONE_ENV, "").strip())
        name = zone if zone is not None else os.environ.get(TIMEZONE_ENV, "").strip()
        self._tz: tzinfo = _zone(name)

    @classmethod
    def for_gym(cls, gym_zone: str) -> SystemClock:
        """The clock of a desk whose gym stored ``gym_zone`` ("" for none)."""
        clock = cls()
        clock.follow_zone(gym_zone)
        return clock

    def follow_zone(self, gym_zone: str) -> None:
        """Use the gym's zone from now on ("" = this workstation's own), unless
        ``DESK_TIMEZONE`` or the constructor pinned one. Raises ValidationError
        for a name that is not a time zone."""
        if not self._pinned:
            self._tz = _zone(gym_zone.strip())

    def now(self) -> datetime:
        return datetime.now(UTC)

    @property
    def tz(self) -> tzinfo:
        return self._tz


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name) if name else dateutil_tz.tzlocal()
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "timezone", f"{name!r} is not a time zone name like America/New_York."
        ) from None


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
