"""`desk fees set TYPE ...`, `desk fees list MEMBER` and `desk fees waive FEE --reason`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desk.db import open_database
from desk.services.container import Services
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM
from tests.cli.test_appointments_cli import run


def _gym(db_url: str, capsys) -> None:
    code, _, err = run(capsys, "staff", "add", "Kim Alvarez", "--role", "coach",
                       "--database", db_url, "--create")  # fmt: skip
    assert code == 0, err
    db = open_database(db_url)
    try:
        services = Services.build(db)
        services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM)
        services.members.create(
            first_name="Ann", last_name="Smith", email="ann@example.com", actor=SYSTEM
        )
    finally:
        db.dispose()


def _no_show(db_url: str) -> int:
    db = open_database(db_url)
    try:
        services = Services.build(db)
        ids = {
            "member_id": MemberId(services.members.resolve("ann@example.com").id),
            "appointment_type_id": AppointmentTypeId(services.appointment_types.by_name("PT").id),
        }
        services.credits.add_credits(**ids, quantity=1, expires_on=None, actor=SYSTEM)
        appt = services.booking.book(
            **ids, staff_id=StaffId(services.staff.list()[0].id),
            starts_at=datetime.now(UTC) - timedelta(hours=2), allow_past=True, actor=SYSTEM,
        ).value  # fmt: skip
        services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
        return int(services.fees.fees(ids["member_id"])[0].id)
    finally:
        db.dispose()


def test_set_list_and_waive_a_fee_from_the_command_line(capsys, db_url):
    _gym(db_url, capsys)
    code, out, err = run(capsys, "fees", "set", "pt", "--late-cancel", "15", "--no-show",
                         "$20.00", "--database", db_url)  # fmt: skip
    assert code == 0, err
    assert out.strip() == (
        "PT: a late cancel charges $15.00, a no-show $20.00 (and the credit is forfeited)."
    )
    fee = _no_show(db_url)
    code, out, err = run(capsys, "fees", "list", "ann@example.com", "--database", db_url)
    assert code == 0, err
    assert "no-show fee" in out
    assert "$20.00" in out
    assert out.splitlines()[-1].rstrip().endswith("no")
    code, out, err = run(capsys, "fees", "waive", str(fee), "--reason", "first time",
                         "--database", db_url)  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"Waived fee #{fee}: the $20.00 no-show fee for PT")
    code, _, err = run(capsys, "fees", "waive", str(fee), "--reason", "again",
                       "--database", db_url)  # fmt: skip
    assert (code, err) == (1, f"desk: error: Fee #{fee} was waived already.\n")
    code, out, _ = run(capsys, "fees", "list", "ann@example.com", "--database", db_url)
    assert "yes: first time" in out
    code, _, err = run(capsys, "fees", "set", "PT", "--no-show", "lots", "--database", db_url)
    assert code == 1
    assert err.startswith("desk: error:")
