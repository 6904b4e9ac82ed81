"""The small fixed gym every report test works out by hand (times in New York).

On Sunday 2026-03-01 at 09:00:
- Ann buys the package "3 PT" (3 credits, $100.00, 30 days): lot A, 3 PT at
  10000 cents, so each credit is worth 3333 and the last one 3334; expires 03-31.
- Bob gets 2 Yoga at $50.00 (source package), expiring 03-03: lot B, 2500 each.
- Cat's 4 PT come from the old system at $99.99, never expiring: lot C,
  2499 each, the last 2502 (9999 = 4 x 2499 + 3).
- Dan is comped 2 Yoga at $0, expiring 03-20: lot D, worth nothing.
- Eve gets 3 Yoga at $10.00 expiring 03-02: lot E, 333 each, the last 334.
- Bookings: Ann PT with Kim 03-02 10:00 (a1) and 03-03 10:00 (a2); Bob Yoga with
  Lee 03-02 18:00 (b1); Cat PT with Kim 03-05 10:00 (c1, stays booked) and with
  Lee 03-03 12:00 (c2, cancelled at once, in time); Dan Yoga with Lee 03-06
  18:00 (d1, stays booked).
Then a1 and b1 are checked in, a2 is a no-show (03-03 11:00); on 03-03 at 12:00
Bob's lot is voided ("moved away", 1 unused credit: 2500 back as account credit)
and Cat's PT adjusted by -1 ("double entry"). On 03-04 at 10:00 (the tests'
clock) Cat is charged $15.00 for a towel and pays nothing.
Pay rules: Kim earns 50% of the credit's value for PT; Lee 2000 cents per Yoga.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import LotSource
from tests.actors import SYSTEM
from tests.services.factories import at_local, book, give_credits, make_member


@dataclass(frozen=True)
class SmallGym:
    pt: int
    yoga: int
    kim: int
    lee: int
    ann: int
    bob: int
    cat: int
    dan: int
    eve: int
    lots: dict[str, int]


def build_small_gym(services: Services, clock: FixedClock) -> SmallGym:
    back_to = clock.current
    clock.current = at_local(2026, 3, 1, 9)
    types = services.appointment_types
    pt = types.create(name="PT", duration_minutes=60, late_cancel_hours=24, actor=SYSTEM).value
    yoga = types.create(name="Yoga", duration_minutes=60, late_cancel_hours=2, actor=SYSTEM).value
    kim = services.staff.create(name="Kim Coach", actor=SYSTEM).value
    lee = services.staff.create(name="Lee Coach", actor=SYSTEM).value
    ann, bob, cat, dan, eve = (
        make_member(services, first, "Smith", email=f"{first.lower()}@example.com",
                    phone=f"555-010{i}")
        for i, first in enumerate(("Ann", "Bob", "Cat", "Dan", "Eve"))
    )  # fmt: skip
    package = services.catalog.save_package(
        name="3 PT", appointment_type_id=pt.id, credits=3, price_cents=10_000,
        validity_days=30, actor=SYSTEM,
    ).value  # fmt: skip
    lot_a = services.sales.sell_package(
        member_id=MemberId(ann.id), package_id=package.id, actor=SYSTEM
    ).value.lot
    lot_b = give_credits(services, bob, yoga, 2, expires_on=date(2026, 3, 3), price_cents=5_000)
    lot_c = give_credits(services, cat, pt, 4, price_cents=9_999, source=LotSource.MIGRATION)
    lot_d = give_credits(
        services, dan, yoga, 2, expires_on=date(2026, 3, 20), source=LotSource.MANUAL
    )
    lot_e = give_credits(services, eve, yoga, 3, expires_on=date(2026, 3, 2), price_cents=1_000)
    a1 = book(services, ann, pt, kim, at_local(2026, 3, 2, 10))
    a2 = book(services, ann, pt, kim, at_local(2026, 3, 3, 10))
    b1 = book(services, bob, yoga, lee, at_local(2026, 3, 2, 18))
    book(services, cat, pt, kim, at_local(2026, 3, 5, 10))
    c2 = book(services, cat, pt, lee, at_local(2026, 3, 3, 12))
    book(services, dan, yoga, lee, at_local(2026, 3, 6, 18))
    services.booking.cancel(AppointmentId(c2.id), actor=SYSTEM)
    clock.current = at_local(2026, 3, 2, 9, 30)
    services.booking.check_in(AppointmentId(a1.id), actor=SYSTEM)
    clock.current = at_local(2026, 3, 2, 17, 30)
    services.booking.check_in(AppointmentId(b1.id), actor=SYSTEM)
    clock.current = at_local(2026, 3, 3, 11)
    services.booking.no_show(AppointmentId(a2.id), actor=SYSTEM)
    clock.current = at_local(2026, 3, 3, 12)
    services.sales.void_lot(lot_b.id, reason="moved away", actor=SYSTEM)
    services.credits.adjust(
        member_id=MemberId(cat.id), appointment_type_id=AppointmentTypeId(pt.id), delta=-1,
        reason="double entry", actor=SYSTEM,
    )  # fmt: skip
    clock.current = back_to
    services.account.charge(MemberId(cat.id), 1_500, note="towel", actor=SYSTEM)
    services.staff.set_pay_rule(
        StaffId(kim.id), appointment_type_id=AppointmentTypeId(pt.id), percent=50, actor=SYSTEM
    )
    services.staff.set_pay_rule(
        StaffId(lee.id), appointment_type_id=AppointmentTypeId(yoga.id), rate_cents=2_000,
        actor=SYSTEM,
    )  # fmt: skip
    return SmallGym(
        pt.id, yoga.id, kim.id, lee.id, ann.id, bob.id, cat.id, dan.id, eve.id,
        {"A": lot_a.id, "B": lot_b.id, "C": lot_c.id, "D": lot_d.id, "E": lot_e.id},
    )  # fmt: skip
