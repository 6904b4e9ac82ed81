"""The profile at 1280 x 800: no table scrolls sideways, however long its notes; the
credits per type table scrolls inside its tab; messages and bookings move nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView

from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.member_profile import MemberProfile
from tests.actors import SYSTEM
from tests.ui.driving import click_tab

LONG = "Moved from the old paper system at the front desk, checked twice by the manager " * 3


@pytest.fixture
def busy_member(desk_staff, gym, clock) -> int:
    services = desk_staff.services
    kind = services.appointment_types.create(
        name="Sports Rehabilitation and Mobility Assessment with Physiotherapist",
        duration_minutes=60,
        actor=SYSTEM,
    ).value
    coach = services.staff.create(
        name="Alexandra Montgomery-Fitzwilliam", role="coach", actor=SYSTEM
    ).value
    member = MemberId(gym["ann"])
    services.credits.add_credits(
        member_id=member,
        appointment_type_id=AppointmentTypeId(kind.id),
        quantity=5,
        expires_on=date(2027, 6, 30),
        price_cents=123_456,
        note=LONG,
        actor=SYSTEM,
    )
    services.booking.book(
        member_id=member,
        appointment_type_id=AppointmentTypeId(kind.id),
        staff_id=coach.id,
        starts_at=clock.current + timedelta(days=2),
        notes=LONG,
        actor=SYSTEM,
    )
    services.account.record_payment(member, 5000, note=LONG, actor=SYSTEM)
    return member


def profile_at(qtbot, ctx, member_id: int, width: int = 1280, height: int = 800) -> MemberProfile:
    profile = MemberProfile(ctx, member_id)
    qtbot.addWidget(profile)
    profile.resize(width, height)
    profile.show()
    qtbot.waitExposed(profile)
    ctx.runner.wait_idle()
    QApplication.processEvents()
    return profile


@pytest.mark.parametrize("locale_name", ["en_GB", "en_US"])
def test_no_table_scrolls_sideways_at_1280(qtbot, desk_staff, busy_member, locale_name):
    from PySide6.QtCore import QLocale

    if locale_name == "en_US":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    profile = profile_at(qtbot, desk_staff, busy_member)
    wide: list[str] = []
    for tab in range(profile.view.tabs.count()):
        click_tab(profile.view.tabs, tab)
        for table in profile.findChildren(QTableView):
            if table.isVisible() and table.horizontalScrollBar().maximum() > 0:
                wide.append(f"tab {tab}: {table.objectName()}")
    assert wide == []
    # The long note is cut short on screen, and whole in its tooltip.
    lots = profile.view.lots.model()
    notes = [lots.index(r, lots.columnCount() - 1) for r in range(lots.rowCount())]
    assert any(i.data(Qt.ItemDataRole.ToolTipRole) == LONG.strip() for i in notes)


def test_credits_per_type_scroll_inside_their_tab(qtbot, desk_staff, gym):
    services = desk_staff.services
    for number in range(12):
        kind = services.appointment_types.create(
            name=f"Type {number:02d}", duration_minutes=30, actor=SYSTEM
        ).value
        services.credits.add_credits(
            member_id=MemberId(gym["ann"]),
            appointment_type_id=AppointmentTypeId(kind.id),
            quantity=1,
            expires_on=None,
            actor=SYSTEM,
        )
    profile = profile_at(qtbot, desk_staff, gym["ann"])
    balances = profile.view.balances
    assert balances.model().rowCount() == 13
    assert profile.height() == 800  # the window did not grow to hold them
    assert balances.verticalScrollBar().maximum() > 0  # they scroll in the table
    tab = profile.view.credits_tab
    bottom = balances.mapTo(tab, balances.rect().bottomLeft()).y()
    assert bottom <= tab.height()
    # Whole rows of three types at least stay in view above the lots.
    assert balances.viewport().height() >= 3 * balances.verticalHeader().defaultSectionSize()


def test_a_message_and_a_first_booking_move_nothing(qtbot, desk_staff, gym, clock, monkeypatch):
    profile = profile_at(qtbot, desk_staff, gym["bob"])  # nothing booked
    view = profile.view

    def places() -> list[tuple[int, int, int, int]]:
        return [
            (w.mapTo(profile, w.rect().topLeft()).y(), w.height(), w.x(), w.width())
            for w in (view.summary, view.coming_up_stack, view.tabs, view.book_button)
        ]

    before = places()
    assert view.coming_up_empty.isVisible()

    def add(dialog: AddCreditsDialog) -> int:
        dialog.show()
        QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AddCreditsDialog, "exec", add)
    QTest.mouseClick(view.add_credits_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    QApplication.processEvents()
    assert view.action_status.text().startswith("Added 1 Personal Training credit to Bob")
    assert places() == before
    outcome = desk_staff.services.booking.book(
        member_id=MemberId(gym["bob"]),
        appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=gym["coach"],
        starts_at=clock.current + timedelta(days=1),
        actor=SYSTEM,
    )
    desk_staff.hub.publish(outcome.changes)
    desk_staff.runner.wait_idle()
    QApplication.processEvents()
    assert view.coming_up.isVisible()
    assert places() == before
