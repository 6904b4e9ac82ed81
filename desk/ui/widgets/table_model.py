"""A read-only table model over a list of frozen read models.

Each concrete model declares its columns; rows are replaced whole when the
screen reloads. ``SortRole`` gives the proxy a value that sorts right (numbers
as numbers, dates as dates) and ``RowRole`` hands back the row's read model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

T = TypeVar("T")

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
DIMMED = QBrush(QColor("#8a8f98"))

_Index = QModelIndex | QPersistentModelIndex

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE_TEXT = int(Qt.ItemDataRole.AccessibleTextRole)
_SORT = int(SortRole)
_ROW = int(RowRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ANSWERED_ROLES = frozenset(
    (_DISPLAY, _ACCESSIBLE_TEXT, _SORT, _ROW, _FOREGROUND, _ALIGNMENT, _DECORATION, _TOOLTIP)
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None
    numeric: bool = False
    tooltip: bool = False
    """Whether a cell's text is also its tooltip (long notes shown cut short)."""


class RowTableModel(QAbstractTableModel, Generic[T]):
    columns: Sequence[Column[T]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []
        # The proxy asks for each row's sort key again at every comparison of a
        # sort (tens of thousands of calls for a long history): compute it once.
        self._sort_keys: dict[tuple[int, int], Any] = {}

    # --- what subclasses may refine ------------------------------------------------------

    def is_dimmed(self, row: T) -> bool:
        """Rows shown greyed (expired, archived, inactive...)."""
        return False

    def decoration(self, row: T, column: int) -> Any:
        return None

    # --- data ------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._sort_keys = {}
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Qt asks for eight roles per cell whenever it measures or paints one, so the
        # roles nobody answers return first, and roles compare as plain ints.
        role = int(role)
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        row_number = index.row()
        if not 0 <= row_number < len(self._rows):
            return None
        row = self._rows[row_number]
        if role in (_DISPLAY, _ACCESSIBLE_TEXT):
            return self.columns[index.column()].text(row)
        if role == _SORT:
            key = (row_number, index.column())
            if key not in self._sort_keys:
                column = self.columns[index.column()]
                self._sort_keys[key] = (
                    column.sort_key(row) if column.sort_key else column.text(row).lower()
                )
            return self._sort_keys[key]
        if role == _ROW:
            return row
        if role == _FOREGROUND:
            return DIMMED if self.is_dimmed(row) else None
        if role == _ALIGNMENT:
            return _RIGHT if self.columns[index.column()].numeric else None
        if role == _TOOLTIP:
            column = self.columns[index.column()]
            return (column.text(row) or None) if column.tooltip else None
        return self.decoration(row, index.column())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[section].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
