"""Staff members as a table: name, role, active."""

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
from PySide6.QtGui import QGuiApplication, QPalette

from desk.services.read_models import StaffRole, StaffView
from desk.ui.formatting import label

_Index = QModelIndex | QPersistentModelIndex


def role_label(role: StaffRole) -> str:
    """StaffRole.FRONT_DESK -> "Front desk"."""
    return label(role.value)


class StaffTableModel(QAbstractTableModel):
    """Every staff member the dialog knows, inactive ones included (a proxy hides them)."""

    COL_NAME = 0
    COL_ROLE = 1
    COL_ACTIVE = 2
    HEADERS = ("Name", "Role", "Active")

    SortRole = Qt.ItemDataRole.UserRole + 1
    """A value that sorts naturally: casefolded name, role label, active first."""
    RowRole = Qt.ItemDataRole.UserRole + 2
    """The row's ``StaffView``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[StaffView] = []

    def set_rows(self, rows: Sequence[StaffView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[StaffView]:
        return list(self._rows)

    def row_of(self, staff_id: int) -> int | None:
        """The source row showing ``staff_id``, or None."""
        for number, row in enumerate(self._rows):
            if row.id == staff_id:
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
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QGuiApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole and not row.active:
            return f"{row.name} is no longer on the calendar."
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _alignment(self, column: int) -> Qt.AlignmentFlag:
        if column == self.COL_ACTIVE:
            return Qt.AlignmentFlag.AlignCenter
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

    def _display(self, row: StaffView, column: int) -> str | None:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_ROLE:
            return role_label(row.role)
        if column == self.COL_ACTIVE:
            return "Yes" if row.active else "No"
        return None

    def _sort_key(self, row: StaffView, column: int) -> str | int | None:
        if column == self.COL_NAME:
            return row.name.casefold()
        if column == self.COL_ROLE:
            return role_label(row.role).casefold()
        if column == self.COL_ACTIVE:
            return 0 if row.active else 1
        return None


class StaffProxyModel(QSortFilterProxyModel):
    """Sorts by ``SortRole`` and hides inactive staff unless asked to show them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show_inactive = False
        self.setSortRole(StaffTableModel.SortRole)
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
        row = model.data(model.index(source_row, 0, source_parent), StaffTableModel.RowRole)
        return not isinstance(row, StaffView) or row.active
