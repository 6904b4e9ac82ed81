"""Packages valid N days from first use (issue 18, item 6): the catalog option, the
lot remembering N, the expiry set by the first booking (and kept by its cancel),
the paying order putting unused first-use lots after dated ones."""

from __future__ import annotations

from datetime import date

import pytest

from desk.services.calendar.recurrence import Repeat
from desk.services.container import Services
from desk.services.core.errors import InsufficientCredits, ValidationError
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.credits.paying_lot import LotChoice, choose_lot, paying_order, spend
from tests.actors import SYSTEM
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
)

D = date(2026, 3, 10)


def _package(services: Services, kind, *, days: int = 30, name: str = "10 PT, first use"):
    return services.catalog.save_package(
        name=name, appointment_type_id=kind.id, credits=10, price_cents=50_000,
        validity_days=None, first_use_days=days, actor=SYSTEM,
    ).value  # fmt: skip


def _sell(services: Services, member, package):
    return services.sales.sell_package(
        member_id=MemberId(member.id), package_id=package.id, actor=SYSTEM
    ).value


def _lot(services: Services, member):
    [lot] = [x for x in services.credits.lots(MemberId(member.id)) if x.first_use_days]
    return lot


def test_a_package_is_valid_from_first_use_or_from_the_sale_not_both(services: Services) -> None:
    pt = make_type(services)
    package = _package(services, pt)
    assert (package.first_use_days, package.validity_days) == (30, None)
    with pytest.raises(ValidationError, match="not both") as both:
        services.catalog.save_package(
            name="Both", appointment_type_id=pt.id, credits=5, price_cents=0,
            validity_days=90, first_use_days=30, actor=SYSTEM,
        )  # fmt: skip
    assert both.value.field == "first_use_days"
    with pytest.raises(ValidationError, match="1 to 3,650"):
        _package(services, pt, days=0, name="Zero")


def test_a_sold_lot_has_no_expiry_until_its_first_booking_gives_it_one(services: Services) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    package = _package(services, pt)
    _sell(services, member, package)
    lot = _lot(services, member)
    assert (lot.expires_on, lot.first_use_days) == (None, 30)
    # Booked today for a session on 20 March: the clock starts on the session's date.
    first = book(services, member, pt, coach, at_local(2026, 3, 20, 9))
    assert first.lot_id == lot.id
    assert _lot(services, member).expires_on == date(2026, 4, 19)
    # A later booking leaves the date alone.
    book(services, member, pt, coach, at_local(2026, 3, 12, 9))
    assert _lot(services, member).expires_on == date(2026, 4, 19)
    # A session after the date can't be paid by it any more.
    with pytest.raises(InsufficientCredits):
        book(services, member, pt, coach, at_local(2026, 4, 20, 9))
    events = services.audit.events(member_id=MemberId(member.id), action="credits.first_use")
    assert len(events) == 1
    assert events[0].after["appointment_id"] == first.id


def test_a_catalog_edit_changes_no_lot_already_sold(services: Services) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    package = _package(services, pt)
    _sell(services, member, package)
    services.catalog.save_package(
        package_id=package.id, name=package.name, appointment_type_id=pt.id, credits=10,
        price_cents=50_000, validity_days=365, first_use_days=None, actor=SYSTEM,
    )  # fmt: skip
    assert _lot(services, member).first_use_days == 30
    book(services, member, pt, coach, at_local(2026, 3, 10, 9))
    assert _lot(services, member).expires_on == date(2026, 4, 9)


def test_cancelling_the_first_booking_keeps_the_date(services: Services) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    _sell(services, member, _package(services, pt))
    first = book(services, member, pt, coach, at_local(2026, 3, 20, 9))
    services.booking.cancel(AppointmentId(first.id), actor=SYSTEM)
    lot = _lot(services, member)
    assert (lot.remaining, lot.expires_on) == (10, date(2026, 4, 19))
    # A new first booking does not start the clock again.
    book(services, member, pt, coach, at_local(2026, 3, 25, 9))
    assert _lot(services, member).expires_on == date(2026, 4, 19)


def test_a_dated_lot_pays_before_an_unused_first_use_lot_and_a_never_expiring_one_last(
    services: Services,
) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    never = give_credits(services, member, pt, 1)
    _sell(services, member, _package(services, pt))
    first_use = _lot(services, member)
    far = give_credits(services, member, pt, 1, expires_on=date(2027, 1, 1))
    order = [lot.lot_id for lot in services.credits.paying_order(MemberId(member.id))]
    assert order == [far.id, first_use.id, never.id]
    assert book(services, member, pt, coach, at_local(2026, 3, 10, 9)).lot_id == far.id
    assert _lot(services, member).expires_on is None  # not started by the dated lot's booking
    assert book(services, member, pt, coach, at_local(2026, 3, 11, 9)).lot_id == first_use.id


def test_a_series_plans_with_the_expiry_its_first_session_gives(services: Services) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    _sell(services, member, _package(services, pt, days=10))
    lot = _lot(services, member)
    result = services.booking.book_series(
        member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(pt.id),
        staff_id=StaffId(coach.id), starts_at=at_local(2026, 3, 10, 9),
        repeat=Repeat(count=3), actor=SYSTEM,
    ).value  # fmt: skip
    # 10, 17 March fall within 10 days of the first session; 24 March does not.
    assert [a.lot_id for a in result.booked] == [lot.id, lot.id]
    assert [p.starts_at for p in result.skipped] == [at_local(2026, 3, 24, 9)]
    assert _lot(services, member).expires_on == date(2026, 3, 20)


def test_the_rule_orders_first_use_lots_between_dated_and_never_expiring() -> None:
    never = LotChoice(1, 1, None)
    waiting_long = LotChoice(2, 1, None, first_use_days=60)
    waiting = LotChoice(3, 1, None, first_use_days=30)
    dated = LotChoice(4, 1, date(2030, 1, 1))
    lots = [never, waiting_long, waiting, dated]
    assert paying_order(lots, D) == [dated, waiting, waiting_long, never]
    assert choose_lot(lots, D) == dated
    assert choose_lot(lots, D, prefer=never.id) == never
    started = spend(lots, waiting, 1, first_use_on=D)
    assert started[2] == LotChoice(3, 0, date(2026, 4, 9), first_use_days=30)
    assert spend(lots, waiting, 1)[2].expires_on is None  # an adjustment starts no clock
