"""Recurring bookings, coverage by credits, and rescheduling."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest

from desk.services.calendar.recurrence import Repeat, occurrences
from desk.services.core.errors import Conflict, InvalidState, ValidationError
from desk.services.core.ids import MemberId
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ
from tests.services.calendar.series_gym import grant, local


def test_weekly_series_keeps_local_time_across_daylight_saving(setup):
    services, member, kind, coach, _ = setup
    grant(services, member, kind, 4)
    # New York springs forward on Sunday 2026-03-08.
    result = services.booking.book_series(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 5, 10, 0),
        repeat=Repeat(count=4),
        actor=SYSTEM,
    ).value
    assert [a.starts_at.astimezone(GYM_TZ).strftime("%a %d %H:%M") for a in result.booked] == [
        "Thu 05 10:00",
        "Thu 12 10:00",
        "Thu 19 10:00",
        "Thu 26 10:00",
    ]
    # The same wall-clock time is a different UTC hour after the change.
    assert result.booked[0].starts_at.astimezone(UTC).hour == 15
    assert result.booked[1].starts_at.astimezone(UTC).hour == 14
    assert len({a.series_id for a in result.booked}) == 1
    assert result.series_id is not None


def test_chosen_weekdays_across_a_month_end_until_a_date(setup):
    services, member, kind, coach, _ = setup
    grant(services, member, kind, 10)
    plans = services.booking.plan_series(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 27, 18, 0),
        repeat=Repeat(weekdays=(0, 4), until=date(2026, 4, 10)),  # Mondays and Fridays
    )
    days = [p.starts_at.astimezone(GYM_TZ).date().isoformat() for p in plans]
    assert days == ["2026-03-27", "2026-03-30", "2026-04-03", "2026-04-06", "2026-04-10"]


def test_every_other_week():
    starts = occurrences(local(2026, 3, 31, 9, 0), Repeat(interval_weeks=2, count=3), GYM_TZ)
    assert [s.astimezone(GYM_TZ).date().isoformat() for s in starts] == [
        "2026-03-31",
        "2026-04-14",
        "2026-04-28",
    ]


def test_partial_coverage_books_only_what_credits_pay_for(setup):
    services, member, kind, coach, _ = setup
    early = grant(services, member, kind, 2, expires_on=date(2026, 3, 15))
    late = grant(services, member, kind, 1)
    plans = services.booking.plan_series(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 10, 10, 0),
        repeat=Repeat(count=5),
    )
    # Mar 10 from the early lot; Mar 17 onwards the early lot has expired.
    assert [p.lot_id for p in plans] == [early.id, late.id, None, None, None]
    result = services.booking.book_series(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 10, 10, 0),
        repeat=Repeat(count=5),
        actor=SYSTEM,
    )
    assert [a.lot_id for a in result.value.booked] == [early.id, late.id]
    assert len(result.value.skipped) == 3
    assert all(p.lot_id is None for p in result.value.skipped)
    balance = services.credits.balances(member)[0]
    assert (balance.open, balance.booked) == (1, 2)  # the early lot keeps 1, usable till Mar 15


def test_conflicting_occurrences_are_shown_and_skipped(setup):
    services, member, kind, coach, _ = setup
    grant(services, member, kind, 5)
    other = services.members.create(first_name="Bob", last_name="Jones", actor=SYSTEM).value
    grant(services, MemberId(other.id), kind, 1)
    services.booking.book(
        member_id=MemberId(other.id),
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 17, 10, 30),
        actor=SYSTEM,
    )
    plans = services.booking.plan_series(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 10, 10, 0),
        repeat=Repeat(count=3),
    )
    assert [p.conflict is not None for p in plans] == [False, True, False]
    assert "Kim already has " in plans[1].conflict
    assert plans[1].clash is not None
    assert plans[1].clash.starts_at == local(2026, 3, 17, 10, 30)
    assert plans[1].lot_id is None  # a clashing session doesn't use up a credit
    result = services.booking.book_series(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 10, 10, 0),
        repeat=Repeat(count=3),
        actor=SYSTEM,
    ).value
    assert len(result.booked) == 2
    assert services.credits.balances(member)[0].open == 3


def test_nothing_bookable_changes_nothing(setup):
    services, member, kind, coach, _ = setup
    outcome = services.booking.book_series(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 10, 10, 0),
        repeat=Repeat(count=2),
        actor=SYSTEM,
    )
    assert outcome.value.booked == []
    assert outcome.changes.empty
    assert services.booking.for_member(member) == []


@pytest.mark.parametrize(
    "repeat",
    [
        Repeat(count=0),
        Repeat(count=105),
        Repeat(interval_weeks=0, count=2),
        Repeat(),  # neither a count nor an end date
        Repeat(count=2, until=date(2026, 5, 1)),
        Repeat(until=date(2026, 1, 1)),  # ends before it starts
        Repeat(weekdays=(7,), count=2),
        Repeat(until=date(2029, 1, 1)),  # far more than 104 sessions
    ],
)
def test_bad_patterns_are_refused(setup, repeat):
    services, member, kind, coach, _ = setup
    with pytest.raises(ValidationError) as info:
        services.booking.plan_series(
            member_id=member,
            appointment_type_id=kind,
            staff_id=coach,
            starts_at=local(2026, 3, 10, 10, 0),
            repeat=repeat,
        )
    assert info.value.field == "repeat"


def test_reschedule_keeps_the_same_lot_and_length(setup):
    services, member, kind, coach, other = setup
    grant(services, member, kind, 1, expires_on=date(2026, 6, 30))
    grant(services, member, kind, 1)
    appt = services.booking.book(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 10, 10, 0),
        ends_at=local(2026, 3, 10, 10, 45),
        actor=SYSTEM,
    ).value
    moved = services.booking.reschedule(
        appt.id, starts_at=local(2026, 3, 12, 16, 0), staff_id=other, actor=SYSTEM
    )
    assert moved.value.lot_id == appt.lot_id
    assert moved.value.staff_name == "Sam"
    assert moved.value.ends_at - moved.value.starts_at == timedelta(minutes=45)
    assert moved.changes.bookings == {member}
    balance = services.credits.balances(member)[0]
    assert (balance.open, balance.booked) == (1, 1)
    assert services.credits.verify_ledger() == []
    event = services.audit.events(member_id=member, action="appointment.reschedule")[0]
    assert event.before["staff_id"] == coach
    assert event.after["staff_id"] == other


def test_reschedule_onto_a_conflict_is_refused(setup):
    services, member, kind, coach, _ = setup
    grant(services, member, kind, 2)
    first = services.booking.book(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 10, 10),
        actor=SYSTEM,
    ).value
    services.booking.book(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 10, 12),
        actor=SYSTEM,
    )
    with pytest.raises(Conflict):
        services.booking.reschedule(first.id, starts_at=local(2026, 3, 10, 11, 30), actor=SYSTEM)
    assert services.booking.get(first.id).starts_at == first.starts_at
    # Moving within its own slot is not a conflict with itself.
    services.booking.reschedule(first.id, starts_at=local(2026, 3, 10, 10, 30), actor=SYSTEM)


def test_reschedule_past_the_paying_lots_expiry_is_refused(setup):
    services, member, kind, coach, _ = setup
    grant(services, member, kind, 1, expires_on=date(2026, 3, 20))
    appt = services.booking.book(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 10, 10),
        actor=SYSTEM,
    ).value
    with pytest.raises(InvalidState, match="expires on Friday 20 March 2026"):
        services.booking.reschedule(appt.id, starts_at=local(2026, 3, 24, 10), actor=SYSTEM)


def test_only_booked_appointments_move(setup):
    services, member, kind, coach, _ = setup
    grant(services, member, kind, 1)
    appt = services.booking.book(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 10, 10),
        actor=SYSTEM,
    ).value
    services.booking.cancel(appt.id, actor=SYSTEM)
    with pytest.raises(InvalidState):
        services.booking.reschedule(appt.id, starts_at=local(2026, 3, 11, 10), actor=SYSTEM)
