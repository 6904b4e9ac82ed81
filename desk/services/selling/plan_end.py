"""Ending a plan: what happens to its open credits and its bookings after the end.

One rule, ``_plan_end``, works out what ending would do; the preview returns it
and ``end_plan`` writes it in one transaction, so what the desk was shown is
what is done (or, if another desk changed the credits meanwhile, the end is
worked out again on fresh reads).

- The subscription gets the end date: billing stops there (``periods`` clamps
  the last period to it and bills none that starts on or after it).
- Bookings of the plan's credits on or after the end date: ``keep`` leaves them
  booked on the plan credit that paid (the member holds it already; bookings
  paid by other credits are never touched); ``cancel`` cancels them and gives
  each credit back to its plan lot, where the credits choice then applies.
- The plan's open credits: ``keep`` leaves them until their lot's expiry;
  ``expire`` writes them off now (expire entries); ``refund`` takes them off
  (adjust entries) and credits the account with their unused share of the
  period's charge, by the one value rule of lot_value.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    AccountEntry,
    AccountEntryKind,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    BillingPeriod,
    CreditEntry,
    CreditLot,
    EntryKind,
    Plan,
    Subscription,
)
from desk.services.calendar.booking_reads import snapshot
from desk.services.calendar.today import day_bounds
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, today
from desk.services.core.errors import InvalidState, NotFound, ValidationError
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.credits import ledger
from desk.services.credits.lot_value import split_price, value_of_credits
from desk.services.records import audit
from desk.services.selling.account import post_entry


class CreditsAtEnd(StrEnum):
    """What happens to the plan's open credits when it ends."""

    KEEP = "keep"
    EXPIRE = "expire"
    REFUND = "refund"


class BookingsAtEnd(StrEnum):
    """What happens to bookings of the plan's credits on or after the end date."""

    KEEP = "keep"
    CANCEL = "cancel"


@dataclass(frozen=True)
class LotAtEnd:
    """A lot of the plan's with credits left (counting those cancelled bookings return)."""

    lot_id: int
    appointment_type: str
    open_credits: int
    expires_on: date | None
    refund_cents: int
    """What refunding its open credits would credit to the account."""


@dataclass(frozen=True)
class BookingAtEnd:
    appointment_id: int
    starts_at: datetime
    appointment_type: str
    lot_id: int


@dataclass(frozen=True)
class PlanEnd:
    """What ending the plan does (the preview) or did (the end)."""

    subscription_id: int
    member_id: int
    plan_name: str
    ends_on: date
    credits: CreditsAtEnd
    bookings: BookingsAtEnd
    lots: tuple[LotAtEnd, ...]
    bookings_after_end: tuple[BookingAtEnd, ...]
    credits_removed: int
    """Open credits expired or refunded (0 when they are kept)."""
    refund_cents: int
    bookings_cancelled: int


def lot_prices(session: Session, subscription_id: int) -> dict[int, int]:
    """Each plan lot's share of what its period was charged: the charge split over the
    period's granted lots by their credits (rolled-over lots were free)."""
    charges = dict(
        session.execute(
            select(BillingPeriod.period_start, -func.sum(AccountEntry.amount_cents))
            .join(AccountEntry, AccountEntry.billing_period_id == BillingPeriod.id)
            .where(
                BillingPeriod.subscription_id == subscription_id,
                AccountEntry.kind == AccountEntryKind.CHARGE.value,
            )
            .group_by(BillingPeriod.period_start)
        ).all()
    )
    granted = session.execute(
        select(CreditLot.id, CreditLot.period_start, CreditLot.quantity)
        .join(CreditEntry, CreditEntry.lot_id == CreditLot.id)
        .where(
            CreditLot.subscription_id == subscription_id,
            CreditEntry.kind == EntryKind.GRANT.value,
        )
        .order_by(CreditLot.id)
    ).all()
    by_period: dict[date, list[tuple[int, int]]] = defaultdict(list)
    for lot_id, start, quantity in granted:
        if start is not None:
            by_period[start].append((lot_id, quantity))
    prices: dict[int, int] = {}
    for start, lots in by_period.items():
        shares = split_price(int(charges.get(start, 0)), [quantity for _, quantity in lots])
        prices.update(zip((lot_id for lot_id, _ in lots), shares, strict=True))
    return prices


class PlanEnding:
    """Ending a plan: the part of SalesService the profile's "End plan..." uses."""

    _db: Database
    _clock: Clock

    def preview_end_plan(
        self,
        subscription_id: int,
        *,
        ends_on: date,
        credits: CreditsAtEnd,
        bookings: BookingsAtEnd,
    ) -> PlanEnd:
        """What ending the plan on ``ends_on`` with these choices would do; writes nothing.

        Raises the errors ``end_plan`` would (ValidationError, InvalidState, NotFound).
        """
        with self._db.read() as session:
            sub = _subscription(session, subscription_id, lock=False)
            return self._plan_end(session, sub, ends_on, credits, bookings)

    @retry_transient
    def end_plan(
        self,
        subscription_id: int,
        *,
        ends_on: date,
        credits: CreditsAtEnd,
        bookings: BookingsAtEnd,
        actor: Actor,
    ) -> Outcome[PlanEnd]:
        """End the member's plan on ``ends_on`` (the first day without it), in one transaction.

        Billing stops at the end date; bookings after it and the plan's open
        credits are dealt with as chosen (see the module's docstring); audited.
        The subscription row is locked first, as the billing run locks it, so an
        end and a run never bill or refund the same period from stale reads.
        Raises ValidationError for an end date before today or not after the
        start, InvalidState for a plan that has ended (or ends by then) already, PermissionDenied
        without the billing permission, NotFound for an unknown subscription.
        """
        now = self._clock.now()
        with authorized(self._db, actor, Permission.BILLING) as session:
            sub = _subscription(session, subscription_id, lock=True)
            # The plan's lots next, before its bookings are read: a booking that took
            # one of their credits commits first and is then seen (at READ COMMITTED
            # the bookings and the lots are read by separate statements).
            session.execute(
                select(CreditLot.id)
                .where(CreditLot.subscription_id == sub.id)
                .order_by(CreditLot.id)
                .with_for_update()
            ).all()
            before = {"ends_on": sub.ends_on}
            end = self._plan_end(session, sub, ends_on, credits, bookings)
            reason = f"{end.plan_name} ended on {ends_on.isoformat()}"
            for booking in end.bookings_after_end if bookings == BookingsAtEnd.CANCEL else ():
                _cancel(session, booking, now, actor, reason)
            for lot in end.lots if credits != CreditsAtEnd.KEEP else ():
                _close_lot(session, sub.member_id, lot, credits, now, actor, reason)
            sub.ends_on = ends_on
            audit.record(
                session,
                at=now,
                actor=actor,
                action="sales.end_plan",
                entity="subscription",
                entity_id=sub.id,
                member_id=sub.member_id,
                before=before,
                after={
                    "plan": end.plan_name,
                    "ends_on": ends_on,
                    "credits": credits.value,
                    "bookings": bookings.value,
                    "credits_removed": end.credits_removed,
                    "refund_cents": end.refund_cents,
                    "bookings_cancelled": end.bookings_cancelled,
                },
            )
        cancelled = (
            [b.appointment_id for b in end.bookings_after_end] if end.bookings_cancelled else []
        )
        return Outcome(
            end,
            Changes.of(
                members=[end.member_id],
                credits=[end.member_id],
                bookings=[end.member_id] if cancelled else [],
                appointments=cancelled,
            ),
        )

    def _plan_end(
        self,
        session: Session,
        sub: Subscription,
        ends_on: date,
        credits: CreditsAtEnd,
        bookings: BookingsAtEnd,
    ) -> PlanEnd:
        """The one rule: what ending ``sub`` on ``ends_on`` with these choices does."""
        on = today(self._clock)
        if sub.ends_on is not None and (sub.ends_on <= on or ends_on >= sub.ends_on):
            # Ended, or ending then already: only an earlier end date is an end.
            raise InvalidState(f"This plan ends on {sub.ends_on.isoformat()} already.")
        if ends_on < on:
            raise ValidationError("ends_on", "A plan can end today or later, not in the past.")
        if ends_on <= sub.starts_on:
            raise ValidationError("ends_on", "The end date must be after the plan's start.")
        plan = session.get(Plan, sub.plan_id)
        assert plan is not None
        end_moment, _ = day_bounds(ends_on, self._clock)
        after_end = tuple(
            BookingAtEnd(appt_id, starts_at, type_name, lot_id)
            for appt_id, starts_at, type_name, lot_id in session.execute(
                select(Appointment.id, Appointment.starts_at, AppointmentType.name, CreditLot.id)
                .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
                .join(CreditLot, CreditLot.id == Appointment.lot_id)
                .where(
                    CreditLot.subscription_id == sub.id,
                    Appointment.status == AppointmentStatus.BOOKED.value,
                    Appointment.starts_at >= end_moment,
                )
                .order_by(Appointment.starts_at, Appointment.id)
            )
        )
        returned: dict[int, int] = defaultdict(int)
        if bookings == BookingsAtEnd.CANCEL:
            for booking in after_end:
                returned[booking.lot_id] += 1
        prices = lot_prices(session, sub.id)
        lots = []
        for lot, type_name in session.execute(
            select(CreditLot, AppointmentType.name)
            .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
            .where(CreditLot.subscription_id == sub.id, CreditLot.voided_at.is_(None))
            .order_by(CreditLot.id)
        ):
            held = lot.remaining + returned[lot.id]
            if held > 0:
                refund = value_of_credits(prices.get(lot.id, 0), lot.quantity, held)
                lots.append(LotAtEnd(lot.id, type_name, held, lot.expires_on, refund))
        removing = credits != CreditsAtEnd.KEEP
        return PlanEnd(
            subscription_id=sub.id,
            member_id=sub.member_id,
            plan_name=plan.name,
            ends_on=ends_on,
            credits=credits,
            bookings=bookings,
            lots=tuple(lots),
            bookings_after_end=after_end,
            credits_removed=sum(lot.open_credits for lot in lots) if removing else 0,
            refund_cents=(
                sum(lot.refund_cents for lot in lots) if credits == CreditsAtEnd.REFUND else 0
            ),
            bookings_cancelled=len(after_end) if bookings == BookingsAtEnd.CANCEL else 0,
        )


def _subscription(session: Session, subscription_id: int, *, lock: bool) -> Subscription:
    query = select(Subscription).where(Subscription.id == subscription_id)
    sub = session.scalar(query.with_for_update() if lock else query)
    if sub is None:
        raise NotFound(f"There is no plan subscription #{subscription_id}.")
    return sub


def _cancel(
    session: Session, booking: BookingAtEnd, now: datetime, actor: Actor, reason: str
) -> None:
    appt = session.scalar(
        select(Appointment).where(Appointment.id == booking.appointment_id).with_for_update()
    )
    if appt is None or appt.status != AppointmentStatus.BOOKED.value:
        # Cancelled or checked in at another desk since the read: work it out again.
        raise ledger.CreditsMoved("Another desk changed a booking of this plan; try again.")
    before = snapshot(appt)
    appt.status = AppointmentStatus.CANCELLED.value
    appt.status_changed_at = now
    appt.status_changed_by_id = actor.staff_id
    appt.status_reason = reason
    ledger.release(session, lot_id=booking.lot_id, appointment_id=appt.id, at=now, actor=actor,
                   reason=reason)  # fmt: skip
    audit.record(
        session,
        at=now,
        actor=actor,
        action="appointment.cancel",
        entity="appointment",
        entity_id=appt.id,
        member_id=appt.member_id,
        before=before,
        after={**snapshot(appt), "late": False, "credit_returned": True, "reason": reason},
    )


def _close_lot(
    session: Session,
    member_id: int,
    lot: LotAtEnd,
    credits: CreditsAtEnd,
    now: datetime,
    actor: Actor,
    reason: str,
) -> None:
    # A booking or an expiry at another desk since the read makes the take fail:
    # the whole end rolls back and is worked out again.
    ledger.take_or_raise(session, lot.lot_id, lot.open_credits, "ending the plan")
    refund = credits == CreditsAtEnd.REFUND
    ledger.post(
        session,
        lot_id=lot.lot_id,
        kind=EntryKind.ADJUST if refund else EntryKind.EXPIRE,
        delta=-lot.open_credits,
        at=now,
        actor=actor,
        reason=f"{reason}: unused credits refunded" if refund else reason,
    )
    if refund and lot.refund_cents > 0:
        post_entry(
            session,
            member_id=member_id,
            kind=AccountEntryKind.CREDIT,
            amount_cents=lot.refund_cents,
            at=now,
            actor=actor,
            note=f"{reason}: {lot.open_credits} unused credit(s) refunded",
            lot_id=lot.lot_id,
        )
