"""The import wizard bringing booked sessions over, clicked through as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard

from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.ui.files.import_wizard import ImportWizard

# Two sessions to come and one that already happened (skipped, not booked).
BOOKINGS = (
    "Email,Service,Staff,Starts,Status,Credit Value,Credit Expires\n"
    "bob@example.com,Sports Massage,Kim Alvarez,2026-03-10T09:00-05:00,booked,90.00,2026-06-30\n"
    "bob@example.com,Sports Massage,Kim Alvarez,2026-03-17T09:00-04:00,booked,90.00,2026-06-30\n"
    "bob@example.com,Sports Massage,Kim Alvarez,2026-02-10T09:00-05:00,attended,90.00,\n"
)


@pytest.fixture
def bookings_file(tmp_path: Path) -> Path:
    path = tmp_path / "bookings.csv"
    path.write_text(BOOKINGS, encoding="utf-8")
    return path


@pytest.fixture
def wizard(qtbot, desk_staff) -> ImportWizard:
    widget = ImportWizard(desk_staff)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(wizard: ImportWizard, which: QWizard.WizardButton) -> None:
    QTest.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def test_booked_sessions_come_in_through_the_wizard(wizard, qtbot, desk_staff, gym, bookings_file):
    page = wizard.file_page
    radio = page.appointments
    QTest.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()
    QTest.keyClicks(page.file, str(bookings_file))
    click(wizard, QWizard.WizardButton.NextButton)

    mapping = wizard.mapping_page
    assert wizard.currentPage() is mapping
    guessed = [combo.currentData() for combo in mapping._combos]
    assert guessed[:4] == ["email", "appointment_type", "staff", "starts_at"]
    assert mapping.create_types.isVisible()  # a bookings file names types, like credits
    click(wizard, QWizard.WizardButton.NextButton)

    assert wizard.currentPage() is wizard.types_page
    assert [(t.name, t.rows, t.credits) for t in wizard.types_page.types] == [
        ("Sports Massage", 3, 3)
    ]
    click(wizard, QWizard.WizardButton.NextButton)
    preview = wizard.preview_page
    assert wizard.currentPage() is preview
    qtbot.waitUntil(lambda: preview.task is not None and not preview.task.is_running())
    qtbot.waitUntil(lambda: wizard.state.preview is not None)
    assert wizard.state.preview is not None
    assert wizard.state.preview.to_import == 2

    click(wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=10_000)
    summary = wizard.summary_page.summary.text()
    assert "Imported 2 bookings from bookings.csv" in summary

    booked = desk_staff.services.booking.for_member(MemberId(gym["bob"]))
    assert sorted(a.starts_at.isoformat() for a in booked) == [
        "2026-03-10T14:00:00+00:00",
        "2026-03-17T13:00:00+00:00",
    ]
    # Each booking holds its own credit: none is left open, both come back on a cancel.
    massage = AppointmentTypeId(gym["massage"])
    assert desk_staff.services.credits.open_credits(MemberId(gym["bob"]), massage) == 0
