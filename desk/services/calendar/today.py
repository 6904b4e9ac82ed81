"""The desk's day: everyone booked on one local date, with what the desk needs to act."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from desk.db import Database
from desk.models import Appointment, AppointmentStatus, CreditLot
from desk.services.calendar.booking_reads import check_in_opens_at, view, views_query
from desk.services.core.clock import Clock, today
from desk.services.core.ids import MemberId
from desk.services.core.read_models import AppointmentView
from desk.services.credits.paying_lot import can_pay_on
from desk.services.credits.pool_lots import own_lot

CANCELLED = (AppointmentStatus.CANCELLED.value, AppointmentStatus.LATE_CANCELLED.value)


@dataclass(frozen=True, slots=True)
class TodayRow:
    """One session of the day and what the desk can do with it now."""

    appointment: AppointmentView
    open_credits: int
    """Credits of the session's type the member can still book (after this one)."""
    late: bool
    """Booked, its start has passed, and nobody checked them in."""
    check_in_open: bool
    """Today's session whose check-in has opened (the gym's setting before the start)."""

    @property
    def out_of_credits(self) -> bool:
        """No credit of this type left to pay for their next session."""
        return self.open_credits <= 0

    @property
    def can_check_in(self) -> bool:
        return self.appointment.status == AppointmentStatus.BOOKED and self.check_in_open

    @property
    def can_cancel(self) -> bool:
        return self.appointment.status == AppointmentStatus.BOOKED

    @property
    def started(self) -> bool:
        return self.late or self.appointment.status != AppointmentStatus.BOOKED

    @property
    def can_no_show(self) -> bool:
        return self.late


def day_bounds(day: date, clock: Clock) -> tuple[datetime, datetime]:
    """[start, end) of a local date, as UTC moments (a DST day is 23 or 25 hours)."""
    start = datetime.combine(day, time.min, tzinfo=clock.tz).astimezone(UTC)
    following = day + timedelta(days=1)
    return start, datetime.combine(following, time.min, tzinfo=clock.tz).astimezone(UTC)


class TodayReads:
    """``today``: a read of BookingService (mixed in)."""

    _db: Database
    _clock: Clock

    def today(
        self,
        day: date | None = None,
        *,
        member_id: MemberId | None = None,
        include_cancelled: bool = False,
    ) -> list[TodayRow]:
        """The sessions starting on ``day`` (the gym's local date; default today), by
        start time, each with the member's open credits of its type: one query.

        Cancelled sessions are left out unless ``include_cancelled``; ``member_id``
        narrows the day to one member (the search bar's check-in offer).
        """
        on = day or today(self._clock)
        start, end = day_bounds(on, self._clock)
        open_left = (
            select(func.coalesce(func.sum(CreditLot.remaining), 0))
            .where(
                CreditLot.member_id == Appointment.member_id,
                own_lot(),
                CreditLot.appointment_type_id == Appointment.appointment_type_id,
                can_pay_on(max(on, today(self._clock))),
            )
            .correlate(Appointment)
            .scalar_subquery()
        )
        query = (
            views_query()
            .add_columns(open_left)
            .where(Appointment.starts_at >= start, Appointment.starts_at < end)
            .order_by(Appointment.starts_at, Appointment.id)
        )
        if not include_cancelled:
            query = query.where(Appointment.status.not_in(CANCELLED))
        if member_id is not None:
            query = query.where(Appointment.member_id == member_id)
        now = self._clock.now()
        is_today = on == today(self._clock)
        with self._db.read() as session:
            rows = []
            for *columns, left in session.execute(query):
                appt = view(tuple(columns))
                late = appt.status == AppointmentStatus.BOOKED and now >= appt.starts_at
                opened = is_today and now >= check_in_opens_at(session, appt.starts_at)
                rows.append(TodayRow(appt, int(left or 0), late, opened))
            return rows

    def check_in_offer(self, member_id: MemberId) -> TodayRow | None:
        """The member's session today the desk would check them in for: of the booked
        ones whose check-in has opened, the first that hasn't ended, else the first;
        None if none."""
        booked = [r for r in self.today(member_id=member_id) if r.can_check_in]
        now = self._clock.now()
        return next((r for r in booked if r.appointment.ends_at > now), None) or next(
            iter(booked), None
        )
