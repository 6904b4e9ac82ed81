"""Create or edit a member, with each problem shown next to its field."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.errors import ValidationError
from desk.services.core.ids import MemberId
from desk.services.core.read_models import MemberView
from desk.services.core.validation import clean_email, clean_phone
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.field_error import FieldError


class MemberDialog(QDialog):
    def __init__(
        self, ctx: DeskContext, member: MemberView | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._member = member
        self.result_member: MemberView | None = None
        self.setObjectName("MemberDialog")
        self.setWindowTitle("Edit member" if member else "New member")
        self.setMinimumWidth(460)

        def line(name: str, accessible: str, text: str | None = "") -> QLineEdit:
            edit = QLineEdit(text or "", self)
            edit.setObjectName(name)
            edit.setAccessibleName(accessible)
            edit.textChanged.connect(self._validate)
            return edit

        self.first_name = line("firstNameField", "First name", member.first_name if member else "")
        self.last_name = line("lastNameField", "Last name", member.last_name if member else "")
        self.email = line("emailField", "Email", member.email if member else "")
        self.email.setPlaceholderText("name@example.com")
        self.phone = line("phoneField", "Phone", member.phone if member else "")
        self.phone.setPlaceholderText("(555) 014-2277")
        self.notes = QPlainTextEdit(member.notes if member else "", self)
        self.notes.setTabChangesFocus(True)  # Tab goes on to the buttons
        self.notes.setObjectName("notesField")
        self.notes.setAccessibleName("Notes")
        self.notes.setFixedHeight(70)

        self.name_error = FieldError("nameError", self)
        self.email_error = FieldError("emailError", self)
        self.email_warning = QLabel(self)
        self.email_warning.setObjectName("emailWarning")
        self.email_warning.setWordWrap(True)
        self.email_warning.setStyleSheet("color: #b54708;")
        self.email_warning.hide()
        self.phone_error = FieldError("phoneError", self)
        self.notes_error = FieldError("notesError", self)

        form = QFormLayout()
        form.addRow("First name", self.first_name)
        form.addRow("Last name", self.last_name)
        form.addRow("", self.name_error)
        form.addRow("Email", self.email)
        form.addRow("", self.email_error)
        form.addRow("", self.email_warning)
        form.addRow("Phone", self.phone)
        form.addRow("", self.phone_error)
        form.addRow("Notes", self.notes)
        form.addRow("", self.notes_error)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = QPushButton("Save" if member else "Add member", self)
        self.save_button.setObjectName("saveMemberButton")
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.email.editingFinished.connect(self._warn_duplicate_email)
        self._validate()

    @classmethod
    def ask(
        cls, ctx: DeskContext, parent: QWidget | None, member: MemberView | None = None
    ) -> MemberView | None:
        dialog = cls(ctx, member, parent)
        dialog.exec()
        return dialog.result_member

    def _validate(self) -> bool:
        ok = True
        if not (self.first_name.text().strip() or self.last_name.text().strip()):
            self.name_error.show_message("Enter a first or a last name.")
            ok = False
        else:
            self.name_error.clear_message()
        for check, value, error in (
            (clean_email, self.email.text(), self.email_error),
            (clean_phone, self.phone.text(), self.phone_error),
        ):
            try:
                check(value)
                error.clear_message()
            except ValidationError as exc:
                error.show_message(exc.message)
                ok = False
        self.save_button.setEnabled(ok)
        return ok

    def _warn_duplicate_email(self) -> None:
        try:
            address = clean_email(self.email.text())
        except ValidationError:
            address = None
        others = [
            m
            for m in (self._ctx.services.members.find_by_email(address) if address else [])
            if self._member is None or m.id != self._member.id
        ]
        if others:
            names = ", ".join(f"{m.full_name} (#{m.id})" for m in others[:3])
            self.email_warning.setText(f"This email is already used by {names}. Same person?")
            self.email_warning.show()
        else:
            self.email_warning.hide()

    def _save(self) -> None:
        if not self._validate():
            return
        self._warn_duplicate_email()
        values = {
            "first_name": self.first_name.text(),
            "last_name": self.last_name.text(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "notes": self.notes.toPlainText(),
        }
        members = self._ctx.services.members
        existing = self._member
        submit(
            self,
            self._ctx.runner,
            lambda: (
                members.create(**values, actor=self._ctx.actor)
                if existing is None
                else members.update(MemberId(existing.id), **values, actor=self._ctx.actor)
            ),
            ErrorFields(
                otherwise=self.notes_error,
                by_field={
                    "first_name": self.name_error,
                    "last_name": self.name_error,
                    "email": self.email_error,
                    "phone": self.phone_error,
                },
            ),
            button=self.save_button,
            on_saved=self._saved,
        )

    def _saved(self, member: MemberView) -> None:
        self.result_member = member
