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
from sqlalchemy.orm import Session

from desk.models import Appointment, CreditEntry, CreditLot, EntryKind
from desk.models.base import UTCDateTime
from desk.services.credits.credit_reads import used_its_credit
from desk.services.credits.lot_value import credits_value_sql
from desk.services.reports.filters import ReportFilter
from desk.services.reports.liability_held import held_at_query
from desk.services.reports.periods import end_of

VOID_PREFIX = "void:"
MOVEMENTS = ("sold", "adjusted", "used", "forfeited", "expired", "voided")
INS = ("sold", "adjusted")
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
    movement = case(
        (CreditEntry.kind == EntryKind.GRANT.value, literal("sold", String)),
        (CreditEntry.kind == EntryKind.EXPIRE.value, literal("expired", String)),
        (CreditEntry.reason.startswith(VOID_PREFIX, autoescape=True), literal("voided", String)),
        else_=literal("adjusted", String),
    )
    return select(
        CreditEntry.lot_id, CreditEntry.at, CreditEntry.id.cast(BigInteger), movement,
        CreditEntry.delta, literal(0, Integer),
    ).where(
        CreditEntry.at >= start, CreditEntry.at < end,
        CreditEntry.kind.in_([EntryKind.GRANT.value, EntryKind.ADJUST.value,
                              EntryKind.EXPIRE.value]),
    )  # fmt: skip


def _booked(*where: ColumnElement[bool]) -> Select[int, datetime, datetime, int, str]:
    return (
        select(CreditEntry.lot_id.label("lot_id"), func.max(CreditEntry.at).label("booked_at"),
               Appointment.starts_at.label("starts_at"), Appointment.id.label("appointment_id"),
               Appointment.status.label("status"))
        .join(Appointment, Appointment.id == CreditEntry.appointment_id)
        .where(CreditEntry.kind == EntryKind.BOOK.value, used_its_credit(),
               *where)
        .group_by(CreditEntry.lot_id, Appointment.starts_at, Appointment.id, Appointment.status)
    )  # fmt: skip


def _consumed(start: datetime, end: datetime) -> Select[int, datetime, int, str, int, int]:
    """Booked credits consumed in [start, end): sessions starting in the period, and
    sessions that started before it but were booked (backdated) in it."""
    booked_in = select(CreditEntry.appointment_id).where(
        CreditEntry.kind == EntryKind.BOOK.value, CreditEntry.at >= start, CreditEntry.at < end
    )
    booked = union_all(
        _booked(Appointment.starts_at >= start, Appointment.starts_at < end,
                CreditEntry.at < end),
        _booked(Appointment.starts_at < start, Appointment.id.in_(booked_in),
                CreditEntry.at < end),
    ).subquery()  # fmt: skip
    when = case((booked.c.booked_at > booked.c.starts_at, booked.c.booked_at),
                else_=booked.c.starts_at)  # fmt: skip
    movement = case((booked.c.status == "attended", literal("used", String)),
                    else_=literal("forfeited", String))  # fmt: skip
    return select(
        booked.c.lot_id, when, literal(_CONSUMED_ORDER, BigInteger) + booked.c.appointment_id,
        movement, literal(-1, Integer), literal(0, Integer),
    ).where(when >= start)  # fmt: skip


def moved_by_movement(
    session: Session, first: date, last: date, start: datetime, end: datetime, tz: tzinfo,
    filters: ReportFilter,
) -> dict[str, int]:  # fmt: skip
    """Cents each movement moved over the period (in-movements added, the others
    as positive amounts taken away)."""
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
    events = union_all(_entries(start, end), _consumed(start, end), gone_markers).subquery("ev")
    lot_id, when, order, movement, delta, marker = events.c
    opening = held_at_query(start)
    h0 = func.coalesce(opening.c.held, 0)
    gone = going.c.gone
    alive: ColumnElement[bool] = or_(
        CreditLot.expires_on.is_(None), CreditLot.expires_on >= first - timedelta(days=1)
    )
    after = h0 + func.sum(delta).over(partition_by=lot_id, order_by=(when, order), rows=(None, 0))
    replay = (
        select(
            CreditLot.price_cents.label("price"), CreditLot.quantity.label("quantity"),
            movement.label("movement"), marker.label("marker"),
            after.label("after"), delta.label("delta"),
        )
        .select_from(events)
        .join(CreditLot, CreditLot.id == lot_id)
        .outerjoin(opening, opening.c.lot_id == lot_id)
        .outerjoin(going, going.c.lot_id == lot_id)
        .where(alive, or_(gone.is_(None), when <= gone), *filters.lots())
    ).subquery("replay")  # fmt: skip
    r = replay.c
    before = credits_value_sql(r.price, r.quantity, r.after - r.delta)
    now_worth = case((r.marker == 1, literal(0, Integer)),
                     else_=credits_value_sql(r.price, r.quantity, r.after))  # fmt: skip
    change = now_worth - before
    signed = case((r.movement.in_(INS), change), else_=-change)
    found = dict.fromkeys(MOVEMENTS, 0)
    for name, cents in session.execute(select(r.movement, func.sum(signed)).group_by(r.movement)):
        found[str(name)] = int(cents or 0)
    return found
