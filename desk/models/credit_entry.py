from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime
from desk.models.enums import EntryKind, sql_in


class CreditEntry(Base):
    """An append-only movement on a lot; a lot's remaining is the sum of these."""

    __tablename__ = "credit_entries"
    __table_args__ = (
        CheckConstraint(sql_in("kind", EntryKind), name="kind"),
        # Each kind moves credits in one direction only, so a corrupt write is refused.
        CheckConstraint(
            "(kind = 'grant' AND delta > 0) OR (kind = 'book' AND delta = -1)"
            " OR (kind = 'release' AND delta = 1) OR (kind = 'forfeit' AND delta = 0)"
            " OR (kind = 'adjust' AND delta <> 0) OR (kind = 'expire' AND delta < 0)",
            name="delta_matches_kind",
        ),
        CheckConstraint(
            "kind NOT IN ('book', 'release', 'forfeit') OR appointment_id IS NOT NULL",
            name="booking_entries_name_appointment",
        ),
        CheckConstraint("kind <> 'adjust' OR length(reason) > 0", name="adjust_has_reason"),
        # One debit and at most one give-back or forfeit per appointment.
        UniqueConstraint("appointment_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("credit_lots.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    delta: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
