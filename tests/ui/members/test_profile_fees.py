"""The profile's Account tab: a no-show fee shows with its appointment, and "Waive fee…"
on its row waives it with a reason (owner or admin), through the real widgets."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QTabWidget

from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.ui.members.member_profile import MemberProfile
from tests.actors import SYSTEM


def _no_show_with_fee(ctx, gym, clock) -> int:
    ctx.services.appointment_types.set_fees(
        AppointmentTypeId(gym["pt"]), no_show_fee_cents=1_500, actor=SYSTEM
    )
    appt = ctx.services.booking.book(
        member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=gym["coach"], starts_at=clock.current - timedelta(hours=2), allow_past=True,
        actor=SYSTEM,
    ).value  # fmt: skip
    outcome = ctx.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    ctx.hub.publish(outcome.changes)
    ctx.runner.wait_idle()
    return appt.id


def _notes(profile: MemberProfile) -> list[str]:
    model = profile.view.account_table.model()
    note = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == "Note"
    )
    return [str(model.index(r, note).data()) for r in range(model.rowCount())]


def _click_row(profile: MemberProfile, row: int) -> None:
    table = profile.view.account_table
    rect = table.visualRect(table.model().index(row, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_fee_shows_on_the_account_tab_and_is_waived_from_it(
    profile, ctx, gym, clock, monkeypatch
):
    asked: list[str] = []

    def get_text(parent, title, label, *args, **kwargs):
        asked.append(label)
        return "First time, let it go", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    _no_show_with_fee(ctx, gym, clock)
    profile.findChild(QTabWidget).setCurrentWidget(profile.view.account_tab)
    [note] = _notes(profile)
    assert note.startswith("No-show fee for Personal Training, ")
    assert "owed" in profile.view.account_balance.text()
    button = profile.view.waive_fee_button
    assert not button.isEnabled()  # nothing selected yet
    _click_row(profile, 0)
    assert button.isEnabled()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert "$15.00 no-show fee" in asked[0]
    assert ctx.services.account.balance(MemberId(gym["ann"])) == 0
    notes = _notes(profile)
    assert notes[0].startswith("Waived the fee for Personal Training")
    assert notes[1].endswith("(waived)")
    _click_row(profile, 1)
    assert not button.isEnabled()  # waived already


def test_the_front_desk_may_not_waive(qtbot, ctx, gym, clock):
    front = ctx.services.staff.create(name="Fran", role="front_desk", actor=SYSTEM).value
    ctx.staff_id = StaffId(front.id)
    _no_show_with_fee(ctx, gym, clock)
    profile = MemberProfile(ctx, gym["ann"])
    qtbot.addWidget(profile)
    profile.show()
    ctx.runner.wait_idle()
    profile.findChild(QTabWidget).setCurrentWidget(profile.view.account_tab)
    _click_row(profile, 0)
    assert profile.view.account_table.selectionModel().selectedRows()
    assert not profile.view.waive_fee_button.isEnabled()
