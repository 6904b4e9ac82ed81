"""Appointment types as a table: name, duration, price, late-cancel window, active."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap

from desk.services.read_models import AppointmentTypeView
from desk.ui.formatting import format_money

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


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


class AppointmentTypeTableModel(QAbstractTableModel):
    """Every appointment type the dialog knows, inactive ones included (a proxy hides them)."""

    COL_NAME = 0
    COL_DURATION = 1
    COL_PRICE = 2
    COL_LATE_CANCEL = 3
    COL_ACTIVE = 4
    HEADERS = ("Name", "Duration", "Price", "Late cancel", "Active")

    SortRole = Qt.ItemDataRole.UserRole + 1
    """A value that sorts naturally: casefolded name, minutes, cents, hours, active first."""
    RowRole = Qt.ItemDataRole.UserRole + 2
    """The row's ``AppointmentTypeView``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AppointmentTypeView] = []
        self._swatches: dict[str, QIcon] = {}

    def set_rows(self, rows: Sequence[AppointmentTypeView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[AppointmentTypeView]:
        return list(self._rows)

    def row_of(self, type_id: int) -> int | None:
        """The source row showing ``type_id``, or None."""
        for number, row in enumerate(self._rows):
            if row.id == type_id:
                return number
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(section)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        if not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == self.SortRole:
            return self._sort_key(row, column)
        if role == self.RowRole:
            return row
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_NAME:
            if row.color not in self._swatches:
                self._swatches[row.color] = color_swatch(row.color)
            return self._swatches[row.color]
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QGuiApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole and not row.active:
            return f"{row.name} is no longer offered."
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _alignment(self, column: int) -> Qt.AlignmentFlag:
        if column == self.COL_NAME:
            return _LEFT
        if column == self.COL_ACTIVE:
            return _CENTER
        return _RIGHT

    def _display(self, row: AppointmentTypeView, column: int) -> str | None:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_DURATION:
            return format_duration(row.duration_minutes)
        if column == self.COL_PRICE:
            return format_money(row.default_price_cents, row.currency)
        if column == self.COL_LATE_CANCEL:
            return format_late_cancel(row.late_cancel_hours)
        if column == self.COL_ACTIVE:
            return "Yes" if row.active else "No"
        return None

    def _sort_key(self, row: AppointmentTypeView, column: int) -> str | int | None:
        if column == self.COL_NAME:
            return row.name.casefold()
        if column == self.COL_DURATION:
            return row.duration_minutes
        if column == self.COL_PRICE:
            return row.default_price_cents
        if column == self.COL_LATE_CANCEL:
            return row.late_cancel_hours
        if column == self.COL_ACTIVE:
            return 0 if row.active else 1
        return None


class AppointmentTypeProxyModel(QSortFilterProxyModel):
    """Sorts by ``SortRole`` and hides inactive types unless asked to show them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show_inactive = False
        self.setSortRole(AppointmentTypeTableModel.SortRole)
        self.setDynamicSortFilter(True)

    @property
    def show_inactive(self) -> bool:
        return self._show_inactive

    def set_show_inactive(self, show: bool) -> None:
        if show == self._show_inactive:
            return
        self.beginFilterChange()
        self._show_inactive = show
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self._show_inactive:
            return True
        model = self.sourceModel()
        row = model.data(
            model.index(source_row, 0, source_parent), AppointmentTypeTableModel.RowRole
        )
        return not isinstance(row, AppointmentTypeView) or row.active
