"""The calendar's writes: check in, no-show, cancel (the drag's move: ``calendar_moves``).

Each runs through the OperationRunner (off the GUI thread, in click order); its result
comes back on the GUI thread, where the status line says what happened. The change
goes out through the hub with the calendar as origin; the calendar reloads once, on
that signal.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentId
from desk.services.core.read_models import AppointmentStatus, AppointmentView, CancelResult
from desk.ui.calendar.calendar_moves import CalendarMoves
from desk.ui.calendar.cancel_dialog import CancelDialog
from desk.ui.calendar.forgive import can_forgive, forgive
from desk.ui.calendar.undo_status import can_undo_status, undo_status
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error, show_failure
from desk.ui.widgets.status_words import NO_SHOW_TITLE, checked_in, marked_no_show, no_show_question

if TYPE_CHECKING:
    from desk.ui.calendar.calendar_widgets import CalendarWidgets

BUSY = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)
"""Statuses that hold a staff member's time."""


class CalendarActions(CalendarMoves):
    """Mixed into CalendarView, a QWidget with these attributes and ``_can``, ``reload``;
    the drag's move and its undo come from CalendarMoves."""

    _ctx: DeskContext
    _tz: tzinfo
    _loaded: list[AppointmentView]
    _selected: AppointmentView | None
    widgets: CalendarWidgets

    if TYPE_CHECKING:

        def _can(self, appt: AppointmentView | None) -> tuple[bool, bool, bool]: ...
        def reload(self) -> None: ...

    def check_in_selected(self) -> None:
        appt = self._selected
        if appt is None or not self._can(appt)[0]:
            return
        booking = self._ctx.services.booking
        self._ctx.runner.run(
            lambda: booking.check_in(AppointmentId(appt.id), actor=self._ctx.actor),
            origin=self,
            on_done=lambda _: self._done(checked_in(appt)),
            on_refused=self._failed,
            on_failed=self._crashed,
        )

    def no_show_selected(self) -> None:
        """Asks first: a no-show forfeits the credit."""
        appt = self._selected
        if appt is None or not self._can(appt)[1]:
            return
        fee = self._ctx.services.fees.fee_for(AppointmentId(appt.id), AppointmentStatus.NO_SHOW)
        answer = QMessageBox.question(
            self,
            NO_SHOW_TITLE,
            no_show_question(appt, self._tz, fee),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        booking = self._ctx.services.booking
        self._ctx.runner.run(
            lambda: booking.no_show(AppointmentId(appt.id), actor=self._ctx.actor),
            origin=self,
            on_done=lambda _: self._done(marked_no_show(appt)),
            on_refused=self._failed,
            on_failed=self._crashed,
        )

    def cancel_selected(self) -> None:
        """Ask (warning about a late cancel), then cancel and say what became of the credit."""
        appt = self._selected
        if appt is None or not self._can(appt)[2]:
            return
        try:
            answer = CancelDialog.ask(self._ctx, self, appt)
        except DeskError as exc:
            self._failed(exc)
            return
        if answer is None:
            return
        return_credit, reason = answer
        who = f"{appt.member_name}'s {appt.appointment_type}"

        def cancelled(result: CancelResult) -> None:
            if not result.late:
                message = f"Cancelled {who}; credit returned to the member."
            elif result.credit_returned:
                message = f"Cancelled {who} late; credit returned to the member anyway ({reason})."
            else:
                message = f"Late-cancelled {who}; the credit is forfeited."
            self._done(message)

        booking = self._ctx.services.booking
        self._ctx.runner.run(
            lambda: booking.cancel(
                AppointmentId(appt.id),
                return_credit=return_credit,
                reason=reason,
                actor=self._ctx.actor,
            ),
            origin=self,
            on_done=cancelled,
            on_refused=self._failed,
            on_failed=self._crashed,
        )

    def undo_status_selected(self) -> None:
        """Owner or admin: the selected check-in, no-show or late cancel, undone."""
        appt = self._selected
        if appt is None or not can_undo_status(self._ctx, appt):
            return
        undo_status(self._ctx, self, appt, on_done=self._done, on_refused=self._failed)

    def forgive_selected(self) -> None:
        """Owner or admin: the selected late cancel or no-show's credit, given back."""
        appt = self._selected
        if appt is None or not can_forgive(self._ctx, appt.status, appt.lot_id is not None):
            return
        forgive(self._ctx, self, appt.id, status=appt.status, member_name=appt.member_name,
                starts_at=appt.starts_at, on_done=self._done, on_refused=self._failed)  # fmt: skip

    def _done(self, message: str) -> None:
        """The runner published the change (origin: this view), which reloads it."""
        self._forget_move()
        self.widgets.status_line.setText(message)

    def _crashed(self, exc: BaseException) -> None:
        show_failure(self, exc)
        self._forget_move()
        self.widgets.status_line.setText("")
        self.reload()

    def _failed(self, exc: DeskError) -> None:
        show_error(self, exc)
        self._forget_move()
        self.widgets.status_line.setText("")
        # Another desk may have changed it meanwhile: show what is true now.
        self.reload()
