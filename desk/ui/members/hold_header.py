"""A member's hold on their profile: the header line ("On hold 1 - 14 Jan 2027 (injury)")
with Place hold… and End hold early… (or Cancel hold… before it starts), and their
dialogs. The line loads itself on the runner's read worker and again whenever a
change touches the member; every write goes through the runner."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.changes import Changes
from desk.services.core.clock import today
from desk.services.core.errors import DeskError, InvalidState
from desk.services.core.ids import MemberId
from desk.services.core.permissions import Permission
from desk.services.people.holds import BookedDuringHold, HoldView
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import format_date, format_date_range, format_datetime

DEFAULT_DAYS = 14


def hold_text(hold: HoldView, on: dt.date) -> str:
    """ "On hold 1 - 14 Jan 2027 (injury)", or "Hold from … " when it is still to come."""
    when = format_date_range(hold.starts_on, hold.last_day)
    head = "On hold" if hold.starts_on <= on else "Hold coming:"
    return f"{head} {when} ({hold.reason})"


class PlaceHoldDialog(QDialog):
    """From a date to a date, with a reason; booked sessions in those days are listed."""

    def __init__(self, ctx: DeskContext, member_id: int, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._member_id = MemberId(member_id)
        self.setObjectName("PlaceHoldDialog")
        self.setWindowTitle(f"Put {name} on hold")
        self.setMinimumWidth(480)
        first = today(ctx.services.clock)
        self.starts = DateField("holdFromField", "First day on hold", first, self)
        self.ends = DateField(
            "holdToField", "Last day on hold", first + dt.timedelta(days=DEFAULT_DAYS - 1), self
        )
        self.reason = QLineEdit(self)
        self.reason.setObjectName("holdReasonField")
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Required: injury, travel, …")
        self.error = FieldError("holdError", self)
        self.reason_error = FieldError("holdReasonError", self)
        self.booked = QLabel(self)
        self.booked.setObjectName("holdBookedSessions")
        self.booked.setVisible(False)
        form = QFormLayout()
        form.addRow("From", self.starts)
        form.addRow("To", self.ends)
        form.addRow("", self.error)
        form.addRow("Reason", self.reason)
        form.addRow("", self.reason_error)
        note = QLabel(
            "No booking on these days; expiry dates of open credits move by the hold's "
            "length; plan periods starting on these days aren't billed.",
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #5b6170;")
        buttons, self.place_button = action_buttons(
            self, "Place hold", "placeHoldButton", self._save
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.booked)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.starts.setFocus()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None, member_id: int, name: str) -> None:
        cls(ctx, member_id, name, parent).exec()

    def _save(self) -> None:
        first, last, reason = self.starts.day(), self.ends.day(), self.reason.text()
        holds, member, actor = self._ctx.services.holds, self._member_id, self._ctx.actor
        self.booked.setVisible(False)
        submit(
            self,
            self._ctx.runner,
            lambda: holds.place_hold(
                member, starts_on=first, ends_on=last, reason=reason, actor=actor
            ),
            ErrorFields(
                otherwise=self.error,
                by_field={"reason": self.reason_error},
                also=(InvalidState,),
            ),
            button=self.place_button,
            on_refused=self._list_bookings,
        )

    def _list_bookings(self, error: DeskError) -> None:
        if isinstance(error, BookedDuringHold):
            tz = self._ctx.services.clock.tz
            self.booked.setText(
                "\n".join(
                    f"• {format_datetime(b.starts_at, tz)}  {b.appointment_type} with "
                    f"{b.staff_name}"
                    for b in error.bookings
                )
            )
            self.booked.setVisible(True)


class EndHoldDialog(QDialog):
    """The day the member is back (from today): the unused days come off the expiry dates."""

    def __init__(self, ctx: DeskContext, hold: HoldView, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._hold = hold
        self.setObjectName("EndHoldDialog")
        self.setWindowTitle("End hold early")
        self.setMinimumWidth(440)
        on = today(ctx.services.clock)
        self.back = DateField("holdBackField", "Back on", max(on, hold.starts_on), self)
        self.error = FieldError("endHoldError", self)
        form = QFormLayout()
        form.addRow("Hold", QLabel(hold_text(hold, on), self))
        form.addRow("Back on", self.back)
        form.addRow("", self.error)
        buttons, self.end_button = action_buttons(self, "End hold", "endHoldConfirm", self._save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.back.setFocus()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None, hold: HoldView) -> None:
        cls(ctx, hold, parent).exec()

    def _save(self) -> None:
        back, hold_id = self.back.day(), self._hold.id
        holds, actor = self._ctx.services.holds, self._ctx.actor
        submit(
            self,
            self._ctx.runner,
            lambda: holds.end_hold_early(hold_id, back_on=back, actor=actor),
            ErrorFields(otherwise=self.error, also=(InvalidState,)),
            button=self.end_button,
        )


class HoldHeader(QWidget):
    """The profile header's hold line and its two buttons."""

    def __init__(self, ctx: DeskContext, member_id: int, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._member_id = member_id
        self.name = name
        self.hold: HoldView | None = None
        self.status = QLabel(self)
        self.status.setObjectName("holdStatus")
        self.status.setStyleSheet(
            "padding: 2px 8px; border-radius: 8px; background: #fef0c7; color: #93370d;"
        )
        self.place_button = QPushButton("Place hold…", self)
        self.place_button.setObjectName("placeHoldAction")
        self.place_button.setAccessibleName("Place hold")
        self.end_button = QPushButton("End hold early…", self)
        self.end_button.setObjectName("endHoldAction")
        self.end_button.setAccessibleName("End hold early")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.status)
        row.addStretch(1)
        row.addWidget(self.place_button)
        row.addWidget(self.end_button)
        self.place_button.clicked.connect(
            lambda: PlaceHoldDialog.ask(ctx, self, self._member_id, self.name)
        )
        self.end_button.clicked.connect(self._end)
        # A slot of this widget: Qt disconnects it when the widget goes.
        ctx.hub.changed.connect(self._on_changes)
        self.reload()

    def reload(self) -> None:
        holds, member = self._ctx.services.holds, MemberId(self._member_id)
        self._ctx.runner.read((self, "hold"), lambda: holds.current_hold(member), self._apply,
                              origin=self)  # fmt: skip

    def _apply(self, hold: HoldView | None) -> None:
        self.hold = hold
        on = today(self._ctx.services.clock)
        self.status.setText(hold_text(hold, on) if hold is not None else "")
        self.status.setVisible(hold is not None)
        self.end_button.setVisible(hold is not None)
        started = hold is not None and hold.starts_on <= on
        self.end_button.setText("End hold early…" if started or hold is None else "Cancel hold…")
        self.end_button.setAccessibleName(self.end_button.text().replace("…", ""))
        # Greyed, with the reason, for whoever the role rules refuse (the front desk).
        may = self._ctx.can(Permission.HOLD_CREDITS)
        for button in (self.place_button, self.end_button):
            button.setEnabled(may)
            button.setToolTip("" if may else f"Your role may not {Permission.HOLD_CREDITS.value}.")

    def _on_changes(self, changes: Changes, _origin: object = None) -> None:
        if changes.touches_member(self._member_id):
            self.reload()

    def _end(self) -> None:
        hold = self.hold
        if hold is None:
            return
        if hold.starts_on <= today(self._ctx.services.clock):
            EndHoldDialog.ask(self._ctx, self, hold)
            return
        answer = QMessageBox.question(
            self,
            "Cancel hold",
            f"Cancel the hold from {format_date(hold.starts_on)} to "
            f"{format_date(hold.last_day)}? The expiry dates it moved move back.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            holds = self._ctx.services.holds
            self._ctx.runner.run(
                lambda: holds.cancel_hold(hold.id, actor=self._ctx.actor),
                origin=self,
                on_refused=lambda exc: show_error(self, exc),
            )
