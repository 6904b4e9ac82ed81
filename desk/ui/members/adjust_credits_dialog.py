"""Adjust Credits: correct a member's open credits, always with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.errors import DeskError, InsufficientCredits
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.read_models import BalanceRow
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError

MAX_CHANGE = 1000


class AdjustCreditsDialog(QDialog):
    def __init__(
        self,
        ctx: DeskContext,
        member_id: int,
        member_name: str,
        type_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._member_id = member_id
        self.result_balance: BalanceRow | None = None
        self.setObjectName("AdjustCreditsDialog")
        self.setWindowTitle(f"Adjust credits: {member_name}")
        self.setMinimumWidth(500)

        balances = ctx.services.credits.balances(MemberId(member_id))
        self._open = {b.appointment_type_id: b.open for b in balances}
        types = {t.id: t.name for t in ctx.services.appointment_types.list()}
        types.update({b.appointment_type_id: b.appointment_type for b in balances})

        self.appointment_type = QComboBox(self)
        self.appointment_type.setObjectName("appointmentTypeField")
        self.appointment_type.setAccessibleName("Appointment type")
        for tid, name in sorted(types.items(), key=lambda item: item[1].lower()):
            self.appointment_type.addItem(name, tid)
        if type_id is None:
            # Start on a type the member actually has open credits of.
            type_id = next((b.appointment_type_id for b in balances if b.open > 0), None)
        if type_id is not None and self.appointment_type.findData(type_id) >= 0:
            self.appointment_type.setCurrentIndex(self.appointment_type.findData(type_id))
        self.appointment_type.currentIndexChanged.connect(self._validate)

        self.open_now = QLabel(self)
        self.open_now.setObjectName("openNow")
        self.delta = QSpinBox(self)
        self.delta.setObjectName("deltaField")
        self.delta.setAccessibleName("Change in credits")
        self.delta.setRange(-MAX_CHANGE, MAX_CHANGE)
        self.delta.valueChanged.connect(self._validate)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reasonField")
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Required: why the balance changes")
        self.reason.textChanged.connect(self._validate)
        self.delta_error = FieldError("deltaError", self)
        self.reason_error = FieldError("reasonError", self)

        form = QFormLayout()
        form.addRow("Appointment type", self.appointment_type)
        form.addRow("Open now", self.open_now)
        form.addRow("Change", self.delta)
        form.addRow("", self.delta_error)
        form.addRow("Reason", self.reason)
        form.addRow("", self.reason_error)

        buttons, self.adjust_button = action_buttons(self, "Adjust", "adjustButton", self._save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.delta.setFocus()
        self._validate()

    @classmethod
    def ask(
        cls,
        ctx: DeskContext,
        parent: QWidget | None,
        member_id: int,
        member_name: str,
        type_id: int | None = None,
    ) -> BalanceRow | None:
        dialog = cls(ctx, member_id, member_name, type_id, parent)
        dialog.exec()
        return dialog.result_balance

    def _open_text(self) -> str:
        type_id = self.appointment_type.currentData()
        if type_id is None:
            return "No appointment types yet."
        open_now = self._open.get(type_id, 0)
        change = self.delta.value()
        return f"{open_now}  →  {open_now + change} after this change" if change else str(open_now)

    def _validate(self) -> bool:
        ok = True
        type_id = self.appointment_type.currentData()
        open_now = self._open.get(type_id, 0) if type_id is not None else 0
        change = self.delta.value()
        self.open_now.setText(self._open_text())
        if type_id is None:
            ok = False
        if change == 0:
            self.delta_error.clear_message()
            ok = False
        elif open_now + change < 0:
            self.delta_error.show_message(
                f"Only {open_now} open: you can remove at most {open_now}."
            )
            ok = False
        else:
            self.delta_error.clear_message()
        if not self.reason.text().strip():
            self.reason_error.show_message("A reason is required for every adjustment.")
            ok = False
        else:
            self.reason_error.clear_message()
        self.adjust_button.setEnabled(ok)
        return ok

    def _save(self) -> None:
        if not self._validate():
            return
        type_id = AppointmentTypeId(self.appointment_type.currentData())
        delta = self.delta.value()
        reason = self.reason.text()
        credits = self._ctx.services.credits
        submit(
            self,
            self._ctx.runner,
            lambda: credits.adjust(
                member_id=MemberId(self._member_id),
                appointment_type_id=type_id,
                delta=delta,
                reason=reason,
                actor=self._ctx.actor,
            ),
            # Too few credits means someone booked or used some since the form opened.
            ErrorFields(
                otherwise=self.delta_error,
                by_field={"reason": self.reason_error},
                also=(InsufficientCredits,),
            ),
            button=self.adjust_button,
            on_saved=self._saved,
            on_refused=self._refused,
        )

    def _saved(self, balance: BalanceRow) -> None:
        self.result_balance = balance

    def _refused(self, _error: DeskError) -> None:
        # Refused: another desk may have booked or used credits since the form opened,
        # so show the balance as it is now; the reason stays where submit put it.
        balances = self._ctx.services.credits.balances(MemberId(self._member_id))
        self._open = {b.appointment_type_id: b.open for b in balances}
        self.open_now.setText(self._open_text())
