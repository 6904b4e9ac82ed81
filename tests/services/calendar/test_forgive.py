"""Forgiving a late cancel or no-show afterwards: the status stays, the credit comes back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from desk.models import CreditEntry, CreditLot, StaffRole
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.errors import InvalidState, PermissionDenied, ValidationError
from desk.services.core.ids import AppointmentId, MemberId
from desk.services.core.read_models import (
    AppointmentStatus,
    AppointmentTypeView,
    AppointmentView,
    HistoryKind,
    MemberView,
    StaffView,
)
from tests.actors import SYSTEM, as_staff
from tests.services.factories import at_local, book, give_credits, make_member, make_type


@pytest.fixture
def gym(services: Services) -> tuple[AppointmentTypeView, StaffView, MemberView, int]:
    pt = make_type(services, "PT", late_cancel_hours=24)
    kim = services.staff.create(name="Kim", role=StaffRole.COACH, actor=SYSTEM).value
    ann = make_member(services)
    # Two lots: the one expiring first pays, so "back where it came from" is checked.
    paying = give_credits(services, ann, pt, 2, expires_on=at_local(2026, 4, 1, 0).date())
    give_credits(services, ann, pt, 5, expires_on=None)
    return pt, kim, ann, paying.id


def _balance(services: Services, ann: MemberView) -> tuple[int, int, int]:
    [row] = services.credits.balances(MemberId(ann.id))
    return row.open, row.booked, row.used


def _remaining(services: Services, lot_id: int) -> int:
    with services.db.read() as session:
        remaining = session.scalar(select(CreditLot.remaining).where(CreditLot.id == lot_id))
        total = session.scalar(
            select(func.sum(CreditEntry.delta)).where(CreditEntry.lot_id == lot_id)
        )
    assert remaining == total
    assert services.credits.verify_ledger() == []
    return int(remaining or 0)


def _kinds(services: Services, appointment_id: int) -> list[tuple[str, int, int]]:
    with services.db.read() as session:
        rows = session.execute(
            select(CreditEntry.kind, CreditEntry.delta, CreditEntry.lot_id)
            .where(CreditEntry.appointment_id == appointment_id)
            .order_by(CreditEntry.id)
        ).all()
    return [(kind, delta, lot) for kind, delta, lot in rows]


def _no_show(services: Services, gym: tuple, hour: int = 9) -> AppointmentView:
    pt, kim, ann, _paying = gym
    appt = book(services, ann, pt, kim, at_local(2026, 3, 4, hour))  # started an hour ago
    services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    return appt


def test_a_forgiven_no_show_stays_a_no_show_and_its_credit_goes_back_to_its_lot(
    services: Services, gym: tuple
) -> None:
    _pt, _kim, ann, paying = gym
    admin = services.staff.create(name="Ada", role=StaffRole.ADMIN, actor=SYSTEM).value.id
    appt = _no_show(services, gym)
    assert (_balance(services, ann), _remaining(services, paying)) == ((6, 0, 1), 1)
    forgiven = services.booking.forgive(
        AppointmentId(appt.id), reason="her child was ill", actor=as_staff(admin)
    )
    assert forgiven.value.status == AppointmentStatus.NO_SHOW
    assert forgiven.changes.credits == frozenset({ann.id})
    assert _balance(services, ann) == (7, 0, 0)
    assert _remaining(services, paying) == 2
    assert _kinds(services, appt.id) == [
        ("book", -1, paying), ("forfeit", 0, paying), ("release", 1, paying),
    ]  # fmt: skip
    [event] = services.audit.events(action="appointment.forgive")
    assert event.after is not None
    assert (event.after["forgiven"], event.after["reason"]) == ("no_show", "her child was ill")
    history = services.credits.history(MemberId(ann.id))
    assert history[0].kind == HistoryKind.FORGIVEN
    assert history[0].detail == "no-show forgiven: her child was ill"
    assert history[0].appointment_id == appt.id


def test_a_late_cancel_is_forgiven_later_once(services: Services, gym: tuple) -> None:
    pt, kim, ann, paying = gym
    appt = book(services, ann, pt, kim, at_local(2026, 3, 4, 20))  # within 24 h
    cancelled = services.booking.cancel(AppointmentId(appt.id), actor=SYSTEM).value
    assert cancelled.late
    assert not cancelled.credit_returned
    services.booking.forgive(AppointmentId(appt.id), reason="storm", actor=SYSTEM)
    assert services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.LATE_CANCELLED
    assert _balance(services, ann) == (7, 0, 0)
    with pytest.raises(InvalidState, match="forgiven already"):
        services.booking.forgive(AppointmentId(appt.id), reason="again", actor=SYSTEM)
    assert _remaining(services, paying) == 2


def test_forgive_is_refused_for_what_has_nothing_to_forgive(services: Services, gym: tuple) -> None:
    pt, kim, ann, paying = gym
    booked = book(services, ann, pt, kim, at_local(2026, 3, 5, 20))
    with pytest.raises(InvalidState, match="is booked"):
        services.booking.forgive(AppointmentId(booked.id), reason="x", actor=SYSTEM)
    late = book(services, ann, pt, kim, at_local(2026, 3, 4, 21))
    services.booking.cancel(AppointmentId(late.id), return_credit=True, reason="ill",
                            actor=SYSTEM)  # fmt: skip
    with pytest.raises(InvalidState, match="is cancelled"):
        services.booking.forgive(AppointmentId(late.id), reason="x", actor=SYSTEM)
    shown = _no_show(services, gym)
    with pytest.raises(ValidationError, match="Say why"):
        services.booking.forgive(AppointmentId(shown.id), reason="  ", actor=SYSTEM)
    front = services.staff.create(name="Fay", role=StaffRole.FRONT_DESK, actor=SYSTEM).value.id
    with pytest.raises(PermissionDenied):
        services.booking.forgive(AppointmentId(shown.id), reason="x", actor=as_staff(front))
    assert _kinds(services, shown.id)[-1][0] == "forfeit"
    assert _remaining(services, paying) == 0  # one booked, one no-show; the late cancel's back


def test_a_forgiven_no_show_cant_be_undone_as_well(services: Services, gym: tuple) -> None:
    _pt, _kim, ann, _paying = gym
    appt = _no_show(services, gym)
    services.booking.forgive(AppointmentId(appt.id), reason="ill", actor=SYSTEM)
    with pytest.raises(InvalidState, match="was forgiven"):
        services.booking.undo_status(AppointmentId(appt.id), reason="oops", actor=SYSTEM)
    assert _balance(services, ann) == (7, 0, 0)


def test_a_credit_forgiven_onto_an_expired_lot_expires_with_it(
    services: Services, gym: tuple, clock: FixedClock
) -> None:
    _pt, _kim, ann, paying = gym
    appt = _no_show(services, gym)
    clock.current += timedelta(days=40)  # the paying lot expired on 1 April
    services.credits.expire_due(actor=SYSTEM)
    services.booking.forgive(AppointmentId(appt.id), reason="late complaint", actor=SYSTEM)
    [row] = services.credits.balances(MemberId(ann.id))
    assert (row.open, row.used, row.expired) == (5, 0, 2)
    assert services.credits.expire_due(actor=SYSTEM).value == 1
    assert _remaining(services, paying) == 0


def test_the_unique_release_refuses_a_second_forgive_that_skipped_the_checks(
    services: Services, gym: tuple
) -> None:
    """The rule broken on purpose: a write that forgot the lock and the check still
    can't give the credit back twice (one release per appointment)."""
    from sqlalchemy.exc import IntegrityError

    from desk.services.credits import ledger

    appt = _no_show(services, gym)
    services.booking.forgive(AppointmentId(appt.id), reason="ill", actor=SYSTEM)
    with pytest.raises(IntegrityError), services.db.write() as session:
        ledger.release(session, lot_id=gym[3], appointment_id=appt.id,
                       at=at_local(2026, 3, 4, 11), actor=SYSTEM, reason="again")  # fmt: skip
    assert _remaining(services, gym[3]) == 2


def test_the_audit_log_says_it_in_words(services: Services, gym: tuple) -> None:
    from desk.services.records.audit_text import describe
    from tests.services.factories import GYM_TZ

    appt = _no_show(services, gym)
    services.booking.forgive(AppointmentId(appt.id), reason="ill", actor=SYSTEM)
    [event] = services.audit.events(action="appointment.forgive")
    text = describe(event, services.audit.names([event]), GYM_TZ)
    assert text.startswith("Forgave the no-show of Ann ")
    assert text.endswith(": credit returned")
