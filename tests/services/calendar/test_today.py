"""The desk's day: today(day) in time order, with open credits, late arrivals and offers."""

from __future__ import annotations

from datetime import date, timedelta

from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.ids import AppointmentId, MemberId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
)

WEDNESDAY = date(2026, 3, 4)  # the clock says 10:00 in New York


def small_gym(services: Services):
    pt = make_type(services, "Personal Training")
    massage = make_type(services, "Sports Massage", duration_minutes=45)
    kim = make_staff(services, "Kim")
    lee = make_staff(services, "Lee")
    ann = make_member(services, "Ann", "Smith")
    bob = make_member(services, "Bob", "Jones")
    give_credits(services, ann, pt, 3)
    give_credits(services, bob, massage, 1)
    sessions = {
        "ann_9": book(services, ann, pt, kim, at_local(2026, 3, 4, 9)),
        "bob_8": book(services, bob, massage, lee, at_local(2026, 3, 4, 8)),
        "ann_14": book(services, ann, pt, kim, at_local(2026, 3, 4, 14)),
        "ann_tomorrow": book(services, ann, pt, kim, at_local(2026, 3, 5, 9)),
    }
    return {"pt": pt, "massage": massage, "ann": ann, "bob": bob, **sessions}


def test_today_lists_the_day_in_time_order_with_open_credits(services: Services) -> None:
    gym = small_gym(services)
    rows = services.booking.today(WEDNESDAY)
    assert [r.appointment.id for r in rows] == [gym["bob_8"].id, gym["ann_9"].id, gym["ann_14"].id]
    bob, ann_9, ann_14 = rows
    assert (bob.appointment.member_name, bob.appointment.appointment_type) == (
        "Bob Jones",
        "Sports Massage",
    )
    assert bob.appointment.staff_name == "Lee"
    # Ann had 3 PT credits and three sessions booked: none left for a fourth.
    assert (ann_9.open_credits, bob.open_credits) == (0, 0)
    assert ann_9.out_of_credits
    assert bob.out_of_credits
    give_credits(services, gym["ann"], gym["pt"], 2)
    assert [r.open_credits for r in services.booking.today(WEDNESDAY)] == [0, 2, 2]
    assert not ann_14.late


def test_late_arrivals_and_what_can_be_done(services: Services) -> None:
    gym = small_gym(services)
    services.booking.check_in(AppointmentId(gym["bob_8"].id), actor=SYSTEM)
    bob, ann_9, ann_14 = services.booking.today(WEDNESDAY)
    assert bob.appointment.status == AppointmentStatus.ATTENDED
    assert not bob.late
    assert not bob.can_check_in
    assert not bob.can_no_show
    # 9:00 has passed at 10:00 and Ann isn't checked in: late, and a no-show is possible.
    assert ann_9.late
    assert ann_9.can_check_in
    assert ann_9.can_no_show
    assert ann_9.can_cancel
    # 14:00 is still to come: cancel, no no-show yet, and check-in opens at 13:00.
    assert not ann_14.late
    assert not ann_14.check_in_open
    assert not ann_14.can_check_in
    assert ann_14.can_cancel
    assert not ann_14.can_no_show
    services.settings.set_check_in_opens_minutes(240, actor=SYSTEM)  # from 10:00
    *_, ann_14 = services.booking.today(WEDNESDAY)
    assert ann_14.can_check_in


def test_cancelled_sessions_are_left_out_unless_asked_for(services: Services) -> None:
    gym = small_gym(services)
    services.booking.cancel(AppointmentId(gym["ann_14"].id), actor=SYSTEM)
    assert gym["ann_14"].id not in {r.appointment.id for r in services.booking.today(WEDNESDAY)}
    everything = services.booking.today(WEDNESDAY, include_cancelled=True)
    assert gym["ann_14"].id in {r.appointment.id for r in everything}


def test_today_defaults_to_the_gym_local_date_and_other_days_work(services: Services) -> None:
    gym = small_gym(services)
    assert len(services.booking.today()) == 3
    (tomorrow,) = services.booking.today(WEDNESDAY + timedelta(days=1))
    assert tomorrow.appointment.id == gym["ann_tomorrow"].id
    assert not tomorrow.late
    assert services.booking.today(WEDNESDAY - timedelta(days=1)) == []


def test_one_member_and_the_check_in_offer(services: Services, clock: FixedClock) -> None:
    gym = small_gym(services)
    ann = MemberId(gym["ann"].id)
    assert [r.appointment.id for r in services.booking.today(member_id=ann)] == [
        gym["ann_9"].id,
        gym["ann_14"].id,
    ]
    # At 10:00 check-in for 14:00 hasn't opened (an hour before): only 9:00 is offered.
    offer = services.booking.check_in_offer(ann)
    assert offer is not None
    assert offer.appointment.id == gym["ann_9"].id
    services.booking.check_in(AppointmentId(gym["ann_9"].id), actor=SYSTEM)
    assert services.booking.check_in_offer(ann) is None
    clock.current = at_local(2026, 3, 4, 13, 30)  # check-in for 14:00 opened at 13:00
    offer = services.booking.check_in_offer(ann)
    assert offer is not None
    assert offer.appointment.id == gym["ann_14"].id
    services.booking.check_in(AppointmentId(gym["ann_14"].id), actor=SYSTEM)
    assert services.booking.check_in_offer(ann) is None
    assert services.booking.check_in_offer(MemberId(make_member(services, "Zoe", "Q").id)) is None
