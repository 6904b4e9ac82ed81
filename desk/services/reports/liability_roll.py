"""The liability roll-forward replayed in SQL: every event that moved a lot's held
credits in a period, in order per lot, each worth the change of the lot's value.

The events are the lot's grants, adjustments (voids among them) and expiry
entries, the consumption of each booked credit (at its session's start, or at
its booking when booked after the start) and, for a lot whose expiry day ends in
the period, the moment its credits stop counting (the *gone* marker, which takes
what is still held as "expired"; later events of that lot count no more). A
window sum over each lot's events, from its opening held credits, gives the held
credits before and after each one; the one value rule (lot_value's SQL form)
values both. One statement, summed by movement in the database.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    Subquery,
    case,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from desk.models import Appointment, CreditEntry, CreditLot, EntryKind
from desk.models.base import UTCDateTime
from desk.services.credits.credit_reads import used_its_credit
from desk.services.credits.lot_value import credits_value_sql
from desk.services.reports.filters import ReportFilter
from desk.services.reports.liability_held import booking_of, held_at_query
from desk.services.reports.periods import end_of, index_of_instant, start_of

VOID_PREFIX = "void:"
MOVEMENTS = ("sold", "adjusted", "used", "forfeited", "expired", "voided")
INS = ("opening", "sold", "adjusted")  # "opening": what a lot held at the start
_CONSUMED_ORDER = 1 << 40  # after the entries at the same instant (entry ids are smaller)
_GONE_ORDER = 1 << 50  # after everything else at the same instant
_CHUNK = 400  # SQLite allows 500 selects in one UNION


def _gone_days(first: date, last: date, tz: tzinfo) -> Subquery:
    """(day, gone): for each expiry day whose end falls in the period, that end.
    A lot expiring on ``first - 1`` goes at the period's start; one expiring on
    ``last`` still counts at its end."""
    days = [first - timedelta(days=1) + timedelta(days=n) for n in range((last - first).days + 1)]
    rows: list[Select[date, datetime]] = [
        select(literal(d, Date).label("day"), literal(end_of(d, tz), UTCDateTime).label("gone"))
        for d in days
    ]
    if not rows:  # pragma: no cover - first <= last gives one day at least
        rows = [select(literal(first, Date).label("day"), literal(None, UTCDateTime).label("gone"))
                .where(false())]  # fmt: skip
    chunks = [union_all(*rows[i : i + _CHUNK]).subquery() for i in range(0, len(rows), _CHUNK)]
    parts = [select(c.c.day, c.c.gone) for c in chunks]
    return (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("gone_days")


def _entries(start: datetime, end: datetime) -> Select[int, datetime, int, str, int, int]:
    """The period's grants and expiries (from their covering index), and its
    adjustments (few; a void is one whose reason says so)."""
    kinds = case((CreditEntry.kind == EntryKind.GRANT.value, literal("sold", String)),
                 else_=literal("expired", String))  # fmt: skip
    adjusted = case(
        (CreditEntry.reason.startswith(VOID_PREFIX, autoescape=True), literal("voided", String)),
        else_=literal("adjusted", String),
    )
    in_period = (CreditEntry.at >= start, CreditEntry.at < end)
    by_kind = select(
        CreditEntry.lot_id,
        CreditEntry.at,
        CreditEntry.id.cast(BigInteger),
        kinds,
        CreditEntry.delta,
        literal(0, Integer),
    ).where(CreditEntry.kind.in_([EntryKind.GRANT.value, EntryKind.EXPIRE.value]), *in_period)
    adjustments = select(
        CreditEntry.lot_id, CreditEntry.at, CreditEntry.id.cast(BigInteger), adjusted,
        CreditEntry.delta, literal(0, Integer),
    ).where(CreditEntry.kind == EntryKind.ADJUST.value, *in_period)  # fmt: skip
    return union_all(by_kind, adjustments)  # type: ignore[return-value]


def _consumption(
    book: type[CreditEntry],
    when: ColumnElement[datetime] | InstrumentedAttribute[datetime],
    *where: ColumnElement[bool],
) -> Select[int, datetime, int, str, int, int]:
    movement = case((Appointment.status == "attended", literal("used", String)),
                    else_=literal("forfeited", String))  # fmt: skip
    return select(
        book.lot_id, when, literal(_CONSUMED_ORDER, BigInteger) + Appointment.id,
        movement, literal(-1, Integer), literal(0, Integer),
    ).where(used_its_credit(), *where)  # fmt: skip


def _consumed(start: datetime, end: datetime) -> list[Select[int, datetime, int, str, int, int]]:
    """Booked credits consumed in [start, end), each at its session's start or, when
    booked later (backdated), at its booking: sessions starting in the period (from
    the status index, each with its one booking entry), and sessions that started
    before it but were booked in it (from the bookings' index)."""
    book = aliased(CreditEntry, name="book")
    later = case((book.at > Appointment.starts_at, book.at), else_=Appointment.starts_at)
    starting = _consumption(
        book, later, Appointment.starts_at >= start, Appointment.starts_at < end, book.at < end,
    ).select_from(Appointment).join(book, booking_of(book))  # fmt: skip
    backdated = _consumption(
        book, book.at,
        book.kind == EntryKind.BOOK.value, book.at >= start, book.at < end,
        Appointment.starts_at < start,
    ).select_from(book).join(Appointment, Appointment.id == book.appointment_id)  # fmt: skip
    return [starting, backdated]


def _replay(
    first: date, last: date, start: datetime, end: datetime, tz: tzinfo, filters: ReportFilter,
    *, touched_only: bool,
) -> Subquery:  # fmt: skip
    """Every event of the period, each with its lot's held credits before and after
    (a window sum from the lot's opening), its type and when it happened. With
    ``touched_only`` the opening rows (and what they read) are only those of lots
    with an event in the period: enough for the movements, not for the opening."""
    gone_days = _gone_days(first, last, tz)
    # The lots going in the period and when: expiry day by day, on the expiry index.
    going = (
        select(CreditLot.id.label("lot_id"), gone_days.c.gone.label("gone"))
        .select_from(gone_days)
        .join(CreditLot, CreditLot.expires_on == gone_days.c.day)
        .subquery("going")
    )
    gone_markers = select(
        going.c.lot_id, going.c.gone, literal(_GONE_ORDER, BigInteger),
        literal("expired", String), literal(0, Integer), literal(1, Integer),
    )  # fmt: skip
    entries = _entries(start, end).subquery("entries")
    moving = [select(*entries.c), *_consumed(start, end), gone_markers]
    touched = select(union_all(*moving).subquery("touched").c[0]) if touched_only else None
    # What each lot held at the start, as its first event (before anything at that instant).
    opening = held_at_query(start, lots=touched)
    opened = select(
        opening.c.lot_id, literal(start, UTCDateTime), literal(-1, BigInteger),
        literal("opening", String), opening.c.held, literal(0, Integer),
    ).where(opening.c.held > 0)  # fmt: skip
    events = union_all(opened, *moving).subquery("ev")
    lot_id, when, order, movement, delta, marker = events.c
    alive: ColumnElement[bool] = or_(
        CreditLot.expires_on.is_(None), CreditLot.expires_on >= first - timedelta(days=1)
    )
    return (
        select(
            CreditLot.price_cents.label("price"), CreditLot.quantity.label("quantity"),
            CreditLot.appointment_type_id.label("type_id"), when.label("at"),
            movement.label("movement"), marker.label("marker"), delta.label("delta"),
            func.sum(delta).over(partition_by=lot_id, order_by=(when, order), rows=(None, 0))
            .label("after"),
            func.sum(marker).over(partition_by=lot_id, order_by=(when, order), rows=(None, 0))
            .label("gone"),
        )
        .select_from(events)
        .join(CreditLot, CreditLot.id == lot_id)
        .where(alive, *filters.lots())
    ).subquery("replay")  # fmt: skip


def _signed_change(r: Any) -> ColumnElement[int]:
    """Each event's change of its lot's value: in-movements as added, the others as
    taken away (positive amounts)."""
    before = credits_value_sql(r.price, r.quantity, r.after - r.delta)
    now_worth = case((r.marker == 1, literal(0, Integer)),
                     else_=credits_value_sql(r.price, r.quantity, r.after))  # fmt: skip
    change = now_worth - before
    return case((r.movement.in_(INS), change), else_=-change)


def moved_by_movement(
    session: Session, first: date, last: date, start: datetime, end: datetime, tz: tzinfo,
    filters: ReportFilter,
) -> dict[str, int]:  # fmt: skip
    """Cents each movement moved over the period (in-movements added, the others
    as positive amounts taken away), and the ``opening`` value: what the lots held
    at the period's start (the liability of the day before), read once for both."""
    r = _replay(first, last, start, end, tz, filters, touched_only=False).c
    found = dict.fromkeys((*MOVEMENTS, "opening"), 0)
    summed = (
        select(r.movement, func.sum(_signed_change(r)))
        .where(r.gone - r.marker == 0)  # nothing of a lot counts after it has gone
        .group_by(r.movement)
    )
    for name, cents in session.execute(summed):
        found[str(name)] = int(cents or 0)
    return found


def moved_by_day(
    session: Session, first: date, last: date, tz: tzinfo, filters: ReportFilter,
    *, with_opening: bool,
) -> dict[tuple[date, int, str], int]:  # fmt: skip
    """``moved_by_movement`` per local day and appointment type: cents by
    ``(day, type_id, movement)``; with ``with_opening`` also each type's
    ``opening`` on ``first`` (without, the opening reads only the lots the
    period touched, which is all the movements need)."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    starts = [start_of(day, tz) for day in days]
    r = _replay(first, last, starts[0], end_of(last, tz), tz, filters,
                touched_only=not with_opening).c  # fmt: skip
    day = index_of_instant(r.at, starts)
    summed = (
        select(day, r.type_id, r.movement, func.sum(_signed_change(r)))
        .where(r.gone - r.marker == 0)
        .group_by(day, r.type_id, r.movement)
    )
    found: dict[tuple[date, int, str], int] = {}
    for index, type_id, name, cents in session.execute(summed):
        if str(name) == "opening" and not with_opening:
            continue
        found[(days[int(index)], int(type_id), str(name))] = int(cents or 0)
    return found
