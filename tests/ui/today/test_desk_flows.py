"""The day as the desk works it: Ctrl+1 Today, the search bar's check-in offer, and the
profile's Coming up rows with the same actions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from desk.services.core.ids import AppointmentId
from desk.services.core.read_models import AppointmentStatus
from desk.ui.members.member_profile import MemberProfile
from tests.ui.today.conftest import choose, enabled, shown_menu


def status_of(ctx, appt) -> AppointmentStatus:
    return ctx.services.booking.get(AppointmentId(appt.id)).status


@pytest.fixture
def window(day, shown_window, desk_staff):
    desk_staff.runner.wait_idle()
    return shown_window


@pytest.fixture
def offers(monkeypatch) -> dict[str, object]:
    """Message boxes record their text and click the button named ``offers["click"]``."""
    seen: dict[str, object] = {"texts": [], "click": "offerCheckInButton"}

    def exec_(box: QMessageBox) -> int:
        seen["texts"].append(box.text())  # type: ignore[union-attr]
        button = box.findChild(QPushButton, str(seen["click"]))
        if button is not None:
            button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return seen


def test_today_is_the_first_page_and_ctrl_1_2_3_move_between_pages(window, qtbot):
    assert window.pages.tabText(0) == "Today"
    assert window.pages.currentWidget() is window.today
    assert window.today.model.rowCount() == 4
    for key, page in ((Qt.Key.Key_2, window.members_page), (Qt.Key.Key_3, window.calendar)):
        QTest.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: True)
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.today
    qtbot.waitUntil(lambda: window.today.view.table.hasFocus())


def test_a_row_of_today_opens_the_profile(window, desk_staff, day, qtbot):
    table = window.today.view.table
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert day["ann_8"].member_id in window.profiles


def test_enter_in_the_search_bar_offers_todays_check_in(window, desk_staff, day, offers, qtbot):
    window.focus_search()
    bar = window.search_panel.search
    QTest.keyClicks(bar, "bob")
    qtbot.waitUntil(lambda: window.search_panel.proxy.rowCount() == 1)
    QTest.keyClick(bar, Qt.Key.Key_Return)
    desk_staff.runner.wait_idle()
    assert offers["texts"] == ["Check in Bob Jones for 11:00 Sports Massage with Kim Alvarez?"]
    assert status_of(desk_staff, day["bob_11"]) == AppointmentStatus.ATTENDED
    assert window.search_panel.caption.text() == "Checked in Bob Jones (Sports Massage)."
    assert window.profiles == {}
    # The Today page (hidden) catches up when shown.
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    desk_staff.runner.wait_idle()
    assert window.today.proxy.index(2, 4).data() == "Attended"


def test_the_offer_can_open_the_profile_instead(window, desk_staff, day, offers, qtbot):
    offers["click"] = "offerOpenProfileButton"
    window.focus_search()
    QTest.keyClicks(window.search_panel.search, "ann")
    qtbot.waitUntil(lambda: window.search_panel.proxy.rowCount() == 1)
    QTest.keyClick(window.search_panel.search, Qt.Key.Key_Return)
    # Ann's 8:00 and 9:00 have ended by 10:00: the offer is her 14:00.
    assert offers["texts"] == ["Check in Ann Smith for 14:00 Personal Training with Kim Alvarez?"]
    assert day["ann_14"].member_id in window.profiles
    assert status_of(desk_staff, day["ann_14"]) == AppointmentStatus.BOOKED


def test_enter_opens_the_profile_when_there_is_nothing_to_check_in(window, gym, offers, qtbot):
    window.focus_search()
    QTest.keyClicks(window.search_panel.search, "zo")
    qtbot.waitUntil(lambda: window.search_panel.proxy.rowCount() == 1)
    QTest.keyClick(window.search_panel.search, Qt.Key.Key_Return)
    assert offers["texts"] == []
    assert gym["zoe"] in window.profiles


@pytest.fixture
def profile(qtbot, desk_staff, day, gym) -> MemberProfile:
    widget = MemberProfile(desk_staff, gym["ann"])
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    desk_staff.runner.wait_idle()
    return widget


def coming_up_row(profile: MemberProfile, appt) -> int:
    model = profile.upcoming_model
    return next(r for r in range(model.rowCount()) if model.row_at(r).id == appt.id)


def click_row(profile: MemberProfile, row: int) -> None:
    table = profile.view.coming_up
    rect = table.visualRect(table.model().index(row, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_coming_up_rows_have_the_context_menu(profile, desk_staff, day, qtbot):
    table = profile.view.coming_up
    # Upcoming: sessions not yet ended, booked — Ann's 14:00 here.
    row = coming_up_row(profile, day["ann_14"])
    rect = table.visualRect(table.model().index(row, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.RightButton, pos=rect.center())
    QApplication.sendEvent(
        table.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse,
            rect.center(),
            table.viewport().mapToGlobal(rect.center()),
        ),
    )
    menu = shown_menu(qtbot, profile.coming_up_rows)
    assert enabled(menu) == {"checkInAction": True, "noShowAction": False, "cancelAction": True}
    choose(menu, "checkInAction")
    desk_staff.runner.wait_idle()
    assert status_of(desk_staff, day["ann_14"]) == AppointmentStatus.ATTENDED
    assert profile.view.coming_up_status.text() == "Checked in Ann Smith (Personal Training)."
    assert day["ann_14"].id not in [a.id for a in profile.upcoming_model.rows()]


def test_coming_up_keys_check_in_and_cancel(profile, desk_staff, day, answers, qtbot):
    table = profile.view.coming_up
    click_row(profile, coming_up_row(profile, day["ann_14"]))
    QTest.keyClick(table, Qt.Key.Key_N)  # not started yet: nothing to ask
    assert answers["questions"] == []
    QTest.keyClick(table, Qt.Key.Key_X)
    desk_staff.runner.wait_idle()
    assert len(answers["cancel"]) == 1
    assert status_of(desk_staff, day["ann_14"]) == AppointmentStatus.LATE_CANCELLED
    assert "Late-cancelled Ann Smith" in profile.view.coming_up_status.text()
