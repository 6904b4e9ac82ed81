"""Moving credits on lots: the only code that writes ``credit_lots.remaining``.

Every movement is an append-only ``CreditEntry`` plus a conditional update of
the lot's cached ``remaining`` in the same transaction. Taking credits never
reads a balance and writes it back: it asks the database to subtract only
where enough is left and checks that exactly one row changed, so two desks
can't both spend the last credit (docs/design.md, the credit ledger).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Table, func, insert, literal, select, update
from sqlalchemy.orm import Session

from desk.models import Appointment, CreditEntry, CreditLot, EntryKind, LotSource
from desk.services.core.actor import Actor
from desk.services.core.errors import InsufficientCredits
from desk.services.core.retry import TransientConflict
from desk.services.credits import settle_unpaid
from desk.services.credits.ledger_lots import move_lots as move_lots  # read by callers
from desk.services.credits.ledger_lots import set_expiry as set_expiry  # read by callers
from desk.services.credits.ledger_lots import start_first_use
from desk.services.credits.lot_value import value_of_credits
from desk.services.credits.paying_lot import choose_lot, is_open_on
from desk.services.credits.paying_lot import usable_choices as usable_choices  # read by callers
from desk.services.credits.pool_lots import still_payable

_LOTS = cast(Table, CreditLot.__table__)
_ENTRIES = cast(Table, CreditEntry.__table__)


class CreditsMoved(InsufficientCredits, TransientConflict):
    """Another desk moved credits this transaction had read: it rolls back and
    ``@retry_transient`` runs it again on fresh reads."""


def try_take(session: Session, lot_id: int, amount: int, *also: ColumnElement[bool]) -> bool:
    """Subtract ``amount`` from the lot only if that much is left (and ``also``
    holds of the row then); True if it did."""
    result = session.execute(
        update(CreditLot)
        .where(CreditLot.id == lot_id, CreditLot.remaining >= amount, *also)
        .values(remaining=CreditLot.remaining - amount)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def take_or_raise(
    session: Session, lot_id: int, amount: int, what: str, *also: ColumnElement[bool]
) -> None:
    """Take ``amount`` from a lot that was read with at least that much left.

    When the take finds less (another desk booked, adjusted or expired meanwhile)
    it raises CreditsMoved, a TransientConflict: the caller's transaction rolls
    back whole and ``@retry_transient`` reads again, so nothing is written from
    a stale read. ``what`` names the change for the message shown if every
    retry loses.
    """
    if not try_take(session, lot_id, amount, *also):
        raise CreditsMoved(f"Another desk changed these credits while {what}; try again.")


def expire_lots(session: Session, lot_ids: Sequence[int], before: date, *, at: datetime,
                actor: Actor, reason: str) -> None:  # fmt: skip
    """Expire what is left on ``lot_ids``, lots dated before ``before``: their expire
    entries by one INSERT ... SELECT, then one UPDATE of ``remaining`` to 0, both
    re-checking the date and that something is left. The caller holds the lots' rows
    (``FOR UPDATE``), so each entry's delta is what the UPDATE takes; CreditsMoved
    (the batch rolls back and reads again) if a lot is no longer due all the same."""
    due = (CreditLot.id.in_(lot_ids), CreditLot.expires_on < before, CreditLot.remaining > 0)
    by = literal(actor.staff_id, CreditEntry.by_id.type)
    entries = select(CreditLot.id, literal(EntryKind.EXPIRE.value), -CreditLot.remaining,
                     literal(at, CreditEntry.at.type), by, literal(reason)).where(*due)  # fmt: skip
    session.execute(
        insert(_ENTRIES).from_select(["lot_id", "kind", "delta", "at", "by_id", "reason"], entries)
    )
    taken = session.execute(
        update(CreditLot).where(*due).values(remaining=0)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    assert isinstance(taken, CursorResult)
    if taken.rowcount != len(lot_ids):
        raise CreditsMoved("Another desk changed these credits while expiring credits; try again.")


def transfer(
    session: Session,
    lot: CreditLot,
    *,
    to_member_id: int,
    quantity: int,
    at: datetime,
    actor: Actor,
    reason: str,
    pool_id: int | None = None,
) -> CreditLot:
    """Move ``quantity`` open credits of ``lot`` to another member (or, with
    ``pool_id``, into a shared pool as a lot of that pool): the old lot gives
    them up by an adjustment, and a new lot linked to it (``transferred_from_lot_id``)
    opens with them, their expiry and what they are worth by the one value rule
    (the value the old lot loses is the new lot's price, to the cent). Raises
    CreditsMoved when the lot no longer holds ``quantity`` (another desk booked)."""
    worth = value_of_credits(lot.price_cents, lot.quantity, lot.remaining) - value_of_credits(
        lot.price_cents, lot.quantity, lot.remaining - quantity
    )
    take_or_raise(session, lot.id, quantity, "transferring credits")
    post(session, lot_id=lot.id, kind=EntryKind.ADJUST, delta=-quantity, at=at, actor=actor,
         reason=reason)  # fmt: skip
    return open_lot(
        session,
        member_id=to_member_id,
        appointment_type_id=lot.appointment_type_id,
        quantity=quantity,
        source=LotSource.MANUAL,
        currency=lot.currency,
        at=at,
        actor=actor,
        reason=reason,
        entry_kind=EntryKind.ADJUST,
        price_cents=worth,
        expires_on=lot.expires_on,
        note=reason,
        transferred_from_lot_id=lot.id,
        first_use_days=lot.first_use_days,
        pool_id=pool_id,
    )


def give(session: Session, lot_id: int, amount: int) -> None:
    """Add ``amount`` back to a lot (a release or a positive adjustment)."""
    session.execute(
        update(CreditLot)
        .where(CreditLot.id == lot_id)
        .values(remaining=CreditLot.remaining + amount)
        .execution_options(synchronize_session=False)
    )


def take_one(session: Session, member_id: int, type_id: int, usable_on: date,
             lot_id: int | None = None, first_use_on: date | None = None,
             ) -> int | None:  # fmt: skip
    """Take one credit from the lot ``choose_lot`` picks, or from ``lot_id`` (a lot
    staff picked; CreditsMoved if it can't pay); its id, or None if none can pay.

    A lot waiting for its first use gets its expiry here, in the same transaction,
    from ``first_use_on`` (the session's local date; ``usable_on`` if not given).
    Raises CreditsMoved when another desk took that lot's last credit meanwhile,
    moved the lot to another member (a merge), removed the member from the lot's
    shared pool or gave it an expiry before ``usable_on``.
    """
    chosen = choose_lot(usable_choices(session, member_id, type_id, usable_on), usable_on, lot_id)
    if lot_id is not None and (chosen is None or chosen.id != lot_id):  # picked, gone meanwhile
        raise CreditsMoved("Another desk changed these credits while booking; try again.")
    if chosen is None:
        return None
    # Still this member's (a merge may have moved the lot), or a pool lot of the pool
    # they are in now (pool_lots.still_payable), and open then (a first use dating it
    # meanwhile); otherwise the booking reads again.
    guard = still_payable(session, member_id, chosen.pool_id)
    take_or_raise(session, chosen.id, 1, "booking", *guard, is_open_on(usable_on))
    if chosen.first_use_days is not None and chosen.waits_for_first_use:
        start_first_use(session, chosen.id, chosen.first_use_days, first_use_on or usable_on)
    return chosen.id


def post(
    session: Session,
    *,
    lot_id: int,
    kind: EntryKind,
    delta: int,
    at: datetime,
    actor: Actor,
    reason: str = "",
    appointment_id: int | None = None,
    idempotency_key: str | None = None,
) -> CreditEntry:
    """Append an entry; the caller has already moved ``remaining`` by ``delta``."""
    entry = CreditEntry(
        lot_id=lot_id,
        kind=kind.value,
        delta=delta,
        at=at,
        by_id=actor.staff_id,
        reason=reason,
        appointment_id=appointment_id,
        idempotency_key=idempotency_key,
    )
    session.add(entry)
    return entry


def release(
    session: Session,
    *,
    lot_id: int,
    appointment_id: int,
    at: datetime,
    actor: Actor,
    reason: str,
) -> CreditEntry:
    """Give an appointment's credit back to the lot that paid, with its release entry.

    An appointment has at most one release (a unique index on appointment and
    kind): a cancel in time, a late cancel with the credit returned, or a late
    cancel or no-show forgiven afterwards. A second one raises IntegrityError,
    which ``@retry_transient`` turns into a fresh read that finds the first.
    """
    give(session, lot_id, 1)
    entry = post(session, lot_id=lot_id, kind=EntryKind.RELEASE, delta=1, at=at, actor=actor,
                 reason=reason, appointment_id=appointment_id)  # fmt: skip
    session.flush()
    return entry


def reverse_status(
    session: Session,
    *,
    appointment_id: int,
    lot_id: int,
    at: datetime,
    actor: Actor,
    reason: str,
) -> CreditEntry:
    """Append the entry that undoes an appointment's check-in, no-show or late cancel.

    A forfeit moved no credit (the booking's debit already had it), so undoing
    one moves none either: the credit is the booking's again. The entry names
    the newest forfeit of the appointment not yet reversed (on the lot that
    paid), or none for a check-in, which wrote no entry. ``reverses_id`` is
    unique, so no forfeit is reversed twice even if a caller forgot its lock.
    The caller holds the appointment's row lock and has checked its status.
    """
    reversed_ids = select(CreditEntry.reverses_id).where(
        CreditEntry.appointment_id == appointment_id,
        CreditEntry.kind == EntryKind.REVERSE.value,
        CreditEntry.reverses_id.is_not(None),
    )
    forfeit = session.scalar(
        select(CreditEntry)
        .where(
            CreditEntry.appointment_id == appointment_id,
            CreditEntry.kind == EntryKind.FORFEIT.value,
            CreditEntry.id.not_in(reversed_ids),
        )
        .order_by(CreditEntry.id.desc())
        .limit(1)
    )
    entry = post(
        session,
        lot_id=forfeit.lot_id if forfeit is not None else lot_id,
        kind=EntryKind.REVERSE,
        delta=0,
        at=at,
        actor=actor,
        reason=reason,
        appointment_id=appointment_id,
    )
    entry.reverses_id = forfeit.id if forfeit is not None else None
    return entry


def open_lot(
    session: Session,
    *,
    member_id: int,
    appointment_type_id: int,
    quantity: int,
    source: LotSource,
    currency: str,
    at: datetime,
    actor: Actor,
    reason: str,
    entry_kind: EntryKind = EntryKind.GRANT,
    price_cents: int = 0,
    expires_on: date | None = None,
    note: str = "",
    idempotency_key: str | None = None,
    settles: bool = True,
    **links: Any,
) -> CreditLot:
    """A new lot holding ``quantity`` credits, with the entry that puts them there.

    The entry is a grant (a sale, a plan period, a migration) or, for credits that
    were moved or corrected rather than sold, an adjustment. ``links`` are the
    lot's optional references (package_id, subscription_id, period_start,
    import_batch). Unless ``settles`` is False (an imported booking's own lot), the
    member's unpaid bookings of the type are settled from it (settle_unpaid).
    """
    lot = CreditLot(
        member_id=member_id,
        appointment_type_id=appointment_type_id,
        quantity=quantity,
        remaining=quantity,
        source=source.value,
        price_cents=price_cents,
        currency=currency,
        expires_on=expires_on,
        created_at=at,
        created_by_id=actor.staff_id,
        note=note,
        **links,
    )
    session.add(lot)
    session.flush()
    post(session, lot_id=lot.id, kind=entry_kind, delta=quantity, at=at, actor=actor, reason=reason,
         idempotency_key=idempotency_key)  # fmt: skip
    if settles:
        settle_unpaid.settle(session, member_id=member_id, type_id=appointment_type_id, at=at,
                             actor=actor)  # fmt: skip
    return lot


def open_lots(
    session: Session,
    lots: Sequence[dict[str, Any]],
    grants: Sequence[dict[str, Any]],
    *,
    import_batch: str,
    actor: Actor | None = None,
) -> list[int]:
    """Bulk form of ``open_lot`` for an import: each lot row with its grant entry.

    ``lots[i]`` (lot columns without ``remaining`` and ``import_batch``) gets
    ``remaining`` equal to its ``quantity``, and ``grants[i]`` (entry columns
    without ``lot_id``, ``kind`` and ``delta``) becomes its grant of that
    quantity, so the cached balance and its ledger can't disagree. Both go in
    by executemany (an import writes 100,000 rows). With ``actor`` the members'
    unpaid bookings of those types are settled (settle_unpaid). Returns the lot ids.
    """
    lot_rows = [{**lot, "remaining": lot["quantity"], "import_batch": import_batch} for lot in lots]
    lot_ids = _insert_lots(session, lot_rows, import_batch)
    session.connection().execute(
        insert(_ENTRIES),
        [
            {**grant, "lot_id": lot_id, "kind": EntryKind.GRANT.value, "delta": lot["quantity"]}
            for lot_id, lot, grant in zip(lot_ids, lot_rows, grants, strict=True)
        ],
    )
    if actor is not None and lot_rows:
        pairs = {(lot["member_id"], lot["appointment_type_id"]) for lot in lot_rows}
        settle_unpaid.settle_batch(session, pairs, at=grants[0]["at"], actor=actor)
    return lot_ids


def _insert_lots(session: Session, lot_rows: list[dict[str, Any]], batch: str) -> list[int]:
    """Insert lots and return their ids in the order of ``lot_rows``."""
    if session.get_bind().dialect.name != "sqlite":
        return list(
            session.scalars(
                insert(CreditLot).returning(CreditLot.id, sort_by_parameter_order=True),
                lot_rows,
            ).all()
        )
    # On SQLite, RETURNING in parameter order has no sentinel column to sort by and
    # SQLAlchemy falls back to one INSERT per row: about half of a 100,000-row
    # import. Under the write lock SQLite gives each new row the largest rowid
    # plus one, so a plain executemany and the batch's new ids in order match up.
    first = session.scalar(select(func.max(CreditLot.id))) or 0
    session.connection().execute(insert(_LOTS), lot_rows)
    ids = list(
        session.scalars(
            select(CreditLot.id)
            .where(CreditLot.import_batch == batch, CreditLot.id > first)
            .order_by(CreditLot.id)
        ).all()
    )
    if len(ids) != len(lot_rows):  # pragma: no cover - would be a driver bug
        raise RuntimeError("imported lots and their ids don't line up")
    return ids


def write_history(
    session: Session,
    lots: Sequence[dict[str, Any]],
    appointments: Sequence[dict[str, Any]],
    entries: Sequence[dict[str, Any]],
    *,
    insert: Callable[[Session, type[Any], list[dict[str, Any]]], None],
) -> None:
    """Write a made-up past in bulk (the demo gym): lots, the appointments they
    paid for, and every entry, with each lot's ``remaining`` set here to the sum
    of its entries so the cache and the ledger agree by construction.
    ``insert(session, model, rows)`` is the caller's executemany."""
    held: dict[int, int] = {}
    for entry in entries:
        held[entry["lot_id"]] = held.get(entry["lot_id"], 0) + entry["delta"]
    insert(session, CreditLot, [{**lot, "remaining": held.get(lot["id"], 0)} for lot in lots])
    insert(session, Appointment, list(appointments))
    insert(session, CreditEntry, list(entries))
