"""The member half of the calendar's side panel: their open credits and their notes.

``MemberPanel`` is mixed into ``CalendarView`` (through ``CalendarSelection``). The
selected appointment's member is fetched on the runner's read worker, once per
member, and again when the change hub says their credits or record changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desk.services.core.changes import Changes
from desk.services.core.ids import MemberId
from desk.services.core.read_models import LotView
from desk.ui.calendar.booking_words import open_credit_lines
from desk.ui.shell.context import DeskContext

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desk.ui.calendar.calendar_widgets import CalendarWidgets

    _Base = QWidget
else:
    _Base = object


class MemberPanel(_Base):
    """Mixed into CalendarView, a QWidget with ``_ctx`` and ``widgets``."""

    _ctx: DeskContext
    widgets: CalendarWidgets
    _panel_member: int | None = None

    def _wire_member_panel(self) -> None:
        self._panel_member = None
        self._ctx.hub.changed.connect(self._on_member_changes)

    def _show_member(self, member_id: int | None) -> None:
        """Show ``member_id``'s credits and notes (fetched only when the member changes)."""
        if member_id == self._panel_member:
            return
        self._panel_member = member_id
        w = self.widgets
        w.credits.setText("")
        w.member_notes.setText("")
        w.member_notes_heading.hide()
        w.member_notes.hide()
        self._fetch_member()

    def _fetch_member(self) -> None:
        member_id = self._panel_member
        if member_id is None:
            return
        services = self._ctx.services

        def fetch() -> tuple[list[LotView], str]:
            lots = services.credits.lots(MemberId(member_id))
            return lots, services.members.get(MemberId(member_id)).notes

        self._ctx.runner.read(
            (self, "member"),
            fetch,
            lambda got: self._member_loaded(member_id, *got),
            origin=self,
        )

    def _member_loaded(self, member_id: int, lots: list[LotView], notes: str) -> None:
        if member_id != self._panel_member:
            return
        w = self.widgets
        lines = open_credit_lines(lots)
        w.credits.setText("\n".join(lines) if lines else "No open credits.")
        w.member_notes.setText(notes)
        w.member_notes_heading.setVisible(bool(notes))
        w.member_notes.setVisible(bool(notes))

    def _on_member_changes(self, changes: Changes, _origin: object = None) -> None:
        member_id = self._panel_member
        if member_id is not None and (
            changes.everything or member_id in changes.credits or member_id in changes.members
        ):
            self._fetch_member()
