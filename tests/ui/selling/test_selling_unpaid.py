"""Sell and the billing run say which unpaid bookings their credits paid."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.members.member_profile import MemberProfile
from desk.ui.selling.billing_run_dialog import BillingRunDialog
from desk.ui.selling.sell_package_dialog import SellPackageDialog
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ


def _book_bob_unpaid(ctx, gym, month: int, day: int) -> None:
    ctx.services.booking.book(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=StaffId(gym["coach"]),
        starts_at=datetime(2026, month, day, 10, tzinfo=GYM_TZ), unpaid=True, actor=SYSTEM,
    )  # fmt: skip


def test_selling_a_package_says_which_unpaid_booking_it_paid(
    qtbot, desk_staff, gym, catalog, monkeypatch
):
    _book_bob_unpaid(desk_staff, gym, 3, 10)
    profile = MemberProfile(desk_staff, gym["bob"])
    qtbot.addWidget(profile)
    profile.show()
    desk_staff.runner.wait_idle()

    def run(dialog: SellPackageDialog) -> int:
        dialog.show()
        QTest.mouseClick(dialog.sell_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(SellPackageDialog, "exec", run)
    QTest.mouseClick(profile.view.sell_package_button, Qt.MouseButton.LeftButton)
    assert profile.view.action_status.text() == (
        "Paid 1 unpaid booking: Tue 10 Mar 10:00 Personal Training."
    )


def test_the_billing_run_says_which_unpaid_bookings_its_credits_paid(
    qtbot, desk_staff, gym, catalog
):
    _package, plan = catalog
    services = desk_staff.services
    services.sales.assign_plan(
        member_id=MemberId(gym["bob"]), plan_id=plan.id, starts_on=date(2026, 4, 1),
        actor=SYSTEM,
    )  # fmt: skip
    _book_bob_unpaid(desk_staff, gym, 4, 3)
    services.clock.current = datetime(2026, 4, 1, 15, tzinfo=UTC)
    run = BillingRunDialog(desk_staff)
    qtbot.addWidget(run)
    run.show()
    run.through.setDate(QDate(2026, 4, 1))
    qtbot.mouseClick(run.run_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert run.outcome_label.text().endswith(
        "Paid 1 unpaid booking: Fri 3 Apr 10:00 Personal Training."
    )
