from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime


class StaffPayRule(Base):
    """What a staff member earns for an attended session of one type: a rate in
    cents, or a whole percentage of the value of the credit that paid for it."""

    __tablename__ = "staff_pay_rules"
    __table_args__ = (
        CheckConstraint("(rate_cents IS NULL) <> (percent IS NULL)", name="rate_or_percent"),
        CheckConstraint("rate_cents IS NULL OR rate_cents >= 0", name="rate_not_negative"),
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent"),
        UniqueConstraint("staff_id", "appointment_type_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    rate_cents: Mapped[int | None]
    percent: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
