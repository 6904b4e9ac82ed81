"""Moving a session and the rest of its series, and undoing a move."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desk.services.calendar.recurrence import Repeat
from desk.services.container import Services
from desk.services.core.errors import Clash, InvalidState
from desk.services.core.ids import AppointmentId, MemberId
from desk.services.core.read_models import AppointmentView
from desk.services.records.audit_text import describe
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ
from tests.services.calendar.series_gym import Setup, grant, local


def series(setup: Setup, count: int = 4, expires: date | None = None) -> list[AppointmentView]:
    """Thursdays at 10:00 from 5 March 2026 (New York springs forward on 8 March)."""
    services, member, kind, coach, _ = setup
    grant(services, member, kind, count, expires)
    return services.booking.book_series(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 5, 10),
        repeat=Repeat(count=count),
        actor=SYSTEM,
    ).value.booked


def wall(services: Services, ids: list[int]) -> list[str]:
    return [
        services.booking.get(AppointmentId(i)).starts_at.astimezone(GYM_TZ).strftime("%a %d %H:%M")
        for i in ids
    ]


def test_this_and_the_following_move_by_the_same_wall_clock_shift(setup: Setup) -> None:
    services, member, *_ = setup
    booked = series(setup)
    ids = [a.id for a in booked]
    result = services.booking.move(
        AppointmentId(ids[1]),
        starts_at=local(2026, 3, 13, 11),
        following=True,
        actor=SYSTEM,
    )
    # The first stays; the dragged one and every later one move a day and an hour on.
    assert wall(services, ids) == ["Thu 05 10:00", "Fri 13 11:00", "Fri 20 11:00", "Fri 27 11:00"]
    assert [m.after.id for m in result.value.moved] == ids[1:]
    assert [m.before.starts_at for m in result.value.moved] == [a.starts_at for a in booked[1:]]
    assert result.changes.appointments == frozenset(ids[1:])
    # Each keeps its length and the credit that paid for it; nothing was given back.
    for before, moved in zip(booked[1:], result.value.moved, strict=True):
        assert moved.after.lot_id == before.lot_id
        assert moved.after.ends_at - moved.after.starts_at == timedelta(hours=1)
    [balance] = services.credits.balances(member)
    assert (balance.open, balance.booked) == (0, 4)
    # One audit event for the whole move.
    events = services.audit.events(member_id=member, action_prefix="appointment.res")
    assert [e.action for e in events] == ["appointment.reschedule_series"]
    sentence = describe(events[0], services.audit.names(events), GYM_TZ)
    assert sentence.startswith("Moved Ann Smith's PT with Kim on ")
    assert sentence.endswith("and 2 following sessions")


def test_the_shift_keeps_the_local_time_across_daylight_saving(setup: Setup) -> None:
    services, *_ = setup
    ids = [a.id for a in series(setup)]
    services.booking.move(
        AppointmentId(ids[0]), starts_at=local(2026, 3, 5, 11), following=True, actor=SYSTEM
    )
    assert wall(services, ids) == ["Thu 05 11:00", "Thu 12 11:00", "Thu 19 11:00", "Thu 26 11:00"]


def test_a_week_on_lands_on_the_series_own_old_times_without_a_clash(setup: Setup) -> None:
    services, *_ = setup
    ids = [a.id for a in series(setup)]
    services.booking.move(
        AppointmentId(ids[0]), starts_at=local(2026, 3, 12, 10), following=True, actor=SYSTEM
    )
    assert wall(services, ids) == ["Thu 12 10:00", "Thu 19 10:00", "Thu 26 10:00", "Thu 02 10:00"]


def test_a_clash_on_any_later_session_moves_nothing(setup: Setup) -> None:
    services, member, kind, coach, _ = setup
    ids = [a.id for a in series(setup)]
    bob = services.members.create(first_name="Bob", last_name="Jones", actor=SYSTEM).value
    grant(services, MemberId(bob.id), kind, 1, None)
    services.booking.book(
        member_id=MemberId(bob.id),
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 19, 14, 30),
        actor=SYSTEM,
    )
    with pytest.raises(Clash) as refused:
        services.booking.move(
            AppointmentId(ids[0]), starts_at=local(2026, 3, 5, 14), following=True, actor=SYSTEM
        )
    clash = refused.value.clash
    assert (clash.member_name, clash.starts_at) == ("Bob Jones", local(2026, 3, 19, 14, 30))
    assert refused.value.moving_starts_at == local(2026, 3, 19, 14)
    assert "Thursday 19 March 2026 14:00 can't: Kim already has Bob Jones" in refused.value.message
    assert wall(services, ids) == ["Thu 05 10:00", "Thu 12 10:00", "Thu 19 10:00", "Thu 26 10:00"]
    assert services.audit.events(member_id=member, action_prefix="appointment.res") == []


def test_a_lot_expiring_before_a_later_new_date_moves_nothing(setup: Setup) -> None:
    services, *_ = setup
    ids = [a.id for a in series(setup, expires=date(2026, 3, 27))]
    with pytest.raises(InvalidState, match="expires on Friday 27 March 2026"):
        services.booking.move(
            AppointmentId(ids[0]), starts_at=local(2026, 3, 7, 10), following=True, actor=SYSTEM
        )
    assert wall(services, ids)[3] == "Thu 26 10:00"


def test_cancelled_later_sessions_stay_and_a_single_session_has_no_following(
    setup: Setup,
) -> None:
    services, member, kind, coach, _ = setup
    ids = [a.id for a in series(setup)]
    services.booking.cancel(AppointmentId(ids[2]), actor=SYSTEM)
    services.booking.move(
        AppointmentId(ids[1]), starts_at=local(2026, 3, 12, 9), following=True, actor=SYSTEM
    )
    assert wall(services, ids) == ["Thu 05 10:00", "Thu 12 09:00", "Thu 19 10:00", "Thu 26 09:00"]
    grant(services, member, kind, 1, None)
    single = services.booking.book(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 6, 10),
        actor=SYSTEM,
    ).value
    with pytest.raises(InvalidState, match="not part of a repeating booking"):
        services.booking.move(
            AppointmentId(single.id), starts_at=local(2026, 3, 6, 11), following=True, actor=SYSTEM
        )


def test_undo_puts_a_series_move_back_once(setup: Setup) -> None:
    services, member, _kind, coach, sam = setup
    ids = [a.id for a in series(setup)]
    moved = services.booking.move(
        AppointmentId(ids[1]),
        starts_at=local(2026, 3, 12, 15),
        staff_id=sam,
        following=True,
        actor=SYSTEM,
    ).value
    assert {services.booking.get(AppointmentId(i)).staff_id for i in ids[1:]} == {sam}
    back = services.booking.undo_move(moved, actor=SYSTEM)
    assert wall(services, ids) == ["Thu 05 10:00", "Thu 12 10:00", "Thu 19 10:00", "Thu 26 10:00"]
    assert {services.booking.get(AppointmentId(i)).staff_id for i in ids} == {coach}
    assert back.changes.appointments == frozenset(ids[1:])
    events = services.audit.events(member_id=member, action="appointment.undo_move")
    assert len(events) == 1
    assert describe(events[0], services.audit.names(events), GYM_TZ).startswith(
        "Undid a move: moved Ann Smith's PT with Sam on "
    )
    # A second undo finds them where the first left them, not where the move did.
    with pytest.raises(InvalidState, match=r"has been changed since\. Nothing was moved back"):
        services.booking.undo_move(moved, actor=SYSTEM)
    assert len(services.audit.events(member_id=member, action="appointment.undo_move")) == 1


def test_undo_refuses_when_a_session_was_changed_since(setup: Setup) -> None:
    services, *_ = setup
    ids = [a.id for a in series(setup)]
    moved = services.booking.move(
        AppointmentId(ids[0]), starts_at=local(2026, 3, 5, 12), following=True, actor=SYSTEM
    ).value
    # Another desk moves the third one on its own.
    services.booking.reschedule(
        AppointmentId(ids[2]), starts_at=local(2026, 3, 19, 16), actor=SYSTEM
    )
    with pytest.raises(InvalidState, match="changed since"):
        services.booking.undo_move(moved, actor=SYSTEM)
    assert wall(services, ids) == ["Thu 05 12:00", "Thu 12 12:00", "Thu 19 16:00", "Thu 26 12:00"]


def test_undo_of_a_single_move_refuses_when_the_old_time_was_taken(setup: Setup) -> None:
    services, member, kind, coach, _ = setup
    grant(services, member, kind, 2, None)
    appt = services.booking.book(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 6, 10),
        actor=SYSTEM,
    ).value
    moved = services.booking.move(
        AppointmentId(appt.id), starts_at=local(2026, 3, 6, 13), actor=SYSTEM
    ).value
    assert [e.action for e in services.audit.events(action_prefix="appointment.res")] == [
        "appointment.reschedule"
    ]
    services.booking.book(
        member_id=member,
        appointment_type_id=kind,
        staff_id=coach,
        starts_at=local(2026, 3, 6, 10, 30),
        actor=SYSTEM,
    )
    with pytest.raises(Clash, match="Kim already has Ann Smith"):
        services.booking.undo_move(moved, actor=SYSTEM)
    assert wall(services, [appt.id]) == ["Fri 06 13:00"]
