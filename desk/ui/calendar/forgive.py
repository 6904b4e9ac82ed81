"""Forgive a late cancel or no-show afterwards (owner or admin), from the calendar's side
panel or the profile's appointments tab.

Asks for the reason, then gives the credit back through the runner; the appointment keeps
its status. The service refuses (InvalidState: forgiven already, nothing paid) and the
caller shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QInputDialog, QWidget

from desk.services.calendar.forgiving import FORGIVABLE
from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentId
from desk.services.core.permissions import Permission
from desk.services.core.read_models import AppointmentStatus
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.formatting import format_datetime

FORGIVE_LABEL = "Forgive…"
FORGIVE_TIP = (
    "Owners and admins can give a late cancel's or no-show's credit back afterwards; "
    "the session keeps its status."
)


def can_forgive(ctx: DeskContext, status: AppointmentStatus | None, paid: bool) -> bool:
    """Whether the signed-in person may forgive such an appointment (the service decides
    last: it also refuses one forgiven already)."""
    return status in FORGIVABLE and paid and ctx.can(Permission.FORGIVE)


def forgive(
    ctx: DeskContext,
    parent: QWidget,
    appointment_id: int,
    *,
    status: AppointmentStatus,
    member_name: str,
    starts_at: datetime,
    on_done: Callable[[str], None],
    on_refused: Callable[[DeskError], None],
) -> None:
    """Ask why, then forgive the appointment; ``on_done`` gets the status line's text."""
    what = FORGIVABLE.get(status)
    if what is None:
        return
    when = format_datetime(starts_at, ctx.services.clock.tz)
    reason, ok = QInputDialog.getText(
        parent,
        f"Forgive the {what}",
        f"Forgive the {what} of {member_name} on {when}? The credit goes back to the "
        f"credits that paid (it still expires with them); the session stays a {what}.\n"
        "Reason (required):",
    )
    if not ok:
        return
    booking = ctx.services.booking
    ctx.runner.run(
        lambda: booking.forgive(AppointmentId(appointment_id), reason=reason, actor=ctx.actor),
        origin=parent,
        on_done=lambda _: on_done(f"Forgave the {what} of {member_name}: the credit is back."),
        on_refused=on_refused,
    )
