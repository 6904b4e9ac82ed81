"""Putting a member on hold (freeze): place a hold, end it early, cancel a future one.

The date rules, what a hold covers and the booking refusal live in hold_rules.
A hold moves the expiry of the member's open lots that expire on or after its
start by its length (each lot audited with its old and new date, and stored with
the shift in ``member_hold_lots``); ending it early moves them back by the unused
days, cancelling it by all of them, from what was stored. Booked sessions inside
the window refuse the hold, listed, so the desk can cancel or move each first.
Lots granted during a hold keep the expiry they were given (docs/design.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CreditLot,
    MemberHold,
    MemberHoldLot,
    MemberStatus,
    StaffMember,
    WaitlistEntry,
    WaitlistStatus,
)
from desk.services.calendar.group_sessions import end_entry
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, today
from desk.services.core.errors import InvalidState, NotFound, ValidationError
from desk.services.core.ids import MemberId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.people.hold_rules import (
    check_dates,
    held_days,
    hold_words,
    last_held_day,
    live_holds,
    overlapping,
    window,
)
from desk.services.people.members import lock_member
from desk.services.records import audit


@dataclass(frozen=True)
class HoldView:
    id: int
    member_id: int
    starts_on: date
    ends_on: date
    last_day: date
    """The last held day: ``ends_on``, or the day before it ended early."""
    reason: str
    ended_early_on: date | None
    cancelled: bool
    days: int


@dataclass(frozen=True)
class HeldLot:
    """A lot whose expiry a hold write moved."""

    lot_id: int
    old_expires_on: date
    new_expires_on: date


@dataclass(frozen=True)
class HoldResult:
    hold: HoldView
    lots: tuple[HeldLot, ...]
    left_waitlists: tuple[int, ...] = ()
    """The waitlist entries the member was taken off (sessions in the held days)."""


@dataclass(frozen=True)
class HeldBooking:
    appointment_id: int
    starts_at: datetime
    appointment_type: str
    staff_name: str


class BookedDuringHold(InvalidState):
    """Booked sessions fall inside the hold's dates; ``bookings`` lists them."""

    def __init__(self, message: str, bookings: list[HeldBooking]) -> None:
        super().__init__(message)
        self.bookings = bookings


def _view(hold: MemberHold) -> HoldView:
    return HoldView(hold.id, hold.member_id, hold.starts_on, hold.ends_on, last_held_day(hold),
                    hold.reason, hold.ended_early_on, hold.cancelled_at is not None,
                    held_days(hold))  # fmt: skip


class HoldService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- reads -------------------------------------------------------------------------------

    def holds(self, member_id: MemberId) -> list[HoldView]:
        """The member's holds that are not cancelled, soonest first."""
        with self._db.read() as session:
            return [_view(hold) for hold in session.scalars(live_holds(member_id))]

    def current_hold(self, member_id: MemberId) -> HoldView | None:
        """The hold the member is on today, else their next one; None when neither."""
        on = today(self._clock)
        return next((hold for hold in self.holds(member_id) if hold.last_day >= on), None)

    def bookings_in(self, member_id: MemberId, starts_on: date, ends_on: date) -> list[HeldBooking]:
        """The member's booked sessions on the dates ``starts_on`` to ``ends_on``."""
        with self._db.read() as session:
            return self._booked(session, member_id, starts_on, ends_on)

    # --- writes ------------------------------------------------------------------------------

    @retry_transient
    def place_hold(
        self, member_id: MemberId, *, starts_on: date, ends_on: date, reason: str, actor: Actor
    ) -> Outcome[HoldResult]:
        """Put a member on hold from ``starts_on`` to ``ends_on`` (both held) with a reason.

        Nothing can be booked for them on those days and plan periods starting
        then aren't billed; each open lot expiring on or after ``starts_on`` moves
        its expiry later by the hold's length (audited per lot), and the member
        leaves the waitlists of sessions in those days (``left_waitlists``). Raises
        ValidationError for a missing reason, a start in the past, an end before
        the start or a hold longer than a year; InvalidState for an archived
        member or a hold overlapping another of theirs; BookedDuringHold (an
        InvalidState) listing the booked sessions in those days; NotFound for an
        unknown member.
        """
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT)
        if not clean_reason:
            raise ValidationError(
                "reason", "Say why the member goes on hold (a reason is required)."
            )
        on, now = today(self._clock), self._clock.now()
        check_dates(starts_on, ends_on, on)
        with authorized(self._db, actor, Permission.HOLD_CREDITS) as session:
            member = lock_member(session, member_id)
            name = f"{member.first_name} {member.last_name}".strip()
            if member.status != MemberStatus.ACTIVE.value:
                raise InvalidState(f"{name} is archived; reactivate them first.")
            other = overlapping(session, member.id, starts_on, ends_on)
            if other is not None:
                raise InvalidState(f"{name} is already {hold_words(other)}: holds can't overlap.")
            booked = self._booked(session, member.id, starts_on, ends_on)
            if booked:
                raise BookedDuringHold(
                    f"{name} has {len(booked)} booked session{'s' if len(booked) != 1 else ''} "
                    "in those days: cancel or move them first.",
                    booked,
                )
            hold = MemberHold(member_id=member.id, starts_on=starts_on, ends_on=ends_on,
                              reason=clean_reason, created_at=now,
                              created_by_id=actor.staff_id)  # fmt: skip
            session.add(hold)
            session.flush()
            days = held_days(hold)
            lots = session.execute(
                select(CreditLot.id, CreditLot.expires_on)
                .where(CreditLot.member_id == member.id, CreditLot.remaining > 0,
                       CreditLot.voided_at.is_(None), CreditLot.expires_on >= starts_on)
                .order_by(CreditLot.id)
                .with_for_update()
            ).all()  # fmt: skip
            moved = []
            for lot_id, old in lots:
                assert old is not None
                session.add(MemberHoldLot(hold_id=hold.id, lot_id=lot_id, expires_on_before=old,
                                          days=days))  # fmt: skip
                moved.append(HeldLot(lot_id, old, date.fromordinal(old.toordinal() + days)))
            ledger.set_expiry(session, [lot.lot_id for lot in moved], by_days=days)
            self._audit(session, hold, "member.hold", moved, actor)
            left = self._leave_waitlists(session, member.id, starts_on, ends_on, actor)
            result = HoldResult(_view(hold), tuple(moved), left)
        changes = Changes.of(members=[member_id], credits=[member_id])
        return Outcome(result, changes.merge(Changes.of(bookings=[member_id])) if left else changes)

    @retry_transient
    def end_hold_early(
        self, hold_id: int, *, back_on: date | None = None, actor: Actor
    ) -> Outcome[HoldResult]:
        """End a hold early: the member can book again from ``back_on`` (default today).

        The lots the hold moved move back by the days no longer held (from the
        shift stored when it was placed). Raises ValidationError unless
        ``back_on`` is after the hold's start, on or before its last day and not
        in the past (a hold that hasn't started is cancelled instead);
        InvalidState for a cancelled hold or one already over; NotFound.
        """
        on = today(self._clock)
        back = back_on or on
        with authorized(self._db, actor, Permission.HOLD_CREDITS) as session:
            hold = self._lock_hold(session, hold_id)
            last = last_held_day(hold)
            if hold.cancelled_at is not None or last < on:
                raise InvalidState("That hold is cancelled or already over.")
            if back < on:
                raise ValidationError("back_on", "A hold can't end early on a past date.")
            if back <= hold.starts_on:
                raise ValidationError(
                    "back_on", "The hold hasn't started by then: cancel it instead."
                )
            if back > last:
                raise ValidationError("back_on", f"The hold already ends on {last.isoformat()}.")
            unused = (last - back).days + 1
            hold.ended_early_on = back
            hold.ended_at, hold.ended_by_id = self._clock.now(), actor.staff_id
            moved = self._move_back(session, hold, unused)
            self._audit(session, hold, "member.hold_end", moved, actor)
            result = HoldResult(_view(hold), tuple(moved))
        return Outcome(result, Changes.of(members=[hold.member_id], credits=[hold.member_id]))

    @retry_transient
    def cancel_hold(self, hold_id: int, *, actor: Actor) -> Outcome[HoldResult]:
        """Cancel a hold that hasn't started (or starts today): it covers nothing and
        its lots move back by the whole shift. Raises InvalidState for a hold that
        has started or is already cancelled; NotFound."""
        on = today(self._clock)
        with authorized(self._db, actor, Permission.HOLD_CREDITS) as session:
            hold = self._lock_hold(session, hold_id)
            if hold.cancelled_at is not None:
                raise InvalidState("That hold is already cancelled.")
            if hold.starts_on < on:
                raise InvalidState("That hold has started: end it early instead.")
            days = held_days(hold)
            hold.cancelled_at, hold.cancelled_by_id = self._clock.now(), actor.staff_id
            moved = self._move_back(session, hold, days)
            self._audit(session, hold, "member.hold_cancel", moved, actor)
            result = HoldResult(_view(hold), tuple(moved))
        return Outcome(result, Changes.of(members=[hold.member_id], credits=[hold.member_id]))

    # --- shared steps ------------------------------------------------------------------------

    @staticmethod
    def _lock_hold(session: Session, hold_id: int) -> MemberHold:
        member_id = session.scalar(select(MemberHold.member_id).where(MemberHold.id == hold_id))
        if member_id is None:
            raise NotFound(f"There is no hold #{hold_id}.")
        lock_member(session, member_id)  # the same order as place_hold: member, then hold
        hold = session.scalar(
            select(MemberHold).where(MemberHold.id == hold_id).with_for_update()
            .execution_options(populate_existing=True)
        )  # fmt: skip
        assert hold is not None
        return hold

    @staticmethod
    def _move_back(session: Session, hold: MemberHold, days: int) -> list[HeldLot]:
        rows = session.execute(
            select(MemberHoldLot, CreditLot.expires_on)
            .join(CreditLot, CreditLot.id == MemberHoldLot.lot_id)
            .where(MemberHoldLot.hold_id == hold.id, MemberHoldLot.days > 0)
            .order_by(MemberHoldLot.lot_id)
            .with_for_update()
        ).all()
        moved = []
        for held, current in rows:
            back = min(days, held.days)
            held.days -= back
            if current is not None:
                moved.append(HeldLot(held.lot_id, current,
                                     date.fromordinal(current.toordinal() - back)))  # fmt: skip
                ledger.set_expiry(session, [held.lot_id], by_days=-back)
        return moved

    def _booked(
        self, session: Session, member_id: int, first: date, last: date
    ) -> list[HeldBooking]:
        start, end = window(first, last, self._clock.tz)
        rows = session.execute(
            select(Appointment.id, Appointment.starts_at, AppointmentType.name, StaffMember.name)
            .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
            .join(StaffMember, StaffMember.id == Appointment.staff_id)
            .where(Appointment.member_id == member_id,
                   Appointment.status == AppointmentStatus.BOOKED.value,
                   Appointment.starts_at >= start, Appointment.starts_at < end)
            .order_by(Appointment.starts_at, Appointment.id)
        ).all()  # fmt: skip
        return [HeldBooking(*row) for row in rows]

    def _leave_waitlists(
        self, session: Session, member_id: int, first: date, last: date, actor: Actor
    ) -> tuple[int, ...]:
        # Waiting for a held day would promise a place the promotion then skips
        # (join_waitlist refuses one for the same reason), so the hold ends them.
        start, end = window(first, last, self._clock.tz)
        entries = session.scalars(
            select(WaitlistEntry)
            .where(WaitlistEntry.member_id == member_id,
                   WaitlistEntry.status == WaitlistStatus.WAITING.value,
                   WaitlistEntry.starts_at >= start, WaitlistEntry.starts_at < end)
            .order_by(WaitlistEntry.starts_at, WaitlistEntry.id)
            .with_for_update()
        ).all()  # fmt: skip
        now = self._clock.now()
        for entry in entries:
            end_entry(session, entry, WaitlistStatus.LEFT, action="waitlist.leave", at=now,
                      actor=actor)  # fmt: skip
        return tuple(entry.id for entry in entries)

    def _audit(
        self, session: Session, hold: MemberHold, action: str, moved: list[HeldLot], actor: Actor
    ) -> None:
        at = self._clock.now()
        audit.record(
            session, at=at, actor=actor, action=action, entity="member", entity_id=hold.member_id,
            member_id=hold.member_id,
            after={"hold_id": hold.id, "starts_on": hold.starts_on, "ends_on": hold.ends_on,
                   "last_day": last_held_day(hold), "reason": hold.reason, "lots": len(moved)},
        )  # fmt: skip
        why = f"hold #{hold.id}: {hold.reason}"
        audit.record_many(
            session, at=at, actor=actor, action="credits.expiry", entity="credit_lot",
            rows=[(lot.lot_id, hold.member_id, {"expires_on": lot.old_expires_on},
                   {"expires_on": lot.new_expires_on, "reason": why, "hold_id": hold.id})
                  for lot in moved],
        )  # fmt: skip
