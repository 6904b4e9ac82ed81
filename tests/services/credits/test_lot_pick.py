"""Staff picking the lot that pays (issue 18, item 1): book and book_series with
``lot_id``, the refusals naming the lot, the audit row, and the paying order read."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desk.models import AuditEvent
from desk.services.calendar.recurrence import Repeat
from desk.services.container import Services
from desk.services.core.errors import ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentView
from desk.services.records.audit_text import AuditNames, describe
from tests.actors import SYSTEM
from tests.services.credits.credit_checks import remaining
from tests.services.factories import (
    GYM_TZ,
    at_local,
    give_credits,
    make_member,
    make_staff,
    make_type,
)


def _book(services: Services, member, kind, coach, starts, lot_id) -> AppointmentView:
    return services.booking.book(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(kind.id),
        staff_id=StaffId(coach.id),
        starts_at=starts,
        lot_id=lot_id,
        actor=SYSTEM,
    ).value


def test_a_picked_lot_pays_instead_of_the_first_to_expire(services: Services) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    soon = give_credits(services, member, pt, 2, expires_on=date(2026, 3, 20), note="Soon")
    later = give_credits(services, member, pt, 2, note="Comp")
    picked = _book(services, member, pt, coach, at_local(2026, 3, 10, 9), later.id)
    usual = _book(services, member, pt, coach, at_local(2026, 3, 11, 9), None)
    assert (picked.lot_id, usual.lot_id) == (later.id, soon.id)
    assert remaining(services, member) == {soon.id: 1, later.id: 1}


@pytest.mark.parametrize(
    ("case", "why"),
    [
        ("used up", "has no credit left"),
        ("expired by then", "expires before Friday 20 March 2026"),
        ("another member's", "belongs to another member"),
        ("another type", "doesn't hold"),
        ("voided", "was voided"),
    ],
)
def test_a_pick_that_cannot_pay_is_refused_naming_the_lot(
    services: Services, case: str, why: str
) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    give_credits(services, member, pt, 3)  # the member could pay by the usual order
    owner, kind = member, pt
    if case == "another member's":
        owner = make_member(services, "Bea")
    if case == "another type":
        kind = make_type(services, "Massage")
    expires = date(2026, 3, 15) if case == "expired by then" else None
    lot = give_credits(services, owner, kind, 1, expires_on=expires, note="Spring pack")
    if case == "used up":
        _book(services, member, pt, coach, at_local(2026, 3, 9, 9), lot.id)
    if case == "voided":
        services.sales.void_lot(lot.id, reason="sold in error", actor=SYSTEM)
    with pytest.raises(ValidationError, match=f"lot #{lot.id} \\(Spring pack\\).*{why}") as caught:
        _book(services, member, pt, coach, at_local(2026, 3, 20, 9), lot.id)
    assert caught.value.field == "lot"


def test_an_unknown_lot_is_refused(services: Services) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    give_credits(services, member, pt, 1)
    with pytest.raises(ValidationError, match="There is no lot #999"):
        _book(services, member, pt, coach, at_local(2026, 3, 10, 9), 999)


def test_the_audit_row_names_the_picked_lot_only_when_it_is_not_the_usual_one(
    services: Services, database
) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    soon = give_credits(services, member, pt, 2, expires_on=date(2026, 3, 20))
    later = give_credits(services, member, pt, 2)
    other = _book(services, member, pt, coach, at_local(2026, 3, 10, 9), later.id)
    same = _book(services, member, pt, coach, at_local(2026, 3, 11, 9), soon.id)
    with database.read() as session:
        after = dict(
            session.execute(
                select(AuditEvent.entity_id, AuditEvent.after).where(
                    AuditEvent.action == "appointment.book"
                )
            ).all()
        )
    assert after[other.id]["picked_lot_id"] == str(later.id)
    assert after[other.id]["usual_lot_id"] == str(soon.id)
    assert "picked_lot_id" not in after[same.id]
    events = services.audit.events(member_id=MemberId(member.id))
    sentences = [describe(e, AuditNames(), GYM_TZ) for e in events]
    assert any(f"paid by lot {later.id} (picked; lot {soon.id} was next)" in s for s in sentences)


def test_a_series_uses_the_picked_lot_while_it_lasts_then_the_usual_order(
    services: Services,
) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    soon = give_credits(services, member, pt, 5, expires_on=date(2026, 6, 1))
    picked = give_credits(services, member, pt, 2)
    kwargs = {
        "member_id": MemberId(member.id),
        "appointment_type_id": AppointmentTypeId(pt.id),
        "staff_id": StaffId(coach.id),
        "starts_at": at_local(2026, 3, 10, 9),
        "repeat": Repeat(count=4),
        "lot_id": picked.id,
    }
    plan = services.booking.plan_series(**kwargs)  # type: ignore[arg-type]
    assert [p.lot_id for p in plan] == [picked.id, picked.id, soon.id, soon.id]
    result = services.booking.book_series(**kwargs, actor=SYSTEM).value  # type: ignore[arg-type]
    assert [a.lot_id for a in result.booked] == [picked.id, picked.id, soon.id, soon.id]


def test_a_series_refuses_a_pick_that_cannot_pay_for_its_first_session(
    services: Services,
) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    give_credits(services, member, pt, 5)
    gone = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 5))
    with pytest.raises(ValidationError, match=f"lot #{gone.id}"):
        services.booking.book_series(
            member_id=MemberId(member.id),
            appointment_type_id=AppointmentTypeId(pt.id),
            staff_id=StaffId(coach.id),
            starts_at=at_local(2026, 3, 10, 9),
            repeat=Repeat(count=2),
            lot_id=gone.id,
            actor=SYSTEM,
        )


def test_the_paying_order_is_the_order_bookings_take_the_lots_in(services: Services) -> None:
    pt, coach, member = make_type(services), make_staff(services), make_member(services)
    never = give_credits(services, member, pt, 1, note="Comp")
    late = give_credits(services, member, pt, 1, expires_on=date(2026, 4, 1))
    soon = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 20))
    order = services.credits.paying_order(MemberId(member.id))
    assert [lot.lot_id for lot in order] == [soon.id, late.id, never.id]
    assert order[2].note == "Comp"
    paid = [
        _book(services, member, pt, coach, at_local(2026, 3, 10 + i, 9), None).lot_id
        for i in range(3)
    ]
    assert paid == [lot.lot_id for lot in order]
    assert services.credits.paying_order(MemberId(member.id)) == []
