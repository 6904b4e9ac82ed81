"""Book now, pay later in the booking dialog: "Book as unpaid" when no credit covers a
session and the role may; the series books the uncovered ones unpaid."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desk.services.core.ids import MemberId, StaffId
from desk.ui.calendar.booking_dialog import REPEAT_WEEKLY
from desk.ui.calendar.unpaid_offer import NO_CREDIT_UNPAID
from tests.actors import SYSTEM
from tests.ui.calendar.test_booking_dialog import open_dialog


def _weekly_for_bob_with_one_credit(qtbot, ctx, gym):
    ctx.services.credits.add_credits(
        member_id=MemberId(gym["bob"]), appointment_type_id=gym["pt"], quantity=1,
        expires_on=None, actor=SYSTEM,
    )  # fmt: skip
    dialog = open_dialog(qtbot, ctx, gym, member="bob")
    dialog.appointment_type.setCurrentIndex(dialog.appointment_type.findData(gym["pt"]))
    dialog.repeat.setCurrentIndex(REPEAT_WEEKLY)
    return dialog


def test_no_credit_offers_book_as_unpaid_and_books_it(qtbot, desk_staff, gym):
    dialog = open_dialog(qtbot, desk_staff, gym, member="bob")
    dialog.appointment_type.setCurrentIndex(dialog.appointment_type.findData(gym["pt"]))
    assert not dialog.book_button.isEnabled()
    assert dialog.unpaid_offer.button.isVisible()
    assert dialog.unpaid_offer.button.text() == "Book as unpaid"
    assert dialog.credit_error.text() == NO_CREDIT_UNPAID
    qtbot.mouseClick(dialog.unpaid_offer.button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    [booked] = desk_staff.services.booking.for_member(MemberId(gym["bob"]))
    assert booked.unpaid
    assert booked.lot_id is None
    assert not dialog.isVisible()


def test_a_series_books_the_covered_paid_and_the_rest_unpaid(qtbot, desk_staff, gym):
    dialog = _weekly_for_bob_with_one_credit(qtbot, desk_staff, gym)
    dialog.count.setValue(3)
    assert dialog.unpaid_offer.button.text() == "Book 3 (2 unpaid)"
    assert dialog.book_button.text() == "Book"  # the plain Book: the one paid session
    qtbot.mouseClick(dialog.unpaid_offer.button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    booked = desk_staff.services.booking.for_member(MemberId(gym["bob"]))
    assert sorted(b.unpaid for b in booked) == [False, True, True]


def test_the_plain_book_button_still_books_only_what_credits_pay(qtbot, desk_staff, gym):
    dialog = _weekly_for_bob_with_one_credit(qtbot, desk_staff, gym)
    dialog.count.setValue(2)
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    booked = desk_staff.services.booking.for_member(MemberId(gym["bob"]))
    assert [b.unpaid for b in booked] == [False]


def test_the_front_desk_gets_the_offer_only_when_the_gym_allows_it(qtbot, ctx, gym):
    front = ctx.services.staff.create(name="Fran", role="front_desk", actor=SYSTEM).value
    ctx.staff_id = StaffId(front.id)
    dialog = open_dialog(qtbot, ctx, gym, member="bob")
    dialog.appointment_type.setCurrentIndex(dialog.appointment_type.findData(gym["pt"]))
    assert not dialog.unpaid_offer.button.isVisible()
    assert dialog.credit_error.text().endswith("Add credits first.")
    dialog.close()
    ctx.services.unpaid.set_front_desk_books_unpaid(True, actor=SYSTEM)
    dialog = open_dialog(qtbot, ctx, gym, member="bob")
    dialog.appointment_type.setCurrentIndex(dialog.appointment_type.findData(gym["pt"]))
    assert dialog.unpaid_offer.button.isVisible()
