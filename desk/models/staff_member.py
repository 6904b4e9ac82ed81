from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, String, true
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base
from desk.models.enums import StaffRole, sql_in


class StaffMember(Base):
    __tablename__ = "staff_members"
    __table_args__ = (
        CheckConstraint(sql_in("role", StaffRole), name="role"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        Index("uq_staff_members_username", "username", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    takes_bookings: Mapped[bool] = mapped_column(default=True, server_default=true())
    """They coach: the calendar gives them a column (day view) and a lane (week view)."""
    delivers_all_types: Mapped[bool] = mapped_column(default=True, server_default=true())
    """They deliver every appointment type; when off, only those in staff_delivered_types."""
    username: Mapped[str | None] = mapped_column(String(60))
    password_hash: Mapped[str | None] = mapped_column(String(200))
