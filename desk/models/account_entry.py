from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime
from desk.models.enums import AccountEntryKind, PaymentMethod, sql_in

# A fee names its appointment; a waiver names the fee it reverses (and only a waiver does).
FEE_LINKS = (
    "(kind <> 'fee' OR appointment_id IS NOT NULL)"
    " AND ((kind = 'waiver') = (reverses_id IS NOT NULL))"
)
AT_COVERING_COLUMNS = (
    "at", "kind", "amount_cents", "lot_id", "billing_period_id", "method", "member_id"
)  # fmt: skip


class AccountEntry(Base):
    """A movement of money on a member's account, in integer cents.

    Positive amounts are in the member's favour (payments, account credit);
    charges are negative. The balance is the sum: above zero it is credit that
    pays the next charge, below zero it is owed.
    """

    __tablename__ = "account_entries"
    __table_args__ = (
        CheckConstraint(sql_in("kind", AccountEntryKind), name="kind"),
        CheckConstraint(
            "(kind IN ('charge', 'refund', 'fee') AND amount_cents < 0)"
            " OR (kind IN ('payment', 'credit', 'waiver') AND amount_cents > 0)",
            name="sign_matches_kind",
        ),
        Index("ix_account_entries_member_at", "member_id", "at"),
        # The sales report sums a period's entries from the index alone (0021).
        Index("ix_account_entries_at_covering", *AT_COVERING_COLUMNS),
        CheckConstraint(sql_in("method", PaymentMethod), name="method"),
        CheckConstraint(
            "(kind = 'payment' AND method IS NOT NULL) OR (kind <> 'payment' AND method IS NULL)",
            name="method_only_on_payments",
        ),
        CheckConstraint(FEE_LINKS, name="fee_links"),
        Index("ix_account_entries_appointment_id", "appointment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("credit_lots.id"))
    billing_period_id: Mapped[int | None] = mapped_column(ForeignKey("billing_periods.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # How a payment was received (PaymentMethod); None on other kinds.
    method: Mapped[str | None] = mapped_column(String(10))
    # A fee's appointment (late cancel, no-show); a waiver's fee (one waiver per fee).
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("account_entries.id"), unique=True)
