"""A member's hold (freeze): dates on which they can't book, and the lots it moved."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime


class MemberHold(Base):
    """A member on hold from ``starts_on`` to ``ends_on`` (both held), with a reason.

    ``ended_early_on`` is the day they came back when the hold ended early (the
    hold then covers ``starts_on`` to the day before); a cancelled hold covers
    nothing. The rules are desk/services/people/hold_rules.py's.
    """

    __tablename__ = "member_holds"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_on_or_after_start"),
        CheckConstraint(
            "ended_early_on IS NULL OR (ended_early_on > starts_on AND ended_early_on <= ends_on)",
            name="ended_early_inside",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    ended_early_on: Mapped[date | None] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))


class MemberHoldLot(Base):
    """A lot whose expiry a hold moved: from which date, and by how many days now
    (ending the hold early moves it back by the unused days and lowers ``days``)."""

    __tablename__ = "member_hold_lots"
    __table_args__ = (UniqueConstraint("hold_id", "lot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hold_id: Mapped[int] = mapped_column(ForeignKey("member_holds.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("credit_lots.id"), index=True)
    expires_on_before: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
