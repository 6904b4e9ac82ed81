"""Undoing a check-in, no-show or late cancel: booked again, the ledger says why."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from desk.models import CreditEntry, CreditLot, StaffRole
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.errors import (
    Conflict,
    InvalidState,
    PermissionDenied,
    ValidationError,
)
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


@dataclass
class Desk:
    services: Services
    clock: FixedClock
    pt: AppointmentTypeView
    kim: StaffView
    ann: MemberView
    owner: int
    admin: int
    front: int
    paying_lot: int


@pytest.fixture
def desk(services: Services, clock: FixedClock) -> Desk:
    pt = make_type(services, "PT", late_cancel_hours=24)
    kim = services.staff.create(name="Kim", role=StaffRole.COACH, actor=SYSTEM).value
    ids = {
        role: services.staff.create(name=role.value, role=role, actor=SYSTEM).value.id
        for role in (StaffRole.OWNER, StaffRole.ADMIN, StaffRole.FRONT_DESK)
    }
    ann = make_member(services)
    # Two lots: the one expiring first pays, so "back where it came from" is checked.
    paying = give_credits(services, ann, pt, 2, expires_on=at_local(2026, 4, 1, 0).date())
    give_credits(services, ann, pt, 5, expires_on=None)
    return Desk(
        services, clock, pt, kim, ann, ids[StaffRole.OWNER], ids[StaffRole.ADMIN],
        ids[StaffRole.FRONT_DESK], paying.id,
    )  # fmt: skip


def _balance(desk: Desk) -> tuple[int, int, int]:
    [row] = desk.services.credits.balances(MemberId(desk.ann.id))
    return row.open, row.booked, row.used


def _lot_agrees(desk: Desk, lot_id: int) -> int:
    with desk.services.db.read() as session:
        remaining = session.scalar(select(CreditLot.remaining).where(CreditLot.id == lot_id))
        total = session.scalar(
            select(func.sum(CreditEntry.delta)).where(CreditEntry.lot_id == lot_id)
        )
    assert remaining == total
    assert desk.services.credits.verify_ledger() == []
    assert remaining is not None
    return remaining


def _entries(desk: Desk, appointment_id: int) -> list[tuple[str, int, int, int | None]]:
    with desk.services.db.read() as session:
        rows = session.execute(
            select(CreditEntry.kind, CreditEntry.delta, CreditEntry.lot_id, CreditEntry.reverses_id)
            .where(CreditEntry.appointment_id == appointment_id)
            .order_by(CreditEntry.id)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _booked(desk: Desk, hour: int, day: int = 4) -> AppointmentView:
    return book(desk.services, desk.ann, desk.pt, desk.kim, at_local(2026, 3, day, hour))


def _undo(desk: Desk, appt: AppointmentView, who: int | None = None, reason: str = "wrong"):
    return desk.services.booking.undo_status(
        AppointmentId(appt.id), reason=reason, actor=as_staff(who or desk.owner)
    )


def test_undo_a_no_show_puts_the_credit_back_on_the_booking(desk: Desk) -> None:
    appt = _booked(desk, 9)  # started an hour ago
    assert appt.lot_id == desk.paying_lot
    desk.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    remaining = _lot_agrees(desk, desk.paying_lot)
    assert _balance(desk) == (6, 0, 1)
    undone = _undo(desk, appt, desk.admin, "she was in the back room").value
    assert undone.status == AppointmentStatus.BOOKED
    assert _balance(desk) == (6, 1, 0)
    assert _lot_agrees(desk, desk.paying_lot) == remaining == 1
    [book_, forfeit, reverse] = _entries(desk, appt.id)
    assert book_[:3] == ("book", -1, desk.paying_lot)
    assert forfeit[:3] == ("forfeit", 0, desk.paying_lot)
    assert reverse[:3] == ("reverse", 0, desk.paying_lot)
    with desk.services.db.read() as session:
        forfeit_id = session.scalar(
            select(CreditEntry.id).where(
                CreditEntry.appointment_id == appt.id, CreditEntry.kind == "forfeit"
            )
        )
    assert reverse[3] == forfeit_id
    [event] = desk.services.audit.events(action="appointment.undo_status")
    assert event.after is not None
    assert event.after["undone"] == "no_show"
    assert event.after["reason"] == "she was in the back room"
    history = desk.services.credits.history(MemberId(desk.ann.id))
    assert [h.kind for h in history[:2]] == [HistoryKind.UNDONE, HistoryKind.NO_SHOW]
    assert history[0].detail == "no-show undone: she was in the back room"
    # Booked again, it can be checked in (the member was there after all)...
    desk.services.booking.check_in(AppointmentId(appt.id), actor=SYSTEM)
    assert _balance(desk) == (6, 0, 1)


def test_a_no_show_undone_can_be_a_no_show_again(desk: Desk) -> None:
    appt = _booked(desk, 9)
    for _ in range(2):
        desk.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
        _undo(desk, appt)
    desk.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    kinds = [kind for kind, *_ in _entries(desk, appt.id)]
    assert kinds == ["book", "forfeit", "reverse", "forfeit", "reverse", "forfeit"]
    assert _balance(desk) == (6, 0, 1)
    assert _lot_agrees(desk, desk.paying_lot) == 1


def test_undo_a_check_in_keeps_the_credit_reserved(desk: Desk) -> None:
    appt = _booked(desk, 10, day=4)
    desk.services.booking.check_in(AppointmentId(appt.id), actor=SYSTEM)
    before = _lot_agrees(desk, desk.paying_lot)
    assert _balance(desk) == (6, 0, 1)
    undone = _undo(desk, appt, reason="checked in the wrong Ann").value
    assert undone.status == AppointmentStatus.BOOKED
    assert _balance(desk) == (6, 1, 0)
    assert _lot_agrees(desk, desk.paying_lot) == before
    assert _entries(desk, appt.id)[-1] == ("reverse", 0, desk.paying_lot, None)
    history = desk.services.credits.history(MemberId(desk.ann.id))
    assert history[0].kind == HistoryKind.UNDONE
    assert history[0].detail == "check-in undone: checked in the wrong Ann"
    assert HistoryKind.ATTENDED not in [h.kind for h in history]


def test_undo_a_late_cancel_rebooks_while_the_slot_is_free(desk: Desk) -> None:
    appt = _booked(desk, 14)  # four hours ahead: inside the 24 h window
    cancel = desk.services.booking.cancel(AppointmentId(appt.id), actor=SYSTEM).value
    assert cancel.late
    assert not cancel.credit_returned
    assert _balance(desk) == (6, 0, 1)
    undone = _undo(desk, appt, reason="she called before the window").value
    assert undone.status == AppointmentStatus.BOOKED
    assert _balance(desk) == (6, 1, 0)
    assert _lot_agrees(desk, desk.paying_lot) == 1
    assert [k for k, *_ in _entries(desk, appt.id)] == ["book", "forfeit", "reverse"]
    # Booked again: the late cancel can be redone, or the credit returned with a reason.
    back = desk.services.booking.cancel(
        AppointmentId(appt.id), return_credit=True, reason="our mistake", actor=SYSTEM
    ).value
    assert back.credit_returned
    assert _balance(desk) == (7, 0, 0)
    assert _lot_agrees(desk, desk.paying_lot) == 2


def test_undo_a_late_cancel_is_refused_once_the_slot_is_taken(desk: Desk) -> None:
    appt = _booked(desk, 14)
    desk.services.booking.cancel(AppointmentId(appt.id), actor=SYSTEM)
    bob = make_member(desk.services, "Bob", "Jones")
    give_credits(desk.services, bob, desk.pt, 1)
    book(desk.services, bob, desk.pt, desk.kim, at_local(2026, 3, 4, 14, 30))
    with pytest.raises(Conflict, match=r"the time was booked again\. Kim already has"):
        _undo(desk, appt)
    assert desk.services.booking.get(AppointmentId(appt.id)).status == (
        AppointmentStatus.LATE_CANCELLED
    )
    assert [k for k, *_ in _entries(desk, appt.id)] == ["book", "forfeit"]


def test_a_reason_is_required(desk: Desk) -> None:
    appt = _booked(desk, 9)
    desk.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    for blank in ("", "   "):
        with pytest.raises(ValidationError, match="Say why"):
            _undo(desk, appt, reason=blank)
    assert desk.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.NO_SHOW


def test_a_front_desk_is_refused(desk: Desk) -> None:
    appt = _booked(desk, 9)
    desk.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    with pytest.raises(PermissionDenied, match="may not undo a check-in, no-show or late cancel"):
        _undo(desk, appt, desk.front)
    assert desk.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.NO_SHOW
    assert [k for k, *_ in _entries(desk, appt.id)] == ["book", "forfeit"]


def test_a_second_undo_and_other_statuses_are_refused(desk: Desk) -> None:
    appt = _booked(desk, 9)
    desk.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    _undo(desk, appt)
    with pytest.raises(InvalidState, match="the appointment is booked"):
        _undo(desk, appt)
    assert [k for k, *_ in _entries(desk, appt.id)] == ["book", "forfeit", "reverse"]
    cancelled = _booked(desk, 10, day=10)
    desk.services.booking.cancel(AppointmentId(cancelled.id), actor=SYSTEM)
    with pytest.raises(InvalidState, match="is cancelled"):
        _undo(desk, cancelled)
    assert len(desk.services.audit.events(action="appointment.undo_status")) == 1
