"""Ending a plan from the profile's Account tab: the choices, the preview, then the end."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox

from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId
from desk.services.core.read_models import AppointmentStatus
from desk.ui.members.member_profile import MemberProfile
from desk.ui.selling.end_plan_dialog import EndPlanDialog
from tests.actors import SYSTEM


def _pick(combo: QComboBox, value: str) -> None:
    """Choose by keyboard, as a person would: focus the combo, arrow down to the item."""
    combo.setFocus()
    while combo.currentData() != value:
        QTest.keyClick(combo, Qt.Key.Key_Down)


def _type_date(dialog: EndPlanDialog, text: str) -> None:
    edit = dialog.ends.edit
    edit.selectAll()
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Tab)


def test_end_plan_from_the_profile_previews_then_refunds_and_cancels(
    qtbot, desk_staff, gym, catalog, clock
):
    _, plan = catalog
    services = desk_staff.services
    bob = MemberId(gym["bob"])
    services.sales.assign_plan(member_id=bob, plan_id=plan.id, starts_on=date(2026, 3, 1),
                               actor=SYSTEM)  # fmt: skip
    late = services.booking.book(
        member_id=bob, appointment_type_id=AppointmentTypeId(gym["pt"]), staff_id=gym["coach"],
        starts_at=clock.current + timedelta(days=20), actor=SYSTEM,
    ).value  # fmt: skip
    profile = MemberProfile(desk_staff, gym["bob"])
    qtbot.addWidget(profile)
    profile.show()
    desk_staff.runner.wait_idle()
    button = profile.view.end_plan_button
    assert button.isEnabled()
    seen: dict[str, str] = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EndPlanDialog)
        assert "3 open credit(s) stay until their expiry" in dialog.preview.text()
        assert ": kept." in dialog.preview.text()
        _type_date(dialog, "20/03/2026")
        _pick(dialog.credits, "refund")
        _pick(dialog.bookings, "cancel")
        seen["preview"] = dialog.preview.text()
        QTest.mouseClick(dialog.end_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()

    QTimer.singleShot(0, drive)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert "4 open credit(s) are refunded: $250.00 to the account." in seen["preview"]
    assert ": cancelled." in seen["preview"]
    assert services.booking.get(AppointmentId(late.id)).status == AppointmentStatus.CANCELLED
    assert services.account.balance(bob) == 0
    assert services.sales.subscriptions(bob)[0].ends_on == date(2026, 3, 20)
    assert "to 20 Mar 2026" in profile.view.plans_label.text()


def test_a_refused_end_date_shows_under_the_form(qtbot, desk_staff, gym, catalog):
    _, plan = catalog
    sub = desk_staff.services.sales.assign_plan(
        member_id=MemberId(gym["bob"]), plan_id=plan.id, starts_on=date(2026, 3, 1), actor=SYSTEM
    ).value
    dialog = EndPlanDialog(desk_staff, [sub], "Bob Jones")
    qtbot.addWidget(dialog)
    dialog.show()
    _type_date(dialog, "01/03/2026")
    assert "not in the past" in dialog.error.text()
    assert not dialog.end_button.isEnabled()
