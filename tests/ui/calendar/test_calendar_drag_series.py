"""Dragging a session of a repeating booking: the question, the move, and undoing it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton

from desk.services.calendar.recurrence import Repeat
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentView
from tests.actors import SYSTEM
from tests.ui.calendar.calendar_driving import (
    WEDNESDAY,
    at,
    book,
    give_credits,
    mouse_drag,
    panel_text,
    settle,
)

TWO_HOURS = 96  # pixels: the canvas draws 48 an hour


def answer_by_clicking(monkeypatch, name: str | None) -> list[str]:
    """Each question box is shown and the button called ``name`` clicked with the mouse
    (None: the box's Cancel button); returns the questions asked."""
    asked: list[str] = []

    def exec_(box: QMessageBox) -> int:
        asked.append(box.text())
        box.show()
        if name is None:
            target = box.button(QMessageBox.StandardButton.Cancel)
        else:
            target = box.findChild(QPushButton, name)
        QTest.mouseClick(target, Qt.MouseButton.LeftButton)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def weekly(ctx, gym, hour: int = 11) -> list[AppointmentView]:
    """Ann's Personal Training on three Wednesdays at ``hour``, from today."""
    return ctx.services.booking.book_series(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=StaffId(gym["coach"]),
        starts_at=at(WEDNESDAY, hour),
        repeat=Repeat(count=3),
        actor=SYSTEM,
    ).value.booked


def starts(ctx, appts: list[AppointmentView]) -> list:
    return [ctx.services.booking.get(AppointmentId(a.id)).starts_at for a in appts]


def drag_down_two_hours(view, appt: AppointmentView) -> None:
    """Press on the block, move the mouse with the button held, release two hours lower."""
    view.reload()
    settle(view)
    grab = view.canvas.block_rect(appt.id).center()
    mouse_drag(view.canvas, grab, grab + QPoint(0, TWO_HOURS))
    settle(view)


def test_this_and_the_following_moves_the_rest_of_the_series_and_undo_puts_it_back(
    view, gym, ctx, monkeypatch
):
    series = weekly(ctx, gym)
    before = starts(ctx, series)
    asked = answer_by_clicking(monkeypatch, "moveFollowingButton")
    drag_down_two_hours(view, series[0])
    assert len(asked) == 1
    assert "part of a repeating booking" in asked[0]
    assert starts(ctx, series) == [b.replace(hour=b.hour + 2) for b in before]
    assert (
        panel_text(view, "calendarStatus")
        == "Moved Ann Smith's Personal Training to Wed 4 Mar 13:00 and 2 following sessions."
    )
    undo = view.findChild(QPushButton, "undoMoveButton")
    assert undo.isVisible()
    QTest.mouseClick(undo, Qt.MouseButton.LeftButton)
    settle(view)
    assert starts(ctx, series) == before
    assert panel_text(view, "calendarStatus") == (
        "Moved Ann Smith's Personal Training back to Wed 4 Mar 11:00 and 2 following sessions."
    )
    assert not undo.isVisible()
    # The block is drawn back at 11:00.
    assert view.canvas.block_rect(series[0].id).top() < view.canvas.y_of_hour(12)
    actions = [e.action for e in ctx.services.audit.events(member_id=gym["ann"])][:2]
    assert actions == ["appointment.undo_move", "appointment.reschedule_series"]


def test_only_this_session_moves_one_and_ctrl_z_undoes_it(view, gym, ctx, monkeypatch, qtbot):
    series = weekly(ctx, gym)
    before = starts(ctx, series)
    answer_by_clicking(monkeypatch, "moveOnlyThisButton")
    drag_down_two_hours(view, series[0])
    after = starts(ctx, series)
    assert after[0] == at(WEDNESDAY, 13)
    assert after[1:] == before[1:]
    assert panel_text(view, "calendarStatus") == (
        "Moved Ann Smith's Personal Training to Wed 4 Mar 13:00."
    )
    # Ctrl+Z is the calendar's shortcut: its window must be the active one, as on a desk.
    with qtbot.waitActive(view):
        view.activateWindow()
    QTest.keyClick(view.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(view)
    assert starts(ctx, series) == before
    assert "back to Wed 4 Mar 11:00" in panel_text(view, "calendarStatus")
    # Ctrl+Z again has nothing left to undo.
    QTest.keyClick(view.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(view)
    assert [e.action for e in ctx.services.audit.events(action="appointment.undo_move")] == [
        "appointment.undo_move"
    ]


def test_cancel_moves_nothing(view, gym, ctx, monkeypatch):
    series = weekly(ctx, gym)
    before = starts(ctx, series)
    asked = answer_by_clicking(monkeypatch, None)
    drag_down_two_hours(view, series[0])
    assert len(asked) == 1
    assert starts(ctx, series) == before
    assert ctx.services.audit.events(action_prefix="appointment.res") == []
    assert not view.findChild(QPushButton, "undoMoveButton").isVisible()


def test_a_single_session_moves_without_asking(view, gym, ctx, monkeypatch):
    appt = book(ctx, gym, WEDNESDAY, 11)
    asked = answer_by_clicking(monkeypatch, "moveFollowingButton")
    drag_down_two_hours(view, appt)
    assert asked == []
    assert ctx.services.booking.get(AppointmentId(appt.id)).starts_at == at(WEDNESDAY, 13)


def test_undo_refuses_when_someone_changed_the_session_since(view, gym, ctx, message_boxes):
    appt = book(ctx, gym, WEDNESDAY, 11)
    drag_down_two_hours(view, appt)
    # Another desk moves it again before the undo.
    ctx.services.booking.reschedule(
        AppointmentId(appt.id), starts_at=at(WEDNESDAY, 16), actor=SYSTEM
    )
    QTest.mouseClick(view.findChild(QPushButton, "undoMoveButton"), Qt.MouseButton.LeftButton)
    settle(view)
    assert message_boxes == [
        "Can't undo the move: Ann Smith's Personal Training has been changed since. "
        "Nothing was moved back."
    ]
    assert ctx.services.booking.get(AppointmentId(appt.id)).starts_at == at(WEDNESDAY, 16)
    assert not view.findChild(QPushButton, "undoMoveButton").isVisible()


def test_a_series_clash_names_the_session_in_the_way_in_local_time(
    view, gym, ctx, message_boxes, monkeypatch
):
    series = weekly(ctx, gym)
    # Bob has the coach at 13:00 next Wednesday: the second session can't go there.
    give_credits(ctx, gym, "bob", "pt", 1)
    book(ctx, gym, WEDNESDAY.replace(day=11), 13, member="bob")
    before = starts(ctx, series)
    shown: list[str] = []  # the question, then the error

    def exec_(box: QMessageBox) -> int:
        shown.append(box.text())
        following = box.findChild(QPushButton, "moveFollowingButton")
        if following is not None:
            box.show()
            QTest.mouseClick(following, Qt.MouseButton.LeftButton)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    drag_down_two_hours(view, series[0])
    assert starts(ctx, series) == before
    assert shown[1] == (
        "Kim Alvarez already has Bob Jones (Personal Training) on Wed 11 Mar, "
        "13:00\N{EN DASH}14:00. Ann Smith's session that would have moved to Wed 11 Mar 13:00 "
        "can't go there, so no session was moved."
    )
