"""Booking dialog: credits shown, preview of occurrences, refusing without credit."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.ui.calendar.booking_dialog import (
    REPEAT_EVERY_N,
    REPEAT_WEEKDAYS,
    REPEAT_WEEKLY,
    BookingDialog,
)
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ


def open_dialog(qtbot, ctx, gym, member: str = "ann", **kwargs) -> BookingDialog:
    names = {"ann": "Ann Smith", "bob": "Bob Jones"}
    dialog = BookingDialog(
        ctx,
        member_id=gym[member],
        member_name=names[member],
        staff_id=gym["coach"],
        starts_at=datetime(2026, 3, 10, 10, 0, tzinfo=GYM_TZ),
        **kwargs,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def preview(dialog: BookingDialog) -> list[list[str]]:
    model = dialog.preview.model()
    return [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())]


def test_shows_credits_and_the_paying_lot(qtbot, desk_staff, gym):
    dialog = open_dialog(qtbot, desk_staff, gym)
    assert dialog.appointment_type.currentText() == "Personal Training"  # the type with credits
    assert dialog.duration.value() == 60
    assert "10 open Personal Training credits" in dialog.credits_info.text()
    # The paying lot is named by its type and expiry, not by its number.
    assert (
        "The first session uses the Personal Training credits expiring 31 Dec 2026 (10 left)."
        in dialog.credits_info.text()
    )
    assert preview(dialog) == [
        [
            "Tue 10 Mar 2026 10:00",
            "Free",
            "Paid by Personal Training credits expiring 31 Dec 2026",
        ]
    ]
    assert dialog.book_button.isEnabled()


def test_books_one_session_and_announces_it(qtbot, desk_staff, gym):
    dialog = open_dialog(qtbot, desk_staff, gym)
    with qtbot.waitSignal(desk_staff.hub.changed) as changed:
        qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
    assert changed.args[0].bookings == {gym["ann"]}
    booked = desk_staff.services.booking.for_member(MemberId(gym["ann"]))
    assert len(booked) == 1
    assert booked[0].starts_at == datetime(2026, 3, 10, 10, 0, tzinfo=GYM_TZ)
    assert booked[0].staff_name == "Kim Alvarez"


def test_recurring_preview_and_booking(qtbot, desk_staff, gym):
    dialog = open_dialog(qtbot, desk_staff, gym)
    dialog.repeat.setCurrentIndex(REPEAT_WEEKDAYS)
    assert dialog.weekday_widget.isVisible()
    dialog.weekdays[3].setChecked(True)  # Tue (preset from the start) and Thu
    dialog.count.setValue(12)
    rows = preview(dialog)
    assert len(rows) == 12
    assert [r[0][:3] for r in rows[:4]] == ["Tue", "Thu", "Tue", "Thu"]
    assert sum(r[2].startswith("Paid") for r in rows) == 10
    assert sum(r[2] == "No open credit: not booked" for r in rows) == 2
    assert dialog.book_button.text() == "Book 10 sessions"
    assert "2 have no credit" in dialog.summary.text()
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert len(dialog.result_series.booked) == 10
    balance = desk_staff.services.credits.balances(MemberId(gym["ann"]))[0]
    assert (balance.open, balance.booked) == (0, 10)


def test_every_n_weeks_until_a_date(qtbot, desk_staff, gym):
    dialog = open_dialog(qtbot, desk_staff, gym)
    dialog.repeat.setCurrentIndex(REPEAT_EVERY_N)
    dialog.interval.setValue(3)
    dialog.end_until.setChecked(True)
    dialog.until.setDate(dialog.until.date().fromString("2026-05-01", "yyyy-MM-dd"))
    assert [r[0] for r in preview(dialog)] == [
        "Tue 10 Mar 2026 10:00",
        "Tue 31 Mar 2026 10:00",
        "Tue 21 Apr 2026 10:00",
    ]


def test_bad_pattern_is_explained_next_to_the_repeat_field(qtbot, desk_staff, gym):
    dialog = open_dialog(qtbot, desk_staff, gym)
    dialog.repeat.setCurrentIndex(REPEAT_WEEKLY)
    dialog.end_until.setChecked(True)
    dialog.until.setDate(dialog.until.date().fromString("2026-03-01", "yyyy-MM-dd"))
    assert "before the first session" in dialog.repeat_error.text()
    assert not dialog.book_button.isEnabled()


def test_conflict_is_listed_and_not_booked(qtbot, desk_staff, gym):
    services = desk_staff.services
    services.booking.book(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=gym["coach"],
        starts_at=datetime(2026, 3, 17, 10, 30, tzinfo=GYM_TZ),
        actor=SYSTEM,
    )
    dialog = open_dialog(qtbot, desk_staff, gym)
    dialog.repeat.setCurrentIndex(REPEAT_WEEKLY)
    dialog.count.setValue(3)
    rows = preview(dialog)
    # The session in the way, in the desk's formats (not the service's ISO times).
    assert rows[1][1] == "Busy 10:30\N{EN DASH}11:30: Ann Smith (Personal Training)"
    assert rows[1][2] == "\N{EM DASH}"
    assert dialog.book_button.text() == "Book 2 sessions"


@pytest.mark.usefixtures("gym")
def test_no_credit_refuses_and_offers_add_credits(qtbot, desk_staff, gym, monkeypatch):
    dialog = open_dialog(qtbot, desk_staff, gym, member="bob")
    assert not dialog.book_button.isEnabled()
    assert "no credit to pay" in dialog.credit_error.text()
    assert dialog.add_credits.isVisible()

    def grant(ctx, parent, member_id, member_name=""):
        assert member_id == gym["bob"]
        outcome = ctx.services.credits.add_credits(
            member_id=MemberId(member_id),
            appointment_type_id=AppointmentTypeId(gym["pt"]),
            quantity=2,
            expires_on=None,
            actor=SYSTEM,
        )
        return outcome.value

    monkeypatch.setattr(AddCreditsDialog, "ask", staticmethod(grant))
    qtbot.mouseClick(dialog.add_credits, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    # Back in the booking, now paid for.
    assert dialog.book_button.isEnabled()
    assert "2 open Personal Training credits" in dialog.credits_info.text()
    assert not dialog.add_credits.isVisible()


def test_preview_model_passes_the_model_tester(qtbot, desk_staff, gym, qtmodeltester):
    dialog = open_dialog(qtbot, desk_staff, gym)
    dialog.repeat.setCurrentIndex(REPEAT_WEEKLY)
    qtmodeltester.check(dialog.preview_model)


def test_typing_a_name_nobody_picked_says_so_at_once(qtbot, desk_staff, gym):
    dialog = BookingDialog(desk_staff, staff_id=gym["coach"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.member_error.text() == ""  # an empty field is not scolded
    qtbot.keyClicks(dialog.member, "Nobody")
    assert dialog.member_error.text() == "Pick the member from the suggestions."
    assert dialog.member_error.isVisible()
    assert not dialog.book_button.isEnabled()
    dialog.member.clear()
    assert dialog.member_error.text() == ""
