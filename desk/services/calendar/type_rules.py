"""An appointment type's booking rules: buffers, minimum notice, booking horizon.

Buffers count for clashes (``availability_rules``); notice and horizon are a
warning on staff bookings (``booking_limits``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import AppointmentType
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.records import audit

MAX_BUFFER_MINUTES = 4 * 60
MAX_NOTICE_MINUTES = 30 * 24 * 60
MAX_HORIZON_DAYS = 3 * 366


@dataclass(frozen=True, slots=True)
class BookingRules:
    appointment_type_id: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    min_notice_minutes: int
    horizon_days: int
    """0: no limit."""


def rules_view(row: AppointmentType) -> BookingRules:
    return BookingRules(
        row.id,
        row.buffer_before_minutes,
        row.buffer_after_minutes,
        row.min_notice_minutes,
        row.horizon_days,
    )


_LIMITS = {
    "buffer_before_minutes": (MAX_BUFFER_MINUTES, "The buffer before must be 0 to 240 minutes."),
    "buffer_after_minutes": (MAX_BUFFER_MINUTES, "The buffer after must be 0 to 240 minutes."),
    "min_notice_minutes": (MAX_NOTICE_MINUTES, "The minimum notice must be 0 to 30 days."),
    "horizon_days": (MAX_HORIZON_DAYS, "Booking ahead must be 0 (no limit) to 1098 days."),
}


def _load(session: Session, type_id: int, *, lock: bool = False) -> AppointmentType:
    query = select(AppointmentType).where(AppointmentType.id == type_id)
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound(f"There is no appointment type #{type_id}.")
    return row


class TypeBookingRules:
    """The booking-rule side of AppointmentTypeService (which mixes this in)."""

    _db: Database
    _clock: Clock

    @retry_transient
    def set_booking_rules(
        self,
        type_id: AppointmentTypeId,
        *,
        buffer_before_minutes: int = 0,
        buffer_after_minutes: int = 0,
        min_notice_minutes: int = 0,
        horizon_days: int = 0,
        actor: Actor,
    ) -> Outcome[BookingRules]:
        """Set a type's buffers (minutes before and after a session that count for
        clashes), minimum notice (minutes) and how many days ahead it may be booked
        (0: no limit). Raises ValidationError for a value out of range, NotFound
        for an unknown type."""
        values = {
            "buffer_before_minutes": buffer_before_minutes,
            "buffer_after_minutes": buffer_after_minutes,
            "min_notice_minutes": min_notice_minutes,
            "horizon_days": horizon_days,
        }
        for field, value in values.items():
            most, message = _LIMITS[field]
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
                raise ValidationError(field, message)
        with authorized(self._db, actor, Permission.SETTINGS) as session:
            row = _load(session, type_id, lock=True)
            before = {field: getattr(row, field) for field in values}
            for field, value in values.items():
                setattr(row, field, value)
            audit.record_update(
                session,
                at=self._clock.now(),
                actor=actor,
                action="appointment_type.rules",
                entity="appointment_type",
                entity_id=row.id,
                before=before,
                after=dict(values),
            )
            view = rules_view(row)
        return Outcome(view, Changes.of(catalog=True))

    def booking_rules(self, type_id: AppointmentTypeId) -> BookingRules:
        """A type's buffers, notice and horizon. Raises NotFound."""
        with self._db.read() as session:
            return rules_view(_load(session, type_id))
