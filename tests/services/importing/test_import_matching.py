"""Importing credits: finding each row's member, and creating what's missing."""

from __future__ import annotations

import unicodedata

from sqlalchemy import select

from desk.models import Member
from desk.services.importing.report import Severity
from tests.actors import SYSTEM
from tests.services.importing.import_calls import csv_bytes, import_credits, where
from tests.services.importing.import_gym import counts, open_credits

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
