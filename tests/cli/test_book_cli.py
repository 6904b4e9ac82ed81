"""`desk appointments book`: a booking from a script, with --lot, --unpaid and the
refusals as one line each (the service's own words), nothing written on a refusal."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desk.db import open_database
from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId
from tests.actors import SYSTEM
from tests.cli.test_appointments_cli import run


def _start(days: int = 2, hour: int = 10) -> str:
    day = datetime.now().date() + timedelta(days=days)
    return f"{day:%Y-%m-%d} {hour:02d}:00"


@pytest.fixture
def gym(db_url: str, capsys: pytest.CaptureFixture[str]) -> dict[str, int | str]:
    """Kim (coach), PT, Ann with two lots of PT: a 10-pack and a comp."""
    code, _, err = run(capsys, "staff", "add", "Kim Alvarez", "--role", "coach",
                       "--database", db_url, "--create")  # fmt: skip
    assert code == 0, err
    db = open_database(db_url)
    try:
        services = Services.build(db)
        kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM)
        member = services.members.create(
            first_name="Ann", last_name="Smith", email="ann@example.com", actor=SYSTEM
        ).value
        lots = [
            services.credits.add_credits(
                member_id=MemberId(member.id),
                appointment_type_id=AppointmentTypeId(kind.value.id),
                quantity=quantity, expires_on=expires, note=note, actor=SYSTEM,
            ).value.id
            for quantity, expires, note in (
                (10, datetime.now().date() + timedelta(days=60), "10-pack"), (2, None, "Comp"))
        ]  # fmt: skip
    finally:
        db.dispose()
    return {"url": db_url, "pack": lots[0], "comp": lots[1], "member": member.id}


def _booked(url: str, member_id: int) -> list[tuple[int | None, bool]]:
    db = open_database(url)
    try:
        upcoming = Services.build(db).booking.for_member(MemberId(member_id))
        return [(a.lot_id, a.unpaid) for a in upcoming]
    finally:
        db.dispose()


def test_book_uses_the_usual_lot_or_the_one_picked(capsys, gym):
    url = str(gym["url"])
    code, out, err = run(capsys, "appointments", "book", "ann@example.com", "--type", "PT",
                         "--coach", "Kim Alvarez", "--at", _start(), "--database", url)  # fmt: skip
    assert code == 0, err
    assert out.startswith("Booked #")
    assert f"Ann Smith, PT with Kim Alvarez on {_start()} (paid by lot #{gym['pack']})." in out
    code, out, err = run(capsys, "appointments", "book", "ann@example.com", "--type", "PT",
                         "--coach", "Kim Alvarez", "--at", _start(3), "--lot", str(gym["comp"]),
                         "--database", url)  # fmt: skip
    assert code == 0, err
    assert f"(paid by lot #{gym['comp']})." in out
    assert sorted(_booked(url, int(gym["member"]))) == sorted(
        [(int(gym["pack"]), False), (int(gym["comp"]), False)]
    )


ANN_PT = ("appointments", "book", "ann@example.com", "--type", "PT", "--coach", "Kim Alvarez")


def test_book_unpaid_once_the_credits_are_gone(capsys, gym):
    url = str(gym["url"])
    for day in range(2, 14):  # 12 credits in all
        code, _, err = run(capsys, *ANN_PT, "--at", _start(day), "--database", url)
        assert code == 0, err
    code, out, err = run(capsys, *ANN_PT, "--at", _start(20), "--database", url)
    assert code == 1
    assert "credit" in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "appointments", "book", "ann@example.com", "--type", "PT",
                         "--coach", "Kim Alvarez", "--at", _start(20), "--unpaid",
                         "--database", url)  # fmt: skip
    assert code == 0, err
    assert "(unpaid: the next credits pay it)." in out
    assert sum(unpaid for _lot, unpaid in _booked(url, int(gym["member"]))) == 1


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--at", "next tuesday"], "--at 'next tuesday' is not a start like"),
        (["--at", _start(), "--minutes", "0"], "--minutes must be between 1 and 720"),
        (["--at", _start(), "--coach", "Nobody"], "no staff member is named 'Nobody'"),
        (["--at", _start(), "--lot", "999"], "There is no lot #999."),
    ],
)
def test_bad_input_is_one_line_and_books_nothing(capsys, gym, extra, says):
    url = str(gym["url"])
    code, _out, err = run(capsys, *ANN_PT, *extra, "--database", url)
    assert code != 0
    assert says in err
    assert len(err.strip().splitlines()) == 1
    assert _booked(url, int(gym["member"])) == []
