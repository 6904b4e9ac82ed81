"""Sign in before the main window; the same dialog locks an idle desk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.errors import AuthenticationFailed
from desk.services.core.read_models import StaffView
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.field_error import FieldError


class LoginDialog(QDialog):
    """``locked`` names who was signed in when the desk locked itself."""

    def __init__(
        self, ctx: DeskContext, *, locked: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.staff: StaffView | None = None
        self.setObjectName("LoginDialog")
        self.setWindowTitle("Desk: locked" if locked else "Desk: sign in")
        self.setMinimumWidth(380)
        heading = QLabel(
            f"Locked after a quiet spell. {locked} or another staff member, sign in to go on."
            if locked
            else "Sign in to the front desk.",
            self,
        )
        heading.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setObjectName("usernameField")
        self.username.setAccessibleName("Username")
        self.password = QLineEdit(self)
        self.password.setObjectName("passwordField")
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = FieldError("loginError", self)
        form = QFormLayout()
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        form.addRow("", self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            "Quit Desk" if locked else "Cancel"
        )
        self.sign_in_button = QPushButton("Sign in", self)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def ask(
        cls, ctx: DeskContext, parent: QWidget | None = None, *, locked: str | None = None
    ) -> StaffView | None:
        dialog = cls(ctx, locked=locked, parent=parent)
        dialog.exec()
        return dialog.staff

    def sign_in(self) -> None:
        try:
            self.staff = self._ctx.services.auth.sign_in(self.username.text(), self.password.text())
        except AuthenticationFailed as exc:
            self.error.show_message(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
