"""A database saved by each released schema opens, upgrades and keeps its ledger."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desk.db import current_revision, head_revision, open_database
from desk.services.container import Services
from desk.services.core.ids import MemberId
from tests.actors import SYSTEM

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("saved", sorted(DATA.glob("schema_*.sqlite3")), ids=lambda p: p.stem)
def test_saved_database_upgrades_with_a_backup_and_intact_ledger(tmp_path, saved):
    path = tmp_path / "desk.sqlite3"
    shutil.copy(saved, path)
    db = open_database(f"sqlite:///{path}")
    try:
        assert current_revision(db) == head_revision()
        backups = list((tmp_path / "backups").glob("desk-before-*.sqlite3"))
        assert len(backups) == 1
        services = Services.build(db)
        assert services.credits.verify_ledger() == []
        assert services.members.count() == 40
        member = services.members.search("a", 1)[0]
        # The search index still follows edits after the upgrade (its triggers survived).
        services.members.update(MemberId(member.id), last_name="Zyxwvut", actor=SYSTEM)
        assert [m.id for m in services.members.search("zyxwv", 5)] == [member.id]
        for m in range(1, 41):
            for row in services.credits.balances(MemberId(m)):
                assert row.open + row.booked + row.used + row.expired == row.granted + row.adjusted
    finally:
        db.dispose()
