"""`desk staff add|list|set-login|set-bookings`, on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest

from desk.cli import main
from desk.db import open_database
from desk.services.container import Services


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def signs_in(url: str, username: str, password: str) -> str:
    db = open_database(url)
    try:
        return Services.build(db).auth.sign_in(username, password).name
    finally:
        db.dispose()


def test_add_and_list_say_who_can_sign_in(capsys, url):
    code, out, _ = run(capsys, "staff", "add", "Robin Ames", "--role", "front_desk",
                       "--database", url)  # fmt: skip
    assert code == 0
    assert "Added Robin Ames" in out
    assert "front desk" in out
    code, out, _ = run(capsys, "staff", "list", "--database", url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Id", "Name", "Role", "Sign-in", "Active", "Bookings"]
    assert "Kim Alvarez" in lines[2]
    assert "no login" in lines[2]
    assert "Robin Ames" in lines[3]
    assert "no login" in lines[3]


def test_add_refuses_a_namesake_unless_told(capsys, url):
    code, _out, err = run(capsys, "staff", "add", "kim alvarez", "--role", "admin",
                         "--database", url)  # fmt: skip
    assert code == 1
    assert err.strip().count("\n") == 0
    assert "already a staff member named Kim Alvarez" in err
    assert "--yes" in err
    code, _, _ = run(capsys, "staff", "add", "kim alvarez", "--role", "admin", "--yes",
                     "--database", url)  # fmt: skip
    assert code == 0


def test_set_login_reads_the_password_from_stdin(capsys, url, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\nignored\n"))
    code, out, err = run(capsys, "staff", "set-login", "Kim Alvarez", "--username", "Kim",
                         "--password-stdin", "--database", url)  # fmt: skip
    assert code == 0, err
    assert "signs in as kim" in out
    assert "a long password" not in out + err
    assert signs_in(url, "kim", "a long password") == "Kim Alvarez"
    code, out, _ = run(capsys, "staff", "list", "--database", url)
    assert "kim" in out.splitlines()[2].split()
    db = open_database(url)
    try:
        events = Services.build(db).audit.events(action="staff.set_login")
    finally:
        db.dispose()
    assert [e.actor for e in events] == [events[0].actor]
    assert events[0].actor is not None
    assert events[0].actor.startswith("command line")


def test_set_login_asks_the_terminal_twice(capsys, url, monkeypatch):
    answers = iter(["terminal password", "terminal password"])
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, err = run(capsys, "staff", "set-login", "1", "--username", "kim", "--database", url)
    assert code == 0, err
    assert signs_in(url, "kim", "terminal password") == "Kim Alvarez"


def test_set_login_errors_are_one_line(capsys, url, monkeypatch):
    answers = iter(["one password", "another one"])
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, err = run(capsys, "staff", "set-login", "1", "--username", "kim", "--database", url)
    assert (code, err) == (1, "desk: error: the two passwords differ; nothing changed\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = run(capsys, "staff", "set-login", "Kim Alvarez", "--username", "kim",
                       "--password-stdin", "--database", url)  # fmt: skip
    assert code == 1
    assert "at least 8 characters" in err
    assert err.count("\n") == 1
    code, _, err = run(capsys, "staff", "set-login", "Nobody", "--username", "kim",
                       "--password-stdin", "--database", url)  # fmt: skip
    assert code == 1
    assert "no staff member is named 'Nobody'" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run(capsys, "staff", "set-login", "Kim Alvarez", "--username", "kim",
                       "--database", url)  # fmt: skip
    assert code == 1
    assert "--password-stdin" in err


def test_the_password_is_not_an_option(capsys, url):
    with pytest.raises(SystemExit) as exit_:
        main(["staff", "set-login", "1", "--username", "kim", "--password", "x", "--database", url])
    assert exit_.value.code == 2


def _bookings_column(out: str) -> dict[str, str]:
    """Name -> the Bookings column of ``desk staff list``."""
    rows = out.splitlines()[2:]
    return {" ".join(row.split()[1:3]): row.split()[-1] for row in rows}


def test_add_with_no_bookings_and_set_bookings_change_the_list(capsys, url):
    code, out, _ = run(capsys, "staff", "add", "Robin Ames", "--role", "front_desk",
                       "--no-bookings", "--database", url)  # fmt: skip
    assert code == 0
    assert "takes no bookings" in out
    code, out, _ = run(capsys, "staff", "list", "--database", url)
    assert _bookings_column(out) == {"Kim Alvarez": "yes", "Robin Ames": "no"}

    code, out, _ = run(capsys, "staff", "set-bookings", "kim alvarez", "no", "--database", url)
    assert code == 0
    assert out.startswith("Kim Alvarez takes no bookings")
    code, out, _ = run(capsys, "staff", "set-bookings", "Robin Ames", "yes", "--database", url)
    assert code == 0
    assert out.startswith("Robin Ames takes bookings")
    code, out, _ = run(capsys, "staff", "list", "--database", url)
    assert _bookings_column(out) == {"Kim Alvarez": "no", "Robin Ames": "yes"}


def test_set_bookings_refuses_nobody_and_a_bad_answer(capsys, url):
    code, _, err = run(capsys, "staff", "set-bookings", "Nobody Here", "yes", "--database", url)
    assert code == 1
    assert "no staff member is named 'Nobody Here'" in err
    with pytest.raises(SystemExit):
        main(["staff", "set-bookings", "Kim Alvarez", "maybe", "--database", url])
    capsys.readouterr()
    code, out, _ = run(capsys, "staff", "list", "--database", url)
    assert _bookings_column(out) == {"Kim Alvarez": "yes"}
