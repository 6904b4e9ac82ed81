"""Shared pools: a family or partner group whose members book from the same credits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime


class CreditPool(Base):
    """A named group sharing credits; a lot with ``pool_id`` is the pool's.

    ``dissolved_at`` is set when the group ends (its open credits went back to
    their buyers, every membership ended); the row stays for the history.
    """

    __tablename__ = "credit_pools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    dissolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PoolMember(Base):
    """One member's time in a pool: from ``joined_at`` until ``left_at`` (None: still in).

    A member is in at most one pool at a time (a partial unique index on the
    current rows), so "the member's pool" has one answer.
    """

    __tablename__ = "pool_members"
    __table_args__ = (
        Index("ix_pool_members_pool_id", "pool_id"),
        Index(
            "ix_pool_members_current_member",
            "member_id",
            unique=True,
            sqlite_where=text("left_at IS NULL"),
            postgresql_where=text("left_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("credit_pools.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
