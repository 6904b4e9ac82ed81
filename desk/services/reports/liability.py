"""Credit liability: what the credits still held are worth, and how that moved.

A credit is *held* from its grant until it is spent: booked and not yet
consumed counts as held (the session is still owed), so a booking or a cancel
in time moves nothing. A booked credit is consumed at its session's start when
the session ended attended (``used``), a no-show or a late cancel
(``forfeited``), by today's statuses. A lot's credits stop counting when its
expiry date has passed. Every credit is valued by the one rule of
desk/services/credits/lot_value.py. The roll-forward (opening + sold +
adjusted - used - forfeited - expired - voided = closing) is computed lot by
lot, each movement worth the change of the lot's value, so it balances to the
cent; the closing value is computed afresh, not by the roll-forward.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CreditEntry,
    CreditLot,
    EntryKind,
)
from desk.services.credits.credit_reads import used_its_credit
from desk.services.credits.lot_value import value_of_credits
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.periods import check_range, end_of, start_of

SOURCE_LABELS = {"package": "sold", "plan": "plan", "migration": "migrated", "manual": "comped"}
MOVEMENTS = ("sold", "adjusted", "used", "forfeited", "expired", "voided")
VOID_PREFIX = "void:"


@dataclass(frozen=True, slots=True)
class LiabilityGroup:
    """Held credits of one type, one source or one expiry month, and their value."""

    label: str
    credits: int
    value_cents: int


@dataclass(frozen=True, slots=True)
class Liability:
    as_of: date
    credits: int
    value_cents: int
    by_type: tuple[LiabilityGroup, ...]
    by_source: tuple[LiabilityGroup, ...]
    by_expiry_month: tuple[LiabilityGroup, ...]


@dataclass(frozen=True, slots=True)
class LiabilityMovement:
    """The roll-forward of liability over ``first``..``last`` (both included), in cents.
    ``sold`` and ``adjusted`` add; the others take away (shown as positive amounts)."""

    first: date
    last: date
    opening_cents: int
    sold_cents: int
    adjusted_cents: int
    used_cents: int
    forfeited_cents: int
    expired_cents: int
    voided_cents: int
    closing_cents: int

    @property
    def rolled_forward_cents(self) -> int:
        """Opening plus what came in minus what went out: equals ``closing_cents``."""
        return (
            self.opening_cents + self.sold_cents + self.adjusted_cents - self.used_cents
            - self.forfeited_cents - self.expired_cents - self.voided_cents
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Lot:
    id: int
    type_name: str
    source: str
    price_cents: int
    quantity: int
    expires_on: date | None


def _gone_at(lot: _Lot, tz: tzinfo) -> datetime | None:
    """The instant a lot's credits stop counting: when its expiry day is over."""
    return None if lot.expires_on is None else end_of(lot.expires_on, tz)


def _value(lot: _Lot, held: int) -> int:
    return value_of_credits(lot.price_cents, lot.quantity, held)


def _lots(session: Session, filters: ReportFilter, *only: ColumnElement[bool]) -> dict[int, _Lot]:
    query = select(
        CreditLot.id, AppointmentType.name, CreditLot.source, CreditLot.price_cents,
        CreditLot.quantity, CreditLot.expires_on,
    ).join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)  # fmt: skip
    query = query.where(*filters.lots(), *only)
    return {row[0]: _Lot(*row) for row in session.execute(query)}


def held_at(session: Session, moment: datetime) -> dict[int, int]:
    """Credits each lot held just before ``moment``: its entries until then plus
    the credits booked by then and not yet consumed.

    A booking's debit and a cancel's give-back cancel out against "booked", so this
    is the lot's entries other than those two, less the booked credits consumed by
    then: two plain aggregates, no correlated lookups (a year of a big gym's
    entries is scanned once).
    """
    booking_kinds = (EntryKind.BOOK.value, EntryKind.RELEASE.value)
    held: dict[int, int] = defaultdict(int)
    moved = (
        select(CreditEntry.lot_id, func.sum(CreditEntry.delta))
        .where(CreditEntry.at < moment, CreditEntry.kind.not_in(booking_kinds))
        .group_by(CreditEntry.lot_id)
    )
    for lot_id, total in session.execute(moved):
        held[lot_id] += int(total)
    consumed = (
        select(CreditEntry.lot_id, func.count())
        .join(Appointment, Appointment.id == CreditEntry.appointment_id)
        .where(
            CreditEntry.kind == EntryKind.BOOK.value,
            CreditEntry.at < moment,
            used_its_credit(),
            Appointment.starts_at < moment,
        )
        .group_by(CreditEntry.lot_id)
    )
    for lot_id, n in session.execute(consumed):
        held[lot_id] -= int(n)
    return held


def _holding(moment: datetime) -> Select[int | None, int]:
    """Lots and the credits their bookings hold just before ``moment``, for a moment
    no entry is after yet: sessions still booked, and sessions consumed only at a
    start after ``moment``."""
    return (
        select(Appointment.lot_id, func.count())
        .where(
            Appointment.lot_id.is_not(None),
            (Appointment.status == AppointmentStatus.BOOKED.value)
            | (used_its_credit() & (Appointment.starts_at >= moment)),  # not forgiven ones
        )
        .group_by(Appointment.lot_id)
    )


def held_now(session: Session, moment: datetime) -> dict[int, int]:
    """``held_at(moment)`` for a moment no entry is after yet (today's liability):
    each lot's cached ``remaining`` (the sum of all its entries) plus the credits
    its bookings hold, i.e. sessions still booked and sessions consumed only at a
    start after ``moment``. Two index reads instead of every entry ever written;
    the tests check that it equals ``held_at``."""
    held: dict[int, int] = defaultdict(int)
    for lot_id, n in session.execute(_holding(moment)):
        assert lot_id is not None
        held[lot_id] += int(n)
    for lot_id, remaining in session.execute(
        select(CreditLot.id, CreditLot.remaining).where(CreditLot.remaining > 0)
    ):
        held[lot_id] += remaining
    return held


def _groups(totals: dict[str, list[int]]) -> tuple[LiabilityGroup, ...]:
    return tuple(LiabilityGroup(k, v[0], v[1]) for k, v in sorted(totals.items()))


def liability_as_of(
    session: Session,
    as_of: date,
    tz: tzinfo,
    filters: ReportFilter = EVERYTHING,
    now: datetime | None = None,
) -> Liability:
    """Held credits at the end of the local day ``as_of`` and their value, grouped.
    With ``now`` at or before that end (today's liability, or a later day's),
    what is held is read from the lots' cached balances (``held_now``)."""
    moment = end_of(as_of, tz)
    if now is not None and now <= moment:
        # Only the lots that hold something and have not expired by then.
        booked = _holding(moment).with_only_columns(Appointment.lot_id).subquery()
        lots = _lots(session, filters,
                     (CreditLot.remaining > 0) | CreditLot.id.in_(select(booked.c.lot_id)),
                     CreditLot.expires_on.is_(None) | (CreditLot.expires_on >= as_of))  # fmt: skip
        holding = held_now(session, moment)
    else:
        lots = _lots(session, filters)
        holding = held_at(session, moment)
    by: dict[str, dict[str, list[int]]] = {
        "type": defaultdict(lambda: [0, 0]),
        "source": defaultdict(lambda: [0, 0]),
        "month": defaultdict(lambda: [0, 0]),
    }
    credits = value = 0
    for lot_id, held in holding.items():
        lot = lots.get(lot_id)
        if lot is None or held <= 0 or (lot.expires_on is not None and lot.expires_on < as_of):
            continue
        worth = _value(lot, held)
        credits += held
        value += worth
        month = f"{lot.expires_on:%Y-%m}" if lot.expires_on else "never"
        for key, label in (
            ("type", lot.type_name), ("source", SOURCE_LABELS.get(lot.source, lot.source)),
            ("month", month),
        ):  # fmt: skip
            by[key][label][0] += held
            by[key][label][1] += worth
    return Liability(
        as_of, credits, value, _groups(by["type"]), _groups(by["source"]), _groups(by["month"])
    )


def _events(
    session: Session, lots: dict[int, _Lot], start: datetime, end: datetime, tz: tzinfo
) -> dict[int, list[tuple[datetime, int, str, int]]]:
    """Per lot, what changed its held credits in [start, end): (when, order, movement, delta).
    A delta of None-like 0 with movement "expired" marks the lot's expiry."""
    events: dict[int, list[tuple[datetime, int, str, int]]] = defaultdict(list)
    entries = select(
        CreditEntry.lot_id, CreditEntry.at, CreditEntry.id, CreditEntry.kind, CreditEntry.delta,
        CreditEntry.reason,
    ).where(
        CreditEntry.at >= start, CreditEntry.at < end,
        CreditEntry.kind.in_([EntryKind.GRANT.value, EntryKind.ADJUST.value,
                              EntryKind.EXPIRE.value]),
    )  # fmt: skip
    for lot_id, at, entry_id, kind, delta, reason in session.execute(entries):
        if kind == EntryKind.GRANT.value:
            movement = "sold"
        elif kind == EntryKind.EXPIRE.value:
            movement = "expired"
        else:
            movement = "voided" if reason.startswith(VOID_PREFIX) else "adjusted"
        events[lot_id].append((at, entry_id, movement, delta))
    # Consumed: at the session's start, or at its booking when booked after the start.
    consumed = (
        select(CreditEntry.lot_id, func.max(CreditEntry.at), Appointment.starts_at,
               Appointment.id, Appointment.status)
        .join(Appointment, Appointment.id == CreditEntry.appointment_id)
        .where(
            CreditEntry.kind == EntryKind.BOOK.value,
            used_its_credit(),
            Appointment.starts_at < end,
            CreditEntry.at < end,
        )
        .group_by(CreditEntry.lot_id, Appointment.starts_at, Appointment.id, Appointment.status)
    )  # fmt: skip
    for lot_id, booked_at, starts_at, appointment_id, status in session.execute(consumed):
        when = max(booked_at, starts_at)
        if when >= start:
            movement = "used" if status == "attended" else "forfeited"
            events[lot_id].append((when, 1 << 40 | appointment_id, movement, -1))
    for lot in lots.values():
        gone = _gone_at(lot, tz)
        if gone is not None and start <= gone < end:
            events[lot.id].append((gone, 1 << 50, "expired", 0))
    return events


def liability_movement(
    session: Session, first: date, last: date, tz: tzinfo, filters: ReportFilter = EVERYTHING
) -> LiabilityMovement:
    """The roll-forward of liability over the local days ``first``..``last``.

    Raises ValidationError when ``first`` is after ``last``.
    """
    check_range(first, last)
    start, end = start_of(first, tz), end_of(last, tz)
    lots = _lots(session, filters)
    opening_held = held_at(session, start)
    opening = liability_as_of(session, first - timedelta(days=1), tz, filters).value_cents
    moved: dict[str, int] = dict.fromkeys(MOVEMENTS, 0)
    for lot_id, events in _events(session, lots, start, end, tz).items():
        lot = lots.get(lot_id)
        if lot is None:
            continue
        gone = _gone_at(lot, tz)
        alive = gone is None or gone >= start
        held = opening_held.get(lot_id, 0)
        for _when, _order, movement, delta in sorted(events, key=lambda e: (e[0], e[1])):
            if not alive:
                continue
            if movement == "expired" and delta == 0:
                moved["expired"] += _value(lot, held)
                alive = False
                continue
            change = _value(lot, held + delta) - _value(lot, held)
            held += delta
            # Takings are counted as positive amounts out; "in" movements add.
            moved[movement] += change if movement in ("sold", "adjusted") else -change
    closing = liability_as_of(session, last, tz, filters).value_cents
    return LiabilityMovement(
        first, last, opening, moved["sold"], moved["adjusted"], moved["used"],
        moved["forfeited"], moved["expired"], moved["voided"], closing,
    )  # fmt: skip
