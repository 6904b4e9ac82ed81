"""Read models of what the gym sells and of members' money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from desk.services.core.read_models import PaidBooking


@dataclass(frozen=True)
class PackageView:
    id: int
    name: str
    appointment_type_id: int
    appointment_type: str
    credits: int
    price_cents: int
    currency: str
    validity_days: int | None
    active: bool
    first_use_days: int | None = None
    """Valid this many days from the first session a credit pays for (no validity_days)."""


@dataclass(frozen=True)
class PlanCreditView:
    appointment_type_id: int
    appointment_type: str
    credits_per_period: int


@dataclass(frozen=True)
class PlanView:
    id: int
    name: str
    period: str
    """"week", "month", "year", or "once" (one payment for a fixed term)."""
    billing_day: int | None
    term_days: int | None
    price_cents: int
    currency: str
    unused: str
    """"expire" or "roll_over"."""
    rollover_cap: int | None
    active: bool
    credits: tuple[PlanCreditView, ...]


@dataclass(frozen=True)
class SubscriptionView:
    id: int
    member_id: int
    plan_id: int
    plan_name: str
    starts_on: date
    ends_on: date | None
    paid_unpaid: tuple[PaidBooking, ...] = ()
    """Unpaid bookings its first period's credits paid (assigning bills at once)."""


@dataclass(frozen=True)
class FeeLink:
    """The appointment a fee (or the waiver of one) is for (fees.py)."""

    appointment_id: int
    appointment_type: str
    starts_at: datetime
    waived: bool


@dataclass(frozen=True)
class AccountEntryView:
    id: int
    kind: str
    amount_cents: int
    currency: str
    at: datetime
    by: str | None
    note: str
    fee: FeeLink | None = None


@dataclass(frozen=True)
class ChargeResult:
    """How a charge was settled: from account credit first, the rest owed."""

    charged_cents: int
    paid_from_credit_cents: int
    owed_cents: int
    balance_after_cents: int
    """Positive: credit carried to the next period; negative: owed."""


@dataclass(frozen=True)
class BillingReport:
    through: date
    periods_billed: int
    lots_granted: int
    charged_cents: int
    members: tuple[int, ...]
    paid_unpaid: tuple[PaidBooking, ...] = ()
    """Unpaid bookings the run's credits settled (desk/services/credits/settle_unpaid.py)."""
