"""The rules of a member's hold (freeze), in one place.

A hold covers the member's local dates from ``starts_on`` to its last held day
(``ends_on``, or the day before ``ended_early_on``); a cancelled hold covers
nothing. On a held day nothing may be booked for the member (``refuse_on_hold``,
called by booking, moving and the waitlist's promotion) and no plan period that
starts then is billed (``billing_paused``). Reads that decide a write lock the
member's row first, the same row ``place_hold`` locks, so a booking and a hold
placed at once can't both pass (docs/concurrency.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from desk.models import Member, MemberHold
from desk.services.calendar.booking_reads import long_date
from desk.services.core.errors import Conflict, ValidationError
from desk.services.people.members import lock_member

MAX_HOLD_DAYS = 366


class OnHold(Conflict):
    """The member is on hold on the day of a booking or a move; ``hold_id`` names it."""

    def __init__(self, message: str, hold_id: int) -> None:
        super().__init__(message)
        self.hold_id = hold_id


def last_held_day(hold: MemberHold) -> date:
    """The hold's last day (its end, or the day before it ended early)."""
    if hold.ended_early_on is not None:
        return hold.ended_early_on - timedelta(days=1)
    return hold.ends_on


def held_days(hold: MemberHold) -> int:
    """How many days the hold covers: what the expiry of its lots moves by (0 if cancelled)."""
    if hold.cancelled_at is not None:
        return 0
    return (last_held_day(hold) - hold.starts_on).days + 1


def check_dates(starts_on: date, ends_on: date, on: date) -> None:
    """A new hold's dates: from today or later, ending on or after its start, at most a
    year long. Raises ValidationError."""
    if starts_on < on:
        raise ValidationError("starts_on", "A hold starts today or later, not in the past.")
    if ends_on < starts_on:
        raise ValidationError("ends_on", "A hold can't end before it starts.")
    if (ends_on - starts_on).days + 1 > MAX_HOLD_DAYS:
        raise ValidationError("ends_on", f"A hold lasts at most {MAX_HOLD_DAYS} days.")


def live_holds(member_id: int) -> Select[MemberHold]:
    """The member's holds that are not cancelled, soonest first."""
    return (
        select(MemberHold)
        .where(MemberHold.member_id == member_id, MemberHold.cancelled_at.is_(None))
        .order_by(MemberHold.starts_on, MemberHold.id)
    )


def overlapping(
    session: Session, member_id: int, first: date, last: date, *, ignore: int | None = None
) -> MemberHold | None:
    """A live hold of the member that covers any day from ``first`` to ``last``."""
    for hold in session.scalars(live_holds(member_id).where(MemberHold.starts_on <= last)):
        if hold.id != ignore and last_held_day(hold) >= first:
            return hold
    return None


def hold_on(session: Session, member_id: int, day: date, *, lock: bool) -> MemberHold | None:
    """The hold covering ``day`` for the member, or None; with ``lock``, the member's
    row is held first (a write that books on that answer)."""
    if lock:
        lock_member(session, member_id)
    return overlapping(session, member_id, day, day)


def hold_words(hold: MemberHold) -> str:
    """The hold in words: on hold from Friday 1 January 2027 to ... (injury)."""
    return (
        f"on hold from {long_date(hold.starts_on)} to {long_date(last_held_day(hold))}"
        f" ({hold.reason})"
    )


def refuse_on_hold(
    session: Session, tz: tzinfo, member: Member, starts_at: datetime, *, lock: bool = True
) -> None:
    """The one check that nothing is booked (or moved) onto a held day of the member.

    Raises OnHold (a Conflict): "Ann Lee is on hold from … to … (injury)".
    """
    hold = hold_on(session, member.id, starts_at.astimezone(tz).date(), lock=lock)
    if hold is not None:
        name = f"{member.first_name} {member.last_name}".strip()
        raise OnHold(f"{name} is {hold_words(hold)}: nothing can be booked then.", hold.id)


def billing_paused(session: Session, member_id: int) -> Callable[[date], bool]:
    """Whether a plan period of the member starting on a date falls in a hold (it is
    then not billed; ending the hold early makes the later periods billable again)."""
    windows = [(h.starts_on, last_held_day(h)) for h in session.scalars(live_holds(member_id))]
    return lambda start: any(first <= start <= last for first, last in windows)


def window(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of the local dates ``first`` to ``last``, as UTC moments."""
    start = datetime.combine(first, time.min, tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    return start, end
