"""The profile's hold line with Place hold… and End hold early…, and the booking dialog
saying why a held day can't be booked, driven through their widgets."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.calendar.booking_dialog import BookingDialog
from desk.ui.members.hold_header import EndHoldDialog, PlaceHoldDialog
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ

LEFT = Qt.MouseButton.LeftButton
DASH = "\N{EN DASH}"  # a range of days, as formatting.format_date_range writes it


def _type_date(field, text: str) -> None:
    field.edit.selectAll()
    QTest.keyClicks(field.edit, text)
    QTest.keyClick(field.edit, Qt.Key.Key_Tab)


def _ann_expiry(ctx, gym) -> date | None:
    return ctx.services.credits.lots(MemberId(gym["ann"]))[0].expires_on


def test_placing_a_hold_from_the_profile_shows_it_in_the_header(
    profile, monkeypatch, desk_staff, gym
):
    header = profile.hold_header
    assert not header.status.isVisible()
    assert not header.end_button.isVisible()
    seen = {}

    def run_dialog(dialog: PlaceHoldDialog) -> int:
        _type_date(dialog.starts, "10/03/2026")
        _type_date(dialog.ends, "23/03/2026")
        QTest.mouseClick(dialog.place_button, LEFT)  # no reason yet
        desk_staff.runner.wait_idle()
        seen["refused"] = dialog.reason_error.text()
        QTest.keyClicks(dialog.reason, "injury")
        QTest.mouseClick(dialog.place_button, LEFT)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(PlaceHoldDialog, "exec", run_dialog)
    QTest.mouseClick(header.place_button, LEFT)
    desk_staff.runner.wait_idle()
    assert "reason" in seen["refused"]
    assert header.status.isVisible()
    assert header.status.text() == f"Hold coming: 10 {DASH} 23 Mar 2026 (injury)"
    assert header.end_button.text() == "Cancel hold…"
    assert _ann_expiry(desk_staff, gym) == date(2027, 1, 14)  # 31 Dec 2026 + 14 days


def test_a_hold_over_a_booked_session_lists_it_in_the_dialog(profile, monkeypatch, desk_staff, gym):
    desk_staff.services.booking.book(
        member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=StaffId(gym["coach"]), starts_at=datetime(2026, 3, 12, 18, tzinfo=GYM_TZ),
        actor=SYSTEM,
    )  # fmt: skip
    seen = {}

    def run_dialog(dialog: PlaceHoldDialog) -> int:
        _type_date(dialog.ends, "20/03/2026")
        QTest.keyClicks(dialog.reason, "travel")
        QTest.mouseClick(dialog.place_button, LEFT)
        desk_staff.runner.wait_idle()
        seen["error"], seen["listed"] = dialog.error.text(), dialog.booked.text()
        return dialog.result()

    monkeypatch.setattr(PlaceHoldDialog, "exec", run_dialog)
    QTest.mouseClick(profile.hold_header.place_button, LEFT)
    desk_staff.runner.wait_idle()
    assert "1 booked session in those days" in seen["error"]
    assert "Thu 12 Mar 2026 18:00  Personal Training with Kim Alvarez" in seen["listed"]
    assert not profile.hold_header.status.isVisible()


def test_ending_a_hold_early_from_the_profile(profile, monkeypatch, desk_staff, gym):
    hold = desk_staff.services.holds.place_hold(
        MemberId(gym["ann"]), starts_on=date(2026, 3, 4), ends_on=date(2026, 3, 17),
        reason="injury", actor=SYSTEM,
    ).value.hold  # fmt: skip
    desk_staff.runner.wait_idle()
    header = profile.hold_header
    header.reload()
    desk_staff.runner.wait_idle()
    assert header.status.text() == f"On hold 4 {DASH} 17 Mar 2026 (injury)"
    assert header.end_button.text() == "End hold early…"

    def run_dialog(dialog: EndHoldDialog) -> int:
        _type_date(dialog.back, "08/03/2026")
        QTest.mouseClick(dialog.end_button, LEFT)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(EndHoldDialog, "exec", run_dialog)
    QTest.mouseClick(header.end_button, LEFT)
    desk_staff.runner.wait_idle()
    assert header.status.text() == f"On hold 4 {DASH} 7 Mar 2026 (injury)"
    assert desk_staff.services.holds.holds(MemberId(gym["ann"]))[0].id == hold.id
    assert _ann_expiry(desk_staff, gym) == date(2027, 1, 4)  # 4 days held, not 14


def test_the_booking_dialog_says_the_member_is_on_hold(qtbot, desk_staff, gym):
    desk_staff.services.holds.place_hold(
        MemberId(gym["ann"]), starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 13),
        reason="injury", actor=SYSTEM,
    )  # fmt: skip
    dialog = BookingDialog(
        desk_staff, member_id=gym["ann"], member_name="Ann Smith", staff_id=gym["coach"],
        starts_at=datetime(2026, 3, 10, 10, 0, tzinfo=GYM_TZ),
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    desk_staff.runner.wait_idle()
    model = dialog.preview.model()
    row = " ".join(str(model.index(0, c).data()) for c in range(model.columnCount()))
    assert "Ann Smith is on hold from Monday 9 March 2026 to Friday 13 March 2026 (injury)" in row
    assert not dialog.book_button.isEnabled()


def test_the_front_desk_sees_the_hold_buttons_greyed_with_the_reason(qtbot, desk_staff, gym):
    from desk.ui.members.member_profile import MemberProfile

    clerk = desk_staff.services.staff.create(name="Fran", role="front_desk", actor=SYSTEM).value
    desk_staff.staff_id = StaffId(clerk.id)
    widget = MemberProfile(desk_staff, gym["ann"])
    qtbot.addWidget(widget)
    widget.show()
    desk_staff.runner.wait_idle()
    button = widget.hold_header.place_button
    assert button.isVisible()
    assert not button.isEnabled()
    assert "may not put a member on hold" in button.toolTip()
    QTest.mouseClick(button, LEFT)  # a greyed button opens nothing
    desk_staff.runner.wait_idle()
    assert not desk_staff.services.holds.current_hold(MemberId(gym["ann"]))
