"""Moving a gym in: importing members and outstanding credits from other systems' files."""

from __future__ import annotations

import time
import unicodedata
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from desk.db import Database
from desk.models import AppointmentType, CreditEntry, CreditLot, ImportBatch, Member
from desk.services.container import Services
from desk.services.core.errors import InvalidState, NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import LotSource
from desk.services.importing.report import (
    ImportOptions,
    ImportReport,
    Problem,
    Remedy,
    Severity,
)
from desk.services.importing.service import ImportCancelled
from desk.services.importing.values import parse_amount
from tests.actors import SYSTEM
from tests.services.factories import at_local, make_staff
from tests.services.importing.import_gym import DATA, Gym, counts, open_credits, seed_gym


@pytest.fixture
def gym(services: Services) -> Gym:
    return seed_gym(services)


def import_credits(services: Services, source: str | bytes, **options: object) -> ImportReport:
    data = DATA / source if isinstance(source, str) else source
    report = services.imports.import_credits(data, ImportOptions(**options), actor=SYSTEM).value
    assert services.credits.verify_ledger() == []
    return report


def import_members(services: Services, source: str | bytes, **options: object) -> ImportReport:
    data = DATA / source if isinstance(source, str) else source
    report = services.imports.import_members(data, ImportOptions(**options), actor=SYSTEM).value
    assert services.credits.verify_ledger() == []
    return report


def where(report: ImportReport) -> list[tuple[int, str, str, Severity]]:
    return [(p.row, p.column, p.value, p.severity) for p in report.problems]


def lots_of(services: Services, member_id: int) -> list:
    return services.credits.lots(MemberId(member_id), include_expired=True)


def batch_of_lots(database: Database) -> set[str | None]:
    with database.read() as session:
        return set(session.scalars(select(CreditLot.import_batch)))


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


# --- reading other systems' files ------------------------------------------------------------


def test_mindbody_clients_utf8_bom_comma(services, database):
    report = import_members(services, "mindbody_clients.csv")

    assert (report.encoding, report.delimiter) == ("utf-8-sig", "comma")
    # The BOM doesn't stick to the first header: "Client ID" is still the member id.
    assert report.columns == {
        "external_id": "Client ID",
        "first_name": "First Name",
        "last_name": "Last Name",
        "email": "E-mail",
        "phone": "Mobile Phone",
    }
    assert (report.rows, report.to_import, report.already_imported) == (4, 4, 0)
    assert report.written
    assert report.problems == []
    jose = services.members.resolve("100235")
    assert (jose.first_name, jose.last_name) == ("José", "García")
    assert jose.email == "jose.garcia@example.com"
    assert jose.phone == "+1 555 201 9876"
    chloe = services.members.resolve("100236")
    assert (chloe.full_name, chloe.email, chloe.phone) == ("Chloé Dubois", None, "555.201.1122")
    assert sorted(report.member_ids) == sorted(
        services.members.resolve(i).id for i in ("100234", "100235", "100236", "100237")
    )


def test_pushpress_cp1252_semicolons_quoted_newline_us_dates_and_dollars(services, gym):
    report = import_credits(services, "pushpress_credits_cp1252.csv")

    assert (report.encoding, report.delimiter) == ("cp1252", "semicolon")
    assert report.columns == {
        "name": "Client Name",
        "email": "Email Address",
        "appointment_type": "Pricing Option",
        "quantity": "Sessions Remaining",
        "expires_on": "Expiration Date",
        "price": "Amount Paid",
        "note": "Notes",
    }
    assert (report.rows, report.to_import, report.problems) == (3, 3, [])
    zoe = {lot.appointment_type: lot for lot in lots_of(services, gym.zoe)}
    pt = zoe["Personal Training 60"]
    assert (pt.quantity, pt.remaining, pt.expires_on) == (10, 10, date(2026, 12, 31))
    assert pt.price_cents == 1_200_00
    # The note held a line break inside quotes; it arrives as one note, one newline.
    assert pt.note == "Bought at the\nspring sale"
    # "Müller, Zoë" (last name first, no email) is the same member, found by name.
    group = zoe["Small Group PT"]
    assert (group.quantity, group.expires_on, group.price_cents) == (5, None, 0)
    assert group.note == "Comp from the owner"
    (ben,) = lots_of(services, gym.ben)
    assert (ben.appointment_type, ben.quantity, ben.expires_on, ben.price_cents) == (
        "Sports Massage", 3, date(2027, 1, 15), 270_00,
    )  # fmt: skip


def test_the_same_cp1252_file_read_with_explicit_options(services, gym):
    report = import_credits(
        services, "pushpress_credits_cp1252.csv", encoding="cp1252", delimiter=";", dry_run=True
    )
    assert (report.encoding, report.delimiter, report.to_import) == ("cp1252", "semicolon", 3)


def test_a_wrong_encoding_or_delimiter_given_by_hand_is_a_clear_error(services, gym):
    with pytest.raises(ValidationError, match="can't be read as utf-8") as caught:
        import_credits(services, "pushpress_credits_cp1252.csv", encoding="utf-8")
    assert caught.value.field == "encoding"
    with pytest.raises(ValidationError, match="'no-such-codec' is not an encoding Desk knows"):
        import_credits(services, "pushpress_credits_cp1252.csv", encoding="no-such-codec")
    with pytest.raises(ValidationError, match="can't be a delimiter"):
        import_credits(services, "pushpress_credits_cp1252.csv", delimiter=";;")
    # A comma forced onto a semicolon file leaves one column nobody can map.
    with pytest.raises(ValidationError, match="still needed"):
        import_credits(services, "pushpress_credits_cp1252.csv", delimiter=",")


def test_the_header_settles_the_delimiter_whatever_the_cells_hold(services, gym):
    # Python's csv.Sniffer alone reads this as semicolon-separated: 'A1';x looks quoted.
    data = csv_bytes(
        "Notes,Email,Service,Credits",
        "'VIP';pays cash,ben.okafor@example.com,Sports Massage,2",
        "'VIP';pays cash,ben.okafor@example.com,Sports Massage,1",
    )
    report = import_credits(services, data)
    assert report.delimiter == "comma"
    assert report.problems == []
    assert open_credits(services, gym.ben, gym.types["Sports Massage"]) == 3


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (lambda text: text.encode("utf-16"), "utf-16"),  # Excel's "Unicode Text": BOM + LE
        (lambda text: b"\xfe\xff" + text.encode("utf-16-be"), "utf-16"),
        (lambda text: text.encode("utf-16-le"), "utf-16-le"),
        (lambda text: text.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_utf16_files_are_read(services, gym, encoded, encoding):
    text = (DATA / "glofox_credits.tsv").read_text(encoding="utf-8")
    report = import_credits(services, encoded(text))
    assert (report.encoding, report.delimiter) == (encoding, "tab")
    assert report.to_import == 2
    assert report.problems == []


def test_broken_utf16_is_a_clear_error_and_writes_nothing(services, gym, database):
    data = "Email\tService\tCredits\n".encode("utf-16") + b"\x00\xd8A\x00"  # lone surrogate
    with pytest.raises(ValidationError, match="looks like UTF-16 text but byte"):
        import_credits(services, data)
    assert batch_of_lots(database) == set()


def test_a_binary_file_is_refused_with_what_to_do(services, gym, database):
    workbook = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 4
    with pytest.raises(ValidationError, match=r'binary data, not text.*"CSV UTF-8"'):
        import_credits(services, workbook)
    assert batch_of_lots(database) == set()


def test_tab_separated_file_matched_by_member_id(services, gym):
    report = import_credits(services, "glofox_credits.tsv")

    assert (report.encoding, report.delimiter) == ("utf-8", "tab")
    assert report.columns["external_id"] == "Member ID"
    assert report.to_import == 2
    (ben,) = lots_of(services, gym.ben)
    assert (ben.appointment_type, ben.quantity, ben.price_cents) == (
        "Personal Training 60",
        4,
        340_00,
    )
    (liam,) = lots_of(services, gym.liam)
    assert (liam.appointment_type, liam.expires_on, liam.price_cents) == (
        "Small Group PT", date(2026, 12, 1), 280_00,
    )  # fmt: skip


def test_day_first_dates_are_settled_by_a_day_over_twelve(services, gym):
    report = import_credits(services, "teamup_credits_dmy.csv")

    assert report.problems == []
    expiries = {
        member: lots_of(services, member)[0].expires_on for member in (gym.zoe, gym.ben, gym.liam)
    }
    assert expiries == {
        gym.zoe: date(2027, 1, 31),
        gym.ben: date(2027, 2, 5),  # 05/02/2027, read day-first like the rest of the file
        gym.liam: date(2027, 5, 5),
    }


def test_date_order_given_against_the_file_reports_the_impossible_date(services, gym, database):
    before = counts(database)
    report = import_credits(services, "teamup_credits_dmy.csv", date_order="mdy")

    assert [(p.row, p.column, p.value) for p in report.errors] == [(2, "Expires", "31/01/2027")]
    assert "not a real date" in report.errors[0].message
    assert counts(database) == before


@pytest.mark.parametrize(
    ("order", "expected"), [("dmy", date(2027, 4, 3)), ("mdy", date(2027, 3, 4))]
)
def test_dates_that_read_both_ways_need_a_date_order(services, gym, database, order, expected):
    before = counts(database)
    report = import_credits(services, "ambiguous_dates.csv")
    assert where(report) == [(2, "Expires", "03/04/2027", Severity.ERROR)]
    assert "could be month/day or day/month" in report.problems[0].message
    assert report.problems[0].remedy == Remedy.DATE_ORDER  # each front end names the option
    assert counts(database) == before

    report = import_credits(services, "ambiguous_dates.csv", date_order=order)
    assert report.written
    assert lots_of(services, gym.ben)[0].expires_on == expected


@pytest.mark.parametrize("order", ["ydm", "ymd", "DMY", ""])
def test_an_unknown_date_order_is_refused(services, gym, order):
    with pytest.raises(ValidationError, match="mdy or dmy"):
        import_credits(services, "ambiguous_dates.csv", date_order=order or "x")


def test_a_file_of_past_expiries_is_checked_in_linear_time(services, gym):
    lines = ["Member ID,Service,Credits,Expires"]
    lines += [f"PP-1002,Sports Massage,1,2025-01-{1 + i % 28:02d}" for i in range(20_000)]
    started = time.perf_counter()
    report = import_credits(services, csv_bytes(*lines), dry_run=True)
    assert len(report.warnings) == 20_000
    assert report.to_import == 20_000
    # Each row once counted every problem before it: 20,000 warnings took ~28 s.
    assert time.perf_counter() - started < 10


def test_blank_lines_and_trailing_empty_columns_are_ignored(services, gym):
    report = import_credits(services, "spreadsheet_credits.csv")

    assert (report.rows, report.to_import, report.problems) == (2, 2, [])
    assert "" not in report.columns.values()
    assert [lot.quantity for lot in lots_of(services, gym.zoe)] == [2]
    assert [lot.expires_on for lot in lots_of(services, gym.ben)] == [None]


def test_row_numbers_are_file_lines_even_after_blank_lines_and_quoted_newlines(services, gym):
    data = (
        b"Email;Service;Credits;Note\r\n"
        b'zoe.muller@example.com;Sports Massage;1;"two\r\nlines"\r\n'
        b"\r\n"
        b"ben.okafor@example.com;Sports Massage;zero;\r\n"
    )
    report = import_credits(services, data)
    assert where(report) == [(5, "Credits", "zero", Severity.ERROR)]


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("$1,200.00", 1_200_00),
        ("1200", 1_200_00),
        ("85.5", 85_50),
        ("$ 70", 70_00),
        ("USD 85.00", 85_00),
        ("1.200,00 €", 1_200_00),
        ("12,50", 12_50),
        ("€0", 0),
        ("", 0),
    ],
)
def test_amounts_with_currency_signs_and_separators(text, cents):
    assert parse_amount(text) == cents


def test_a_bad_or_absurd_price_is_a_row_error_not_a_crash(services, gym, database):
    before = counts(database)
    report = import_credits(
        services,
        csv_bytes(
            "Email,Service,Credits,Price",
            "ben.okafor@example.com,Sports Massage,1,-5.00",
            "ben.okafor@example.com,Sports Massage,1,twelve",
            "ben.okafor@example.com,Sports Massage,1,$99999999999999999999999.00",
            "ben.okafor@example.com,Sports Massage,1,1" + "0" * 40,
        ),
    )
    assert [(p.row, p.column) for p in report.errors] == [(n, "Price") for n in (2, 3, 4, 5)]
    assert counts(database) == before


def test_an_absurd_number_of_credits_is_a_row_error_not_a_crash(services, gym, database):
    before = counts(database)
    report = import_credits(
        services,
        csv_bytes(
            "Email,Service,Credits",
            "ben.okafor@example.com,Sports Massage,1001",
            "ben.okafor@example.com,Sports Massage," + "9" * 5000,
            "ben.okafor@example.com,Sports Massage,2.5",
        ),
    )
    assert [(p.row, p.column) for p in report.errors] == [
        (2, "Credits"),
        (3, "Credits"),
        (4, "Credits"),
    ]
    assert "at most 1,000" in report.errors[0].message
    assert counts(database) == before


def test_an_empty_file_a_header_only_file_and_a_missing_file(services, gym, database, tmp_path):
    with pytest.raises(ValidationError, match="empty"):
        import_credits(services, b"\xef\xbb\xbf \r\n\r\n")
    with pytest.raises(ValidationError, match="Can't read"):
        import_credits(services, str(tmp_path / "nope.csv"))
    before = counts(database)
    report = import_credits(services, b"Email,Service,Credits\r\n")
    assert (report.rows, report.to_import, report.written) == (0, 0, False)
    assert counts(database) == before


# --- columns: aliases and --map ----------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ("Client", "Email", "Service", "Credits", "Expiration", "Price"),
        ("Client Name", "E-mail", "Session Type", "Remaining", "Expires", "Amount Paid"),
        ("NAME", "email_address", "Appointment Type", "Quantity", "Expiry", "price"),
        ("Member", "E-Mail", "Pricing Option", "Sessions Remaining", "Expiration Date", "Paid"),
    ],
)
def test_headers_of_other_systems_map_by_alias(services, gym, header):
    data = csv_bytes(
        ",".join(header), "Ben Okafor,ben.okafor@example.com,Sports Massage,2,2027-01-01,90"
    )
    report = import_credits(services, data)
    fields = ("name", "email", "appointment_type", "quantity", "expires_on", "price")
    assert report.columns == dict(zip(fields, header, strict=True))
    (lot,) = lots_of(services, gym.ben)
    assert (lot.quantity, lot.expires_on, lot.price_cents) == (2, date(2027, 1, 1), 90_00)


@pytest.mark.parametrize(
    "header",
    [
        ("Member ID", "Cell", "Service", "Credits"),
        ("External ID", "Phone", "Service", "Remaining"),
        ("client_id", "Mobile", "service", "qty"),
    ],
)
def test_member_id_aliases(services, gym, header):
    report = import_credits(services, csv_bytes(",".join(header), "PP-1002,,Sports Massage,2"))
    assert report.columns["external_id"] == header[0]
    assert open_credits(services, gym.ben, gym.types["Sports Massage"]) == 2


def test_unmappable_columns_are_listed_with_the_fields_still_needed(services, gym, database):
    before = counts(database)
    with pytest.raises(ValidationError) as caught:
        import_credits(services, "unmappable.csv")
    message = caught.value.message
    for column in ("'Kunde'", "'Paket'", "'Anzahl'"):
        assert column in message
    assert "still needed" in message
    for field in ("email", "name", "appointment_type", "quantity"):
        assert field in message
    assert counts(database) == before


def test_map_names_the_columns_the_aliases_miss(services, gym):
    report = import_credits(
        services,
        "unmappable.csv",
        mappings=("Kunde=name", "paket = appointment_type", "ANZAHL=quantity"),
    )
    assert report.columns == {"name": "Kunde", "appointment_type": "Paket", "quantity": "Anzahl"}
    assert open_credits(services, gym.zoe, gym.types["Sports Massage"]) == 5


def test_map_overrides_a_column_the_aliases_matched_first(services, gym):
    # "Type" is an alias of the appointment type, but in this file it only says
    # "Package"; the person points the field at "Membership" instead.
    report = import_credits(
        services, "arbox_credits.csv", mappings=("Membership=appointment_type",)
    )
    assert report.columns["appointment_type"] == "Membership"
    assert report.problems == []
    assert open_credits(services, gym.zoe, gym.types["Personal Training 60"]) == 3
    assert open_credits(services, gym.ben, gym.types["Sports Massage"]) == 1


def test_map_ignore_drops_a_column(services, gym):
    report = import_credits(
        services, "arbox_credits.csv", mappings=("Type=ignore", "Membership=appointment_type")
    )
    assert report.columns == {
        "name": "Client", "appointment_type": "Membership", "quantity": "Credits Remaining",
    }  # fmt: skip
    assert report.written


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("Kunde", "SOURCE_COLUMN=FIELD"),
        ("=name", "SOURCE_COLUMN=FIELD"),
        ("Kunde=", "SOURCE_COLUMN=FIELD"),
        ("Kunde=colour", "Unknown field 'colour'"),
        ("Kunde=phone", "Unknown field 'phone'"),  # a member field, not a credit field
        ("Kundennummer=external_id", "doesn't have: kundennummer"),
    ],
)
def test_a_bad_map_is_a_clear_error(services, gym, database, pair, message):
    before = counts(database)
    with pytest.raises(ValidationError, match=message) as caught:
        import_credits(services, "unmappable.csv", mappings=(pair,))
    assert caught.value.field == "map"
    assert counts(database) == before


def test_a_map_naming_a_missing_column_lists_the_columns_found(services, gym):
    with pytest.raises(ValidationError, match="Columns found: 'Kunde', 'Paket', 'Anzahl'"):
        import_credits(services, "unmappable.csv", mappings=("Client=name",))


# --- validation over the whole file ----------------------------------------------------------


def test_every_problem_is_reported_with_row_column_and_value_and_nothing_is_written(
    services, gym, database
):
    before = counts(database)
    report = import_credits(services, "credits_with_errors.csv")

    E, W = Severity.ERROR, Severity.WARNING  # noqa: N806
    assert where(report) == [
        (2, "Service", "Aqua Aerobics", E),
        (3, "Credits", "0", E),
        (4, "Credits", "-2", E),
        (5, "Credits", "abc", E),
        (6, "Expires", "2027-02-30", E),
        (7, "Expires", "2025-12-31", W),
        (8, "Client", "Ann Smith", E),
        (9, "E-mail", "nobody@example.com", E),
    ]
    messages = [p.message for p in report.problems]
    assert "unknown appointment type" in messages[0]
    assert "Personal Training 60, Small Group PT, Sports Massage" in messages[0]
    assert "--" not in messages[0]  # flags are the command line's to name, not the service's
    assert report.problems[0].remedy == Remedy.CREATE_TYPES
    assert "at least 1" in messages[1]
    assert "at least 1" in messages[2]
    assert "not a whole number" in messages[3]
    assert "not a real date" in messages[4]
    assert "already expired" in messages[5]
    assert "2 members are called Ann Smith" in messages[6]
    assert "no member with this email" in messages[7]
    assert report.problems[7].remedy == Remedy.CREATE_MEMBERS
    assert [p.remedy for p in report.problems[1:7]] == [None] * 6
    assert not report.ok
    assert not report.written
    assert report.batch_id is None
    assert len(report.errors) == 7
    assert len(report.warnings) == 1
    assert str(report.problems[0]) == (
        "row 2, column 'Service' ('Aqua Aerobics'): " + report.problems[0].message
    )
    assert counts(database) == before


def test_a_past_expiry_is_a_warning_and_the_credits_arrive_expired(services, gym, database):
    report = import_credits(services, "past_expiry_credits.csv")

    assert report.ok
    assert report.written
    assert where(report) == [(2, "Expires", "2025-12-31", Severity.WARNING)]
    lots = sorted(lots_of(services, gym.liam), key=lambda lot: lot.quantity)
    assert [(lot.quantity, lot.is_expired) for lot in lots] == [(2, False), (3, True)]
    assert open_credits(services, gym.liam, gym.types["Small Group PT"]) == 2


def test_a_row_without_any_member_column_filled_is_an_error(services, gym):
    report = import_credits(services, csv_bytes("Name,Email,Service,Credits", ",,Sports Massage,1"))
    assert [(p.row, p.message) for p in report.errors] == [
        (2, "the row doesn't say which member it is for")
    ]


def test_a_row_without_a_type_is_an_error(services, gym):
    report = import_credits(
        services, csv_bytes("Email,Service,Credits", "ben.okafor@example.com,  ,1")
    )
    assert where(report) == [(2, "Service", "", Severity.ERROR)]
    assert report.errors[0].message == "no appointment type"


def test_a_problem_about_a_name_names_the_name_column(services, gym):
    report = import_credits(
        services,
        csv_bytes("First Name,Last Name,Service,Credits", "Zed,Unknown,Sports Massage,1"),
    )
    ((row, column, value, _),) = where(report)
    assert (row, value) == (2, "Zed Unknown")
    assert column in ("First Name", "Last Name")


# --- finding the member --------------------------------------------------------------------


def test_member_id_wins_over_email_and_email_over_name(services, gym):
    report = import_credits(
        services,
        csv_bytes(
            "Member ID,Name,Email,Service,Credits",
            # Ben's id with Zoë's email and Liam's name: the id decides.
            "PP-1002,Liam O'Brien,zoe.muller@example.com,Sports Massage,1",
            # An Ann Smith, but the email says which one.
            ",Ann Smith,annie.s@example.com,Sports Massage,2",
            # An id nobody has: the email still finds Liam.
            "ZZ-9,,liam@example.com,Sports Massage,3",
            # Only a name, matched exactly (case and spacing aside).
            ",  zoë   MÜLLER ,,Sports Massage,4",
        ),
    )
    assert report.problems == []
    massage = gym.types["Sports Massage"]
    members = (gym.ben, gym.annie, gym.liam, gym.zoe)
    assert [open_credits(services, m, massage) for m in members] == [1, 2, 3, 4]
    assert open_credits(services, gym.ann, massage) == 0
    assert set(report.member_ids) == {gym.ben, gym.annie, gym.liam, gym.zoe}


def test_a_name_shared_by_two_members_is_an_error_even_when_creating_members(
    services, gym, database
):
    before = counts(database)
    report = import_credits(
        services,
        csv_bytes(
            "Client,Service,Credits", "Ann Smith,Sports Massage,1", "Smith, Ann,Sports Massage,1"
        ),
        create_missing_members=True,
    )
    assert report.written is False
    assert [(p.row, p.column, p.value) for p in report.errors][:1] == [(2, "Client", "Ann Smith")]
    assert counts(database) == before


def test_an_email_shared_by_two_members_is_an_error_not_a_guess(services, gym, database):
    services.members.create(
        first_name="Ben", last_name="Junior", email="Ben.Okafor@example.com", actor=SYSTEM
    )
    before = counts(database)
    report = import_credits(
        services, csv_bytes("Email,Service,Credits", "ben.okafor@example.com,Sports Massage,1")
    )
    assert where(report) == [(2, "Email", "ben.okafor@example.com", Severity.ERROR)]
    assert "2 members have this email" in report.errors[0].message
    assert counts(database) == before


def test_unknown_member_by_id_email_and_name(services, gym):
    report = import_credits(
        services,
        csv_bytes(
            "Client ID,Client,Email,Service,Credits",
            "QQ-1,,,Sports Massage,1",
            ",,who@example.com,Sports Massage,1",
            ",Who Knows,,Sports Massage,1",
        ),
    )
    assert [(p.row, p.column, p.value) for p in report.errors] == [
        (2, "Client ID", "QQ-1"),
        (3, "Email", "who@example.com"),
        (4, "Client", "Who Knows"),
    ]
    assert all("no member with this" in p.message for p in report.errors)


def test_names_typed_on_a_mac_match_decomposed_accents(services, gym):
    # macOS writes "ë" as "e" + a combining diaeresis; it is still Zoë Müller.
    name = unicodedata.normalize("NFD", "Zoë Müller")
    assert name != "Zoë Müller"
    report = import_credits(
        services, csv_bytes("Client,Service,Credits", f"{name},Sports Massage,2")
    )
    assert report.problems == []
    assert open_credits(services, gym.zoe, gym.types["Sports Massage"]) == 2


# --- creating what's missing ----------------------------------------------------------------


def test_missing_members_and_types_are_errors_without_the_options(services, gym, database):
    before = counts(database)
    report = import_credits(services, "new_people_credits.csv")
    assert [(p.row, p.column) for p in report.errors] == [
        (2, "Client ID"), (2, "Service"), (3, "Client ID"), (3, "Service"), (4, "Client ID"),
    ]  # fmt: skip
    assert counts(database) == before


def test_create_missing_members_and_types(services, gym, database):
    before = counts(database)
    report = import_credits(
        services, "new_people_credits.csv", create_missing_members=True, create_missing_types=True
    )

    assert report.written
    assert report.problems == []
    assert report.created_members == 2  # WL-1 appears twice, created once
    assert report.created_types == ["Reformer Pilates"]
    after = counts(database)
    assert after["members"] == before["members"] + 2
    assert after["types"] == before["types"] + 1
    assert after["lots"] == before["lots"] + 3
    amara = services.members.resolve("WL-1")
    assert (amara.first_name, amara.last_name, amara.email) == (
        "Amara",
        "Mensah",
        "amara@example.com",
    )
    hiro = services.members.resolve("WL-2")
    assert hiro.full_name == "Hiro Sato"
    pilates = services.appointment_types.by_name("Reformer Pilates")
    assert open_credits(services, amara.id, pilates.id) == 6
    assert open_credits(services, amara.id, gym.types["Sports Massage"]) == 1
    assert open_credits(services, hiro.id, pilates.id) == 2
    assert set(report.member_ids) == {amara.id, hiro.id}
    with services.db.read() as session:
        batch = session.scalars(select(Member.import_batch).where(Member.id == amara.id)).one()
    assert batch == report.batch_id


def test_only_missing_types_created_when_asked_for_types_only(services, gym, database):
    before = counts(database)
    report = import_credits(services, "new_people_credits.csv", create_missing_types=True)
    assert {p.column for p in report.errors} == {"Client ID"}
    assert counts(database) == before


def test_a_new_member_still_needs_a_valid_email_and_a_name(services, gym, database):
    before = counts(database)
    report = import_credits(
        services,
        csv_bytes(
            "Client ID,Client,Email,Service,Credits",
            "N-1,New Person,not an email,Sports Massage,1",
            "N-2,,,Sports Massage,1",
        ),
        create_missing_members=True,
    )
    assert [(p.row, p.column) for p in report.errors] == [(2, "Email"), (3, "Client")]
    assert counts(database) == before


def test_a_new_member_name_and_type_name_are_checked_like_typed_ones(services, gym, database):
    before = counts(database)
    report = import_credits(
        services,
        csv_bytes(
            "Client ID,Client,Service,Credits",
            "N-1,Bell\x07 Ringer,Sports Massage,1",
            "N-2," + "A" * 150 + " Long,Sports Massage,1",
            "N-3,Fine Person," + "Yoga " * 30 + ",1",
            "N" * 150 + ",Other Person,Sports Massage,1",
        ),
        create_missing_members=True,
        create_missing_types=True,
    )
    assert [(p.row, p.column) for p in report.errors] == [
        (2, "Client"), (3, "Client"), (4, "Service"), (5, "Client ID"),
    ]  # fmt: skip
    assert counts(database) == before


# --- what an imported lot is ------------------------------------------------------------------


def test_lots_are_migration_lots_with_price_or_zero_remembering_the_batch(services, gym, database):
    report = import_credits(services, "pushpress_credits_cp1252.csv")

    lots = lots_of(services, gym.zoe) + lots_of(services, gym.ben)
    assert {lot.source for lot in lots} == {LotSource.MIGRATION}
    assert sorted(lot.price_cents for lot in lots) == [0, 270_00, 1_200_00]
    assert batch_of_lots(database) == {report.batch_id}
    (batch,) = services.imports.batches()
    assert (batch.id, batch.kind, batch.file_name, batch.rows_imported, batch.status) == (
        report.batch_id, "credits", "pushpress_credits_cp1252.csv", 3, "imported",
    )  # fmt: skip
    with database.read() as session:
        grants = session.execute(
            select(CreditEntry.kind, CreditEntry.delta, CreditEntry.reason)
        ).all()
    assert sorted(grants) == [
        ("grant", n, "imported from pushpress_credits_cp1252.csv") for n in (3, 5, 10)
    ]


def test_imported_lots_take_the_currency_of_their_type(services, gym, database):
    with database.write() as session:
        kind = session.get(AppointmentType, gym.types["Sports Massage"])
        assert kind is not None
        kind.currency = "EUR"
    import_credits(
        services,
        csv_bytes("Email,Service,Credits,Price", "ben.okafor@example.com,Sports Massage,2,90"),
    )
    (lot,) = lots_of(services, gym.ben)
    assert (lot.currency, lot.price_cents) == ("EUR", 90_00)


# --- importing again ----------------------------------------------------------------------


def test_importing_the_same_file_twice_writes_nothing_the_second_time(services, gym, database):
    first = import_credits(services, "pushpress_credits_cp1252.csv")
    after_first = counts(database)

    second = import_credits(services, "pushpress_credits_cp1252.csv")

    assert (second.to_import, second.already_imported, second.rows) == (0, 3, 3)
    assert not second.written
    assert second.batch_id is None
    assert second.ok
    assert counts(database) == after_first
    assert [b.id for b in services.imports.batches()] == [first.batch_id]
    # The same rows under another name (saved again, uploaded) are still the same rows.
    again = import_credits(services, (DATA / "pushpress_credits_cp1252.csv").read_bytes())
    assert (again.to_import, again.already_imported) == (0, 3)
    assert counts(database) == after_first


def test_a_file_that_overlaps_an_earlier_one_imports_only_the_new_rows(services, gym, database):
    header = "Email,Service,Credits,Expires"
    one = "zoe.muller@example.com,Sports Massage,2,2027-01-01"
    two = "ben.okafor@example.com,Sports Massage,3,2027-01-01"
    three = "liam@example.com,Sports Massage,4,2027-01-01"
    import_credits(services, csv_bytes(header, one, two))

    report = import_credits(services, csv_bytes(header, one, two, three))

    assert (report.to_import, report.already_imported) == (1, 2)
    massage = gym.types["Sports Massage"]
    assert [open_credits(services, m, massage) for m in (gym.zoe, gym.ben, gym.liam)] == [2, 3, 4]


def test_two_identical_rows_in_one_file_are_two_lots(services, gym, database):
    row = "ben.okafor@example.com,Sports Massage,2,2027-01-01,50"
    data = csv_bytes("Email,Service,Credits,Expires,Price", row, row)

    report = import_credits(services, data)

    assert report.to_import == 2
    assert [lot.quantity for lot in lots_of(services, gym.ben)] == [2, 2]
    assert open_credits(services, gym.ben, gym.types["Sports Massage"]) == 4
    again = import_credits(services, data)
    assert (again.to_import, again.already_imported) == (0, 2)
    # A third copy of the row is a third purchase.
    third = import_credits(
        services, csv_bytes("Email,Service,Credits,Expires,Price", row, row, row)
    )
    assert (third.to_import, third.already_imported) == (1, 2)
    assert open_credits(services, gym.ben, gym.types["Sports Massage"]) == 6


# --- undo ----------------------------------------------------------------------------------


def test_undo_of_an_unused_import_takes_the_credits_back(services, gym, database):
    report = import_credits(services, "pushpress_credits_cp1252.csv")
    pt, massage = gym.types["Personal Training 60"], gym.types["Sports Massage"]
    assert open_credits(services, gym.zoe, pt) == 10

    batch = services.imports.undo(report.batch_id, actor=SYSTEM).value

    assert services.credits.verify_ledger() == []
    assert (batch.id, batch.status) == (report.batch_id, "undone")
    assert open_credits(services, gym.zoe, pt) == 0
    assert open_credits(services, gym.ben, massage) == 0
    assert [b.status for b in services.imports.batches()] == ["undone"]
    # The ledger keeps what happened: grants, then adjustments taking them back.
    assert sum(b.granted for b in services.credits.balances(MemberId(gym.zoe))) == 15
    assert sum(b.adjusted for b in services.credits.balances(MemberId(gym.zoe))) == -15
    # ... and the file can be imported again.
    again = import_credits(services, "pushpress_credits_cp1252.csv")
    assert (again.to_import, again.already_imported, again.written) == (3, 0, True)
    assert open_credits(services, gym.zoe, pt) == 10


def test_an_import_can_be_undone_imported_and_undone_again(services, gym, database):
    for _ in range(3):
        report = import_credits(services, "glofox_credits.tsv")
        assert report.written
        services.imports.undo(report.batch_id, actor=SYSTEM)
        assert services.credits.verify_ledger() == []
    assert open_credits(services, gym.ben, gym.types["Personal Training 60"]) == 0
    assert [b.status for b in services.imports.batches()] == ["undone"] * 3


def test_undo_twice_or_of_an_unknown_import_is_refused(services, gym):
    report = import_credits(services, "glofox_credits.tsv")
    services.imports.undo(report.batch_id, actor=SYSTEM)
    with pytest.raises(InvalidState, match="already undone"):
        services.imports.undo(report.batch_id, actor=SYSTEM)
    with pytest.raises(NotFound):
        services.imports.undo("no-such-batch", actor=SYSTEM)


def test_undo_is_refused_once_a_credit_was_booked(services, gym, database):
    report = import_credits(services, "glofox_credits.tsv")
    coach = make_staff(services)
    pt = gym.types["Personal Training 60"]
    services.booking.book(
        member_id=MemberId(gym.ben),
        appointment_type_id=AppointmentTypeId(pt),
        staff_id=StaffId(coach.id),
        starts_at=at_local(2026, 3, 10, 9),
        actor=SYSTEM,
    )
    before = counts(database)

    with pytest.raises(InvalidState, match="already booked"):
        services.imports.undo(report.batch_id, actor=SYSTEM)

    assert counts(database) == before
    assert open_credits(services, gym.ben, pt) == 3
    assert open_credits(services, gym.liam, gym.types["Small Group PT"]) == 8
    assert [b.status for b in services.imports.batches()] == ["imported"]
    assert services.credits.verify_ledger() == []


def test_undo_of_a_credits_import_keeps_the_members_it_created(services, gym):
    report = import_credits(
        services, "new_people_credits.csv", create_missing_members=True, create_missing_types=True
    )
    services.imports.undo(report.batch_id, actor=SYSTEM)
    assert services.members.resolve("WL-1").full_name == "Amara Mensah"
    again = import_credits(services, "new_people_credits.csv", create_missing_types=True)
    assert (again.to_import, again.created_members) == (3, 0)


# --- members files -------------------------------------------------------------------------


def test_members_import_twice_skips_every_member_the_second_time(services, database):
    import_members(services, "mindbody_clients.csv")
    before = counts(database)

    report = import_members(services, "mindbody_clients.csv")

    assert (report.to_import, report.already_imported, report.written) == (0, 4, False)
    assert counts(database) == before


def test_members_already_known_by_external_id_are_skipped(services, database):
    services.members.create(
        first_name="Jose", last_name="Garcia", external_id="100235", actor=SYSTEM
    )

    report = import_members(services, "mindbody_clients.csv")

    assert (report.to_import, report.already_imported) == (3, 1)
    assert services.members.resolve("100235").full_name == "Jose Garcia"  # left as it was
    assert counts(database)["members"] == 4


def test_members_without_ids_are_skipped_when_name_and_email_match(services, database):
    data = csv_bytes("Name,Email", "Ann Smith,ann@example.com", "Bob Stone,BOB@example.com")
    import_members(services, data)
    report = import_members(services, data)
    assert (report.to_import, report.already_imported) == (0, 2)
    assert counts(database)["members"] == 2


def test_members_with_only_a_name_and_phone_are_skipped_when_both_match(services, database):
    data = csv_bytes("Name,Phone", "Ann Smith,(555) 201-3344", "Bob Stone,555 777 1212")
    import_members(services, data)
    again = csv_bytes("Name,Phone", "Ann Smith,555-201-3344", "Bob Stone,(555) 000-0000")
    report = import_members(services, again)
    # Ann: same name and number however written; Bob: another number, so maybe another Bob.
    assert (report.to_import, report.already_imported) == (1, 1)
    assert [(p.row, p.value, p.severity) for p in report.problems] == [
        (3, "Bob Stone", Severity.WARNING)
    ]
    assert counts(database)["members"] == 3


def test_a_name_only_row_with_a_namesake_in_desk_is_a_warning_before_adding_another(
    services, database
):
    data = csv_bytes("First Name,Last Name", "Ann,Smith", "Carla,Diaz")
    first = import_members(services, data)
    assert first.problems == []  # nobody by these names yet
    services.members.create(first_name="Dee", last_name="Lee", actor=SYSTEM)

    report = import_members(services, csv_bytes("First Name,Last Name", "Ann,Smith", "Dee,Lee"))

    assert [(p.row, p.column, p.value, p.severity) for p in report.problems] == [
        (2, "Last Name", "Ann Smith", Severity.WARNING),
        (3, "Last Name", "Dee Lee", Severity.WARNING),
    ]
    assert "1 member(s) with this name already in Desk" in report.problems[0].message
    assert "importing adds another" in report.problems[0].message
    assert report.ok  # a warning: the person at the desk decides
    assert counts(database)["members"] == 5


def test_members_with_bad_contacts_or_a_repeated_id_are_reported(services, database):
    before = counts(database)
    report = import_members(services, "members_with_errors.csv")

    assert where(report) == [
        (2, "Email", "not-an-email", Severity.ERROR),
        (3, "Phone", "12ab", Severity.ERROR),
        (4, "Member ID", "A-3", Severity.ERROR),
        (5, "Member ID", "A-3", Severity.ERROR),
    ]
    assert "doesn't look like an email" in report.problems[0].message
    assert "digits" in report.problems[1].message
    assert "more than one row" in report.problems[2].message
    assert counts(database) == before


def test_a_member_id_longer_than_desk_keeps_is_reported(services, database):
    report = import_members(services, csv_bytes("Member ID,Name", "X" * 101 + ",Ann Lee"))
    assert [(p.row, p.column) for p in report.problems] == [(2, "Member ID")]
    assert "too long" in report.problems[0].message
    assert counts(database)["members"] == 0


def test_a_members_file_without_names_cant_be_mapped(services):
    with pytest.raises(ValidationError, match="member names"):
        import_members(services, csv_bytes("Email,Phone", "a@example.com,555 123 4567"))


def test_member_notes_over_several_lines_are_kept(services):
    data = b'Member ID,First Name,Last Name,Notes\r\nN-1,Ann,Lee,"Knee injury\r\nno jumping"\r\n'
    report = import_members(services, data)
    assert report.problems == []
    assert services.members.resolve("N-1").notes == "Knee injury\nno jumping"


def test_a_member_without_a_name_in_a_first_last_file_is_reported_at_a_column(services, database):
    report = import_members(services, csv_bytes("First Name,Last Name,Email", ",,x@example.com"))
    ((row, column, _value, _),) = where(report)
    assert row == 2
    assert column in ("First Name", "Last Name")


def test_members_import_undo_removes_the_members(services, database):
    before = counts(database)
    report = import_members(services, "mindbody_clients.csv")
    services.imports.undo(report.batch_id, actor=SYSTEM)
    assert counts(database)["members"] == before["members"]
    with pytest.raises(NotFound):
        services.members.resolve("100234")
    # ... and the file imports again.
    assert import_members(services, "mindbody_clients.csv").to_import == 4


def test_members_import_undo_is_refused_once_one_has_credits(services):
    report = import_members(services, "mindbody_clients.csv")
    services.appointment_types.create(name="Sports Massage", duration_minutes=60, actor=SYSTEM)
    import_credits(services, csv_bytes("Client ID,Service,Credits", "100237,Sports Massage,1"))
    with pytest.raises(InvalidState):
        services.imports.undo(report.batch_id, actor=SYSTEM)
    assert services.members.resolve("100234").full_name == "Maya Lindqvist"


# --- dry run and cancelling ------------------------------------------------------------------


def test_dry_run_writes_nothing_but_says_what_would_happen(services, gym, database):
    before = counts(database)
    report = import_credits(
        services,
        "new_people_credits.csv",
        create_missing_members=True,
        create_missing_types=True,
        dry_run=True,
    )
    assert (report.to_import, report.created_members, report.created_types) == (
        3, 2, ["Reformer Pilates"],
    )  # fmt: skip
    assert not report.written
    assert report.batch_id is None
    assert counts(database) == before

    members = import_members(services, "mindbody_clients.csv", dry_run=True)
    assert (members.to_import, members.written) == (4, False)
    assert counts(database) == before


def many_credit_rows(n: int) -> bytes:
    lines = ["Member ID,Service,Credits,Expires"]
    lines += [
        f"PP-1002,Sports Massage,{1 + i % 9},2027-{1 + i % 12:02d}-{1 + i % 28:02d}"
        for i in range(n)
    ]
    return csv_bytes(*lines)


def test_cancelling_after_the_first_chunk_writes_nothing(services, gym, database):
    before = counts(database)
    calls: list[int] = []
    progress: list[tuple[int, int]] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) == 2

    with pytest.raises(ImportCancelled, match="nothing was written"):
        services.imports.import_credits(
            many_credit_rows(6_000), progress=lambda done, total: progress.append((done, total)),
            cancelled=cancelled, actor=SYSTEM,
        )  # fmt: skip

    assert progress == [(5_000, 6_000)]  # the first chunk had gone in...
    assert counts(database) == before  # ... and was rolled back
    assert services.credits.verify_ledger() == []
    # Nothing half-done blocks a later import of the same rows.
    report = services.imports.import_credits(many_credit_rows(6_000), actor=SYSTEM).value
    assert report.to_import == 6_000


def test_cancelling_a_members_import_after_the_first_chunk_writes_nothing(services, database):
    lines = ["Member ID,First Name,Last Name"] + [f"X-{i},Person,Number {i}" for i in range(5_500)]
    calls: list[int] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) == 2

    with pytest.raises(ImportCancelled):
        services.imports.import_members(csv_bytes(*lines), cancelled=cancelled, actor=SYSTEM)
    assert len(calls) == 2
    assert counts(database) == {"members": 0, "types": 0, "lots": 0, "entries": 0, "batches": 0}


def test_cancelling_with_new_members_and_types_leaves_none_of_them(services, gym, database):
    before = counts(database)
    lines = ["Client ID,Client,Service,Credits"]
    lines += [f"NEW-{i},New Person {i},Aqua {i % 3},1" for i in range(5_200)]

    with pytest.raises(ImportCancelled):
        services.imports.import_credits(
            csv_bytes(*lines),
            ImportOptions(create_missing_members=True, create_missing_types=True),
            cancelled=iter([False, True]).__next__,
            actor=SYSTEM,
        )
    assert counts(database) == before


def test_progress_reaches_the_total(services, gym):
    seen: list[tuple[int, int]] = []
    services.imports.import_credits(
        many_credit_rows(12_000),
        progress=lambda done, total: seen.append((done, total)),
        actor=SYSTEM,
    )
    assert seen == [(5_000, 12_000), (10_000, 12_000), (12_000, 12_000)]
    assert services.credits.verify_ledger() == []


def test_an_import_says_which_members_it_changed(services, gym):
    outcome = services.imports.import_credits(DATA / "pushpress_credits_cp1252.csv", actor=SYSTEM)
    assert set(outcome.value.member_ids) == {gym.zoe, gym.ben}
    assert outcome.changes.credits == {gym.zoe, gym.ben}
    assert not outcome.changes.catalog
    created = services.imports.import_credits(
        DATA / "new_people_credits.csv",
        ImportOptions(create_missing_members=True, create_missing_types=True),
        actor=SYSTEM,
    )
    assert created.changes.catalog
    assert services.imports.import_credits(
        DATA / "glofox_credits.tsv", ImportOptions(dry_run=True), actor=SYSTEM
    ).changes.empty


def test_problem_strings_are_readable():
    problem = Problem(4, "Credits", "abc", "'abc' is not a whole number of credits")
    assert str(problem) == "row 4, column 'Credits' ('abc'): 'abc' is not a whole number of credits"
    assert str(Problem(3, "", "", "the row doesn't say which member it is for")) == (
        "row 3: the row doesn't say which member it is for"
    )


def test_batches_are_listed_newest_first_with_their_file(services, gym, clock, database):
    first = import_credits(services, "glofox_credits.tsv")
    clock.current += timedelta(minutes=5)
    second = import_credits(services, "teamup_credits_dmy.csv")

    batches = services.imports.batches()

    assert [(b.id, b.file_name, b.rows_imported) for b in batches] == [
        (second.batch_id, "teamup_credits_dmy.csv", 3),
        (first.batch_id, "glofox_credits.tsv", 2),
    ]
    with database.read() as session:
        batch = session.get(ImportBatch, first.batch_id)
        assert batch is not None
        assert len(batch.file_sha256) == 64
