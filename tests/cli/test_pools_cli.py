"""``desk pools create|add|remove|show|share|dissolve``."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.cli import main
from desk.services.core.clock import FixedClock
from tests.cli.import_cli_runs import opened
from tests.services.factories import give_credits, make_member, make_type

pytestmark = pytest.mark.usefixtures("frozen_clock")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pools.sqlite3'}"


def _gym(url: str, clock: FixedClock) -> int:
    with opened(url, clock) as services:
        pt = make_type(services, "PT")
        ann = make_member(services, "Ann", "Lee", email="ann@example.com")
        make_member(services, "Bob", "Lee", email="bob@example.com")
        make_member(services, "Cy", "Lee", email="cy@example.com")
        return give_credits(services, ann, pt, 4).id


def test_a_family_pool_from_the_command_line(capsys, url, clock) -> None:
    lot = _gym(url, clock)
    db = ("--database", url)
    code, out, err = run(capsys, "pools", "create", "Lee family", "--member", "ann@example.com",
                         "--member", "bob@example.com", *db)  # fmt: skip
    assert code == 0, err
    assert "Lee family — 2 members: Ann Lee (#1), Bob Lee (#2)" in out
    code, out, err = run(capsys, "pools", "add", "Lee family", "--member", "cy@example.com", *db)
    assert (code, out.strip()) == (0, "Cy Lee now shares the credits of Lee family.")
    code, out, err = run(capsys, "pools", "share", "--lot", str(lot), "--quantity", "3", *db)
    assert code == 0, err
    assert "Moved 3 PT credit(s) into the pool" in out
    code, out, _ = run(capsys, "pools", "show", "--member", "cy@example.com", *db)
    assert "PT " in out
    assert "3       0" in out  # open 3, booked 0
    assert "Ann Lee" in out  # who put the credits in
    code, out, _ = run(capsys, "pools", "remove", "1", "--member", "bob@example.com", *db)
    assert "Bob Lee left Lee family; 0 booking(s) the pool paid stay booked." in out
    code, out, _ = run(capsys, "pools", "dissolve", "Lee family", *db)
    assert "Run again with --yes" in out
    code, out, _ = run(capsys, "pools", "dissolve", "Lee family", "--yes", *db)
    assert "3 open credit(s) of 1 lot(s) back to their buyers" in out
    code, out, _ = run(capsys, "pools", "show", *db)
    assert out.strip() == "No shared pools."


def test_a_member_already_in_a_pool_is_refused(capsys, url, clock) -> None:
    _gym(url, clock)
    db = ("--database", url)
    assert run(capsys, "pools", "create", "A", "--member", "1", *db)[0] == 0
    code, _, err = run(capsys, "pools", "create", "B", "--member", "1", *db)
    assert code != 0
    assert "already shares credits in a pool" in err
