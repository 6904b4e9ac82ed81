"""The change log: every desk learns what the others committed, and nothing else."""

from __future__ import annotations

import queue
import time
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from desk.db import Database
from desk.models import ChangeCounter, ChangeLogEntry
from desk.services.container import Services
from desk.services.core.change_follower import ChangeFollower
from desk.services.core.changes import Changes
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM
from tests.services import race_harness as race
from tests.services.factories import at_local


@pytest.fixture
def small_gym(services: Services) -> dict[str, int]:
    kind = services.appointment_types.create(
        name="PT", duration_minutes=60, late_cancel_hours=1, actor=SYSTEM
    ).value
    coach = services.staff.create(name="Kim", role="coach", actor=SYSTEM).value
    member = services.members.create(first_name="Ann", last_name="Lee", actor=SYSTEM).value
    services.credits.add_credits(
        member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
        quantity=50, expires_on=None, actor=SYSTEM,
    )  # fmt: skip
    return {"kind": kind.id, "coach": coach.id, "member": member.id}


def book(services: Services, gym: dict[str, int], hours_ahead: int) -> int:
    return services.booking.book(
        member_id=MemberId(gym["member"]), appointment_type_id=AppointmentTypeId(gym["kind"]),
        staff_id=StaffId(gym["coach"]), starts_at=at_local(2026, 3, 5, 6) +
        timedelta(hours=hours_ahead), actor=SYSTEM,
    ).value.id  # fmt: skip


@pytest.fixture
def other_desk(database: Database, clock) -> Services:
    """A second desk on the same database, as another workstation would open it."""
    other = Database(race.url_of(database), desk_id="other-desk")
    yield Services.build(other, clock)
    other.dispose()


def test_another_desks_booking_comes_with_what_it_changed(services, other_desk, small_gym):
    start = services.changes.latest_id()
    appointment = book(other_desk, small_gym, 1)
    read = services.changes.read_since(start)
    assert read.last_id == start + 1
    member = small_gym["member"]
    assert read.changes == Changes.of(
        appointments=[appointment], bookings=[member], credits=[member]
    )


def test_a_desk_skips_its_own_changes_but_counts_them_seen(services, other_desk, small_gym):
    start = services.changes.latest_id()
    book(services, small_gym, 1)
    services.members.create(first_name="Bo", last_name="Ng", actor=SYSTEM)
    read = services.changes.read_since(start)
    assert (read.last_id, read.changes) == (start + 2, Changes())
    # ... and the other desk sees both.
    other = other_desk.changes.read_since(start)
    assert other.changes.appointments
    assert len(other.changes.members) == 1


def test_ids_have_no_gaps_and_a_rolled_back_write_logs_nothing(services, small_gym):
    start = services.changes.latest_id()
    with pytest.raises(Exception, match="no member"):
        services.credits.add_credits(
            member_id=MemberId(999_999), appointment_type_id=AppointmentTypeId(small_gym["kind"]),
            quantity=1, expires_on=None, actor=SYSTEM,
        )  # fmt: skip
    for hours in (1, 3, 5):
        book(services, small_gym, hours)
    with services.db.read() as session:
        ids = session.scalars(
            select(ChangeLogEntry.id).where(ChangeLogEntry.id > start).order_by(ChangeLogEntry.id)
        ).all()
        counter = session.scalar(select(ChangeCounter.last))
    assert ids == [start + 1, start + 2, start + 3]
    assert counter == start + 3


def test_a_desk_away_longer_than_the_log_reloads_everything(services, other_desk, small_gym):
    start = services.changes.latest_id()
    for hours in (1, 3):
        book(other_desk, small_gym, hours)
    with services.db.write() as session:
        session.execute(delete(ChangeLogEntry).where(ChangeLogEntry.id == start + 1))
    read = services.changes.read_since(start)
    assert read.changes.everything
    assert read.last_id == start + 2
    assert services.changes.read_since(read.last_id).changes == Changes()


def act_book(services, index, task):
    _what, gym, hours = task
    return book(services, gym, hours)


def test_a_booking_in_another_process_reaches_this_desk(services, database, small_gym):
    arrived: queue.Queue[tuple[float, Changes]] = queue.Queue()
    follower = ChangeFollower(services.changes, lambda c: arrived.put((time.monotonic(), c)))
    follower.start()
    try:
        with race.Desks(race.url_of(database), act_book, processes=1) as desk:
            committed = time.monotonic()
            [result] = desk.race([("book", small_gym, 2)])
            assert result.status == "ok", result
            at, changes = arrived.get(timeout=15)
    finally:
        follower.stop()
    assert changes.appointments == {result.value}
    assert at - committed < 10  # generous: a benchmark measures the real delay


def test_the_follower_survives_a_server_restart(services, database, small_gym, backend, request):
    if backend != "postgresql":
        pytest.skip("a SQLite file has no server to restart")
    server = request.getfixturevalue("postgres_server")
    arrived: queue.Queue[Changes] = queue.Queue()
    follower = ChangeFollower(services.changes, arrived.put).start()
    try:
        time.sleep(0.5)  # listening
        server.restart()
        with race.Desks(race.url_of(database), act_book, processes=1) as desk:
            [result] = desk.race([("book", small_gym, 4)])
        assert result.status == "ok", result
        changes = arrived.get(timeout=20)
    finally:
        follower.stop()
    assert result.value in changes.appointments
    assert follower.reconnects >= 1
