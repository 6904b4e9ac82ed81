"""`desk appointments undo-status ID --reason TEXT`, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.cli import main
from desk.db import open_database
from desk.services.container import Services
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_show(db_url: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, int]:
    """A database holding one no-show two hours ago (by the real clock, as the CLI's)."""
    code, _, err = run(capsys, "staff", "add", "Kim Alvarez", "--role", "coach",
                       "--database", db_url, "--create")  # fmt: skip
    assert code == 0, err
    db = open_database(db_url)
    try:
        services = Services.build(db)
        kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM)
        member = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM)
        ids = {
            "member_id": MemberId(member.value.id),
            "appointment_type_id": AppointmentTypeId(kind.value.id),
        }
        services.credits.add_credits(**ids, quantity=1, expires_on=None, actor=SYSTEM)
        appt = services.booking.book(
            **ids, staff_id=StaffId(services.staff.list()[0].id),
            starts_at=datetime.now(UTC) - timedelta(hours=2), allow_past=True, actor=SYSTEM,
        ).value  # fmt: skip
        services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    finally:
        db.dispose()
    return db_url, appt.id


def test_undo_status_books_it_again_and_names_the_command_line(capsys, no_show):
    url, appt = no_show
    code, out, err = run(capsys, "appointments", "undo-status", f"#{appt}",
                         "--reason", "she was there", "--database", url)  # fmt: skip
    assert code == 0, err
    assert f"Appointment #{appt} (Ann Smith, PT on " in out
    assert out.strip().endswith("is booked again; it was no show.")
    db = open_database(url)
    try:
        services = Services.build(db)
        assert services.booking.get(AppointmentId(appt)).status.value == "booked"
        [event] = services.audit.events(action="appointment.undo_status")
        assert event.actor is not None
        assert event.actor.startswith("command line (os user ")
        assert services.credits.verify_ledger() == []
    finally:
        db.dispose()


def test_errors_are_one_line(capsys, no_show):
    url, appt = no_show
    code, _, err = run(capsys, "appointments", "undo-status", str(appt), "--reason", " ",
                       "--database", url)  # fmt: skip
    assert (code, err) == (1, "desk: error: Say why the status is being undone.\n")
    run(capsys, "appointments", "undo-status", str(appt), "--reason", "x", "--database", url)
    code, _, err = run(capsys, "appointments", "undo-status", str(appt), "--reason", "again",
                       "--database", url)  # fmt: skip
    assert code == 1
    assert err.count("\n") == 1
    assert "Can't undo: the appointment is booked." in err
    code, _, err = run(capsys, "appointments", "undo-status", "999", "--reason", "x",
                       "--database", url)  # fmt: skip
    assert (code, err) == (1, "desk: error: There is no appointment #999.\n")
    code, _, err = run(capsys, "appointments", "undo-status", "abc", "--reason", "x",
                       "--database", url)  # fmt: skip
    assert (code, err) == (1, "desk: error: 'abc' is not an appointment id like 42\n")


def test_a_clash_is_printed_in_the_gyms_time(capsys, db_url):
    """Undoing a late cancel whose time was booked again: the line names the session in
    the way in plain words and local time, not as ISO timestamps."""
    code, _, err = run(capsys, "staff", "add", "Kim Alvarez", "--role", "coach",
                       "--database", db_url, "--create")  # fmt: skip
    assert code == 0, err
    db = open_database(db_url)
    try:
        services = Services.build(db)
        kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM)
        coach = StaffId(services.staff.list()[0].id)
        start = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
        booked = []
        for first in ("Ann", "Bob"):
            member = services.members.create(first_name=first, last_name="Smith", actor=SYSTEM)
            ids = {
                "member_id": MemberId(member.value.id),
                "appointment_type_id": AppointmentTypeId(kind.value.id),
            }
            services.credits.add_credits(**ids, quantity=1, expires_on=None, actor=SYSTEM)
            booked.append(services.booking.book(
                **ids, staff_id=coach, starts_at=start, actor=SYSTEM
            ).value)  # fmt: skip
            if first == "Ann":
                services.booking.cancel(AppointmentId(booked[0].id), actor=SYSTEM)
        local = start.astimezone(services.clock.tz)
    finally:
        db.dispose()
    code, _, err = run(capsys, "appointments", "undo-status", str(booked[0].id), "--reason",
                       "she came", "--database", db_url)  # fmt: skip
    assert code == 1
    end = local + timedelta(hours=1)
    assert err == (
        "desk: error: Can't undo the late cancel: the time was booked again. Kim Alvarez "
        f"already has Bob Smith (PT) then: {local:%A} {local.day} {local:%B %Y}, "
        f"{local:%H:%M} to {end:%H:%M}.\n"
    )
