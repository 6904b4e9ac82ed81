"""Changing a lot after its grant: its expiry (one lot, or many at once) and transfers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desk.db import Database
from desk.models import AuditEvent, CreditEntry, CreditLot
from desk.services.container import Services
from desk.services.core.errors import InsufficientCredits, InvalidState, ValidationError
from desk.services.core.ids import MemberId
from desk.services.credits.lot_changes import ExpiryFilter, ExpiryShift
from desk.services.credits.lot_value import value_of_credits
from tests.actors import SYSTEM
from tests.services.credits.credit_checks import assert_balances_add_up, row_counts
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
)

# --- one lot's expiry -------------------------------------------------------------------------


def test_extending_one_lot_moves_its_date_and_audits_the_old_one(services: Services) -> None:
    pt = make_type(services, "Personal training")
    member = make_member(services)
    lot = give_credits(services, member, pt, 3, expires_on=date(2026, 3, 31))
    change = services.lot_changes.change_expiry(
        lot.id, expires_on=date(2026, 4, 30), actor=SYSTEM
    ).value
    assert (change.old_expires_on, change.new_expires_on) == (date(2026, 3, 31), date(2026, 4, 30))
    assert services.credits.lots(MemberId(member.id))[0].expires_on == date(2026, 4, 30)
    event = services.audit.events(member_id=member.id, action="credits.expiry")[0]
    assert event.before == {"expires_on": "2026-03-31"}
    assert event.after == {"expires_on": "2026-04-30", "reason": ""}


def test_shortening_without_a_reason_is_refused_and_with_one_goes_through(
    services: Services, database: Database
) -> None:
    pt = make_type(services)
    lot = give_credits(services, make_member(services), pt, 2, expires_on=date(2026, 6, 30))
    before = row_counts(database)
    with pytest.raises(ValidationError, match="reason"):
        services.lot_changes.change_expiry(lot.id, expires_on=date(2026, 4, 1), actor=SYSTEM)
    assert row_counts(database) == before
    services.lot_changes.change_expiry(
        lot.id, expires_on=date(2026, 4, 1), reason="sold with the wrong term", actor=SYSTEM
    )
    with database.read() as session:
        assert session.get(CreditLot, lot.id).expires_on == date(2026, 4, 1)  # type: ignore[union-attr]


def test_a_date_in_the_past_and_an_expired_lot_are_refused(services: Services) -> None:
    pt = make_type(services)
    member = make_member(services)
    lot = give_credits(services, member, pt, 2, expires_on=date(2026, 3, 10))
    with pytest.raises(ValidationError, match="already past"):
        services.lot_changes.change_expiry(
            lot.id, expires_on=date(2026, 3, 1), reason="x", actor=SYSTEM
        )
    services.credits.expire_due(date(2026, 3, 11), actor=SYSTEM)
    with pytest.raises(InvalidState, match="no open credits"):
        services.lot_changes.change_expiry(lot.id, expires_on=date(2026, 5, 1), actor=SYSTEM)


# --- many lots at once ----------------------------------------------------------------------


def _three_lots(services: Services) -> tuple[int, int, list[int]]:
    pt, yoga = make_type(services, "PT"), make_type(services, "Yoga")
    ann, bob = make_member(services, "Ann"), make_member(services, "Bob")
    lots = [
        give_credits(services, ann, pt, 2, expires_on=date(2026, 3, 20)).id,
        give_credits(services, bob, pt, 1, expires_on=date(2026, 3, 25)).id,
        give_credits(services, bob, yoga, 4, expires_on=date(2026, 3, 22)).id,
        give_credits(services, ann, pt, 1, expires_on=date(2026, 5, 1)).id,  # outside the range
    ]
    return pt.id, yoga.id, lots


def test_the_preview_lists_what_the_bulk_change_then_changes(
    services: Services, database: Database
) -> None:
    pt, _yoga, lots = _three_lots(services)
    which = ExpiryFilter(date(2026, 3, 15), date(2026, 3, 31), appointment_type_id=pt)
    shift = ExpiryShift(days=14)
    preview = services.lot_changes.preview_expiry_change(which, shift)
    assert [(r.lot_id, r.old_expires_on, r.new_expires_on) for r in preview] == [
        (lots[0], date(2026, 3, 20), date(2026, 4, 3)),
        (lots[1], date(2026, 3, 25), date(2026, 4, 8)),
    ]
    done = services.lot_changes.change_expiries(
        which, shift, reason="closed two weeks", actor=SYSTEM
    ).value
    assert done == preview
    with database.read() as session:
        dates = dict(session.execute(select(CreditLot.id, CreditLot.expires_on)).tuples().all())
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "credits.expiry").order_by(AuditEvent.id)
        ).all()
    assert [dates[i] for i in lots] == [
        date(2026, 4, 3),
        date(2026, 4, 8),
        date(2026, 3, 22),
        date(2026, 5, 1),
    ]
    assert [(e.entity_id, e.before, e.after) for e in events] == [
        (
            lots[0],
            {"expires_on": "2026-03-20"},
            {"expires_on": "2026-04-03", "reason": "closed two weeks"},
        ),
        (
            lots[1],
            {"expires_on": "2026-03-25"},
            {"expires_on": "2026-04-08", "reason": "closed two weeks"},
        ),
    ]


def test_a_bulk_change_to_a_date_covers_every_type(services: Services) -> None:
    _pt, _yoga, lots = _three_lots(services)
    which = ExpiryFilter(date(2026, 3, 15), date(2026, 3, 31))
    done = services.lot_changes.change_expiries(
        which, ExpiryShift(to=date(2026, 4, 15)), actor=SYSTEM
    ).value
    assert sorted(r.lot_id for r in done) == sorted(lots[:3])
    assert {r.new_expires_on for r in done} == {date(2026, 4, 15)}


def test_a_bulk_shortening_needs_a_reason_and_changes_nothing_without(
    services: Services, database: Database
) -> None:
    _three_lots(services)
    before = row_counts(database)
    which = ExpiryFilter(date(2026, 3, 15), date(2026, 3, 31))
    with pytest.raises(ValidationError, match="reason"):
        services.lot_changes.change_expiries(which, ExpiryShift(days=-3), actor=SYSTEM)
    with pytest.raises(ValidationError, match="already past"):
        services.lot_changes.change_expiries(which, ExpiryShift(days=-30), reason="x", actor=SYSTEM)
    with pytest.raises(ValidationError, match="either"):
        services.lot_changes.preview_expiry_change(which, ExpiryShift())
    assert row_counts(database) == before


# --- transfers ------------------------------------------------------------------------------


def test_a_transfer_closes_credits_on_the_old_lot_and_opens_a_linked_lot_with_their_value(
    services: Services, database: Database
) -> None:
    pt = make_type(services, "PT")
    ann, bob = make_member(services, "Ann"), make_member(services, "Bob")
    lot = give_credits(services, ann, pt, 3, expires_on=date(2026, 6, 1), price_cents=10_000)
    result = services.lot_changes.transfer(
        lot.id,
        to_member_id=MemberId(bob.id),
        quantity=2,
        reason="gift to her husband",
        actor=SYSTEM,
    ).value
    # 10,000 over 3 credits: 3,333 each, and the cent left over rides on the last
    # credit to go, which stays: 6,666 moves, 3,334 stays, nothing is lost.
    assert result.price_cents == 6_666
    assert value_of_credits(10_000, 3, 1) + result.price_cents == 10_000
    with database.read() as session:
        new = session.get(CreditLot, result.to_lot_id)
        assert new is not None
        assert (new.member_id, new.remaining, new.expires_on, new.transferred_from_lot_id) == (
            bob.id,
            2,
            date(2026, 6, 1),
            lot.id,
        )
        entries = (
            session.execute(
                select(CreditEntry.lot_id, CreditEntry.kind, CreditEntry.delta).order_by(
                    CreditEntry.id
                )
            )
            .tuples()
            .all()
        )
    assert entries[-2:] == [(lot.id, "adjust", -2), (result.to_lot_id, "adjust", 2)]
    assert services.credits.lots(MemberId(ann.id))[0].remaining == 1
    assert_balances_add_up(services, ann)
    assert_balances_add_up(services, bob)


def test_a_transfer_refuses_more_than_open_the_owner_and_no_reason(
    services: Services, database: Database
) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    ann, bob = make_member(services, "Ann"), make_member(services, "Bob")
    lot = give_credits(services, ann, pt, 2)
    book(services, ann, pt, coach, at_local(2026, 3, 10, 9))
    before = row_counts(database)
    transfer = services.lot_changes.transfer
    with pytest.raises(InsufficientCredits, match="only 1 open"):
        transfer(lot.id, to_member_id=MemberId(bob.id), quantity=2, reason="x", actor=SYSTEM)
    with pytest.raises(ValidationError, match="already belong"):
        transfer(lot.id, to_member_id=MemberId(ann.id), quantity=1, reason="x", actor=SYSTEM)
    with pytest.raises(ValidationError, match="reason"):
        transfer(lot.id, to_member_id=MemberId(bob.id), quantity=1, reason=" ", actor=SYSTEM)
    with pytest.raises(ValidationError, match="at least one"):
        transfer(lot.id, to_member_id=MemberId(bob.id), quantity=0, reason="x", actor=SYSTEM)
    assert row_counts(database) == before
