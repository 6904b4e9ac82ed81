"""Undo a check-in, no-show or late cancel (owner or admin), from the calendar or Today.

Asks for the reason, then puts the appointment back to booked through the runner;
the service refuses (Conflict, InvalidState, PermissionDenied) and the caller shows it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QWidget

from desk.services.calendar.status_undo import UNDOABLE
from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentId
from desk.services.core.permissions import Permission
from desk.services.core.read_models import AppointmentView
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.formatting import format_time

UNDO_STATUS_LABEL = "Undo check-in / no-show / late cancel…"
UNDO_STATUS_TIP = "Owners and admins can put an attended, no-show or late-cancelled session back."


def can_undo_status(ctx: DeskContext, appt: AppointmentView | None) -> bool:
    """Whether the signed-in person may undo ``appt``'s status (the service decides last)."""
    return appt is not None and appt.status in UNDOABLE and ctx.can(Permission.REVERSE_STATUS)


def undo_status(
    ctx: DeskContext,
    parent: QWidget,
    appt: AppointmentView,
    *,
    on_done: Callable[[str], None],
    on_refused: Callable[[DeskError], None],
) -> None:
    """Ask why, then undo ``appt``'s status; ``on_done`` gets the status line's text."""
    what = UNDOABLE.get(appt.status)
    if what is None:
        return
    when = format_time(appt.starts_at, ctx.services.clock.tz)
    reason, ok = QInputDialog.getText(
        parent,
        f"Undo {what}",
        f"Undo the {what} of {appt.member_name} at {when}? The session is booked again "
        "and its credit is the booking's.\nReason (required):",
    )
    if not ok:
        return
    booking = ctx.services.booking
    ctx.runner.run(
        lambda: booking.undo_status(AppointmentId(appt.id), reason=reason, actor=ctx.actor),
        origin=parent,
        on_done=lambda _: on_done(f"Undid the {what} of {appt.member_name}: booked again."),
        on_refused=on_refused,
    )
