"""The box that asks why a sale is voided before any credit is taken back."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QWidget

from desk.services.core.read_models import LotView


def ask_void_reason(parent: QWidget, lot: LotView) -> str | None:
    """The reason typed into the "Void sale" box (its OK is off until one is typed);
    None when cancelled."""
    box = QInputDialog(parent)
    box.setObjectName("voidReasonDialog")
    box.setWindowTitle("Void sale")
    box.setLabelText(
        f"Void the {lot.remaining} unused {lot.appointment_type} credit(s) of this lot?\n"
        "Used and booked credits stay. Reason (required):"
    )
    box.setOkButtonText("Void sale")
    box.sizeHint()  # builds the box's buttons
    buttons = box.findChild(QDialogButtonBox)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok) if buttons else None
    if ok is not None:
        ok.setEnabled(False)
        box.textValueChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
    if box.exec() != QInputDialog.DialogCode.Accepted:
        return None
    return box.textValue()
