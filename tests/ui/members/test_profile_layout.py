"""The profile's Coming up area: five whole rows, and the same height when empty."""

from __future__ import annotations

from datetime import timedelta

from desk.services.core.ids import AppointmentTypeId, MemberId
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
