"""Gym settings every desk shares, stored in the database (``gym_settings``).

Each setting is one text value under its key, read and written through typed
functions (desk/services/core/settings_values.py); a key never written reads as
its default. Settings that only one workstation cares about (when the desk
locks, its language and formats) stay in that workstation's QSettings instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import GymSetting
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, SystemClock
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.core.settings_values import (
    CHECK_IN_OPENS_MINUTES,
    GYM_NAME_KEY,
    LOGO_KEY,
    TIME_ZONE_KEY,
    GymGeneral,
    check_gym_name,
    check_logo,
    check_time_zone,
    encode_logo,
    read_general,
    read_int,
)
from desk.services.records import audit

__all__ = ["KEEP", "GeneralChange", "GymGeneral", "Keep", "SettingsService"]


class Keep(Enum):
    """A field of GeneralChange left as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True, slots=True)
class GeneralChange:
    """The general settings someone changed; the others stay as any desk left them
    (saving a whole form would undo what another desk changed meanwhile)."""

    name: str | Keep = KEEP
    logo_png: bytes | Keep | None = KEEP
    time_zone: str | Keep = KEEP
    check_in_opens_minutes: int | Keep = KEEP


class SettingsService:
    """Typed getters and setters of the gym's shared settings."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def check_in_opens_minutes(self) -> int:
        """How many minutes before a session's start its check-in opens (default 60)."""
        with self._db.read() as session:
            return read_int(session, CHECK_IN_OPENS_MINUTES)

    def general(self) -> GymGeneral:
        """The gym's name, logo, time zone and check-in window (defaults where unset)."""
        with self._db.read() as session:
            return read_general(session)

    def set_check_in_opens_minutes(self, minutes: int, *, actor: Actor) -> Outcome[int]:
        """Set how many minutes before the start check-in opens (0 to 1440).

        Raises ValidationError outside that range, PermissionDenied without the
        settings permission.
        """
        done = self.update_general(GeneralChange(check_in_opens_minutes=minutes), actor=actor)
        return Outcome(done.value.check_in_opens_minutes, done.changes)

    @retry_transient
    def update_general(self, change: GeneralChange, *, actor: Actor) -> Outcome[GymGeneral]:
        """Save the changed general settings in one transaction with one audit event
        (only the fields that differ from what is stored are written).

        A new time zone is followed by this desk's clock at once; other desks take
        it when they next start. Raises ValidationError for a name over 100
        characters, an unknown time zone, a logo that is not a PNG of at most 256 KB
        or a check-in window outside 0..1440 minutes; PermissionDenied without the
        settings permission.
        """
        wanted = _checked(change)
        now = self._clock.now()
        with authorized(self._db, actor, Permission.SETTINGS) as session:
            # Lock every row first, in key order, so two desks never wait on each
            # other crosswise and "before" is read under the lock.
            rows = {
                row.key: row
                for row in session.scalars(
                    select(GymSetting)
                    .where(GymSetting.key.in_(sorted(wanted)))
                    .order_by(GymSetting.key)
                    .with_for_update()
                )
            }
            before = read_general(session)
            shown_before, shown_after = {}, {}
            for key, (text, shown) in sorted(wanted.items()):
                if _stored(before, key) == text:
                    continue
                _write(session, rows.get(key), key, text, now, actor)
                shown_before[key], shown_after[key] = _shown(before, key), shown
            if shown_after:
                audit.record(
                    session, at=now, actor=actor, action="settings.update", entity="setting",
                    entity_id=None, before=shown_before, after=shown_after,
                )  # fmt: skip
            after = read_general(session)
        if TIME_ZONE_KEY in shown_after and isinstance(self._clock, SystemClock):
            self._clock.follow_zone(after.time_zone)
        return Outcome(after, Changes())


def _checked(change: GeneralChange) -> dict[str, tuple[str, object]]:
    """Each changed key's stored text and how the audit log shows it, checked first
    so nothing is written when any field is wrong."""
    wanted: dict[str, tuple[str, object]] = {}
    if not isinstance(change.name, Keep):
        name = check_gym_name(change.name)
        wanted[GYM_NAME_KEY] = (name, name)
    if not isinstance(change.time_zone, Keep):
        zone = check_time_zone(change.time_zone)
        wanted[TIME_ZONE_KEY] = (zone, zone)
    if not isinstance(change.logo_png, Keep):
        logo = check_logo(change.logo_png)
        wanted[LOGO_KEY] = (encode_logo(logo), _logo_words(logo))
    if not isinstance(change.check_in_opens_minutes, Keep):
        minutes = CHECK_IN_OPENS_MINUTES.check(change.check_in_opens_minutes)
        wanted[CHECK_IN_OPENS_MINUTES.key] = (CHECK_IN_OPENS_MINUTES.stored(minutes), minutes)
    return wanted


def _shown(general: GymGeneral, key: str) -> object:
    """The audit log's value of ``key`` (the logo as words, not its bytes)."""
    return {
        GYM_NAME_KEY: general.name,
        TIME_ZONE_KEY: general.time_zone,
        LOGO_KEY: _logo_words(general.logo_png),
        CHECK_IN_OPENS_MINUTES.key: general.check_in_opens_minutes,
    }[key]


def _stored(general: GymGeneral, key: str) -> str:
    """``key``'s value as the text it is stored as (what a change is compared with)."""
    return {
        GYM_NAME_KEY: general.name,
        TIME_ZONE_KEY: general.time_zone,
        LOGO_KEY: encode_logo(general.logo_png),
        CHECK_IN_OPENS_MINUTES.key: CHECK_IN_OPENS_MINUTES.stored(general.check_in_opens_minutes),
    }[key]


def _logo_words(png: bytes | None) -> str:
    return "no logo" if png is None else f"a PNG of {max(1, len(png) // 1024)} KB"


def _write(
    session: Session, row: GymSetting | None, key: str, text: str, now: datetime, actor: Actor
) -> None:
    if row is None:
        # Two desks inserting the first value at once: the loser's primary key
        # clashes, @retry_transient runs it again and it updates the row.
        session.add(GymSetting(key=key, value=text, updated_at=now, updated_by_id=actor.staff_id))
        session.flush()
        return
    row.value = text
    row.updated_at = now
    row.updated_by_id = actor.staff_id
