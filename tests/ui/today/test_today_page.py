"""The Today page: the day in time order, marks, keys, menu, buttons, filter, reloads."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from desk.services.core.ids import AppointmentId
from desk.services.core.read_models import AppointmentStatus
from desk.ui.today.today_screen import TodayScreen
from desk.ui.today.today_table_model import (
    COL_CREDITS,
    COL_MEMBER,
    COL_STATUS,
    COL_TIME,
    LATE_TEXT,
    NONE_LEFT_TEXT,
)
from desk.ui.widgets.table_model import RowRole
from tests.actors import SYSTEM
from tests.ui.today.conftest import choose, enabled, shown_menu


@pytest.fixture
def page(qtbot, desk_staff, day) -> TodayScreen:
    screen = TodayScreen(desk_staff)
    qtbot.addWidget(screen)
    screen.resize(1000, 600)
    screen.show()
    qtbot.waitExposed(screen)
    desk_staff.runner.wait_idle()
    return screen


def cells(page: TodayScreen, column: int) -> list[str]:
    proxy = page.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def status_of(ctx, appt) -> AppointmentStatus:
    return ctx.services.booking.get(AppointmentId(appt.id)).status


def select(page: TodayScreen, appt) -> None:
    for row in range(page.proxy.rowCount()):
        if page.proxy.index(row, 0).data(RowRole).appointment.id == appt.id:
            QTest.mouseClick(
                page.view.table.viewport(),
                Qt.MouseButton.LeftButton,
                pos=page.view.table.visualRect(page.proxy.index(row, COL_MEMBER)).center(),
            )
            return
    raise AssertionError("not shown")


def test_everyone_booked_today_in_time_order_with_marks(page):
    dash = "\N{EN DASH}"
    assert cells(page, COL_TIME) == [
        f"08:00{dash}09:00",
        f"09:00{dash}10:00",
        f"11:00{dash}11:45",
        f"14:00{dash}15:00",
    ]
    assert cells(page, COL_MEMBER) == ["Ann Smith", "Ann Smith", "Bob Jones", "Ann Smith"]
    assert cells(page, 2)[2] == "Sports Massage"
    assert cells(page, 3) == ["Kim Alvarez"] * 4
    # 8:00 and 9:00 have started and nobody checked Ann in: late, in words and in bold.
    assert cells(page, COL_STATUS) == [LATE_TEXT, LATE_TEXT, "Booked", "Booked"]
    assert cells(page, COL_CREDITS) == ["7", "7", NONE_LEFT_TEXT, "7"]
    late = page.proxy.index(0, COL_STATUS)
    assert late.data(Qt.ItemDataRole.FontRole).bold()
    assert page.proxy.index(2, COL_CREDITS).data(Qt.ItemDataRole.FontRole).bold()
    assert page.proxy.index(3, COL_STATUS).data(Qt.ItemDataRole.FontRole) is None
    assert "4 sessions" in page.view.summary.text()
    assert "2 late" in page.view.summary.text()
    assert page.view.heading.text() == "Today, Wednesday, 4 March 2026"


def test_c_checks_in_the_selected_row(page, desk_staff, day):
    select(page, day["ann_14"])
    QTest.keyClick(page.view.table, Qt.Key.Key_C)
    desk_staff.runner.wait_idle()
    assert status_of(desk_staff, day["ann_14"]) == AppointmentStatus.ATTENDED
    assert cells(page, COL_STATUS)[3] == "Attended"
    # The service's words for the action, with the Undo link after them.
    assert page.view.status_line.text().startswith("Checked in Ann Smith for Personal Training")
    assert page.view.undo_link.isVisible()
    assert not page.view.check_in_button.isEnabled()


def test_n_asks_before_a_no_show(page, desk_staff, day, answers):
    select(page, day["ann_9"])
    answers["question"] = QMessageBox.StandardButton.No
    QTest.keyClick(page.view.table, Qt.Key.Key_N)
    desk_staff.runner.wait_idle()
    assert status_of(desk_staff, day["ann_9"]) == AppointmentStatus.BOOKED
    assert "no-show" in answers["questions"][0]
    answers["question"] = QMessageBox.StandardButton.Yes
    QTest.keyClick(page.view.table, Qt.Key.Key_N)
    desk_staff.runner.wait_idle()
    assert status_of(desk_staff, day["ann_9"]) == AppointmentStatus.NO_SHOW
    assert "no-show" in page.view.status_line.text()


def test_n_does_nothing_before_the_session_starts(page, desk_staff, day, answers):
    select(page, day["ann_14"])
    QTest.keyClick(page.view.table, Qt.Key.Key_N)
    desk_staff.runner.wait_idle()
    assert answers["questions"] == []
    assert not page.view.no_show_button.isEnabled()


def test_x_opens_the_cancel_dialog_and_cancels(page, desk_staff, day, answers):
    select(page, day["bob_11"])
    QTest.keyClick(page.view.table, Qt.Key.Key_X)
    desk_staff.runner.wait_idle()
    (dialog,) = answers["cancel"]
    assert dialog.late  # 11:00 is inside the 24-hour window
    assert status_of(desk_staff, day["bob_11"]) == AppointmentStatus.LATE_CANCELLED
    assert "Bob Jones" not in cells(page, COL_MEMBER)
    assert "Late-cancelled Bob Jones's Sports Massage" in page.view.status_line.text()


def test_the_right_click_menu_offers_the_actions_with_their_keys(page, desk_staff, day, qtbot):
    table = page.view.table
    rect = table.visualRect(page.proxy.index(3, COL_MEMBER))
    table.customContextMenuRequested.emit(rect.center())
    menu = shown_menu(qtbot, page.row_actions)
    assert [a.shortcut().toString() for a in menu.actions()][:3] == ["C", "N", "X"]
    assert enabled(menu) == {
        "checkInAction": True,
        "noShowAction": False,
        "cancelAction": True,
        "undoStatusAction": False,  # booked: nothing to undo
        "openProfileAction": True,
    }
    choose(menu, "checkInAction")
    desk_staff.runner.wait_idle()
    assert status_of(desk_staff, day["ann_14"]) == AppointmentStatus.ATTENDED


def test_right_click_with_the_mouse_selects_the_row_and_opens_the_menu(page, day, qtbot):
    table = page.view.table
    rect = table.visualRect(page.proxy.index(2, COL_MEMBER))
    viewport = table.viewport()
    # What the platform sends for a right-click: the press, then the menu event.
    QTest.mouseClick(viewport, Qt.MouseButton.RightButton, pos=rect.center())
    QApplication.sendEvent(
        viewport,
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, rect.center(), viewport.mapToGlobal(rect.center())
        ),
    )
    menu = shown_menu(qtbot, page.row_actions)
    assert enabled(menu)["noShowAction"] is False  # 11:00 hasn't started
    with qtbot.waitSignal(page.profile_requested) as requested:
        choose(menu, "openProfileAction")
    assert requested.args == [day["bob_11"].member_id]


def test_the_filter_matches_member_type_or_coach(page, qtbot):
    QTest.keyClicks(page.view.filter, "massage")
    assert cells(page, COL_MEMBER) == ["Bob Jones"]
    assert page.view.check_in_button.isEnabled()  # the shown row is selected
    page.view.filter.clear()
    QTest.keyClicks(page.view.filter, "kim ann")
    assert cells(page, COL_MEMBER) == ["Ann Smith"] * 3
    page.view.filter.clear()
    QTest.keyClicks(page.view.filter, "nobody")
    assert cells(page, COL_MEMBER) == []
    assert not page.view.check_in_button.isEnabled()


def test_enter_opens_the_member_profile(page, day, qtbot):
    select(page, day["bob_11"])
    with qtbot.waitSignal(page.profile_requested) as requested:
        QTest.keyClick(page.view.table, Qt.Key.Key_Return)
    assert requested.args == [day["bob_11"].member_id]


def test_every_enabled_button_does_something_visible(page, desk_staff, day, answers, qtbot):
    opened: list[int] = []
    page.profile_requested.connect(opened.append)
    buttons = [b for b in page.findChildren(QPushButton) if b.isVisible()]
    assert {b.objectName() for b in buttons} == {
        "todayCheckInButton",
        "todayNoShowButton",
        "todayCancelButton",
        "todayProfileButton",
    }
    for button in buttons:
        # A late session still booked allows every action.
        late = next(
            page.proxy.index(r, 0).data(RowRole).appointment
            for r in range(page.proxy.rowCount())
            if page.proxy.index(r, 0).data(RowRole).can_no_show
        )
        select(page, late)
        assert button.isEnabled(), button.objectName()
        before = (page.view.status_line.text(), cells(page, COL_STATUS), list(opened))
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
        after = (page.view.status_line.text(), cells(page, COL_STATUS), list(opened))
        assert after != before, button.objectName()
        if button.objectName() != "todayProfileButton":
            assert status_of(desk_staff, late) != AppointmentStatus.BOOKED
            # Another late session for the next button.
            desk_staff.services.booking.book(
                member_id=late.member_id,
                appointment_type_id=late.appointment_type_id,
                staff_id=late.staff_id,
                starts_at=late.starts_at.replace(hour=late.starts_at.hour - 6),
                allow_past=True,
                actor=SYSTEM,
            )
            page.reload()
            desk_staff.runner.wait_idle()
    assert opened == [day["ann_8"].member_id]


def test_changes_elsewhere_reload_it_and_a_hidden_page_waits(page, desk_staff, day, gym):
    from desk.services.core.changes import Changes

    reloads = page.reloads
    desk_staff.hub.publish(Changes.of(credits=[gym["zoe"]]))  # not on today's list
    assert page.reloads == reloads
    outcome = desk_staff.services.booking.check_in(AppointmentId(day["ann_8"].id), actor=SYSTEM)
    desk_staff.hub.publish(outcome.changes)
    desk_staff.runner.wait_idle()
    assert page.reloads == reloads + 1
    assert cells(page, COL_STATUS)[0] == "Attended"
    page.hide()
    outcome = desk_staff.services.booking.check_in(AppointmentId(day["ann_9"].id), actor=SYSTEM)
    desk_staff.hub.publish(outcome.changes)
    assert page.reloads == reloads + 1
    page.show()
    desk_staff.runner.wait_idle()
    assert page.reloads == reloads + 2
    assert cells(page, COL_STATUS)[1] == "Attended"
