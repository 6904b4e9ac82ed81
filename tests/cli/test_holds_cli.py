"""``desk members hold`` and ``desk members end-hold``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desk.cli import main
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM
from tests.cli.import_cli_runs import opened
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
)

pytestmark = pytest.mark.usefixtures("frozen_clock")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'holds.sqlite3'}"


def test_a_hold_from_the_command_line_moves_expiry_and_ends_early(capsys, url, clock) -> None:
    with opened(url, clock) as services:
        pt = make_type(services, "PT")
        ann = make_member(services, "Ann", "Lee", email="ann@example.com")
        give_credits(services, ann, pt, 3, expires_on=date(2026, 3, 20))
    hold = ("--from", "2026-03-04", "--to", "2026-03-13", "--reason", "injury")
    code, out, err = run(capsys, "members", "hold", "ann@example.com", *hold, "--database", url)
    assert code == 0, err
    assert "Ann Lee is on hold #1: 2026-03-04 to 2026-03-13 (injury), 10 day(s)." in out
    assert "expires 2026-03-20 -> 2026-03-30" in out
    code, _, err = run(capsys, "members", "hold", "ann@example.com", *hold, "--database", url)
    assert code == 1
    assert "holds can't overlap" in err
    back = ("--back-on", "2026-03-08")
    code, out, err = run(capsys, "members", "end-hold", "ann@example.com", *back, "--database", url)
    assert code == 0, err
    assert "now #1: 2026-03-04 to 2026-03-07 (injury), 4 day(s)." in out
    assert "expires 2026-03-30 -> 2026-03-24" in out


def test_a_hold_over_booked_sessions_lists_them_and_fails(capsys, url, clock) -> None:
    with opened(url, clock) as services:
        pt = make_type(services, "PT")
        ann = make_member(services, "Ann", "Lee", email="ann@example.com")
        give_credits(services, ann, pt, 3)
        book(services, ann, pt, make_staff(services, "Kim"), at_local(2026, 3, 6, 9))
    hold = ("--from", "2026-03-05", "--to", "2026-03-08", "--reason", "travel")
    code, out, err = run(capsys, "members", "hold", "ann@example.com", *hold, "--database", url)
    assert code == 1
    assert "2026-03-06 09:00 PT with Kim" in out
    assert "1 booked session in those days" in err
    code, _, err = run(capsys, "members", "end-hold", "ann@example.com", "--database", url)
    assert code == 1
    assert "no current or coming hold" in err


def test_a_hold_says_which_waitlists_the_member_left(capsys, url, clock) -> None:
    with opened(url, clock) as services:
        group = services.appointment_types.create(
            name="Group", duration_minutes=60, capacity=1, actor=SYSTEM
        ).value
        kim = make_staff(services, "Kim")
        ann = make_member(services, "Ann", "Lee", email="ann@example.com")
        bob = make_member(services, "Bob", "Lee", email="bob@example.com")
        give_credits(services, bob, group, 1)
        taken = book(services, bob, group, kim, at_local(2026, 3, 6, 18))
        services.booking.join_waitlist(
            member_id=MemberId(ann.id), appointment_type_id=AppointmentTypeId(group.id),
            staff_id=StaffId(kim.id), starts_at=taken.starts_at, ends_at=taken.ends_at,
            actor=SYSTEM,
        )  # fmt: skip
    hold = ("--from", "2026-03-05", "--to", "2026-03-08", "--reason", "travel")
    code, out, err = run(capsys, "members", "hold", "ann@example.com", *hold, "--database", url)
    assert code == 0, err
    assert "left 1 waitlist in those days" in out
