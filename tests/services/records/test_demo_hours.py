"""The demo's coaches keep hours (a shift with a lunch hour, a day off, one coach on a
course), and every demo session lies inside its coach's hours."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from desk.models import Appointment, AppointmentType
from desk.services.calendar.availability_hours import load_availability
from desk.services.calendar.availability_rules import unavailable
from desk.services.core.clock import today
from desk.services.records.demo import DemoGenerator


def test_demo_coaches_have_hours_and_their_sessions_keep_to_them(services, database, clock):
    DemoGenerator(database, clock).generate(members=300, seed=2)
    coaches = [s.id for s in services.staff.list() if s.role == "coach"]
    hours = [services.availability.hours(c) for c in coaches]
    assert all(h.keeps_hours for h in hours)
    assert all(len({r.weekday for r in h.weekly}) == 6 for h in hours)  # a day off each
    (course,) = [e for h in hours for e in h.exceptions]
    assert course.note == "Course"
    assert course.starts_local.date() == today(clock) + timedelta(days=2)
    with database.read() as session:
        found = load_availability(session, coaches)
        rows = session.execute(select(Appointment, AppointmentType).join(AppointmentType)).all()
        assert len(rows) > 300
        for appt, kind in rows:
            unavailable(found[appt.staff_id], kind, appt.starts_at, appt.ends_at, clock.tz)
