"""The profile's appointments tab: "Forgive…" on a no-show row gives its credit back."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QTabWidget

from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.ui.members.profile_reading import history_kinds


def _no_show(ctx, gym, clock) -> int:
    appt = ctx.services.booking.book(
        member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=gym["coach"], starts_at=clock.current - timedelta(hours=2), allow_past=True,
        actor=SYSTEM,
    ).value  # fmt: skip
    outcome = ctx.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    ctx.hub.publish(outcome.changes)
    ctx.runner.wait_idle()
    return appt.id


def _open(ctx, gym) -> int:
    return ctx.services.credits.open_credits(MemberId(gym["ann"]), AppointmentTypeId(gym["pt"]))


def _click_row(profile, kind: str) -> None:
    table = profile.view.history
    row = history_kinds(profile).index(kind)
    rect = table.visualRect(table.model().index(row, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_forgive_a_no_show_from_the_appointments_tab(profile, ctx, gym, clock, monkeypatch):
    asked: list[str] = []

    def get_text(parent, title, label, *args, **kwargs):
        asked.append(label)
        return "Her child was ill", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    appt = _no_show(ctx, gym, clock)
    before = _open(ctx, gym)
    profile.findChild(QTabWidget).setCurrentWidget(profile.view.appointments_tab)
    button = profile.view.forgive_button
    assert not button.isEnabled()  # nothing selected yet
    _click_row(profile, "Sold")
    assert not button.isEnabled()  # a sale has nothing to forgive
    _click_row(profile, "No show")
    assert button.isEnabled()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert "no-show of Ann Smith" in asked[0]
    assert _open(ctx, gym) == before + 1
    assert ctx.services.booking.get(AppointmentId(appt)).status == AppointmentStatus.NO_SHOW
    assert "Forgave the no-show" in profile.view.history_status.text()
    assert "Forgiven" in history_kinds(profile)
