"""The button row of a dialog that does one thing: Cancel and that thing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton


def action_buttons(
    dialog: QDialog, text: str, object_name: str, act: Callable[[], None]
) -> tuple[QDialogButtonBox, QPushButton]:
    """Cancel and the dialog's action; returns the row and the action button.

    The action is the default button, so Enter does it; it runs ``act`` rather than
    closing, because the dialog closes only once the service has said yes.
    """
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, dialog)
    action = QPushButton(text, dialog)
    action.setObjectName(object_name)
    action.setDefault(True)
    buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.accepted.connect(act)
    buttons.rejected.connect(dialog.reject)
    return buttons, action
