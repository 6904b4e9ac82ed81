"""What the gym sells: session packages (punch cards) and plans with included credits."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base
from desk.models.enums import UnusedCredits, sql_in


class SessionPackage(Base):
    __tablename__ = "session_packages"
    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("credits > 0", name="credits_positive"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("validity_days IS NULL OR validity_days > 0", name="validity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    credits: Mapped[int]
    price_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    validity_days: Mapped[int | None]
    # Valid this many days from the first session a lot pays for (instead of validity_days).
    first_use_days: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)


class Plan(Base):
    """A membership plan; recurring ones bill every period, others once for a term."""

    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("period IN ('week', 'month', 'year', 'once')", name="period"),
        CheckConstraint(
            "(period = 'once' AND term_days > 0) OR (period <> 'once' AND term_days IS NULL)",
            name="term_for_one_payment_only",
        ),
        CheckConstraint(
            "billing_day IS NULL OR (billing_day BETWEEN 1 AND 31)", name="billing_day_in_month"
        ),
        CheckConstraint(sql_in("unused", UnusedCredits), name="unused"),
        CheckConstraint("rollover_cap IS NULL OR rollover_cap >= 0", name="cap_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    period: Mapped[str] = mapped_column(String(10))
    billing_day: Mapped[int | None]
    """Day of the month monthly plans bill on (clamped to short months)."""
    term_days: Mapped[int | None]
    price_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    unused: Mapped[str] = mapped_column(String(10), default=UnusedCredits.EXPIRE.value)
    rollover_cap: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)


class PlanCredit(Base):
    __tablename__ = "plan_credits"
    __table_args__ = (
        CheckConstraint("credits_per_period > 0", name="credits_positive"),
        UniqueConstraint("plan_id", "appointment_type_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    credits_per_period: Mapped[int]
