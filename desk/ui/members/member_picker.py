"""Pick a member by typing part of their name, email or phone."""

from __future__ import annotations

import re

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from desk.ui.shell.context import DeskContext

PICKER_LIMIT = 12
_ID_SUFFIX = re.compile(r"#(\d+)$")


class MemberPicker(QLineEdit):
    """A line edit whose suggestions come from the member search service.

    A member counts as chosen only after a suggestion is picked (or the picker is
    preset); editing the text again clears the choice, so a half-typed name can
    never be saved as "some member".
    """

    member_changed = Signal(object)  # int | None

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._member_id: int | None = None
        self.setPlaceholderText("Type a name, email or phone and pick the member")
        self._suggestions = QStringListModel(self)
        self._completer = QCompleter(self._suggestions, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setMaxVisibleItems(PICKER_LIMIT)
        self.setCompleter(self._completer)
        self._completer.activated.connect(self._choose_text)
        self.textEdited.connect(self._suggest)

    def member_id(self) -> int | None:
        return self._member_id

    def member_name(self) -> str:
        """The chosen member's name as the field shows it ("" while none is chosen)."""
        if self._member_id is None:
            return ""
        return self.text().split(" · ", 1)[0].strip()

    def set_member(self, member_id: int, display: str) -> None:
        self.setText(f"{display} · #{member_id}")
        self._set_id(member_id)

    def suggestions(self) -> list[str]:
        return self._suggestions.stringList()

    def choose(self, text: str) -> None:
        """Pick one of the current suggestions (what a click in the popup does)."""
        self._choose_text(text)

    def _suggest(self, text: str) -> None:
        self._set_id(None)
        matches = self._ctx.services.members.search(text, PICKER_LIMIT) if text.strip() else []
        self._suggestions.setStringList(
            [
                " · ".join(x for x in (m.full_name, m.email or m.phone or "")) + f" · #{m.id}"
                for m in matches
            ]
        )
        if matches:
            self._completer.complete()

    def _choose_text(self, text: str) -> None:
        found = _ID_SUFFIX.search(text)
        if found is None:
            return
        self.setText(text)
        self._set_id(int(found.group(1)))

    def _set_id(self, member_id: int | None) -> None:
        if member_id != self._member_id:
            self._member_id = member_id
            self.member_changed.emit(member_id)
