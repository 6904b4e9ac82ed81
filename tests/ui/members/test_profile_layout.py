"""The profile's Coming up area: five whole rows, and the same height when empty."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.ui.members.credit_table_models import LOT_EXPIRES
from desk.ui.members.member_profile_view import COMING_UP_ROWS
from tests.actors import SYSTEM


def _book(ctx, gym, clock, sessions: int) -> None:
    for day in range(1, sessions + 1):
        outcome = ctx.services.booking.book(
            member_id=MemberId(gym["ann"]),
            appointment_type_id=AppointmentTypeId(gym["pt"]),
            staff_id=gym["coach"],
            starts_at=clock.current + timedelta(days=day),
            actor=SYSTEM,
        )
        ctx.hub.publish(outcome.changes)
    ctx.runner.wait_idle()


def test_coming_up_shows_five_whole_rows(profile, ctx, gym, clock, qtbot):
    empty_height = profile.view.coming_up_stack.height()
    empty_top = profile.view.tabs.mapTo(profile, profile.view.tabs.rect().topLeft()).y()
    assert profile.view.coming_up_empty.isVisibleTo(profile)
    _book(ctx, gym, clock, 6)
    table = profile.view.coming_up
    assert table.model().rowCount() == 6
    assert table.isVisibleTo(profile)
    qtbot.waitUntil(lambda: table.viewport().height() > 0)
    last = COMING_UP_ROWS - 1
    bottom = table.rowViewportPosition(last) + table.rowHeight(last)
    assert table.rowViewportPosition(0) == 0
    assert bottom <= table.viewport().height()
    # Nothing moved: the placeholder held the same room.
    assert profile.view.coming_up_stack.height() == empty_height
    tabs_top = profile.view.tabs.mapTo(profile, profile.view.tabs.rect().topLeft()).y()
    assert tabs_top == empty_top


def test_nothing_booked_shows_a_placeholder(profile):
    view = profile.view
    assert view.coming_up_empty.text() == "Nothing booked"
    assert not view.coming_up.isVisibleTo(profile)


def test_credits_expiring_within_two_weeks_are_marked_in_bold(profile, ctx, gym, clock):
    soon = clock.current.date() + timedelta(days=5)
    ctx.services.credits.add_credits(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=AppointmentTypeId(gym["pt"]),
        quantity=2,
        expires_on=soon,
        actor=SYSTEM,
    )
    profile.reload()
    ctx.runner.wait_idle()
    lots = profile.view.lots.model()
    marked = [
        lots.index(row, LOT_EXPIRES)
        for row in range(lots.rowCount())
        if "expires in" in lots.index(row, LOT_EXPIRES).data()
    ]
    assert len(marked) == 1
    assert marked[0].data().endswith("— expires in 5 days")
    assert marked[0].data(Qt.ItemDataRole.FontRole).bold()
    others = [lots.index(r, LOT_EXPIRES) for r in range(lots.rowCount()) if r != marked[0].row()]
    assert all(i.data(Qt.ItemDataRole.FontRole) is None for i in others)
