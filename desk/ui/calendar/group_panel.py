"""The side panel's group session part: its roster, its waitlist, and picking a member.

``GroupPanel`` is mixed into ``CalendarView`` (through ``CalendarSelection``). A
click on a group block selects the session: the panel lists its members and the
first is picked; a click on another member picks them, and the panel's buttons
(check in, no-show, cancel, profile) act on whoever is picked. The waitlist is
read on the runner's read worker; Remove goes through the runner like any write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QBoxLayout

from desk.services.core.ids import AppointmentTypeId, StaffId
from desk.services.core.read_models import AppointmentView, WaitlistEntryView
from desk.ui.calendar.add_to_series_dialog import AddToSeriesDialog, series_words
from desk.ui.calendar.group_roster import GroupSession, RosterBox
from desk.ui.shell.context import DeskContext

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desk.services.core.errors import DeskError
    from desk.ui.calendar.calendar_widgets import CalendarWidgets

    _Base = QWidget
else:
    _Base = object


class GroupPanel(_Base):
    """Mixed into CalendarView, a QWidget with ``_ctx``, ``widgets`` and ``_loaded``."""

    _ctx: DeskContext
    widgets: CalendarWidgets
    _loaded: list[AppointmentView]
    _selected: AppointmentView | None
    _groups: dict[int, GroupSession]
    roster: RosterBox

    if TYPE_CHECKING:

        def _show_selected(self) -> None: ...
        def _done(self, message: str) -> None: ...
        def _failed(self, exc: DeskError) -> None: ...

    def _wire_groups(self) -> None:
        self._groups = {}
        self.roster = RosterBox(self._pick_member, self._remove_waiting, self.widgets.details)
        details = self.widgets.details.layout()
        assert isinstance(details, QBoxLayout)
        details.insertWidget(details.indexOf(self.widgets.series) + 1, self.roster)
        self.roster.hide()
        self.roster.add_to_series_button.clicked.connect(self.add_to_series_selected)

    def group_of(self, appointment_id: int) -> GroupSession | None:
        """The group session an appointment belongs to (None: a one-to-one session)."""
        return self._groups.get(appointment_id)

    def _block_of(self, appointment_id: int) -> int:
        """The block on the canvas that stands for an appointment."""
        group = self._groups.get(appointment_id)
        return group.block_id if group is not None else appointment_id

    def _show_group(self, appt: AppointmentView | None) -> None:
        group = self._groups.get(appt.id) if appt is not None else None
        self.roster.setVisible(group is not None)
        if group is None or appt is None:
            return
        self.roster.show_session(group, appt.id)
        booking = self._ctx.services.booking
        self._ctx.runner.read(
            (self, "waitlist"),
            lambda: booking.waitlist(
                staff_id=StaffId(group.staff_id),
                appointment_type_id=AppointmentTypeId(group.appointment_type_id),
                starts_at=group.starts_at,
                ends_at=group.ends_at,
            ),
            lambda entries: self._waitlist_loaded(group, entries),
            origin=self,
        )

    def _waitlist_loaded(self, group: GroupSession, entries: list[WaitlistEntryView]) -> None:
        selected = self._selected
        if selected is not None and self._groups.get(selected.id) is group:
            self.roster.show_waitlist(entries)

    def _pick_member(self, appointment_id: int) -> None:
        picked = next((a for a in self._loaded if a.id == appointment_id), None)
        if picked is not None:
            self._selected = picked
            self._show_selected()

    def _remove_waiting(self, entry: WaitlistEntryView) -> None:
        booking = self._ctx.services.booking
        self._ctx.runner.run(
            lambda: booking.leave_waitlist(entry.id, actor=self._ctx.actor),
            origin=self,
            on_done=lambda _: self._done(f"Took {entry.member_name} off the waitlist."),
            on_refused=self._failed,
        )

    def add_to_series_selected(self) -> None:
        """Give another member a standing place in the picked member's repeating group."""
        appt = self._selected
        if appt is None or appt.series_id is None:
            return
        dialog = AddToSeriesDialog(self._ctx, appt, self)
        dialog.exec()
        if dialog.result_series is not None:
            name = dialog.member.member_name()
            self._done(series_words(dialog.result_series, name))
