"""Settings > Staff > Sign-in…: a staff member's username and password (or new ones)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desk.services.core.errors import NotFound, PermissionDenied
from desk.services.core.ids import StaffId
from desk.services.core.read_models import StaffView
from desk.services.people.auth import MIN_PASSWORD
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError

DIFFER = "The two passwords differ."


class StaffLoginDialog(QDialog):
    """Give ``staff`` a username and password; with ``username`` (their current
    login) it is prefilled and the dialog resets the password.

    A repeat that differs is refused here, before anything is sent; what the service
    refuses (a username someone has, a short password) appears next to its field.
    """

    def __init__(
        self,
        ctx: DeskContext,
        staff: StaffView,
        username: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._staff_id = StaffId(staff.id)
        self.resetting = username is not None
        self.saved_login: StaffView | None = None
        """The staff member once the service agreed; None until then."""
        self.setObjectName("StaffLoginDialog")
        title = f"Reset the password for {staff.name}" if self.resetting else "Sign-in"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(420)

        self.heading = QLabel(
            f"Reset the password: {staff.name} signs in as {username} with the new one."
            if self.resetting
            else f"Give {staff.name} a username and password to sign in to the desk.",
            self,
        )
        self.heading.setObjectName("staffLoginHeading")
        self.heading.setWordWrap(True)

        def line(name: str, accessible: str, secret: bool) -> QLineEdit:
            edit = QLineEdit(self)
            edit.setObjectName(name)
            edit.setAccessibleName(accessible)
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            return edit

        self.username = line("staffLoginUsernameField", "Username", secret=False)
        self.username.setText(username or "")
        self.username_error = FieldError("staffLoginUsernameError", self)
        self.password = line("staffLoginPasswordField", "New password", secret=True)
        self.password.setPlaceholderText(f"At least {MIN_PASSWORD} characters")
        self.password_error = FieldError("staffLoginPasswordError", self)
        self.repeat = line("staffLoginRepeatField", "New password again", secret=True)
        self.repeat_error = FieldError("staffLoginRepeatError", self)
        self.error = FieldError("staffLoginError", self)

        form = QFormLayout()
        form.addRow("&Username", self.username)
        form.addRow("", self.username_error)
        form.addRow("&Password", self.password)
        form.addRow("", self.password_error)
        form.addRow("&Again", self.repeat)
        form.addRow("", self.repeat_error)
        form.addRow("", self.error)
        buttons, self.save_button = action_buttons(self, "Save", "saveLoginButton", self._save)
        self.save_button.setAccessibleName("Save sign-in")

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(buttons)

        self.username.textChanged.connect(lambda: self._edited(self.username_error))
        self.password.textChanged.connect(lambda: self._edited(self.password_error))
        self.repeat.textChanged.connect(lambda: self._edited(self.repeat_error))
        self._validate()
        target = self.password if self.resetting else self.username
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _edited(self, error: FieldError) -> None:
        error.clear_message()
        self.error.clear_message()
        if error is self.password_error:
            self.repeat_error.clear_message()
        self._validate()

    def _validate(self) -> bool:
        """Save is on once all three fields have something in them."""
        ok = all(f.text() for f in (self.username, self.password, self.repeat))
        self.save_button.setEnabled(ok)
        return ok

    def _save(self) -> None:
        if not self._validate():
            return
        if self.password.text() != self.repeat.text():
            self.repeat_error.show_message(DIFFER)
            self.repeat.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        # Read the form here, on the GUI thread: the save runs on the runner's worker.
        staff_id, username, password = self._staff_id, self.username.text(), self.password.text()
        ctx = self._ctx
        auth = ctx.services.auth
        submit(
            self,
            ctx.runner,
            lambda: auth.set_login(staff_id, username=username, password=password, actor=ctx.actor),
            ErrorFields(
                otherwise=self.error,
                by_field={"username": self.username_error, "password": self.password_error},
                also=(PermissionDenied, NotFound),
            ),
            button=self.save_button,
            on_saved=self._saved,
        )

    def _saved(self, staff: StaffView) -> None:
        self.saved_login = staff
