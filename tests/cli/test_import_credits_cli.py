"""`desk import credits` end to end on the fixture files in tests/data/."""

from __future__ import annotations

import pytest

from desk.services.core.ids import MemberId
from tests.cli.import_cli_runs import BATCH_ID, desk_import, opened, run, table_counts
from tests.services.importing.import_gym import open_credits

# The CLI's services see the tests' fixed day, so expiry dates don't age.
pytestmark = pytest.mark.usefixtures("frozen_clock")

# --- import credits ------------------------------------------------------------------------


def test_import_credits_reports_what_it_read_and_wrote(capsys, gym_url, clock):
    url, gym = gym_url

    code, out, err = desk_import(capsys, url, "credits", "pushpress_credits_cp1252.csv")

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "pushpress_credits_cp1252.csv: 3 rows (cp1252, semicolon-separated)"
    assert lines[1] == (
        "Columns: name <- 'Client Name', email <- 'Email Address', "
        "appointment_type <- 'Pricing Option', quantity <- 'Sessions Remaining', "
        "expires_on <- 'Expiration Date', price <- 'Amount Paid', note <- 'Notes'"
    )
    assert BATCH_ID.search(lines[2])
    assert lines[2].startswith("Imported 3 rows; 0 were already imported. Import id ")
    assert len(lines) == 3
    with opened(url, clock) as services:
        assert open_credits(services, gym.zoe, gym.types["Personal Training 60"]) == 10
        assert services.credits.verify_ledger() == []


def test_importing_the_same_file_again_says_nothing_to_import(capsys, gym_url, clock):
    url, _gym = gym_url
    desk_import(capsys, url, "credits", "pushpress_credits_cp1252.csv")
    before = table_counts(url, clock)

    code, out, _ = desk_import(capsys, url, "credits", "pushpress_credits_cp1252.csv")

    assert code == 0
    assert out.splitlines()[-1] == "Nothing to import: all 3 rows were already imported."
    assert table_counts(url, clock) == before


def test_a_file_with_errors_lists_them_and_exits_non_zero(capsys, gym_url, clock):
    url, _gym = gym_url
    before = table_counts(url, clock)

    code, out, _ = desk_import(capsys, url, "credits", "credits_with_errors.csv")

    assert code == 1
    problems = [line for line in out.splitlines() if line.startswith("  ")]
    assert [line.split(":")[0] for line in problems] == [
        "  error", "  error", "  error", "  error", "  warning", "  error", "  error",
    ]  # fmt: skip
    assert problems[0].startswith(
        "  error: row 2, column 'Service' ('Aqua Aerobics'): unknown appointment type"
    )
    # The services say which option would settle it; the command line names its flag.
    assert problems[0].endswith(
        '; map it with --map-type "NAME=DESK TYPE" or use --create-missing-types'
    )
    assert problems[6].endswith("; or use --create-missing-members")
    assert (
        problems[2]
        == "  error: row 5, column 'Credits' ('abc'): 'abc' is not a whole number of credits"
    )
    assert problems[4].startswith("  warning: row 7, column 'Expires' ('2025-12-31'): ")
    assert problems[5] == (
        "  error: row 8, column 'Client' ('Ann Smith'): "
        "2 members are called Ann Smith; add an email or member id column"
    )
    assert out.splitlines()[-1] == "6 error(s): nothing was imported. Fix the file and run again."
    assert table_counts(url, clock) == before


def test_warnings_alone_still_import(capsys, gym_url, clock):
    url, gym = gym_url
    code, out, _ = desk_import(capsys, url, "credits", "past_expiry_credits.csv")
    assert code == 0
    assert "  warning: row 2, column 'Expires' ('2025-12-31'): " in out
    assert "Imported 2 rows" in out
    with opened(url, clock) as services:
        assert open_credits(services, gym.liam, gym.types["Small Group PT"]) == 2


def test_dry_run_says_what_would_happen_and_writes_nothing(capsys, gym_url, clock):
    url, _gym = gym_url
    before = table_counts(url, clock)

    code, out, _ = desk_import(capsys, url, "credits", "glofox_credits.tsv", "--dry-run")

    assert code == 0
    assert out.splitlines()[0] == "glofox_credits.tsv: 2 rows (utf-8, tab-separated)"
    assert out.splitlines()[-1] == (
        "Dry run: 2 rows would be imported, 0 were already imported. Nothing was written."
    )
    assert table_counts(url, clock) == before


def test_dry_run_of_a_file_with_errors_exits_non_zero(capsys, gym_url):
    url, _gym = gym_url
    code, out, _ = desk_import(capsys, url, "credits", "credits_with_errors.csv", "--dry-run")
    assert code == 1
    assert "nothing was imported" in out


def test_unmappable_columns_then_map(capsys, gym_url, clock):
    url, gym = gym_url

    code, out, err = desk_import(capsys, url, "credits", "unmappable.csv")
    assert (code, out) == (1, "")
    assert err.startswith("desk: error: Can't tell which columns hold the member, appointment type")
    assert "Columns found: 'Kunde', 'Paket', 'Anzahl'" in err
    assert "--map COLUMN=FIELD" in err

    code, out, err = desk_import(
        capsys, url, "credits", "unmappable.csv",
        "--map", "Kunde=name", "--map", "Paket=appointment_type", "--map", "Anzahl=quantity",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "Columns: name <- 'Kunde', appointment_type <- 'Paket', quantity <- 'Anzahl'" in out
    with opened(url, clock) as services:
        assert open_credits(services, gym.zoe, gym.types["Sports Massage"]) == 5


def test_map_overrides_an_alias_column(capsys, gym_url):
    url, _gym = gym_url
    code, out, _ = desk_import(
        capsys, url, "credits", "arbox_credits.csv", "--map", "Membership=appointment_type"
    )
    assert code == 0
    assert "appointment_type <- 'Membership'" in out
    assert "Imported 2 rows" in out


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("Kunde", "--map takes SOURCE_COLUMN=FIELD, not 'Kunde'."),
        ("Kunde=colour", "Unknown field 'colour' in --map"),
        ("Nummer=name", "--map names columns the file doesn't have: nummer."),
    ],
)
def test_a_bad_map_is_an_error(capsys, gym_url, pair, message):
    url, _gym = gym_url
    code, _out, err = desk_import(capsys, url, "credits", "unmappable.csv", "--map", pair)
    assert code == 1
    assert err.startswith("desk: error: ")
    assert message in err


def test_encoding_and_delimiter_options(capsys, gym_url):
    url, _gym = gym_url
    code, out, _ = desk_import(
        capsys, url, "credits", "pushpress_credits_cp1252.csv",
        "--encoding", "cp1252", "--delimiter", ";", "--dry-run",
    )  # fmt: skip
    assert code == 0
    assert "(cp1252, semicolon-separated)" in out

    code, out, _ = desk_import(
        capsys, url, "credits", "glofox_credits.tsv", "--delimiter", "tab", "--dry-run"
    )
    assert code == 0
    assert "(utf-8, tab-separated)" in out

    code, _out, err = desk_import(
        capsys, url, "credits", "pushpress_credits_cp1252.csv", "--encoding", "utf-8"
    )
    assert code == 1
    assert "can't be read as utf-8" in err


def test_columns_it_cant_place_name_the_map_option(capsys, gym_url):
    url, _gym = gym_url
    code, _out, err = desk_import(capsys, url, "credits", "unmappable.csv")
    assert code == 1
    assert "Can't tell which columns hold" in err
    assert err.strip().endswith("say which column holds which field with --map COLUMN=FIELD.")


def test_date_order(capsys, gym_url, clock):
    url, gym = gym_url
    code, out, _ = desk_import(capsys, url, "credits", "ambiguous_dates.csv")
    assert code == 1
    assert "choose with --date-order mdy or dmy" in out

    code, _out, _ = desk_import(
        capsys, url, "credits", "ambiguous_dates.csv", "--date-order", "dmy"
    )
    assert code == 0
    with opened(url, clock) as services:
        (lot,) = services.credits.lots(MemberId(gym.ben))
        assert lot.expires_on.isoformat() == "2027-04-03"

    code, _out, err = desk_import(
        capsys, url, "credits", "ambiguous_dates.csv", "--date-order", "ymd"
    )
    assert code == 2
    assert "invalid choice" in err


def test_create_missing_members_and_types(capsys, gym_url, clock):
    url, _gym = gym_url
    code, out, _ = desk_import(
        capsys, url, "credits", "new_people_credits.csv",
        "--create-missing-members", "--create-missing-types",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[-1].startswith(
        "Imported 3 rows (2 new members; new types: Reformer Pilates); 0 were already imported."
    )
    with opened(url, clock) as services:
        assert services.members.resolve("WL-2").full_name == "Hiro Sato"


def test_a_missing_file_or_an_empty_one(capsys, gym_url, tmp_path):
    url, _gym = gym_url
    code, _out, err = run(
        capsys, "import", "credits", str(tmp_path / "nope.csv"), "--database", url
    )
    assert code == 1
    assert err.startswith("desk: error: Can't read ")

    header_only = tmp_path / "header_only.csv"
    header_only.write_text("Email,Service,Credits\n")
    code, out, _ = run(capsys, "import", "credits", str(header_only), "--database", url)
    assert code == 0
    assert out.splitlines()[-1] == "The file has no rows to import."
