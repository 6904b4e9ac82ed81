"""`desk import credits` fixing what it finds: --map-type, --leave-out, rows with
nothing remaining, and --report accounting for every row."""

from __future__ import annotations

import csv
import io

import pytest

from tests.cli.import_cli_runs import opened, run
from tests.services.importing.import_gym import open_credits

pytestmark = pytest.mark.usefixtures("frozen_clock")

PUSHPRESS = (
    "Client Name;Email Address;Pricing Option;Sessions Remaining;Expiration Date;Amount Paid\n"
    "Zoë Müller;zoe.muller@example.com;PT 60 min;4;12/31/2026;$400.00\n"
    "Ben Okafor;ben.okafor@example.com;Sports Massage;0;01/15/2027;$0.00\n"
    "Liam O'Brien;liam@example.com;Small Group PT;2;01/15/2027;$60.00\n"
)


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def test_an_unknown_type_is_mapped_on_the_command_line_and_remembered(
    capsys, gym_url, tmp_path, clock
):
    url, gym = gym_url
    first = _write(tmp_path, "march.csv", PUSHPRESS)

    code, out, _ = run(capsys, "import", "credits", str(first), "--database", url)
    assert code == 1
    assert "row 2, column 'Pricing Option' ('PT 60 min'): unknown appointment type" in out

    code, out, _ = run(
        capsys, "import", "credits", str(first), "--map-type",
        "PT 60 min=Personal Training 60", "--database", url,
    )  # fmt: skip
    assert code == 0
    assert "Types (pushpress): 'PT 60 min' -> 'Personal Training 60'" in out
    assert "1 row(s) with nothing remaining skipped." in out
    assert "Imported 2 rows" in out

    # April's file from the same system maps the same way without being told.
    april = _write(tmp_path, "april.csv", PUSHPRESS.replace(";4;", ";6;"))
    code, out, _ = run(capsys, "import", "credits", str(april), "--database", url)
    assert code == 0
    with opened(url, clock) as services:
        assert open_credits(services, gym.zoe, gym.types["Personal Training 60"]) == 10


def test_a_malformed_map_type_is_refused(capsys, gym_url, tmp_path):
    url, _gym = gym_url
    path = _write(tmp_path, "march.csv", PUSHPRESS)
    code, _out, err = run(
        capsys, "import", "credits", str(path), "--map-type", "PT 60 min", "--database", url
    )
    assert code == 1
    assert "--map-type takes NAME_IN_FILE=DESK_TYPE" in err


def test_leave_out_and_the_report_account_for_every_row(capsys, gym_url, tmp_path, clock):
    url, gym = gym_url
    path = _write(tmp_path, "march.csv", PUSHPRESS)
    report = tmp_path / "what-happened.csv"

    code, out, _ = run(
        capsys, "import", "credits", str(path), "--leave-out", "2:sold again in Desk",
        "--report", str(report), "--database", url,
    )  # fmt: skip

    assert code == 0
    assert "  left out: row 2: sold again in Desk" in out
    assert f"What became of each of the 3 rows: {report}" in out
    rows = list(csv.reader(io.StringIO(report.read_text("utf-8-sig"))))
    assert rows == [
        ["Row", "Outcome", "Member", "Appointment Type", "Credits", "Expires", "Value", "Detail"],
        ["2", "left out", "", "", "", "", "", "sold again in Desk"],
        ["3", "skipped: nothing remaining", "", "", "", "", "", "0 remaining"],
        ["4", "imported", "Liam O'Brien", "Small Group PT", "2", "2027-01-15", "60.00", ""],
    ]
    with opened(url, clock) as services:
        assert open_credits(services, gym.liam, gym.types["Small Group PT"]) == 2
        assert open_credits(services, gym.zoe, gym.types["Personal Training 60"]) == 0


def test_a_bad_leave_out_is_refused(capsys, gym_url, tmp_path):
    url, _gym = gym_url
    path = _write(tmp_path, "march.csv", PUSHPRESS)
    code, _out, err = run(
        capsys, "import", "credits", str(path), "--leave-out", "two", "--database", url
    )
    assert code == 2
    assert "--leave-out takes ROW[:WHY]" in err


def test_an_unknown_header_set_prints_what_was_taken_and_what_was_ignored(
    capsys, gym_url, tmp_path
):
    url, _gym = gym_url
    path = tmp_path / "kunden.csv"
    path.write_text(
        "Kunde,E-Mail,Leistung,Credits,Filiale\n"
        "Zoë Müller,zoe.muller@example.com,Sports Massage,2,Mitte\n",
        encoding="utf-8",
    )

    code, out, _ = run(
        capsys, "import", "credits", str(path), "--map", "Leistung=appointment_type",
        "--dry-run", "--database", url,
    )  # fmt: skip

    assert code == 0
    lines = out.splitlines()
    assert lines[1] == (
        "Columns: email <- 'E-Mail', appointment_type <- 'Leistung', quantity <- 'Credits'"
    )
    assert lines[2] == "Ignored columns: 'Kunde', 'Filiale'"
