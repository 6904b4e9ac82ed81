"""Two desks on one database: what one books or changes shows on the other's open
screens without anyone reloading, and a half-filled form is told, not reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.db import Database
from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.calendar.booking_dialog import TAKEN_MEANWHILE, BookingDialog
from desk.ui.shell.live_changes import LiveChanges
from tests.actors import SYSTEM
from tests.ui.calendar.calendar_driving import WEDNESDAY, at, shown_ids
from tests.ui.members.profile_reading import balance, table_texts

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


@pytest.fixture
def desk_b(database: Database, clock, gym):
    """Another workstation's desk on the same SQLite file (its own connections, its
    own desk id in the change log); Bob has massage credits to book."""
    other = Database(str(database.url), desk_id="desk-b")
    services = Services.build(other, clock)
    services.credits.add_credits(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["massage"]),
        quantity=10, expires_on=None, actor=SYSTEM,
    )  # fmt: skip
    yield services
    other.dispose()


@pytest.fixture
def live(desk_staff):
    following = LiveChanges(desk_staff.services.changes, desk_staff.hub).start()
    yield following
    following.stop()


def book_at_b(desk_b: Services, gym, hour: int) -> int:
    return desk_b.booking.book(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["massage"]),
        staff_id=StaffId(gym["coach"]), starts_at=at(WEDNESDAY, hour), actor=SYSTEM,
    ).value.id  # fmt: skip


def test_a_booking_at_another_desk_shows_on_this_calendar_and_today(
    qtbot, shown_window, desk_b, gym, live
):
    window = shown_window
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.calendar)
    appointment = book_at_b(desk_b, gym, 14)
    qtbot.waitUntil(lambda: appointment in shown_ids(window.calendar), timeout=10_000)
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: any("Bob Jones" in " ".join(map(str, row)) for row in table_texts(
            window.today.view.table)),
        timeout=10_000,
    )  # fmt: skip


def test_credits_added_at_another_desk_refresh_this_desks_open_profile(
    qtbot, shown_window, desk_b, gym, live
):
    profile = shown_window.open_profile(gym["ann"])
    qtbot.waitExposed(profile)
    qtbot.waitUntil(lambda: balance(profile, "Personal Training")["open"] == 10)
    desk_b.credits.add_credits(
        member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        quantity=5, expires_on=None, actor=SYSTEM,
    )  # fmt: skip
    qtbot.waitUntil(lambda: balance(profile, "Personal Training")["open"] == 15, timeout=10_000)


def test_a_desk_does_not_reload_twice_for_its_own_change(
    qtbot, shown_window, desk_staff, desk_b, gym, live
):
    window = shown_window
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.calendar)
    desk_staff.runner.wait_idle()
    before = window.calendar.reloads
    outcome = desk_staff.services.booking.book(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["massage"]),
        staff_id=StaffId(gym["coach"]), starts_at=at(WEDNESDAY, 15), actor=SYSTEM,
    )  # fmt: skip
    desk_staff.hub.publish(outcome.changes)  # as the runner does after this desk's write
    desk_staff.runner.wait_idle()
    assert window.calendar.reloads == before + 1
    QTest.qWait(2500)  # longer than the follower's longest wait: its echo would be here
    desk_staff.runner.wait_idle()
    assert window.calendar.reloads == before + 1


def test_an_open_booking_form_keeps_what_was_typed_and_says_the_time_was_taken(
    qtbot, desk_staff, desk_b, gym, live
):
    dialog = BookingDialog(
        desk_staff, member_id=gym["ann"], member_name="Ann Smith", staff_id=gym["coach"],
        starts_at=at(WEDNESDAY, 16),
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.duration.setFocus()
    QTest.keyClick(dialog.duration, Qt.Key.Key_Up)  # a change of the person's own
    typed = dialog.duration.value()
    assert dialog.book_button.isEnabled()
    desk_b.booking.book(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["massage"]),
        staff_id=StaffId(gym["coach"]), starts_at=at(WEDNESDAY, 16) - timedelta(minutes=15),
        actor=SYSTEM,
    )  # fmt: skip
    qtbot.waitUntil(lambda: dialog.member_error.text() == TAKEN_MEANWHILE, timeout=10_000)
    assert dialog.duration.value() == typed
    assert not dialog.book_button.isEnabled()
