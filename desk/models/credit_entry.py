from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime
from desk.models.enums import EntryKind, sql_in

# Each kind moves credits in one direction only, so a corrupt write is refused.
DELTA_MATCHES_KIND = (
    "(kind = 'grant' AND delta > 0) OR (kind = 'book' AND delta = -1)"
    " OR (kind = 'release' AND delta = 1) OR (kind = 'forfeit' AND delta = 0)"
    " OR (kind = 'adjust' AND delta <> 0) OR (kind = 'expire' AND delta < 0)"
    " OR (kind = 'reverse' AND delta = 0)"
)
BOOKING_ENTRIES_NAME_APPOINTMENT = (
    "kind NOT IN ('book', 'release', 'forfeit', 'reverse') OR appointment_id IS NOT NULL"
)
# One debit and at most one give-back per appointment. A forfeit can be undone
# (a reverse entry) and the booking forfeited again later, so forfeits repeat.
ONE_BOOK_ONE_RELEASE = "kind IN ('book', 'release')"


class CreditEntry(Base):
    """An append-only movement on a lot; a lot's remaining is the sum of these."""

    __tablename__ = "credit_entries"
    __table_args__ = (
        CheckConstraint(sql_in("kind", EntryKind), name="kind"),
        CheckConstraint(DELTA_MATCHES_KIND, name="delta_matches_kind"),
        CheckConstraint(BOOKING_ENTRIES_NAME_APPOINTMENT, name="booking_entries_name_appointment"),
        CheckConstraint("kind <> 'adjust' OR length(reason) > 0", name="adjust_has_reason"),
        CheckConstraint("kind <> 'reverse' OR length(reason) > 0", name="reverse_has_reason"),
        Index(
            "uq_credit_entries_appointment_id_kind",
            "appointment_id",
            "kind",
            unique=True,
            sqlite_where=text(ONE_BOOK_ONE_RELEASE),
            postgresql_where=text(ONE_BOOK_ONE_RELEASE),
        ),
        # The reports: movements in a period; a session's booking entry (when, which
        # lot) and its give-back; a period's movements of a kind (0021, covering).
        Index("ix_credit_entries_at", "at"),
        Index("ix_credit_entries_appointment_kind", "appointment_id", "kind", "at", "lot_id"),
        Index("ix_credit_entries_kind_at", "kind", "at", "lot_id", "delta", "appointment_id"),
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
    # The entry a reverse entry undoes (a forfeit); unique, so none is undone twice.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("credit_entries.id"), unique=True)
