"""The profile shows a member's unpaid bookings, and Add Credits says which it paid."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.member_profile import MemberProfile
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ


def _book_bob_unpaid(ctx, gym, day: int) -> None:
    ctx.services.booking.book(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=StaffId(gym["coach"]), starts_at=datetime(2026, 3, day, 10, tzinfo=GYM_TZ),
        unpaid=True, actor=SYSTEM,
    )  # fmt: skip


def test_unpaid_bookings_show_and_add_credits_pays_them(qtbot, desk_staff, gym, monkeypatch):
    _book_bob_unpaid(desk_staff, gym, 12)
    _book_bob_unpaid(desk_staff, gym, 10)
    profile = MemberProfile(desk_staff, gym["bob"])
    qtbot.addWidget(profile)
    profile.show()
    desk_staff.runner.wait_idle()
    assert "2 unpaid bookings owing a credit" in profile.view.summary.text()
    model = profile.view.coming_up.model()
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == [
        "Personal Training, unpaid",
        "Personal Training, unpaid",
    ]

    def run(dialog: AddCreditsDialog) -> int:
        dialog.show()
        index = dialog.appointment_type.findText("Personal Training")
        dialog.appointment_type.setCurrentIndex(index)
        dialog.quantity.selectAll()
        QTest.keyClicks(dialog.quantity, "5")
        QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AddCreditsDialog, "exec", run)
    QTest.mouseClick(profile.view.add_credits_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    # " —" leads to the Undo link next to the message (shell/credit_undo_offer.py).
    assert profile.view.action_status.text().removesuffix(" —") == (
        "Added 5 Personal Training credits to Bob Jones, never expiring "
        "Paid 2 unpaid bookings: Tue 10 Mar 10:00 Personal Training, "
        "Thu 12 Mar 10:00 Personal Training."
    )
    assert "unpaid" not in profile.view.summary.text()
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == [
        "Personal Training",
        "Personal Training",
    ]


def test_assigning_a_plan_says_which_unpaid_bookings_its_credits_paid(
    qtbot, desk_staff, gym, monkeypatch
):
    from desk.ui.selling.assign_plan_dialog import AssignPlanDialog

    desk_staff.services.catalog.save_plan(
        name="Monthly PT", period="month", billing_day=1, price_cents=25_000,
        credits=[(gym["pt"], 4)], actor=SYSTEM,
    )  # fmt: skip
    _book_bob_unpaid(desk_staff, gym, 10)
    profile = MemberProfile(desk_staff, gym["bob"])
    qtbot.addWidget(profile)
    profile.show()
    desk_staff.runner.wait_idle()
    assert "1 unpaid booking owing a credit" in profile.view.summary.text()

    def run(dialog: AssignPlanDialog) -> int:
        dialog.show()
        dialog.plan.setCurrentIndex(
            dialog.plan.findText("Monthly PT", Qt.MatchFlag.MatchStartsWith)
        )
        QTest.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AssignPlanDialog, "exec", run)
    QTest.mouseClick(profile.view.assign_plan_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert profile.view.action_status.text() == (
        "Paid 1 unpaid booking: Tue 10 Mar 10:00 Personal Training."
    )
    assert "unpaid" not in profile.view.summary.text()
