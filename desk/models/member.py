from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime
from desk.models.enums import MemberStatus, sql_in


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint(sql_in("status", MemberStatus), name="status"),
        CheckConstraint("length(first_name) > 0 OR length(last_name) > 0", name="has_name"),
        Index("ix_members_phone_digits", "phone_digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    # Kept beside the phone as typed so that "555-0142" finds "(555) 0142".
    phone_digits: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=MemberStatus.ACTIVE.value)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    import_batch: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The member this duplicate was merged into (it stays, archived, pointing there).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)


# Expression indexes serve the one- and two-letter prefix search that the trigram
# index can't answer.
Index("ix_members_first_lower", func.lower(Member.first_name))
Index("ix_members_last_lower", func.lower(Member.last_name))
Index("ix_members_email_lower", func.lower(Member.email))
