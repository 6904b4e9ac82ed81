"""The credit ledger: adding credits (lots, refused values, idempotency keys)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desk.db import Database
from desk.services.container import Services
from desk.services.core.errors import NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.read_models import LotSource
from tests.actors import SYSTEM, as_staff
from tests.services.credits.credit_checks import TODAY, row_counts
from tests.services.factories import give_credits, make_member, make_type, open_credits

# --- add_credits ------------------------------------------------------------------------------


def test_add_credits_creates_a_lot(services: Services, clock) -> None:
    pt = make_type(services, "Personal training", default_price_cents=9000)
    seller = services.staff.create(name="Dana", role="admin", actor=SYSTEM).value
    member = make_member(services)
    outcome = services.credits.add_credits(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(pt.id),
        quantity=10,
        expires_on=date(2026, 6, 30),
        price_cents=80_000,
        source=LotSource.PACKAGE,
        note="10-pack",
        actor=as_staff(seller.id),
    )
    lot = outcome.value
    assert outcome.changes.credits == {member.id}
    assert (lot.quantity, lot.remaining, lot.price_cents) == (10, 10, 80_000)
    assert lot.appointment_type == "Personal training"
    assert lot.source == LotSource.PACKAGE
    assert lot.expires_on == date(2026, 6, 30)
    assert lot.created_by == "Dana"
    assert lot.created_at == clock.now()
    assert not lot.is_expired
    assert open_credits(services, member, pt) == 10
    [event] = services.audit.events(member_id=member.id, action="credits.add")
    assert event.after is not None
    assert event.after["quantity"] == 10
    assert event.after["price_cents"] == 80_000
    assert event.actor == "Dana"


def test_credits_expiring_today_can_be_added_and_used_today(services: Services) -> None:
    pt = make_type(services)
    member = make_member(services)
    lot = give_credits(services, member, pt, 1, expires_on=TODAY)
    assert not lot.is_expired
    assert open_credits(services, member, pt) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": 1001}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"price_cents": -1}, "price"),
        ({"expires_on": TODAY - timedelta(days=1)}, "expires_on"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_add_credits_refuses_bad_values(
    services: Services, database: Database, changes: dict[str, object], field: str
) -> None:
    pt = make_type(services)
    member = make_member(services)
    before = row_counts(database)
    values: dict[str, object] = {
        "member_id": MemberId(member.id),
        "appointment_type_id": AppointmentTypeId(pt.id),
        "quantity": 5,
        "expires_on": None,
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.credits.add_credits(**values, actor=SYSTEM)  # type: ignore[arg-type]
    assert error.value.field == field
    assert row_counts(database) == before
    assert open_credits(services, member, pt) == 0


def test_thousand_credits_is_the_most_in_one_lot(services: Services) -> None:
    pt = make_type(services)
    member = make_member(services)
    assert give_credits(services, member, pt, 1000).remaining == 1000


def test_add_credits_refuses_an_inactive_type(services: Services, database: Database) -> None:
    pt = make_type(services, "Old class")
    member = make_member(services)
    services.appointment_types.deactivate(AppointmentTypeId(pt.id), actor=SYSTEM)
    before = row_counts(database)
    with pytest.raises(ValidationError) as error:
        give_credits(services, member, pt, 5)
    assert error.value.field == "appointment_type"
    assert "Old class" in error.value.message
    assert row_counts(database) == before


def test_add_credits_refuses_unknown_member_and_type(
    services: Services, database: Database
) -> None:
    pt = make_type(services)
    member = make_member(services)
    before = row_counts(database)
    with pytest.raises(NotFound):
        give_credits(services, 999, pt)
    with pytest.raises(NotFound):
        give_credits(services, member, 999)
    assert row_counts(database) == before


def test_replaying_an_idempotency_key_changes_nothing(
    services: Services, database: Database
) -> None:
    pt = make_type(services)
    member = make_member(services)

    def add() -> object:
        return services.credits.add_credits(
            member_id=MemberId(member.id),
            appointment_type_id=AppointmentTypeId(pt.id),
            quantity=4,
            expires_on=None,
            source=LotSource.MIGRATION,
            idempotency_key="import-2026-03:row-17",
            actor=SYSTEM,
        )

    first = add()
    after_first = row_counts(database)
    second = add()
    assert second.value == first.value  # type: ignore[attr-defined]
    assert second.changes.empty  # type: ignore[attr-defined]
    assert not first.changes.empty  # type: ignore[attr-defined]
    assert row_counts(database) == after_first
    assert len(services.credits.lots(MemberId(member.id))) == 1
    assert open_credits(services, member, pt) == 4
