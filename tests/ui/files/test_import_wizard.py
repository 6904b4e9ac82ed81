"""The import wizard, driven page by page on real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from desk.services.core.ids import MemberId
from desk.services.importing.csv_file import text_encoding
from desk.ui.files.import_wizard import ImportWizard
from desk.ui.files.problem_table_model import COL_PROBLEM, COL_VALUE

CREDITS = (
    "Client Name;Email Address;Pricing Option;Sessions Remaining;Expiration Date;Amount Paid\r\n"
    'Ann Smith;ann@example.com;Personal Training;5;12/31/2026;"$1.200,00"\r\n'
    "Carla Díaz;;Personal Training;3;;0\r\n"
)


@pytest.fixture
def credits_file(tmp_path: Path) -> Path:
    path = tmp_path / "pushpress.csv"
    path.write_bytes(CREDITS.encode("cp1252"))
    return path


@pytest.fixture
def wizard(qtbot, desk_staff) -> ImportWizard:
    widget = ImportWizard(desk_staff)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def go_to_preview(wizard: ImportWizard, qtbot, path: Path) -> None:
    wizard.file_page.file.setText(str(path))
    assert wizard.file_page.isComplete()
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    assert wizard.currentPage() is wizard.types_page  # every type of the file is known
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    qtbot.waitUntil(
        lambda: wizard.preview_page.task is not None and not wizard.preview_page.task.is_running()
    )
    qtbot.waitUntil(lambda: wizard.state.preview is not None)


def test_detects_format_and_guesses_columns(wizard, qtbot, credits_file):
    wizard.file_page.file.setText(str(credits_file))
    wizard.next()
    page = wizard.mapping_page
    assert page.encoding.currentText() == "cp1252"
    assert page.delimiter.currentText() == "Semicolon"
    assert "2 rows" in page.detected.text()
    guessed = [combo.currentData() for combo in page._combos]
    assert guessed == ["name", "email", "appointment_type", "quantity", "expires_on", "price"]


def test_the_encoding_list_offers_only_text_encodings(wizard, credits_file):
    wizard.file_page.file.setText(str(credits_file))
    wizard.next()
    page = wizard.mapping_page
    assert not page.encoding.isEditable()  # no name can be typed in: only these
    offered = [page.encoding.itemText(i) for i in range(page.encoding.count())]
    assert "cp1252" in offered
    assert [text_encoding(name) for name in offered] == offered


def test_a_utf16_tab_file_is_shown_as_detected_and_stays_readable(wizard, tmp_path):
    path = tmp_path / "unicode_text.txt"  # what Excel's "Unicode Text" writes
    path.write_bytes(CREDITS.replace(";", "\t").encode("utf-16"))
    wizard.file_page.file.setText(str(path))
    wizard.next()
    page = wizard.mapping_page
    assert page.encoding.currentText() == "utf-16"
    assert page.delimiter.currentText() == "Tab"
    page.delimiter.setCurrentIndex(page.delimiter.findData("\t"))
    page._reread()  # what choosing in the list does: the file is read again as shown
    assert page.error.text() == ""
    assert "2 rows" in page.detected.text()
    guessed = [combo.currentData() for combo in page._combos]
    assert guessed == ["name", "email", "appointment_type", "quantity", "expires_on", "price"]


def test_preview_lists_problems_and_blocks_import(wizard, qtbot, credits_file):
    go_to_preview(wizard, qtbot, credits_file)
    report = wizard.state.preview
    assert not report.ok
    assert not wizard.preview_page.isComplete()
    problems = wizard.preview_page.problems.rows()
    assert [p.row for p in problems] == [3]
    assert "no member with this name" in problems[0].message
    shown = wizard.preview_page.problems.index(0, COL_PROBLEM).data()
    assert "go Back and tick “Create members that aren't in Desk yet”" in shown
    assert "--" not in shown  # no command-line flags in the wizard
    tooltip = wizard.preview_page.problems.index(0, COL_VALUE).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == shown  # the whole text, where the cell elides a long one
    assert "1 error(s)" in wizard.preview_page.status.text()


def test_full_import_with_new_members(wizard, qtbot, credits_file, desk_staff, gym):
    wizard.file_page.file.setText(str(credits_file))
    wizard.next()
    wizard.mapping_page.create_members.setChecked(True)
    wizard.next()
    wizard.next()  # the types page: Personal Training is Desk's
    qtbot.waitUntil(lambda: wizard.state.preview is not None)
    assert wizard.preview_page.isComplete()
    assert "2 to import" in wizard.preview_page.status.text()
    with qtbot.waitSignal(desk_staff.hub.changed, timeout=10_000):
        wizard.next()  # the commit button: "Import"
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=10_000)
    assert "Imported 2 rows" in wizard.summary_page.summary.text()
    assert wizard.summary_page.members.rowCount() == 2
    services = desk_staff.services
    ann = services.credits.balances(MemberId(gym["ann"]))
    assert {b.appointment_type: b.open for b in ann} == {"Personal Training": 15}
    lots = services.credits.lots(MemberId(gym["ann"]))
    imported = next(lot for lot in lots if lot.source.value == "migration")
    assert imported.price_cents == 120000
    assert str(imported.expires_on) == "2026-12-31"
    assert services.credits.verify_ledger() == []


def test_remapping_a_column(wizard, qtbot, credits_file):
    wizard.file_page.file.setText(str(credits_file))
    wizard.next()
    wizard.mapping_page.set_field(5, "ignore")  # don't take the price
    wizard.mapping_page.create_members.setChecked(True)
    wizard.next()
    wizard.next()  # the types page
    qtbot.waitUntil(lambda: wizard.state.preview is not None)
    assert "price" not in wizard.state.preview.columns


def test_two_columns_for_one_field_is_refused(wizard, credits_file):
    wizard.file_page.file.setText(str(credits_file))
    wizard.next()
    wizard.mapping_page.set_field(1, "name")
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert "More than one column" in wizard.mapping_page.error.text()


def test_unreadable_file_stays_on_the_first_page(wizard, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    wizard.file_page.file.setText(str(empty))
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert "empty" in wizard.file_page.error.text()


def test_cancel_writes_nothing(wizard, qtbot, tmp_path, desk_staff):
    rows = ["Client Name,Pricing Option,Credits"] + [
        f"Member {n},Personal Training,2" for n in range(12_000)
    ]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(rows), encoding="utf-8")
    wizard.file_page.file.setText(str(big))
    wizard.next()
    wizard.mapping_page.create_members.setChecked(True)
    wizard.next()
    wizard.next()  # the types page
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=30_000)
    wizard.next()
    wizard.run_page.cancel()
    qtbot.waitUntil(lambda: not wizard.run_page.task.is_running(), timeout=30_000)
    qtbot.waitUntil(lambda: "Cancelled" in wizard.run_page.status.text())
    assert desk_staff.services.members.count() == 3  # the gym fixture's members only
    assert desk_staff.services.imports.batches() == []
    assert wizard.currentPage() is wizard.run_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
