"""A gym moves in and runs its first booking, through the windows only: import the
old system's credits, find the member, book, check in from the calendar, export.

Each screen has tests of its own; this one proves they work together on one real
database, each reacting to what the others did (through the change hub).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QPushButton

from desk.services.core.ids import MemberId
from desk.ui.calendar.booking_dialog import BookingDialog
from desk.ui.members.member_profile import MemberProfile
from desk.ui.shell.main_window import MainWindow

NY = ZoneInfo("America/New_York")
WEDNESDAY = date(2026, 3, 4)  # the tests' clock: 10:00 in New York that day
OLD_SYSTEM = (
    "Client Name;Email Address;Pricing Option;Sessions Remaining;Expiration Date;Amount Paid\r\n"
    "Nina Park;nina@example.com;Personal Training;6;12/31/2026;$300.00\r\n"
)


def test_move_in_then_book_check_in_and_export(qtbot, desk_staff, gym, tmp_path: Path):
    window = MainWindow(
        desk_staff, QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    # 1. File > Import: the old system's credits, creating the member they belong to.
    old_file = tmp_path / "pushpress.csv"
    old_file.write_bytes(OLD_SYSTEM.encode("cp1252"))
    wizard = window.import_file()
    wizard.file_page.file.setText(str(old_file))
    wizard.next()
    wizard.mapping_page.create_members.setChecked(True)
    wizard.next()
    assert wizard.currentPage() is wizard.types_page  # Personal Training is Desk's
    wizard.next()
    qtbot.waitUntil(lambda: wizard.state.preview is not None)
    assert "1 to import" in wizard.preview_page.status.text()
    wizard.next()  # Import
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=10_000)
    wizard.close()

    # 2. Find her by typing; Enter opens her profile with the credits she brought.
    bar = window.search_panel.search
    bar.setFocus()
    qtbot.keyClicks(bar, "nina")
    qtbot.waitUntil(lambda: window.search_panel.proxy.rowCount() == 1)
    qtbot.keyClick(bar, Qt.Key.Key_Return)
    (nina,) = desk_staff.services.members.search("nina@example.com")
    profile: MemberProfile = window.profiles[nina.id]
    desk_staff.runner.wait_idle()  # the profile loads on the read worker
    assert profile.view.name.text() == "Nina Park"
    assert profile.view.summary.text().startswith("<b>6 open</b>")
    (lot,) = profile.lot_model.rows()
    assert (lot.source.value, lot.remaining, lot.price_cents) == ("migration", 6, 300_00)

    # 3. Book an hour with the coach; the open profile follows.
    starts = datetime(2026, 3, 4, 11, 0, tzinfo=NY)
    booking = BookingDialog(
        desk_staff, member_id=nina.id, member_name="Nina Park", staff_id=gym["coach"],
        starts_at=starts,
    )  # fmt: skip
    qtbot.addWidget(booking)
    booking.show()
    assert booking.book_button.isEnabled()
    qtbot.mouseClick(booking.book_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "1 booked" in profile.view.summary.text())
    assert profile.view.summary.text().startswith("<b>5 open</b>")
    assert profile.upcoming_model.rowCount() == 1

    # 4. Check her in from the calendar's side panel.
    window.show_calendar()
    calendar = window.calendar
    calendar.show_day(WEDNESDAY)
    desk_staff.runner.wait_idle()  # the day loads on the read worker
    (block,) = [b for b in calendar.canvas.blocks if b.appointment.member_id == nina.id]
    qtbot.mouseClick(
        calendar.canvas,
        Qt.MouseButton.LeftButton,
        pos=calendar.canvas.block_rect(block.appointment.id).center(),
    )
    assert calendar.findChild(QLabel, "panelMember").text() == "Nina Park"
    qtbot.mouseClick(calendar.findChild(QPushButton, "checkInButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "1 used" in profile.view.summary.text())
    assert "0 booked" in profile.view.summary.text()
    # (The tests' clock stands still, so all three happened "at the same instant".)
    kinds = sorted(row.kind.value for row in profile.history_model.rows())
    assert kinds == ["attended", "booked", "sold"]
    assert desk_staff.services.credits.verify_ledger() == []

    # 5. File > Export credits: her 5 open credits, as the next system would read them.
    exported = tmp_path / "credits.csv"
    window.export_file("credits", exported)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Exported"))
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    (hers,) = [r for r in rows if r["Email"] == "nina@example.com"]
    assert (hers["Remaining"], hers["Expires"], hers["Source"]) == ("5", "2026-12-31", "migration")
    balances = desk_staff.services.credits.balances(MemberId(nina.id))
    assert [(b.open, b.booked, b.used) for b in balances] == [(5, 0, 1)]
