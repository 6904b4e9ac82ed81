"""Every report saved as a PDF and printed from the Reports page, read back with pypdf:
the gym's name, the title, the filters, the chart and the table's own figures. Also
the filters on the page, the months in the desk's locale, and the page by role."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog

from desk.models import StaffRole
from desk.services.core.ids import MemberId, StaffId
from desk.services.core.settings import GeneralChange
from desk.services.reports.service import REPORT_TITLES
from tests.actors import SYSTEM
from tests.ui.reports.test_reports_page import _choose, _pick, _texts
from tests.ui.reports.test_statement_pdf import choose_from_menu


def _pdf_text(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def _images(path) -> int:
    count = 0
    for page in PdfReader(path).pages:
        objects = page["/Resources"].get_object().get("/XObject", {})
        count += sum(o.get_object()["/Subtype"] == "/Image" for o in objects.values())
    return count


def _save_pdf(page, monkeypatch, target) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    QTest.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)


def _print_to(monkeypatch, target) -> list[QPrinter]:
    """The Print dialog, accepted with its printer sent to a PDF file at ``target``."""
    used: list[QPrinter] = []

    def accept(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        used.append(printer)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    return used


@pytest.mark.parametrize("title", list(REPORT_TITLES.values()))
def test_every_report_saves_as_a_pdf_with_the_tables_figures(
    window,
    desk_staff,
    monkeypatch,
    tmp_path,
    title,
):
    desk_staff.services.settings.update_general(GeneralChange(name="Northside Strength"),
                                                actor=SYSTEM)  # fmt: skip
    page = window.reports
    _choose(page, desk_staff, title)
    target = tmp_path / "report.pdf"
    _save_pdf(page, monkeypatch, target)
    text = _pdf_text(target)
    heading = page.title.text().removeprefix("<b>").removesuffix("</b>")
    assert text.startswith(f"Northside Strength {heading}")
    assert page.note.text().startswith(f"Saved {target} (")
    # Every figure of the table, as the page shows it, is on paper, in order.
    at = 0
    for row in _texts(page):
        for cell in row:
            if cell:
                found = text.find(" ".join(cell.split()), at)
                assert found >= 0, (cell, row)
                at = found
    assert _images(target) == (1 if page.chart.bars else 0)


def test_the_liability_prints_on_the_printer_chosen(
    window,
    desk_staff,
    monkeypatch,
    tmp_path,
):
    page = window.reports
    target = tmp_path / "printed.pdf"
    used = _print_to(monkeypatch, target)
    QTest.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert len(used) == 1
    text = _pdf_text(target)
    # The small gym's PT 4 credits 108.34, the UI gym's 10 at 800.00: 908.34 in all.
    assert "PT 4 $108.34" in text
    assert "Personal Training 10 $800.00" in text
    assert "total 16 $908.34" in text
    assert "expiry month Mar 2026" in text  # the month in the desk's locale
    assert _images(target) == 1
    assert page.note.text() == f"Sent to {target} (1 page)."


def test_a_wide_report_prints_on_a_turned_page(
    window,
    desk_staff,
    monkeypatch,
    tmp_path,
):
    page = window.reports
    _choose(page, desk_staff, "Sales and account")
    target = tmp_path / "sales.pdf"
    _save_pdf(page, monkeypatch, target)
    box = PdfReader(target).pages[0].mediabox
    assert box.width > box.height


def test_the_filters_narrow_the_shown_report_and_its_pdf(
    window,
    desk_staff,
    monkeypatch,
    tmp_path,
):
    services = desk_staff.services
    (dan,) = list(services.members.search("Dan"))
    services.members.archive(MemberId(dan.id), actor=SYSTEM)
    page = window.reports
    desk_staff.runner.wait_idle()
    assert page.status.isVisible()
    assert page.plan.isVisible()
    assert page.package.isVisible()
    _pick(page.status, desk_staff, "Archived members")
    # Only Dan's lot D: 2 Yoga comped at $0.
    assert _texts(page)[-1] == ["total", "", "2", "$0.00"]
    assert page.title.text().endswith("(only Archived members)")
    _pick(page.status, desk_staff, "All members")
    _pick(page.package, desk_staff, "3 PT")
    assert _texts(page)[-1] == ["total", "", "1", "$33.34"]  # lot A's last credit
    target = tmp_path / "package.pdf"
    _save_pdf(page, monkeypatch, target)
    assert "Only: 3 PT" in _pdf_text(target)
    _choose(page, desk_staff, "End of day")
    assert not page.package.isVisible()
    assert not page.status.isVisible()


def test_weeks_and_months_read_in_the_desks_locale(window, desk_staff):
    page = window.reports
    # Lots A and D expire in March, the UI gym's Ann's in December, lot C never.
    months = [r[1] for r in _texts(page) if r[0] == "expiry month"]
    assert months == ["Mar 2026", "Dec 2026", "never"]
    _choose(page, desk_staff, "Attendance")
    weeks = [r[1] for r in _texts(page) if r[0] == "week"]
    assert weeks == ["2 Mar 2026"]  # every session of the period is in the week of 2 March
    assert [label for label, _ in page.chart.bars] == weeks


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (StaffRole.FRONT_DESK, ["Expiring soon", "Attendance", "End of day", "Coach pay"]),
        (StaffRole.COACH, ["Coach pay"]),
    ],
)
def test_the_page_offers_what_the_role_may_read(
    window,
    desk_staff,
    qtbot,
    role,
    offered,
):
    services = desk_staff.services
    staff = services.staff.create(name="Someone", role=role, actor=SYSTEM).value
    window.set_signed_in(services.staff.get(StaffId(staff.id)))
    page = window.reports
    desk_staff.runner.wait_idle()
    assert [page.choice.itemText(i) for i in range(page.choice.count())] == offered
    assert window.pages.isTabVisible(window.pages.indexOf(page))
    desk_staff.runner.wait_idle()
    assert not page.error.isVisible()


def test_the_statement_prints_from_the_profile(
    shown_window, desk_staff, clock, qtbot, monkeypatch, tmp_path, message_boxes
):
    from tests.services.reports.small_gym import build_small_gym

    gym = build_small_gym(desk_staff.services, clock)
    profile = shown_window.open_profile(gym.cat)
    desk_staff.runner.wait_idle()
    target = tmp_path / "printed-statement.pdf"
    used = _print_to(monkeypatch, target)
    choose_from_menu(qtbot, profile.view.statement_button, "Print…")
    desk_staff.runner.wait_idle()
    assert len(used) == 1
    assert message_boxes == [f"Cat Smith's statement (1 page) went to {target}."]
    text = _pdf_text(target)
    assert "Account balance: $15.00 owed" in text
    assert "Thu 5 Mar 2026 10:00 PT Kim Coach" in text
