"""Record a payment or put credit on a member's account."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.ids import MemberId
from desk.ui.selling.payment_method import payment_method_combo
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.money_field import MoneyField

KINDS = {
    "payment": ("Record a payment", "Record payment", "e.g. card ending 4242, receipt 118"),
    "credit": ("Add account credit", "Add credit", "Required: why the member gets credit"),
}


class AccountEntryDialog(QDialog):
    def __init__(
        self, ctx: DeskContext, member_id: int, kind: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._member_id = member_id
        self._kind = kind
        self.result_balance: int | None = None
        title, button, hint = KINDS[kind]
        self.setObjectName("AccountEntryDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.amount = MoneyField("amountField", "Amount", self)
        self.amount.edit.setText("")
        self.amount_error = FieldError("amountError", self)
        self.method = payment_method_combo(self)
        self.note = QLineEdit(self)
        self.note.setObjectName("noteField")
        self.note.setPlaceholderText(hint)
        self.note_error = FieldError("noteError", self)
        form = QFormLayout()
        form.addRow("Amount", self.amount)
        form.addRow("", self.amount_error)
        if kind == "payment":
            form.addRow("Paid by", self.method)
        else:
            self.method.hide()
        form.addRow("Note", self.note)
        form.addRow("", self.note_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = QPushButton(button, self)
        self.save_button.setObjectName("saveEntryButton")
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.amount.changed.connect(self._validate)
        self.note.textChanged.connect(self._validate)
        self._validate()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None, member_id: int, kind: str) -> int | None:
        dialog = cls(ctx, member_id, kind, parent)
        dialog.exec()
        return dialog.result_balance

    def _validate(self) -> bool:
        cents = self.amount.cents()
        ok = bool(cents)
        self.amount_error.show_message(
            "" if not self.amount.edit.text().strip() or ok else "Enter an amount above $0.00."
        )
        if self._kind == "credit" and not self.note.text().strip():
            ok = False
        self.save_button.setEnabled(ok)
        return ok

    def _save(self) -> None:
        cents = self.amount.cents()
        if not self._validate() or not cents:
            return
        account = self._ctx.services.account
        member = MemberId(self._member_id)
        note = self.note.text()
        method = str(self.method.currentData())
        credit = self._kind == "credit"
        submit(
            self,
            self._ctx.runner,
            lambda: (
                account.add_credit(member, cents, note=note, actor=self._ctx.actor)
                if credit
                else account.record_payment(
                    member, cents, note=note, method=method, actor=self._ctx.actor
                )
            ),
            ErrorFields(
                otherwise=self.amount_error,
                by_field={"note": self.note_error, "method": self.amount_error},
            ),
            button=self.save_button,
            on_saved=self._saved,
        )

    def _saved(self, balance: int) -> None:
        self.result_balance = balance
