"""A settings table of named records that can be deactivated (appointment types, staff).

Inactive rows stay in the model, greyed and explained in a tooltip; the proxy hides
them until the dialog asks to show them. Concrete models name their columns and say
what the columns between the name and "Active" show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QIcon, QPalette

_Index = QModelIndex | QPersistentModelIndex
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@runtime_checkable
class Record(Protocol):
    """A read model with an id, a name and an active flag."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def active(self) -> bool: ...


R = TypeVar("R", bound=Record)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Every record the dialog knows, inactive ones included (a proxy hides them)."""

    COL_NAME = 0
    COL_ACTIVE: int
    HEADERS: tuple[str, ...] = ()
    RIGHT_ALIGNED: frozenset[int] = frozenset()
    """Columns of amounts and lengths, right-aligned so their digits line up."""
    INACTIVE_TIP = ""
    """The tooltip of an inactive row; ``{name}`` is the record's name."""

    SortRole = Qt.ItemDataRole.UserRole + 1
    """A value that sorts naturally: casefolded name, numbers as numbers, active first."""
    RowRole = Qt.ItemDataRole.UserRole + 2
    """The row's read model."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    # --- what concrete models fill in ------------------------------------------------------

    def _text(self, row: R, column: int) -> str | None:
        """What a column between the name and "Active" shows."""
        raise NotImplementedError

    def _sort_value(self, row: R, column: int) -> str | int | None:
        """How a column between the name and "Active" sorts."""
        raise NotImplementedError

    def _decoration(self, row: R, column: int) -> QIcon | None:
        return None

    # --- rows ------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def row_of(self, record_id: int) -> int | None:
        """The source row showing ``record_id``, or None."""
        for number, row in enumerate(self._rows):
            if row.id == record_id:
                return number
        return None

    # --- Qt's model interface --------------------------------------------------------------

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
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QGuiApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole and not row.active:
            return self.INACTIVE_TIP.format(name=row.name)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _alignment(self, column: int) -> Qt.AlignmentFlag:
        if column == self.COL_ACTIVE:
            return Qt.AlignmentFlag.AlignCenter
        return _RIGHT if column in self.RIGHT_ALIGNED else _LEFT

    def _display(self, row: R, column: int) -> str | None:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_ACTIVE:
            return "Yes" if row.active else "No"
        return self._text(row, column)

    def _sort_key(self, row: R, column: int) -> str | int | None:
        if column == self.COL_NAME:
            return row.name.casefold()
        if column == self.COL_ACTIVE:
            return 0 if row.active else 1
        return self._sort_value(row, column)


class RecordProxyModel(QSortFilterProxyModel):
    """Sorts by ``SortRole`` and hides inactive records unless asked to show them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show_inactive = False
        self.setSortRole(RecordTableModel.SortRole)
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
        row = model.data(model.index(source_row, 0, source_parent), RecordTableModel.RowRole)
        return not isinstance(row, Record) or row.active
