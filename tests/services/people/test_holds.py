"""A member's hold (freeze): dates, expiry shifts, bookings refused inside, billing paused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from desk.db import Database
from desk.models import CreditLot, MemberHoldLot
from desk.services.container import Services
from desk.services.core.errors import InvalidState, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentTypeView, MemberView, StaffView
from desk.services.people.hold_rules import OnHold
from desk.services.people.holds import BookedDuringHold
from tests.actors import SYSTEM
from tests.services.credits.credit_checks import row_counts
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
)

# The clock: Wednesday 4 March 2026, 10:00 in New York.


def _gym(services: Services) -> tuple[MemberView, AppointmentTypeView, StaffView]:
    return make_member(services), make_type(services, "PT"), make_staff(services, "Kim")


def _hold(services: Services, member: MemberView, first: date, last: date, reason: str = "injury"):
    return services.holds.place_hold(
        MemberId(member.id), starts_on=first, ends_on=last, reason=reason, actor=SYSTEM
    ).value


def _expiry(database: Database, lot_id: int) -> date | None:
    with database.read() as session:
        return session.scalar(select(CreditLot.expires_on).where(CreditLot.id == lot_id))


def test_a_hold_moves_open_lots_expiring_from_its_start_by_its_length(
    services: Services, database: Database
) -> None:
    ann, pt, _kim = _gym(services)
    inside = give_credits(services, ann, pt, 3, expires_on=date(2026, 3, 12))
    later = give_credits(services, ann, pt, 2, expires_on=date(2026, 6, 30))
    before = give_credits(services, ann, pt, 1, expires_on=date(2026, 3, 9))
    never = give_credits(services, ann, pt, 1)
    result = _hold(services, ann, date(2026, 3, 10), date(2026, 3, 23))  # 14 days
    assert result.hold.days == 14
    assert {(lot.lot_id, lot.old_expires_on, lot.new_expires_on) for lot in result.lots} == {
        (inside.id, date(2026, 3, 12), date(2026, 3, 26)),
        (later.id, date(2026, 6, 30), date(2026, 7, 14)),
    }
    assert _expiry(database, inside.id) == date(2026, 3, 26)
    assert _expiry(database, later.id) == date(2026, 7, 14)
    assert _expiry(database, before.id) == date(2026, 3, 9)
    assert _expiry(database, never.id) is None
    lot_events = services.audit.events(member_id=ann.id, action="credits.expiry")
    assert {(e.entity_id, e.before["expires_on"], e.after["expires_on"])  # type: ignore[index]
            for e in lot_events} == {(inside.id, "2026-03-12", "2026-03-26"),
                                     (later.id, "2026-06-30", "2026-07-14")}  # fmt: skip
    [event] = services.audit.events(member_id=ann.id, action="member.hold")
    assert event.after is not None
    assert event.after["reason"] == "injury"
    assert services.holds.current_hold(MemberId(ann.id)) == result.hold


def test_nothing_can_be_booked_or_moved_into_a_hold_and_the_day_after_is_free(
    services: Services,
) -> None:
    ann, pt, kim = _gym(services)
    give_credits(services, ann, pt, 5)
    _hold(services, ann, date(2026, 3, 10), date(2026, 3, 14))
    with pytest.raises(OnHold, match=r"Ann Smith is on hold from Tuesday 10 March 2026 to "
                       r"Saturday 14 March 2026 \(injury\)"):  # fmt: skip
        book(services, ann, pt, kim, at_local(2026, 3, 14, 18))
    after = book(services, ann, pt, kim, at_local(2026, 3, 15, 9))
    with pytest.raises(OnHold):
        services.booking.move(after.id, starts_at=at_local(2026, 3, 12, 9), actor=SYSTEM)
    [plan] = services.booking.plan_series(
        member_id=MemberId(ann.id), appointment_type_id=AppointmentTypeId(pt.id),
        staff_id=StaffId(kim.id), starts_at=at_local(2026, 3, 11, 9),
    )  # fmt: skip
    assert not plan.bookable
    assert plan.conflict is not None
    assert "on hold" in plan.conflict


def test_a_hold_over_booked_sessions_is_refused_listing_them_and_writes_nothing(
    services: Services, database: Database
) -> None:
    ann, pt, kim = _gym(services)
    give_credits(services, ann, pt, 5, expires_on=date(2026, 5, 1))
    booked = book(services, ann, pt, kim, at_local(2026, 3, 12, 18))
    before = row_counts(database)
    with pytest.raises(BookedDuringHold) as refused:
        _hold(services, ann, date(2026, 3, 10), date(2026, 3, 14))
    assert [b.appointment_id for b in refused.value.bookings] == [booked.id]
    assert "1 booked session" in refused.value.message
    assert row_counts(database) == before
    services.booking.cancel(booked.id, reason="going on hold", actor=SYSTEM)
    assert _hold(services, ann, date(2026, 3, 10), date(2026, 3, 14)).hold.days == 5


def test_the_dates_of_a_hold_are_checked(services: Services) -> None:
    ann, _pt, _kim = _gym(services)
    with pytest.raises(ValidationError, match="past"):
        _hold(services, ann, date(2026, 3, 3), date(2026, 3, 10))
    with pytest.raises(ValidationError, match="before it starts"):
        _hold(services, ann, date(2026, 3, 10), date(2026, 3, 9))
    with pytest.raises(ValidationError, match="reason"):
        _hold(services, ann, date(2026, 3, 10), date(2026, 3, 11), reason="  ")
    _hold(services, ann, date(2026, 3, 4), date(2026, 3, 4))  # today, one day
    _hold(services, ann, date(2026, 3, 10), date(2026, 3, 20))
    with pytest.raises(InvalidState, match="can't overlap"):
        _hold(services, ann, date(2026, 3, 20), date(2026, 3, 25))
    _hold(services, ann, date(2026, 3, 21), date(2026, 3, 25))  # the day after is free


def test_ending_early_moves_the_lots_back_by_the_unused_days(
    services: Services, database: Database
) -> None:
    ann, pt, kim = _gym(services)
    lot = give_credits(services, ann, pt, 3, expires_on=date(2026, 3, 31))
    hold = _hold(services, ann, date(2026, 3, 4), date(2026, 3, 17)).hold  # 14 days
    assert _expiry(database, lot.id) == date(2026, 4, 14)
    services.lot_changes.change_expiry(lot.id, expires_on=date(2026, 4, 20), actor=SYSTEM)
    ended = services.holds.end_hold_early(hold.id, back_on=date(2026, 3, 8), actor=SYSTEM).value
    assert (ended.hold.last_day, ended.hold.days) == (date(2026, 3, 7), 4)
    # Back by the 10 unused days from where the lot is now (the manual change is kept).
    assert _expiry(database, lot.id) == date(2026, 4, 10)
    with database.read() as session:
        assert session.scalar(select(MemberHoldLot.days)) == 4
    book(services, ann, pt, kim, at_local(2026, 3, 8, 9))
    with pytest.raises(OnHold):
        book(services, ann, pt, kim, at_local(2026, 3, 7, 9))
    with pytest.raises(ValidationError, match="already ends"):
        services.holds.end_hold_early(hold.id, back_on=date(2026, 3, 9), actor=SYSTEM)


def test_a_future_hold_can_be_cancelled_a_started_one_only_ended(
    services: Services, database: Database
) -> None:
    ann, pt, _kim = _gym(services)
    lot = give_credits(services, ann, pt, 3, expires_on=date(2026, 3, 31))
    future = _hold(services, ann, date(2026, 3, 10), date(2026, 3, 19)).hold
    with pytest.raises(ValidationError, match="cancel it instead"):
        services.holds.end_hold_early(future.id, back_on=date(2026, 3, 10), actor=SYSTEM)
    services.holds.cancel_hold(future.id, actor=SYSTEM)
    assert _expiry(database, lot.id) == date(2026, 3, 31)
    assert services.holds.current_hold(MemberId(ann.id)) is None
    started = _hold(services, ann, date(2026, 3, 4), date(2026, 3, 6)).hold
    services.clock.current += timedelta(days=1)  # type: ignore[attr-defined]
    with pytest.raises(InvalidState, match="end it early"):
        services.holds.cancel_hold(started.id, actor=SYSTEM)


def test_plan_periods_starting_in_a_hold_are_not_billed_until_it_ends_early(
    services: Services,
) -> None:
    ann, pt, _kim = _gym(services)
    plan = services.catalog.save_plan(
        name="Monthly", period="month", price_cents=9900, credits=[(pt.id, 4)], billing_day=1,
        actor=SYSTEM,
    ).value  # fmt: skip
    services.sales.assign_plan(
        member_id=MemberId(ann.id), plan_id=plan.id, starts_on=date(2026, 3, 4), actor=SYSTEM
    )  # March is billed at once: a lot expiring on 31 March
    hold = _hold(services, ann, date(2026, 3, 20), date(2026, 5, 10)).hold  # 52 days
    report = services.sales.run_billing(through=date(2026, 6, 1), actor=SYSTEM).value
    assert report.periods_billed == 1  # June; April and May start inside the hold
    ends = sorted(lot.expires_on for lot in services.credits.lots(MemberId(ann.id)))
    assert ends == [date(2026, 5, 22), date(2026, 6, 30)]  # March's lot moved by 52 days
    services.clock.current += timedelta(days=30)  # type: ignore[attr-defined]  # 3 April
    services.holds.end_hold_early(hold.id, back_on=date(2026, 4, 3), actor=SYSTEM)
    again = services.sales.run_billing(through=date(2026, 6, 1), actor=SYSTEM).value
    assert again.periods_billed == 1  # May starts after the hold now; April started inside it


def test_credits_sold_during_a_hold_keep_the_expiry_they_were_given(
    services: Services, database: Database
) -> None:
    ann, pt, _kim = _gym(services)
    hold = _hold(services, ann, date(2026, 3, 4), date(2026, 3, 20)).hold
    lot = give_credits(services, ann, pt, 5, expires_on=date(2026, 4, 4))
    assert _expiry(database, lot.id) == date(2026, 4, 4)
    services.holds.end_hold_early(hold.id, back_on=date(2026, 3, 10), actor=SYSTEM)
    assert _expiry(database, lot.id) == date(2026, 4, 4)  # the hold never moved it


def _wait(services: Services, who: MemberView, kind: AppointmentTypeView, coach: StaffView,
          taken) -> int:  # fmt: skip
    return services.booking.join_waitlist(
        member_id=MemberId(who.id), appointment_type_id=AppointmentTypeId(kind.id),
        staff_id=StaffId(coach.id), starts_at=taken.starts_at, ends_at=taken.ends_at, actor=SYSTEM,
    ).value.id  # fmt: skip


def _waiting(services: Services, kind: AppointmentTypeView, coach: StaffView, taken) -> list[int]:
    return [entry.member_id for entry in services.booking.waitlist(
        staff_id=StaffId(coach.id), appointment_type_id=AppointmentTypeId(kind.id),
        starts_at=taken.starts_at, ends_at=taken.ends_at,
    )]  # fmt: skip


def test_a_hold_takes_the_member_off_the_waitlists_of_its_days_only(services: Services) -> None:
    group = services.appointment_types.create(
        name="Group", duration_minutes=60, capacity=1, actor=SYSTEM
    ).value
    kim = make_staff(services, "Kim")
    ann, bob, cy = (make_member(services, name, "Lee") for name in ("Ann", "Bob", "Cy"))
    for who in (ann, bob, cy):
        give_credits(services, who, group, 3)
    taken = book(services, ann, group, kim, at_local(2026, 3, 12, 18))
    after_hold = book(services, ann, group, kim, at_local(2026, 3, 14, 18))
    bob_held = _wait(services, bob, group, kim, taken)
    _wait(services, cy, group, kim, taken)
    _wait(services, bob, group, kim, after_hold)
    outcome = services.holds.place_hold(
        MemberId(bob.id), starts_on=date(2026, 3, 11), ends_on=date(2026, 3, 13),
        reason="injury", actor=SYSTEM,
    )  # fmt: skip
    assert outcome.value.left_waitlists == (bob_held,)
    assert bob.id in outcome.changes.bookings  # the calendar's waitlists reload
    assert _waiting(services, group, kim, taken) == [cy.id]
    assert _waiting(services, group, kim, after_hold) == [bob.id]  # the day after: kept
    services.booking.cancel(taken.id, actor=SYSTEM)
    [promoted] = services.booking.promotions()
    assert promoted.member_id == cy.id


def test_a_member_on_hold_that_day_cannot_join_its_waitlist(
    services: Services, database: Database
) -> None:
    group = services.appointment_types.create(
        name="Group", duration_minutes=60, capacity=1, actor=SYSTEM
    ).value
    kim = make_staff(services, "Kim")
    ann, bob = (make_member(services, name, "Lee") for name in ("Ann", "Bob"))
    for who in (ann, bob):
        give_credits(services, who, group, 2)
    slot = at_local(2026, 3, 12, 18)
    taken = book(services, ann, group, kim, slot)
    _hold(services, bob, date(2026, 3, 11), date(2026, 3, 13))
    before = row_counts(database)
    with pytest.raises(OnHold, match="Bob Lee is on hold from"):
        services.booking.join_waitlist(
            member_id=MemberId(bob.id), appointment_type_id=AppointmentTypeId(group.id),
            staff_id=StaffId(kim.id), starts_at=slot, ends_at=taken.ends_at, actor=SYSTEM,
        )  # fmt: skip
    assert row_counts(database) == before
    # The day after the hold, the same member can wait for a session.
    later = book(services, ann, group, kim, at_local(2026, 3, 14, 18))
    services.booking.join_waitlist(
        member_id=MemberId(bob.id), appointment_type_id=AppointmentTypeId(group.id),
        staff_id=StaffId(kim.id), starts_at=later.starts_at, ends_at=later.ends_at, actor=SYSTEM,
    )  # fmt: skip
