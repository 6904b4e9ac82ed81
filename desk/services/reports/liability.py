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
from datetime import date, datetime, tzinfo

from sqlalchemy import ColumnElement, Subquery, func, select
from sqlalchemy.orm import Session

from desk.models import (
    AppointmentType,
    CreditLot,
)
from desk.services.credits.lot_value import credits_value_sql
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.liability_held import (
    held_at,
    held_at_query,
    held_now,
    holding,
)
from desk.services.reports.liability_roll import moved_by_movement
from desk.services.reports.periods import check_range, end_of, start_of

SOURCE_LABELS = {"package": "sold", "plan": "plan", "migration": "migrated", "manual": "comped"}


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


def _grouped(
    session: Session, held: Subquery | None, as_of: date, filters: ReportFilter,
    moment: datetime | None = None,
) -> Liability:  # fmt: skip
    """Sum the held credits and their value (the one rule, in SQL) of the lots not
    expired by ``as_of``, by type, source and expiry day; then by month here.
    ``held`` gives each lot's held credits; None reads them from the lots' cached
    balances and the bookings holding credits just before ``moment`` (today's),
    in one pass over the lots."""
    if held is None:
        assert moment is not None  # today's liability names its moment
        booked = holding(moment).subquery("booked")
        held_credits: ColumnElement[int] = CreditLot.remaining + func.coalesce(booked.c[1], 0)
        lots = select(CreditLot).outerjoin(booked, booked.c.lot_id == CreditLot.id)
    else:
        held_credits = held.c.held
        lots = select(held).join(CreditLot, CreditLot.id == held.c.lot_id)
    query = (
        lots.with_only_columns(
            CreditLot.appointment_type_id, CreditLot.source, CreditLot.expires_on,
            func.sum(held_credits),
            func.sum(credits_value_sql(CreditLot.price_cents, CreditLot.quantity, held_credits)),
            maintain_column_froms=True,
        )
        .where(held_credits > 0,
               CreditLot.expires_on.is_(None) | (CreditLot.expires_on >= as_of),
               *filters.lots())
        .group_by(CreditLot.appointment_type_id, CreditLot.source, CreditLot.expires_on)
    )  # fmt: skip
    names = dict(session.execute(select(AppointmentType.id, AppointmentType.name)).all())
    by: dict[str, dict[str, list[int]]] = {
        "type": defaultdict(lambda: [0, 0]),
        "source": defaultdict(lambda: [0, 0]),
        "month": defaultdict(lambda: [0, 0]),
    }
    credits = value = 0
    for type_id, source, expires_on, n, worth in session.execute(query):
        n, worth, type_name = int(n), int(worth), names[type_id]
        credits += n
        value += worth
        month = f"{expires_on:%Y-%m}" if expires_on else "never"
        for key, label in (
            ("type", type_name), ("source", SOURCE_LABELS.get(source, source)), ("month", month),
        ):  # fmt: skip
            by[key][label][0] += n
            by[key][label][1] += worth
    return Liability(
        as_of, credits, value, _groups(by["type"]), _groups(by["source"]), _groups(by["month"])
    )


def _groups(totals: dict[str, list[int]]) -> tuple[LiabilityGroup, ...]:
    return tuple(LiabilityGroup(k, v[0], v[1]) for k, v in sorted(totals.items()))


def liability_as_of(
    session: Session,
    as_of: date,
    tz: tzinfo,
    filters: ReportFilter = EVERYTHING,
    now: datetime | None = None,
) -> Liability:
    """Held credits at the end of the local day ``as_of`` and their value, grouped,
    summed in the database. With ``now`` at or before that end (today's liability,
    or a later day's), what is held is read from the lots' cached balances
    (``held_now_query``), otherwise from the entries (``held_at_query``)."""
    moment = end_of(as_of, tz)
    if now is not None and now <= moment:
        return _grouped(session, None, as_of, filters, moment)
    return _grouped(session, held_at_query(moment), as_of, filters)


def liability_movement(
    session: Session,
    first: date,
    last: date,
    tz: tzinfo,
    filters: ReportFilter = EVERYTHING,
    now: datetime | None = None,
) -> LiabilityMovement:
    """The roll-forward of liability over the local days ``first``..``last``, each
    movement summed in the database (liability_roll.py). ``now`` lets the closing
    value of a period ending today read the lots' cached balances.

    Raises ValidationError when ``first`` is after ``last``.
    """
    check_range(first, last)
    start, end = start_of(first, tz), end_of(last, tz)
    moved = moved_by_movement(session, first, last, start, end, tz, filters)
    opening = moved["opening"]  # the liability as of the day before ``first``
    closing = liability_as_of(session, last, tz, filters, now).value_cents
    return LiabilityMovement(
        first, last, opening, moved["sold"], moved["adjusted"], moved["used"],
        moved["forfeited"], moved["expired"], moved["voided"], closing,
    )  # fmt: skip


__all__ = ["held_at", "held_now", "liability_as_of", "liability_movement"]
