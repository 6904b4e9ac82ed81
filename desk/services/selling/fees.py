"""Fees by policy: a type's late-cancel and no-show fees on the member's account.

The one rule (``fee_due``): a late cancel charges the type's late-cancel fee, a
no-show its no-show fee, nothing else charges one, and a fee of $0 is none.
``settle_status`` is what a late cancel or a no-show does to the credit and the
account, in the caller's transaction: the credit is forfeited, unless the type
says its fee replaces the forfeit, when the credit goes back to its lot by a
release (like a late cancel forgiven); then the fee is charged.

The account ledger is append-only like the credits': a fee is an entry of kind
``fee`` naming its appointment, and taking it back is a ``waiver`` entry naming
the fee (``reverses_id`` is UNIQUE, so no fee is waived twice). A waiver is
written by staff waiving it (``FeeService.waive``, with a reason), by undoing
the status (``status_undo``: it did not happen) and by forgiving the late cancel
or no-show afterwards (``forgiving``: a gym that forgives the missed session
does not want the fee either). An appointment has at most one fee not waived.

Both writes read before they write, under locks: a fee is charged with the
appointment row locked by the status change (so eight desks marking one
no-show charge one fee; the fee's idempotency key, its appointment and how many
of its fees were waived before, backs that up: UNIQUE, it refuses a second fee
while one is open), and a waiver locks the member's account
(``locked_balance``) before it looks for an earlier waiver.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from desk.db import Database
from desk.models import (
    AccountEntry,
    AccountEntryKind,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    EntryKind,
    StaffMember,
)
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import InvalidState, NotFound, ValidationError
from desk.services.core.ids import AppointmentId, MemberId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.people.members import load_member
from desk.services.records import audit
from desk.services.selling.account import locked_balance

# What the desk calls the fee of each status that can charge one.
FEE_NAMES = {
    AppointmentStatus.LATE_CANCELLED: "late-cancel fee",
    AppointmentStatus.NO_SHOW: "no-show fee",
}


@dataclass(frozen=True, slots=True)
class FeeDue:
    """The fee a status change charges: how much, what it is called, and whether the
    credit goes back to its lot instead of being forfeited."""

    cents: int
    name: str
    replaces_forfeit: bool


@dataclass(frozen=True, slots=True)
class FeeView:
    """One fee on a member's account, with its appointment and whether it was waived."""

    id: int
    member_id: int
    appointment_id: int
    appointment_type: str
    starts_at: datetime
    name: str
    amount_cents: int
    currency: str
    at: datetime
    by: str | None
    waived: bool
    waived_at: datetime | None
    waiver_note: str | None


def fee_due(kind: AppointmentType, status: AppointmentStatus) -> FeeDue | None:
    """The fee, if any, ``kind`` charges when an appointment becomes ``status``."""
    if status == AppointmentStatus.LATE_CANCELLED:
        cents = kind.late_cancel_fee_cents
    elif status == AppointmentStatus.NO_SHOW:
        cents = kind.no_show_fee_cents
    else:
        return None
    if cents <= 0:
        return None
    return FeeDue(cents, FEE_NAMES[status], bool(kind.fee_replaces_forfeit))


def settle_status(
    session: Session,
    appt: Appointment,
    kind: AppointmentType,
    status: AppointmentStatus,
    *,
    at: datetime,
    actor: Actor,
    reason: str,
) -> FeeDue | None:
    """What a late cancel or no-show does to the credit and the account.

    The caller holds the appointment's row lock and has just set ``status``. The
    credit that paid (if any) is forfeited, or, when the type's fee replaces the
    forfeit, released back to its lot; the fee (if any) is charged. Returns the fee.
    """
    due = fee_due(kind, status)
    if appt.lot_id is not None:
        if due is not None and due.replaces_forfeit:
            ledger.release(session, lot_id=appt.lot_id, appointment_id=appt.id, at=at,
                           actor=actor, reason=f"{reason}: a {due.name} instead")  # fmt: skip
        else:
            ledger.post(session, lot_id=appt.lot_id, kind=EntryKind.FORFEIT, delta=0, at=at,
                        actor=actor, reason=reason, appointment_id=appt.id)  # fmt: skip
    if due is not None:
        _charge(session, appt, kind, due, at, actor)
    return due


def _charge(
    session: Session,
    appt: Appointment,
    kind: AppointmentType,
    due: FeeDue,
    at: datetime,
    actor: Actor,
) -> AccountEntry:
    locked_balance(session, appt.member_id)
    # The key counts the appointment's waivers: a second fee while one is open gets the
    # same key as that one and fails (UNIQUE), whenever it read; after a waiver, a new one.
    waived = session.scalar(
        select(func.count()).where(
            AccountEntry.appointment_id == appt.id,
            AccountEntry.kind == AccountEntryKind.WAIVER.value,
        )
    )
    entry = AccountEntry(
        member_id=appt.member_id,
        kind=AccountEntryKind.FEE.value,
        amount_cents=-due.cents,
        currency=kind.currency,
        at=at,
        by_id=actor.staff_id,
        note=due.name,
        appointment_id=appt.id,
        idempotency_key=f"fee:{appt.id}:{int(waived or 0) + 1}",
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        at=at,
        actor=actor,
        action="account.fee",
        entity="member",
        entity_id=appt.member_id,
        member_id=appt.member_id,
        after={"fee_id": entry.id, "appointment_id": appt.id, "amount_cents": due.cents,
               "fee": due.name, "appointment_type": kind.name},
    )  # fmt: skip
    return entry


def open_fee(session: Session, appointment_id: int) -> AccountEntry | None:
    """The appointment's fee not waived yet, if any (there is at most one)."""
    waiver = aliased(AccountEntry)
    return session.scalar(
        select(AccountEntry)
        .outerjoin(waiver, waiver.reverses_id == AccountEntry.id)
        .where(
            AccountEntry.appointment_id == appointment_id,
            AccountEntry.kind == AccountEntryKind.FEE.value,
            waiver.id.is_(None),
        )
    )


def _waive(session: Session, fee: AccountEntry, at: datetime, actor: Actor, note: str) -> int:
    waiver = AccountEntry(
        member_id=fee.member_id,
        kind=AccountEntryKind.WAIVER.value,
        amount_cents=-fee.amount_cents,
        currency=fee.currency,
        at=at,
        by_id=actor.staff_id,
        note=note,
        appointment_id=fee.appointment_id,
        reverses_id=fee.id,
    )
    session.add(waiver)
    session.flush()
    audit.record(
        session,
        at=at,
        actor=actor,
        action="account.waive_fee",
        entity="member",
        entity_id=fee.member_id,
        member_id=fee.member_id,
        after={"fee_id": fee.id, "appointment_id": fee.appointment_id,
               "amount_cents": -fee.amount_cents, "fee": fee.note, "reason": note},
    )  # fmt: skip
    return waiver.id


def waive_open_fee(
    session: Session, appointment_id: int, *, at: datetime, actor: Actor, reason: str
) -> bool:
    """Waive the appointment's open fee, if it has one (an undo or a forgive of its
    status, whose lock the caller holds); True if there was one."""
    fee = open_fee(session, appointment_id)
    if fee is None:
        return False
    locked_balance(session, fee.member_id)
    _waive(session, fee, at, actor, reason)
    return True


def _fee_views(session: Session, *where: ColumnElement[bool]) -> list[FeeView]:
    waiver = aliased(AccountEntry)
    rows = session.execute(
        select(
            AccountEntry,
            AppointmentType.name,
            Appointment.starts_at,
            StaffMember.name,
            waiver.at,
            waiver.note,
        )
        .join(Appointment, Appointment.id == AccountEntry.appointment_id)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .outerjoin(StaffMember, StaffMember.id == AccountEntry.by_id)
        .outerjoin(waiver, waiver.reverses_id == AccountEntry.id)
        .where(AccountEntry.kind == AccountEntryKind.FEE.value, *where)
        .order_by(AccountEntry.at.desc(), AccountEntry.id.desc())
    )
    return [
        FeeView(
            id=fee.id,
            member_id=fee.member_id,
            appointment_id=fee.appointment_id or 0,
            appointment_type=type_name,
            starts_at=starts_at,
            name=fee.note,
            amount_cents=-fee.amount_cents,
            currency=fee.currency,
            at=fee.at,
            by=by,
            waived=waived_at is not None,
            waived_at=waived_at,
            waiver_note=waiver_note,
        )
        for fee, type_name, starts_at, by, waived_at, waiver_note in rows
    ]


def statement_fees(fees: list[FeeView], since: date, tz: tzinfo) -> tuple[FeeView, ...]:
    """The fees a statement lists: charged on or after ``since`` (the gym's day), or
    still open whenever they were charged."""
    return tuple(f for f in fees if not f.waived or f.at.astimezone(tz).date() >= since)


class FeeService:
    """Fees on members' accounts: what they are, what a status change would charge, waiving."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def fees(self, member_id: MemberId) -> list[FeeView]:
        """A member's fees, newest first, waived ones included. Raises NotFound."""
        with self._db.read() as session:
            load_member(session, member_id)
            return _fee_views(session, AccountEntry.member_id == member_id)

    def get(self, fee_id: int) -> FeeView:
        """One fee. Raises NotFound when no fee has this id."""
        with self._db.read() as session:
            found = _fee_views(session, AccountEntry.id == fee_id)
        if not found:
            raise NotFound(f"There is no fee #{fee_id}.")
        return found[0]

    def fee_for(self, appointment_id: AppointmentId, status: AppointmentStatus) -> FeeDue | None:
        """The fee the appointment's type would charge if it became ``status`` now (what
        the cancel dialog and the no-show question say). Raises NotFound."""
        with self._db.read() as session:
            appt = session.get(Appointment, appointment_id)
            if appt is None:
                raise NotFound(f"There is no appointment #{appointment_id}.")
            kind = session.get(AppointmentType, appt.appointment_type_id)
            assert kind is not None
            return fee_due(kind, status)

    @retry_transient
    def waive(self, fee_id: int, *, reason: str, actor: Actor) -> Outcome[FeeView]:
        """Waive a late-cancel or no-show fee: a waiver entry gives the amount back to
        the account; the fee itself stays in the history.

        The member's account is locked before the fee is read, so of several desks
        waiving one fee one waives it and the others are refused (a waiver per fee
        is also UNIQUE). Raises ValidationError without a reason, InvalidState when
        it was waived already, PermissionDenied for a role that may not waive fees,
        NotFound when no fee has this id.
        """
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT)
        if not clean_reason:
            raise ValidationError("reason", "Say why the fee is waived.")
        now = self._clock.now()
        with authorized(self._db, actor, Permission.WAIVE_FEE) as session:
            member_id = session.scalar(
                select(AccountEntry.member_id).where(
                    AccountEntry.id == fee_id, AccountEntry.kind == AccountEntryKind.FEE.value
                )
            )
            if member_id is None:
                raise NotFound(f"There is no fee #{fee_id}.")
            locked_balance(session, member_id)
            fee = session.get(AccountEntry, fee_id)
            assert fee is not None
            waived = session.scalar(select(func.count()).where(AccountEntry.reverses_id == fee_id))
            if waived:
                raise InvalidState(f"Fee #{fee_id} was waived already.")
            _waive(session, fee, now, actor, clean_reason)
            [view] = _fee_views(session, AccountEntry.id == fee_id)
        return Outcome(view, Changes.of(members=[member_id]))
