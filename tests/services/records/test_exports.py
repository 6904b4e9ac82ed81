"""Everything back out: CSV exports, and credits that import back to the same balances."""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from desk.db import open_database
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.errors import ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import LotSource
from desk.services.credits.lot_value import value_of_credits
from desk.services.importing.report import ImportOptions
from desk.services.records.demo import DemoGenerator
from tests.actors import SYSTEM
from tests.services.factories import at_local, give_credits, make_member, make_staff, make_type

MEMBER_HEADER = [
    "Desk ID", "External ID", "First Name", "Last Name", "Email", "Phone", "Status", "Notes",
    "Member Since",
]  # fmt: skip
CREDIT_HEADER = [
    "Desk ID", "External ID", "Name", "Email", "Appointment Type", "Remaining", "Expires",
    "Value", "Unit Price", "Source",
]  # fmt: skip
APPOINTMENT_HEADER = [
    "Appointment ID", "Desk ID", "External ID", "Name", "Email", "Appointment Type", "Staff",
    "Starts", "Ends", "Status", "Paid By Lot", "Credit Value", "Credit Expires", "Notes",
]  # fmt: skip


def read_export(path: Path) -> list[list[str]]:
    """The rows of an exported file, checking it is UTF-8 with a byte-order mark."""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".desk-export-"))


@pytest.fixture
def small_gym(services: Services):
    massage = make_type(services, "Sports Massage", default_price_cents=90_00)
    pt = make_type(services, "Personal Training 60")
    zoe = make_member(
        services, "Zoë", "Müller", email="zoe@example.com", phone="(555) 201-3344",
        notes="Knee injury\nno jumping", external_id="MB-77",
    )  # fmt: skip
    ben = make_member(services, "Ben", "Okafor")
    give_credits(services, zoe, massage, 5, expires_on=date(2026, 12, 31), price_cents=450_00)
    give_credits(services, zoe, pt, 2, source=LotSource.MANUAL)
    used_up = give_credits(services, ben, massage, 1)
    coach = make_staff(services, "Kim Alvarez")
    services.booking.book(
        member_id=MemberId(ben.id),
        appointment_type_id=AppointmentTypeId(massage.id),
        staff_id=StaffId(coach.id),
        starts_at=at_local(2026, 3, 10, 9),
        notes="bring a towel",
        actor=SYSTEM,
    )
    return zoe, ben, massage, pt, used_up


def test_members_export(services, small_gym, tmp_path):
    zoe, ben, *_ = small_gym
    services.members.archive(MemberId(ben.id), actor=SYSTEM)
    target = tmp_path / "members.csv"

    assert services.exports.members(target) == 2

    header, *rows = read_export(target)
    assert header == MEMBER_HEADER
    assert rows == [
        [
            str(zoe.id), "MB-77", "Zoë", "Müller", "zoe@example.com", "(555) 201-3344",
            "active", "Knee injury\nno jumping", "2026-03-04",
        ],
        # A member without an id from another system gets Desk's, so every row names one.
        [str(ben.id), f"desk-{ben.id}", "Ben", "Okafor", "", "", "archived", "", "2026-03-04"],
    ]  # fmt: skip
    assert leftovers(tmp_path) == []


def test_credits_export_has_one_row_per_open_lot(services, small_gym, tmp_path):
    zoe, *_ = small_gym
    target = tmp_path / "credits.csv"

    assert services.exports.credits(target) == 2

    header, *rows = read_export(target)
    assert header == CREDIT_HEADER
    # Ben's only credit is booked: no open lot, no row.
    assert rows == [
        [
            str(zoe.id), "MB-77", "Zoë Müller", "zoe@example.com", "Sports Massage", "5",
            "2026-12-31", "450.00", "90.00", "package",
        ],
        [
            str(zoe.id), "MB-77", "Zoë Müller", "zoe@example.com", "Personal Training 60", "2",
            "", "0.00", "0.00", "manual",
        ],
    ]  # fmt: skip


def test_credits_export_leaves_out_expired_lots(services, small_gym, tmp_path, clock):
    _zoe, _ben, massage, _pt, _ = small_gym
    later = FixedClock(clock.current.replace(year=2027), clock.zone)
    Services.build(services.db, later).exports.credits(tmp_path / "credits.csv")
    _header, *rows = read_export(tmp_path / "credits.csv")
    assert [row[4] for row in rows] == ["Personal Training 60"]
    assert massage.name == "Sports Massage"


def test_appointments_export(services, small_gym, tmp_path):
    _zoe, ben, massage, _pt, used_up = small_gym
    target = tmp_path / "appointments.csv"

    assert services.exports.appointments(target) == 1

    header, *rows = read_export(target)
    assert header == APPOINTMENT_HEADER
    (row,) = rows
    # The credit the booking holds travels with it: its value and its expiry.
    assert row[1:] == [
        str(ben.id), f"desk-{ben.id}", "Ben Okafor", "", "Sports Massage", "Kim Alvarez",
        "2026-03-10T09:00-04:00", "2026-03-10T10:00-04:00", "booked", str(used_up.id),
        "0.00", "", "bring a towel",
    ]  # fmt: skip
    assert massage.duration_minutes == 60


def test_exports_of_an_empty_database_have_just_the_header(services, tmp_path):
    for name, write, header in (
        ("m.csv", services.exports.members, MEMBER_HEADER),
        ("c.csv", services.exports.credits, CREDIT_HEADER),
        ("a.csv", services.exports.appointments, APPOINTMENT_HEADER),
    ):
        assert write(tmp_path / name) == 0
        assert read_export(tmp_path / name) == [header]


def test_export_into_a_missing_folder_is_refused_and_leaves_nothing(services, small_gym, tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "credits.csv"
    for write in (
        services.exports.members,
        services.exports.credits,
        services.exports.appointments,
    ):
        with pytest.raises(ValidationError, match="doesn't exist") as caught:
            write(target)
        assert caught.value.field == "file"
    assert not (tmp_path / "no").exists()
    assert leftovers(tmp_path) == []


def test_export_onto_a_folder_is_refused(services, tmp_path):
    with pytest.raises(ValidationError, match="is a folder"):
        services.exports.members(tmp_path)
    assert leftovers(tmp_path) == []


def test_a_failed_export_keeps_the_old_file_and_leaves_no_temporary_file(
    services, small_gym, tmp_path, monkeypatch
):
    target = tmp_path / "credits.csv"
    target.write_text("last week's export")

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(ValidationError, match="No space left on device"):
        services.exports.credits(target)

    assert target.read_text() == "last week's export"
    assert leftovers(tmp_path) == []


def test_an_export_replaces_an_older_file(services, small_gym, tmp_path):
    target = tmp_path / "members.csv"
    target.write_text("old")
    services.exports.members(target)
    assert read_export(target)[0] == MEMBER_HEADER
    assert leftovers(tmp_path) == []


# --- round trips -------------------------------------------------------------------------


def member_key(services: Services, member_id: int) -> str:
    member = services.members.get(MemberId(member_id))
    return member.external_id or f"desk-{member.id}"


def open_balances(services: Services) -> dict[tuple[str, str], int]:
    """(member's external id or desk-<id>, type) -> open credits, for every member."""
    result: dict[tuple[str, str], int] = {}
    for match in services.members.summaries(range(1, services.members.count() + 1000)):
        for row in services.credits.balances(MemberId(match.id)):
            if row.open:
                result[(member_key(services, match.id), row.appointment_type)] = row.open
    return result


def open_lots(services: Services) -> Counter[tuple[str, str, int, date | None, int]]:
    lots: Counter[tuple[str, str, int, date | None, int]] = Counter()
    for match in services.members.summaries(range(1, services.members.count() + 1000)):
        for lot in services.credits.lots(MemberId(match.id)):
            if lot.remaining:
                key = member_key(services, match.id)
                value = value_of_credits(lot.price_cents, lot.quantity, lot.remaining)
                lots[(key, lot.appointment_type, lot.remaining, lot.expires_on, value)] += 1
    return lots


@pytest.fixture
def demo(services: Services) -> Services:
    summary = DemoGenerator(services.db, services.clock).generate(members=150, seed=7)
    assert summary.members == 150
    return services


@pytest.fixture
def empty(tmp_path: Path, clock: FixedClock):
    db = open_database(f"sqlite:///{tmp_path / 'moved-to.sqlite3'}")
    yield Services.build(db, clock)
    db.dispose()


def test_credits_export_imports_into_an_empty_desk_to_the_same_balances(demo, empty, tmp_path):
    exported = tmp_path / "credits.csv"
    rows = demo.exports.credits(exported)
    before = open_balances(demo)
    assert rows > 100  # the demo gym has plenty of open lots
    assert len({member for member, _type in before}) > 50

    report = empty.imports.import_credits(
        exported,
        ImportOptions(create_missing_members=True, create_missing_types=True),
        actor=SYSTEM,
    ).value

    assert report.errors == []
    assert (report.rows, report.to_import, report.written) == (rows, rows, True)
    assert open_balances(empty) == before
    assert open_lots(empty) == open_lots(demo)
    assert empty.credits.verify_ledger() == []
    # The move is idempotent too: the same file again changes nothing.
    again = empty.imports.import_credits(
        exported,
        ImportOptions(create_missing_members=True, create_missing_types=True),
        actor=SYSTEM,
    ).value
    assert (again.to_import, again.already_imported) == (0, rows)
    # And the new Desk exports the same credits (only its own ids and the source differ).
    empty.exports.credits(tmp_path / "again.csv")

    def comparable(path: Path) -> list[list[str]]:
        return sorted([row[1:9] for row in read_export(path)[1:]])

    assert comparable(tmp_path / "again.csv") == comparable(exported)
    assert {row[9] for row in read_export(tmp_path / "again.csv")[1:]} == {"migration"}


def test_members_then_credits_exports_import_into_an_empty_desk(demo, empty, tmp_path):
    demo.exports.members(tmp_path / "members.csv")
    demo.exports.credits(tmp_path / "credits.csv")

    members = empty.imports.import_members(tmp_path / "members.csv", actor=SYSTEM).value
    credits = empty.imports.import_credits(
        tmp_path / "credits.csv", ImportOptions(create_missing_types=True), actor=SYSTEM
    ).value

    assert members.errors == []
    assert members.to_import == 150
    # Every credit row finds the member the members file brought, by id: no name guessing.
    assert credits.errors == []
    assert credits.created_members == 0
    assert open_balances(empty) == open_balances(demo)
    assert empty.credits.verify_ledger() == []


# --- formula injection -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\tindented", "'\tindented"),
        ("+1 (212) 555-0100", "+1 (212) 555-0100"),  # a phone number stays as typed
        ("-12.50", "-12.50"),
        ("Ann", "Ann"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_written_as_text(cell, written):
    from desk.services.records.exports import defuse_formula

    assert defuse_formula(cell) == written
    assert defuse_formula(7) == 7


def test_a_formula_like_member_exports_guarded_and_imports_back_exactly(services, empty, tmp_path):
    make_member(
        services, "=HYPERLINK(\"http://evil\",\"x\")", "@Smith", email="ann@example.com",
        phone="+1 (212) 555-0100", notes="+cmd|' /C calc'!A0", external_id="-X1",
    )  # fmt: skip
    path = tmp_path / "members.csv"
    services.exports.members(path)
    (row,) = read_export(path)[1:]
    assert row[1:6] == [
        "'-X1", "'=HYPERLINK(\"http://evil\",\"x\")", "'@Smith", "ann@example.com",
        "+1 (212) 555-0100",
    ]  # fmt: skip
    assert row[7] == "'+cmd|' /C calc'!A0"

    report = empty.imports.import_members(path, actor=SYSTEM).value
    assert report.errors == []
    (match,) = empty.members.search("ann@example.com")
    member = empty.members.get(MemberId(match.id))
    assert (member.first_name, member.last_name, member.external_id, member.notes) == (
        "=HYPERLINK(\"http://evil\",\"x\")", "@Smith", "-X1", "+cmd|' /C calc'!A0",
    )  # fmt: skip
    assert member.phone == "+1 (212) 555-0100"


# --- progress and cancel ---------------------------------------------------------------------


def test_an_export_reports_progress_up_to_the_total(services, small_gym, tmp_path, monkeypatch):
    import desk.services.records.exports as exports

    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    seen: list[tuple[int, int]] = []
    count = services.exports.members(tmp_path / "m.csv", progress=lambda d, t: seen.append((d, t)))
    assert count == 2
    assert seen == [(1, 2), (2, 2), (2, 2)]  # each row, then done


def test_a_cancelled_export_writes_nothing_and_keeps_the_old_file(
    services, small_gym, tmp_path, monkeypatch
):
    import desk.services.records.exports as exports

    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    target = tmp_path / "appointments.csv"
    target.write_text("yesterday's export\n")
    with pytest.raises(exports.ExportCancelled, match="no file was written"):
        services.exports.appointments(target, cancelled=lambda: True)
    assert target.read_text() == "yesterday's export\n"
    assert leftovers(tmp_path) == []
