"""The waitlist of a full session: join it, leave it, read it, and today's promotions.

Promotion itself (a place comes free: the first waiting member with a usable
credit is booked) is ``group_sessions.promote``, called by cancel and move.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from desk.db import Database
from desk.models import (
    AppointmentType,
    Member,
    MemberStatus,
    StaffMember,
    WaitlistEntry,
    WaitlistStatus,
)
from desk.services.calendar.appointment_types import load_type
from desk.services.calendar.booking_reads import lock_staff, require_aware
from desk.services.calendar.group_sessions import (
    SessionKey,
    at_session,
    end_entry,
    entry_snapshot,
    member_name,
    session_rows,
)
from desk.services.calendar.today import day_bounds
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, today
from desk.services.core.errors import InvalidState, NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.read_models import WaitlistEntryView
from desk.services.core.retry import retry_transient
from desk.services.people.hold_rules import refuse_on_hold
from desk.services.people.members import load_member
from desk.services.records import audit


def _entries_query() -> Select[WaitlistEntry, str, str, str, str]:
    coach = aliased(StaffMember)
    return (
        select(WaitlistEntry, Member.first_name, Member.last_name, AppointmentType.name, coach.name)
        .join(Member, Member.id == WaitlistEntry.member_id)
        .join(AppointmentType, AppointmentType.id == WaitlistEntry.appointment_type_id)
        .join(coach, coach.id == WaitlistEntry.staff_id)
    )


def _view(row: tuple[WaitlistEntry, str, str, str, str]) -> WaitlistEntryView:
    entry, first, last, type_name, staff_name = row
    return WaitlistEntryView(
        id=entry.id,
        member_id=entry.member_id,
        member_name=f"{first} {last}".strip(),
        appointment_type_id=entry.appointment_type_id,
        appointment_type=type_name,
        staff_id=entry.staff_id,
        staff_name=staff_name,
        starts_at=entry.starts_at,
        ends_at=entry.ends_at,
        status=entry.status,
        created_at=entry.created_at,
        ended_at=entry.ended_at,
        appointment_id=entry.appointment_id,
    )


def _one(session: Session, entry_id: int) -> WaitlistEntryView:
    row = session.execute(_entries_query().where(WaitlistEntry.id == entry_id)).first()
    if row is None:
        raise NotFound(f"There is no waitlist entry #{entry_id}.")
    return _view(row)


class Waitlist:
    """The waitlist part of BookingService (mixed in)."""

    _db: Database
    _clock: Clock

    @retry_transient
    def join_waitlist(
        self,
        *,
        member_id: MemberId,
        appointment_type_id: AppointmentTypeId,
        staff_id: StaffId,
        starts_at: datetime,
        ends_at: datetime,
        actor: Actor,
    ) -> Outcome[WaitlistEntryView]:
        """Put a member on the waitlist of a full session (the coach's session of the
        type at exactly ``starts_at`` to ``ends_at``); they are booked automatically
        when a place comes free and they have a usable credit.

        Raises InvalidState when the session has room (book instead), has started,
        or the member is already in it or waiting for it; ValidationError for an
        archived member or a naive time; OnHold when the member is on hold that day;
        NotFound for unknown ids.
        """
        require_aware(starts_at, "starts_at")
        require_aware(ends_at, "ends_at")
        now = self._clock.now()
        with authorized(self._db, actor, Permission.BOOK) as session:
            member = load_member(session, member_id)
            kind = load_type(session, appointment_type_id)
            lock_staff(session, staff_id)  # the session's room can't change meanwhile
            name = member_name(member)
            if member.status != MemberStatus.ACTIVE.value:
                raise ValidationError("member", f"{name} is archived; reactivate them first.")
            if starts_at <= now:
                raise InvalidState("This session has started: its waitlist is closed.")
            # Waiting for a held day would promise a place the promotion then skips.
            refuse_on_hold(session, self._clock.tz, member, starts_at)
            key = SessionKey(staff_id, kind.id, starts_at, ends_at)
            rows = session_rows(session, key)
            if any(row.member_id == member.id for row in rows):
                raise InvalidState(f"{name} is already booked into this session.")
            if len(rows) < kind.capacity:
                raise InvalidState(
                    f"This {kind.name} session has a free place: book {name} into it instead."
                )
            waiting = session.scalar(
                select(WaitlistEntry.id).where(
                    WaitlistEntry.member_id == member.id,
                    at_session(WaitlistEntry, key),
                    WaitlistEntry.status == WaitlistStatus.WAITING.value,
                )
            )
            if waiting is not None:
                raise InvalidState(f"{name} is already on this session's waitlist.")
            entry = WaitlistEntry(
                member_id=member.id,
                appointment_type_id=kind.id,
                staff_id=staff_id,
                starts_at=starts_at,
                ends_at=ends_at,
                status=WaitlistStatus.WAITING.value,
                created_at=now,
                created_by_id=actor.staff_id,
            )
            session.add(entry)
            session.flush()
            audit.record(
                session,
                at=now,
                actor=actor,
                action="waitlist.join",
                entity="waitlist_entry",
                entity_id=entry.id,
                member_id=member.id,
                after=entry_snapshot(entry),
            )
            view = _one(session, entry.id)
        return Outcome(view, Changes.of(bookings=[member_id]))

    @retry_transient
    def leave_waitlist(self, entry_id: int, *, actor: Actor) -> Outcome[WaitlistEntryView]:
        """Take a member off a session's waitlist.

        Raises InvalidState when they are no longer waiting (promoted or already
        left), NotFound for an unknown entry.
        """
        now = self._clock.now()
        with authorized(self._db, actor, Permission.BOOK) as session:
            entry = session.scalar(
                select(WaitlistEntry).where(WaitlistEntry.id == entry_id).with_for_update()
            )
            if entry is None:
                raise NotFound(f"There is no waitlist entry #{entry_id}.")
            if entry.status != WaitlistStatus.WAITING.value:
                raise InvalidState(f"They are no longer waiting: the entry is {entry.status}.")
            end_entry(
                session, entry, WaitlistStatus.LEFT, action="waitlist.leave", at=now, actor=actor
            )
            session.flush()
            view = _one(session, entry.id)
        return Outcome(view, Changes.of(bookings=[view.member_id]))

    def waitlist(
        self,
        *,
        staff_id: StaffId,
        appointment_type_id: AppointmentTypeId,
        starts_at: datetime,
        ends_at: datetime,
    ) -> list[WaitlistEntryView]:
        """The members waiting for a session, first come first."""
        query = (
            _entries_query()
            .where(
                at_session(
                    WaitlistEntry, SessionKey(staff_id, appointment_type_id, starts_at, ends_at)
                ),
                WaitlistEntry.status == WaitlistStatus.WAITING.value,
            )
            .order_by(WaitlistEntry.id)
        )
        with self._db.read() as session:
            return [_view(row) for row in session.execute(query)]

    def promotions(self, day: date | None = None) -> list[WaitlistEntryView]:
        """The waitlist promotions made on ``day`` (the gym's local date; default
        today), in the order they were made."""
        start, end = day_bounds(day or today(self._clock), self._clock)
        query = (
            _entries_query()
            .where(
                WaitlistEntry.status == WaitlistStatus.PROMOTED.value,
                WaitlistEntry.ended_at >= start,
                WaitlistEntry.ended_at < end,
            )
            .order_by(WaitlistEntry.ended_at, WaitlistEntry.id)
        )
        with self._db.read() as session:
            return [_view(row) for row in session.execute(query)]
