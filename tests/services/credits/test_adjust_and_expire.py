"""The credit ledger: adjusting credits up and down, and expiring them."""

from __future__ import annotations

from datetime import date

import pytest

from desk.db import Database
from desk.services.container import Services
from desk.services.core.errors import InsufficientCredits, NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.read_models import HistoryKind, LotSource
from tests.actors import SYSTEM
from tests.services.credits.credit_checks import balance, remaining, row_counts
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
    member_with_credits,
    open_credits,
)

# --- adjust -----------------------------------------------------------------------------------


def test_a_decrease_below_the_open_credits_is_refused_and_writes_nothing(
    services: Services, database: Database
) -> None:
    pt = make_type(services, "Personal training")
    coach = make_staff(services)
    member = member_with_credits(services, pt, 3)
    book(services, member, pt, coach, at_local(2026, 3, 20, 9))
    before = row_counts(database)
    with pytest.raises(InsufficientCredits, match="only 2 open"):
        services.credits.adjust(
            member_id=MemberId(member.id),
            appointment_type_id=AppointmentTypeId(pt.id),
            delta=-3,
            reason="miscount",
            actor=SYSTEM,
        )
    assert row_counts(database) == before
    assert open_credits(services, member, pt) == 2


@pytest.mark.parametrize(
    ("delta", "reason", "field"),
    [(-1, "", "reason"), (2, "   ", "reason"), (0, "typo", "delta"), (1001, "bulk", "delta")],
)
def test_adjust_needs_a_reason_and_a_real_change(
    services: Services, database: Database, delta: int, reason: str, field: str
) -> None:
    pt = make_type(services)
    member = member_with_credits(services, pt, 3)
    before = row_counts(database)
    with pytest.raises(ValidationError) as error:
        services.credits.adjust(
            member_id=MemberId(member.id),
            appointment_type_id=AppointmentTypeId(pt.id),
            delta=delta,
            reason=reason,
            actor=SYSTEM,
        )
    assert error.value.field == field
    assert row_counts(database) == before


def test_a_decrease_takes_from_the_lots_that_expire_first(services: Services) -> None:
    pt = make_type(services)
    member = make_member(services)
    forever = give_credits(services, member, pt, 2)
    soon = give_credits(services, member, pt, 2, expires_on=date(2026, 3, 20))
    outcome = services.credits.adjust(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(pt.id),
        delta=-3,
        reason="refund of 3 sessions",
        actor=SYSTEM,
    )
    assert outcome.changes.credits == {member.id}
    assert outcome.value.open == 1
    assert outcome.value.adjusted == -3
    assert remaining(services, member) == {forever.id: 1, soon.id: 0}


def test_an_increase_without_an_open_lot_creates_a_manual_lot(services: Services) -> None:
    pt = make_type(services)
    member = make_member(services)
    outcome = services.credits.adjust(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(pt.id),
        delta=2,
        reason="comp for a cancelled class",
        actor=SYSTEM,
    )
    assert outcome.value.open == 2
    assert outcome.value.granted == 0
    assert outcome.value.adjusted == 2
    [lot] = services.credits.lots(MemberId(member.id))
    assert lot.source == LotSource.MANUAL
    assert lot.remaining == 2
    assert lot.price_cents == 0
    assert lot.expires_on is None
    assert services.credits.verify_ledger() == []


def test_an_increase_goes_on_the_open_lot_that_lasts_longest(services: Services) -> None:
    pt = make_type(services)
    member = make_member(services)
    soon = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 20))
    later = give_credits(services, member, pt, 1, expires_on=date(2026, 5, 1))
    services.credits.adjust(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(pt.id),
        delta=3,
        reason="comp",
        actor=SYSTEM,
    )
    assert remaining(services, member) == {soon.id: 1, later.id: 4}
    forever = give_credits(services, member, pt, 1)
    services.credits.adjust(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(pt.id),
        delta=1,
        reason="comp",
        actor=SYSTEM,
    )
    assert remaining(services, member) == {soon.id: 1, later.id: 4, forever.id: 2}


def test_adjust_refuses_unknown_member_or_type(services: Services) -> None:
    pt = make_type(services)
    member = make_member(services)
    with pytest.raises(NotFound):
        services.credits.adjust(
            member_id=MemberId(999),
            appointment_type_id=AppointmentTypeId(pt.id),
            delta=1,
            reason="x",
            actor=SYSTEM,
        )
    with pytest.raises(NotFound):
        services.credits.adjust(
            member_id=MemberId(member.id),
            appointment_type_id=AppointmentTypeId(999),
            delta=1,
            reason="x",
            actor=SYSTEM,
        )


# --- expiry -----------------------------------------------------------------------------------


def test_expire_due_writes_expire_entries_once(services: Services, clock) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = make_member(services)
    other = make_member(services, "Bob", "Jones")
    short = give_credits(services, member, pt, 3, expires_on=date(2026, 3, 5))
    long = give_credits(services, member, pt, 2, expires_on=date(2026, 3, 31))
    give_credits(services, other, pt, 1, expires_on=date(2026, 3, 4))
    book(services, member, pt, coach, at_local(2026, 3, 5, 9))

    # Nothing is due while the lots are valid (through their last day).
    clock.current = at_local(2026, 3, 5, 23, 59)
    assert services.credits.expire_due(actor=SYSTEM).value == 1
    assert services.credits.expire_due(actor=SYSTEM).value == 0

    clock.current = at_local(2026, 3, 6, 8)
    outcome = services.credits.expire_due(actor=SYSTEM)
    assert outcome.value == 1
    assert outcome.changes.credits == {member.id}
    assert services.credits.expire_due(actor=SYSTEM).value == 0
    assert services.credits.expire_due(actor=SYSTEM).changes.empty

    assert remaining(services, member) == {short.id: 0, long.id: 2}
    row = balance(services, member, pt.id)
    assert (row.granted, row.open, row.booked, row.expired) == (5, 2, 1, 2)
    expired = [
        h for h in services.credits.history(MemberId(member.id)) if h.kind == HistoryKind.EXPIRED
    ]
    assert [(h.lot_id, h.credit_effect) for h in expired] == [(short.id, -2)]
    assert services.credits.verify_ledger() == []


def test_credits_past_expiry_count_as_expired_before_expire_due_runs(
    services: Services, clock
) -> None:
    pt = make_type(services)
    member = member_with_credits(services, pt, 3, expires_on=date(2026, 3, 10))
    clock.current = at_local(2026, 3, 11, 9)
    row = balance(services, member, pt.id)
    assert (row.open, row.expired) == (0, 3)
    services.credits.expire_due(actor=SYSTEM)
    row = balance(services, member, pt.id)
    assert (row.open, row.expired) == (0, 3)
