"""Book now, pay later: the reads and the one setting of unpaid bookings.

Booking unpaid is ``BookingService.book(..., unpaid=True)`` (and ``book_series``);
who may is desk/services/calendar/unpaid_rule.py; settling is
desk/services/credits/settle_unpaid.py, run by every grant.
"""

from __future__ import annotations

from sqlalchemy import select

from desk.db import Database
from desk.models import Appointment, GymSetting
from desk.services.calendar.booking_reads import view, views_query
from desk.services.calendar.unpaid_rule import (
    FRONT_DESK_BOOKS_UNPAID,
    front_desk_books_unpaid,
    may_book_unpaid,
)
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.ids import MemberId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.read_models import AppointmentView
from desk.services.core.retry import retry_transient
from desk.services.credits.settle_unpaid import OWING_STATUSES
from desk.services.records import audit


class UnpaidService:
    """Unpaid bookings: who may make them, and which a member still owes for."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def front_desk_books_unpaid(self) -> bool:
        """Whether the gym lets the front desk book without a credit (default: no)."""
        with self._db.read() as session:
            return front_desk_books_unpaid(session)

    def may_book_unpaid(self, who: Actor) -> bool:
        """Whether ``who`` may book unpaid now (for the booking dialog's offer; the
        booking checks again)."""
        with self._db.read() as session:
            return may_book_unpaid(session, who)

    def owing(self, member_id: MemberId) -> list[AppointmentView]:
        """The member's bookings that still owe a credit, oldest first."""
        with self._db.read() as session:
            query = (
                views_query()
                .where(
                    Appointment.member_id == member_id,
                    Appointment.unpaid.is_(True),
                    Appointment.status.in_(OWING_STATUSES),
                )
                .order_by(Appointment.starts_at, Appointment.id)
            )
            return [view(row) for row in session.execute(query)]

    @retry_transient
    def set_front_desk_books_unpaid(self, allowed: bool, *, actor: Actor) -> Outcome[bool]:
        """Let the front desk book without a credit (``allowed``) or not; audited as a
        settings change. Raises PermissionDenied without the settings permission."""
        now = self._clock.now()
        text = "1" if allowed else "0"
        with authorized(self._db, actor, Permission.SETTINGS) as session:
            row = session.scalar(
                select(GymSetting)
                .where(GymSetting.key == FRONT_DESK_BOOKS_UNPAID)
                .with_for_update()
            )
            before = row is not None and row.value == "1"
            if row is None:
                session.add(GymSetting(key=FRONT_DESK_BOOKS_UNPAID, value=text, updated_at=now,
                                       updated_by_id=actor.staff_id))  # fmt: skip
                session.flush()  # two desks inserting it at once: the loser retries
            else:
                row.value, row.updated_at, row.updated_by_id = text, now, actor.staff_id
            if before != allowed:
                audit.record(
                    session, at=now, actor=actor, action="settings.update", entity="setting",
                    entity_id=None, before={FRONT_DESK_BOOKS_UNPAID: before},
                    after={FRONT_DESK_BOOKS_UNPAID: allowed},
                )  # fmt: skip
        return Outcome(allowed, Changes())
