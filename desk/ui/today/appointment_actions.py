"""Check in, no-show and cancel one appointment, through the runner, from any screen.

The Today page, the profile's Coming up list and the search bar's check-in offer all
act through ``AppointmentActions``; ``RowActions`` puts them on a table's selected
row: one key each (C, N, X), the row's context menu, and the screen's buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QTableView, QWidget

from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentId
from desk.services.core.read_models import AppointmentStatus, AppointmentView, CancelResult
from desk.ui.calendar.cancel_dialog import CancelDialog
from desk.ui.calendar.undo_status import UNDO_STATUS_LABEL, can_undo_status, undo_status
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error
from desk.ui.widgets.status_words import NO_SHOW_TITLE, checked_in, marked_no_show, no_show_question
from desk.ui.widgets.table_model import RowRole

CHECK_IN, NO_SHOW, CANCEL = "check_in", "no_show", "cancel"
KEYS = {CHECK_IN: Qt.Key.Key_C, NO_SHOW: Qt.Key.Key_N, CANCEL: Qt.Key.Key_X}
LABELS = {CHECK_IN: "Check in", NO_SHOW: "No-show…", CANCEL: "Cancel…"}
ACTION_NAMES = {CHECK_IN: "checkInAction", NO_SHOW: "noShowAction", CANCEL: "cancelAction"}


@dataclass(frozen=True)
class Allowed:
    check_in: bool = False
    no_show: bool = False
    cancel: bool = False

    def __getitem__(self, what: str) -> bool:
        return bool(getattr(self, what))


def allowed(appt: AppointmentView | None, now: datetime) -> Allowed:
    """What the desk may do with ``appt`` now (the service has the last word)."""
    if appt is None or appt.status != AppointmentStatus.BOOKED:
        return Allowed()
    return Allowed(check_in=True, no_show=now >= appt.starts_at, cancel=True)


class AppointmentActions(QObject):
    """The three writes; ``done`` says what happened, for the screen's status line, and
    ``acted`` names whose appointment it was (a screen's Undo follows that member)."""

    done = Signal(str)
    acted = Signal(int)  # the member's id, after ``done``
    failed = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._widget = parent

    def check_in(self, appt: AppointmentView) -> None:
        booking = self._ctx.services.booking
        self._ctx.runner.run(
            lambda: booking.check_in(AppointmentId(appt.id), actor=self._ctx.actor),
            origin=self._widget,
            on_done=lambda _: self._done(checked_in(appt), appt),
            on_refused=self._refused,
        )

    def _done(self, text: str, appt: AppointmentView) -> None:
        self.done.emit(text)
        self.acted.emit(appt.member_id)

    def no_show(self, appt: AppointmentView) -> None:
        """Asks first: a no-show forfeits the credit."""
        tz = self._ctx.services.clock.tz
        fee = self._ctx.services.fees.fee_for(AppointmentId(appt.id), AppointmentStatus.NO_SHOW)
        answer = QMessageBox.question(
            self._widget,
            NO_SHOW_TITLE,
            no_show_question(appt, tz, fee),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        booking = self._ctx.services.booking
        self._ctx.runner.run(
            lambda: booking.no_show(AppointmentId(appt.id), actor=self._ctx.actor),
            origin=self._widget,
            on_done=lambda _: self._done(marked_no_show(appt), appt),
            on_refused=self._refused,
        )

    def cancel(self, appt: AppointmentView) -> None:
        """The calendar's cancel dialog (late-cancel warning, credit override)."""
        try:
            answer = CancelDialog.ask(self._ctx, self._widget, appt)
        except DeskError as exc:
            self._refused(exc)
            return
        if answer is None:
            return
        return_credit, reason = answer
        who = f"{appt.member_name}'s {appt.appointment_type}"

        def cancelled(result: CancelResult) -> None:
            if not result.late:
                self._done(f"Cancelled {who}; credit returned to the member.", appt)
            elif result.credit_returned:
                self._done(f"Cancelled {who} late; credit returned anyway ({reason}).", appt)
            else:
                self._done(f"Late-cancelled {who}; the credit is forfeited.", appt)

        booking = self._ctx.services.booking
        self._ctx.runner.run(
            lambda: booking.cancel(
                AppointmentId(appt.id),
                return_credit=return_credit,
                reason=reason,
                actor=self._ctx.actor,
            ),
            origin=self._widget,
            on_done=cancelled,
            on_refused=self._refused,
        )

    def undo_status(self, appt: AppointmentView) -> None:
        """Owner or admin: a check-in, no-show or late cancel undone, with a reason."""
        if can_undo_status(self._ctx, appt):
            undo_status(
                self._ctx, self._widget, appt, on_done=self.done.emit, on_refused=self._refused
            )

    def do(self, what: str, appt: AppointmentView) -> None:
        {CHECK_IN: self.check_in, NO_SHOW: self.no_show, CANCEL: self.cancel}[what](appt)

    def _refused(self, exc: DeskError) -> None:
        show_error(self._widget, exc)
        self.failed.emit()


class RowActions(QObject):
    """The actions on a table's selected row: C / N / X, Enter (``on_enter``) and the
    right-click menu. ``changed`` fires when the selection (and so what's allowed) moves."""

    changed = Signal()

    def __init__(
        self,
        ctx: DeskContext,
        table: QTableView,
        actions: AppointmentActions,
        *,
        on_enter: Callable[[AppointmentView], None] | None = None,
        extra: tuple[tuple[str, str, Callable[[AppointmentView], None]], ...] = (),
        undo_status: bool = False,
    ) -> None:
        super().__init__(table)
        self._ctx = ctx
        self._table = table
        self.actions = actions
        self._on_enter = on_enter
        self._extra = extra
        self._undo_status = undo_status
        self.last_menu: QMenu | None = None
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_menu)
        table.installEventFilter(self)

    def connect_selection(self) -> None:
        """Call once the table has its model."""
        self._table.selectionModel().selectionChanged.connect(self.changed)
        self._table.model().modelReset.connect(self.changed)

    def selected(self) -> AppointmentView | None:
        model = self._table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        row = rows[0].data(RowRole) if rows else None
        appt = getattr(row, "appointment", row)
        return appt if isinstance(appt, AppointmentView) else None

    def allowed(self) -> Allowed:
        return allowed(self.selected(), self._ctx.services.clock.now())

    def trigger(self, what: str) -> None:
        appt = self.selected()
        if appt is not None and allowed(appt, self._ctx.services.clock.now())[what]:
            self.actions.do(what, appt)

    def menu(self) -> QMenu:
        """The selected row's menu, enabled by the same rules as the keys and buttons."""
        can = self.allowed()
        menu = QMenu(self._table)
        menu.setObjectName("appointmentRowMenu")
        for what in (CHECK_IN, NO_SHOW, CANCEL):
            action = QAction(LABELS[what], menu)
            action.setObjectName(ACTION_NAMES[what])
            action.setShortcut(QKeySequence(KEYS[what]))
            action.setEnabled(can[what])
            action.triggered.connect(lambda _=False, w=what: self.trigger(w))
            menu.addAction(action)
        appt = self.selected()
        if self._undo_status:
            action = QAction(UNDO_STATUS_LABEL, menu)
            action.setObjectName("undoStatusAction")
            action.setEnabled(can_undo_status(self._ctx, appt))
            if appt is not None:
                action.triggered.connect(lambda _=False, a=appt: self.actions.undo_status(a))
            menu.addAction(action)
        for text, name, slot in self._extra:
            action = QAction(text, menu)
            action.setObjectName(name)
            action.setEnabled(appt is not None)
            if appt is not None:
                action.triggered.connect(lambda _=False, s=slot, a=appt: s(a))
            menu.addAction(action)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        index = self._table.indexAt(pos)
        if not index.isValid():
            return
        self._table.selectRow(index.row())
        if self.last_menu is not None:
            self.last_menu.deleteLater()
        # popup, not exec: no nested event loop while the runner's results arrive.
        menu = self.last_menu = self.menu()
        menu.aboutToHide.connect(self._forget_menu)
        menu.popup(self._table.viewport().mapToGlobal(pos))

    def _forget_menu(self) -> None:
        menu, self.last_menu = self.last_menu, None
        if menu is not None:
            menu.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                return super().eventFilter(watched, event)
            for what, key in KEYS.items():
                if event.key() == key:
                    self.trigger(what)
                    return True
            appt = self.selected()
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._on_enter:
                if appt is not None:
                    self._on_enter(appt)
                return True
        return super().eventFilter(watched, event)
