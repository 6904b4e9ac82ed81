"""``desk credits undo``: the command line's last credit action on a member, or one named
by its audit event id, taken back within 10 minutes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from desk.services.core.clock import FixedClock
from desk.services.core.ids import MemberId
from tests.cli.import_cli_runs import opened
from tests.cli.test_credit_life_cli import run
from tests.services.factories import make_member, make_type

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'undo.sqlite3'}"


def _open(url: str, clock: FixedClock) -> int:
    with opened(url, clock) as services:
        make_type(services, "PT")
        return make_member(services, "Ann", "Lee", email="ann@example.com").id


def _open_credits(url: str, clock: FixedClock, member: int) -> int:
    with opened(url, clock) as services:
        return sum(lot.remaining for lot in services.credits.lots(MemberId(member)))


def test_undo_last_takes_back_the_command_lines_add(capsys, url, clock) -> None:
    member = _open(url, clock)
    add = ("credits", "add", "ann@example.com", "--type", "PT", "--quantity", "4",
           "--expires", str(date(2026, 6, 30)), "--database", url)  # fmt: skip
    assert run(capsys, *add)[0] == 0
    assert _open_credits(url, clock, member) == 4
    code, out, _ = run(capsys, "credits", "undo", "--last", "ann@example.com", "--database", url)
    assert code == 0, out
    assert out.startswith("Undone: Added 4 PT credits (audit event ")
    assert _open_credits(url, clock, member) == 0
    code, out, _ = run(capsys, "credits", "undo", "--last", "ann@example.com", "--database", url)
    assert code == 1
    assert "Nothing to undo" in out


def test_undo_by_event_id_says_why_it_cannot(capsys, url, clock) -> None:
    member = _open(url, clock)
    add = ("credits", "add", "ann@example.com", "--type", "PT", "--quantity", "2",
           "--database", url)  # fmt: skip
    assert run(capsys, *add)[0] == 0
    with opened(url, clock) as services:
        [event] = services.audit.events(member_id=member, action="credits.add")
    clock.current += timedelta(minutes=14)
    code, _, err = run(capsys, "credits", "undo", str(event.id), "--database", url)
    assert code != 0
    assert "Undo is only for 10 minutes: this was 14 minutes ago." in err
    assert _open_credits(url, clock, member) == 2
    code, _, err = run(capsys, "credits", "undo", "--database", url)
    assert code != 0
    assert "--last MEMBER" in err
