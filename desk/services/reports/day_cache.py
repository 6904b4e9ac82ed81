"""Closed days of a period report, read from and stored in report_cache_days.

A report asks ``cached`` for the days it has, works out the missing ones and
stores them with ``store``. The triggers of migration 0022 delete every cached
day a later write reaches back into; what they cannot see is a write that lands
between the report's read and its store. So a report that fills the cache first
registers (``begin_fill``: while a fill is registered the triggers log each
write's earliest instant in report_cache_dirt), then reads with a ``Mark`` of
what it saw, and ``store`` leaves out every day ending after an instant logged
by a write the read did not see. On SQLite the dirt ids grow in commit order
(one writer at a time); on PostgreSQL the store waits for the writers in flight
(a table lock every trigger's DELETE conflicts with) and compares each dirt
row's transaction with the snapshot of the read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import ReportCacheDay, ReportCacheDirt, ReportCacheFill, ReportCacheValue

Figures = dict[tuple[int, str], int]
"""One day's figures: amount by (appointment type id, name)."""

_WAIT_FOR_WRITERS = "LOCK TABLE report_cache_days IN SHARE ROW EXCLUSIVE MODE"


@dataclass(frozen=True, slots=True)
class Mark:
    """What a read saw of the dirt log: the largest id (SQLite) or its snapshot (PostgreSQL)."""

    last_id: int | None
    snapshot: str | None


def zone_key(tz: tzinfo) -> str:
    """The time zone's name, the cache's key (a day is a different span in another zone)."""
    return str(getattr(tz, "key", None) or tz)


def cached(
    session: Session, report: str, zone: str, first: date, last: date
) -> dict[date, Figures]:
    """The cached days of ``report`` in ``zone`` from ``first`` to ``last``, with figures."""
    rows = session.execute(
        select(ReportCacheDay.day, ReportCacheValue.appointment_type_id, ReportCacheValue.name,
               ReportCacheValue.amount)
        .outerjoin(ReportCacheValue, ReportCacheValue.day_id == ReportCacheDay.id)
        .where(ReportCacheDay.report == report, ReportCacheDay.zone == zone,
               ReportCacheDay.day >= first, ReportCacheDay.day <= last)
    )  # fmt: skip
    found: dict[date, Figures] = {}
    for day, type_id, name, amount in rows:
        figures = found.setdefault(day, {})
        if name is not None:
            figures[(int(type_id), str(name))] = int(amount)
    return found


def begin_fill(db: Database) -> int:
    """Register a fill (the triggers log writes while it is registered); its id.

    On PostgreSQL this waits for the writers in flight, so every write the fill's
    read will not see commits after the registration and is logged."""
    with db.write() as session:
        if not db.is_sqlite:
            session.execute(text(_WAIT_FOR_WRITERS))
        return int(session.execute(text(
            "INSERT INTO report_cache_fills (started_at) VALUES "
            + ("(strftime('%Y-%m-%d %H:%M:%f', 'now'))" if db.is_sqlite else "(now())")
            + " RETURNING id"
        )).scalar_one())  # fmt: skip


def end_fill(db: Database, fill: int) -> None:
    """Unregister a fill (also when it failed), and forget fills over an hour old."""
    with db.write() as session:
        session.execute(text("DELETE FROM report_cache_fills WHERE id = :id"), {"id": fill})
        session.execute(delete(ReportCacheFill).where(ReportCacheFill.started_at < _hour_ago(db)))


def mark(session: Session) -> Mark:
    """What this read transaction sees of the dirt log (take it before reading)."""
    if session.get_bind().dialect.name == "sqlite":
        return Mark(session.scalar(select(func.max(ReportCacheDirt.id))) or 0, None)
    return Mark(None, str(session.scalar(text("SELECT pg_current_snapshot()::text"))))


def _unseen_since(session: Session, seen: Mark) -> datetime | None:
    """The earliest instant touched by a write the marked read did not see."""
    if seen.snapshot is None:
        return session.scalar(
            select(func.min(ReportCacheDirt.since)).where(ReportCacheDirt.id > (seen.last_id or 0))
        )
    unseen = text(
        "NOT pg_visible_in_snapshot(CAST(CAST(xact AS text) AS xid8), CAST(:seen AS pg_snapshot))"
    ).bindparams(seen=seen.snapshot)
    return session.scalar(select(func.min(ReportCacheDirt.since)).where(unseen))


def store(
    db: Database, report: str, zone: str, seen: Mark, days: dict[date, tuple[datetime, Figures]]
) -> list[date]:
    """Store the closed ``days`` (each with its end and figures) a read marked
    ``seen`` computed, but none ending after a write that read did not see;
    a day another desk stored meanwhile is kept as it is. Returns the days stored."""
    with db.write() as session:
        if not db.is_sqlite:
            session.execute(text(_WAIT_FOR_WRITERS))
        since = _unseen_since(session, seen)
        present = set(cached(session, report, zone, min(days), max(days))) if days else set()
        stored = []
        for day, (ends_at, figures) in sorted(days.items()):
            if day in present or (since is not None and ends_at > since):
                continue
            row = ReportCacheDay(report=report, zone=zone, day=day, ends_at=ends_at)
            session.add(row)
            session.flush()
            session.add_all(
                ReportCacheValue(day_id=row.id, appointment_type_id=type_id, name=name,
                                 amount=amount)
                for (type_id, name), amount in figures.items() if amount
            )  # fmt: skip
            stored.append(day)
        session.execute(delete(ReportCacheDirt).where(ReportCacheDirt.logged_at < _hour_ago(db)))
    return stored


def _hour_ago(db: Database) -> Any:
    # The database's own clock: the triggers stamp the dirt with it.
    if db.is_sqlite:
        return func.strftime("%Y-%m-%d %H:%M:%f", "now", "-1 hour")
    return text("now() - interval '1 hour'")


__all__ = ["Figures", "Mark", "begin_fill", "cached", "end_fill", "mark", "store", "zone_key"]
