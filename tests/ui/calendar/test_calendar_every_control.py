"""Every enabled button, toggle, filter and menu action of the calendar, clicked with the mouse.

Each click is checked for something a person would see change. The test also
collects every visible, enabled control it passes on the way; a control added to
the screen without a click here fails it.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QWidget,
)

from desk.services.core.ids import AppointmentId
from desk.services.core.read_models import AppointmentStatus
from desk.ui.calendar.cancel_dialog import CancelDialog
from tests.actors import SYSTEM
from tests.ui.calendar.calendar_driving import (
    WEDNESDAY,
    at,
    book,
    click_block,
    give_credits,
    mouse_drag,
    settle,
    shown_ids,
)


class Controls:
    """Clicks the calendar's controls and remembers which ones it saw and clicked."""

    def __init__(self, view, qtbot) -> None:
        self.view = view
        self.qtbot = qtbot
        self.seen: set[str] = set()
        self.clicked: set[str] = set()

    def look(self) -> None:
        """Note every control a person could click right now."""
        widgets: list[QWidget] = [
            *self.view.findChildren(QAbstractButton),
            *self.view.findChildren(QComboBox),
        ]
        for widget in widgets:
            if widget.isVisibleTo(self.view) and widget.isEnabled():
                assert widget.objectName(), f"an unnamed control: {widget!r}"
                self.seen.add(widget.objectName())

    def click(self, name: str) -> None:
        self.look()
        widget = self.view.findChild(QAbstractButton, name)
        assert widget is not None, name
        assert widget.isVisibleTo(self.view), f"{name} is hidden"
        assert widget.isEnabled(), f"{name} is disabled"
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.clicked.add(name)
        settle(self.view)

    def choose(self, name: str, text: str) -> None:
        """Open a filter's list with the mouse and click one of its entries."""
        self.look()
        combo = self.view.findChild(QComboBox, name)
        QTest.mouseClick(combo, Qt.MouseButton.LeftButton)
        popup = combo.view()
        assert popup.isVisible(), f"{name}'s list did not open"
        # Qt ignores a release on the list within a double-click interval of opening it
        # (the end of the opening click); a hand is slower than that.
        self.qtbot.wait(QApplication.doubleClickInterval() + 50)
        index = combo.model().index(combo.findText(text), 0)
        rect = popup.visualRect(index)
        QTest.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        self.clicked.add(name)
        settle(self.view)

    def title(self) -> str:
        return self.view.findChild(QLabel, "calendarTitle").text()

    def status(self) -> str:
        return self.view.findChild(QLabel, "calendarStatus").text()


def test_every_control_of_the_calendar_does_something_visible(
    view, gym, ctx, qtbot, monkeypatch, message_boxes
):
    services = ctx.services
    give_credits(ctx, gym, "bob", "massage", 3)
    upcoming = book(ctx, gym, WEDNESDAY, 11)
    started = book(ctx, gym, WEDNESDAY, 9, allow_past=True)
    missed = book(ctx, gym, WEDNESDAY, 7, allow_past=True)
    services.booking.no_show(AppointmentId(missed.id), actor=SYSTEM)
    later = book(ctx, gym, WEDNESDAY, 15, member="bob", type="massage", staff="desk")
    soon = book(ctx, gym, WEDNESDAY, 10, 30, staff="desk")  # check-in is open
    # Friday, more than a day ahead: a plain cancel, hidden until "Show cancelled".
    dropped = book(ctx, gym, WEDNESDAY + timedelta(days=2), 17, member="bob", type="massage")
    services.booking.cancel(AppointmentId(dropped.id), actor=SYSTEM)
    view.reload()
    settle(view)
    c = Controls(view, qtbot)

    # --- navigation: the view switch, previous / next / today ---------------------------
    today_title = c.title()
    c.click("nextButton")
    assert view.day == WEDNESDAY + timedelta(days=1)
    assert c.title() != today_title
    assert shown_ids(view) == set()
    c.click("previousButton")
    c.click("previousButton")
    assert view.day == WEDNESDAY - timedelta(days=1)
    c.click("todayButton")
    assert view.day == WEDNESDAY
    assert c.title() == today_title
    c.click("weekViewButton")
    assert view.mode == "week"
    assert len(view.canvas.columns) == 7
    assert "This week" in c.title()
    c.click("nextButton")
    assert view.day == WEDNESDAY + timedelta(days=7)
    assert "This week" not in c.title()
    c.click("todayButton")
    assert "This week" in c.title()

    # --- the week's filters and the cancelled toggle ------------------------------------
    c.choose("staffFilter", "Kim Alvarez")
    assert shown_ids(view) == {upcoming.id, started.id, missed.id}
    c.choose("typeFilter", "Sports Massage")
    assert shown_ids(view) == set()
    c.choose("staffFilter", "All staff")
    assert shown_ids(view) == {later.id}
    c.click("showCancelled")
    assert shown_ids(view) == {later.id, dropped.id}
    c.click("showCancelled")
    assert shown_ids(view) == {later.id}
    c.choose("typeFilter", "All types")
    c.click("dayViewButton")
    assert view.mode == "day"
    assert not view.findChild(QComboBox, "staffFilter").isVisibleTo(view)

    # --- the panel's buttons ---------------------------------------------------------------
    click_block(view, upcoming.id)
    c.click("checkInButton")
    assert services.booking.get(AppointmentId(upcoming.id)).status == AppointmentStatus.ATTENDED
    assert view.findChild(QLabel, "panelStatus").text() == "Attended"
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a, **k: ("checked in the wrong one", True))
    )
    c.click("undoStatusButton")  # an admin at the desk may undo it
    assert view.findChild(QLabel, "panelStatus").text() == "Booked"
    click_block(view, started.id)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    c.click("noShowButton")
    assert view.findChild(QLabel, "panelStatus").text() == "No show"
    click_block(view, upcoming.id)
    monkeypatch.setattr(CancelDialog, "ask", staticmethod(lambda *a: (True, "ill")))
    c.click("cancelAppointmentButton")
    assert upcoming.id not in shown_ids(view)
    assert "Cancelled" in c.status() or "cancelled" in c.status()
    click_block(view, later.id)
    with qtbot.waitSignal(view.profile_requested) as opened:
        c.click("openProfileButton")
    assert opened.args == [gym["bob"]]

    # --- the drag's Undo in the status line ------------------------------------------------
    grab = view.canvas.block_rect(later.id).center()
    mouse_drag(view.canvas, grab, grab + QPoint(0, 48))
    settle(view)
    assert services.booking.get(AppointmentId(later.id)).starts_at == at(WEDNESDAY, 16)
    c.click("undoMoveButton")
    assert services.booking.get(AppointmentId(later.id)).starts_at == at(WEDNESDAY, 15)
    assert "back to" in c.status()

    # --- the block's menu: each enabled action, chosen with the mouse ----------------------
    chosen: list[str] = []
    for name in ("checkInAction", "openProfileAction"):
        menu: QMenu = view.context_menu(soon.id)
        action = next(a for a in menu.actions() if a.objectName() == name)
        assert action.isEnabled()
        action.triggered.connect(lambda _=False, n=name: chosen.append(n))
        menu.popup(view.mapToGlobal(QPoint(100, 100)))
        with qtbot.waitExposed(menu):
            pass
        if name == "openProfileAction":
            with qtbot.waitSignal(view.profile_requested):
                QTest.mouseClick(
                    menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center()
                )
        else:
            QTest.mouseClick(
                menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center()
            )
        settle(view)
        menu.deleteLater()
    assert chosen == ["checkInAction", "openProfileAction"]
    assert services.booking.get(AppointmentId(soon.id)).status == AppointmentStatus.ATTENDED

    # --- the date field's calendar button opens its calendar --------------------------------
    c.click("calendarDateCalendar")
    popup = view.widgets.date_edit.popup
    assert popup.isVisible()
    QTest.keyClick(popup, Qt.Key.Key_Escape)
    settle(view)

    # Every control seen enabled on the way was clicked, and nothing was refused.
    c.look()
    assert c.seen - c.clicked == set()
    assert message_boxes == []
