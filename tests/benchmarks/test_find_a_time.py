""" "Find a time" for a week across 20 coaches with a busy calendar, against its floor.

The cached 100,000-member database's busy week (1,000 booked sessions, ten coaches
side by side) plus ten more coaches; every one of the 20 works 06:00-22:00 with a
lunch break, so hours, buffers and the sessions all count. The floor is the bare
SELECT of that week's appointments, timed in the same process, interleaved with the
real call round by round.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta

from sqlalchemy import select

from desk.db import Database
from desk.models import Appointment, StaffMember
from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, StaffId
from desk.services.people.availability import MAX_SLOTS
from desk.services.people.availability_views import WeeklyRange
from tests.actors import SYSTEM
from tests.benchmarks import data

COACHES = 20
ROUNDS = 40
LIMIT = 60
TARGET_S = 0.100


def _twenty_coaches(services: Services, db: Database) -> list[int]:
    for n in range(COACHES - data.BUSY_COACHES):
        services.staff.create(name=f"Free Week Coach {n + 1:02d}", role="coach", actor=SYSTEM)
    with db.read() as session:
        coaches = list(session.scalars(
            select(StaffMember.id).where(StaffMember.name.like("% Week Coach %"))
        ))  # fmt: skip
        others = list(session.scalars(
            select(StaffMember.id).where(StaffMember.id.not_in(coaches))
        ))  # fmt: skip
    for staff_id in others:
        services.staff.set_takes_bookings(StaffId(staff_id), False, actor=SYSTEM)
    hours = [WeeklyRange(d, lo, hi) for d in range(7) for lo, hi in ((360, 720), (780, 1320))]
    for staff_id in coaches:
        services.availability.set_weekly_hours(StaffId(staff_id), hours, actor=SYSTEM)
    return coaches


def test_find_a_time_for_a_busy_week_across_20_coaches(benchmark, private_db: Database):
    services = Services.build(private_db, data.clock())
    coaches = _twenty_coaches(services, private_db)
    assert len(coaches) == COACHES
    kind = AppointmentTypeId(min(t.id for t in services.appointment_types.list()))
    services.appointment_types.set_booking_rules(kind, buffer_after_minutes=10, actor=SYSTEM)
    start = datetime.combine(data.BUSY_MONDAY, datetime.min.time(), data.GYM_TZ)
    end = start + timedelta(days=7)
    found: list[float] = []
    most: list[float] = []
    floor: list[float] = []

    def bare_select() -> int:
        with private_db.read() as session:
            return len(session.execute(
                select(Appointment.id, Appointment.staff_id, Appointment.starts_at,
                       Appointment.ends_at)
                .where(Appointment.starts_at >= start, Appointment.starts_at < end)
            ).all())  # fmt: skip

    def one_round() -> int:
        began = time.perf_counter()
        rows = bare_select()
        floor.append(time.perf_counter() - began)
        began = time.perf_counter()
        slots = services.availability.find_free_slots(kind, start, end, limit=LIMIT)
        found.append(time.perf_counter() - began)
        began = time.perf_counter()
        services.availability.find_free_slots(kind, start, end, limit=MAX_SLOTS)
        most.append(time.perf_counter() - began)
        assert rows >= data.BUSY_APPOINTMENTS
        return len(slots)

    count = benchmark.pedantic(one_round, rounds=ROUNDS, warmup_rounds=3)
    assert count == LIMIT
    median, base = statistics.median(found), statistics.median(floor)
    benchmark.extra_info.update(
        find_median_ms=round(median * 1000, 2),
        find_p95_ms=round(sorted(found)[int(0.95 * len(found)) - 1] * 1000, 2),
        floor_median_ms=round(base * 1000, 2),
        ratio=round(median / base, 1),
        find_200_median_ms=round(statistics.median(most) * 1000, 2),
    )
    print(f"\nfind a time: median {median * 1000:.1f} ms, floor {base * 1000:.1f} ms "
          f"({median / base:.1f}x), {COACHES} coaches, {LIMIT} slots; "
          f"{MAX_SLOTS} slots: median {statistics.median(most) * 1000:.1f} ms")  # fmt: skip
    assert median < TARGET_S
    assert statistics.median(most) < TARGET_S
