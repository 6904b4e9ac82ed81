from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime


class ChangeLogEntry(Base):
    """What one committed write changed, for the other desks to catch up on.

    Ids come from ``change_counter`` inside the writing transaction, so they are
    gapless and in commit order: a desk that has seen id N has seen every change
    up to N, and a first id above N + 1 means rows were pruned meanwhile.
    """

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_at", "at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    desk: Mapped[str] = mapped_column(String(32))
    """The writing process's desk id: a desk skips what it announced itself."""
    changes: Mapped[str] = mapped_column(Text)
    """JSON: {"members": [ids], "credits": [...], "appointments": [...],
    "bookings": [...], "catalog": bool, "everything": bool}."""


class ChangeCounter(Base):
    """One row: the last change-log id handed out (never reused after pruning)."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(BigInteger)
