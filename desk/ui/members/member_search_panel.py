"""The search bar and its results: where the front desk starts every action."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.read_models import MemberMatch
from desk.ui.members.member_table_model import COL_EMAIL, COL_NAME, COL_OPEN, MemberResultsModel
from desk.ui.shell.context import DeskContext
from desk.ui.today.check_in_offer import CheckInOffer
from desk.ui.widgets.table_model import RowRole, SortRole
from desk.ui.widgets.throttle import Throttle

SEARCH_LIMIT = 100
THROTTLE_MS = 40


class MemberSearchPanel(QWidget):
    """``memberSearch`` (the line edit) over ``memberResults`` (the table).

    Up/Down move the selection from inside the search bar, Enter (in the bar or the
    table) or a double-click opens the selected member; Enter on a member with a session to
    check in today offers that first (CheckInOffer). An empty search lists the
    members opened most recently.
    """

    member_activated = Signal(int)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._recent: list[int] = []
        self._query = ""

        self.search = QLineEdit(self)
        self.search.setObjectName("memberSearch")
        self.search.setAccessibleName("Search members")
        self.search.setPlaceholderText("Search members by name, email or phone   (Ctrl+K)")
        self.search.setClearButtonEnabled(True)
        font = self.search.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.search.setFont(font)
        self.search.setMinimumHeight(40)

        self.caption = QLabel(self)
        self.caption.setObjectName("resultsCaption")
        self.caption.setStyleSheet("color: #5b6170;")

        self.model = MemberResultsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.results = QTableView(self)
        self.results.setObjectName("memberResults")
        self.results.setTabKeyNavigation(False)  # Tab leaves the table
        self.results.setAccessibleName("Matching members")
        self.results.setModel(self.proxy)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setAlternatingRowColors(True)
        self.results.verticalHeader().hide()
        self.results.setShowGrid(False)
        header = self.results.horizontalHeader()
        # No sort column until someone clicks a header: results keep the service's
        # best-match order.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.results.setSortingEnabled(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_EMAIL, QHeaderView.ResizeMode.Stretch)
        self.results.setColumnWidth(COL_NAME, 240)
        self.results.setColumnWidth(COL_OPEN, 110)
        self.results.doubleClicked.connect(self._open_index)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.caption)
        layout.addWidget(self.results, 1)

        self.offer = CheckInOffer(ctx, self)
        self.offer.open_profile.connect(self.member_activated)
        self.offer.done.connect(self.caption.setText)

        self._throttle = Throttle(self._run_search, THROTTLE_MS, self)
        self.search.textChanged.connect(self._throttle)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        self._run_search("")

    # --- public -----------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def set_recent(self, member_ids: list[int]) -> None:
        self._recent = list(member_ids)
        if not self._query:
            self._run_search("")

    def recent(self) -> list[int]:
        return list(self._recent)

    def refresh(self) -> None:
        """Run the current search again (a member or their credits changed)."""
        self._run_search(self.search.text())

    def selected_member(self) -> MemberMatch | None:
        rows = self.results.selectionModel().selectedRows()
        if not rows:
            return None
        match = rows[0].data(RowRole)
        return match if isinstance(match, MemberMatch) else None

    # --- behaviour --------------------------------------------------------------------------

    def _run_search(self, text: str) -> None:
        # Search-as-you-type stays on the GUI thread, unlike the profile and calendar
        # reads (OperationRunner.read). A keystroke to its results on screen (query,
        # model reset, layout and paint) measures ~8-10 ms median on the benchmark
        # data set (tests/benchmarks/test_gui.py::test_keystroke_to_results), under
        # the 16 ms of one frame; the first keystroke of a burst runs at once and the
        # Throttle coalesces the rest. A worker round trip would add latency and a
        # stale-results race (typing on while an older query returns) to save a
        # frame the desk doesn't lose. Move it to the runner if that median nears 16 ms.
        self._query = text.strip()
        previous = self.selected_member()
        if self._query:
            rows = self._ctx.services.members.search(self._query, SEARCH_LIMIT)
            count = len(rows)
            more = "+" if count == SEARCH_LIMIT else ""
            self.caption.setText(
                f"{count}{more} match{'es' if count != 1 else ''}"
                if rows
                else f"No member matches “{self._query}”. Press Ctrl+N to add one."
            )
        else:
            rows = self._ctx.services.members.summaries(self._recent)
            self.caption.setText(
                "Recently opened" if rows else "Type a name, email or phone number."
            )
        self.model.set_rows(rows)
        self._select_after_reload(previous.id if previous and not self._query else None)

    def _select_after_reload(self, member_id: int | None) -> None:
        if self.proxy.rowCount() == 0:
            return
        target = 0
        if member_id is not None:
            for row in range(self.proxy.rowCount()):
                match = self.proxy.index(row, 0).data(RowRole)
                if isinstance(match, MemberMatch) and match.id == member_id:
                    target = row
                    break
        self.results.selectRow(target)

    def _move(self, step: int) -> None:
        count = self.proxy.rowCount()
        if count == 0:
            return
        rows = self.results.selectionModel().selectedRows()
        current = rows[0].row() if rows else -1
        target = max(0, min(count - 1, current + step))
        self.results.selectRow(target)
        self.results.scrollTo(self.proxy.index(target, 0))

    def _open_index(self, index: QModelIndex) -> None:
        match = index.siblingAtColumn(0).data(RowRole)
        if isinstance(match, MemberMatch):
            self.member_activated.emit(match.id)

    def open_selected(self) -> None:
        self._throttle.flush()
        match = self.selected_member()
        if match is not None:
            self.member_activated.emit(match.id)

    def _choose_selected(self) -> None:
        """Enter: the selected member's check-in offer, or their profile."""
        self._throttle.flush()
        match = self.selected_member()
        if match is not None:
            self.offer.member_chosen(match.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.results
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._choose_selected()
            return True
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Down:
                self._move(1)
                return True
            if key == Qt.Key.Key_Up:
                self._move(-1)
                return True
            if key == Qt.Key.Key_PageDown:
                self._move(10)
                return True
            if key == Qt.Key.Key_PageUp:
                self._move(-10)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose_selected()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)
