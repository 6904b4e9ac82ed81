"""The calendar screen's widgets and their arrangement (no behaviour).

``CalendarView`` (``calendar_view``) owns what they do (STYLE.md convention 8).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk.ui.calendar.calendar_canvas import CalendarCanvas
from desk.ui.calendar.calendar_header import CalendarHeader, CalendarTimeColumn
from desk.ui.calendar.forgive import FORGIVE_LABEL, FORGIVE_TIP
from desk.ui.calendar.undo_status import UNDO_STATUS_LABEL, UNDO_STATUS_TIP
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.undo_link import undo_link


def _button(text: str, name: str, parent: QWidget, accessible: str | None = None) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(accessible or text.replace("…", ""))
    return button


def _label(name: str, parent: QWidget, *, wrap: bool = False) -> QLabel:
    widget = QLabel(parent)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def _heading(text: str, name: str, parent: QWidget) -> QLabel:
    widget = QLabel(text, parent)
    widget.setObjectName(name)
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)
    return widget


class CalendarWidgets(QWidget):
    """The calendar's widgets and their arrangement; no behaviour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Toolbar
        self.day_button = _button("Day", "dayViewButton", self, "Day view")
        self.week_button = _button("Week", "weekViewButton", self, "Week view")
        self.mode_group = QButtonGroup(self)
        for button in (self.day_button, self.week_button):
            button.setCheckable(True)
            self.mode_group.addButton(button)
        self.mode_group.setExclusive(True)
        self.today_button = _button("Today", "todayButton", self)
        self.today_button.setShortcut(QKeySequence("Ctrl+T"))
        self.today_button.setToolTip("Go to today (Ctrl+T)")
        self.previous_button = _button(
            "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}", "previousButton", self, "Previous"
        )
        self.previous_button.setShortcut(QKeySequence("Alt+Left"))
        self.previous_button.setToolTip("Previous day or week (Alt+Left)")
        self.next_button = _button(
            "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}", "nextButton", self, "Next"
        )
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        self.next_button.setToolTip("Next day or week (Alt+Right)")
        for button in (self.previous_button, self.next_button):
            button.setFixedWidth(36)
        self.title = QLabel(self)
        self.title.setObjectName("calendarTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        # Typed dates in the desk's formats ("30 Jun 2027") jump there, or pick one.
        self.date_edit = DateField("calendarDate", "Date", None, self, weekday=True)
        self.staff_filter = QComboBox(self)
        self.staff_filter.setObjectName("staffFilter")
        self.staff_filter.setAccessibleName("Show staff member")
        self.type_filter = QComboBox(self)
        self.type_filter.setObjectName("typeFilter")
        self.type_filter.setAccessibleName("Show appointment type")
        self.week_filters = QWidget(self)
        filters = QHBoxLayout(self.week_filters)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.staff_filter)
        filters.addWidget(self.type_filter)
        self.show_cancelled = QCheckBox("Show cancelled", self)
        self.show_cancelled.setObjectName("showCancelled")
        self.show_cancelled.setAccessibleName("Show cancelled appointments")

        toolbar = QHBoxLayout()
        toolbar.setSpacing(6)
        toolbar.addWidget(self.day_button)
        toolbar.addWidget(self.week_button)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.today_button)
        toolbar.addWidget(self.previous_button)
        toolbar.addWidget(self.next_button)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.title)
        toolbar.addStretch(1)
        toolbar.addWidget(self.week_filters)
        toolbar.addWidget(self.show_cancelled)
        toolbar.addSpacing(8)
        toolbar.addWidget(self.date_edit)

        # Grid: fixed column titles above a scrolling canvas.
        self.canvas = CalendarCanvas(self)
        self.header = CalendarHeader(self.canvas, self)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("calendarScroll")
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroll_area.setWidget(self.canvas)
        self.time_column = CalendarTimeColumn(self.canvas, self.scroll_area)
        grid_frame = QFrame(self)
        grid_frame.setObjectName("calendarFrame")
        grid_frame.setFrameShape(QFrame.Shape.StyledPanel)
        grid_layout = QVBoxLayout(grid_frame)
        grid_layout.setContentsMargins(1, 1, 1, 1)
        grid_layout.setSpacing(0)
        self.header_row = QHBoxLayout()
        self.header_row.setContentsMargins(0, 0, 0, 0)
        self.header_row.addWidget(self.header, 1)
        self.header_spacer = QWidget(self)
        self.header_spacer.setFixedWidth(self.scroll_area.verticalScrollBar().sizeHint().width())
        self.header_row.addWidget(self.header_spacer)
        grid_layout.addLayout(self.header_row)
        grid_layout.addWidget(self.scroll_area, 1)

        # Side panel: the selected appointment and what can be done with it.
        self.panel = QFrame(self)
        self.panel.setObjectName("appointmentPanel")
        self.panel.setAccessibleName("Selected appointment")
        self.panel.setFixedWidth(284)  # 270 + the scroll bar of a long roster
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel_hint = QLabel(
            "Select an appointment to see it here.\n\n"
            "Click an empty time to book a session; drag a session to move it.",
            self.panel,
        )
        self.panel_hint.setObjectName("panelHint")
        self.panel_hint.setWordWrap(True)
        self.panel_hint.setStyleSheet("color: #667085;")
        self.member = _label("panelMember", self.panel, wrap=True)
        member_font = self.member.font()
        member_font.setPointSizeF(member_font.pointSizeF() * 1.3)
        member_font.setBold(True)
        self.member.setFont(member_font)
        self.kind = _label("panelType", self.panel, wrap=True)
        self.staff = _label("panelStaff", self.panel, wrap=True)
        self.when = _label("panelTime", self.panel, wrap=True)
        self.status = _label("panelStatus", self.panel)
        self.status.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.notes = _label("panelNotes", self.panel, wrap=True)
        self.notes.setStyleSheet("color: #475467; font-style: italic;")
        self.series = _label("panelSeries", self.panel, wrap=True)
        self.series.setStyleSheet("color: #667085;")
        # The member's side: open credits per type (with expiry) and their notes.
        self.credits_heading = _heading("Open credits", "panelCreditsHeading", self.panel)
        self.credits = _label("panelCredits", self.panel, wrap=True)
        self.credits.setTextFormat(Qt.TextFormat.PlainText)
        self.member_notes_heading = _heading("Member notes", "panelMemberNotesHeading", self.panel)
        self.member_notes = _label("panelMemberNotes", self.panel, wrap=True)
        self.member_notes.setTextFormat(Qt.TextFormat.PlainText)
        self.member_notes.setStyleSheet("color: #475467;")
        self.check_in_button = _button("Check in", "checkInButton", self.panel)
        self.no_show_button = _button("No-show", "noShowButton", self.panel)
        self.cancel_button = _button("Cancel…", "cancelAppointmentButton", self.panel)
        self.undo_status_button = _button(
            UNDO_STATUS_LABEL,
            "undoStatusButton",
            self.panel,
            "Undo check-in, no-show or late cancel",
        )
        self.undo_status_button.setToolTip(UNDO_STATUS_TIP)
        self.forgive_button = _button(FORGIVE_LABEL, "forgiveButton", self.panel, "Forgive")
        self.forgive_button.setToolTip(FORGIVE_TIP)
        self.profile_button = _button("Open profile", "openProfileButton", self.panel)
        self.details = QWidget(self.panel)
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 8, 0)  # room beside the scroll bar
        details.setSpacing(6)
        for widget in (self.member, self.kind, self.staff, self.when, self.status):
            details.addWidget(widget)
        details.addWidget(self.notes)
        details.addWidget(self.series)
        details.addSpacing(10)
        for button in (
            self.check_in_button,
            self.no_show_button,
            self.cancel_button,
            self.undo_status_button,
            self.forgive_button,
            self.profile_button,
        ):
            details.addWidget(button)
        details.addSpacing(10)
        for widget in (
            self.credits_heading,
            self.credits,
            self.member_notes_heading,
            self.member_notes,
        ):
            details.addWidget(widget)
        details.addStretch(1)
        # A long roster or credit list scrolls rather than squeezing the panel's rows.
        self.details_scroll = QScrollArea(self.panel)
        self.details_scroll.setObjectName("panelScroll")
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_scroll.setWidget(self.details)
        self.details_scroll.viewport().setAutoFillBackground(False)
        self.details.setAutoFillBackground(False)
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(14, 14, 2, 14)
        panel_layout.addWidget(self.panel_hint)
        panel_layout.addWidget(self.details_scroll, 1)

        # Footer: what the last action did, and what is on screen.
        self.status_line = QLabel(self)
        self.status_line.setObjectName("calendarStatus")
        self.status_line.setAccessibleName("Calendar status")
        self.summary = QLabel(self)
        self.summary.setObjectName("calendarSummary")
        self.summary.setStyleSheet("color: #667085;")
        self.legend = QLabel(self)
        self.legend.setObjectName("calendarLegend")
        self.legend.setAccessibleName("Coaches of the week's tracks")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.undo_move_button = undo_link(
            self, "undoMoveButton", "Undo the move",
            "Put the session(s) back where they were (Ctrl+Z)",
        )  # fmt: skip
        footer = QHBoxLayout()
        footer.addWidget(self.status_line)
        footer.addWidget(self.undo_move_button)
        footer.addStretch(1)
        footer.addWidget(self.summary)

        body = QHBoxLayout()
        body.setSpacing(10)
        body.addWidget(grid_frame, 1)
        body.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(toolbar)
        layout.addLayout(body, 1)
        layout.addWidget(self.legend)
        layout.addLayout(footer)
