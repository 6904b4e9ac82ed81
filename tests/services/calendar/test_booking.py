"""Booking: the calendar rules and the conditional update that spends a credit once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk.db import Database, open_database
from desk.models import Appointment, CreditEntry
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.errors import (
    Clash,
    Conflict,
    InsufficientCredits,
    NotFound,
    ValidationError,
)
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
    member_with_credits,
    open_credits,
)


def test_book_uses_the_type_duration_and_one_credit(services: Services) -> None:
    pt = make_type(services, "Personal training", duration_minutes=45)
    coach = make_staff(services, "Kim")
    member = member_with_credits(services, pt, 2)
    outcome = services.booking.book(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(pt.id),
        staff_id=StaffId(coach.id),
        starts_at=at_local(2026, 3, 10, 9),
        notes="bring a towel",
        actor=SYSTEM,
    )
    appointment = outcome.value
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=45)
    assert appointment.status == AppointmentStatus.BOOKED
    assert (appointment.member_name, appointment.staff_name) == ("Ann Smith", "Kim")
    assert appointment.appointment_type == "Personal training"
    assert appointment.notes == "bring a towel"
    assert outcome.changes.credits == {member.id}
    assert outcome.changes.appointments == {appointment.id}
    assert open_credits(services, member, pt) == 1
    stored = services.booking.get(AppointmentId(appointment.id))
    assert stored.starts_at == at_local(2026, 3, 10, 9)
    assert stored.ends_at == at_local(2026, 3, 10, 9, 45)
    assert [a.id for a in services.booking.for_member(MemberId(member.id))] == [appointment.id]


def test_an_explicit_end_wins_over_the_duration(services: Services) -> None:
    pt = make_type(services, duration_minutes=60)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 1)
    appointment = book(
        services, member, pt, coach, at_local(2026, 3, 10, 9), at_local(2026, 3, 10, 9, 30)
    )
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=30)


def test_a_staff_member_cannot_be_double_booked(services: Services) -> None:
    pt = make_type(services, duration_minutes=60)
    kim = make_staff(services, "Kim")
    lee = make_staff(services, "Lee")
    ann = member_with_credits(services, pt, 3)
    bob = member_with_credits(services, pt, 3, first_name="Bob", last_name="Jones")
    book(services, ann, pt, kim, at_local(2026, 3, 10, 9))
    for start in (
        at_local(2026, 3, 10, 9),
        at_local(2026, 3, 10, 9, 30),
        at_local(2026, 3, 10, 8, 1),
    ):
        with pytest.raises(Clash, match="Kim already has Ann Smith") as refused:
            book(services, bob, pt, kim, start)
        # The error carries the session in the way, for the screen to word itself;
        # its message gives it in the gym's time, for the command line.
        clash = refused.value.clash
        assert (clash.member_name, clash.staff_name) == ("Ann Smith", "Kim")
        assert (clash.starts_at, clash.ends_at) == (
            at_local(2026, 3, 10, 9),
            at_local(2026, 3, 10, 10),
        )
        assert "then: Tuesday 10 March 2026, 09:00 to 10:00." in refused.value.message
    # The refused bookings spent nothing.
    assert open_credits(services, bob, pt) == 3
    # Back to back is fine, and so is another coach at the same time.
    book(services, bob, pt, kim, at_local(2026, 3, 10, 10))
    book(services, bob, pt, kim, at_local(2026, 3, 10, 8))
    book(services, bob, pt, lee, at_local(2026, 3, 10, 9))
    assert open_credits(services, bob, pt) == 0
    day = services.booking.in_range(at_local(2026, 3, 10, 0), at_local(2026, 3, 11, 0))
    assert [(a.staff_name, a.starts_at) for a in day] == [
        ("Kim", at_local(2026, 3, 10, 8)),
        ("Kim", at_local(2026, 3, 10, 9)),
        ("Lee", at_local(2026, 3, 10, 9)),
        ("Kim", at_local(2026, 3, 10, 10)),
    ]


def test_a_cancelled_slot_frees_the_staff_member(services: Services, clock) -> None:
    pt = make_type(services, late_cancel_hours=24)
    kim = make_staff(services, "Kim")
    ann = member_with_credits(services, pt, 2)
    bob = member_with_credits(services, pt, 2, first_name="Bob")
    first = book(services, ann, pt, kim, at_local(2026, 3, 10, 9))
    services.booking.cancel(AppointmentId(first.id), actor=SYSTEM)
    second = book(services, bob, pt, kim, at_local(2026, 3, 10, 9))
    # An attended or no-show slot stays taken.
    clock.current = at_local(2026, 3, 10, 9, 10)
    services.booking.no_show(AppointmentId(second.id), actor=SYSTEM)
    with pytest.raises(Conflict):
        book(services, ann, pt, kim, at_local(2026, 3, 10, 9))


def test_archived_member_inactive_staff_and_inactive_type_are_refused(
    services: Services,
) -> None:
    pt = make_type(services)
    kim = make_staff(services, "Kim")
    ann = member_with_credits(services, pt, 3)
    services.members.archive(MemberId(ann.id), actor=SYSTEM)
    with pytest.raises(ValidationError, match="archived") as error:
        book(services, ann, pt, kim, at_local(2026, 3, 10, 9))
    assert error.value.field == "member"
    services.members.reactivate(MemberId(ann.id), actor=SYSTEM)

    services.staff.deactivate(StaffId(kim.id), actor=SYSTEM)
    with pytest.raises(ValidationError, match="Kim") as error:
        book(services, ann, pt, kim, at_local(2026, 3, 10, 9))
    assert error.value.field == "staff"
    services.staff.update(StaffId(kim.id), active=True, actor=SYSTEM)

    services.appointment_types.deactivate(AppointmentTypeId(pt.id), actor=SYSTEM)
    with pytest.raises(ValidationError) as error:
        book(services, ann, pt, kim, at_local(2026, 3, 10, 9))
    assert error.value.field == "appointment_type"
    assert open_credits(services, ann, pt) == 3
    assert services.booking.for_member(MemberId(ann.id)) == []


def test_unknown_ids_are_not_found(services: Services) -> None:
    pt = make_type(services)
    kim = make_staff(services)
    ann = member_with_credits(services, pt, 1)
    start = at_local(2026, 3, 10, 9)
    with pytest.raises(NotFound):
        services.booking.book(
            member_id=MemberId(999),
            appointment_type_id=pt.id,
            staff_id=kim.id,
            starts_at=start,
            actor=SYSTEM,
        )
    with pytest.raises(NotFound):
        services.booking.book(
            member_id=ann.id,
            appointment_type_id=pt.id,
            staff_id=StaffId(999),
            starts_at=start,
            actor=SYSTEM,
        )
    with pytest.raises(NotFound):
        services.booking.book(
            member_id=ann.id,
            appointment_type_id=AppointmentTypeId(999),
            staff_id=kim.id,
            starts_at=start,
            actor=SYSTEM,
        )
    with pytest.raises(NotFound):
        services.booking.get(AppointmentId(999))
    assert open_credits(services, ann, pt) == 1


def test_times_must_be_aware_and_sensible(services: Services) -> None:
    pt = make_type(services)
    kim = make_staff(services)
    ann = member_with_credits(services, pt, 1)
    naive = datetime(2026, 3, 10, 9)
    with pytest.raises(ValidationError) as error:
        book(services, ann, pt, kim, naive)
    assert error.value.field == "starts_at"
    with pytest.raises(ValidationError) as error:
        book(services, ann, pt, kim, at_local(2026, 3, 10, 9), naive)
    assert error.value.field == "ends_at"
    with pytest.raises(ValidationError) as error:
        book(services, ann, pt, kim, at_local(2026, 3, 10, 9), at_local(2026, 3, 10, 9))
    assert error.value.field == "ends_at"
    with pytest.raises(ValidationError) as error:
        book(services, ann, pt, kim, at_local(2026, 3, 10, 9), at_local(2026, 3, 10, 21, 1))
    assert error.value.field == "ends_at"
    with pytest.raises(ValidationError):
        services.booking.in_range(naive, at_local(2026, 3, 11, 0))
    assert open_credits(services, ann, pt) == 1


def test_every_mutation_names_the_member_and_the_appointment(services: Services, clock) -> None:
    pt = make_type(services, late_cancel_hours=0)
    kim = make_staff(services)
    ann = member_with_credits(services, pt, 3)
    booked = [
        services.booking.book(
            member_id=MemberId(ann.id),
            appointment_type_id=AppointmentTypeId(pt.id),
            staff_id=StaffId(kim.id),
            starts_at=at_local(2026, 3, 4, 11 + i),
            actor=SYSTEM,
        )
        for i in range(3)
    ]
    clock.current = at_local(2026, 3, 4, 15)
    ids = [AppointmentId(o.value.id) for o in booked]
    later = [
        services.booking.cancel(ids[0], actor=SYSTEM),
        services.booking.check_in(ids[1], actor=SYSTEM),
        services.booking.no_show(ids[2], actor=SYSTEM),
    ]
    for outcome, appointment_id in zip([*booked, *later], [*ids, *ids], strict=True):
        assert outcome.changes.credits == {ann.id}
        assert outcome.changes.appointments == {appointment_id}
        assert outcome.changes.touches_member(ann.id)
    actions = [e.action for e in services.audit.events(member_id=ann.id)]
    assert actions[:3] == ["appointment.no_show", "appointment.attended", "appointment.cancel"]
    assert actions.count("appointment.book") == 3


def test_upcoming_appointments_soonest_first(services: Services) -> None:
    pt = make_type(services)
    kim = make_staff(services)
    ann = member_with_credits(services, pt, 3)
    later = book(services, ann, pt, kim, at_local(2026, 3, 20, 9))
    past = book(services, ann, pt, kim, at_local(2026, 3, 1, 9))
    soon = book(services, ann, pt, kim, at_local(2026, 3, 5, 9))
    upcoming = services.booking.for_member(MemberId(ann.id), upcoming_only=True)
    assert [a.id for a in upcoming] == [soon.id, later.id]
    every = services.booking.for_member(MemberId(ann.id))
    assert [a.id for a in every] == [later.id, soon.id, past.id]


# --- the conditional update -------------------------------------------------------------------


def test_the_last_credit_can_be_booked_only_once(services: Services) -> None:
    pt = make_type(services)
    kim = make_staff(services, "Kim")
    lee = make_staff(services, "Lee")
    ann = member_with_credits(services, pt, 1)
    book(services, ann, pt, kim, at_local(2026, 3, 10, 9))
    with pytest.raises(InsufficientCredits, match="Ann Smith has no open"):
        book(services, ann, pt, lee, at_local(2026, 3, 11, 9))
    assert open_credits(services, ann, pt) == 0
    assert len(services.booking.for_member(MemberId(ann.id))) == 1
    assert services.credits.verify_ledger() == []


def test_two_desks_racing_for_the_last_credit(tmp_path: Path, clock: FixedClock) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    front = open_database(url)
    back = open_database(url)
    try:
        desk_a = Services.build(front, clock)
        desk_b = Services.build(back, clock)
        pt = make_type(desk_a)
        kim = make_staff(desk_a, "Kim")
        lee = make_staff(desk_a, "Lee")
        ann = member_with_credits(desk_a, pt, 1)
        barrier = threading.Barrier(2)
        results: dict[str, object] = {}

        def attempt(name: str, desk: Services, staff_id: int, hour: int) -> None:
            barrier.wait()
            try:
                results[name] = desk.booking.book(
                    member_id=MemberId(ann.id),
                    appointment_type_id=AppointmentTypeId(pt.id),
                    staff_id=StaffId(staff_id),
                    starts_at=at_local(2026, 3, 10, hour),
                    actor=SYSTEM,
                ).value
            except Exception as exc:
                results[name] = exc

        threads = [
            threading.Thread(target=attempt, args=("a", desk_a, kim.id, 9)),
            threading.Thread(target=attempt, args=("b", desk_b, lee.id, 11)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads)

        failures = [r for r in results.values() if isinstance(r, Exception)]
        successes = [r for r in results.values() if not isinstance(r, Exception)]
        assert len(successes) == 1, results
        assert len(failures) == 1, results
        assert isinstance(failures[0], InsufficientCredits), failures[0]

        for desk in (desk_a, desk_b):
            assert open_credits(desk, ann, pt) == 0
            assert desk.credits.verify_ledger() == []
        with back.read() as session:
            assert session.scalar(select(func.count(Appointment.id))) == 1
            assert session.scalar(select(func.count(CreditEntry.id))) == 2  # grant + one book
    finally:
        front.dispose()
        back.dispose()


def test_two_desks_racing_many_times_never_overspend(tmp_path: Path, clock: FixedClock) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    desks = [open_database(url) for _ in range(3)]
    try:
        services = [Services.build(db, clock) for db in desks]
        pt = make_type(services[0], duration_minutes=30)
        coaches = [make_staff(services[0]) for _ in range(len(desks))]
        ann = make_member(services[0])
        give_credits(services[0], ann, pt, 5)
        outcomes: list[str] = []
        lock = threading.Lock()

        def hammer(index: int) -> None:
            desk = services[index]
            for slot in range(4):
                try:
                    desk.booking.book(
                        member_id=MemberId(ann.id),
                        appointment_type_id=AppointmentTypeId(pt.id),
                        staff_id=StaffId(coaches[index].id),
                        starts_at=at_local(2026, 3, 10, 8) + timedelta(hours=slot),
                        actor=SYSTEM,
                    )
                    result = "ok"
                except InsufficientCredits:
                    result = "none left"
                with lock:
                    outcomes.append(result)

        threads = [threading.Thread(target=hammer, args=(i,)) for i in range(len(desks))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert outcomes.count("ok") == 5
        assert outcomes.count("none left") == 12 - 5
        assert open_credits(services[0], ann, pt) == 0
        assert services[1].credits.verify_ledger() == []
        [row] = services[2].credits.balances(MemberId(ann.id))
        assert (row.granted, row.open, row.booked) == (5, 0, 5)
    finally:
        for db in desks:
            db.dispose()


def test_a_refused_booking_leaves_the_database_as_it_was(
    services: Services, database: Database
) -> None:
    pt = make_type(services)
    kim = make_staff(services, "Kim")
    ann = make_member(services)
    with pytest.raises(InsufficientCredits):
        book(services, ann, pt, kim, at_local(2026, 3, 10, 9))
    with database.read() as session:
        assert session.scalar(select(func.count(Appointment.id))) == 0
    assert [e.action for e in services.audit.events(member_id=ann.id)] == ["member.create"]
