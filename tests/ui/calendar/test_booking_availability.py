"""The booking dialog and coaches' hours: the reason and the next free times, clicked;
"Find a time", picked; a type's notice overridden with a reason, or refused.

The clock says Wednesday 4 March 2026, 10:00; Kim works Tuesdays 09:00-13:00.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import StaffRole
from desk.services.people.availability_views import WeeklyRange
from desk.ui.calendar.booking_dialog import BookingDialog
from desk.ui.calendar.free_slots import FindTimeDialog
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ


def _tuesday_mornings(ctx, gym) -> None:
    """Kim works Tuesday mornings; Robin, at the desk, takes no bookings."""
    ctx.services.staff.set_takes_bookings(StaffId(gym["desk"]), False, actor=SYSTEM)
    ctx.services.availability.set_weekly_hours(
        StaffId(gym["coach"]), [WeeklyRange(1, 9 * 60, 13 * 60)], actor=SYSTEM
    )


def _open(qtbot, ctx, gym, starts_at: datetime) -> BookingDialog:
    dialog = BookingDialog(ctx, member_id=gym["ann"], member_name="Ann Smith",
                           staff_id=gym["coach"], starts_at=starts_at)  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _booked(ctx, gym) -> list[datetime]:
    return [b.starts_at for b in ctx.services.booking.for_member(MemberId(gym["ann"]))]


def test_outside_hours_says_why_and_a_free_time_clicked_books_it(qtbot, desk_staff, gym):
    _tuesday_mornings(desk_staff, gym)
    dialog = _open(qtbot, desk_staff, gym, datetime(2026, 3, 10, 14, 0, tzinfo=GYM_TZ))
    assert dialog.free_slots.isVisible()
    assert dialog.free_slots.reason.text() == (
        "Kim Alvarez works 09:00\u201313:00 on Tuesdays. Next free:"
    )
    assert [b.text() for b in dialog.free_slots.buttons] == [
        "Tue 17 Mar 09:00",
        "Tue 17 Mar 09:15",
        "Tue 17 Mar 09:30",
        "Tue 17 Mar 09:45",
        "Tue 17 Mar 10:00",
    ]
    assert not dialog.book_button.isEnabled()
    assert dialog.summary.text() == (
        "0 of 1 will be booked; 1 doesn't fit the coach's calendar or hours and is left out."
    )
    model = dialog.preview.model()
    assert model.index(0, 1).data() == "Kim Alvarez works 09:00\u201313:00 on Tuesdays."
    qtbot.mouseClick(dialog.free_slots.buttons[2], Qt.MouseButton.LeftButton)
    assert dialog.start_date.text() == "17 Mar 2026"
    assert dialog.start_time.time().toString("HH:mm") == "09:30"
    assert not dialog.free_slots.isVisible()
    assert model.index(0, 1).data() == "Free"
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert _booked(desk_staff, gym) == [datetime(2026, 3, 17, 9, 30, tzinfo=GYM_TZ)]


def test_time_off_is_worded_with_its_dates(qtbot, desk_staff, gym):
    desk_staff.services.availability.add_exception(
        StaffId(gym["coach"]), kind="off", starts_local=datetime(2026, 3, 9),
        ends_local=datetime(2026, 3, 14), note="Holiday", actor=SYSTEM,
    )  # fmt: skip
    dialog = _open(qtbot, desk_staff, gym, datetime(2026, 3, 10, 10, 0, tzinfo=GYM_TZ))
    assert dialog.free_slots.reason.text() == (
        "Kim Alvarez is off 9 \u2013 13 Mar 2026 (Holiday). Next free:"
    )
    assert dialog.free_slots.buttons[0].text() == "Sat 14 Mar 00:00"


def test_find_a_time_lists_free_times_and_fills_the_form(qtbot, desk_staff, gym):
    _tuesday_mornings(desk_staff, gym)
    dialog = _open(qtbot, desk_staff, gym, datetime(2026, 3, 9, 10, 0, tzinfo=GYM_TZ))
    seen: list[str] = []

    def pick() -> None:
        finder = QApplication.activeModalWidget()
        assert isinstance(finder, FindTimeDialog)
        rows = finder.model.rowCount()
        seen.extend(finder.model.index(r, 0).data() for r in range(rows))
        second = finder.slots.visualRect(finder.model.index(1, 0)).center()
        qtbot.mouseClick(finder.slots.viewport(), Qt.MouseButton.LeftButton, pos=second)
        qtbot.mouseClick(finder.use_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, pick)
    qtbot.mouseClick(dialog.find_time_button, Qt.MouseButton.LeftButton)
    # A week from Monday 9 March: Kim's Tuesday morning, 09:00 to 12:00 by quarter hours.
    assert seen[0] == "Tue 10 Mar 09:00 · Kim Alvarez"
    assert seen[-1] == "Tue 10 Mar 12:00 · Kim Alvarez"
    assert len(seen) == 13
    assert dialog.start_date.text() == "10 Mar 2026"
    assert dialog.start_time.time().toString("HH:mm") == "09:15"
    assert dialog.book_button.isEnabled()


def test_find_a_time_for_one_coach_searched_again(qtbot, desk_staff, gym):
    _tuesday_mornings(desk_staff, gym)
    other = desk_staff.services.staff.create(name="Sam Lee", role="coach", actor=SYSTEM).value
    finder = FindTimeDialog(desk_staff, type_id=gym["pt"], type_name="Personal Training",
                            staff_id=None, first_day=datetime(2026, 3, 10).date())  # fmt: skip
    qtbot.addWidget(finder)
    finder.show()
    # Sam keeps no hours: any time, so Sam comes first at midnight.
    assert finder.model.index(0, 0).data() == "Tue 10 Mar 00:00 · Sam Lee"
    finder.coach.setCurrentIndex(finder.coach.findData(gym["coach"]))
    qtbot.mouseClick(finder.find_button, Qt.MouseButton.LeftButton)
    assert finder.model.index(0, 0).data() == "Tue 10 Mar 09:00 · Kim Alvarez"
    finder.last_day.setDate(datetime(2026, 3, 11).date())
    qtbot.mouseClick(finder.find_button, Qt.MouseButton.LeftButton)
    assert finder.status.text() == "13 free times"
    assert other.id != gym["coach"]


def test_inside_the_notice_an_admin_books_with_a_reason(qtbot, desk_staff, gym, monkeypatch):
    desk_staff.services.appointment_types.set_booking_rules(
        AppointmentTypeId(gym["pt"]), min_notice_minutes=180, actor=SYSTEM
    )
    asked: list[str] = []

    def get_text(parent, title, label, *args, **kwargs):
        asked.append(label)
        return "Coach asked for it", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    dialog = _open(qtbot, desk_staff, gym, datetime(2026, 3, 4, 11, 0, tzinfo=GYM_TZ))
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert asked[0].startswith("Personal Training needs 3 hours notice: this starts at 11:00.")
    desk_staff.runner.wait_idle()
    assert _booked(desk_staff, gym) == [datetime(2026, 3, 4, 11, 0, tzinfo=GYM_TZ)]
    (event,) = desk_staff.services.audit.events(action="appointment.book")
    assert event.after is not None
    assert event.after["reason"] == "Coach asked for it"


def test_inside_the_notice_the_front_desk_is_refused(qtbot, desk_staff, gym, message_boxes):
    desk_staff.services.staff.update(
        StaffId(gym["desk"]), name="Robin Ames", role=StaffRole.FRONT_DESK, active=True,
        actor=SYSTEM,
    )  # fmt: skip
    desk_staff.services.appointment_types.set_booking_rules(
        AppointmentTypeId(gym["pt"]), min_notice_minutes=180, actor=SYSTEM
    )
    dialog = _open(qtbot, desk_staff, gym, datetime(2026, 3, 4, 11, 0, tzinfo=GYM_TZ))
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert message_boxes[-1].endswith("Ask an owner or admin to book it.")
    assert _booked(desk_staff, gym) == []


def test_a_repeating_booking_says_why_each_session_is_left_out(qtbot, desk_staff, gym):
    from desk.ui.calendar.booking_dialog import REPEAT_WEEKLY

    _tuesday_mornings(desk_staff, gym)
    desk_staff.services.availability.add_exception(
        StaffId(gym["coach"]), kind="off", starts_local=datetime(2026, 3, 17),
        ends_local=datetime(2026, 3, 18), note="Course", actor=SYSTEM,
    )  # fmt: skip
    dialog = _open(qtbot, desk_staff, gym, datetime(2026, 3, 10, 12, 0, tzinfo=GYM_TZ))
    dialog.repeat.setCurrentIndex(REPEAT_WEEKLY)
    dialog.count.setValue(3)
    model = dialog.preview.model()
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == [
        "Free", "Kim Alvarez is off Tue 17 Mar (Course).", "Free",
    ]  # fmt: skip
    assert not dialog.free_slots.isVisible()  # the next free times are for one session
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert sorted(_booked(desk_staff, gym)) == [
        datetime(2026, 3, 10, 12, 0, tzinfo=GYM_TZ), datetime(2026, 3, 24, 12, 0, tzinfo=GYM_TZ),
    ]  # fmt: skip
