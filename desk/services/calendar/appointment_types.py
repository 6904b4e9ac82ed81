"""Appointment types: what can be booked, for how long, and the late-cancel rule."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import Database, lock_for_transaction
from desk.models import AppointmentType
from desk.services.calendar.type_fees import TypeFeeRules
from desk.services.calendar.type_rules import TypeBookingRules
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId
from desk.services.core.money import MAX_CENTS
from desk.services.core.permissions import Permission, authorized
from desk.services.core.read_models import AppointmentTypeView
from desk.services.core.retry import retry_transient
from desk.services.core.validation import clean_text
from desk.services.records import audit

_UNSET: Any = object()
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_DURATION_MINUTES = 12 * 60
MAX_LATE_CANCEL_HOURS = 14 * 24
MAX_CAPACITY = 50


def type_view(row: AppointmentType) -> AppointmentTypeView:
    return AppointmentTypeView(
        id=row.id,
        name=row.name,
        duration_minutes=row.duration_minutes,
        color=row.color,
        default_price_cents=row.default_price_cents,
        currency=row.currency,
        late_cancel_hours=row.late_cancel_hours,
        active=row.active,
        capacity=row.capacity,
    )


def load_type(session: Session, type_id: int) -> AppointmentType:
    row = session.get(AppointmentType, type_id)
    if row is None:
        raise NotFound(f"There is no appointment type #{type_id}.")
    return row


def _snapshot(row: AppointmentType) -> dict[str, Any]:
    return {
        "name": row.name,
        "duration_minutes": row.duration_minutes,
        "color": row.color,
        "default_price_cents": row.default_price_cents,
        "late_cancel_hours": row.late_cancel_hours,
        "active": row.active,
        "capacity": row.capacity,
    }


class AppointmentTypeService(TypeBookingRules, TypeFeeRules):
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    @retry_transient
    def create(
        self,
        *,
        name: str,
        duration_minutes: int,
        color: str = "#4a90d9",
        default_price_cents: int = 0,
        late_cancel_hours: int = 24,
        capacity: int = 1,
        actor: Actor,
    ) -> Outcome[AppointmentTypeView]:
        """Create an appointment type; ``capacity`` members share one session.

        Raises ValidationError for an empty or duplicate name (case-insensitive),
        a duration outside 1 minute to 12 hours, a color that isn't #RRGGBB, a
        negative price, a negative late-cancel window or a capacity outside 1 to 50.
        """
        values = _clean(
            name, duration_minutes, color, default_price_cents, late_cancel_hours, capacity
        )
        now = self._clock.now()
        with authorized(self._db, actor, Permission.SETTINGS) as session:
            _check_unique_name(session, values["name"], None)
            row = AppointmentType(**values, active=True)
            session.add(row)
            session.flush()
            audit.record(
                session,
                at=now,
                actor=actor,
                action="appointment_type.create",
                entity="appointment_type",
                entity_id=row.id,
                after=_snapshot(row),
            )
            view = type_view(row)
        return Outcome(view, Changes.of(catalog=True))

    @retry_transient
    def update(
        self,
        type_id: AppointmentTypeId,
        *,
        name: str = _UNSET,
        duration_minutes: int = _UNSET,
        color: str = _UNSET,
        default_price_cents: int = _UNSET,
        late_cancel_hours: int = _UNSET,
        capacity: int = _UNSET,
        active: bool = _UNSET,
        actor: Actor,
    ) -> Outcome[AppointmentTypeView]:
        """Change the given fields. Raises NotFound and ValidationError (as ``create``)."""
        now = self._clock.now()
        with authorized(self._db, actor, Permission.SETTINGS) as session:
            row = load_type(session, type_id)
            before = _snapshot(row)
            values = _clean(
                row.name if name is _UNSET else name,
                row.duration_minutes if duration_minutes is _UNSET else duration_minutes,
                row.color if color is _UNSET else color,
                row.default_price_cents if default_price_cents is _UNSET else default_price_cents,
                row.late_cancel_hours if late_cancel_hours is _UNSET else late_cancel_hours,
                row.capacity if capacity is _UNSET else capacity,
            )
            _check_unique_name(session, values["name"], row.id)
            for key, value in values.items():
                setattr(row, key, value)
            if active is not _UNSET:
                row.active = bool(active)
            audit.record_update(
                session,
                at=now,
                actor=actor,
                action="appointment_type.update",
                entity="appointment_type",
                entity_id=row.id,
                before=before,
                after=_snapshot(row),
            )
            view = type_view(row)
        return Outcome(view, Changes.of(catalog=True))

    def deactivate(
        self, type_id: AppointmentTypeId, *, actor: Actor
    ) -> Outcome[AppointmentTypeView]:
        """Stop offering a type; existing credits and bookings keep it. Raises NotFound."""
        return self.update(type_id, active=False, actor=actor)

    def get(self, type_id: AppointmentTypeId) -> AppointmentTypeView:
        """One type. Raises NotFound."""
        with self._db.read() as session:
            return type_view(load_type(session, type_id))

    def by_name(self, name: str) -> AppointmentTypeView:
        """The type with this name, case-insensitive. Raises NotFound."""
        with self._db.read() as session:
            row = _named(session, name)
            if row is None:
                known = ", ".join(
                    session.scalars(select(AppointmentType.name).order_by(AppointmentType.name))
                )
                raise NotFound(
                    f"No appointment type named {name!r}. Known types: {known or 'none yet'}."
                )
            return type_view(row)

    def list(self, *, include_inactive: bool = False) -> list[AppointmentTypeView]:
        """Types by name; inactive ones only when asked."""
        query = select(AppointmentType).order_by(func.lower(AppointmentType.name))
        if not include_inactive:
            query = query.where(AppointmentType.active.is_(True))
        with self._db.read() as session:
            return [type_view(r) for r in session.scalars(query)]


def _clean(
    name: str,
    duration_minutes: int,
    color: str,
    default_price_cents: int,
    late_cancel_hours: int,
    capacity: int,
) -> dict[str, Any]:
    clean_name = clean_text(name, "name")
    if not clean_name:
        raise ValidationError("name", "An appointment type needs a name.")
    for value, field in (
        (duration_minutes, "duration_minutes"),
        (default_price_cents, "default_price_cents"),
        (late_cancel_hours, "late_cancel_hours"),
        (capacity, "capacity"),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(field, f"The {field.replace('_', ' ')} must be a whole number.")
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(
            "duration_minutes", "The duration must be between 1 minute and 12 hours."
        )
    if not _COLOR.match(color or ""):
        raise ValidationError("color", f"{color!r} is not a color like #4a90d9.")
    if not 0 <= default_price_cents <= MAX_CENTS:
        raise ValidationError("default_price_cents", "The price can't be negative or that large.")
    if not 0 <= late_cancel_hours <= MAX_LATE_CANCEL_HOURS:
        raise ValidationError("late_cancel_hours", "The late-cancel window must be 0 to 336 hours.")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationError(
            "capacity", f"A session holds 1 to {MAX_CAPACITY} members; {capacity} won't do."
        )
    return {
        "name": clean_name,
        "duration_minutes": duration_minutes,
        "color": color.lower(),
        "default_price_cents": default_price_cents,
        "late_cancel_hours": late_cancel_hours,
        "capacity": capacity,
    }


def _named(session: Session, name: str) -> AppointmentType | None:
    """The type whose name equals ``name`` ignoring case, in any script.

    Compared in Python with casefold: SQLite's lower() folds A-Z only, so
    "Ästhetik" and "ästhetik" would look different to it. A gym has dozens of
    types, not thousands, so reading all names is cheap.
    """
    wanted = name.strip().casefold()
    return next(
        (row for row in session.scalars(select(AppointmentType)) if row.name.casefold() == wanted),
        None,
    )


def _check_unique_name(session: Session, name: str, type_id: int | None) -> None:
    # The rule is case-insensitive, the unique index is not: without the lock two
    # desks saving "Yoga" and "YOGA" at once would both pass (PostgreSQL).
    lock_for_transaction(session, "desk.names.appointment_types")
    other = _named(session, name)
    if other is not None and other.id != type_id:
        raise ValidationError("name", f"There is already an appointment type named {other.name!r}.")
