"""A profile's actions on one lot and on the member: change the lot's expiry, transfer
its credits to another member, merge this member into another record."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.errors import DeskError
from desk.services.core.ids import MemberId
from desk.services.core.read_models import LotView
from desk.ui.members.member_picker import MemberPicker
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import format_date


def _reason_field(parent: QWidget, hint: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName("reasonField")
    field.setAccessibleName("Reason")
    field.setPlaceholderText(hint)
    return field


class ChangeExpiryDialog(QDialog):
    """A new expiry date for one open lot; a date earlier than now needs a reason."""

    def __init__(self, ctx: DeskContext, lot: LotView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._lot = lot
        self.setObjectName("ChangeExpiryDialog")
        self.setWindowTitle(f"Change expiry: lot {lot.id}")
        self.setMinimumWidth(460)
        start = lot.expires_on or ctx.services.clock.now().date()
        self.expires = DateField("expiresField", "New expiry date", start, self)
        self.reason = _reason_field(self, "Needed when the date moves earlier")
        self.error = FieldError("expiryError", self)
        self.reason_error = FieldError("reasonError", self)
        form = QFormLayout()
        form.addRow("Lot", QLabel(f"{lot.appointment_type}: {lot.remaining} open", self))
        form.addRow("Expires now", QLabel(format_date(lot.expires_on, "never"), self))
        form.addRow("New expiry", self.expires)
        form.addRow("", self.error)
        form.addRow("Reason", self.reason)
        form.addRow("", self.reason_error)
        buttons, self.change_button = action_buttons(self, "Change", "changeButton", self._save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.expires.setFocus()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None, lot: LotView) -> None:
        cls(ctx, lot, parent).exec()

    def _save(self) -> None:
        new: dt.date = self.expires.day()
        reason = self.reason.text()
        changes = self._ctx.services.lot_changes
        submit(
            self,
            self._ctx.runner,
            lambda: changes.change_expiry(
                self._lot.id, expires_on=new, reason=reason, actor=self._ctx.actor
            ),
            ErrorFields(otherwise=self.error, by_field={"reason": self.reason_error}),
            button=self.change_button,
        )


class TransferCreditsDialog(QDialog):
    """Move some of one lot's open credits to another member, with a reason."""

    def __init__(self, ctx: DeskContext, lot: LotView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._lot = lot
        self.setObjectName("TransferCreditsDialog")
        self.setWindowTitle(f"Transfer credits: lot {lot.id}")
        self.setMinimumWidth(520)
        self.receiver = MemberPicker(ctx, self)
        self.receiver.setObjectName("receiverField")
        self.receiver.setAccessibleName("Transfer to")
        self.quantity = QSpinBox(self)
        self.quantity.setObjectName("quantityField")
        self.quantity.setAccessibleName("Credits to transfer")
        self.quantity.setRange(1, max(1, lot.remaining))
        self.quantity.setValue(max(1, lot.remaining))
        self.reason = _reason_field(self, "Required: why the credits move")
        self.error = FieldError("transferError", self)
        self.reason_error = FieldError("reasonError", self)
        form = QFormLayout()
        form.addRow(
            "From",
            QLabel(
                f"{lot.appointment_type}: {lot.remaining} open, "
                f"expires {format_date(lot.expires_on, 'never')}",
                self,
            ),
        )
        form.addRow("To", self.receiver)
        form.addRow("Credits", self.quantity)
        form.addRow("", self.error)
        form.addRow("Reason", self.reason)
        form.addRow("", self.reason_error)
        buttons, self.transfer_button = action_buttons(
            self, "Transfer", "transferButton", self._save
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.receiver.member_changed.connect(lambda _id: self._validate())
        self.reason.textChanged.connect(self._validate)
        self._validate()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None, lot: LotView) -> None:
        cls(ctx, lot, parent).exec()

    def _validate(self) -> bool:
        ok = self.receiver.member_id() is not None and bool(self.reason.text().strip())
        self.transfer_button.setEnabled(ok)
        return ok

    def _save(self) -> None:
        receiver = self.receiver.member_id()
        if not self._validate() or receiver is None:
            return
        quantity, reason = self.quantity.value(), self.reason.text()
        changes = self._ctx.services.lot_changes
        submit(
            self,
            self._ctx.runner,
            lambda: changes.transfer(
                self._lot.id,
                to_member_id=MemberId(receiver),
                quantity=quantity,
                reason=reason,
                actor=self._ctx.actor,
            ),
            ErrorFields(otherwise=self.error, by_field={"reason": self.reason_error}),
            button=self.transfer_button,
        )


class MergeMemberDialog(QDialog):
    """Merge this member (a duplicate) into the record that stays: shows what moves."""

    def __init__(
        self, ctx: DeskContext, member_id: int, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._member_id = member_id
        self.setObjectName("MergeMemberDialog")
        self.setWindowTitle(f"Merge {name} into…")
        self.setMinimumWidth(560)
        self.survivor = MemberPicker(ctx, self)
        self.survivor.setObjectName("survivorField")
        self.survivor.setAccessibleName("Merge into")
        self.preview = QLabel("Pick the member who stays.", self)
        self.preview.setObjectName("mergePreview")
        self.preview.setWordWrap(True)
        self.reason = _reason_field(self, "Required: e.g. imported twice")
        self.error = FieldError("mergeError", self)
        form = QFormLayout()
        form.addRow("Duplicate", QLabel(f"{name} · #{member_id}", self))
        form.addRow("Merge into", self.survivor)
        form.addRow("What moves", self.preview)
        form.addRow("Reason", self.reason)
        form.addRow("", self.error)
        buttons, self.merge_button = action_buttons(self, "Merge", "mergeButton", self._save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.survivor.member_changed.connect(lambda _id: self._show_preview())
        self.reason.textChanged.connect(self._validate)
        self._previewed = False
        self._validate()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None, member_id: int, name: str) -> None:
        cls(ctx, member_id, name, parent).exec()

    def _show_preview(self) -> None:
        self._previewed = False
        into = self.survivor.member_id()
        if into is None:
            self.preview.setText("Pick the member who stays.")
        else:
            try:
                moved = self._ctx.services.merges.preview_merge(
                    MemberId(self._member_id), MemberId(into)
                )
            except DeskError as exc:
                self.preview.setText(exc.message)
            else:
                self._previewed = True
                self.preview.setText(
                    f"{moved.credit_lots} credit lots ({moved.open_credits} open credits), "
                    f"{moved.appointments} appointments, {moved.waitlist_entries} waitlist "
                    f"places, {moved.subscriptions} plans, {moved.account_entries} account "
                    f"entries and {moved.audit_events} audit events move to "
                    f"{moved.into_name}; {moved.from_name} is archived and points there."
                )
        self._validate()

    def _validate(self) -> bool:
        ok = self._previewed and bool(self.reason.text().strip())
        self.merge_button.setEnabled(ok)
        return ok

    def _save(self) -> None:
        into = self.survivor.member_id()
        if not self._validate() or into is None:
            return
        reason = self.reason.text()
        merges = self._ctx.services.merges
        submit(
            self,
            self._ctx.runner,
            lambda: merges.merge(
                MemberId(self._member_id),
                into_member_id=MemberId(into),
                reason=reason,
                actor=self._ctx.actor,
            ),
            ErrorFields(otherwise=self.error),
            button=self.merge_button,
        )
