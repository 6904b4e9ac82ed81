"""`desk report NAME ... [--csv FILE]` and `desk statement MEMBER --pdf FILE` on the small
fixed gym (tests/services/reports/small_gym.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pypdf import PdfReader

from desk.cli_reports import REPORTS
from desk.services.core.clock import FixedClock
from desk.services.core.ids import MemberId
from tests.actors import SYSTEM
from tests.cli.import_cli_runs import opened, run
from tests.services.reports.small_gym import SmallGym, build_small_gym


@pytest.fixture
def gym_db(db_url: str, clock: FixedClock, frozen_clock: None) -> tuple[str, SmallGym]:
    with opened(db_url, clock) as services:
        gym = build_small_gym(services, clock)
    return db_url, gym


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_liability_to_csv(capsys, gym_db, tmp_path):
    url, _gym = gym_db
    target = tmp_path / "liability.csv"
    code, out, err = run(capsys, "report", "liability", "--as-of", "2026-03-04",
                         "--csv", str(target), "--database", url)  # fmt: skip
    assert code == 0, err
    assert "written to" in out
    rows = _csv(target)
    assert rows[0] == ["Group", "Label", "Credits", "Value"]
    # By hand (test_liability.py): A 1 credit 33.34, C 3 credits 75.00, D 2 credits 0.
    assert ["type", "PT", "4", "108.34"] in rows
    assert ["source", "migrated", "3", "75.00"] in rows
    assert rows[-1] == ["total", "", "6", "108.34"]


def test_liability_of_one_type(capsys, gym_db):
    url, _gym = gym_db
    code, out, err = run(capsys, "report", "liability", "--as-of", "2026-03-04", "--type", "pt",
                         "--database", url)  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[-1].split() == ["total", "4", "108.34"]


def test_the_movement_prints_a_table_that_balances(capsys, gym_db):
    url, _gym = gym_db
    code, out, err = run(capsys, "report", "liability-movement", "--from", "2026-03-01",
                         "--to", "2026-03-04", "--database", url)  # fmt: skip
    assert code == 0, err
    lines = {" ".join(line.split()[:-1]): line.split()[-1] for line in out.splitlines()[4:]}
    assert lines == {
        "Opening value": "0.00", "Sold": "259.99", "Adjusted": "-24.99",
        "Used": "58.33", "Forfeited": "33.33", "Expired": "10.00", "Voided": "25.00",
        "Closing value": "108.34",
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_report_prints_with_its_defaults(capsys, gym_db, name):
    url, _gym = gym_db
    code, out, err = run(capsys, "report", name, "--database", url)
    assert code == 0, err
    assert err == ""
    assert len(out.splitlines()) >= 4  # title, blank line, header, rule


def test_coach_pay_for_one_coach_to_csv(capsys, gym_db, tmp_path):
    url, gym = gym_db
    target = tmp_path / "pay.csv"
    code, _out, err = run(capsys, "report", "coach-pay", "--from", "2026-03-01", "--to",
                          "2026-03-04", "--coach", str(gym.kim), "--csv", str(target),
                          "--database", url)  # fmt: skip
    assert code == 0, err
    rows = _csv(target)
    # a1: the first credit of lot A (33.33) at 50%: 16.66.
    assert rows[1][3:] == ["Ann Smith", "PT", "33.33", "50%", "16.66"]
    assert rows[-1] == ["All coaches", "", "", "1 sessions", "", "", "total", "16.66"]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["report", "bogus"], "invalid choice: 'bogus'"),
        (["report", "sales", "--from", "2026-02-30"], "'2026-02-30' is not a date"),
        (["report", "sales", "--from", "2026-03-04", "--to", "2026-03-01"],
         "--from 2026-03-04 is after --to 2026-03-01"),
        (["report", "liability", "--from", "2026-03-01"], "doesn't take --from/--to"),
        (["report", "expiring", "--days", "400"], "--days must be between 0 and 366"),
        (["report", "sales", "--type", "PT"], "doesn't take --type"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_status_2(capsys, gym_db, argv, says):
    url, _gym = gym_db
    code, out, err = run(capsys, *argv, "--database", url)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert says in err


def test_the_statement_pdf_holds_the_members_numbers(capsys, gym_db, tmp_path):
    url, _gym = gym_db
    target = tmp_path / "cat.pdf"
    code, out, err = run(capsys, "statement", "cat@example.com", "--pdf", str(target),
                         "--database", url)  # fmt: skip
    assert code == 0, err
    assert out.strip() == f"Statement of Cat Smith written to {target} (1 page)."
    reader = PdfReader(target)
    assert len(reader.pages) == 1
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    # Cat: 2 open PT credits that never expire (4 - c1 booked - 1 adjusted), c1 coming
    # up with Kim, the towel owed, and the history: sold +4, booked, cancelled, adjusted.
    assert "Cat Smith" in text
    assert "Account balance: $15.00 owed" in text
    assert "PT 2 never expire" in text
    assert "In all: PT: 2" in text
    assert "Kim Coach" in text
    assert text.count("Booked PT -1") == 2
    assert "Adjusted PT -1 double entry" in text
    assert "Sold PT +4" in text


def test_a_statement_of_nobody_is_one_line(capsys, gym_db, tmp_path):
    url, _gym = gym_db
    target = tmp_path / "nobody.pdf"
    code, out, err = run(capsys, "statement", "#999", "--pdf", str(target), "--database", url)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert not target.exists()


def test_a_report_as_a_pdf_with_its_filters(capsys, gym_db, tmp_path):
    url, _gym = gym_db
    target = tmp_path / "liability.pdf"
    code, out, err = run(capsys, "report", "liability", "--as-of", "2026-03-04",
                         "--package", "3 pt", "--status", "active", "--pdf", str(target),
                         "--database", url)  # fmt: skip
    assert code == 0, err
    title = "Credit liability, Wednesday, 4 March 2026"  # the tests' en_GB locale
    assert out.strip() == f"{title}: written to {target} (1 page)."
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert f"{title} Only: package 3 pt; active members" in text
    # Lot A alone: its last credit, 33.34 (test_filters_and_methods.py).
    assert "type PT 1 $33.34" in text
    assert "total 1 $33.34" in text


def test_archived_members_and_payments_by_method(capsys, gym_db, clock):
    url, gym = gym_db
    code, out, err = run(capsys, "report", "sales", "--from", "2026-03-01", "--to", "2026-03-04",
                         "--database", url)  # fmt: skip
    assert code == 0, err
    assert "Paid by cash" in out  # Ann's package, paid at the desk
    with opened(url, clock) as services:
        services.members.archive(MemberId(gym.dan), actor=SYSTEM)
    code, out, err = run(capsys, "report", "expiring", "--as-of", "2026-03-04", "--status",
                         "archived", "--database", url)  # fmt: skip
    assert code == 0, err
    assert "Dan Smith" in out
    assert "Ann Smith" not in out  # active: her credits expire too, but not in this list
    code, _out, err = run(capsys, "report", "liability", "--plan", "Nope", "--database", url)
    assert code == 2
    assert "there is no plan 'Nope'" in err
    code, _out, err = run(capsys, "report", "end-of-day", "--status", "active", "--database", url)
    assert code == 2
    assert "doesn't take --status" in err
