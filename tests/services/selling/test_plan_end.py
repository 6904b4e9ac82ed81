"""Plans start and end cleanly: the first period billed on assigning, the end previewed
and then written in one transaction (credits kept, expired or refunded; bookings after
the end kept or cancelled), and no billing after the end."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from desk.models import CreditEntry
from desk.services.core.errors import InvalidState, PermissionDenied, ValidationError
from desk.services.core.ids import AppointmentId, MemberId, StaffId
from desk.services.core.read_models import AppointmentStatus
from desk.services.credits.lot_value import split_price, value_of_credits
from desk.services.selling.plan_end import BookingsAtEnd, CreditsAtEnd
from tests.actors import SYSTEM, as_staff
from tests.services.factories import at_local


@pytest.fixture
def plan_member(services):
    """Ann on Monthly PT ($250, 4 credits) from 1 March; the clock says 4 March."""
    pt = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM).value
    kim = services.staff.create(name="Kim", role="coach", actor=SYSTEM).value
    ann = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM).value
    plan = services.catalog.save_plan(
        name="Monthly PT", period="month", billing_day=1, price_cents=25_000,
        credits=[(pt.id, 4)], actor=SYSTEM,
    ).value  # fmt: skip
    sub = services.sales.assign_plan(
        member_id=MemberId(ann.id), plan_id=plan.id, starts_on=date(2026, 3, 1), actor=SYSTEM
    ).value
    return services, MemberId(ann.id), pt.id, StaffId(kim.id), sub


def _book(services, member, kind, coach, day, hour=9):
    return services.booking.book(
        member_id=member, appointment_type_id=kind, staff_id=coach,
        starts_at=at_local(2026, 3, day, hour), actor=SYSTEM,
    ).value  # fmt: skip


def _open(services, member):
    [row] = services.credits.balances(member)
    assert row.open + row.booked + row.used + row.expired == row.granted + row.adjusted
    assert services.credits.verify_ledger() == []
    return row.open, row.booked, row.expired


def test_assigning_a_plan_grants_the_first_period_at_once(plan_member):
    services, member, *_ = plan_member
    assert _open(services, member) == (4, 0, 0)
    assert services.account.balance(member) == -25_000
    assert (
        services.sales.run_billing(through=date(2026, 3, 4), actor=SYSTEM).value.periods_billed == 0
    )


def test_a_plan_starting_later_is_billed_when_its_day_comes(services, plan_member):
    bob = services.members.create(first_name="Bob", last_name="Later", actor=SYSTEM).value
    plan_id = services.sales.subscriptions(plan_member[1])[0].plan_id
    services.sales.assign_plan(member_id=MemberId(bob.id), plan_id=plan_id,
                               starts_on=date(2026, 4, 1), actor=SYSTEM)  # fmt: skip
    assert services.credits.balances(MemberId(bob.id)) == []
    assert services.account.balance(MemberId(bob.id)) == 0


def test_the_preview_is_what_the_end_does_and_refunds_by_the_value_rule(plan_member):
    services, member, pt, coach, sub = plan_member
    _book(services, member, pt, coach, 10)  # before the end: untouched
    late = _book(services, member, pt, coach, 25)  # after the end
    choices = {"ends_on": date(2026, 3, 20), "credits": CreditsAtEnd.REFUND,
               "bookings": BookingsAtEnd.CANCEL}  # fmt: skip
    preview = services.sales.preview_end_plan(sub.id, **choices)
    assert [b.appointment_id for b in preview.bookings_after_end] == [late.id]
    [lot] = preview.lots
    assert lot.open_credits == 3  # 2 open + the cancelled booking's
    assert lot.refund_cents == value_of_credits(25_000, 4, 3) == 18_750
    assert _open(services, member) == (2, 2, 0)  # the preview wrote nothing
    done = services.sales.end_plan(sub.id, **choices, actor=SYSTEM)
    assert done.value == preview
    assert services.booking.get(AppointmentId(late.id)).status == AppointmentStatus.CANCELLED
    assert _open(services, member) == (0, 1, 0)
    assert services.account.balance(member) == -25_000 + 18_750
    [event] = services.audit.events(action="sales.end_plan")
    assert event.after is not None
    assert event.after["refund_cents"] == 18_750
    assert services.sales.subscriptions(member)[0].ends_on == date(2026, 3, 20)


def test_keep_leaves_credits_and_bookings_and_expire_writes_them_off(services, plan_member):
    _s, member, pt, coach, sub = plan_member
    late = _book(services, member, pt, coach, 25)
    services.sales.end_plan(sub.id, ends_on=date(2026, 3, 20), credits=CreditsAtEnd.EXPIRE,
                            bookings=BookingsAtEnd.KEEP, actor=SYSTEM)  # fmt: skip
    assert services.booking.get(AppointmentId(late.id)).status == AppointmentStatus.BOOKED
    assert _open(services, member) == (0, 1, 3)
    assert services.account.balance(member) == -25_000
    with pytest.raises(InvalidState, match="ends on 2026-03-20 already"):
        services.sales.preview_end_plan(sub.id, ends_on=date(2026, 3, 25),
            credits=CreditsAtEnd.KEEP, bookings=BookingsAtEnd.KEEP)  # fmt: skip


def test_billing_stops_at_the_end_date(services, plan_member, clock):
    _s, member, _pt, _c, sub = plan_member
    services.sales.end_plan(sub.id, ends_on=date(2026, 4, 15), credits=CreditsAtEnd.KEEP,
                            bookings=BookingsAtEnd.KEEP, actor=SYSTEM)  # fmt: skip
    assert _open(services, member) == (4, 0, 0)
    report = services.sales.run_billing(through=date(2026, 6, 1), actor=SYSTEM).value
    assert report.periods_billed == 1  # April 1 to 14, not May or June
    lots = services.credits.lots(member, include_expired=True)
    assert sorted(lot.expires_on for lot in lots) == [date(2026, 3, 31), date(2026, 4, 14)]


def test_end_plan_refuses_bad_dates_and_other_roles(services, plan_member):
    _s, _m, _pt, _c, sub = plan_member
    keep = {"credits": CreditsAtEnd.KEEP, "bookings": BookingsAtEnd.KEEP}
    with pytest.raises(ValidationError, match="past"):
        services.sales.end_plan(sub.id, ends_on=date(2026, 3, 3), **keep, actor=SYSTEM)
    front = services.staff.create(name="Fay", role="front_desk", actor=SYSTEM).value.id
    with pytest.raises(PermissionDenied):
        services.sales.end_plan(sub.id, ends_on=date(2026, 3, 9), **keep,
                                actor=as_staff(front))  # fmt: skip
    assert services.sales.subscriptions(_m)[0].ends_on is None


def test_a_refund_without_the_rule_would_not_add_up(services, plan_member):
    """The rule broken on purpose: sharing a period's charge over its lots by anything
    but split_price loses or makes cents; split_price adds up to the charge."""
    assert sum(split_price(25_001, [3, 4])) == 25_001
    assert sum(25_001 * q // 7 for q in (3, 4)) != 25_001
    _s, member, _pt, _c, sub = plan_member
    services.sales.end_plan(sub.id, ends_on=date(2026, 3, 4) + timedelta(days=1),
                            credits=CreditsAtEnd.REFUND, bookings=BookingsAtEnd.KEEP,
                            actor=SYSTEM)  # fmt: skip
    with services.db.read() as session:
        kinds = set(session.scalars(select(CreditEntry.kind)))
    assert kinds == {"grant", "adjust"}
    assert services.account.balance(member) == 0  # all 4 credits unused: the whole charge back


def test_the_audit_log_says_it_in_words(services, plan_member):
    from desk.services.records.audit_text import describe
    from tests.services.factories import GYM_TZ

    _s, member, pt, coach, sub = plan_member
    _book(services, member, pt, coach, 25)
    services.sales.end_plan(sub.id, ends_on=date(2026, 3, 20), credits=CreditsAtEnd.REFUND,
                            bookings=BookingsAtEnd.CANCEL, actor=SYSTEM)  # fmt: skip
    events = services.audit.events(member_id=member)
    names = services.audit.names(events)
    text = {e.action: describe(e, names, GYM_TZ) for e in events}
    assert text["sales.end_plan"] == (
        "Ended Ann Smith's Monthly PT plan on 20 Mar 2026: credits refund ($250.00 refunded), "
        "1 booking cancelled"
    )
    assert text["appointment.cancel"].startswith("Cancelled Ann Smith's ")
    assert text["appointment.cancel"].endswith(", credit returned")
