"""Importing: reading other systems' files (encodings, delimiters, dates, amounts, empty files)."""

from __future__ import annotations

from datetime import date

import pytest

from desk.services.core.errors import ValidationError
from desk.services.importing.report import Remedy, Severity
from desk.services.importing.values import parse_amount
from tests.services.importing.import_calls import (
    batch_of_lots,
    csv_bytes,
    import_credits,
    import_members,
    lots_of,
    where,
)
from tests.services.importing.import_gym import DATA, counts, open_credits

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


def test_a_file_of_past_expiries_warns_once_per_row(services, gym):
    # How its time grows with the file (it was once quadratic) is a benchmark:
    # tests/benchmarks/test_import_warnings_speed.py.
    lines = ["Member ID,Service,Credits,Expires"]
    lines += [f"PP-1002,Sports Massage,1,2025-01-{1 + i % 28:02d}" for i in range(20_000)]
    report = import_credits(services, csv_bytes(*lines), dry_run=True)
    assert len(report.warnings) == 20_000
    assert report.to_import == 20_000


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
