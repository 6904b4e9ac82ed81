"""The calendar screen: what it shows (filters, cancelled blocks, changes made elsewhere)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM
from tests.ui.calendar.calendar_driving import WEDNESDAY, at, book, settle, shown_ids


def test_week_filters_hide_blocks_by_staff_and_type(view, gym, ctx):
    ctx.services.credits.add_credits(
        member_id=MemberId(gym["bob"]),
        appointment_type_id=AppointmentTypeId(gym["massage"]),
        quantity=2,
        expires_on=None,
        actor=SYSTEM,
    )
    ann = book(ctx, gym, date(2026, 3, 5), 9)
    bob = book(ctx, gym, date(2026, 3, 5), 9, member="bob", type="massage", staff="desk")
    staff = view.findChild(QComboBox, "staffFilter")
    kinds = view.findChild(QComboBox, "typeFilter")
    assert not staff.isVisibleTo(view)  # day view: one column per staff member already
    view.show_week(WEDNESDAY)
    settle(view)
    assert staff.isVisibleTo(view)
    assert kinds.isVisibleTo(view)
    assert staff.itemText(0) == "All staff"
    assert shown_ids(view) == {ann.id, bob.id}
    tracks = sorted((b.track, b.lane, b.lanes) for b in view.canvas.blocks)
    assert tracks == [(0, 0, 1), (1, 0, 1)]  # same time: each in their coach's track
    staff.setCurrentIndex(staff.findText("Kim Alvarez"))
    assert shown_ids(view) == {ann.id}
    assert view.canvas.blocks[0].lanes == 1
    kinds.setCurrentIndex(kinds.findText("Sports Massage"))
    assert shown_ids(view) == set()
    staff.setCurrentIndex(0)
    assert shown_ids(view) == {bob.id}
    kinds.setCurrentIndex(0)
    assert shown_ids(view) == {ann.id, bob.id}


def test_show_cancelled_toggles_cancelled_blocks(view, gym, ctx):
    kept = book(ctx, gym, date(2026, 3, 6), 9)
    gone = book(ctx, gym, date(2026, 3, 6), 11)
    ctx.services.booking.cancel(AppointmentId(gone.id), actor=SYSTEM)
    view.show_day(date(2026, 3, 6))
    settle(view)
    toggle = view.findChild(QCheckBox, "showCancelled")
    assert not toggle.isChecked()
    assert shown_ids(view) == {kept.id}
    assert "1 cancelled hidden" in view.findChild(QLabel, "calendarSummary").text()
    toggle.setChecked(True)
    assert shown_ids(view) == {kept.id, gone.id}
    toggle.setChecked(False)
    assert shown_ids(view) == {kept.id}


def test_changes_made_elsewhere_reload_the_visible_range(view, gym, ctx):
    outcome = ctx.services.booking.book(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=StaffId(gym["coach"]),
        starts_at=at(WEDNESDAY, 17),
        actor=SYSTEM,
    )
    assert shown_ids(view) == set()
    ctx.hub.publish(outcome.changes)
    settle(view)
    assert shown_ids(view) == {outcome.value.id}
    new_staff = ctx.services.staff.create(name="Alex Brook", actor=SYSTEM)
    ctx.hub.publish(new_staff.changes)
    settle(view)
    assert "Alex Brook" in [c.title for c in view.canvas.columns]
    staff = view.findChild(QComboBox, "staffFilter")
    assert staff.findText("Alex Brook") >= 0


def test_someone_taken_off_the_calendar_keeps_their_sessions_visible(view, gym, ctx):
    appt = book(ctx, gym, WEDNESDAY, 15, staff="desk")
    ctx.hub.publish(ctx.services.staff.deactivate(StaffId(gym["desk"]), actor=SYSTEM).changes)
    settle(view)
    assert [c.title for c in view.canvas.columns] == ["Kim Alvarez", "Robin Ames"]
    assert shown_ids(view) == {appt.id}
