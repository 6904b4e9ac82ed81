"""Undo the last credit action from a screen's status line: after Add Credits, Adjust,
Sell, Void, a transfer or a check-in, the line says "Added 10 PT credits —" with an
Undo link; the link or Ctrl+Z takes the action back through the runner, and a refusal
shows its reason there. The profile offers it for its member, the Today page for the
member it last checked in.

Which action is the last one is the service's answer (``CreditUndoService.last_action``:
the newest change the signed-in person made to this member, if Undo takes it back and
it is less than 10 minutes old), asked again after every change to the member, so the
offer goes away once something else was done. The service decides whether it can.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from desk.services.core.errors import DeskError
from desk.services.credits.credit_undo import UndoResult, UndoToken
from desk.ui.shell.context import DeskContext


class CreditUndoOffer(QObject):
    """A screen's Undo: its status line, its link and Ctrl+Z (in ``screen``)."""

    def __init__(
        self,
        ctx: DeskContext,
        screen: QWidget,
        member_id: int | None,
        status: QLabel,
        link: QPushButton,
    ) -> None:
        super().__init__(screen)
        self._ctx = ctx
        self._screen = screen
        self._member_id = member_id
        self._status = status
        self._link = link
        self.token: UndoToken | None = None
        self.shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), screen)
        self.shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.shortcut.activated.connect(self.undo)
        link.clicked.connect(self.undo)

    @property
    def member_id(self) -> int | None:
        """The member whose last action is offered (None: nobody yet)."""
        return self._member_id

    def follow(self, member_id: int) -> None:
        """Offer Undo for ``member_id``'s last action from now on, and ask for it now."""
        self._member_id = member_id
        self.member_changed()

    def member_changed(self) -> None:
        """Something changed for the member: ask again what the last action is."""
        member_id = self._member_id
        if self._ctx.staff_id is None or member_id is None:  # nobody signed in (the self-test)
            self._offer(None)
            return
        undo = self._ctx.services.credit_undo
        actor = self._ctx.actor
        self._ctx.runner.read(
            (self, "undo"),
            lambda: undo.last_action(member_id, by=actor),
            self._offer,
            origin=self._screen,
        )

    def _offer(self, token: UndoToken | None) -> None:
        self.token = token
        if token is None:
            self._link.hide()
            return
        said = self._status.text()
        # The action's own message ("Added 1 ... credit to Ann Smith, ...") stays.
        self._show(said if said.startswith(token.summary) else token.summary)

    def report(self, text: str) -> None:
        """A dialog's message about what it did; with the Undo link, if it is offered."""
        self._show(text)

    def _show(self, text: str) -> None:
        text = text.removesuffix(" —")
        self._status.setStyleSheet("color: #067647;")
        self._status.setText(f"{text} —" if self.token is not None else text)
        self._link.setVisible(self.token is not None)

    def undo(self) -> None:
        """Ctrl+Z or the link: take the last action back (the service may refuse)."""
        token = self.token
        if token is None:
            self._say("Nothing to undo here: Undo is for the last credit action, for 10 minutes.")
            return
        self.token = None
        self._link.hide()
        undo = self._ctx.services.credit_undo
        actor = self._ctx.actor
        self._ctx.runner.run(
            lambda: undo.undo(token, actor=actor),
            origin=self._screen,
            on_done=self._undone,
            on_refused=self._refused,
        )

    def _undone(self, result: UndoResult) -> None:
        self._status.setStyleSheet("color: #067647;")
        self._status.setText(f"Undone: {result.summary}.")

    def _refused(self, exc: DeskError) -> None:
        self._say(exc.message)

    def _say(self, text: str) -> None:
        self._status.setStyleSheet("color: #b42318;")
        self._status.setText(text)
