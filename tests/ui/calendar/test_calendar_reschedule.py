"""The calendar screen: moving an appointment, by the panel or by dragging its block."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from desk.services.core.errors import Conflict
from desk.services.core.ids import AppointmentId
from desk.ui.calendar import calendar_actions
from tests.ui.calendar.calendar_driving import (
    WEDNESDAY,
    at,
    book,
    drag,
    open_credits,
    panel_text,
    settle,
)


def test_moving_to_a_free_slot_keeps_the_credit_that_paid(view, gym, ctx, qtbot):
    appt = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    top_before = view.canvas.blocks[0].top
    with qtbot.waitSignal(ctx.hub.changed):
        view.move_appointment(appt.id, at(WEDNESDAY, 15, 30), None)
    settle(view)
    moved = ctx.services.booking.get(AppointmentId(appt.id))
    assert moved.starts_at == at(WEDNESDAY, 15, 30)
    assert moved.ends_at == at(WEDNESDAY, 16, 30)
    assert moved.lot_id == appt.lot_id
    assert open_credits(ctx, gym["ann"]) == 9
    (block,) = view.canvas.blocks
    assert block.top > top_before
    assert "Moved Ann Smith" in panel_text(view, "calendarStatus")
    # To another staff member: the block changes column.
    view.move_appointment(appt.id, at(WEDNESDAY, 15, 30), gym["desk"])
    view._ctx.runner.wait_idle()
    assert ctx.services.booking.get(AppointmentId(appt.id)).staff_id == gym["desk"]
    assert view.canvas.columns[view.canvas.blocks[0].column].staff_id == gym["desk"]


def test_dragging_a_block_reschedules_it(view, gym, ctx, qtbot):
    appt = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    grab = view.canvas.block_rect(appt.id).center()
    robin = next(i for i, c in enumerate(view.canvas.columns) if c.staff_id == gym["desk"])
    robin_x = round(view.canvas.grid.column_left(robin) + 20)
    # Two hours down (96 px) and over to Robin's column.
    with qtbot.waitSignal(view.canvas.move_requested) as signal:
        drag(view.canvas, grab, QPoint(robin_x, grab.y() + 96))
        view._ctx.runner.wait_idle()
    assert signal.args == [appt.id, at(WEDNESDAY, 13), gym["desk"]]
    moved = ctx.services.booking.get(AppointmentId(appt.id))
    assert (moved.starts_at, moved.staff_id, moved.lot_id) == (
        at(WEDNESDAY, 13),
        gym["desk"],
        appt.lot_id,
    )


def test_dropping_onto_a_conflict_is_refused_with_a_message(view, gym, ctx, monkeypatch):
    first = book(ctx, gym, WEDNESDAY, 11)
    second = book(ctx, gym, WEDNESDAY, 13)
    view.reload()
    settle(view)
    rect_before = view.canvas.block_rect(second.id)
    shown = []
    monkeypatch.setattr(calendar_actions, "show_error", lambda parent, exc: shown.append(exc))
    view.move_appointment(second.id, at(WEDNESDAY, 11, 30), None)
    view._ctx.runner.wait_idle()
    (error,) = shown
    assert isinstance(error, Conflict)
    assert "Kim Alvarez already has Ann Smith" in error.message
    assert "11:00\N{EN DASH}12:00" in error.message  # local time, not the service's UTC
    after = ctx.services.booking.get(AppointmentId(second.id))
    assert after.starts_at == second.starts_at
    assert ctx.services.booking.get(AppointmentId(first.id)).starts_at == first.starts_at
    assert view.canvas.block_rect(second.id) == rect_before


def test_dragging_onto_a_conflict_leaves_the_block_where_it_was(view, gym, ctx, monkeypatch):
    book(ctx, gym, WEDNESDAY, 11)
    second = book(ctx, gym, WEDNESDAY, 13)
    view.reload()
    settle(view)
    rect_before = view.canvas.block_rect(second.id)
    shown = []
    monkeypatch.setattr(calendar_actions, "show_error", lambda parent, exc: shown.append(exc))
    grab = rect_before.center()
    drag(view.canvas, grab, grab - QPoint(0, 72))  # 1.5 h earlier: onto the 11:00
    ctx.runner.wait_idle()
    assert len(shown) == 1
    assert ctx.services.booking.get(AppointmentId(second.id)).starts_at == second.starts_at
    assert view.canvas.block_rect(second.id) == rect_before
