"""The Today page's row menu: undo a check-in or no-show (owners and admins only)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog

from desk.services.core.ids import AppointmentId, StaffId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.ui.today.conftest import choose, enabled, shown_menu
from tests.ui.today.test_today_page import page, select, status_of

__all__ = ["page"]  # the fixture, shared with the page's tests


@pytest.fixture
def reasons(monkeypatch) -> list[str]:
    asked: list[str] = []

    def get_text(parent, title, label, *args, **kwargs):
        asked.append(label)
        return "Marked by mistake", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return asked


def sign_in(ctx, role: str) -> None:
    staff = ctx.services.staff.create(name=f"A {role}", role=role, actor=SYSTEM).value
    ctx.staff_id = StaffId(staff.id)


def open_menu(qtbot, page, appt):
    select(page, appt)
    table = page.view.table
    index = table.selectionModel().selectedRows()[0]
    table.customContextMenuRequested.emit(table.visualRect(index).center())
    return shown_menu(qtbot, page.row_actions)


def test_owner_undoes_a_no_show_from_the_row_menu(page, desk_staff, day, qtbot, reasons):
    sign_in(desk_staff, "owner")
    desk_staff.services.booking.no_show(AppointmentId(day["ann_9"].id), actor=SYSTEM)
    page.reload()
    desk_staff.runner.wait_idle()
    menu = open_menu(qtbot, page, day["ann_9"])
    assert enabled(menu)["undoStatusAction"]
    choose(menu, "undoStatusAction")
    desk_staff.runner.wait_idle()
    assert len(reasons) == 1
    assert status_of(desk_staff, day["ann_9"]) == AppointmentStatus.BOOKED
    assert "Undid the no-show of Ann Smith" in page.view.status_line.text()


def test_front_desk_sees_the_undo_disabled(page, desk_staff, day, qtbot, reasons):
    sign_in(desk_staff, "front_desk")
    desk_staff.services.booking.check_in(AppointmentId(day["ann_9"].id), actor=SYSTEM)
    page.reload()
    desk_staff.runner.wait_idle()
    menu = open_menu(qtbot, page, day["ann_9"])
    assert enabled(menu)["undoStatusAction"] is False
    page.appointment_actions.undo_status(page.row_actions.selected())
    desk_staff.runner.wait_idle()
    assert reasons == []
    assert status_of(desk_staff, day["ann_9"]) == AppointmentStatus.ATTENDED
