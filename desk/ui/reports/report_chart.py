"""A report's chart: horizontal bars drawn with QPainter, the same figures as its table.

Horizontal bars keep long labels (a member's name, a type) readable on a 1280x800
screen; each bar carries its value as the table writes it, and its label as the
table writes it (a week's Monday, a month: "Nov 2026"). No charting library:
QPainter draws a dozen bars in well under a frame, and the bundle stays as it is.
``draw_bars`` paints them on the screen and on the printed page alike.
"""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from desk.services.reports.tables import Cell
from desk.ui.reports.report_table_model import cell_text
from desk.ui.widgets.formatting import format_money

MAX_BARS = 12
BAR = QColor("#3b7dd8")
NEGATIVE = QColor("#c0392b")
ROW_HEIGHT = 22

Bars = tuple[tuple[str, int], ...]


def chart_bars(bars: tuple[tuple[Cell, int], ...]) -> Bars:
    """A table's chart figures with their labels as the desk writes them (first MAX_BARS)."""
    return tuple((cell_text(label, UTC), value) for label, value in bars[:MAX_BARS])


def value_text(value: int, money: bool) -> str:
    return format_money(value) if money else f"{value:,}"


def chart_height(bars: Bars) -> int:
    return 16 + ROW_HEIGHT * max(1, len(bars))


def draw_bars(painter: QPainter, width: int, bars: Bars, money: bool, text: QColor) -> None:
    """Paint ``bars`` (label, value) across ``width`` pixels, one ROW_HEIGHT each."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    metrics = painter.fontMetrics()
    label_width = min(
        width // 3, max((metrics.horizontalAdvance(b[0]) for b in bars), default=0)
    ) + 12  # fmt: skip
    value_width = max(
        (metrics.horizontalAdvance(value_text(v, money)) for _, v in bars), default=0
    ) + 12  # fmt: skip
    room = max(10, width - label_width - value_width - 16)
    top = max((abs(v) for _, v in bars), default=0) or 1
    for i, (label, value) in enumerate(bars):
        y = 8 + i * ROW_HEIGHT
        text_rect = QRectF(4, y, label_width - 8, ROW_HEIGHT - 4)
        painter.setPen(text)
        shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(text_rect.width()))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                         shown)  # fmt: skip
        length = room * abs(value) / top
        painter.fillRect(QRectF(label_width, y + 3, length, ROW_HEIGHT - 10),
                         NEGATIVE if value < 0 else BAR)  # fmt: skip
        painter.drawText(
            QRectF(label_width + length + 6, y, value_width, ROW_HEIGHT - 4),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            value_text(value, money),
        )


def chart_image(bars: Bars, money: bool, width: int = 640, scale: int = 3) -> QImage:
    """The chart as a picture on white, ``scale`` times ``width`` pixels wide (sharp
    on paper), for the printed report."""
    image = QImage(width * scale, chart_height(bars) * scale, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    painter.scale(scale, scale)
    font = QFont(painter.font())
    font.setPointSizeF(9)
    painter.setFont(font)
    draw_bars(painter, width, bars, money, QColor("#000000"))
    painter.end()
    return image


class ReportChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.setAccessibleName("Report chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.bars: Bars = ()
        self.money = True

    def show_bars(self, bars: tuple[tuple[Cell, int], ...], *, money: bool) -> None:
        """Draw ``bars`` (label, value), the first MAX_BARS of them."""
        self.bars = chart_bars(bars)
        self.money = money
        self.setAccessibleDescription(
            "; ".join(f"{label}: {self.value_text(v)}" for label, v in self.bars)
        )
        self.setVisible(bool(self.bars))
        self.updateGeometry()
        self.update()

    def value_text(self, value: int) -> str:
        return value_text(value, self.money)

    def sizeHint(self) -> QSize:
        return QSize(600, chart_height(self.bars))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        draw_bars(painter, self.width(), self.bars, self.money,
                  self.palette().windowText().color())  # fmt: skip
        painter.end()
