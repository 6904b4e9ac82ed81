"""The `desk` command, run in-process through its entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.cli import main
from desk.db import open_database
from desk.services.container import Services


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


@pytest.fixture
def demo_url(url: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["demo", "--members", "120", "--seed", "3", "--database", url]) == 0
    capsys.readouterr()
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def member_names(url: str) -> list[str]:
    db = open_database(url)
    try:
        services = Services.build(db)
        return [m.full_name for m in services.members.summaries(range(1, 121))]
    finally:
        db.dispose()


def test_demo_reports_what_it_wrote(capsys, url):
    code, out, _ = run(capsys, "demo", "--members", "50", "--database", url)
    assert code == 0
    assert "50 members" in out
    assert "credit lots" in out
    assert "appointments" in out


def test_demo_is_deterministic_for_a_seed(tmp_path, capsys):
    urls = [f"sqlite:///{tmp_path / name}" for name in ("a.sqlite3", "b.sqlite3", "c.sqlite3")]
    assert main(["demo", "--members", "120", "--seed", "9", "--database", urls[0]]) == 0
    assert main(["demo", "--members", "120", "--seed", "9", "--database", urls[1]]) == 0
    assert main(["demo", "--members", "120", "--seed", "10", "--database", urls[2]]) == 0
    capsys.readouterr()
    assert member_names(urls[0]) == member_names(urls[1])
    assert member_names(urls[0]) != member_names(urls[2])


def test_demo_refuses_a_database_with_members(capsys, demo_url):
    code, _, err = run(capsys, "demo", "--database", demo_url)
    assert code == 1
    assert "already has 120 members" in err


def test_demo_rejects_a_silly_member_count(capsys, url):
    code, _, err = run(capsys, "demo", "--members", "0", "--database", url)
    assert code == 1
    assert "1 to 1,000,000" in err


def test_search_prints_matches_with_open_credits(capsys, demo_url):
    name = member_names(demo_url)[0]
    last = name.split()[-1]
    code, out, _ = run(capsys, "members", "search", last.lower(), "--database", demo_url)
    assert code == 0
    header = out.splitlines()[0]
    assert "Open credits" in header
    assert name in out


def test_search_without_matches_says_so(capsys, demo_url):
    code, out, _ = run(capsys, "members", "search", "qqqzzz", "--database", demo_url)
    assert code == 0
    assert "No member matches 'qqqzzz'" in out


def test_database_option_also_works_before_the_subcommand(capsys, demo_url):
    code, out, _ = run(capsys, "--database", demo_url, "credits", "show", "1")
    assert code == 0
    assert "#1" in out


def test_database_url_from_environment(capsys, demo_url, monkeypatch):
    monkeypatch.setenv("DESK_DATABASE_URL", demo_url)
    code, out, _ = run(capsys, "credits", "show", "2")
    assert code == 0
    assert "#2" in out


def test_add_show_adjust_round_trip(capsys, demo_url):
    code, out, _ = run(
        capsys,
        "credits",
        "add",
        "7",
        "--type",
        "sports massage",
        "--quantity",
        "10",
        "--expires",
        "2099-01-31",
        "--price",
        "$1,200.00",
        "--note",
        "10-pack",
        "--database",
        demo_url,
    )
    assert code == 0, out
    assert "Added 10 Sports Massage credits" in out
    assert "$1,200.00" in out
    code, out, _ = run(capsys, "credits", "show", "7", "--database", demo_url)
    assert code == 0
    massage = next(line for line in out.splitlines() if line.startswith("Sports Massage"))
    open_before = int(massage.split()[2])
    assert "2099-01-31" in out
    code, out, _ = run(
        capsys,
        "credits",
        "adjust",
        "7",
        "--type",
        "Sports Massage",
        "--by",
        "-3",
        "--reason",
        "used before migration",
        "--database",
        demo_url,
    )
    assert code == 0
    assert f"{open_before - 3} open now" in out


def test_adjust_below_zero_is_refused_and_changes_nothing(capsys, demo_url):
    run(
        capsys,
        "credits",
        "add",
        "8",
        "--type",
        "Nutrition Consult",
        "--quantity",
        "2",
        "--database",
        demo_url,
    )
    before = run(capsys, "credits", "show", "8", "--database", demo_url)[1]
    code, _, err = run(
        capsys,
        "credits",
        "adjust",
        "8",
        "--type",
        "Nutrition Consult",
        "--by",
        "-500",
        "--reason",
        "oops",
        "--database",
        demo_url,
    )
    assert code == 1
    assert "only" in err
    assert "open" in err
    assert run(capsys, "credits", "show", "8", "--database", demo_url)[1] == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["credits", "add", "1", "--type", "Nope", "--quantity", "1"],
            "No appointment type named 'Nope'",
        ),
        (["credits", "add", "1", "--type", "Sports Massage", "--quantity", "0"], "at least 1"),
        (
            [
                "credits",
                "add",
                "1",
                "--type",
                "Sports Massage",
                "--quantity",
                "1",
                "--expires",
                "31/12/2030",
            ],
            "--expires takes a date like",
        ),
        (
            [
                "credits",
                "add",
                "1",
                "--type",
                "Sports Massage",
                "--quantity",
                "1",
                "--expires",
                "2001-01-01",
            ],
            "already past",
        ),
        (
            ["credits", "add", "1", "--type", "Sports Massage", "--quantity", "1", "--price", "-5"],
            "can't be negative",
        ),
        (
            [
                "credits",
                "add",
                "1",
                "--type",
                "Sports Massage",
                "--quantity",
                "1",
                "--price",
                "abc",
            ],
            "is not an amount",
        ),
        (
            ["credits", "adjust", "1", "--type", "Sports Massage", "--by", "two", "--reason", "x"],
            "--by takes a whole number",
        ),
        (
            ["credits", "adjust", "1", "--type", "Sports Massage", "--by", "+1", "--reason", "  "],
            "reason is required",
        ),
        (["credits", "show", "nobody@example.org"], "No member with id, email or external id"),
        (["credits", "show", "999999"], "No member with id, email or external id"),
    ],
)
def test_bad_input_gives_one_line_error(capsys, demo_url, argv, message):
    code, out, err = run(capsys, *argv, "--database", demo_url)
    assert code == 1
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err + out


def test_argument_errors_are_one_line_with_status_2(capsys, demo_url):
    with pytest.raises(SystemExit) as exit_info:
        main(["credits", "add", "1", "--type", "X", "--quantity", "many", "--database", demo_url])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid int value: 'many'" in err
    assert err.count("\n") == 1


def test_unknown_database_scheme_is_a_clear_error(capsys):
    code, _, err = run(capsys, "check", "--database", "nonsense://x")
    assert code == 1
    assert "can't talk to 'nonsense' databases" in err


def test_check_reports_a_healthy_ledger_and_a_broken_one(capsys, demo_url):
    code, out, _ = run(capsys, "check", "--database", demo_url)
    assert code == 0
    assert "agrees with its ledger" in out
    db = open_database(demo_url)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE credit_lots SET remaining = remaining + 1 WHERE id = 1")
    db.dispose()
    code, out, _ = run(capsys, "check", "--database", demo_url)
    assert code == 1
    assert "lot 1: remaining" in out


def test_expire_is_idempotent(capsys, demo_url):
    code, out, _ = run(capsys, "credits", "expire", "--database", demo_url)
    assert code == 0
    code, out, _ = run(capsys, "credits", "expire", "--database", demo_url)
    assert out.strip() == "Expired the open credits of 0 lots."
