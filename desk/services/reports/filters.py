"""What a report is narrowed to: one filter object shared by every report.

``ReportFilter`` names an appointment type, a coach, a plan, a package and a
member status (active or archived); None is "all". Each report takes the parts
that make sense for it (``service.REPORTS``) and turns them into conditions on
the rows it reads, in one place: lots (liability, expiring), sessions
(attendance, coach pay) and account entries (sales).

- A plan's credits are the lots its subscriptions granted; a package's are the
  lots sold from it.
- A session is of a plan or package when a credit of one paid for it.
- Money is of a package when it is the charge or the payment of a lot sold from
  it, of a plan when it is the charge of one of its billing periods.
- Member status is the member's status now (an archived member's old credits
  still count when the filter is "all").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, select

from desk.models import (
    AccountEntry,
    Appointment,
    BillingPeriod,
    CreditLot,
    Member,
    MemberStatus,
    Subscription,
)
from desk.services.core.errors import ValidationError

FILTER_OPTIONS = ("type", "coach", "plan", "package", "status")
MEMBER_STATUSES = tuple(s.value for s in MemberStatus)
"""The member statuses a report can be narrowed to: "active", "archived"."""


@dataclass(frozen=True, slots=True)
class ReportFilter:
    type_id: int | None = None
    coach_id: int | None = None
    plan_id: int | None = None
    package_id: int | None = None
    status: str | None = None
    """A MEMBER_STATUSES value."""

    def only(self, options: frozenset[str]) -> ReportFilter:
        """This filter without the parts a report that takes ``options`` doesn't use."""
        return replace(
            self,
            type_id=self.type_id if "type" in options else None,
            coach_id=self.coach_id if "coach" in options else None,
            plan_id=self.plan_id if "plan" in options else None,
            package_id=self.package_id if "package" in options else None,
            status=self.status if "status" in options else None,
        )

    @property
    def given(self) -> frozenset[str]:
        """The options this filter narrows by."""
        values = (self.type_id, self.coach_id, self.plan_id, self.package_id, self.status)
        return frozenset(o for o, v in zip(FILTER_OPTIONS, values, strict=True) if v is not None)

    def _members(self) -> ColumnElement[bool] | None:
        if self.status is None:
            return None
        if self.status not in MEMBER_STATUSES:
            raise ValidationError("status", f"Members are {' or '.join(MEMBER_STATUSES)}.")
        return Member.status == self.status

    def _lot_origin(self) -> list[ColumnElement[bool]]:
        """Plan and package, on credit_lots."""
        found: list[ColumnElement[bool]] = []
        if self.package_id is not None:
            found.append(CreditLot.package_id == self.package_id)
        if self.plan_id is not None:
            found.append(
                CreditLot.subscription_id.in_(
                    select(Subscription.id).where(Subscription.plan_id == self.plan_id)
                )
            )
        return found

    def lots(self) -> list[ColumnElement[bool]]:
        """Conditions on credit_lots: type, plan, package, member status."""
        found = self._lot_origin()
        if self.type_id is not None:
            found.append(CreditLot.appointment_type_id == self.type_id)
        member = self._members()
        if member is not None:
            found.append(CreditLot.member_id.in_(select(Member.id).where(member)))
        return found

    def appointments(self) -> list[ColumnElement[bool]]:
        """Conditions on appointments: type, coach, the plan or package of the credit
        that paid, member status."""
        found: list[ColumnElement[bool]] = []
        if self.type_id is not None:
            found.append(Appointment.appointment_type_id == self.type_id)
        if self.coach_id is not None:
            found.append(Appointment.staff_id == self.coach_id)
        origin = self._lot_origin()
        if origin:
            found.append(Appointment.lot_id.in_(select(CreditLot.id).where(*origin)))
        member = self._members()
        if member is not None:
            found.append(Appointment.member_id.in_(select(Member.id).where(member)))
        return found

    def account_entries(self) -> list[ColumnElement[bool]]:
        """Conditions on account_entries: package (its lots' charges and payments),
        plan (its billing periods' charges), member status."""
        found: list[ColumnElement[bool]] = []
        if self.package_id is not None:
            found.append(
                AccountEntry.lot_id.in_(
                    select(CreditLot.id).where(CreditLot.package_id == self.package_id)
                )
            )
        if self.plan_id is not None:
            found.append(
                AccountEntry.billing_period_id.in_(
                    select(BillingPeriod.id)
                    .join(Subscription, Subscription.id == BillingPeriod.subscription_id)
                    .where(Subscription.plan_id == self.plan_id)
                )
            )
        member = self._members()
        if member is not None:
            found.append(AccountEntry.member_id.in_(select(Member.id).where(member)))
        return found


EVERYTHING = ReportFilter()
