"""Importing credits: what an imported lot is, importing again, and undo."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk.models import AppointmentType, CreditEntry
from desk.services.core.errors import InvalidState, NotFound
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import LotSource
from tests.actors import SYSTEM
from tests.services.factories import at_local, make_staff
from tests.services.importing.import_calls import batch_of_lots, csv_bytes, import_credits, lots_of
from tests.services.importing.import_gym import DATA, counts, open_credits

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
