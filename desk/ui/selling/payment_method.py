"""How a payment was received: the combo box the payment and sale dialogs share."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from desk.services.selling.account import RECORDABLE_METHODS


def payment_method_combo(parent: QWidget) -> QComboBox:
    """Cash (the default), card, transfer or other; its data is the method's value."""
    combo = QComboBox(parent)
    combo.setObjectName("methodField")
    combo.setAccessibleName("Paid by")
    for method in RECORDABLE_METHODS:
        combo.addItem(method.value.capitalize(), method.value)
    return combo
