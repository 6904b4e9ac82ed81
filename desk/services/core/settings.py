"""Gym settings every desk shares, stored in the database (``gym_settings``).

Each setting is one text value under its key, read and written through typed
functions here; a key never written reads as its default. Settings that only
one workstation cares about (when the desk locks) stay in that workstation's
QSettings instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import GymSetting
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import ValidationError
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.records import audit


@dataclass(frozen=True, slots=True)
class IntSetting:
    """A whole-number setting: its key, default and allowed range, and how to name it."""

    key: str
    default: int
    lowest: int
    highest: int
    label: str


CHECK_IN_OPENS_MINUTES = IntSetting(
    "check_in_opens_minutes", 60, 0, 24 * 60, "How many minutes before the start check-in opens"
)


def read_int(session: Session, setting: IntSetting) -> int:
    """The setting's value in the caller's transaction (its default if never set)."""
    raw = session.scalar(select(GymSetting.value).where(GymSetting.key == setting.key))
    if raw is None:
        return setting.default
    try:
        value = int(raw)
    except ValueError:
        return setting.default
    return value if setting.lowest <= value <= setting.highest else setting.default


class SettingsService:
    """Typed getters and setters of the gym's shared settings."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def check_in_opens_minutes(self) -> int:
        """How many minutes before a session's start its check-in opens (default 60)."""
        with self._db.read() as session:
            return read_int(session, CHECK_IN_OPENS_MINUTES)

    def set_check_in_opens_minutes(self, minutes: int, *, actor: Actor) -> Outcome[int]:
        """Set how many minutes before the start check-in opens (0 to 1440).

        Raises ValidationError outside that range, PermissionDenied without the
        settings permission.
        """
        return self._set_int(CHECK_IN_OPENS_MINUTES, minutes, actor)

    @retry_transient
    def _set_int(self, setting: IntSetting, value: int, actor: Actor) -> Outcome[int]:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(setting.key, f"{setting.label} must be a whole number.")
        if not setting.lowest <= value <= setting.highest:
            raise ValidationError(
                setting.key,
                f"{setting.label} must be between {setting.lowest} and {setting.highest}.",
            )
        now = self._clock.now()
        with authorized(self._db, actor, Permission.SETTINGS) as session:
            row = session.scalar(
                select(GymSetting).where(GymSetting.key == setting.key).with_for_update()
            )
            before = read_int(session, setting)
            if row is None:
                # Two desks inserting the first value at once: the loser's primary key
                # clashes, @retry_transient runs it again and it updates the row.
                session.add(
                    GymSetting(
                        key=setting.key, value=str(value), updated_at=now,
                        updated_by_id=actor.staff_id,
                    )
                )  # fmt: skip
            else:
                row.value = str(value)
                row.updated_at = now
                row.updated_by_id = actor.staff_id
            audit.record(
                session,
                at=now,
                actor=actor,
                action="settings.update",
                entity="setting",
                entity_id=None,
                before={setting.key: before},
                after={setting.key: value},
            )
        return Outcome(value, Changes())
