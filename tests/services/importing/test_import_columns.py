"""Importing: placing the columns (aliases and --map) and checking the whole file."""

from __future__ import annotations

from datetime import date

import pytest

from desk.services.core.errors import ValidationError
from desk.services.importing.report import Remedy, RowStatus, Severity
from tests.services.importing.import_calls import csv_bytes, import_credits, lots_of, where
from tests.services.importing.import_gym import counts, open_credits

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
    # Row 3 has "0" remaining: nothing to bring over, so it is skipped and counted.
    assert where(report) == [
        (2, "Service", "Aqua Aerobics", E),
        (4, "Credits", "-2", E),
        (5, "Credits", "abc", E),
        (6, "Expires", "2027-02-30", E),
        (7, "Expires", "2025-12-31", W),
        (8, "Client", "Ann Smith", E),
        (9, "E-mail", "nobody@example.com", E),
    ]
    assert report.count(RowStatus.NOTHING_REMAINING) == 1
    messages = [p.message for p in report.problems]
    assert "unknown appointment type" in messages[0]
    assert "Personal Training 60, Small Group PT, Sports Massage" in messages[0]
    assert "--" not in messages[0]  # flags are the command line's to name, not the service's
    assert report.problems[0].remedy == Remedy.CREATE_TYPES
    assert "at least 1" in messages[1]
    assert "not a whole number" in messages[2]
    assert "not a real date" in messages[3]
    assert "already expired" in messages[4]
    assert "2 members are called Ann Smith" in messages[5]
    assert "no member with this email" in messages[6]
    assert report.problems[6].remedy == Remedy.CREATE_MEMBERS
    assert [p.remedy for p in report.problems[1:6]] == [None] * 5
    assert not report.ok
    assert not report.written
    assert report.batch_id is None
    assert len(report.errors) == 6
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
