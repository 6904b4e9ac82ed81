"""Booking a time that has passed: asked first, booked only on Yes."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from desk.services.core.ids import MemberId
from desk.ui.calendar.booking_dialog import BookingDialog
from tests.conftest import GYM_TZ
from tests.ui.calendar.test_booking_dialog import open_dialog


def answer(monkeypatch, reply: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return reply

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def open_in_the_past(qtbot, ctx, gym) -> BookingDialog:
    dialog = open_dialog(qtbot, ctx, gym)
    dialog.start_date.setDate(QDate(2026, 3, 2))  # the clock says 4 Mar 2026
    return dialog


def test_yes_books_the_past_session(qtbot, desk_staff, gym, monkeypatch):
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dialog = open_in_the_past(qtbot, desk_staff, gym)
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert asked == ["That time has passed. Book it anyway, to record a session that happened?"]
    booked = desk_staff.services.booking.for_member(MemberId(gym["ann"]))
    assert [b.starts_at for b in booked] == [datetime(2026, 3, 2, 10, 0, tzinfo=GYM_TZ)]
    assert dialog.result_series is not None
    assert not dialog.isVisible()


def test_no_keeps_the_dialog_open_and_books_nothing(qtbot, desk_staff, gym, monkeypatch):
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog = open_in_the_past(qtbot, desk_staff, gym)
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert len(asked) == 1
    assert desk_staff.services.booking.for_member(MemberId(gym["ann"])) == []
    assert dialog.isVisible()
    assert dialog.result_series is None
    assert dialog.book_button.isEnabled()
