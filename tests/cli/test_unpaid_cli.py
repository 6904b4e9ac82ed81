"""`desk appointments unpaid MEMBER` lists bookings owing a credit; `desk credits add` says
which of them its credits paid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.db import open_database
from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM
from tests.cli.test_appointments_cli import run


@pytest.fixture
def owing(db_url: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, int]:
    """Ann with one unpaid PT booking tomorrow (by the real clock, as the CLI's)."""
    code, _, err = run(capsys, "staff", "add", "Kim Alvarez", "--role", "coach",
                       "--database", db_url, "--create")  # fmt: skip
    assert code == 0, err
    db = open_database(db_url)
    try:
        services = Services.build(db)
        kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM)
        member = services.members.create(
            first_name="Ann", last_name="Smith", email="ann@example.com", actor=SYSTEM
        )
        appt = services.booking.book(
            member_id=MemberId(member.value.id),
            appointment_type_id=AppointmentTypeId(kind.value.id),
            staff_id=StaffId(services.staff.list()[0].id),
            starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=1),
            unpaid=True, actor=SYSTEM,
        ).value  # fmt: skip
    finally:
        db.dispose()
    return db_url, appt.id


def test_unpaid_lists_the_booking_and_credits_add_pays_it(capsys, owing):
    url, appt = owing
    code, out, err = run(capsys, "appointments", "unpaid", "ann@example.com", "--database", url)
    assert code == 0, err
    assert out.splitlines()[0] == "Ann Smith: 1 unpaid booking owes a credit"
    assert f"#{appt}" in out
    assert "PT with Kim Alvarez  (booked)" in out
    code, out, err = run(capsys, "credits", "add", "ann@example.com", "--type", "PT",
                         "--quantity", "2", "--database", url)  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[-1].startswith(f"Paid 1 unpaid booking: #{appt} ")
    code, out, err = run(capsys, "appointments", "unpaid", "ann@example.com", "--database", url)
    assert out.strip() == "Ann Smith owes no credit for any booking."
