"""Book + cancel round trip on SQLite at 100,000 members (a private copy: it writes)."""

from __future__ import annotations

from datetime import UTC, datetime

from desk.db import Database
from desk.services.container import Services
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM
from tests.benchmarks import data

SLOT = datetime(2027, 1, 5, 10, 0, tzinfo=data.GYM_TZ).astimezone(UTC)  # far outside late-cancel


def test_book_and_cancel_round_trip(benchmark, private_db: Database):
    services = Services.build(private_db, data.clock())
    coach = next(s for s in services.staff.list() if s.name == "Heavy Member Coach")
    kind = min(t.id for t in services.appointment_types.list())
    member = MemberId(data.HEAVY_MEMBER)
    before = sum(b.open for b in services.credits.balances(member))

    def round_trip() -> None:
        booked = services.booking.book(
            member_id=member,
            appointment_type_id=AppointmentTypeId(kind),
            staff_id=StaffId(coach.id),
            starts_at=SLOT,
            actor=SYSTEM,
        ).value
        services.booking.cancel(AppointmentId(booked.id), actor=SYSTEM)

    benchmark.pedantic(round_trip, rounds=200, warmup_rounds=5)
    assert sum(b.open for b in services.credits.balances(member)) == before  # credit came back
