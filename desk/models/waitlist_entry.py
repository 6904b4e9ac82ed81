from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime
from desk.models.enums import WaitlistStatus, sql_in


class WaitlistEntry(Base):
    """A member waiting for a place in a full session (staff, type, start, end)."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(sql_in("status", WaitlistStatus), name="status"),
        Index("ix_waitlist_entries_session", "staff_id", "starts_at", "status"),
        Index("ix_waitlist_entries_member", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=WaitlistStatus.WAITING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
