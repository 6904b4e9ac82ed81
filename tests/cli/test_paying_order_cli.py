"""`desk credits show` lists the paying order and a first-use lot's terms."""

from __future__ import annotations

from datetime import date

import pytest

from desk.cli import main
from desk.db import open_database
from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId
from tests.actors import SYSTEM


def test_show_lists_the_lots_in_paying_order(db_url: str, capsys: pytest.CaptureFixture[str]):
    argv = ["staff", "add", "Kim Alvarez", "--role", "coach", "--database", db_url, "--create"]
    assert main(argv) == 0
    db = open_database(db_url)
    try:
        services = Services.build(db)
        kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM)
        member = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM)
        ids = {
            "member_id": MemberId(member.value.id),
            "appointment_type_id": AppointmentTypeId(kind.value.id),
        }
        never = services.credits.add_credits(**ids, quantity=1, expires_on=None, actor=SYSTEM)
        dated = services.credits.add_credits(
            **ids, quantity=2, expires_on=date(2099, 1, 1), actor=SYSTEM
        )
        package = services.catalog.save_package(
            name="5 from first use", appointment_type_id=kind.value.id, credits=5,
            price_cents=0, validity_days=None, first_use_days=30, actor=SYSTEM,
        ).value  # fmt: skip
        sold = services.sales.sell_package(
            member_id=MemberId(member.value.id), package_id=package.id, actor=SYSTEM
        ).value.lot
    finally:
        db.dispose()
    capsys.readouterr()
    assert main(["credits", "show", str(member.value.id), "--database", db_url]) == 0
    out = capsys.readouterr().out
    assert "30 days from first use" in out
    order = f"  PT: lot {dated.value.id}, then lot {sold.id}, then lot {never.value.id}"
    assert order in out.splitlines()
