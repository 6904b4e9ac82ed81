"""The credit ledger: balances, history, lots and reconciliation after every kind of movement."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from desk.db import Database
from desk.services.container import Services
from desk.services.core.errors import NotFound
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId
from desk.services.core.read_models import HistoryKind, LotSource, MemberView
from tests.actors import SYSTEM
from tests.services.credits.credit_checks import assert_balances_add_up
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
)

# --- balances, history, lots, reconciliation --------------------------------------------------


@pytest.fixture
def story(services: Services, clock) -> tuple[Services, MemberView, dict[str, int]]:
    """A member whose credits have been through every kind of movement."""
    pt = make_type(services, "Personal training", late_cancel_hours=24)
    massage = make_type(services, "Massage", duration_minutes=30, late_cancel_hours=12)
    coach = make_staff(services, "Kim")
    member = make_member(services)
    step = iter(range(1, 100))

    def tick() -> None:
        clock.current = at_local(2026, 3, 1, 0) + timedelta(hours=next(step))

    tick()
    pack = give_credits(services, member, pt, 5, expires_on=date(2026, 3, 3), price_cents=40_000)
    tick()
    forever = give_credits(services, member, pt, 2, source=LotSource.MIGRATION)
    tick()
    give_credits(services, member, massage, 1)
    tick()
    attended = book(services, member, pt, coach, at_local(2026, 3, 2, 9))
    tick()
    cancelled = book(services, member, pt, coach, at_local(2026, 3, 2, 14))
    tick()
    late = book(services, member, pt, coach, at_local(2026, 3, 2, 6))
    tick()
    no_show = book(services, member, massage, coach, at_local(2026, 3, 1, 20))
    tick()
    services.booking.cancel(AppointmentId(cancelled.id), actor=SYSTEM)
    tick()
    services.booking.cancel(AppointmentId(late.id), actor=SYSTEM)
    tick()
    services.credits.adjust(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(pt.id),
        delta=-1,
        reason="sold by mistake",
        actor=SYSTEM,
    )
    clock.current = at_local(2026, 3, 2, 10)
    services.booking.check_in(AppointmentId(attended.id), actor=SYSTEM)
    services.booking.no_show(AppointmentId(no_show.id), actor=SYSTEM)
    clock.current = at_local(2026, 3, 5, 9)
    services.credits.expire_due(actor=SYSTEM)
    clock.current = at_local(2026, 3, 5, 10)
    upcoming = book(services, member, pt, coach, at_local(2026, 3, 9, 9))
    ids = {
        "pt": pt.id,
        "massage": massage.id,
        "pack": pack.id,
        "forever": forever.id,
        "attended": attended.id,
        "cancelled": cancelled.id,
        "late": late.id,
        "no_show": no_show.id,
        "upcoming": upcoming.id,
    }
    return services, member, ids


def test_balances_add_up_after_every_kind_of_movement(story) -> None:
    services, member, _ids = story
    assert_balances_add_up(services, member)
    rows = services.credits.balances(MemberId(member.id))
    assert [r.appointment_type for r in rows] == ["Massage", "Personal training"]
    massage, pt = rows
    assert (massage.granted, massage.adjusted, massage.open) == (1, 0, 0)
    assert (massage.booked, massage.used, massage.expired) == (0, 1, 0)
    # 7 granted, 1 removed; 1 attended + 1 late cancel used; the pack's 2 left expired;
    # the migrated lot paid for the upcoming appointment.
    assert (pt.granted, pt.adjusted) == (7, -1)
    assert (pt.open, pt.booked, pt.used, pt.expired) == (1, 1, 2, 2)


def test_history_is_newest_first_with_kinds_and_credit_effects(story) -> None:
    services, member, ids = story
    history = services.credits.history(MemberId(member.id))
    assert [h.at for h in history] == sorted((h.at for h in history), reverse=True)
    kinds = [(h.kind, h.credit_effect, h.appointment_id) for h in history]
    assert kinds == [
        (HistoryKind.BOOKED, -1, ids["upcoming"]),
        (HistoryKind.EXPIRED, -2, None),
        (HistoryKind.NO_SHOW, 0, ids["no_show"]),
        (HistoryKind.ATTENDED, 0, ids["attended"]),
        (HistoryKind.ADJUSTED, -1, None),
        (HistoryKind.LATE_CANCELLED, 0, ids["late"]),
        (HistoryKind.CANCELLED, 1, ids["cancelled"]),
        (HistoryKind.BOOKED, -1, ids["no_show"]),
        (HistoryKind.BOOKED, -1, ids["late"]),
        (HistoryKind.BOOKED, -1, ids["cancelled"]),
        (HistoryKind.BOOKED, -1, ids["attended"]),
        (HistoryKind.SOLD, 1, None),
        (HistoryKind.SOLD, 2, None),
        (HistoryKind.SOLD, 5, None),
    ]
    sold_pack = history[-1]
    assert sold_pack.lot_id == ids["pack"]
    assert sold_pack.appointment_type == "Personal training"
    assert sold_pack.detail.lower().startswith("package")
    attended = next(h for h in history if h.kind == HistoryKind.ATTENDED)
    assert attended.staff == "Kim"
    assert attended.appointment_at == at_local(2026, 3, 2, 9)
    adjusted = next(h for h in history if h.kind == HistoryKind.ADJUSTED)
    assert adjusted.detail == "sold by mistake"
    assert {HistoryKind(k).label for k, _e, _a in kinds} >= {"Sold", "Late cancelled", "No show"}


def test_lots_hide_used_up_and_expired_lots_unless_asked(story) -> None:
    services, member, ids = story
    # The pack expired; the migrated lot paid for the upcoming appointment and has one left.
    [current] = services.credits.lots(MemberId(member.id))
    assert (current.id, current.remaining) == (ids["forever"], 1)
    every = services.credits.lots(MemberId(member.id), include_expired=True)
    assert [lot.id for lot in every] == sorted((lot.id for lot in every), reverse=True)
    by_id = {lot.id: lot for lot in every}
    assert by_id[ids["pack"]].is_expired
    assert by_id[ids["pack"]].remaining == 0
    assert not by_id[ids["forever"]].is_expired
    massage_lot = next(lot for lot in every if lot.appointment_type == "Massage")
    assert massage_lot.is_used_up
    assert not massage_lot.is_expired
    services.booking.cancel(AppointmentId(ids["upcoming"]), actor=SYSTEM)
    [current] = services.credits.lots(MemberId(member.id))
    assert current.remaining == 2
    with pytest.raises(NotFound):
        services.credits.lots(MemberId(999))
    with pytest.raises(NotFound):
        services.credits.balances(MemberId(999))
    with pytest.raises(NotFound):
        services.credits.history(MemberId(999))


def test_verify_ledger_finds_a_corrupted_cache(story, database: Database) -> None:
    services, _member, ids = story
    assert services.credits.verify_ledger() == []
    with database.write() as session:
        session.execute(
            text("UPDATE credit_lots SET remaining = remaining + 1 WHERE id = :id"),
            {"id": ids["forever"]},
        )
    problems = services.credits.verify_ledger()
    assert len(problems) == 1
    assert f"lot {ids['forever']}" in problems[0]


def test_verify_ledger_finds_an_appointment_without_a_debit(story, database: Database) -> None:
    services, _member, ids = story
    with database.write() as session:
        session.execute(
            text("DELETE FROM credit_entries WHERE appointment_id = :id AND kind = 'book'"),
            {"id": ids["upcoming"]},
        )
    problems = services.credits.verify_ledger()
    assert any(f"appointment {ids['upcoming']}" in p for p in problems)
    assert any(f"lot {ids['forever']}" in p for p in problems)
