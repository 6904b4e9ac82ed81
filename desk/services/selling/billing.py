"""The billing run: each subscription period billed once, its credits granted (and
rolled over, up to the roll-over cap) and its price charged to the account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    BillingPeriod,
    CreditEntry,
    CreditLot,
    EntryKind,
    LotSource,
    Member,
    MemberStatus,
    Plan,
    PlanCredit,
    Subscription,
    UnusedCredits,
)
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.credits import ledger
from desk.services.credits.settle_unpaid import paid_changes, paid_in
from desk.services.people.hold_rules import billing_paused
from desk.services.records import audit
from desk.services.selling.account import post_charge
from desk.services.selling.billing_periods import periods
from desk.services.selling.sales_views import BillingReport


@dataclass(frozen=True)
class Billed:
    """What billing one subscription did: periods billed, lots granted, cents charged."""

    periods: int
    lots: int
    charged_cents: int


class Billing:
    """The billing run of SalesService."""

    _db: Database
    _clock: Clock

    @retry_transient
    def run_billing(self, *, through: date, actor: Actor) -> Outcome[BillingReport]:
        """Bill every subscription period that starts on or before ``through``.

        For each period not billed yet: the plan's credits are granted (lots
        with source "plan", expiring at the period's end; a roll-over plan first
        carries the previous period's unused credits into the new one, up to its
        cap) and the plan's price is charged to the account, where credit pays
        first and the rest carries over. Running it again bills nothing twice.
        Archived members are skipped.
        """
        now = self._clock.now()
        billed = lots = charged = 0
        members: set[int] = set()
        with authorized(self._db, actor, Permission.BILLING) as session:
            subscriptions = session.execute(
                select(Subscription, Plan)
                .join(Plan, Plan.id == Subscription.plan_id)
                .join(Member, Member.id == Subscription.member_id)
                .where(
                    Member.status == MemberStatus.ACTIVE.value, Subscription.starts_on <= through
                )
                .order_by(Subscription.id)
                # Two desks billing at once: the second waits here until the first
                # commits, then reads the periods it billed (each is billed once;
                # the unique (subscription, period_start) backs this up).
                .with_for_update(of=Subscription)
            ).all()
            for sub, plan in subscriptions:
                done = self._bill_subscription(session, sub, plan, through, now, actor)
                billed += done.periods
                lots += done.lots
                charged += done.charged_cents
                if done.periods:
                    members.add(sub.member_id)
            if billed:
                audit.record(
                    session,
                    at=now,
                    actor=actor,
                    action="billing.run",
                    entity="billing",
                    entity_id=None,
                    after={
                        "through": through,
                        "periods": billed,
                        "lots": lots,
                        "charged_cents": charged,
                    },
                )
            paid = paid_in(session)
        report = BillingReport(through, billed, lots, charged, tuple(sorted(members)), paid)
        changes = Changes.of(credits=members, members=members).merge(paid_changes(paid))
        return Outcome(report, changes)

    def _bill_subscription(
        self,
        session: Session,
        sub: Subscription,
        plan: Plan,
        through: date,
        now: datetime,
        actor: Actor,
    ) -> Billed:
        """Bill the periods of one subscription that start on or before ``through``
        and were not billed yet, in the caller's transaction (the run, or assigning
        a plan, which bills its first period at once). Periods stop at the
        subscription's end, so an ended plan is never billed past its end date."""
        billed = lots = charged = 0
        done = set(
            session.scalars(
                select(BillingPeriod.period_start).where(BillingPeriod.subscription_id == sub.id)
            )
        )
        credits = session.execute(
            select(PlanCredit.appointment_type_id, PlanCredit.credits_per_period).where(
                PlanCredit.plan_id == plan.id
            )
        ).all()
        paused = billing_paused(session, sub.member_id)  # periods starting in a hold
        for start, end in periods(
            period=plan.period,
            starts_on=sub.starts_on,
            through=through,
            ends_on=sub.ends_on,
            billing_day=plan.billing_day,
            term_days=plan.term_days,
        ):
            if start in done or paused(start):
                continue
            period_row = BillingPeriod(
                subscription_id=sub.id, period_start=start, period_end=end, billed_at=now
            )
            session.add(period_row)
            session.flush()
            for type_id, count in credits:
                lots += self._grant_period(
                    session, sub, plan, type_id, count, start, end, now, actor
                )
            result = post_charge(
                session,
                member_id=sub.member_id,
                amount_cents=plan.price_cents,
                at=now,
                actor=actor,
                note=f"{plan.name}, {start.isoformat()} to {(end - timedelta(days=1)).isoformat()}",
                billing_period_id=period_row.id,
                idempotency_key=f"billing:{sub.id}:{start.isoformat()}",
            )
            charged += result.charged_cents
            billed += 1
        return Billed(billed, lots, charged)

    def _grant_period(
        self,
        session: Session,
        sub: Subscription,
        plan: Plan,
        type_id: int,
        count: int,
        start: date,
        end: date,
        now: datetime,
        actor: Actor,
    ) -> int:
        expires = end - timedelta(days=1)
        ledger.open_lot(
            session,
            member_id=sub.member_id,
            appointment_type_id=type_id,
            quantity=count,
            source=LotSource.PLAN,
            currency=plan.currency,
            at=now,
            actor=actor,
            reason=f"{plan.name} from {start.isoformat()}",
            expires_on=expires,
            note=f"included in {plan.name}",
            subscription_id=sub.id,
            period_start=start,
        )
        granted = 1
        if plan.unused == UnusedCredits.ROLL_OVER:
            granted += self._roll_over(session, sub, plan, type_id, start, expires, now, actor)
        return granted

    def _roll_over(
        self,
        session: Session,
        sub: Subscription,
        plan: Plan,
        type_id: int,
        start: date,
        expires: date,
        now: datetime,
        actor: Actor,
    ) -> int:
        previous = session.scalars(
            select(CreditLot)
            .where(
                CreditLot.subscription_id == sub.id,
                CreditLot.appointment_type_id == type_id,
                CreditLot.period_start < start,
                CreditLot.voided_at.is_(None),
            )
            .order_by(CreditLot.period_start.desc(), CreditLot.id.desc())
        ).first()
        if previous is None:
            return 0
        # Unused = still open, plus what an expiry run already wrote off at period end.
        expired = -int(
            session.scalar(
                select(func.coalesce(func.sum(CreditEntry.delta), 0)).where(
                    CreditEntry.lot_id == previous.id, CreditEntry.kind == EntryKind.EXPIRE.value
                )
            )
            or 0
        )
        unused = previous.remaining + expired
        carried = unused if plan.rollover_cap is None else min(unused, plan.rollover_cap)
        if carried <= 0:
            return 0
        from_open = min(carried, previous.remaining)
        if from_open:
            # Carried credits leave the old lot first; if a booking took some since
            # the read, the run rolls back and reads again instead of carrying
            # credits that were spent (which would duplicate them).
            ledger.take_or_raise(session, previous.id, from_open, "billing")
            ledger.post(
                session,
                lot_id=previous.id,
                kind=EntryKind.ADJUST,
                delta=-from_open,
                at=now,
                actor=actor,
                reason="rolled over to the next period",
            )
        cap = plan.rollover_cap if plan.rollover_cap is not None else "none"
        ledger.open_lot(
            session,
            member_id=sub.member_id,
            appointment_type_id=type_id,
            quantity=carried,
            source=LotSource.PLAN,
            currency=plan.currency,
            at=now,
            actor=actor,
            reason=f"rolled over from {previous.period_start} (cap {cap})",
            entry_kind=EntryKind.ADJUST,
            expires_on=expires,
            note=f"rolled over from {previous.period_start}",
            subscription_id=sub.id,
            period_start=start,
        )
        return 1
