"""`desk import members`, `desk import list` and `undo`, and `desk export` end to end."""

from __future__ import annotations

import csv
import io

import pytest

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM
from tests.cli.import_cli_runs import BATCH_ID, desk_import, opened, run, table_counts
from tests.services.factories import at_local, make_staff
from tests.services.importing.import_gym import open_credits

# The CLI's services see the tests' fixed day, so expiry dates don't age.
pytestmark = pytest.mark.usefixtures("frozen_clock")

# --- import members -----------------------------------------------------------------------


def test_import_members(capsys, db_url, clock):
    code, out, _ = desk_import(capsys, db_url, "members", "mindbody_clients.csv")
    assert code == 0
    assert out.splitlines()[0] == "mindbody_clients.csv: 4 rows (utf-8-sig, comma-separated)"
    assert "Imported 4 rows (4 new members); 0 were already imported." in out
    with opened(db_url, clock) as services:
        assert services.members.resolve("100235").full_name == "José García"

    code, out, _ = desk_import(capsys, db_url, "members", "mindbody_clients.csv")
    assert code == 0
    assert out.splitlines()[-1] == "Nothing to import: all 4 rows were already imported."


def test_import_members_with_errors(capsys, db_url, clock):
    code, out, _ = desk_import(capsys, db_url, "members", "members_with_errors.csv")
    assert code == 1
    assert "  error: row 2, column 'Email' ('not-an-email'): " in out
    assert "  error: row 3, column 'Phone' ('12ab'): " in out
    assert out.splitlines()[-1] == "4 error(s): nothing was imported. Fix the file and run again."
    assert table_counts(db_url, clock)["members"] == 0


def test_import_members_has_no_credit_options(capsys, db_url):
    code, _out, err = desk_import(
        capsys, db_url, "members", "mindbody_clients.csv", "--create-missing-types"
    )
    assert code == 2
    assert "unrecognized arguments" in err


# --- import list and undo -------------------------------------------------------------------


def test_import_list_and_undo(capsys, gym_url, clock):
    url, gym = gym_url
    code, out, _ = run(capsys, "import", "list", "--database", url)
    assert (code, out) == (0, "No imports yet.\n")

    _, out, _ = desk_import(capsys, url, "credits", "pushpress_credits_cp1252.csv")
    match = BATCH_ID.search(out)
    assert match is not None
    batch = match.group(1)

    code, out, _ = run(capsys, "import", "list", "--database", url)
    assert code == 0
    header, rule, row = out.splitlines()
    assert header.split() == ["Import", "id", "What", "File", "When", "Rows", "Status"]
    assert set(rule) <= {"-", " "}
    assert row.split() == [
        batch, "credits", "pushpress_credits_cp1252.csv", "2026-03-04", "10:00", "3", "imported",
    ]  # fmt: skip

    code, out, _ = run(capsys, "import", "undo", batch, "--database", url)
    assert (code, out) == (0, "Undid the import of pushpress_credits_cp1252.csv (3 rows).\n")
    with opened(url, clock) as services:
        assert open_credits(services, gym.zoe, gym.types["Personal Training 60"]) == 0
        assert services.credits.verify_ledger() == []
    _, out, _ = run(capsys, "import", "list", "--database", url)
    assert out.splitlines()[2].split()[-1] == "undone"

    code, _out, err = run(capsys, "import", "undo", batch, "--database", url)
    assert code == 1
    assert "already undone" in err
    code, _out, err = run(capsys, "import", "undo", "0000", "--database", url)
    assert code == 1
    assert err == "desk: error: There is no import '0000'.\n"


def test_undo_is_refused_after_a_credit_was_booked(capsys, gym_url, clock):
    url, gym = gym_url
    _, out, _ = desk_import(capsys, url, "credits", "glofox_credits.tsv")
    match = BATCH_ID.search(out)
    assert match is not None
    with opened(url, clock) as services:
        coach = make_staff(services)
        services.booking.book(
            member_id=MemberId(gym.liam),
            appointment_type_id=AppointmentTypeId(gym.types["Small Group PT"]),
            staff_id=StaffId(coach.id),
            starts_at=at_local(2026, 3, 12, 18),
            actor=SYSTEM,
        )

    code, _out, err = run(capsys, "import", "undo", match.group(1), "--database", url)

    assert code == 1
    assert "already booked" in err
    with opened(url, clock) as services:
        assert open_credits(services, gym.liam, gym.types["Small Group PT"]) == 7


# --- export ----------------------------------------------------------------------------------


def test_exports(capsys, gym_url, tmp_path):
    url, _gym = gym_url
    desk_import(capsys, url, "credits", "pushpress_credits_cp1252.csv")
    for what, rows in (("members", 5), ("credits", 3), ("appointments", 0)):
        target = tmp_path / f"{what}.csv"
        code, out, err = run(capsys, "export", what, str(target), "--database", url)
        assert (code, err) == (0, "")
        assert out == f"Wrote {rows:,} {what} rows to {target}.\n"
        data = target.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) == rows + 1
    assert "Zoë Müller" in (tmp_path / "credits.csv").read_text(encoding="utf-8-sig")


def test_export_credits_then_import_into_a_new_desk(capsys, gym_url, tmp_path, clock):
    url, gym = gym_url
    desk_import(capsys, url, "credits", "pushpress_credits_cp1252.csv")
    desk_import(capsys, url, "credits", "glofox_credits.tsv")
    exported = tmp_path / "credits.csv"
    assert run(capsys, "export", "credits", str(exported), "--database", url)[0] == 0
    new_url = f"sqlite:///{tmp_path / 'new-desk.sqlite3'}"

    code, out, _ = run(
        capsys, "import", "credits", str(exported), "--create-missing-members",
        "--create-missing-types", "--database", new_url, "--create",
    )  # fmt: skip

    assert code == 0
    assert "Imported 5 rows (3 new members; new types: " in out
    with opened(new_url, clock) as services:
        zoe = services.members.resolve(f"desk-{gym.zoe}")
        pt = services.appointment_types.by_name("Personal Training 60")
        assert open_credits(services, zoe.id, pt.id) == 10


def test_export_into_a_missing_folder_fails_cleanly(capsys, gym_url, tmp_path):
    url, _gym = gym_url
    target = tmp_path / "missing" / "credits.csv"
    code, out, err = run(capsys, "export", "credits", str(target), "--database", url)
    assert (code, out) == (1, "")
    assert err == f"desk: error: The folder {target.parent} doesn't exist.\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".desk-export-")]


def test_credits_and_appointments_exports_move_a_booking_with_its_credit(
    capsys, gym_url, tmp_path, clock
):
    url, gym = gym_url
    desk_import(capsys, url, "credits", "pushpress_credits_cp1252.csv")  # Zoë: 10 for $1,200
    with opened(url, clock) as services:
        coach = make_staff(services, "Kim Alvarez")
        services.booking.book(
            member_id=MemberId(gym.zoe),
            appointment_type_id=AppointmentTypeId(gym.types["Personal Training 60"]),
            staff_id=StaffId(coach.id),
            starts_at=at_local(2026, 3, 12, 18),
            actor=SYSTEM,
        )
    for what in ("credits", "appointments"):
        assert run(capsys, "export", what, str(tmp_path / f"{what}.csv"), "--database", url)[0] == 0
    new_url = f"sqlite:///{tmp_path / 'new-desk.sqlite3'}"
    staff = ("staff", "add", "Kim Alvarez", "--role", "coach", "--database", new_url, "--create")
    assert run(capsys, *staff)[0] == 0

    flags = ("--create-missing-members", "--create-missing-types", "--database", new_url)
    code, out, _ = run(capsys, "import", "credits", str(tmp_path / "credits.csv"), *flags)
    assert code == 0
    code, out, _ = run(
        capsys, "import", "appointments", str(tmp_path / "appointments.csv"), *flags,
        "--report", str(tmp_path / "report.csv"),
    )  # fmt: skip

    assert code == 0
    assert "Imported 1 rows" in out
    with opened(new_url, clock) as services:
        zoe = services.members.resolve(f"desk-{gym.zoe}")
        pt = services.appointment_types.by_name("Personal Training 60")
        assert open_credits(services, zoe.id, pt.id) == 9
        (lot,) = [
            lot
            for lot in services.credits.lots(MemberId(zoe.id), include_expired=True)
            if lot.quantity == 1
        ]
        assert (lot.remaining, lot.price_cents) == (0, 120_00)  # the booking holds it
        assert services.credits.verify_ledger() == []
    rows = list(csv.reader(io.StringIO((tmp_path / "report.csv").read_text("utf-8-sig"))))
    assert rows[1][:7] == ["2", "imported", "Zoë Müller", "Personal Training 60", "1",
                           "2026-12-31", "120.00"]  # fmt: skip
