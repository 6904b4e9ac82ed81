"""The drag that moves a session: the series question, the move, and its undo.

Dropping one session of a repeating booking asks whether to move only it or it and
the following sessions (or neither). The move runs through the OperationRunner; the
status line then says where it went and offers Undo (also Ctrl+Z) until the next
action. Undo moves the sessions back through the service, which refuses when
someone changed them since.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

from desk.services.core.errors import Clash, DeskError, Unavailable
from desk.services.core.ids import AppointmentId, StaffId
from desk.services.core.read_models import AppointmentView, MoveResult
from desk.ui.calendar.availability_words import explain_unavailable
from desk.ui.calendar.booking_words import clash_sentence, moved_to
from desk.ui.shell.context import DeskContext

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desk.ui.calendar.calendar_widgets import CalendarWidgets
    from desk.ui.calendar.group_roster import GroupSession

    _Base = QWidget
else:
    _Base = object

MOVE_ONLY_THIS = "Move only this session"
MOVE_FOLLOWING = "This and the following sessions"


class CalendarMoves(_Base):
    """Mixed into CalendarView (through CalendarActions), a QWidget with these attributes
    and the status-line helpers ``_done`` and ``_failed``."""

    _ctx: DeskContext
    _tz: tzinfo
    _loaded: list[AppointmentView]
    _selected: AppointmentView | None
    widgets: CalendarWidgets
    _last_move: MoveResult | None = None

    if TYPE_CHECKING:

        def _done(self, message: str) -> None: ...
        def _failed(self, exc: DeskError) -> None: ...
        def _crashed(self, exc: BaseException) -> None: ...
        def group_of(self, appointment_id: int) -> GroupSession | None: ...

    def _wire_moves(self) -> None:
        """Undo: the status line's button, and Ctrl+Z anywhere on the calendar."""
        self._last_move = None
        self.undo_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        self.undo_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_shortcut.activated.connect(self.undo_last_move)
        self.widgets.undo_move_button.clicked.connect(self.undo_last_move)

    def move_appointment(
        self, appointment_id: int, new_start: datetime, new_staff_id: int | None
    ) -> None:
        """Reschedule (same credit); the drag ends here, the runner does the rest.

        A session of a series asks first: only this one, or it and the following
        ones. On a clash the error names the session in the way and nothing moves:
        the block stays where it was because the data didn't change.
        """
        group = self.group_of(appointment_id)
        if group is not None and len(group.members) > 1:
            # A drag would move one member out of the group: say how instead.
            self.widgets.status_line.setText(
                "A group session isn't dragged: cancel a member from the side panel and "
                "book them into the new time."
            )
            return
        moving = next((a for a in self._loaded if a.id == appointment_id), None)
        following = False
        if moving is not None and moving.series_id is not None:
            answer = self._ask_series(moving)
            if answer is None:
                return
            following = answer
        booking = self._ctx.services.booking
        staff = StaffId(new_staff_id) if new_staff_id is not None else None

        def refused(exc: DeskError) -> None:
            if isinstance(exc, Clash):
                exc = self._explain_clash(exc, moving, series=following)
            elif isinstance(exc, Unavailable):
                who = f"{moving.member_name}'s session" if moving is not None else "The session"
                exc = explain_unavailable(exc, who, self._tz)
            self._failed(exc)

        self._ctx.runner.run(
            lambda: booking.move(
                AppointmentId(appointment_id),
                starts_at=new_start,
                staff_id=staff,
                following=following,
                actor=self._ctx.actor,
            ),
            origin=self,
            on_done=lambda result: self._moved(result, back=False),
            on_refused=refused,
            on_failed=self._crashed,
        )

    def _ask_series(self, appt: AppointmentView) -> bool | None:
        """Whether to move the following sessions too; None for Cancel."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Move a repeating session",
            f"{appt.member_name}'s {appt.appointment_type} is part of a repeating booking. "
            "Move only this session, or this one and the following sessions by the same "
            "amount?",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("seriesMoveQuestion")
        only = box.addButton(MOVE_ONLY_THIS, QMessageBox.ButtonRole.AcceptRole)
        only.setObjectName("moveOnlyThisButton")
        rest = box.addButton(MOVE_FOLLOWING, QMessageBox.ButtonRole.AcceptRole)
        rest.setObjectName("moveFollowingButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(only)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is only:
            return False
        if clicked is rest:
            return True
        return None

    def _moved(self, result: MoveResult, *, back: bool) -> None:
        first = result.first
        appt = first.after
        self._selected = appt
        where = moved_to(appt.starts_at, self._tz)
        text = f"Moved {appt.member_name}'s {appt.appointment_type}"
        text += f" back to {where}" if back else f" to {where}"
        if appt.staff_id != first.before.staff_id:
            text += f" with {appt.staff_name}"
        others = len(result.moved) - 1
        if others:
            text += f" and {others} following session{'s' if others != 1 else ''}"
        self._done(text + ".")
        if not back:
            self._last_move = result
            self.widgets.undo_move_button.show()

    def undo_last_move(self) -> None:
        """Move the last drag's sessions back (Ctrl+Z or the status line's Undo)."""
        moved = self._last_move
        if moved is None:
            return
        self._forget_move()
        booking = self._ctx.services.booking
        self._ctx.runner.run(
            lambda: booking.undo_move(moved, actor=self._ctx.actor),
            origin=self,
            on_done=lambda result: self._moved(result, back=True),
            on_refused=self._failed,
            on_failed=self._crashed,
        )

    def _forget_move(self) -> None:
        """Another action came after the move: it is no longer the one to undo."""
        self._last_move = None
        self.widgets.undo_move_button.hide()

    def _explain_clash(self, exc: Clash, moving: AppointmentView | None, *, series: bool) -> Clash:
        """The session in the way in the desk's formats (the service's message is plain)."""
        who = f"{moving.member_name}'s session" if moving is not None else "the session"
        if series and exc.moving_starts_at is not None:
            message = (
                f"{clash_sentence(exc.clash, self._tz)} {who} that would have moved to "
                f"{moved_to(exc.moving_starts_at, self._tz)} can't go there, so no session "
                "was moved."
            )
        else:
            message = f"{clash_sentence(exc.clash, self._tz)} {who} was not moved."
        return Clash(message, exc.clash, moving_starts_at=exc.moving_starts_at)
