"""The calendar's selected appointment: the side panel that shows it and its menu.

``CalendarSelection`` is mixed into ``CalendarView``. The panel's buttons and the
block's context menu offer the same actions (``CalendarActions``), enabled by the
same rules (``_can``).
"""

from __future__ import annotations

from datetime import date, tzinfo
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QPoint, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentId
from desk.services.core.read_models import AppointmentStatus, AppointmentView
from desk.ui.calendar.forgive import FORGIVE_LABEL, can_forgive
from desk.ui.calendar.group_panel import GroupPanel
from desk.ui.calendar.member_panel import MemberPanel
from desk.ui.calendar.undo_status import UNDO_STATUS_LABEL, can_undo_status
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error
from desk.ui.widgets.formatting import format_time_range, format_weekday_date, label

if TYPE_CHECKING:
    from desk.ui.calendar.calendar_canvas import CalendarCanvas
    from desk.ui.calendar.calendar_view import Mode
    from desk.ui.calendar.calendar_widgets import CalendarWidgets

STATUS_STYLE = {
    AppointmentStatus.BOOKED: ("#eff8ff", "#175cd3"),
    AppointmentStatus.ATTENDED: ("#ecfdf3", "#067647"),
    AppointmentStatus.NO_SHOW: ("#fef3f2", "#b42318"),
    AppointmentStatus.CANCELLED: ("#f2f4f7", "#475467"),
    AppointmentStatus.LATE_CANCELLED: ("#fffaeb", "#b54708"),
}


class CalendarSelection(GroupPanel, MemberPanel):
    """Mixed into CalendarView, a QWidget with these attributes, ``_show`` and the actions;
    the member's credits and notes come from MemberPanel."""

    _ctx: DeskContext
    _tz: tzinfo
    _mode: Mode
    _loaded: list[AppointmentView]
    _selected: AppointmentView | None
    widgets: CalendarWidgets
    canvas: CalendarCanvas

    if TYPE_CHECKING:
        profile_requested: ClassVar[Signal]

        def _show(self, mode: Mode, day: date) -> None: ...
        def check_in_selected(self) -> None: ...
        def no_show_selected(self) -> None: ...
        def cancel_selected(self) -> None: ...
        def undo_status_selected(self) -> None: ...
        def forgive_selected(self) -> None: ...

    @property
    def selected(self) -> AppointmentView | None:
        return self._selected

    def select_appointment(self, appointment_id: int) -> None:
        """Show an appointment in the panel; goes to its day if it isn't on screen."""
        appt = next((a for a in self._loaded if a.id == appointment_id), None)
        if appt is None:
            try:
                appt = self._ctx.services.booking.get(AppointmentId(appointment_id))
            except DeskError as exc:
                show_error(self, exc)
                return
            self._selected = appt
            self._show(self._mode, appt.starts_at.astimezone(self._tz).date())
            return
        self._selected = appt
        self.canvas.set_selected(self._block_of(appt.id))
        rect = self.canvas.block_rect(self._block_of(appt.id))
        if rect is not None:
            # Keyboard steps and the main window may pick one that is scrolled away.
            self.widgets.scroll_area.ensureVisible(rect.center().x(), rect.top(), 20, 20)
        self._show_selected()

    def _can(self, appt: AppointmentView | None) -> tuple[bool, bool, bool]:
        """(check in, no-show, cancel) allowed for ``appt`` right now."""
        if appt is None or appt.status != AppointmentStatus.BOOKED:
            return False, False, False
        started = self._ctx.services.clock.now() >= appt.starts_at
        return True, started, True

    def _can_forgive(self, appt: AppointmentView | None) -> bool:
        if appt is None:
            return False
        return can_forgive(self._ctx, appt.status, appt.lot_id is not None)

    def _show_selected(self) -> None:
        w = self.widgets
        appt = self._selected
        w.panel_hint.setVisible(appt is None)
        w.details.setVisible(appt is not None)
        check_in, no_show, cancel = self._can(appt)
        w.check_in_button.setEnabled(check_in)
        w.no_show_button.setEnabled(no_show)
        w.no_show_button.setToolTip(
            "" if no_show or appt is None or not check_in else "Possible once the session starts."
        )
        w.cancel_button.setEnabled(cancel)
        w.undo_status_button.setEnabled(can_undo_status(self._ctx, appt))
        w.forgive_button.setEnabled(self._can_forgive(appt))
        w.profile_button.setEnabled(appt is not None)
        self._show_member(appt.member_id if appt is not None else None)
        self._show_group(appt)
        if appt is None:
            return
        start = appt.starts_at.astimezone(self._tz)
        end = appt.ends_at.astimezone(self._tz)
        w.member.setText(appt.member_name)
        w.kind.setText(
            f'<span style="color:{appt.color}; font-size:14pt;">■</span> {appt.appointment_type}'
        )
        w.staff.setText(f"with {appt.staff_name}")
        w.when.setText(
            f"{format_weekday_date(start.date())}<br><b>{format_time_range(start, end)}</b>"
        )
        background, color = STATUS_STYLE[appt.status]
        w.status.setText(label(appt.status.value))
        w.status.setStyleSheet(
            f"background: {background}; color: {color}; padding: 2px 10px; border-radius: 9px;"
        )
        w.notes.setText(appt.notes)
        w.notes.setVisible(bool(appt.notes))
        w.series.setText("Part of a repeating booking")
        w.series.setVisible(appt.series_id is not None)

    # --- actions ----------------------------------------------------------------------------

    def open_profile_selected(self) -> None:
        if self._selected is not None:
            self.profile_requested.emit(self._selected.member_id)

    # --- context menu -----------------------------------------------------------------------

    def context_menu(self, appointment_id: int) -> QMenu:
        """The block's menu: the panel's actions, enabled by the same rules."""
        self.select_appointment(appointment_id)
        check_in, no_show, cancel = self._can(self._selected)
        menu = QMenu(self)
        menu.setObjectName("appointmentMenu")
        for text, name, enabled, slot in (
            ("Check in", "checkInAction", check_in, self.check_in_selected),
            ("No-show", "noShowAction", no_show, self.no_show_selected),
            ("Cancel…", "cancelAppointmentAction", cancel, self.cancel_selected),
            (
                UNDO_STATUS_LABEL,
                "undoStatusAction",
                can_undo_status(self._ctx, self._selected),
                self.undo_status_selected,
            ),
            (
                FORGIVE_LABEL,
                "forgiveAction",
                self._can_forgive(self._selected),
                self.forgive_selected,
            ),
            ("Open member profile", "openProfileAction", True, self.open_profile_selected),
        ):
            action = QAction(text, menu)
            action.setObjectName(name)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
            menu.addAction(action)
        return menu

    def _show_context_menu(self, appointment_id: int, pos: QPoint) -> None:
        menu = self.context_menu(appointment_id)
        menu.exec(pos)
        menu.deleteLater()
