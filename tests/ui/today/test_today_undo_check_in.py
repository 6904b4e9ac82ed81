"""Undo right after a check-in on the Today page: the status line's link and Ctrl+Z."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.services.core.read_models import AppointmentStatus
from tests.ui.today.test_today_page import page, select, status_of

__all__ = ["page"]  # the fixture, shared with the page's tests


def check_in(page, desk_staff, appt) -> None:
    select(page, appt)
    QTest.mouseClick(page.view.check_in_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()


def test_the_undo_link_takes_a_check_in_back(page, desk_staff, day):
    view = page.view
    assert not view.undo_link.isVisible()  # nothing done yet
    check_in(page, desk_staff, day["ann_9"])
    assert status_of(desk_staff, day["ann_9"]) == AppointmentStatus.ATTENDED
    assert view.undo_link.isVisible()
    assert view.status_line.text().startswith("Checked in Ann Smith for")
    QTest.mouseClick(view.undo_link, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert status_of(desk_staff, day["ann_9"]) == AppointmentStatus.BOOKED
    assert view.status_line.text().startswith("Undone: Checked in Ann Smith")
    assert not view.undo_link.isVisible()
    # The row can be checked in again, as before.
    select(page, day["ann_9"])
    assert view.check_in_button.isEnabled()


def test_ctrl_z_undoes_the_check_in(page, desk_staff, day):
    check_in(page, desk_staff, day["bob_11"])
    assert status_of(desk_staff, day["bob_11"]) == AppointmentStatus.ATTENDED
    QTest.keyClick(page.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    desk_staff.runner.wait_idle()
    assert status_of(desk_staff, day["bob_11"]) == AppointmentStatus.BOOKED


def test_a_later_action_withdraws_the_offer(page, desk_staff, day, answers):
    check_in(page, desk_staff, day["ann_9"])
    assert page.view.undo_link.isVisible()
    select(page, day["bob_11"])
    QTest.mouseClick(page.view.cancel_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert status_of(desk_staff, day["bob_11"]) == AppointmentStatus.LATE_CANCELLED
    assert not page.view.undo_link.isVisible()  # a cancel isn't a credit action Undo takes
    QTest.keyClick(page.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    desk_staff.runner.wait_idle()
    assert status_of(desk_staff, day["ann_9"]) == AppointmentStatus.ATTENDED  # not undone
    assert page.view.status_line.text().startswith("Nothing to undo here")
