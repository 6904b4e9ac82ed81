"""The credit ledger: adding, spending, giving back, adjusting and expiring credits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from desk.db import Database
from desk.models import AuditEvent, CreditEntry, CreditLot
from desk.services.container import Services
from desk.services.core.errors import InsufficientCredits, InvalidState, NotFound, ValidationError
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId
from desk.services.core.read_models import (
    AppointmentStatus,
    BalanceRow,
    HistoryKind,
    LotSource,
    MemberView,
)
from tests.actors import SYSTEM, as_staff
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

TODAY = date(2026, 3, 4)


def row_counts(database: Database) -> tuple[int, int, int]:
    """(lots, entries, audit events) in the file."""
    with database.read() as session:
        return (
            session.scalar(select(func.count(CreditLot.id))) or 0,
            session.scalar(select(func.count(CreditEntry.id))) or 0,
            session.scalar(select(func.count(AuditEvent.id))) or 0,
        )


def balance(services: Services, member: MemberView, type_id: int) -> BalanceRow:
    rows = [
        r
        for r in services.credits.balances(MemberId(member.id))
        if r.appointment_type_id == type_id
    ]
    assert len(rows) == 1
    return rows[0]


def assert_balances_add_up(services: Services, member: MemberView) -> None:
    for row in services.credits.balances(MemberId(member.id)):
        assert row.open + row.booked + row.used + row.expired == row.granted + row.adjusted, row


def remaining(services: Services, member: MemberView) -> dict[int, int]:
    lots = services.credits.lots(MemberId(member.id), include_expired=True)
    return {lot.id: lot.remaining for lot in lots}


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


# --- booking draws from lots ------------------------------------------------------------------


def test_the_lot_that_expires_first_pays(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = make_member(services)
    forever = give_credits(services, member, pt, 1)
    late = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 31))
    soon = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 20))
    paid_by = [
        book(services, member, pt, coach, at_local(2026, 3, 10 + i, 9)).lot_id for i in range(3)
    ]
    assert paid_by == [soon.id, late.id, forever.id]
    with pytest.raises(InsufficientCredits):
        book(services, member, pt, coach, at_local(2026, 3, 14, 9))


def test_a_lot_must_still_be_valid_on_the_appointment_date(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = make_member(services)
    short = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 10))
    # On its last day the short lot still pays...
    first = book(services, member, pt, coach, at_local(2026, 3, 10, 18))
    assert first.lot_id == short.id
    services.booking.cancel(AppointmentId(first.id), actor=SYSTEM)
    # ...but not for an appointment after it.
    with pytest.raises(InsufficientCredits, match="2026-03-11"):
        book(services, member, pt, coach, at_local(2026, 3, 11, 9))
    longer = give_credits(services, member, pt, 1)
    assert book(services, member, pt, coach, at_local(2026, 3, 11, 9)).lot_id == longer.id
    assert remaining(services, member) == {short.id: 1, longer.id: 0}


def test_the_appointment_date_is_the_gyms_local_date(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = make_member(services)
    give_credits(services, member, pt, 1, expires_on=date(2026, 3, 10))
    # 22:00 in New York on the 10th is already the 11th in UTC; the lot still pays.
    appointment = book(services, member, pt, coach, at_local(2026, 3, 10, 22))
    assert appointment.starts_at.astimezone(UTC).date() == date(2026, 3, 11)
    assert appointment.lot_id is not None


def test_an_expired_lot_cannot_be_booked(services: Services, clock) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 2, expires_on=date(2026, 3, 10))
    clock.current = datetime(2026, 3, 12, 15, tzinfo=clock.current.tzinfo)
    assert open_credits(services, member, pt) == 0
    with pytest.raises(InsufficientCredits):
        book(services, member, pt, coach, at_local(2026, 3, 13, 9))
    # Not even for a day in the past when the lot was still valid.
    with pytest.raises(InsufficientCredits):
        book(services, member, pt, coach, at_local(2026, 3, 9, 9))
    assert services.booking.for_member(MemberId(member.id)) == []


# --- cancel, late cancel, check-in, no-show ---------------------------------------------------


def test_cancel_in_time_returns_the_credit_to_the_lot_that_paid(services: Services) -> None:
    pt = make_type(services, late_cancel_hours=24)
    coach = make_staff(services)
    member = make_member(services)
    forever = give_credits(services, member, pt, 1)
    soon = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 20))
    appointment = book(services, member, pt, coach, at_local(2026, 3, 9, 9))
    assert appointment.lot_id == soon.id
    assert remaining(services, member) == {forever.id: 1, soon.id: 0}

    outcome = services.booking.cancel(AppointmentId(appointment.id), actor=SYSTEM)
    assert outcome.value.late is False
    assert outcome.value.credit_returned is True
    assert outcome.value.appointment.status == AppointmentStatus.CANCELLED
    assert remaining(services, member) == {forever.id: 1, soon.id: 1}
    assert open_credits(services, member, pt) == 2
    row = balance(services, member, pt.id)
    assert (row.open, row.booked, row.used) == (2, 0, 0)


def test_late_cancel_forfeits_the_credit(services: Services) -> None:
    pt = make_type(services, late_cancel_hours=24)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 2)
    # Tomorrow 09:00 is 23 hours away: inside the 24-hour window.
    appointment = book(services, member, pt, coach, at_local(2026, 3, 5, 9))
    assert services.booking.is_late_cancel(AppointmentId(appointment.id))
    outcome = services.booking.cancel(AppointmentId(appointment.id), reason="sick", actor=SYSTEM)
    assert outcome.value.late is True
    assert outcome.value.credit_returned is False
    assert outcome.value.appointment.status == AppointmentStatus.LATE_CANCELLED
    assert open_credits(services, member, pt) == 1
    row = balance(services, member, pt.id)
    assert (row.open, row.booked, row.used) == (1, 0, 1)
    # The slot is free again for someone else.
    other = member_with_credits(services, pt, 1, first_name="Bob")
    book(services, other, pt, coach, at_local(2026, 3, 5, 9))


def test_late_cancel_window_boundary(services: Services, clock) -> None:
    pt = make_type(services, late_cancel_hours=2)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 2)
    # 10:00 now; 12:01 is just outside a 2-hour window, 12:00 just inside.
    outside = book(services, member, pt, coach, at_local(2026, 3, 4, 12, 1))
    inside = book(
        services, member, pt, coach, at_local(2026, 3, 4, 12, 0), at_local(2026, 3, 4, 12, 1)
    )
    assert not services.booking.cancel(AppointmentId(outside.id), actor=SYSTEM).value.late
    assert services.booking.cancel(AppointmentId(inside.id), actor=SYSTEM).value.late
    assert open_credits(services, member, pt) == 1


def test_late_cancel_override_needs_a_reason_and_returns_the_credit(
    services: Services, database: Database
) -> None:
    pt = make_type(services, late_cancel_hours=24)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 1)
    appointment = book(services, member, pt, coach, at_local(2026, 3, 4, 17))
    before = row_counts(database)
    with pytest.raises(ValidationError) as error:
        services.booking.cancel(
            AppointmentId(appointment.id), return_credit=True, reason="  ", actor=SYSTEM
        )
    assert error.value.field == "reason"
    assert row_counts(database) == before
    assert services.booking.get(AppointmentId(appointment.id)).status == AppointmentStatus.BOOKED

    outcome = services.booking.cancel(
        AppointmentId(appointment.id),
        return_credit=True,
        reason="Gym closed for a storm",
        actor=SYSTEM,
    )
    assert outcome.value.late is True
    assert outcome.value.credit_returned is True
    assert outcome.value.appointment.status == AppointmentStatus.CANCELLED
    assert open_credits(services, member, pt) == 1
    [event] = services.audit.events(member_id=member.id, action="appointment.cancel")
    assert event.after is not None
    assert event.after["reason"] == "Gym closed for a storm"
    assert event.after["credit_returned"] is True


def test_check_in_marks_attended_and_uses_the_credit(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 2)
    appointment = book(services, member, pt, coach, at_local(2026, 3, 4, 11))
    row = balance(services, member, pt.id)
    assert (row.open, row.booked, row.used) == (1, 1, 0)
    checked = services.booking.check_in(AppointmentId(appointment.id), actor=SYSTEM).value
    assert checked.status == AppointmentStatus.ATTENDED
    row = balance(services, member, pt.id)
    assert (row.open, row.booked, row.used) == (1, 0, 1)
    with pytest.raises(InvalidState, match="attended"):
        services.booking.cancel(AppointmentId(appointment.id), actor=SYSTEM)
    with pytest.raises(InvalidState):
        services.booking.check_in(AppointmentId(appointment.id), actor=SYSTEM)


def test_no_show_is_refused_before_the_start_and_forfeits_after(services: Services, clock) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 2)
    appointment = book(services, member, pt, coach, at_local(2026, 3, 4, 11))
    with pytest.raises(InvalidState, match="before it starts"):
        services.booking.no_show(AppointmentId(appointment.id), actor=SYSTEM)
    assert services.booking.get(AppointmentId(appointment.id)).status == AppointmentStatus.BOOKED
    clock.current = at_local(2026, 3, 4, 11, 5)
    marked = services.booking.no_show(AppointmentId(appointment.id), actor=SYSTEM).value
    assert marked.status == AppointmentStatus.NO_SHOW
    row = balance(services, member, pt.id)
    assert (row.open, row.booked, row.used) == (1, 0, 1)
    assert open_credits(services, member, pt) == 1
    with pytest.raises(InvalidState):
        services.booking.no_show(AppointmentId(appointment.id), actor=SYSTEM)


def test_cancelling_twice_is_refused(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 1)
    appointment = book(services, member, pt, coach, at_local(2026, 3, 20, 9))
    services.booking.cancel(AppointmentId(appointment.id), actor=SYSTEM)
    with pytest.raises(InvalidState, match="already cancelled"):
        services.booking.cancel(AppointmentId(appointment.id), actor=SYSTEM)
    with pytest.raises(InvalidState):
        services.booking.check_in(AppointmentId(appointment.id), actor=SYSTEM)
    # The credit came back once, not twice.
    assert open_credits(services, member, pt) == 1
    with pytest.raises(NotFound):
        services.booking.cancel(AppointmentId(999), actor=SYSTEM)


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
