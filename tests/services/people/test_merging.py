"""Merging a duplicate member record into the one that stays."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from desk.db import Database
from desk.models import AccountEntry, Appointment, AuditEvent, CreditLot, Member
from desk.services.container import Services
from desk.services.core.errors import InvalidState, ValidationError
from desk.services.core.ids import MemberId
from desk.services.records.audit_text import describe
from tests.actors import SYSTEM
from tests.services.credits.credit_checks import assert_balances_add_up, row_counts
from tests.services.factories import (
    GYM_TZ,
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
)


def _count(database: Database, model: type, member_id: int) -> int:
    with database.read() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(model).where(model.member_id == member_id)
            )
            or 0
        )  # type: ignore[attr-defined]


def test_a_merge_moves_everything_and_the_old_email_finds_the_survivor(
    services: Services, database: Database
) -> None:
    pt = make_type(services, "PT")
    coach = make_staff(services)
    keep = make_member(services, "Ann", "Lee", email="ann@new.example")
    dup = make_member(services, "Ann", "Lee", email="ann.lee@old.example", external_id="OLD-7")
    give_credits(services, dup, pt, 3, expires_on=date(2026, 6, 1))
    give_credits(services, keep, pt, 1)
    book(services, dup, pt, coach, at_local(2026, 3, 10, 9))
    services.account.record_payment(MemberId(dup.id), 2_000, actor=SYSTEM)
    preview = services.merges.preview_merge(MemberId(dup.id), MemberId(keep.id))
    assert (preview.credit_lots, preview.open_credits, preview.appointments) == (1, 2, 1)
    assert (preview.account_entries, preview.external_id) == (1, "OLD-7")
    assert preview.audit_events >= 3
    done = services.merges.merge(
        MemberId(dup.id), into_member_id=MemberId(keep.id), reason="imported twice", actor=SYSTEM
    ).value
    assert done == preview
    for model in (CreditLot, Appointment, AccountEntry):
        assert _count(database, model, dup.id) == 0, model
    assert _count(database, CreditLot, keep.id) == 2
    # Only the merge itself stays on the old record (it says where it went).
    with database.read() as session:
        left = session.scalars(select(AuditEvent.action).where(AuditEvent.member_id == dup.id))
        assert list(left) == ["member.merge"]
        old = session.get(Member, dup.id)
        assert old is not None
        assert (old.status, old.merged_into_id, old.external_id) == ("archived", keep.id, None)
    assert services.members.get(MemberId(keep.id)).external_id == "OLD-7"
    assert [m.id for m in services.members.search("ann.lee@old")] == [keep.id]
    assert [m.id for m in services.members.search("ann lee")] == [keep.id]
    assert services.account.balance(MemberId(keep.id)) == 2_000
    assert_balances_add_up(services, keep)


def test_merging_into_themselves_twice_or_into_an_archived_member_is_refused(
    services: Services, database: Database
) -> None:
    ann, bob, cy = (make_member(services, n) for n in ("Ann", "Bob", "Cy"))
    merge = services.merges.merge
    with pytest.raises(ValidationError, match="themselves"):
        merge(MemberId(ann.id), into_member_id=MemberId(ann.id), reason="x", actor=SYSTEM)
    with pytest.raises(ValidationError, match="reason"):
        merge(MemberId(ann.id), into_member_id=MemberId(bob.id), reason="", actor=SYSTEM)
    services.members.archive(MemberId(cy.id), actor=SYSTEM)
    before = row_counts(database)
    with pytest.raises(InvalidState, match="archived"):
        merge(MemberId(ann.id), into_member_id=MemberId(cy.id), reason="x", actor=SYSTEM)
    assert row_counts(database) == before
    merge(MemberId(ann.id), into_member_id=MemberId(bob.id), reason="dup", actor=SYSTEM)
    with pytest.raises(InvalidState, match="already merged"):
        merge(MemberId(ann.id), into_member_id=MemberId(bob.id), reason="x", actor=SYSTEM)
    with pytest.raises(InvalidState, match="already merged"):
        services.merges.preview_merge(MemberId(bob.id), MemberId(ann.id))


def test_a_merged_away_member_can_no_longer_be_booked(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    ann, bob = make_member(services, "Ann"), make_member(services, "Bob")
    give_credits(services, ann, pt, 1)
    services.merges.merge(
        MemberId(ann.id), into_member_id=MemberId(bob.id), reason="dup", actor=SYSTEM
    )
    with pytest.raises(ValidationError, match="archived"):
        book(services, ann, pt, coach, at_local(2026, 3, 10, 9))
    assert book(services, bob, pt, coach, at_local(2026, 3, 10, 9)).member_id == bob.id


def test_the_audit_log_says_what_was_merged_transferred_and_moved(services: Services) -> None:
    pt = make_type(services, "PT")
    ann, bob = make_member(services, "Ann", "Lee"), make_member(services, "Bob", "Lee")
    lot = give_credits(services, ann, pt, 3, expires_on=date(2026, 6, 1))
    services.lot_changes.change_expiry(lot.id, expires_on=date(2026, 7, 1), actor=SYSTEM)
    services.lot_changes.transfer(
        lot.id, to_member_id=MemberId(bob.id), quantity=1, reason="gift", actor=SYSTEM
    )
    services.merges.merge(
        MemberId(ann.id), into_member_id=MemberId(bob.id), reason="dup", actor=SYSTEM
    )
    events = services.audit.events()
    names = services.audit.names(events)
    texts = {describe(e, names, GYM_TZ) for e in events}
    assert "Merged Ann Lee into Bob Lee" in texts
    assert any(t.startswith(f"Moved the expiry of lot {lot.id} of ") for t in texts), texts
    assert any(t.startswith(f"Transferred 1 credit from lot {lot.id} to lot ") for t in texts)
