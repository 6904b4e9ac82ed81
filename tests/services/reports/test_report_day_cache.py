"""The liability roll-forward from the report cache: the same figures as replaying the
ledger, the closed days kept, and every write that reaches back into a day drops it
(the triggers of migration 0022), including one landing between a fill's read and
its store (day_cache's dirt log)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from desk.db import Database
from desk.models import Appointment, AppointmentStatus, ReportCacheDay
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.ids import AppointmentId, MemberId
from desk.services.reports import day_cache
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.liability import LiabilityMovement, liability_movement
from desk.services.reports.liability_cached import REPORT, _replayed_days
from desk.services.reports.periods import end_of
from tests.actors import SYSTEM
from tests.services.factories import at_local, book
from tests.services.reports.small_gym import SmallGym

PERIODS = [
    (date(2026, 3, 1), date(2026, 3, 4)),
    (date(2026, 2, 1), date(2026, 3, 3)),
    (date(2026, 3, 2), date(2026, 3, 2)),
    (date(2026, 3, 4), date(2026, 3, 4)),
    (date(2026, 3, 3), date(2026, 3, 31)),
]
MARCH = (date(2026, 3, 1), date(2026, 3, 4))


def _replayed(services: Services, database: Database, first: date, last: date,
              type_id: int | None = None) -> LiabilityMovement:  # fmt: skip
    filters = EVERYTHING if type_id is None else ReportFilter(type_id=type_id)
    with database.read() as session:
        return liability_movement(
            session, first, last, services.clock.tz, filters, services.clock.now()
        )


def _report(services: Services, first: date, last: date, type_id: int | None = None):
    filters = EVERYTHING if type_id is None else ReportFilter(type_id=type_id)
    return services.reports.liability_movement(first, last, filters=filters, actor=SYSTEM)


def _cached_days(database: Database) -> list[date]:
    with database.read() as session:
        return list(session.scalars(select(ReportCacheDay.day).order_by(ReportCacheDay.day)))


def test_the_cache_gives_the_replays_figures_and_keeps_the_closed_days(
    services: Services, database: Database, gym: SmallGym
) -> None:
    for first, last in PERIODS:
        for type_id in (None, gym.pt, gym.yoga):
            for _ in range(2):  # the first fills the cache, the second reads it
                got = _report(services, first, last, type_id)
                assert got == _replayed(services, database, first, last, type_id)
            only = EVERYTHING if type_id is None else ReportFilter(type_id=type_id)
            closing = services.reports.liability(last, filters=only, actor=SYSTEM)
            assert got.closing_cents == closing.value_cents
    # Every closed day asked for (from 1 February to yesterday), today not.
    days = _cached_days(database)
    assert days == [date(2026, 2, 1) + timedelta(days=n) for n in range(31)]


def _no_show(database: Database) -> int:
    with database.read() as session:
        return session.scalar(
            select(Appointment.id).where(Appointment.status == AppointmentStatus.NO_SHOW.value)
        )


def _forgive_the_no_show(services: Services, database: Database, gym: SmallGym, clock) -> None:
    services.booking.forgive(AppointmentId(_no_show(database)), reason="ill", actor=SYSTEM)


def _double_lot_as_price(services: Services, database: Database, gym: SmallGym, clock) -> None:
    with database.write() as session:  # any writer, not only the services
        session.execute(text("UPDATE credit_lots SET price_cents = 2 * price_cents WHERE id = :id"),
                        {"id": gym.lots["A"]})  # fmt: skip


def _book_and_attend_back_then(services: Services, database: Database, gym: SmallGym,
                               clock: FixedClock) -> None:  # fmt: skip
    now = clock.current
    clock.current = at_local(2026, 3, 3, 9)
    cat = services.members.get(MemberId(gym.cat))
    pt = services.appointment_types.get(gym.pt)
    lee = services.staff.get(gym.lee)
    session_ = book(services, cat, pt, lee, at_local(2026, 3, 3, 14))
    clock.current = at_local(2026, 3, 3, 13, 50)
    services.booking.check_in(AppointmentId(session_.id), actor=SYSTEM)
    clock.current = now


WRITES: dict[str, tuple[Callable[..., None], date]] = {
    # what the write does, and the first day it changes (days before it stay cached)
    "forgiving a no-show": (_forgive_the_no_show, date(2026, 3, 3)),
    "editing a lot's price": (_double_lot_as_price, date(2026, 3, 1)),
    "booking and attending back then": (_book_and_attend_back_then, date(2026, 3, 3)),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_into_the_past_drops_the_days_it_changes(
    services: Services, database: Database, gym: SmallGym, clock: FixedClock, write: str
) -> None:
    change, first_changed = WRITES[write]
    before = _report(services, *MARCH)
    assert _cached_days(database) == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)]
    change(services, database, gym, clock)
    kept = _cached_days(database)
    assert kept == [d for d in (date(2026, 3, 1), date(2026, 3, 2)) if d < first_changed]
    after = _report(services, *MARCH)
    assert after != before  # the write changed the figures: a stale day would show
    assert after == _replayed(services, database, *MARCH)


def _fill_around(services: Services, database: Database, gym: SmallGym, clock: FixedClock,
                 *, registered: bool) -> list[date]:  # fmt: skip
    """A fill that reads, then another desk's backdated write, then the fill's store."""
    fill = day_cache.begin_fill(database) if registered else None
    with database.read() as session:
        seen = day_cache.mark(session)
        days = _replayed_days(session, date(2026, 3, 1), date(2026, 3, 3), clock)
    _book_and_attend_back_then(services, database, gym, clock)
    stored = day_cache.store(
        database, REPORT, day_cache.zone_key(clock.tz), seen,
        {day: (end_of(day, clock.tz), figures) for day, figures in days.items()},
    )  # fmt: skip
    if fill is not None:
        day_cache.end_fill(database, fill)
    return stored


def test_a_write_between_a_fills_read_and_its_store_keeps_the_days_it_changed_out(
    services: Services, database: Database, gym: SmallGym, clock: FixedClock
) -> None:
    stored = _fill_around(services, database, gym, clock, registered=True)
    assert stored == [date(2026, 3, 1), date(2026, 3, 2)]  # 3 March changed after the read
    assert _report(services, *MARCH) == _replayed(services, database, *MARCH)


def test_an_unregistered_fill_could_not_tell_so_every_fill_registers(
    services: Services, database: Database, gym: SmallGym, clock: FixedClock
) -> None:
    # The same interleaving without begin_fill: nothing logs the write, the stale day
    # is stored. This is why liability_cached._fill registers before it reads.
    stored = _fill_around(services, database, gym, clock, registered=False)
    assert stored == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)]
    assert _report(services, *MARCH) != _replayed(services, database, *MARCH)
