"""When a staff member works: weekly hours, dated exceptions, the types they deliver."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base


class StaffWeeklyHours(Base):
    """One range of a weekday, in wall-clock minutes of the gym's day (0-1440)."""

    __tablename__ = "staff_weekly_hours"
    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday"),
        CheckConstraint(
            "start_minute >= 0 AND end_minute <= 1440 AND end_minute > start_minute", name="range"
        ),
        Index("ix_staff_weekly_hours_staff_id", "staff_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    weekday: Mapped[int]
    """Monday is 0, as ``date.weekday()``."""
    start_minute: Mapped[int]
    end_minute: Mapped[int]


class StaffTimeException(Base):
    """Time off ("off") or a one-off extra shift ("extra"), in the gym's wall-clock time."""

    __tablename__ = "staff_time_exceptions"
    __table_args__ = (
        CheckConstraint("kind IN ('off', 'extra')", name="kind"),
        CheckConstraint("ends_local > starts_local", name="ends_after_start"),
        Index("ix_staff_time_exceptions_staff_start", "staff_id", "starts_local"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    kind: Mapped[str] = mapped_column(String(10))
    starts_local: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    ends_local: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class StaffDeliveredType(Base):
    """A type someone delivers (read only when their ``delivers_all_types`` is off)."""

    __tablename__ = "staff_delivered_types"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), primary_key=True)
    appointment_type_id: Mapped[int] = mapped_column(
        ForeignKey("appointment_types.id"), primary_key=True
    )
