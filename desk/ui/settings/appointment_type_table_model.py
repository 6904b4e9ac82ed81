"""Appointment types as a table: name, duration, price, late-cancel window, active."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from desk.services.core.read_models import AppointmentTypeView
from desk.ui.settings.record_table_model import RecordProxyModel, RecordTableModel
from desk.ui.widgets.formatting import format_money


def format_duration(minutes: int) -> str:
    """45 -> "45 min", 60 -> "1 h", 90 -> "1 h 30 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    if not rest:
        return f"{hours} h"
    return f"{hours} h {rest} min"


def format_late_cancel(hours: int) -> str:
    """24 -> "24 h before", 0 -> "None" (cancelling is never late)."""
    return f"{hours} h before" if hours else "None"


def color_swatch(color: str, size: int = 14) -> QIcon:
    """A small square of ``color`` with a thin border, the same when its row is selected."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#5f6368"))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pixmap, mode)
    return icon


class AppointmentTypeTableModel(RecordTableModel[AppointmentTypeView]):
    """Every appointment type the dialog knows, inactive ones included (a proxy hides them)."""

    COL_NAME = 0
    COL_DURATION = 1
    COL_PRICE = 2
    COL_LATE_CANCEL = 3
    COL_ACTIVE = 4
    HEADERS = ("Name", "Duration", "Price", "Late cancel", "Active")
    RIGHT_ALIGNED = frozenset((COL_DURATION, COL_PRICE, COL_LATE_CANCEL))
    INACTIVE_TIP = "{name} is no longer offered."

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._swatches: dict[str, QIcon] = {}

    def _decoration(self, row: AppointmentTypeView, column: int) -> QIcon | None:
        if column != self.COL_NAME:
            return None
        if row.color not in self._swatches:
            self._swatches[row.color] = color_swatch(row.color)
        return self._swatches[row.color]

    def _text(self, row: AppointmentTypeView, column: int) -> str | None:
        if column == self.COL_DURATION:
            return format_duration(row.duration_minutes)
        if column == self.COL_PRICE:
            return format_money(row.default_price_cents, row.currency)
        if column == self.COL_LATE_CANCEL:
            return format_late_cancel(row.late_cancel_hours)
        return None

    def _sort_value(self, row: AppointmentTypeView, column: int) -> str | int | None:
        """Minutes, cents and hours, so "$1,200.00" sorts after "$85.00"."""
        if column == self.COL_DURATION:
            return row.duration_minutes
        if column == self.COL_PRICE:
            return row.default_price_cents
        if column == self.COL_LATE_CANCEL:
            return row.late_cancel_hours
        return None


class AppointmentTypeProxyModel(RecordProxyModel):
    """Sorts by ``SortRole`` and hides inactive types unless asked to show them."""
