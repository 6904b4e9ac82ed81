"""`desk appointments forgive ID --reason TEXT` and `desk billing end-plan SUB ...`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from desk.db import open_database
from desk.services.container import Services
from desk.services.core.ids import AppointmentId, MemberId
from tests.actors import SYSTEM
from tests.cli.test_appointments_cli import no_show, run

__all__ = ["no_show"]


def test_forgive_keeps_the_status_and_gives_the_credit_back(capsys, no_show):
    url, appt = no_show
    code, out, err = run(capsys, "appointments", "forgive", f"#{appt}",
                         "--reason", "her child was ill", "--database", url)  # fmt: skip
    assert code == 0, err
    assert out.strip().endswith("stays no show; its credit is back on lot #1.")
    code, _, err = run(capsys, "appointments", "forgive", str(appt), "--reason", "again",
                       "--database", url)  # fmt: skip
    assert (code, err) == (
        1,
        "desk: error: This no-show was forgiven already: its credit is back.\n",
    )
    db = open_database(url)
    try:
        services = Services.build(db)
        assert services.booking.get(AppointmentId(appt)).status.value == "no_show"
        [event] = services.audit.events(action="appointment.forgive")
        assert event.actor is not None
        assert event.actor.startswith("command line (os user ")
    finally:
        db.dispose()


@pytest.fixture
def on_plan(db_url: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, int, int]:
    code, _, err = run(capsys, "staff", "add", "Kim Alvarez", "--role", "coach",
                       "--database", db_url, "--create")  # fmt: skip
    assert code == 0, err
    db = open_database(db_url)
    try:
        services = Services.build(db)
        kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM)
        member = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM)
        plan = services.catalog.save_plan(
            name="Weekly PT", period="week", price_cents=8_000, credits=[(kind.value.id, 2)],
            actor=SYSTEM,
        ).value  # fmt: skip
        today = datetime.now(UTC).date()
        sub = services.sales.assign_plan(member_id=MemberId(member.value.id), plan_id=plan.id,
                                         starts_on=today, actor=SYSTEM).value  # fmt: skip
    finally:
        db.dispose()
    return db_url, sub.id, member.value.id


def test_end_plan_previews_then_ends_with_yes(capsys, on_plan):
    url, sub, member = on_plan
    ends = (date.today() + timedelta(days=2)).isoformat()
    args = ["billing", "end-plan", str(sub), "--on", ends, "--credits", "refund",
            "--bookings", "cancel", "--database", url]  # fmt: skip
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert out.startswith(f"Would end Weekly PT on {ends}:")
    assert "2 open credit(s), worth $80.00" in out
    assert out.strip().endswith("add --yes to end the plan.")
    code, out, err = run(capsys, *args, "--yes")
    assert code == 0, err
    assert out.startswith(f"Ended Weekly PT on {ends}:")
    db = open_database(url)
    try:
        services = Services.build(db)
        assert services.account.balance(MemberId(member)) == 0
        assert services.sales.subscriptions(MemberId(member))[0].ends_on == date.fromisoformat(ends)
    finally:
        db.dispose()
