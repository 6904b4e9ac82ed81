"""Cancel an appointment: confirm, and inside the late-cancel window say what it costs.

The dialog only asks; the calendar calls the booking service with the answer,
so this dialog and its callers stay testable by patching ``ask`` or ``exec``.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.ids import AppointmentId, AppointmentTypeId
from desk.services.core.read_models import AppointmentStatus, AppointmentView
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.fee_words import fee_sentence
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import format_clock, format_datetime

LATE_CANCELLED = AppointmentStatus.LATE_CANCELLED


class CancelDialog(QDialog):
    """Asks whether to cancel, and whether to return a late-cancelled credit anyway.

    Outside the window it is a plain confirmation (the credit goes back by
    itself). Inside it, it warns that the credit will be forfeited and offers
    "Return the credit anyway", which needs a reason for the audit trail.
    """

    def __init__(
        self,
        ctx: DeskContext,
        appointment: AppointmentView,
        late: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.late = late
        self.setObjectName("CancelDialog")
        self.setWindowTitle("Cancel appointment")
        self.setMinimumWidth(460)
        tz = ctx.services.clock.tz
        end = appointment.ends_at.astimezone(tz)
        what = QLabel(
            f"<b>{appointment.member_name}</b> · {appointment.appointment_type}<br>"
            f"{format_datetime(appointment.starts_at, tz)}\N{EN DASH}{format_clock(end)} "
            f"with {appointment.staff_name}",
            self,
        )
        what.setObjectName("cancelWhat")

        self.message = QLabel(self)
        self.message.setObjectName("cancelMessage")
        self.message.setWordWrap(True)
        self.return_credit = QCheckBox("Return the credit anyway", self)
        self.return_credit.setObjectName("returnCreditField")
        self.return_credit.setAccessibleName("Return the credit anyway")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("cancelReasonField")
        self.reason.setAccessibleName("Reason")
        self.reason_error = FieldError("cancelReasonError", self)

        if late:
            kind = ctx.services.appointment_types.get(
                AppointmentTypeId(appointment.appointment_type_id)
            )
            hours = kind.late_cancel_hours
            fee = ctx.services.fees.fee_for(AppointmentId(appointment.id), LATE_CANCELLED)
            cost = (
                "a fee" if fee and fee.replaces_forfeit else "<b>the credit will be forfeited</b>"
            )
            self.message.setText(
                f"This is inside the {hours}-hour late-cancel window of "
                f"{appointment.appointment_type}: {cost}.{fee_sentence(fee, kind.currency)}"
            )
            if fee is not None:  # returned, it is a cancel in time: no fee (fees.py)
                self.return_credit.setText("Return the credit anyway and waive the fee")
            self.message.setStyleSheet(
                "background: #fffaeb; color: #93370d; border: 1px solid #fedf89; "
                "border-radius: 6px; padding: 8px;"
            )
            self.reason.setPlaceholderText("Reason (required to return the credit)")
        else:
            self.message.setText("The credit goes back to the member.")
            self.return_credit.hide()
            self.reason.setPlaceholderText("Reason (optional)")
        self.return_credit.toggled.connect(self._validate)
        self.reason.textChanged.connect(self._validate)

        buttons = QDialogButtonBox(self)
        self.confirm_button = QPushButton("Cancel appointment", self)
        self.confirm_button.setObjectName("confirmCancelButton")
        self.keep_button = QPushButton("Keep it", self)
        self.keep_button.setObjectName("keepAppointmentButton")
        self.keep_button.setDefault(True)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(self.message)
        layout.addWidget(self.return_credit)
        layout.addWidget(self.reason)
        layout.addWidget(self.reason_error)
        layout.addWidget(buttons)
        self._validate()

    @classmethod
    def ask(
        cls, ctx: DeskContext, parent: QWidget | None, appointment: AppointmentView
    ) -> tuple[bool, str] | None:
        """(return the credit anyway, reason), or None when staff keep the appointment.

        Raises NotFound when the appointment is gone.
        """
        late = ctx.services.booking.is_late_cancel(AppointmentId(appointment.id))
        dialog = cls(ctx, appointment, late, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    def answer(self) -> tuple[bool, str]:
        return (self.late and self.return_credit.isChecked(), self.reason.text().strip())

    def _validate(self) -> bool:
        needs_reason = self.late and self.return_credit.isChecked()
        if needs_reason and not self.reason.text().strip():
            self.reason_error.show_message("Say why the credit is returned after a late cancel.")
            self.confirm_button.setEnabled(False)
            return False
        self.reason_error.clear_message()
        self.confirm_button.setEnabled(True)
        return True

    def _confirm(self) -> None:
        if self._validate():
            self.accept()
