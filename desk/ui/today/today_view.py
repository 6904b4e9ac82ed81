"""Layout of the Today page: the day's heading, a filter, the sessions, the actions."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.ui.today.today_table_model import COL_MEMBER
from desk.ui.widgets.undo_link import undo_link


def _button(text: str, name: str, accessible: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setEnabled(False)
    return button


class TodayView(QWidget):
    """Builds the widgets; TodayScreen owns what they do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setObjectName("todayHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel(self)
        self.summary.setObjectName("todaySummary")
        self.summary.setStyleSheet("color: #5b6170;")

        self.filter = QLineEdit(self)
        self.filter.setObjectName("todayFilter")
        self.filter.setAccessibleName("Filter today's sessions")
        self.filter.setPlaceholderText("Filter by member, type or coach")
        self.filter.setClearButtonEnabled(True)
        # Wide enough for the whole placeholder, plus the clear button and the frame.
        metrics = self.filter.fontMetrics()
        self.filter.setMinimumWidth(
            metrics.horizontalAdvance(self.filter.placeholderText()) + 2 * metrics.height() + 24
        )

        self.table = QTableView(self)
        self.table.setObjectName("todayTable")
        self.table.setAccessibleName("Today's sessions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.empty = QLabel("Nobody is booked today.", self)
        self.empty.setObjectName("todayEmpty")
        self.empty.setStyleSheet("color: #5b6170;")

        self.check_in_button = _button("Check in (C)", "todayCheckInButton", "Check in", self)
        self.no_show_button = _button("No-show… (N)", "todayNoShowButton", "No-show", self)
        self.cancel_button = _button("Cancel… (X)", "todayCancelButton", "Cancel session", self)
        self.profile_button = _button(
            "Open profile (Enter)", "todayProfileButton", "Open member profile", self
        )
        self.promotions = QLabel(self)
        self.promotions.setObjectName("todayPromotions")
        self.promotions.setAccessibleName("Promoted from the waitlist today")
        self.promotions.setWordWrap(True)
        self.promotions.setStyleSheet(
            "background: #ecfdf3; color: #067647; padding: 6px 10px; border-radius: 6px;"
        )
        self.promotions.hide()
        self.status_line = QLabel(self)
        self.status_line.setObjectName("todayStatus")
        # One line, as wide as its text, so the Undo link follows it; it may shrink
        # (clipped) on a narrow window rather than widen the window.
        self.status_line.setMinimumWidth(1)
        self.undo_link = undo_link(self, "todayUndoLink", "Undo the last check-in",
                                   "Take back the last check-in (Ctrl+Z)")  # fmt: skip

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.summary, 1)
        top.addWidget(self.filter)
        buttons = QHBoxLayout()
        for button in (
            self.check_in_button,
            self.no_show_button,
            self.cancel_button,
            self.profile_button,
        ):
            buttons.addWidget(button)
        buttons.addWidget(self.status_line)
        buttons.addWidget(self.undo_link)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.promotions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)

    def fit_columns(self) -> None:
        """The Member column takes the spare width; the others fit what they show.

        A day holds a few dozen sessions, so measuring them on each layout is cheap.
        """
        header = self.table.horizontalHeader()
        for column in range(header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_MEMBER, QHeaderView.ResizeMode.Stretch)
