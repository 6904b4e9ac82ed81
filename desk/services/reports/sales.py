"""Sales and account: what was sold, voided and paid, by day, week or month."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta, tzinfo

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from desk.models import AccountEntry, AccountEntryKind, CreditLot, PaymentMethod
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.periods import (
    bucket_of,
    check_range,
    end_of,
    index_of_instant,
    start_of,
)

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


def _count(target: SalesRow, what: str, n: int, cents: int) -> None:
    """Add ``n`` entries of one kind (``what``, see ``sales``), ``cents`` in all."""
    if what == "package":
        target.packages_sold += n
        target.package_cents -= cents
    elif what == "plan":
        target.plan_cents -= cents
    elif what == "other":
        target.other_charge_cents -= cents
    elif what.startswith("paid:"):
        target.payment_cents += cents
        method = what.removeprefix("paid:")
        target.by_method[method] = target.by_method.get(method, 0) + cents
    elif what == "refund":
        target.refund_cents -= cents
    elif what == "void":
        target.void_credit_cents += cents
    else:
        target.credit_given_cents += cents


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

    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    day = index_of_instant(AccountEntry.at, [start_of(d, tz) for d in days])
    # What each entry counts as (the columns of SalesRow), decided in the database.
    what = case(
        (AccountEntry.kind == AccountEntryKind.CHARGE.value,
         case((CreditLot.source == "package", literal("package")),
              (AccountEntry.billing_period_id.is_not(None), literal("plan")),
              else_=literal("other"))),
        (AccountEntry.kind == AccountEntryKind.PAYMENT.value,
         literal("paid:") + func.coalesce(AccountEntry.method, PaymentMethod.UNKNOWN.value)),
        (AccountEntry.kind == AccountEntryKind.REFUND.value, literal("refund")),
        # Late-cancel and no-show fees, net of their waivers, are other charges.
        (AccountEntry.kind.in_(FEE_KINDS), literal("other")),
        (CreditLot.source.is_not(None) & CreditLot.voided_at.is_not(None), literal("void")),
        else_=literal("given"),
    )  # fmt: skip
    entries = (
        select(day, what, func.count(), func.sum(AccountEntry.amount_cents))
        .select_from(AccountEntry)
        .outerjoin(CreditLot, CreditLot.id == AccountEntry.lot_id)
        .where(AccountEntry.at >= start, AccountEntry.at < end, *filters.account_entries())
        .group_by(day, what)
    )  # fmt: skip
    for index, kind, n, cents in session.execute(entries):
        _count(row(days[int(index)]), str(kind), int(n), int(cents))
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
