"""A busy week must appear without a visible pause: 1,000 appointments, reload to pixels.

Runs only when asked: ``pytest tests/benchmarks --benchmark-only``.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desk.services.container import Services
from desk.services.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.calendar_view import CalendarView
from desk.ui.change_hub import ChangeHub
from desk.ui.context import DeskContext

NY = ZoneInfo("America/New_York")
MONDAY = date(2026, 3, 2)
APPOINTMENTS = 1_000
STAFF = 10


@pytest.fixture
def busy_week(services: Services) -> Services:
    """1,000 hour-long sessions, 06:00 to 22:00 all week, ten coaches side by side."""
    types = [
        services.appointment_types.create(name=name, duration_minutes=60, color=color).value
        for name, color in (
            ("Personal Training", "#3b82f6"),
            ("Sports Massage", "#a855f7"),
            ("Small Group PT", "#22c55e"),
        )
    ]
    coaches = [services.staff.create(name=f"Coach {i + 1:02d}").value for i in range(STAFF)]
    members = []
    for i in range(20):
        member = services.members.create(first_name=f"Member{i:02d}", last_name="Busy").value
        for kind in types:
            services.credits.add_credits(
                member_id=MemberId(member.id),
                appointment_type_id=AppointmentTypeId(kind.id),
                quantity=50,
                expires_on=None,
            )
        members.append(member)
    made = 0
    slot = 0
    while made < APPOINTMENTS:
        day, hour = divmod(slot, 16)
        start = datetime.combine(MONDAY + timedelta(days=day % 7), datetime.min.time(), NY)
        start = start.replace(hour=6 + hour).astimezone(UTC)
        for coach in coaches:
            if made == APPOINTMENTS:
                break
            services.booking.book(
                member_id=MemberId(members[made % len(members)].id),
                appointment_type_id=AppointmentTypeId(types[made % len(types)].id),
                staff_id=StaffId(coach.id),
                starts_at=start,
            )
            made += 1
        slot += 1
    return services


def test_week_with_1000_appointments_reloads_and_paints(benchmark, busy_week, qtbot):
    view = CalendarView(DeskContext(services=busy_week, hub=ChangeHub()))
    qtbot.addWidget(view)
    view.resize(1440, 900)
    view.show_week(MONDAY)
    assert len(view.canvas.blocks) == APPOINTMENTS

    def reload_and_paint() -> int:
        view.reload()
        return view.grab().width()

    assert benchmark(reload_and_paint) == 1440
    assert len(view.canvas.blocks) == APPOINTMENTS
