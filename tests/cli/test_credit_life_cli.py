"""``desk credits extend``, ``desk credits transfer`` and ``desk members merge``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desk.cli import main
from desk.services.core.clock import FixedClock
from desk.services.core.ids import MemberId
from tests.cli.import_cli_runs import opened
from tests.services.factories import give_credits, make_member, make_type

pytestmark = pytest.mark.usefixtures("frozen_clock")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'life.sqlite3'}"


def _gym(url: str, clock: FixedClock) -> tuple[int, int]:
    with opened(url, clock) as services:
        pt = make_type(services, "PT")
        ann = make_member(services, "Ann", "Lee", email="ann@example.com")
        bob = make_member(services, "Bob", "Lee", email="bob@example.com")
        lot = give_credits(services, ann, pt, 3, expires_on=date(2026, 3, 20), price_cents=9_000)
        give_credits(services, bob, pt, 1, expires_on=date(2026, 3, 22))
        return lot.id, bob.id


def test_a_bulk_extend_previews_then_changes_with_yes(capsys, url, clock) -> None:
    _gym(url, clock)
    window = ("--expiring-from", "2026-03-15", "--expiring-to", "2026-03-31", "--days", "14")
    code, out, _ = run(capsys, "credits", "extend", *window, "--database", url)
    assert code == 0, out
    assert "2026-03-20" in out
    assert "2026-04-03" in out
    assert "2026-04-05" in out
    assert "2 lot(s) would change" in out
    code, out, _ = run(capsys, "credits", "extend", *window, "--yes", "--database", url)
    assert code == 0
    assert "Changed the expiry of 2 lot(s)." in out
    code, out, _ = run(capsys, "credits", "extend", *window, "--database", url)
    assert "No open lots match." in out


def test_one_lot_shortened_needs_a_reason(capsys, url, clock) -> None:
    lot, _bob = _gym(url, clock)
    code, _, err = run(
        capsys, "credits", "extend", "--lot", str(lot), "--until", "2026-03-10", "--database", url
    )
    assert code == 1
    assert "reason" in err
    code, out, _ = run(
        capsys,
        "credits",
        "extend",
        "--lot",
        str(lot),
        "--until",
        "2026-03-10",
        "--reason",
        "wrong term",
        "--database",
        url,
    )
    assert code == 0
    assert "2026-03-10" in out


def test_transfer_and_merge_from_the_command_line(capsys, url, clock) -> None:
    lot, bob = _gym(url, clock)
    code, out, _ = run(
        capsys,
        "credits",
        "transfer",
        "--lot",
        str(lot),
        "--to",
        "bob@example.com",
        "--quantity",
        "2",
        "--reason",
        "gift",
        "--database",
        url,
    )
    assert code == 0, out
    assert "Moved 2 credits of lot" in out
    assert "Bob Lee" in out
    assert "$60.00" in out
    code, out, _ = run(
        capsys, "members", "merge", "ann@example.com", "--into", str(bob), "--database", url
    )
    assert code == 0
    assert "Run again with --yes" in out
    code, out, _ = run(
        capsys,
        "members",
        "merge",
        "ann@example.com",
        "--into",
        str(bob),
        "--reason",
        "same person",
        "--yes",
        "--database",
        url,
    )
    assert code == 0
    assert "Merged." in out
    with opened(url, clock) as services:
        assert [m.id for m in services.members.search("ann@example")] == [bob]
        assert (
            services.credits.open_credits(
                MemberId(bob), services.appointment_types.by_name("PT").id
            )
            == 4
        )  # type: ignore[arg-type]
