"""Selling packages, assigning plans, voiding a sale; the billing run is in billing.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    AccountEntryKind,
    LotSource,
    MemberStatus,
    PaymentMethod,
    Plan,
    SessionPackage,
    Subscription,
)
from desk.services.calendar.appointment_types import load_type
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, today
from desk.services.core.errors import NotFound, ValidationError
from desk.services.core.ids import MemberId
from desk.services.core.money import MAX_CENTS
from desk.services.core.permissions import Permission, authorize, authorized
from desk.services.core.read_models import LotView
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.credits.credit_reads import lot_view_of
from desk.services.credits.pool_lots import pool_for_grant
from desk.services.credits.settle_unpaid import paid_changes, paid_in
from desk.services.people.members import load_member, lock_member
from desk.services.records import audit
from desk.services.selling.account import payment_method, post_charge, post_entry
from desk.services.selling.billing import Billing
from desk.services.selling.plan_end import PlanEnding
from desk.services.selling.sales_views import ChargeResult, SubscriptionView
from desk.services.selling.voiding import lock_lot, void_in


@dataclass(frozen=True)
class SaleResult:
    lot: LotView
    charge: ChargeResult
    paid_cents: int


@dataclass(frozen=True)
class VoidResult:
    lot: LotView
    credits_removed: int
    refunded_cents: int


def _subscription_view(session: Session, row: Subscription) -> SubscriptionView:
    plan = session.get(Plan, row.plan_id)
    assert plan is not None
    return SubscriptionView(
        row.id, row.member_id, row.plan_id, plan.name, row.starts_on, row.ends_on
    )


class SalesService(Billing, PlanEnding):
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- packages ---------------------------------------------------------------------------

    @retry_transient
    def sell_package(
        self,
        *,
        member_id: MemberId,
        package_id: int,
        price_cents: int | None = None,
        paid: bool = True,
        method: PaymentMethod | str = PaymentMethod.CASH,
        note: str = "",
        actor: Actor,
        pool_id: int | None = None,
    ) -> Outcome[SaleResult]:
        """Sell a package: a lot with source "package" at the package's price (or
        ``price_cents``), expiring after the package's validity; the price is
        charged to the account (credit pays first) and, with ``paid``, a payment
        of what was owed is recorded at once, received by ``method``. With
        ``pool_id`` the lot is that shared pool's (the buyer must be in it).

        Raises NotFound, ValidationError for an inactive package, an archived
        member, a bad price or an unknown payment method.
        """
        clean_note = clean_text(note, "note", max_length=MAX_TEXT)
        paid_by = payment_method(method)
        now = self._clock.now()
        on = today(self._clock)
        needs = [Permission.SELL_AT_LIST_PRICE]
        if price_cents is not None:
            needs.append(Permission.CUSTOM_PRICE)
        with self._db.write() as session:
            authorize(session, actor, *needs)
            member = load_member(session, member_id)
            if member.status != MemberStatus.ACTIVE.value:
                raise ValidationError("member", "Reactivate the member before selling to them.")
            package = session.get(SessionPackage, package_id)
            if package is None:
                raise NotFound(f"There is no package #{package_id}.")
            if not package.active:
                raise ValidationError("package", f"{package.name} is no longer sold.")
            price = package.price_cents if price_cents is None else price_cents
            if isinstance(price, bool) or not isinstance(price, int) or not 0 <= price <= MAX_CENTS:
                raise ValidationError("price", "The price can't be negative or that large.")
            expires = on + timedelta(days=package.validity_days) if package.validity_days else None
            kind = load_type(session, package.appointment_type_id)
            lot = ledger.open_lot(
                session,
                member_id=member.id,
                appointment_type_id=kind.id,
                quantity=package.credits,
                source=LotSource.PACKAGE,
                currency=package.currency,
                at=now,
                actor=actor,
                reason=f"sold: {package.name}",
                price_cents=price,
                expires_on=expires,
                note=clean_note or package.name,
                package_id=package.id,
                first_use_days=package.first_use_days,
                pool_id=pool_for_grant(session, member.id, pool_id),
            )
            charge = post_charge(
                session,
                member_id=member.id,
                amount_cents=price,
                at=now,
                actor=actor,
                note=f"{package.name}",
                lot_id=lot.id,
            )
            paid_cents = 0
            if paid and charge.owed_cents > 0:
                paid_cents = charge.owed_cents
                post_entry(
                    session,
                    member_id=member.id,
                    kind=AccountEntryKind.PAYMENT,
                    amount_cents=paid_cents,
                    at=now,
                    actor=actor,
                    note=f"paid at the desk: {package.name}",
                    lot_id=lot.id,
                    method=paid_by,
                )
            audit.record(
                session,
                at=now,
                actor=actor,
                action="sales.package",
                entity="credit_lot",
                entity_id=lot.id,
                member_id=member.id,
                after={
                    "package": package.name,
                    "price_cents": price,
                    "list_price_cents": package.price_cents,
                    "paid_cents": paid_cents,
                    "method": paid_by.value if paid_cents else None,
                },
            )
            view = replace(lot_view_of(session, lot.id, on), paid_unpaid=paid_in(session))
        return Outcome(
            SaleResult(view, charge, paid_cents),
            Changes.of(credits=[member_id], members=[member_id]).merge(
                paid_changes(view.paid_unpaid)
            ),
        )

    @retry_transient
    def void_lot(self, lot_id: int, *, reason: str, actor: Actor) -> Outcome[VoidResult]:
        """Void a sale: its unused credits are removed (used and booked ones stay)
        and the unused share of the price goes back on the account as credit.

        Raises ValidationError without a reason, InvalidState for a lot already
        voided, NotFound.
        """
        text = clean_text(reason, "reason", max_length=MAX_TEXT)
        if not text:
            raise ValidationError("reason", "Say why the sale is voided.")
        now = self._clock.now()
        on = today(self._clock)
        with authorized(self._db, actor, Permission.VOID) as session:
            lot = lock_lot(session, lot_id)
            unused, refund = void_in(session, lot, text, at=now, actor=actor)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="sales.void",
                entity="credit_lot",
                entity_id=lot.id,
                member_id=lot.member_id,
                after={"credits_removed": unused, "refunded_cents": refund, "reason": text},
            )
            session.flush()
            view = lot_view_of(session, lot.id, on)
            member_id = lot.member_id
        return Outcome(
            VoidResult(view, unused, refund), Changes.of(credits=[member_id], members=[member_id])
        )

    # --- plans ------------------------------------------------------------------------------

    @retry_transient
    def assign_plan(
        self,
        *,
        member_id: MemberId,
        plan_id: int,
        starts_on: date,
        ends_on: date | None = None,
        actor: Actor,
    ) -> Outcome[SubscriptionView]:
        """Put a member on a plan from ``starts_on`` (to ``ends_on``, exclusive).

        Periods that have started by today are billed at once, in the same
        transaction, as a billing run would bill them: the first period's credits
        are granted and its price charged, so the member can book straight away.
        A plan starting later is billed by the daily run when its day comes. The
        credits pay the member's unpaid bookings of the type (``paid_unpaid``).
        Raises ValidationError for an end before the start, an inactive plan,
        an archived member or a member already on that plan then; NotFound.
        """
        if ends_on is not None and ends_on <= starts_on:
            raise ValidationError("ends_on", "The end date must be after the start date.")
        now = self._clock.now()
        with authorized(self._db, actor, Permission.SELL_AT_LIST_PRICE) as session:
            # Locked: two desks assigning the same plan at once would both find no
            # clash below and both insert (PostgreSQL, READ COMMITTED).
            member = lock_member(session, member_id)
            if member.status != MemberStatus.ACTIVE.value:
                raise ValidationError("member", "Reactivate the member before assigning a plan.")
            plan = session.get(Plan, plan_id)
            if plan is None:
                raise NotFound(f"There is no plan #{plan_id}.")
            if not plan.active:
                raise ValidationError("plan", f"{plan.name} is no longer offered.")
            clash = session.scalar(
                select(Subscription.id).where(
                    Subscription.member_id == member.id,
                    Subscription.plan_id == plan.id,
                    (Subscription.ends_on.is_(None)) | (Subscription.ends_on > starts_on),
                    *([Subscription.starts_on < ends_on] if ends_on is not None else []),
                )
            )
            if clash is not None:
                raise ValidationError("plan", f"The member is already on {plan.name} then.")
            row = Subscription(
                member_id=member.id,
                plan_id=plan.id,
                starts_on=starts_on,
                ends_on=ends_on,
                created_at=now,
                created_by_id=actor.staff_id,
            )
            session.add(row)
            session.flush()
            billed = self._bill_subscription(session, row, plan, today(self._clock), now, actor)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="sales.assign_plan",
                entity="subscription",
                entity_id=row.id,
                member_id=member.id,
                after={
                    "plan": plan.name,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "periods_billed": billed.periods,
                    "charged_cents": billed.charged_cents,
                },
            )
            view = replace(_subscription_view(session, row), paid_unpaid=paid_in(session))
        changes = Changes.of(members=[member_id], credits=[member_id])
        return Outcome(view, changes.merge(paid_changes(view.paid_unpaid)))

    def subscriptions(self, member_id: MemberId) -> list[SubscriptionView]:
        """The member's plans, newest first. Raises NotFound."""
        with self._db.read() as session:
            load_member(session, member_id)
            rows = session.scalars(
                select(Subscription)
                .where(Subscription.member_id == member_id)
                .order_by(Subscription.starts_on.desc())
            )
            return [_subscription_view(session, row) for row in rows]
