"""Undo the last credit action: Add Credits, Adjust, Sell, Void, a transfer or a check-in.

An action is named by its audit event (``UndoToken``, or the event's id on the command
line). ``undo_refusal`` is the one rule: within ``UNDO_MINUTES`` of the action, not
undone already, and nothing depends on it (undo_steps says what would); the undo then
writes reversing entries only (undo_steps) and one audit row, ``credits.undo``, naming
the event it undid. A check-in is undone by the status undo, whose own audit row
(``appointment.undo_status``) is the undo's.

Who may undo: anyone holding the permission(s) the action itself needed (the person
who did it holds them, unless their role changed since); no permission of its own.

Two desks undoing the same action at once: the audit event's row is locked first
(PostgreSQL; SQLite's writes take turns anyway) and whoever comes second finds the
``credits.undo`` row of the first and is refused (docs/concurrency.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import AuditEvent
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import InvalidState, NotFound
from desk.services.core.permissions import authorize, require_own_appointment
from desk.services.core.retry import retry_transient
from desk.services.credits.undo_steps import PREPARE, Step, prepare, transfer_event
from desk.services.records import audit

UNDO_MINUTES = 10
UNDO_WINDOW = timedelta(minutes=UNDO_MINUTES)
UNDO_ACTION = "credits.undo"


@dataclass(frozen=True)
class UndoToken:
    """What was done, as Undo names it: the action's audit event."""

    event_id: int
    action: str
    member_id: int | None
    at: datetime
    summary: str
    """ "Added 10 Personal training credits": what the status line offers to undo."""


@dataclass(frozen=True)
class UndoResult:
    event_id: int
    action: str
    summary: str
    """What was undone ("Added 10 Personal training credits")."""
    member_ids: tuple[int, ...]


def undo_refusal(done_at: datetime, now: datetime, undone: bool, step: Step) -> str | None:
    """THE rule of Undo: why ``step`` (done at ``done_at``) can't be undone now, or None.

    Only within ``UNDO_MINUTES``, only once, and only while nothing depends on it
    (``step.blocker``: the credits were booked, the sale voided, the session changed...).
    """
    age = now - done_at
    if age > UNDO_WINDOW:
        minutes = int(age.total_seconds() // 60)
        return f"Undo is only for {UNDO_MINUTES} minutes: this was {minutes} minutes ago."
    if undone:
        return "This was undone already."
    blocker = step.blocker()
    if blocker is not None:
        return f"Can't undo: {blocker}."
    return None


def _by(actor: Actor) -> ColumnElement[bool]:
    if actor.staff_id is None:
        return (AuditEvent.actor_id.is_(None)) & (AuditEvent.actor_label == (actor.label or None))
    return AuditEvent.actor_id == actor.staff_id


def _undone(session: Session, event_id: int) -> bool:
    return (
        session.scalar(
            select(AuditEvent.id).where(
                AuditEvent.action == UNDO_ACTION,
                AuditEvent.entity == "audit_event",
                AuditEvent.entity_id == event_id,
            )
        )
        is not None
    )


def _claim(session: Session, event_id: int) -> tuple[AuditEvent, bool]:
    """The action's audit event, its row locked, and whether it was undone already.

    The lock comes before the look for an earlier undo, so two undos of one action
    take turns and the second sees the first's row (the guard of the race test)."""
    event = session.scalar(select(AuditEvent).where(AuditEvent.id == event_id).with_for_update())
    if event is None:
        raise NotFound(f"There is no audit event #{event_id}.")
    return event, _undone(session, event_id)


class CreditUndoService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def last_action(self, member_id: int, *, by: Actor) -> UndoToken | None:
        """The newest change ``by`` made to this member, if it is an action Undo takes
        back, done within the last ``UNDO_MINUTES`` and not undone yet; else None.
        (Whether something depends on it is said when Undo is tried.)"""
        now = self._clock.now()
        with self._db.read() as session:
            event = session.scalar(
                select(AuditEvent)
                .where(AuditEvent.member_id == member_id, _by(by))
                .order_by(AuditEvent.id.desc())
                .limit(1)
            )
            if event is None or event.action not in PREPARE or now - event.at > UNDO_WINDOW:
                return None
            event = transfer_event(session, event)
            if _undone(session, event.id):
                return None
            try:
                step = prepare(session, event, self._clock)
            except (InvalidState, NotFound):
                return None
            return UndoToken(event.id, event.action, member_id, event.at, step.summary)

    @retry_transient
    def undo(self, action: UndoToken | int, *, actor: Actor) -> Outcome[UndoResult]:
        """Take back an Add Credits, Adjust, Sell, Void, transfer or check-in by reversing
        entries (never an edit of what it wrote), within ``UNDO_MINUTES`` and while
        nothing depends on it; one audit row.

        Raises InvalidState saying why when it can't (too late, undone already, credits
        booked since, the sale voided, the session changed...) or for an action Undo
        doesn't take back, PermissionDenied unless the actor holds what the action
        needed, NotFound for an unknown event.
        """
        event_id = action.event_id if isinstance(action, UndoToken) else int(action)
        now = self._clock.now()
        with self._db.write() as session:
            event, undone = _claim(session, event_id)
            giver = transfer_event(session, event)
            if giver.id != event.id:
                event, undone = _claim(session, giver.id)
            step = prepare(session, event, self._clock)
            role = authorize(session, actor, *step.permissions)
            if step.appointment_id is not None:
                require_own_appointment(session, role, actor, step.appointment_id)
            refusal = undo_refusal(event.at, now, undone, step)
            if refusal is not None:
                raise InvalidState(refusal)
            reason = f"undo: {step.summary}"
            step.reverse(now, actor, reason)
            if step.appointment_id is None:  # a check-in's undo audits itself
                audit.record(
                    session,
                    at=now,
                    actor=actor,
                    action=UNDO_ACTION,
                    entity="audit_event",
                    entity_id=event.id,
                    member_id=event.member_id,
                    after={"undone_action": event.action, "what": step.summary,
                           "members": list(step.members)},
                )  # fmt: skip
            session.flush()
            result = UndoResult(event.id, event.action, step.summary, step.members)
        members = step.members
        appointments = [step.appointment_id] if step.appointment_id is not None else []
        return Outcome(
            result,
            Changes.of(
                credits=members,
                members=members if step.account else (),
                appointments=appointments,
                bookings=members if appointments else (),
            ),
        )
