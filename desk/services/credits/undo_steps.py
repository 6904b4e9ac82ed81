"""What undoing each credit action locks, what may depend on it, and its reversing entries.

``prepare(session, event, clock)`` reads the audit event of an Add Credits, Adjust,
Sell, Void, transfer or check-in and returns a ``Step``: the rows it needs are locked
by then, ``blocker()`` says what depends on the action now (or None) and ``reverse``
writes the entries that take it back. Nothing already written is edited or deleted:
credits go back by adjustments, money by account entries, a check-in by the status
undo. The rule that decides (10 minutes, not undone yet, nothing depends on it) is
``credit_undo.undo_refusal``; this module only answers its last question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.models import (
    AccountEntry,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    AuditEvent,
    CreditEntry,
    CreditLot,
    EntryKind,
    Member,
)
from desk.services.calendar.status_undo import put_back_booked
from desk.services.core.actor import Actor
from desk.services.core.clock import Clock, today
from desk.services.core.errors import InvalidState, NotFound
from desk.services.core.money import format_money
from desk.services.core.permissions import Permission
from desk.services.credits import ledger
from desk.services.credits.credits import grant_permissions
from desk.services.selling.voiding import lock_lot, reopen_in, void_in

Reverse = Callable[[datetime, Actor, str], None]


@dataclass
class Step:
    """One undo, prepared under its locks."""

    summary: str
    """What was done, as the status line says it: "Added 10 Personal training credits"."""
    permissions: tuple[Permission, ...]
    """What the action itself needed: undoing it needs the same."""
    members: tuple[int, ...]
    blocker: Callable[[], str | None]
    reverse: Reverse
    appointment_id: int | None = None
    account: bool = False
    """Whether money moves back too (the member's account changes)."""


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def short_when(moment: datetime, tz: tzinfo) -> str:
    """ "Tue 3 Mar 10:00" in the gym's time zone."""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def _type_name(session: Session, type_id: int) -> str:
    return session.scalar(select(AppointmentType.name).where(AppointmentType.id == type_id)) or ""


def _expired(lot: CreditLot, on: date) -> bool:
    return lot.expires_on is not None and lot.expires_on < on


def changed_since(session: Session, lot: CreditLot, after_entry: int, tz: tzinfo) -> str | None:
    """What happened to ``lot`` after its entry ``after_entry`` ("1 credit of this lot was
    booked since (Tue 3 Mar 10:00)"), or None when nothing did."""
    rows = session.execute(
        select(CreditEntry.kind, CreditEntry.appointment_id)
        .where(CreditEntry.lot_id == lot.id, CreditEntry.id > after_entry)
        .order_by(CreditEntry.id)
    ).all()
    if lot.voided_at is not None:
        return "the sale was voided since"
    if not rows:
        return None
    booked = [appt for kind, appt in rows if kind == EntryKind.BOOK.value]
    if booked:
        starts = session.scalar(select(Appointment.starts_at).where(Appointment.id == booked[0]))
        when = f" ({short_when(starts, tz)})" if starts is not None else ""
        verb = "was" if len(booked) == 1 else "were"
        return f"{plural(len(booked), 'credit')} of this lot {verb} booked since{when}"
    if any(kind == EntryKind.EXPIRE.value for kind, _appt in rows):
        return "the lot's credits expired since"
    return "the lot was adjusted or transferred since"


def _first_entry(session: Session, lot_id: int) -> int:
    first = session.scalar(select(func.min(CreditEntry.id)).where(CreditEntry.lot_id == lot_id))
    return int(first or 0)


def _take_back(session: Session, lot: CreditLot, amount: int, *, at: datetime, actor: Actor,
               reason: str) -> None:  # fmt: skip
    ledger.take_or_raise(session, lot.id, amount, "undoing")
    ledger.post(session, lot_id=lot.id, kind=EntryKind.ADJUST, delta=-amount, at=at,
                actor=actor, reason=reason)  # fmt: skip


def _give_back(session: Session, lot: CreditLot, amount: int, *, at: datetime, actor: Actor,
               reason: str) -> None:  # fmt: skip
    ledger.give(session, lot.id, amount)
    ledger.post(session, lot_id=lot.id, kind=EntryKind.ADJUST, delta=amount, at=at,
                actor=actor, reason=reason)  # fmt: skip


# --- each action ------------------------------------------------------------------------------


def _lot_opened(session: Session, event: AuditEvent, clock: Clock, summary: str,
                permissions: tuple[Permission, ...], *, sale: bool) -> Step:  # fmt: skip
    """Add Credits or Sell: the lot must be untouched since; an added lot is emptied by
    an adjustment, a sold one is voided by the void's own rule."""
    lot = lock_lot(session, int(event.entity_id or 0))
    first = _first_entry(session, lot.id)

    def reverse(at: datetime, actor: Actor, reason: str) -> None:
        if sale:
            void_in(session, lot, reason, at=at, actor=actor)
        else:
            _take_back(session, lot, lot.quantity, at=at, actor=actor, reason=reason)

    return Step(summary, permissions, (lot.member_id,),
                lambda: changed_since(session, lot, first, clock.tz), reverse,
                account=sale)  # fmt: skip


def _add(session: Session, event: AuditEvent, clock: Clock) -> Step:
    d = event.after or {}
    name = _type_name(session, int(d.get("appointment_type_id") or 0))
    summary = f"Added {plural(int(d.get('quantity') or 0), f'{name} credit')}"
    needs = grant_permissions(int(d.get("price_cents") or 0), str(d.get("note") or ""))
    return _lot_opened(session, event, clock, summary, needs, sale=False)


def _sale(session: Session, event: AuditEvent, clock: Clock) -> Step:
    d = event.after or {}
    needs = [Permission.SELL_AT_LIST_PRICE]
    if d.get("price_cents") != d.get("list_price_cents"):
        needs.append(Permission.CUSTOM_PRICE)
    summary = f"Sold {d.get('package')}"
    return _lot_opened(session, event, clock, summary, tuple(needs), sale=True)


def _adjust_entries(session: Session, event: AuditEvent) -> list[tuple[CreditLot, int]]:
    """The adjustment's amounts per lot, as its audit event says them; for an event from
    before it did, its entries: the same reason, person and direction, written in its
    transaction (from the event's moment on, within the minute)."""
    d = event.after or {}
    delta = int(d.get("delta") or 0)
    amounts = d.get("amounts")
    if isinstance(amounts, list):  # written by adjust since Undo came
        pairs = list(zip((int(x) for x in d.get("lots") or []), amounts, strict=True))
        return [(lock_lot(session, lot_id), int(amount)) for lot_id, amount in sorted(pairs)]
    by = CreditEntry.by_id.is_(None) if event.actor_id is None else (
        CreditEntry.by_id == event.actor_id)  # fmt: skip
    found: list[tuple[CreditLot, int]] = []
    for lot_id in sorted({int(x) for x in d.get("lots") or []}):
        amount = session.scalar(
            select(CreditEntry.delta)
            .where(
                CreditEntry.lot_id == lot_id,
                CreditEntry.kind == EntryKind.ADJUST.value,
                CreditEntry.reason == str(d.get("reason") or ""),
                CreditEntry.at >= event.at,
                CreditEntry.at < event.at + timedelta(minutes=1),
                CreditEntry.delta > 0 if delta > 0 else CreditEntry.delta < 0,
                by,
            )
            .order_by(CreditEntry.id)
            .limit(1)
        )
        if amount is not None:
            found.append((lock_lot(session, lot_id), int(amount)))
    if sum(amount for _lot, amount in found) != delta:
        raise InvalidState("Can't undo: the adjustment's entries can't be found.")
    return found


def _adjust(session: Session, event: AuditEvent, clock: Clock) -> Step:
    d = event.after or {}
    delta = int(d.get("delta") or 0)
    name = _type_name(session, int(d.get("appointment_type_id") or 0))
    lots = _adjust_entries(session, event)
    on = today(clock)
    if delta > 0:
        summary = f"Added {plural(delta, f'{name} credit')}"
    else:
        summary = f"Took {plural(-delta, f'{name} credit')} off"

    def blocker() -> str | None:
        for lot, amount in lots:
            if lot.voided_at is not None or _expired(lot, on):
                return "the lot they were on has expired or been voided since"
            if amount > 0 and lot.remaining < amount:
                gone = amount - lot.remaining
                later = changed_since(session, lot, 0, clock.tz) if gone else None
                return f"only {lot.remaining} of the {amount} added credits are left" + (
                    f" ({later})" if later else "")  # fmt: skip
        return None

    def reverse(at: datetime, actor: Actor, reason: str) -> None:
        for lot, amount in lots:
            if amount > 0:
                _take_back(session, lot, amount, at=at, actor=actor, reason=reason)
            else:
                _give_back(session, lot, -amount, at=at, actor=actor, reason=reason)

    member = int(event.member_id or 0)
    return Step(summary, (Permission.ADJUST_CREDITS,), (member,), blocker, reverse)


def _transfer(session: Session, event: AuditEvent, clock: Clock) -> Step:
    d = event.after or {}
    quantity = int(d.get("quantity") or 0)
    ids = int(d.get("from_lot_id") or 0), int(d.get("to_lot_id") or 0)
    locked = {lot_id: lock_lot(session, lot_id) for lot_id in sorted(ids)}
    old, new = locked[ids[0]], locked[ids[1]]
    first = _first_entry(session, new.id)
    receiver = session.get(Member, new.member_id)
    name = _type_name(session, new.appointment_type_id)
    to = f"{receiver.first_name} {receiver.last_name}".strip() if receiver else "another member"
    on = today(clock)

    def blocker() -> str | None:
        since = changed_since(session, new, first, clock.tz)
        if since is not None:
            return since.replace("this lot", f"the credits {to} got")
        if old.voided_at is not None or _expired(old, on):
            return "the lot they came from has expired or been voided since"
        return None

    def reverse(at: datetime, actor: Actor, reason: str) -> None:
        _take_back(session, new, quantity, at=at, actor=actor, reason=reason)
        _give_back(session, old, quantity, at=at, actor=actor, reason=reason)

    summary = f"Transferred {plural(quantity, f'{name} credit')} to {to}"
    return Step(summary, (Permission.ADJUST_CREDITS,), (old.member_id, new.member_id),
                blocker, reverse)  # fmt: skip


def _void(session: Session, event: AuditEvent, clock: Clock) -> Step:
    d = event.after or {}
    removed, refunded = int(d.get("credits_removed") or 0), int(d.get("refunded_cents") or 0)
    lot = lock_lot(session, int(event.entity_id or 0))
    on = today(clock)
    later = session.scalar(
        select(func.count()).where(AccountEntry.member_id == lot.member_id,
                                   AccountEntry.at > event.at)
    )  # fmt: skip
    latest_void = session.scalar(
        select(func.max(AuditEvent.id)).where(
            AuditEvent.action == "sales.void", AuditEvent.entity_id == lot.id
        )
    )

    def blocker() -> str | None:
        if lot.voided_at is None or latest_void != event.id:
            return "the sale is no longer voided"
        if _expired(lot, on):
            return "its credits' expiry date has passed since"
        if later:
            money = format_money(refunded, lot.currency)
            return f"the account changed after the void (the {money} refunded may have paid for it)"
        return None

    def reverse(at: datetime, actor: Actor, reason: str) -> None:
        reopen_in(session, lot, removed=removed, refunded_cents=refunded, at=at, actor=actor,
                  reason=reason)  # fmt: skip

    summary = f"Voided a sale ({plural(removed, 'credit')} removed)"
    return Step(summary, (Permission.VOID,), (lot.member_id,), blocker, reverse, account=True)


def _check_in(session: Session, event: AuditEvent, clock: Clock) -> Step:
    appt = session.scalar(
        select(Appointment).where(Appointment.id == event.entity_id).with_for_update()
    )
    if appt is None:
        raise NotFound(f"There is no appointment #{event.entity_id}.")
    member = session.get(Member, appt.member_id)
    who = f"{member.first_name} {member.last_name}".strip() if member else "the member"
    name = _type_name(session, appt.appointment_type_id)

    def blocker() -> str | None:
        if appt.status != AppointmentStatus.ATTENDED.value or appt.status_changed_at != event.at:
            return "the session has been changed since"
        return None

    def reverse(at: datetime, actor: Actor, reason: str) -> None:
        put_back_booked(session, clock, appt.id, reason, actor)

    summary = f"Checked in {who} for {name} at {short_when(appt.starts_at, clock.tz)}"
    return Step(summary, (Permission.CHECK_IN,), (appt.member_id,), blocker, reverse,
                appointment_id=appt.id)  # fmt: skip


PREPARE: dict[str, Callable[[Session, AuditEvent, Clock], Step]] = {
    "credits.add": _add,
    "credits.adjust": _adjust,
    "sales.package": _sale,
    "sales.void": _void,
    "credits.transfer": _transfer,
    "appointment.attended": _check_in,
}
"""The actions Undo takes back, by their audit action."""


def transfer_event(session: Session, event: AuditEvent) -> AuditEvent:
    """A transfer writes one event per member; the giver's stands for both."""
    if event.action != "credits.transfer":
        return event
    from_lot = (event.after or {}).get("from_lot_id")
    if event.entity_id == from_lot:
        return event
    to_lot = (event.after or {}).get("to_lot_id")
    for giver in session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "credits.transfer",
            AuditEvent.entity_id == from_lot,
            AuditEvent.at == event.at,
        )
    ):
        if (giver.after or {}).get("to_lot_id") == to_lot:
            return giver
    return event


def prepare(session: Session, event: AuditEvent, clock: Clock) -> Step:
    """The undo of ``event``, its rows locked. Raises InvalidState for an action Undo
    doesn't take back, NotFound when its rows are gone."""
    make = PREPARE.get(event.action)
    if make is None:
        raise InvalidState("Only Add Credits, Adjust, Sell, Void, a transfer or a check-in "
                           "can be undone this way.")  # fmt: skip
    return make(session, event, clock)
