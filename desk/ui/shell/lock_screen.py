"""The locked desk: a neutral panel in place of the main window's pages.

Nothing about members shows while it is up (the main window also hides the
profile windows and disables its actions); someone signs in on the panel itself
to go on, or quits Desk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.errors import AuthenticationFailed
from desk.services.core.read_models import StaffView
from desk.ui.settings.logo_picture import logo_pixmap
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.field_error import FieldError


class LockPanel(QWidget):
    """ "Locked by <name>" and a sign-in form; ``unlocked`` carries who signed in."""

    unlocked = Signal(object)  # StaffView
    quit_requested = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("lockPanel")
        self.gym_logo = QLabel(self)
        self.gym_logo.setObjectName("lockGymLogo")
        self.gym_logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.gym_logo.hide()
        self.gym_name = QLabel(self)
        self.gym_name.setObjectName("lockGymName")
        self.gym_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.gym_name.setStyleSheet("font-size: 16px;")
        self.gym_name.hide()
        self.heading = QLabel(self)
        self.heading.setObjectName("lockLabel")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setStyleSheet("font-size: 20px; font-weight: bold;")
        hint = QLabel("Sign in to go on: the same person, or another staff member.", self)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = QLineEdit(self)
        self.username.setObjectName("lockUsernameField")
        self.username.setAccessibleName("Username")
        self.password = QLineEdit(self)
        self.password.setObjectName("lockPasswordField")
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = FieldError("lockError", self)
        self.sign_in_button = QPushButton("Sign in", self)
        self.sign_in_button.setObjectName("lockSignInButton")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.quit_button = QPushButton("Quit Desk", self)
        self.quit_button.setObjectName("lockQuitButton")
        self.quit_button.clicked.connect(self.quit_requested)
        for field in (self.username, self.password):
            field.returnPressed.connect(self.sign_in)
        form = QFormLayout()
        form.addRow("&Username", self.username)
        form.addRow("&Password", self.password)
        form.addRow("", self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.sign_in_button)
        box = QWidget(self)
        box.setMaximumWidth(420)
        inner = QVBoxLayout(box)
        inner.addWidget(self.gym_logo)
        inner.addWidget(self.gym_name)
        inner.addWidget(self.heading)
        inner.addWidget(hint)
        inner.addLayout(form)
        inner.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def show_gym(self, name: str, logo_png: bytes | None) -> None:
        """The gym's name and logo above "Locked by" (nothing when not set)."""
        self.gym_name.setText(name)
        self.gym_name.setVisible(bool(name))
        picture = logo_pixmap(logo_png, 128)
        self.gym_logo.setPixmap(picture if picture is not None else QPixmap())
        self.gym_logo.setVisible(picture is not None)

    def start(self, locked_by: str) -> None:
        """An empty form under "Locked by <name>", the cursor in the username."""
        self.heading.setText(f"Locked by {locked_by}")
        self.username.clear()
        self.password.clear()
        self.error.show_message("")
        # Locking from a member profile hides that window; without this the main
        # window stays inactive and the cursor is nowhere until someone clicks.
        window = self.window()
        window.raise_()
        window.activateWindow()
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def sign_in(self) -> None:
        """Check the username and password (the service audits the attempt)."""
        try:
            staff: StaffView = self._ctx.services.auth.sign_in(
                self.username.text(), self.password.text()
            )
        except AuthenticationFailed as exc:
            self.error.show_message(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        self.unlocked.emit(staff)


def freeze(
    window: QWidget, hide: Sequence[QWidget], *, keep: Sequence[QObject] = ()
) -> Callable[[], None]:
    """Hide the visible widgets of ``hide`` (member profiles, the member count) and
    disable ``window``'s actions and shortcuts but ``keep`` (and the lock panel's
    own); returns what undoes it."""
    hidden = [w for w in hide if w.isVisible()]
    for other in hidden:
        other.hide()
    panels = window.findChildren(LockPanel)
    off: list[QAction | QShortcut] = []
    items: list[QAction | QShortcut] = [*window.findChildren(QAction)]
    items += window.findChildren(QShortcut)
    for item in items:
        owner = item.parent()
        inside = isinstance(owner, QWidget) and any(
            p is owner or p.isAncestorOf(owner) for p in panels
        )
        if item.isEnabled() and item not in keep and not inside:
            item.setEnabled(False)
            off.append(item)

    def thaw() -> None:
        for item in off:
            item.setEnabled(True)
        for other in hidden:
            other.show()

    return thaw
