"""Book now, pay later: unpaid bookings, who may make them, and grants settling them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from desk.models import CreditEntry, StaffRole
from desk.services.container import Services
from desk.services.core.errors import InsufficientCredits, PermissionDenied
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import (
    AppointmentStatus,
    AppointmentTypeView,
    AppointmentView,
    MemberView,
    StaffView,
)
from desk.services.records.audit_text import describe
from tests.actors import SYSTEM, as_staff
from tests.services.factories import GYM_TZ, at_local, give_credits, make_member, make_type


@pytest.fixture
def gym(services: Services) -> tuple[AppointmentTypeView, StaffView, MemberView]:
    pt = make_type(services, "PT", late_cancel_hours=24)
    kim = services.staff.create(name="Kim", role=StaffRole.COACH, actor=SYSTEM).value
    return pt, kim, make_member(services)


def _book_unpaid(
    services: Services,
    gym: tuple[AppointmentTypeView, StaffView, MemberView],
    day: int,
    *,
    actor: object = SYSTEM,
    unpaid: bool = True,
) -> AppointmentView:
    pt, kim, ann = gym
    return services.booking.book(
        member_id=MemberId(ann.id), appointment_type_id=AppointmentTypeId(pt.id),
        staff_id=StaffId(kim.id), starts_at=at_local(2026, 3, day, 10), unpaid=unpaid,
        actor=actor,  # type: ignore[arg-type]
    ).value  # fmt: skip


def _entries(services: Services, appointment_id: int) -> list[tuple[str, int, int]]:
    with services.db.read() as session:
        return [
            (e.kind, e.delta, e.lot_id)
            for e in session.scalars(
                select(CreditEntry)
                .where(CreditEntry.appointment_id == appointment_id)
                .order_by(CreditEntry.id)
            )
        ]


def test_a_booking_without_a_credit_is_refused_unless_asked_to_be_unpaid(services, gym):
    with pytest.raises(InsufficientCredits):
        _book_unpaid(services, gym, 10, unpaid=False)
    appt = _book_unpaid(services, gym, 10)
    assert appt.unpaid
    assert appt.lot_id is None
    assert appt.status == AppointmentStatus.BOOKED
    assert _entries(services, appt.id) == []  # owes a credit: nothing moved
    assert [a.id for a in services.unpaid.owing(MemberId(gym[2].id))] == [appt.id]
    assert services.credits.verify_ledger() == []


def test_unpaid_with_a_credit_open_books_it_paid(services, gym):
    pt, _kim, ann = gym
    lot = give_credits(services, ann, pt, 1)
    appt = _book_unpaid(services, gym, 10)
    assert not appt.unpaid
    assert appt.lot_id == lot.id


def test_the_next_credits_settle_unpaid_bookings_oldest_first(services, gym):
    pt, _kim, ann = gym
    later = _book_unpaid(services, gym, 20)
    first = _book_unpaid(services, gym, 12)
    third = _book_unpaid(services, gym, 25)
    lot = give_credits(services, ann, pt, 2)
    assert [p.appointment_id for p in lot.paid_unpaid] == [first.id, later.id]
    assert lot.remaining == 0  # the view reads the lot after settling
    assert _entries(services, first.id) == [("book", -1, lot.id)]
    assert services.booking.get(AppointmentId(first.id)).lot_id == lot.id
    still = services.unpaid.owing(MemberId(ann.id))
    assert [a.id for a in still] == [third.id]
    assert still[0].unpaid
    [row] = services.credits.balances(MemberId(ann.id))
    assert (row.open, row.booked) == (0, 2)
    more = give_credits(services, ann, pt, 3)
    assert [p.appointment_id for p in more.paid_unpaid] == [third.id]
    assert more.remaining == 2
    assert services.unpaid.owing(MemberId(ann.id)) == []
    assert services.credits.verify_ledger() == []


def test_a_sale_and_a_billing_run_say_which_bookings_they_paid(services, gym):
    pt, _kim, ann = gym
    appt = _book_unpaid(services, gym, 12)
    package = services.catalog.save_package(
        name="5 PT", appointment_type_id=pt.id, credits=5, price_cents=10_000,
        validity_days=None, actor=SYSTEM,
    ).value  # fmt: skip
    sale = services.sales.sell_package(member_id=MemberId(ann.id), package_id=package.id,
                                       actor=SYSTEM)  # fmt: skip
    assert [p.appointment_id for p in sale.value.lot.paid_unpaid] == [appt.id]
    assert appt.id in sale.changes.appointments
    assert sale.value.lot.remaining == 4


def test_a_lot_that_cant_pay_on_the_sessions_day_leaves_it_owing(services, gym):
    pt, _kim, ann = gym
    appt = _book_unpaid(services, gym, 28)
    lot = give_credits(services, ann, pt, 1, expires_on=at_local(2026, 3, 20, 0).date())
    assert lot.paid_unpaid == ()
    assert lot.remaining == 1
    assert services.booking.get(AppointmentId(appt.id)).unpaid


def test_a_cancelled_unpaid_booking_owes_nothing_and_frees_nothing(services, gym):
    pt, _kim, ann = gym
    appt = _book_unpaid(services, gym, 20)
    done = services.booking.cancel(AppointmentId(appt.id), actor=SYSTEM).value
    assert done.appointment.status == AppointmentStatus.CANCELLED
    assert _entries(services, appt.id) == []
    lot = give_credits(services, ann, pt, 1)
    assert lot.paid_unpaid == ()
    assert lot.remaining == 1


def test_a_no_show_unpaid_booking_still_owes_and_is_paid_with_its_forfeit(services, gym, clock):
    pt, _kim, ann = gym
    appt = _book_unpaid(services, gym, 5)
    clock.current = at_local(2026, 3, 5, 12)
    services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    lot = give_credits(services, ann, pt, 2)
    assert [p.appointment_id for p in lot.paid_unpaid] == [appt.id]
    assert _entries(services, appt.id) == [("book", -1, lot.id), ("forfeit", 0, lot.id)]
    [row] = services.credits.balances(MemberId(ann.id))
    assert (row.open, row.booked, row.used) == (1, 0, 1)
    assert services.credits.verify_ledger() == []


def test_an_unpaid_booking_can_be_checked_in_and_is_paid_later(services, gym, clock):
    pt, _kim, ann = gym
    appt = _book_unpaid(services, gym, 5)
    clock.current = at_local(2026, 3, 5, 10, 5)
    attended = services.booking.check_in(AppointmentId(appt.id), actor=SYSTEM).value
    assert attended.status == AppointmentStatus.ATTENDED
    assert attended.unpaid
    lot = give_credits(services, ann, pt, 1)
    assert [p.appointment_id for p in lot.paid_unpaid] == [appt.id]
    [row] = services.credits.balances(MemberId(ann.id))
    assert (row.open, row.used) == (0, 1)


def test_a_series_books_the_uncovered_occurrences_unpaid(services, gym):
    from desk.services.calendar.recurrence import Repeat

    pt, kim, ann = gym
    give_credits(services, ann, pt, 1)
    result = services.booking.book_series(
        member_id=MemberId(ann.id), appointment_type_id=AppointmentTypeId(pt.id),
        staff_id=StaffId(kim.id), starts_at=at_local(2026, 3, 10, 10),
        repeat=Repeat(count=3), unpaid=True, actor=SYSTEM,
    ).value  # fmt: skip
    assert [a.unpaid for a in result.booked] == [False, True, True]
    assert result.skipped == []


def test_who_may_book_unpaid_owner_admin_and_front_desk_by_the_setting(services, gym):
    ids = {
        role: services.staff.create(name=f"S {role}", role=role, actor=SYSTEM).value.id
        for role in (StaffRole.OWNER, StaffRole.ADMIN, StaffRole.FRONT_DESK)
    }
    assert _book_unpaid(services, gym, 10, actor=as_staff(ids[StaffRole.OWNER])).unpaid
    assert _book_unpaid(services, gym, 11, actor=as_staff(ids[StaffRole.ADMIN])).unpaid
    desk = as_staff(ids[StaffRole.FRONT_DESK])
    assert not services.unpaid.may_book_unpaid(desk)
    with pytest.raises(PermissionDenied, match="without a credit"):
        _book_unpaid(services, gym, 12, actor=desk)
    with pytest.raises(PermissionDenied):
        services.unpaid.set_front_desk_books_unpaid(True, actor=desk)
    services.unpaid.set_front_desk_books_unpaid(True, actor=as_staff(ids[StaffRole.ADMIN]))
    assert services.unpaid.front_desk_books_unpaid()
    assert services.unpaid.may_book_unpaid(desk)
    assert _book_unpaid(services, gym, 12, actor=desk).unpaid


def test_the_audit_log_says_booked_unpaid_and_paid(services, gym):
    pt, _kim, ann = gym
    _book_unpaid(services, gym, 12)
    give_credits(services, ann, pt, 1)
    events = services.audit.events(limit=10)
    assert "appointment.settle" in [e.action for e in events]
    names = services.audit.names(events)
    texts = [describe(e, names, GYM_TZ) for e in events]
    assert any("Ann Smith unpaid (owing a credit) for PT" in t for t in texts), texts
    assert any(t.startswith("Paid Ann Smith's unpaid booking for PT") for t in texts), texts


def test_breaking_the_rule_on_purpose_a_grant_that_does_not_settle_leaves_both(services, gym):
    """The rule on purpose: with settling turned off a grant leaves an unpaid booking next
    to an open credit, which is what the invariant (and this test) must catch."""
    from desk.services.credits import settle_unpaid

    pt, _kim, ann = gym
    appt = _book_unpaid(services, gym, 12)
    real = settle_unpaid.settle
    settle_unpaid.settle = lambda *a, **k: []  # type: ignore[assignment]
    try:
        lot = give_credits(services, ann, pt, 1)
    finally:
        settle_unpaid.settle = real
    assert lot.remaining == 1
    assert services.booking.get(AppointmentId(appt.id)).unpaid
    assert services.unpaid.owing(MemberId(ann.id)) != []


def test_past_sessions_are_settled_with_today_as_the_day(services, gym, clock):
    pt, _kim, ann = gym
    appt = _book_unpaid(services, gym, 5)
    clock.current = clock.current + timedelta(days=10)
    lot = give_credits(services, ann, pt, 1, expires_on=clock.current.date() + timedelta(days=3))
    assert [p.appointment_id for p in lot.paid_unpaid] == [appt.id]


def test_an_import_of_credits_settles_unpaid_bookings_and_says_so(services, gym):
    from desk.services.importing.report import ImportOptions

    pt, kim, _ann = gym
    bea = services.members.create(
        first_name="Bea", last_name="Import", email="bea@example.com", actor=SYSTEM
    ).value
    appt = services.booking.book(
        member_id=MemberId(bea.id), appointment_type_id=AppointmentTypeId(pt.id),
        staff_id=StaffId(kim.id), starts_at=at_local(2026, 3, 10, 10), unpaid=True, actor=SYSTEM,
    ).value  # fmt: skip
    done = services.imports.import_credits(
        b"Email,Service,Credits\nbea@example.com,PT,3\n", ImportOptions(), actor=SYSTEM
    )
    assert [p.appointment_id for p in done.value.paid_unpaid] == [appt.id]
    assert appt.id in done.changes.appointments
    [row] = services.credits.balances(MemberId(bea.id))
    assert (row.open, row.booked) == (2, 1)
    assert services.credits.verify_ledger() == []


def test_a_plan_an_adjustment_and_a_transfer_name_the_bookings_they_paid(services, gym):
    """Each grant's Outcome carries the settled bookings, so every screen showing them
    (calendar, Today) reloads; a plan's result also says which they were."""
    pt, _kim, ann = gym
    first, second, third = (_book_unpaid(services, gym, day) for day in (10, 11, 12))
    plan = services.catalog.save_plan(
        name="Monthly PT", period="month", billing_day=1, price_cents=25_000,
        credits=[(pt.id, 1)], actor=SYSTEM,
    ).value  # fmt: skip
    assigned = services.sales.assign_plan(
        member_id=MemberId(ann.id), plan_id=plan.id, starts_on=at_local(2026, 3, 1, 0).date(),
        actor=SYSTEM,
    )  # fmt: skip
    assert [p.appointment_id for p in assigned.value.paid_unpaid] == [first.id]
    assert first.id in assigned.changes.appointments
    adjusted = services.credits.adjust(
        member_id=MemberId(ann.id), appointment_type_id=AppointmentTypeId(pt.id), delta=1,
        reason="goodwill", actor=SYSTEM,
    )  # fmt: skip
    assert second.id in adjusted.changes.appointments
    bea = make_member(services, "Bea")
    lot = give_credits(services, bea, pt, 1)
    moved = services.lot_changes.transfer(
        lot.id, to_member_id=MemberId(ann.id), quantity=1, reason="gift", actor=SYSTEM
    )
    assert third.id in moved.changes.appointments
    assert services.unpaid.owing(MemberId(ann.id)) == []


def test_settling_takes_today_in_the_desks_own_zone(services, gym, clock):
    """21:10 in New York is 02:10 the next day in UTC: a lot expiring today (New York)
    still pays a session of today, as a booking would. The settle once read "today"
    from the stored gym setting (none here: UTC) instead of the desk's clock."""
    pt, _kim, ann = gym
    appt = _book_unpaid(services, gym, 4)  # today, 10:00 New York
    clock.current = clock.current.replace(hour=2, minute=10) + timedelta(days=1)  # 21:10 NY
    lot = give_credits(services, ann, pt, 1, expires_on=at_local(2026, 3, 4, 12).date())
    assert [p.appointment_id for p in lot.paid_unpaid] == [appt.id]
    assert services.unpaid.owing(MemberId(ann.id)) == []
