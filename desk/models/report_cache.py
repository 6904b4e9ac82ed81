"""Closed days of period reports, kept so a year's report need not replay a year.

A day is cached only once it is over (and an hour more), per report and time
zone. Database triggers (migration 0022) drop every cached day a write could
change: a write touching the ledger or the sessions at some instant deletes the
cached days ending after it, and logs that instant in ``report_cache_dirt`` so a
report that read before the write and stores after it can tell
(services/reports/day_cache.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime


class ReportCacheDay(Base):
    """One closed local day of one report in one time zone."""

    __tablename__ = "report_cache_days"
    __table_args__ = (
        UniqueConstraint("report", "zone", "day"),
        Index("ix_report_cache_days_ends_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report: Mapped[str] = mapped_column(String(32))
    zone: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """The day's end (UTC): a write at an earlier instant may change the day."""


class ReportCacheValue(Base):
    """One figure of a cached day: ``name`` (a movement, ``opening``) of one type."""

    __tablename__ = "report_cache_values"

    day_id: Mapped[int] = mapped_column(
        ForeignKey("report_cache_days.id", ondelete="CASCADE"), primary_key=True
    )
    appointment_type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class ReportCacheFill(Base):
    """A report filling the cache right now: while one is registered (for at most an
    hour), the triggers log every write's instant in ``report_cache_dirt``."""

    __tablename__ = "report_cache_fills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReportCacheDirt(Base):
    """A write that changed the past: the earliest instant it touched (triggers only).

    Ids only grow (AUTOINCREMENT), so on SQLite the rows above the largest id a
    report saw are the writes it did not see; on PostgreSQL ``xact`` is the writing
    transaction, checked against the report's snapshot.
    """

    __tablename__ = "report_cache_dirt"
    __table_args__ = (Index("ix_report_cache_dirt_logged_at", "logged_at"),
                      {"sqlite_autoincrement": True})  # fmt: skip

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    xact: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    """PostgreSQL's pg_current_xact_id() of the writer (NULL on SQLite)."""
