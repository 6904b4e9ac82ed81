"""Importing members: skipping who is already in Desk, reporting bad rows, undo."""

from __future__ import annotations

import pytest

from desk.services.core.errors import InvalidState, NotFound, ValidationError
from desk.services.importing.report import Severity
from tests.actors import SYSTEM
from tests.services.importing.import_calls import csv_bytes, import_credits, import_members, where
from tests.services.importing.import_gym import counts

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
