"""Moving a gym from one Desk to another through its exports, to the credit and the cent.

Per member and type: the open credits, what they are worth, their expiry, and the
future bookings with the credit each holds (its value and expiry).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from desk.db import open_database
from desk.models import Appointment, AppointmentType, CreditLot, Member, StaffMember
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.ids import MemberId
from desk.services.credits.lot_value import credit_share, value_of_credits
from desk.services.importing.report import ImportOptions, RowStatus
from desk.services.records.demo import DemoGenerator
from tests.actors import SYSTEM
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
)

Key = tuple[str, str]  # (member's external id or desk-<id>, appointment type)


def _member_key(member: Member) -> str:
    return member.external_id or f"desk-{member.id}"


def open_credits_by_member(services: Services) -> dict[Key, list[tuple[int, int, date | None]]]:
    """(member, type) -> sorted (open credits, their value in cents, expiry) of each lot."""
    on = services.clock.now().astimezone(services.clock.tz).date()
    result: dict[Key, list[tuple[int, int, date | None]]] = defaultdict(list)
    with services.db.read() as session:
        rows = session.execute(
            select(CreditLot, Member, AppointmentType.name)
            .join(Member, Member.id == CreditLot.member_id)
            .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
            .where(CreditLot.remaining > 0)
        )
        for lot, member, type_name in rows:
            if lot.expires_on is not None and lot.expires_on < on:
                continue
            value = value_of_credits(lot.price_cents, lot.quantity, lot.remaining)
            result[(_member_key(member), type_name)].append((lot.remaining, value, lot.expires_on))
    return {key: sorted(lots, key=str) for key, lots in result.items()}


def future_bookings(services: Services) -> dict[Key, list[tuple[datetime, str, int, date | None]]]:
    """(member, type) -> sorted (start, staff, value of the credit held, its expiry)."""
    now = services.clock.now()
    result: dict[Key, list[tuple[datetime, str, int, date | None]]] = defaultdict(list)
    with services.db.read() as session:
        rows = session.execute(
            select(Appointment, Member, AppointmentType.name, StaffMember.name, CreditLot)
            .join(Member, Member.id == Appointment.member_id)
            .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
            .join(StaffMember, StaffMember.id == Appointment.staff_id)
            .join(CreditLot, CreditLot.id == Appointment.lot_id)
            .where(Appointment.status == "booked", Appointment.starts_at > now)
        )
        for appt, member, type_name, staff, lot in rows:
            held = credit_share(lot.price_cents, lot.quantity)
            result[(_member_key(member), type_name)].append(
                (appt.starts_at, staff, held, lot.expires_on)
            )
    return {key: sorted(items) for key, items in result.items()}


def liability(services: Services) -> int:
    """The value of every open and booked credit, in cents."""
    open_value = sum(v for lots in open_credits_by_member(services).values() for _, v, _ in lots)
    held = sum(h for items in future_bookings(services).values() for _, _, h, _ in items)
    return open_value + held


@pytest.fixture
def empty(tmp_path: Path, clock: FixedClock):
    db = open_database(f"sqlite:///{tmp_path / 'moved-to.sqlite3'}")
    yield Services.build(db, clock)
    db.dispose()


def move(source: Services, target: Services, folder: Path) -> None:
    """Export everything from ``source`` and import it into ``target`` (staff first)."""
    for staff in source.staff.list():
        target.staff.create(name=staff.name, actor=SYSTEM)
    source.exports.credits(folder / "credits.csv")
    source.exports.appointments(folder / "appointments.csv")
    options = ImportOptions(create_missing_members=True, create_missing_types=True)
    credits = target.imports.import_credits(folder / "credits.csv", options, actor=SYSTEM).value
    assert credits.errors == []
    bookings = target.imports.import_appointments(
        folder / "appointments.csv", options, actor=SYSTEM
    ).value
    assert bookings.errors == []
    assert target.credits.verify_ledger() == []


def test_the_ten_for_680_lot_with_seven_left_arrives_worth_476(services, empty, tmp_path):
    pt = make_type(services, "Personal Training 60")
    massage = make_type(services, "Sports Massage")
    coach = make_staff(services, "Kim Alvarez")
    zoe = make_member(services, "Zoë", "Müller", email="zoe@example.com", external_id="MB-77")
    ben = make_member(services, "Ben", "Okafor")
    give_credits(services, zoe, pt, 10, expires_on=date(2026, 12, 31), price_cents=680_00)
    give_credits(services, ben, massage, 3, price_cents=100_00)
    book(services, zoe, pt, coach, at_local(2026, 2, 10, 9))  # used before the move
    book(services, zoe, pt, coach, at_local(2026, 2, 17, 9))
    book(services, zoe, pt, coach, at_local(2026, 3, 20, 9))  # booked ahead: travels
    book(services, ben, massage, coach, at_local(2026, 3, 21, 14))

    move(services, empty, tmp_path)

    assert (
        open_credits_by_member(empty)
        == open_credits_by_member(services)
        == {
            ("MB-77", "Personal Training 60"): [(7, 476_00, date(2026, 12, 31))],
            (f"desk-{ben.id}", "Sports Massage"): [(2, 66_66, None)],
        }
    )
    assert (
        future_bookings(empty)
        == future_bookings(services)
        == {
            ("MB-77", "Personal Training 60"): [
                (at_local(2026, 3, 20, 9), "Kim Alvarez", 68_00, date(2026, 12, 31))
            ],
            (f"desk-{ben.id}", "Sports Massage"): [
                (at_local(2026, 3, 21, 14), "Kim Alvarez", 33_33, None)
            ],
        }
    )
    # A void in the new Desk gives back what the open credits were worth, not the
    # whole old lot's price.
    moved_zoe = empty.members.resolve("MB-77")
    (lot,) = [
        lot
        for lot in empty.credits.lots(MemberId(moved_zoe.id))
        if lot.remaining and lot.quantity > 1
    ]
    result = empty.sales.void_lot(lot.id, reason="moved twice", actor=SYSTEM).value
    assert result.refunded_cents == 476_00


def test_a_demo_gym_moves_with_every_balance_value_expiry_and_booking(services, empty, tmp_path):
    DemoGenerator(services.db, services.clock).generate(members=150, seed=7)
    bookings_before = future_bookings(services)
    assert sum(len(items) for items in bookings_before.values()) > 10  # the test has teeth

    move(services, empty, tmp_path)

    assert open_credits_by_member(empty) == open_credits_by_member(services)
    assert future_bookings(empty) == bookings_before
    assert liability(empty) == liability(services)


def test_importing_the_appointments_again_books_nothing_twice(services, empty, tmp_path):
    pt = make_type(services, "Personal Training 60")
    coach = make_staff(services, "Kim Alvarez")
    zoe = make_member(services, "Zoë", "Müller")
    give_credits(services, zoe, pt, 2, price_cents=150_00)
    book(services, zoe, pt, coach, at_local(2026, 3, 1, 9))  # past: stays behind
    book(services, zoe, pt, coach, at_local(2026, 3, 20, 9))
    move(services, empty, tmp_path)

    again = empty.imports.import_appointments(
        tmp_path / "appointments.csv", ImportOptions(create_missing_members=True), actor=SYSTEM
    ).value

    assert (again.to_import, again.already_imported, again.written) == (0, 1, False)
    assert again.count(RowStatus.NOT_BOOKED) == 1
    assert sum(len(items) for items in future_bookings(empty).values()) == 1
