"""A group session on the calendar: one block ("3/3"), its roster in the side panel with
each member's own actions, its waitlist, and the booking dialog's waitlist offer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox

from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentStatus
from desk.ui.calendar.booking_dialog import BookingDialog
from desk.ui.calendar.cancel_dialog import CancelDialog
from tests.actors import SYSTEM
from tests.ui.calendar.calendar_driving import (
    WEDNESDAY,
    at,
    book,
    button,
    click_block,
    give_credits,
    panel_text,
    settle,
)


@pytest.fixture
def group(ctx, gym) -> dict[str, int]:
    """A Small Group PT for three at 10:30 today, full (Ann, Bob, Zoë); Cid has a credit."""
    services = ctx.services
    gym["group"] = services.appointment_types.create(
        name="Small Group PT", duration_minutes=60, capacity=3, late_cancel_hours=0,
        color="#22c55e", actor=SYSTEM,
    ).value.id  # fmt: skip
    gym["cid"] = services.members.create(first_name="Cid", last_name="Ruiz", actor=SYSTEM).value.id
    for who in ("ann", "bob", "zoe", "cid"):
        give_credits(ctx, gym, who, "group", 2)
    return {
        who: book(ctx, gym, WEDNESDAY, 10, 30, member=who, type="group").id
        for who in ("ann", "bob", "zoe")
    }


def _group_blocks(view):
    return [b for b in view.canvas.blocks if b.appointment.appointment_type == "Small Group PT"]


def _status(ctx, appt_id: int) -> AppointmentStatus:
    return ctx.services.booking.get(AppointmentId(appt_id)).status


def test_a_group_session_is_one_block_with_its_places_and_roster(view, ctx, gym, group):
    view.reload()
    settle(view)
    [block] = _group_blocks(view)
    shown = block.appointment
    assert shown.member_name == "3/3 Ann, Bob, Zoë"
    assert shown.notes.splitlines() == [
        "Ann Smith: Booked",
        "Bob Jones: Booked",
        "Zoë Müller: Booked",
    ]
    assert view.canvas._tooltip(shown).endswith("Zoë Müller: Booked")  # the hover text
    assert not view.roster.isVisibleTo(view)
    click_block(view, shown.id)
    assert view.roster.isVisibleTo(view)
    assert view.findChild(QLabel, "rosterHeading").text() == "Group session: 3/3 places taken"
    names = [b.text() for b in view.roster.member_buttons]
    assert names == ["▶ Ann Smith · Booked", "Bob Jones · Booked", "Zoë Müller · Booked"]
    assert view.findChild(QLabel, "waitlistHeading").text() == "Waitlist: empty"


def test_each_member_of_the_roster_is_checked_in_and_cancelled_on_their_own(
    view, ctx, gym, group, monkeypatch
):
    monkeypatch.setattr(CancelDialog, "ask", staticmethod(lambda *_: (False, "")))
    view.reload()
    settle(view)
    [block] = _group_blocks(view)
    click_block(view, block.appointment.id)
    QTest.mouseClick(view.roster.member_buttons[1], Qt.MouseButton.LeftButton)  # Bob
    settle(view)
    assert panel_text(view, "panelMember") == "Bob Jones"
    QTest.mouseClick(button(view, "checkInButton"), Qt.MouseButton.LeftButton)
    settle(view)
    assert _status(ctx, group["bob"]) == AppointmentStatus.ATTENDED
    assert _status(ctx, group["ann"]) == AppointmentStatus.BOOKED
    QTest.mouseClick(view.roster.member_buttons[2], Qt.MouseButton.LeftButton)  # Zoë
    settle(view)
    assert panel_text(view, "panelMember") == "Zoë Müller"
    QTest.mouseClick(button(view, "cancelAppointmentButton"), Qt.MouseButton.LeftButton)
    settle(view)
    assert _status(ctx, group["zoe"]) == AppointmentStatus.CANCELLED
    assert [_status(ctx, group[w]) for w in ("ann", "bob")] == [
        AppointmentStatus.BOOKED,
        AppointmentStatus.ATTENDED,
    ]
    [block] = _group_blocks(view)
    assert block.appointment.member_name.startswith("2/3 ")
    names = [b.text() for b in view.roster.member_buttons]
    assert "Zoë Müller · Cancelled" in [n.removeprefix("▶ ") for n in names]


def test_the_waitlist_shows_in_the_roster_and_remove_takes_a_member_off(view, ctx, gym, group):
    ctx.services.booking.join_waitlist(
        member_id=MemberId(gym["cid"]), appointment_type_id=AppointmentTypeId(gym["group"]),
        staff_id=StaffId(gym["coach"]), starts_at=at(WEDNESDAY, 10, 30),
        ends_at=at(WEDNESDAY, 11, 30), actor=SYSTEM,
    )  # fmt: skip
    view.reload()
    settle(view)
    [block] = _group_blocks(view)
    click_block(view, block.appointment.id)
    settle(view)
    assert view.findChild(QLabel, "waitlistHeading").text() == "Waitlist (1)"
    assert view.findChild(QLabel, "waitlistMember0").text() == "1. Cid Ruiz"
    QTest.mouseClick(view.roster.remove_buttons[0], Qt.MouseButton.LeftButton)
    settle(view)
    assert "Took Cid Ruiz off the waitlist." in panel_text(view, "calendarStatus")
    assert view.findChild(QLabel, "waitlistHeading").text() == "Waitlist: empty"


def test_a_cancel_in_the_panel_promotes_the_waiting_member(view, ctx, gym, group, monkeypatch):
    monkeypatch.setattr(CancelDialog, "ask", staticmethod(lambda *_: (False, "")))
    ctx.services.booking.join_waitlist(
        member_id=MemberId(gym["cid"]), appointment_type_id=AppointmentTypeId(gym["group"]),
        staff_id=StaffId(gym["coach"]), starts_at=at(WEDNESDAY, 10, 30),
        ends_at=at(WEDNESDAY, 11, 30), actor=SYSTEM,
    )  # fmt: skip
    view.reload()
    settle(view)
    [block] = _group_blocks(view)
    click_block(view, block.appointment.id)  # Ann is picked first
    QTest.mouseClick(button(view, "cancelAppointmentButton"), Qt.MouseButton.LeftButton)
    settle(view)
    [block] = _group_blocks(view)
    assert block.appointment.member_name == "3/3 Bob, Zoë, Cid"
    assert [p.member_name for p in ctx.services.booking.promotions()] == ["Cid Ruiz"]


def test_a_drag_of_a_group_block_moves_nobody(view, ctx, gym, group):
    view.reload()
    settle(view)
    [block] = _group_blocks(view)
    view.move_appointment(block.appointment.id, at(WEDNESDAY, 14), None)
    settle(view)
    assert "isn't dragged" in panel_text(view, "calendarStatus")
    assert ctx.services.booking.get(AppointmentId(group["ann"])).starts_at == at(WEDNESDAY, 10, 30)


def test_the_booking_dialog_offers_the_waitlist_of_a_full_session(desk_staff, gym, group, qtbot):
    ctx = desk_staff
    dialog = BookingDialog(
        ctx, member_id=gym["cid"], member_name="Cid Ruiz", staff_id=gym["coach"],
        starts_at=at(WEDNESDAY, 10, 30),
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    index = dialog.appointment_type.findText("Small Group PT")
    dialog.appointment_type.setCurrentIndex(index)
    dialog.refresh()
    assert not dialog.book_button.isEnabled()
    waitlist = dialog.waitlist_button
    assert waitlist.isVisibleTo(dialog)
    assert dialog.summary.text() == "0 of 1 will be booked; 1 is full and is left out."
    assert dialog.preview_model.index(0, 1).data() == "Full: every place is taken (waitlist open)"
    QTest.mouseClick(waitlist, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert dialog.result_waitlist is not None
    assert dialog.result_waitlist.member_name == "Cid Ruiz"
    [entry] = ctx.services.booking.waitlist(
        staff_id=StaffId(gym["coach"]), appointment_type_id=AppointmentTypeId(gym["group"]),
        starts_at=at(WEDNESDAY, 10, 30), ends_at=at(WEDNESDAY, 10, 30) + timedelta(hours=1),
    )  # fmt: skip
    assert entry.member_name == "Cid Ruiz"


def test_a_session_with_room_is_booked_not_waitlisted(desk_staff, gym, group, qtbot, monkeypatch):
    ctx = desk_staff
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: None))
    ctx.services.booking.cancel(AppointmentId(group["zoe"]), actor=SYSTEM)
    dialog = BookingDialog(
        ctx, member_id=gym["cid"], member_name="Cid Ruiz", staff_id=gym["coach"],
        starts_at=at(WEDNESDAY, 10, 30),
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.appointment_type.setCurrentIndex(dialog.appointment_type.findText("Small Group PT"))
    assert not dialog.waitlist_button.isVisibleTo(dialog)
    assert dialog.book_button.isEnabled()
    QTest.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert dialog.result_series is not None
    [joined] = dialog.result_series.booked
    assert joined.starts_at == at(WEDNESDAY, 10, 30)


def test_a_member_is_added_to_a_repeating_group_from_the_roster(
    view, desk_staff, gym, group, monkeypatch
):
    """Ann books the group weekly; Cid is added to her series from the panel: booked
    into every following week with room, the full one left out."""
    from desk.services.calendar.recurrence import Repeat
    from desk.ui.calendar.add_to_series_dialog import AddToSeriesDialog

    services = desk_staff.services
    give_credits(desk_staff, gym, "ann", "group", 4)
    give_credits(desk_staff, gym, "cid", "group", 4)
    series = services.booking.book_series(
        member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(gym["group"]),
        staff_id=StaffId(gym["coach"]), starts_at=at(WEDNESDAY + timedelta(days=7), 10, 30),
        repeat=Repeat(count=3), actor=SYSTEM,
    ).value  # fmt: skip
    for who in ("bob", "zoe"):  # the second week is full
        book(desk_staff, gym, WEDNESDAY.replace(day=18), 10, 30, member=who, type="group")
    view.show_day(WEDNESDAY + timedelta(days=7))
    settle(view)
    [block] = _group_blocks(view)
    click_block(view, block.appointment.id)
    opener = view.roster.add_to_series_button
    assert opener.isVisibleTo(view)

    def run(dialog: AddToSeriesDialog) -> int:
        dialog.show()
        QTest.keyClicks(dialog.member, "Cid")
        popup = dialog.member.completer().popup()
        QTest.keyClick(popup, Qt.Key.Key_Down)
        QTest.keyClick(popup, Qt.Key.Key_Return)
        assert dialog.add_button.isEnabled()
        QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AddToSeriesDialog, "exec", run)
    QTest.mouseClick(opener, Qt.MouseButton.LeftButton)
    settle(view)
    weeks = [a.starts_at for a in services.booking.for_member(MemberId(gym["cid"]))]
    first = series.booked[0].starts_at
    assert sorted(weeks) == [first, first + timedelta(days=14)]
    assert panel_text(view, "calendarStatus") == (
        "Added Cid Ruiz to 2 sessions of the series; 1 full or not covered by a credit, left out."
    )
