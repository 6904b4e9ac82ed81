"""Today's N and X on a type with fees: the no-show question and the cancel dialog say
what goes on the account, and marking it charges the fee (driven through the keys)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId
from desk.services.core.read_models import AppointmentStatus
from desk.ui.today.today_screen import TodayScreen
from desk.ui.widgets.table_model import RowRole
from tests.actors import SYSTEM


@pytest.fixture
def page(qtbot, desk_staff, day, gym) -> TodayScreen:
    for kind in ("pt", "massage"):
        desk_staff.services.appointment_types.set_fees(
            AppointmentTypeId(gym[kind]), late_cancel_fee_cents=1_500, no_show_fee_cents=2_000,
            actor=SYSTEM,
        )  # fmt: skip
    screen = TodayScreen(desk_staff)
    qtbot.addWidget(screen)
    screen.resize(1000, 600)
    screen.show()
    qtbot.waitExposed(screen)
    desk_staff.runner.wait_idle()
    return screen


def _select(page: TodayScreen, appt) -> None:
    proxy = page.proxy
    row = next(
        r
        for r in range(proxy.rowCount())
        if proxy.index(r, 0).data(RowRole).appointment.id == appt.id
    )
    table = page.view.table
    rect = table.visualRect(proxy.index(row, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_n_says_the_no_show_fee_and_charges_it(page, desk_staff, day, gym, answers):
    _select(page, day["ann_9"])
    QTest.keyClick(page.view.table, Qt.Key.Key_N)
    desk_staff.runner.wait_idle()
    [question] = answers["questions"]
    assert "The credit is forfeited. A $20.00 no-show fee goes on the account." in question
    status = desk_staff.services.booking.get(AppointmentId(day["ann_9"].id)).status
    assert status == AppointmentStatus.NO_SHOW
    assert desk_staff.services.account.balance(MemberId(gym["ann"])) == -2_000


def test_x_says_the_late_cancel_fee_and_charges_it(page, desk_staff, day, gym, answers):
    _select(page, day["bob_11"])
    QTest.keyClick(page.view.table, Qt.Key.Key_X)
    desk_staff.runner.wait_idle()
    (dialog,) = answers["cancel"]
    assert "A $15.00 late-cancel fee goes on the account." in dialog.message.text()
    assert dialog.return_credit.text() == "Return the credit anyway and waive the fee"
    assert desk_staff.services.account.balance(MemberId(gym["bob"])) == -1_500
