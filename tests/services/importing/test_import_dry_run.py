"""Importing: dry runs, cancelling, progress, and what a report says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.models import ImportBatch
from desk.services.importing.report import ImportOptions, Problem
from desk.services.importing.service import ImportCancelled
from tests.actors import SYSTEM
from tests.services.importing.import_calls import csv_bytes, import_credits, import_members
from tests.services.importing.import_gym import DATA, counts

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
