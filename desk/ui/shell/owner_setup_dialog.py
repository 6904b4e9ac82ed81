"""First run: create the owner's account before anything else."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.errors import DeskError
from desk.services.core.read_models import StaffView
from desk.services.people.auth import MIN_PASSWORD
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.field_error import FieldError


class OwnerSetupDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.owner: StaffView | None = None
        self.setObjectName("OwnerSetupDialog")
        self.setWindowTitle("Welcome to Desk")
        self.setMinimumWidth(440)
        intro = QLabel(
            "Create the owner's account. The owner can add staff accounts for the front "
            "desk and coaches later (Settings > Staff).",
            self,
        )
        intro.setWordWrap(True)

        def line(name: str, accessible: str, secret: bool = False) -> QLineEdit:
            edit = QLineEdit(self)
            edit.setObjectName(name)
            edit.setAccessibleName(accessible)
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._validate)
            return edit

        self.name = line("ownerNameField", "Your name")
        self.username = line("ownerUsernameField", "Username")
        self.password = line("ownerPasswordField", "Password", secret=True)
        self.repeat = line("ownerRepeatField", "Password again", secret=True)
        self.error = FieldError("ownerError", self)
        form = QFormLayout()
        form.addRow("Your name", self.name)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        form.addRow("Again", self.repeat)
        form.addRow("", self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = QPushButton("Create account", self)
        self.create_button.setObjectName("createOwnerButton")
        self.create_button.setDefault(True)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._validate()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None = None) -> StaffView | None:
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.owner

    def _validate(self) -> bool:
        problem = ""
        if not self.name.text().strip() or not self.username.text().strip():
            problem = ""
        elif len(self.password.text()) < MIN_PASSWORD:
            problem = f"The password needs at least {MIN_PASSWORD} characters."
        elif self.password.text() != self.repeat.text():
            problem = "The two passwords differ."
        self.error.show_message(problem)
        ok = (
            not problem
            and bool(self.name.text().strip())
            and bool(self.username.text().strip())
            and bool(self.password.text())
        )
        self.create_button.setEnabled(ok)
        return ok

    def _save(self) -> None:
        if not self._validate():
            return
        auth = self._ctx.services.auth
        name, username, password = self.name.text(), self.username.text(), self.password.text()
        same = self._ctx.services.staff.namesakes(name)
        if same and not self.confirm_namesake(same[0].name):
            return
        submit(
            self,
            self._ctx.runner,
            lambda: auth.create_owner(name=name, username=username, password=password),
            ErrorFields(otherwise=self.error, also=(DeskError,)),
            button=self.create_button,
            on_saved=self._saved,
        )

    def confirm_namesake(self, name: str) -> bool:
        """Ask whether to add the owner beside a staff member called ``name`` (No keeps
        the form as it is; tests patch QMessageBox.question)."""
        answer = QMessageBox.question(
            self,
            "Same name",
            f"There is already a staff member named {name}. Add another?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _saved(self, owner: StaffView) -> None:
        self.owner = owner
