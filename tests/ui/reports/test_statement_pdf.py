"""The member statement PDF in a UK desk's locale, with the gym's name and logo."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

from desk.services.core.ids import MemberId
from desk.services.core.settings import GeneralChange
from desk.services.reports.statement import gather_statement
from desk.ui.reports.statement_pdf import statement_page_image, write_statement_pdf
from tests.actors import SYSTEM
from tests.services.reports.small_gym import build_small_gym


def _png() -> bytes:
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(QColor("#c0392b"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_the_statement_pdf_reads_back_in_the_desks_locale(services, clock, tmp_path):
    gym = build_small_gym(services, clock)
    services.settings.update_general(
        GeneralChange(name="Northside Strength", logo_png=_png()), actor=SYSTEM
    )
    statement = gather_statement(services, MemberId(gym.ann))
    target = tmp_path / "ann.pdf"
    assert write_statement_pdf(statement, target, services.clock.tz) == 1
    reader = PdfReader(target)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.startswith("Northside Strength Statement of Wednesday, 4 March 2026 Ann Smith")
    # Ann paid for her package at once: nothing owed. Lot A: 3 - a1 - a2 = 1 open,
    # expiring 31 Mar 2026 (30 days from 1 March).
    assert "Account balance: $0.00 settled" in text
    assert "PT 1 31 Mar 2026" in text
    assert "Coming up Nothing booked." in text
    # History, newest first: the no-show, the check-in, two bookings, the sale.
    assert "Tue 3 Mar 2026 11:00 No show PT" in text
    assert "Attended PT" in text
    assert "Sold PT +3 Package: sold: 3 PT" in text
    objects = reader.pages[0]["/Resources"].get_object().get("/XObject", {})
    images = [o for o in objects.values() if o.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1  # the logo
    picture = statement_page_image(statement, services.clock.tz)
    assert picture.width() == 900
    assert picture.pixelColor(50, 50) == QColor("#c0392b")  # the logo, top left


def choose_from_menu(qtbot, button, text: str) -> None:
    """Click ``button`` and, in the menu it opens, press Down until ``text`` is the
    active item, then Enter."""

    picked: list[str] = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):  # the button opens its menu a moment later
            QTimer.singleShot(10, pick)
            return
        for _ in menu.actions():
            QTest.keyClick(menu, Qt.Key.Key_Down)
            if menu.activeAction() is not None and menu.activeAction().text() == text:
                break
        picked.append(menu.activeAction().text())
        QTest.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(0, pick)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(picked))
    assert picked == [text]


def test_the_profiles_statement_button_saves_the_pdf(
    shown_window, desk_staff, clock, qtbot, monkeypatch, tmp_path, message_boxes
):
    gym = build_small_gym(desk_staff.services, clock)
    profile = shown_window.open_profile(gym.cat)
    desk_staff.runner.wait_idle()
    target = tmp_path / "cat.pdf"
    asked: list[str] = []

    def ask(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    choose_from_menu(qtbot, profile.view.statement_button, "Save as PDF…")
    desk_staff.runner.wait_idle()
    assert asked == [f"statement-{gym.cat}.pdf"]
    assert message_boxes == [f"Cat Smith's statement (1 page) is in {target}."]
    text = " ".join(PdfReader(target).pages[0].extract_text().split())
    assert "Account balance: $15.00 owed" in text
    assert "Thu 5 Mar 2026 10:00 PT Kim Coach" in text  # c1, coming up
