"""Sales and account: what was sold, voided and paid, by day, week or month."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, tzinfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desk.models import AccountEntry, AccountEntryKind, CreditLot, PaymentMethod
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.periods import bucket_of, check_range, end_of, start_of

FEE_KINDS = (AccountEntryKind.FEE.value, AccountEntryKind.WAIVER.value)


@dataclass(slots=True)
class SalesRow:
    """One day, week (its Monday) or month, in cents. Charges are shown positive."""

    label: str
    packages_sold: int = 0
    package_cents: int = 0
    plan_cents: int = 0
    other_charge_cents: int = 0
    payment_cents: int = 0
    credit_given_cents: int = 0
    refund_cents: int = 0
    voids: int = 0
    void_credit_cents: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    """Payments by how they were received (PaymentMethod values), in cents."""

    def add(self, other: SalesRow) -> None:
        for one in fields(self)[1:]:
            if one.name != "by_method":
                setattr(self, one.name, getattr(self, one.name) + getattr(other, one.name))
        for method, cents in other.by_method.items():
            self.by_method[method] = self.by_method.get(method, 0) + cents

    def payments_by_method(self) -> tuple[tuple[PaymentMethod, int], ...]:
        """Every method's payments, in PaymentMethod's order; "unknown" (payments
        recorded before methods were kept) only when there are some."""
        return tuple(
            (m, self.by_method.get(m.value, 0))
            for m in PaymentMethod
            if m is not PaymentMethod.UNKNOWN or self.by_method.get(m.value)
        )


@dataclass(frozen=True, slots=True)
class Sales:
    first: date
    last: date
    by: str
    rows: tuple[SalesRow, ...]
    total: SalesRow
    # At the end of the period, over every member's account:
    credit_carried_cents: int
    owed_cents: int


def sales(
    session: Session,
    first: date,
    last: date,
    tz: tzinfo,
    by: str = "day",
    filters: ReportFilter = EVERYTHING,
) -> Sales:
    """Charges, payments (by method), account credit and voids on the local days
    ``first``..``last``, narrowed by ``filters`` (plan, package, member status).

    A charge for a package is a package sale, one for a plan period a plan
    sale; late-cancel and no-show fees, less their waivers, are other charges;
    account credit that a void gave back is counted with the voids. What is
    carried and owed is over the members the status filter keeps.
    Raises ValidationError for ``first`` after ``last`` or an unknown ``by``.
    """
    check_range(first, last)
    bucket_of(first, by)
    start, end = start_of(first, tz), end_of(last, tz)
    rows: dict[str, SalesRow] = {}

    def row(at_day: date) -> SalesRow:
        label = bucket_of(at_day, by)
        return rows.setdefault(label, SalesRow(label))

    entries = (
        select(AccountEntry.at, AccountEntry.kind, AccountEntry.amount_cents,
               AccountEntry.billing_period_id, CreditLot.source, CreditLot.voided_at,
               AccountEntry.method)
        .outerjoin(CreditLot, CreditLot.id == AccountEntry.lot_id)
        .where(AccountEntry.at >= start, AccountEntry.at < end, *filters.account_entries())
    )  # fmt: skip
    for at, kind, cents, period_id, source, voided_at, method in session.execute(entries):
        target = row(at.astimezone(tz).date())
        if kind == AccountEntryKind.CHARGE.value:
            if source == "package":
                target.packages_sold += 1
                target.package_cents -= cents
            elif period_id is not None:
                target.plan_cents -= cents
            else:
                target.other_charge_cents -= cents
        elif kind == AccountEntryKind.PAYMENT.value:
            target.payment_cents += cents
            paid_by = method or PaymentMethod.UNKNOWN.value
            target.by_method[paid_by] = target.by_method.get(paid_by, 0) + cents
        elif kind == AccountEntryKind.REFUND.value:
            target.refund_cents -= cents
        elif kind in FEE_KINDS:  # late-cancel and no-show fees, net of their waivers
            target.other_charge_cents -= cents
        elif source is not None and voided_at is not None:
            target.void_credit_cents += cents
        else:
            target.credit_given_cents += cents
    voided = select(CreditLot.voided_at).where(
        CreditLot.voided_at >= start, CreditLot.voided_at < end, *filters.lots()
    )
    for (voided_at,) in session.execute(voided):
        assert voided_at is not None
        row(voided_at.astimezone(tz).date()).voids += 1
    ordered = tuple(rows[k] for k in sorted(rows))
    total = SalesRow("Total")
    for one in ordered:
        total.add(one)
    only_members = replace(filters, plan_id=None, package_id=None)
    balances = (
        select(func.sum(AccountEntry.amount_cents).label("balance"))
        .where(AccountEntry.at < end, *only_members.account_entries())
        .group_by(AccountEntry.member_id)
        .subquery()
    )
    balance = balances.c.balance
    carried, owed = session.execute(
        select(
            func.coalesce(func.sum(case((balance > 0, balance), else_=0)), 0),
            func.coalesce(func.sum(case((balance < 0, -balance), else_=0)), 0),
        )
    ).one()
    return Sales(first, last, by, ordered, total, int(carried), int(owed))
