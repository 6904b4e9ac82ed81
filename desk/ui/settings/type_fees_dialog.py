"""Settings > Appointment types > Fees…: what a late cancel and a no-show of the type
charge to the member's account, and whether that fee replaces forfeiting the credit
(then the credit goes back to its lot). The rule is desk/services/selling/fees.py."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.ids import AppointmentTypeId
from desk.services.core.read_models import AppointmentTypeView
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.money_field import MoneyField

LATE, NO_SHOW = "late_cancel_fee_cents", "no_show_fee_cents"


def fees_button(parent: QWidget) -> QPushButton:
    """The Appointment types form's "Fees…" button."""
    button = QPushButton("&Fees…", parent)
    button.setObjectName("typeFeesButton")
    button.setAccessibleName("Late-cancel and no-show fees")
    button.setToolTip("What a late cancel and a no-show charge to the member's account")
    button.setAutoDefault(False)
    return button


def open_fees(
    ctx: DeskContext, record: AppointmentTypeView | None, parent: QWidget
) -> TypeFeesDialog | None:
    """Open the type's fees (window-modal, returns at once)."""
    if record is None:
        return None
    dialog = TypeFeesDialog(ctx, record.id, record.name, parent)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


class TypeFeesDialog(QDialog):
    def __init__(
        self, ctx: DeskContext, type_id: int, type_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._type_id = AppointmentTypeId(type_id)
        fees = ctx.services.appointment_types.fees(self._type_id)
        self.setObjectName("TypeFeesDialog")
        self.setWindowTitle(f"Fees for {type_name}")
        self.late = MoneyField("lateCancelFeeField", "Late-cancel fee", self)
        self.no_show = MoneyField("noShowFeeField", "No-show fee", self)
        self.late.set_cents(fees.late_cancel_fee_cents)
        self.no_show.set_cents(fees.no_show_fee_cents)
        self.replaces = QCheckBox("The fee &replaces the credit (the credit goes back)", self)
        self.replaces.setObjectName("feeReplacesForfeitBox")
        self.replaces.setChecked(fees.replaces_forfeit)
        self.errors = {name: FieldError(f"{name}Error", self) for name in (LATE, NO_SHOW)}
        self.error = FieldError("typeFeesError", self)
        explain = QLabel(
            "A late cancel or a no-show of this type puts the fee on the member's account, "
            "as well as forfeiting the credit, or instead of it when the box is ticked. "
            "$0.00 charges nothing. An owner or admin may waive a fee with a reason.",
            self,
        )
        explain.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Late-cancel fee:", self.late)
        form.addRow("", self.errors[LATE])
        form.addRow("&No-show fee:", self.no_show)
        form.addRow("", self.errors[NO_SHOW])
        form.addRow("", self.replaces)
        buttons, self.save_button = action_buttons(self, "Save", "saveFeesButton", self._save)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _save(self) -> None:
        late, no_show = self.late.cents(), self.no_show.cents()
        for cents, field, key in ((late, self.late, LATE), (no_show, self.no_show, NO_SHOW)):
            self.errors[key].show_message(field.problem() if cents is None else "")
        if late is None or no_show is None:
            return
        replaces = self.replaces.isChecked()
        types, type_id, actor = self._ctx.services.appointment_types, self._type_id, self._ctx.actor
        submit(
            self,
            self._ctx.runner,
            lambda: types.set_fees(
                type_id,
                late_cancel_fee_cents=late,
                no_show_fee_cents=no_show,
                replaces_forfeit=replaces,
                actor=actor,
            ),
            ErrorFields(otherwise=self.error, by_field=self.errors),
            button=self.save_button,
        )
