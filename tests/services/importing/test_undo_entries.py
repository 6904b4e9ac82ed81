"""An undo is reversal entries only: the original entries and their keys stay as they were."""

from __future__ import annotations

from sqlalchemy import select

from desk.db import Database
from desk.models import CreditEntry
from tests.actors import SYSTEM
from tests.services.importing.import_calls import import_credits
from tests.services.importing.import_gym import open_credits


def entries(database: Database) -> list[tuple[int, int, str, int, str | None, str]]:
    with database.read() as session:
        return [
            (e.id, e.lot_id, e.kind, e.delta, e.idempotency_key, e.reason)
            for e in session.scalars(select(CreditEntry).order_by(CreditEntry.id))
        ]


def test_undo_appends_reversals_and_leaves_the_grants_and_their_keys_alone(services, gym, database):
    report = import_credits(services, "glofox_credits.tsv")
    grants = entries(database)
    assert [kind for _, _, kind, *_ in grants] == ["grant", "grant"]
    assert all(key and key.startswith("import:credits:") for *_, key, _ in grants)

    services.imports.undo(report.batch_id, actor=SYSTEM)

    after = entries(database)
    assert after[: len(grants)] == grants  # untouched, keys included
    reversals = after[len(grants) :]
    assert [(lot, kind, delta, key) for _, lot, kind, delta, key, _ in reversals] == [
        (lot, "adjust", -delta, None) for _, lot, _, delta, _, _ in grants
    ]
    assert all(report.batch_id in reason for *_, reason in reversals)
    assert services.credits.verify_ledger() == []


def test_after_an_undo_the_file_imports_again_and_only_once(services, gym, database):
    first = import_credits(services, "glofox_credits.tsv")
    services.imports.undo(first.batch_id, actor=SYSTEM)
    original_keys = {key for *_, key, _ in entries(database) if key}

    second = import_credits(services, "glofox_credits.tsv")
    third = import_credits(services, "glofox_credits.tsv")

    assert (second.to_import, second.already_imported, second.written) == (2, 0, True)
    assert (third.to_import, third.already_imported, third.written) == (0, 2, False)
    keys = {key for *_, key, _ in entries(database) if key}
    assert original_keys < keys
    assert keys - original_keys == {f"{key}#2" for key in original_keys}
    assert open_credits(services, gym.ben, gym.types["Personal Training 60"]) == 4
    # Undone again, the file comes in a third time under the next spelling.
    services.imports.undo(second.batch_id, actor=SYSTEM)
    fourth = import_credits(services, "glofox_credits.tsv")
    assert (fourth.to_import, fourth.written) == (2, True)
    assert {key for *_, key, _ in entries(database) if key} - keys == {
        f"{key}#3" for key in original_keys
    }


def test_the_list_of_imports_says_who_what_and_how_much(services, gym):
    credits = import_credits(services, "systems/mindbody_client_pricing_options.csv")
    members = services.imports.import_members(
        b"Name,Email\nMo Dell,mo@example.com\nIda Lee,ida@example.com\n", actor=SYSTEM
    ).value

    listed = {b.id: b for b in services.imports.batches()}

    mindbody = listed[credits.batch_id]
    assert (mindbody.kind, mindbody.file_name, mindbody.rows_imported) == (
        "credits", "mindbody_client_pricing_options.csv", 2,
    )  # fmt: skip
    # Zoë's 7 worth $476 and Liam's 13 worth $650.
    assert (mindbody.members, mindbody.credits, mindbody.value_cents) == (2, 20, 1_126_00)
    assert mindbody.by == ""  # the system actor, not a staff member
    people = listed[members.batch_id]
    assert (people.kind, people.members, people.credits, people.value_cents) == ("members", 2, 0, 0)
