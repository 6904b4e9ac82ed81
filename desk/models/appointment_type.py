from __future__ import annotations

from datetime import timedelta

from sqlalchemy import CheckConstraint, String, false
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base


class AppointmentType(Base):
    __tablename__ = "appointment_types"
    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("default_price_cents >= 0", name="price_not_negative"),
        CheckConstraint("late_cancel_hours >= 0", name="late_cancel_not_negative"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    duration_minutes: Mapped[int]
    color: Mapped[str] = mapped_column(String(7), default="#4a90d9")
    default_price_cents: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    late_cancel_hours: Mapped[int] = mapped_column(default=24)
    active: Mapped[bool] = mapped_column(default=True)
    # How many members one session of this type holds (1: a one-to-one session).
    capacity: Mapped[int] = mapped_column(default=1, server_default="1")
    buffer_before_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    buffer_after_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    min_notice_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    horizon_days: Mapped[int] = mapped_column(default=0, server_default="0")
    """How many days ahead a session may be booked; 0 is no limit."""
    # Fees by policy (desk/services/selling/fees.py), charged to the member's account.
    late_cancel_fee_cents: Mapped[int] = mapped_column(default=0, server_default="0")
    no_show_fee_cents: Mapped[int] = mapped_column(default=0, server_default="0")
    fee_replaces_forfeit: Mapped[bool] = mapped_column(default=False, server_default=false())
    """With a fee, the credit goes back to its lot instead of being forfeited."""

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)
