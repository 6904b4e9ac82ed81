"""A day at the desk: the clock says Wednesday 10:00 in New York."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentView
from desk.ui.calendar.cancel_dialog import CancelDialog
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ

WEDNESDAY = date(2026, 3, 4)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 4, hour, minute, tzinfo=GYM_TZ).astimezone(UTC)


def book(ctx, gym, hour: int, member: str = "ann", kind: str = "pt") -> AppointmentView:
    return ctx.services.booking.book(
        member_id=MemberId(gym[member]),
        appointment_type_id=AppointmentTypeId(gym[kind]),
        staff_id=StaffId(gym["coach"]),
        starts_at=at(hour),
        allow_past=True,  # the day began before the clock's 10:00
        actor=SYSTEM,
    ).value


@pytest.fixture
def day(desk_staff, gym) -> dict[str, AppointmentView]:
    """Ann at 8:00 and 9:00 (late by 10:00) and 14:00; Bob's massage at 11:00, his
    only credit: none left after it."""
    ctx = desk_staff
    # Check-in opens 10 hours before a start, so every session of the day can be checked
    # in at the clock's 10:00 (the window itself is tested in the service tests).
    ctx.services.settings.set_check_in_opens_minutes(600, actor=SYSTEM)
    ctx.services.credits.add_credits(
        member_id=MemberId(gym["bob"]),
        appointment_type_id=AppointmentTypeId(gym["massage"]),
        quantity=1,
        expires_on=None,
        actor=SYSTEM,
    )
    return {
        "ann_14": book(ctx, gym, 14),
        "ann_9": book(ctx, gym, 9),
        "bob_11": book(ctx, gym, 11, "bob", "massage"),
        "ann_8": book(ctx, gym, 8),
    }


@pytest.fixture
def answers(monkeypatch) -> dict[str, object]:
    """QMessageBox.question says Yes (tests set "question" to No) and the cancel dialog
    is accepted as it stands; both record what they were asked."""
    seen: dict[str, object] = {
        "question": QMessageBox.StandardButton.Yes,
        "questions": [],
        "cancel": [],
    }

    def question(parent, title, text, *args, **kwargs):
        seen["questions"].append(text)  # type: ignore[union-attr]
        return seen["question"]

    def cancel_exec(dialog: CancelDialog) -> int:
        seen["cancel"].append(dialog)  # type: ignore[union-attr]
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(CancelDialog, "exec", cancel_exec)
    return seen


def shown_menu(qtbot, row_actions) -> QMenu:
    """The row's context menu, once it pops up."""
    qtbot.waitUntil(lambda: row_actions.last_menu is not None and row_actions.last_menu.isVisible())
    menu = row_actions.last_menu
    assert menu is not None
    return menu


def enabled(menu: QMenu) -> dict[str, bool]:
    return {a.objectName(): a.isEnabled() for a in menu.actions()}


def choose(menu: QMenu, name: str) -> None:
    """Click the menu's action ``name`` as a person does."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    (action,) = [a for a in menu.actions() if a.objectName() == name]
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
