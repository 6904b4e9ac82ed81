"""The liability roll-forward from closed days kept in the report cache.

A year's movement replays a year of the ledger; a past day's movements and the
value each type held when it began stay what they were until a write reaches back
into that day (and the cache's triggers drop it). So the roll-forward reads the
closed days it has, replays the runs of closed days it lacks once and stores them
(day_cache.py), and replays only what is not over yet (today, with the lots
today touched). Opening and closing follow from the days: the opening is the
first day's, the closing the opening plus what came in less what went out.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from desk.db import Database
from desk.services.core.clock import Clock
from desk.services.reports import day_cache
from desk.services.reports.day_cache import Figures
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.liability import (
    LiabilityMovement,
    liability_as_of,
    liability_movement,
)
from desk.services.reports.liability_roll import INS, MOVEMENTS, moved_by_day
from desk.services.reports.periods import check_range, end_of

REPORT = "liability-movement"
OPENING = "opening"


def _runs(days: list[date], have: set[date]) -> list[tuple[date, date]]:
    """The runs of consecutive days not in ``have``."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if day in have:
            continue
        if runs and runs[-1][1] == day - timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _replayed_days(session: Session, first: date, last: date, clock: Clock) -> dict[date, Figures]:
    """Each day of ``first``..``last`` replayed: its movements per type, and what
    each type held as it began (``opening``), rolled forward from ``first``'s."""
    moved = moved_by_day(session, first, last, clock.tz, EVERYTHING, with_opening=True)
    days: dict[date, Figures] = {
        first + timedelta(days=n): {} for n in range((last - first).days + 1)
    }
    held: dict[int, int] = {}
    for (day, type_id, name), cents in moved.items():
        if name == OPENING:
            held[type_id] = cents
        else:
            days[day][(type_id, name)] = cents
    for day in sorted(days):
        figures = days[day]
        moves = list(figures.items())
        figures.update({(type_id, OPENING): cents for type_id, cents in held.items()})
        for (type_id, name), cents in moves:
            held[type_id] = held.get(type_id, 0) + (cents if name in INS else -cents)
    return days


def _closed_through(clock: Clock, last: date) -> date:
    """The last day up to ``last`` that is over (a day that isn't may still change)."""
    now = clock.now()
    day = min(last, now.astimezone(clock.tz).date())
    while end_of(day, clock.tz) > now:
        day -= timedelta(days=1)
    return day


def _fill(db: Database, clock: Clock, runs: list[tuple[date, date]]) -> None:
    zone = day_cache.zone_key(clock.tz)
    fill = day_cache.begin_fill(db)
    try:
        with db.read() as session:
            seen = day_cache.mark(session)  # before reading: what it misses is logged after
            found: dict[date, Figures] = {}
            for first, last in runs:
                found |= _replayed_days(session, first, last, clock)
        day_cache.store(
            db, REPORT, zone, seen,
            {day: (end_of(day, clock.tz), figures) for day, figures in found.items()},
        )  # fmt: skip
    finally:
        day_cache.end_fill(db, fill)


def cached_liability_movement(
    db: Database, clock: Clock, first: date, last: date, type_id: int | None = None
) -> LiabilityMovement:
    """The roll-forward over the local days ``first``..``last`` (of one appointment
    type, or all), from the cached closed days, filling the cache with the closed
    days it lacks. The same figures as ``liability.liability_movement``.

    Raises ValidationError when ``first`` is after ``last``.
    """
    check_range(first, last)
    closed = _closed_through(clock, last)
    zone = day_cache.zone_key(clock.tz)
    only = EVERYTHING if type_id is None else ReportFilter(type_id=type_id)
    wanted = [first + timedelta(days=n) for n in range((closed - first).days + 1)]
    if wanted:
        with db.read() as session:
            runs = _runs(wanted, set(day_cache.cached(session, REPORT, zone, first, closed)))
        if runs:
            _fill(db, clock, runs)
    # One read for what the report shows, so its figures are of one moment.
    with db.read() as session:
        days = day_cache.cached(session, REPORT, zone, first, closed) if wanted else {}
        if len(days) < len(wanted):  # a write reached back meanwhile: replay it all
            return liability_movement(session, first, last, clock.tz, only, clock.now())
        if wanted:
            opening = sum(c for (t, name), c in days[first].items()
                          if name == OPENING and type_id in (None, t))  # fmt: skip
        else:
            before = first - timedelta(days=1)
            opening = liability_as_of(session, before, clock.tz, only).value_cents
        tail: Figures = {}
        if last > closed:
            tail_first = max(first, closed + timedelta(days=1))
            moved = moved_by_day(session, tail_first, last, clock.tz, EVERYTHING,
                                 with_opening=False)  # fmt: skip
            for (_day, t, name), cents in moved.items():
                tail[(t, name)] = tail.get((t, name), 0) + cents
    totals = dict.fromkeys(MOVEMENTS, 0)
    for figures in (*days.values(), tail):
        for (t, name), cents in figures.items():
            if name != OPENING and type_id in (None, t):
                totals[name] += cents
    closing = opening + sum(c if n in INS else -c for n, c in totals.items())
    return LiabilityMovement(
        first, last, opening, totals["sold"], totals["adjusted"], totals["used"],
        totals["forfeited"], totals["expired"], totals["voided"], closing,
    )  # fmt: skip
