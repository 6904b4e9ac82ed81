from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime
from desk.models.enums import AppointmentStatus, sql_in

# What attendance counts a period's sessions by, all in one index (no table reads).
COUNTED_COLUMNS = ("starts_at", "status", "appointment_type_id", "staff_id", "member_id", "lot_id")
LOT_START_COLUMNS = (
    "lot_id", "starts_at", "status", "staff_id", "appointment_type_id", "member_id"
)  # fmt: skip
STATUS_COVERING_COLUMNS = (
    "status", "starts_at", "lot_id", "member_id", "staff_id", "appointment_type_id"
)  # fmt: skip


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(sql_in("status", AppointmentStatus), name="status"),
        Index("ix_appointments_staff_start", "staff_id", "starts_at"),
        Index("ix_appointments_member_start", "member_id", "starts_at"),
        Index("ix_appointments_starts_at", "starts_at"),
        # The reports: sessions of a status in a period (attended, no-show, still
        # booked), with what they are counted by, from the index alone (0021); and a
        # period's sessions counted by status, type, coach and member.
        Index("ix_appointments_status_start_covering", *STATUS_COVERING_COLUMNS),
        Index("ix_appointments_start_counted", *COUNTED_COLUMNS),
        Index("ix_appointments_unpaid_member", "unpaid", "member_id", "starts_at"),
        # A lot's sessions in the order they spent its credits (coach pay, 0021).
        Index("ix_appointments_lot_start", *LOT_START_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=AppointmentStatus.BOOKED.value)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("credit_lots.id"))
    series_id: Mapped[str | None] = mapped_column(String(36), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    status_reason: Mapped[str] = mapped_column(Text, default="")
    import_batch: Mapped[str | None] = mapped_column(String(36), index=True)
    """The import of booked sessions that made this booking (its undo cancels it)."""
    unpaid: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Booked without a credit and still owing one (no ``lot_id`` until a grant settles it)."""
