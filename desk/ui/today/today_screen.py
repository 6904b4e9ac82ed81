"""The Today page: everyone booked today, in time order, and the desk's three actions.

It loads on the runner's read worker, reloads when the hub's Changes can touch the
day (any booking change, a shown member's credits or name, the catalog) and, while
hidden, only marks itself stale and reloads when shown. A minute timer reloads it
while shown, so a session whose start passes turns into a late arrival by itself.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desk.services.calendar.today import TodayRow
from desk.services.core.changes import Changes
from desk.services.core.clock import today
from desk.services.core.read_models import AppointmentStatus, AppointmentView, WaitlistEntryView
from desk.ui.shell.context import DeskContext
from desk.ui.shell.credit_undo_offer import CreditUndoOffer
from desk.ui.today.appointment_actions import (
    CANCEL,
    CHECK_IN,
    NO_SHOW,
    AppointmentActions,
    RowActions,
)
from desk.ui.today.promotions import promotion_lines
from desk.ui.today.today_table_model import TodayFilter, TodayModel
from desk.ui.today.today_view import TodayView
from desk.ui.widgets.formatting import format_long_date
from desk.ui.widgets.table_model import RowRole

REFRESH_MS = 60_000


class TodayScreen(QWidget):
    profile_requested = Signal(int)
    loaded = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TodayPage")
        self._ctx = ctx
        self._stale = False
        self._members: set[int] = set()
        self.reloads = 0
        self.view = TodayView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

        self.model = TodayModel(ctx.services.clock.tz, self)
        self.proxy = TodayFilter(self)
        self.proxy.setSourceModel(self.model)
        v = self.view
        v.table.setModel(self.proxy)
        self.appointment_actions = AppointmentActions(ctx, self)
        self.row_actions = RowActions(
            ctx,
            v.table,
            self.appointment_actions,
            on_enter=self._open_profile,
            extra=(("Open member profile", "openProfileAction", self._open_profile),),
            undo_status=True,
        )
        self.row_actions.connect_selection()
        self.row_actions.changed.connect(self._update_buttons)
        self.proxy.layoutChanged.connect(self._update_buttons)
        self.appointment_actions.done.connect(v.status_line.setText)
        # Undo (link and Ctrl+Z) for the member whose session was just checked in.
        self.undo = CreditUndoOffer(ctx, self, None, v.status_line, v.undo_link)
        self.appointment_actions.acted.connect(self.undo.follow)
        self.appointment_actions.failed.connect(self.reload)
        v.check_in_button.clicked.connect(lambda: self.row_actions.trigger(CHECK_IN))
        v.no_show_button.clicked.connect(lambda: self.row_actions.trigger(NO_SHOW))
        v.cancel_button.clicked.connect(lambda: self.row_actions.trigger(CANCEL))
        v.profile_button.clicked.connect(self._profile_selected)
        v.table.doubleClicked.connect(lambda _index: self._profile_selected())
        v.filter.textChanged.connect(self._filter)
        ctx.hub.changed.connect(self._on_changes)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.reload()

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        self._stale = False
        self.reloads += 1
        booking = self._ctx.services.booking
        day = today(self._ctx.services.clock)
        self.view.heading.setText(f"Today, {format_long_date(day)}")
        self._ctx.runner.read(
            (self, "today"),
            lambda: (booking.today(day), booking.promotions(day)),
            lambda got: self._apply(*got),
            origin=self,
        )

    def _apply(self, rows: list[TodayRow], promoted: list[WaitlistEntryView]) -> None:
        selected = self.row_actions.selected()
        self.model.set_rows(rows)
        self._members = {r.appointment.member_id for r in rows}
        v = self.view
        v.empty.setVisible(not rows)
        done = sum(r.appointment.status == AppointmentStatus.ATTENDED for r in rows)
        late = sum(r.late for r in rows)
        v.summary.setText(
            f"{len(rows)} session{'s' if len(rows) != 1 else ''}   ·   {done} checked in"
            + (f"   ·   {late} late" if late else "")
        )
        v.promotions.setText(promotion_lines(promoted, self._ctx.services.clock.tz))
        v.promotions.setVisible(bool(promoted))
        v.fit_columns()
        self._select(selected.id if selected else None)
        self._update_buttons()
        self.loaded.emit()

    def _select(self, appointment_id: int | None) -> None:
        """Keep the selected session selected; else the first still to be dealt with."""
        target = None
        for row in range(self.proxy.rowCount()):
            item = self.proxy.index(row, 0).data(RowRole)
            if not isinstance(item, TodayRow):
                continue
            if appointment_id is not None and item.appointment.id == appointment_id:
                target = row
                break
            if target is None and item.can_check_in:
                target = row
        if target is None and self.proxy.rowCount():
            target = 0
        if target is not None:
            self.view.table.selectRow(target)

    def _on_changes(self, changes: Changes, _origin: object = None) -> None:
        followed = self.undo.member_id
        if followed is not None and changes.touches_member(followed):
            self.undo.member_changed()  # an undo, or a later action, changes the offer
        touched = (
            changes.bookings
            or changes.appointments
            or changes.catalog
            or changes.everything
            or (changes.credits | changes.members) & self._members
        )
        if not touched:
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def _tick(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    # --- behaviour --------------------------------------------------------------------------

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        if not self.view.table.selectionModel().selectedRows():
            self._select(None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        v = self.view
        can = self.row_actions.allowed()
        v.check_in_button.setEnabled(can.check_in)
        v.no_show_button.setEnabled(can.no_show)
        v.no_show_button.setToolTip(
            "Possible once the session starts." if can.check_in and not can.no_show else ""
        )
        v.cancel_button.setEnabled(can.cancel)
        v.profile_button.setEnabled(self.row_actions.selected() is not None)

    def _open_profile(self, appt: AppointmentView) -> None:
        self.profile_requested.emit(appt.member_id)

    def _profile_selected(self, _index: QModelIndex | None = None) -> None:
        appt = self.row_actions.selected()
        if appt is not None:
            self._open_profile(appt)

    def focus_table(self) -> None:
        self.view.table.setFocus()
