from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime
from desk.models.enums import LotSource, sql_in


class CreditLot(Base):
    """One grant of credits to one member for one appointment type.

    ``remaining`` caches the sum of the lot's entries; it is written in the same
    transaction as every entry and the database refuses to let it go negative.
    """

    __tablename__ = "credit_lots"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("remaining >= 0", name="remaining_not_negative"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint(sql_in("source", LotSource), name="source"),
        Index("ix_credit_lots_member_type", "member_id", "appointment_type_id", "expires_on"),
        # The reports: credits expiring in a window, sales voided in a period.
        Index("ix_credit_lots_expires_on", "expires_on"),
        Index("ix_credit_lots_voided_at", "voided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    quantity: Mapped[int]
    remaining: Mapped[int]
    source: Mapped[str] = mapped_column(String(20))
    price_cents: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    expires_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    import_batch: Mapped[str | None] = mapped_column(String(64), index=True)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("session_packages.id"))
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscriptions.id"), index=True)
    period_start: Mapped[date | None] = mapped_column(Date)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The lot these credits left when they were transferred to this member.
    transferred_from_lot_id: Mapped[int | None] = mapped_column(
        ForeignKey("credit_lots.id"), index=True
    )
    # "Valid N days from first use": no expiry until the first booking it pays for,
    # then that session's local date + N (ledger.take_one); copied from the package.
    first_use_days: Mapped[int | None]
    # The shared pool that owns these credits (``member_id`` stays the buyer); set
    # when the lot opens and never changed (credits move in and out by transfers).
    pool_id: Mapped[int | None] = mapped_column(ForeignKey("credit_pools.id"), index=True)
