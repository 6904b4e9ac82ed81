"""A report's chart: horizontal bars drawn with QPainter, the same figures as its table.

Horizontal bars keep long labels (a member's name, a type) readable on a 1280x800
screen; each bar carries its value as the table writes it. No charting library:
QPainter draws a dozen bars in well under a frame, and the bundle stays as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from desk.ui.widgets.formatting import format_money

MAX_BARS = 12
BAR = QColor("#3b7dd8")
NEGATIVE = QColor("#c0392b")
ROW_HEIGHT = 22


class ReportChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.setAccessibleName("Report chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.bars: tuple[tuple[str, int], ...] = ()
        self.money = True

    def show_bars(self, bars: tuple[tuple[str, int], ...], *, money: bool) -> None:
        """Draw ``bars`` (label, value), the first MAX_BARS of them."""
        self.bars = tuple(bars[:MAX_BARS])
        self.money = money
        self.setAccessibleDescription(
            "; ".join(f"{label}: {self.value_text(v)}" for label, v in self.bars)
        )
        self.setVisible(bool(self.bars))
        self.updateGeometry()
        self.update()

    def value_text(self, value: int) -> str:
        return format_money(value) if self.money else f"{value:,}"

    def sizeHint(self) -> QSize:
        return QSize(600, 16 + ROW_HEIGHT * max(1, len(self.bars)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        label_width = min(
            self.width() // 3, max((metrics.horizontalAdvance(b[0]) for b in self.bars), default=0)
        ) + 12  # fmt: skip
        value_width = max(
            (metrics.horizontalAdvance(self.value_text(v)) for _, v in self.bars), default=0
        ) + 12  # fmt: skip
        room = max(10, self.width() - label_width - value_width - 16)
        top = max((abs(v) for _, v in self.bars), default=0) or 1
        for i, (label, value) in enumerate(self.bars):
            y = 8 + i * ROW_HEIGHT
            text_rect = QRectF(4, y, label_width - 8, ROW_HEIGHT - 4)
            painter.setPen(self.palette().windowText().color())
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(text_rect.width()))
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             shown)  # fmt: skip
            length = room * abs(value) / top
            painter.fillRect(QRectF(label_width, y + 3, length, ROW_HEIGHT - 10),
                             NEGATIVE if value < 0 else BAR)  # fmt: skip
            painter.drawText(
                QRectF(label_width + length + 6, y, value_width, ROW_HEIGHT - 4),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                self.value_text(value),
            )
        painter.end()
