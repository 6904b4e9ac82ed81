"""Whatever people type reaches the services: a clear domain error or success,
never a crash and never half a write (issue 7, "Bad input")."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from desk.db import open_database
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM

EXAMPLES = 120
TABLES = ("members", "credit_lots", "credit_entries", "appointments", "appointment_types",
          "staff_members", "account_entries", "session_packages", "audit_events")  # fmt: skip

nasty_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from([
        "", " ", "\t", "Robert'); DROP TABLE members;--", "%", "_", "\\", '"', "' OR 1=1 --",
        "😀🏋️‍♀️", "مرحبا بالعالم", "שלום", "\u202e\u202dabc", "x" * 5000, "\x00", "\r\n",
        "Zoë Müller", "\uff21\uff22\uff23", "null", "None", "NaN",
    ]),
)  # fmt: skip
huge_int = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([0, -1, 1, 2**31, 2**63])
)
any_date = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@pytest.fixture(scope="module")
def gym():
    folder = Path(tempfile.mkdtemp())
    db = open_database(f"sqlite:///{folder / 'bad.sqlite3'}")
    clock = FixedClock(datetime(2026, 3, 4, 15, 0, tzinfo=UTC), ZoneInfo("America/New_York"))
    services = Services.build(db, clock)
    kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM).value
    coach = services.staff.create(name="Kim", role="coach", actor=SYSTEM).value
    member = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM).value
    services.credits.add_credits(member_id=MemberId(member.id),
                                 appointment_type_id=AppointmentTypeId(kind.id), quantity=3,
                                 expires_on=None, actor=SYSTEM)  # fmt: skip
    yield services, MemberId(member.id), AppointmentTypeId(kind.id), StaffId(coach.id)
    db.dispose()


def counts(services: Services) -> dict[str, int]:
    with services.db.read() as session:
        return {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def attempt(services: Services, call) -> None:
    """Run ``call``: success, or a DeskError that left every table as it was."""
    before = counts(services)
    refused: DeskError | None = None
    try:
        call()
    except DeskError as error:
        refused = error
    if refused is not None:
        assert refused.message.strip(), "a domain error says something"
        assert counts(services) == before, "a refused call wrote nothing"
    assert services.credits.verify_ledger() == []


RUN = settings(max_examples=EXAMPLES, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@RUN
@given(first=nasty_text, last=nasty_text, email=nasty_text, phone=nasty_text, notes=nasty_text)
def test_member_create_and_update(gym, first, last, email, phone, notes):
    services, member, _, _ = gym
    attempt(services, lambda: services.members.create(
        first_name=first, last_name=last, email=email, phone=phone, notes=notes,
        actor=SYSTEM))  # fmt: skip
    attempt(
        services,
        lambda: services.members.update(member, first_name=first, email=email, actor=SYSTEM),
    )
    attempt(services, lambda: services.members.search(first + last, 20))


@RUN
@given(quantity=huge_int, price=huge_int, expires=st.one_of(st.none(), any_date), note=nasty_text)
def test_add_credits(gym, quantity, price, expires, note):
    services, member, kind, _ = gym
    attempt(services, lambda: services.credits.add_credits(
        member_id=member, appointment_type_id=kind, quantity=quantity, expires_on=expires,
        price_cents=price, note=note, actor=SYSTEM))  # fmt: skip


@RUN
@given(delta=huge_int, reason=nasty_text)
def test_adjust(gym, delta, reason):
    services, member, kind, _ = gym
    attempt(services, lambda: services.credits.adjust(
        member_id=member, appointment_type_id=kind, delta=delta, reason=reason,
        actor=SYSTEM))  # fmt: skip


@RUN
@given(offset_minutes=st.integers(min_value=-(10**7), max_value=10**7),
       length=st.integers(min_value=-(10**6), max_value=10**6), notes=nasty_text)  # fmt: skip
def test_book_and_cancel(gym, offset_minutes, length, notes):
    services, member, kind, coach = gym
    start = services.clock.now() + timedelta(minutes=offset_minutes)

    def book_then_cancel() -> None:
        booked = services.booking.book(
            member_id=member, appointment_type_id=kind, staff_id=coach, starts_at=start,
            ends_at=start + timedelta(minutes=length), notes=notes, actor=SYSTEM,
        ).value  # fmt: skip
        services.booking.cancel(booked.id, return_credit=True, reason="test", actor=SYSTEM)

    attempt(services, book_then_cancel)


@RUN
@given(name=nasty_text, minutes=huge_int, price=huge_int, late=huge_int, color=nasty_text)
def test_appointment_types_and_staff(gym, name, minutes, price, late, color):
    services, _, _, _ = gym
    attempt(services, lambda: services.appointment_types.create(
        name=name, duration_minutes=minutes, default_price_cents=price, late_cancel_hours=late,
        color=color, actor=SYSTEM))  # fmt: skip
    attempt(services, lambda: services.staff.create(name=name, role=color, actor=SYSTEM))


@RUN
@given(amount=huge_int, note=nasty_text, credits=huge_int, validity=st.one_of(st.none(), huge_int))
def test_money_and_catalog(gym, amount, note, credits, validity):
    services, member, kind, _ = gym
    attempt(
        services, lambda: services.account.record_payment(member, amount, note=note, actor=SYSTEM)
    )
    attempt(services, lambda: services.account.add_credit(member, amount, note=note, actor=SYSTEM))
    attempt(services, lambda: services.catalog.save_package(
        name=note, appointment_type_id=kind, credits=credits, price_cents=amount,
        validity_days=validity, actor=SYSTEM))  # fmt: skip
