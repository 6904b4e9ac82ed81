"""Domain errors: each carries a message a front-desk person can read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class DeskError(Exception):
    """Base of every error a service raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DeskError):
    """A value the user gave is not acceptable; ``field`` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFound(DeskError):
    """The member, type, staff member, lot or appointment doesn't exist."""


class AmbiguousReference(DeskError):
    """A reference (email, name) matches more than one record."""


class InsufficientCredits(DeskError):
    """Not enough open credits for a booking or a decrease."""


class Conflict(DeskError):
    """The time is already taken (a staff member can't be double-booked)."""


@dataclass(frozen=True, slots=True)
class ClashingAppointment:
    """The appointment in the way of a booking or a move (times in UTC)."""

    appointment_id: int
    staff_name: str
    member_name: str
    appointment_type: str
    starts_at: datetime
    ends_at: datetime


class Clash(Conflict):
    """A staff member is busy then: ``clash`` is the session in the way, so a screen
    can say it in its own formats; ``moving_starts_at`` is when the session being
    moved would have started (for a series, which occurrence hit it), else None.
    The message says the same in the gym's time, for the command line."""

    def __init__(
        self,
        message: str,
        clash: ClashingAppointment,
        *,
        moving_starts_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.clash = clash
        self.moving_starts_at = moving_starts_at


class SessionFull(Conflict):
    """Every place of a group session is taken; the member can join its waitlist
    (``starts_at``/``ends_at``, ``staff_id`` and ``appointment_type_id`` name the session)."""

    def __init__(
        self,
        message: str,
        *,
        staff_id: int,
        appointment_type_id: int,
        starts_at: datetime,
        ends_at: datetime,
    ) -> None:
        super().__init__(message)
        self.staff_id = staff_id
        self.appointment_type_id = appointment_type_id
        self.starts_at = starts_at
        self.ends_at = ends_at


class InvalidState(DeskError):
    """The action doesn't apply in the record's current state (e.g. cancel twice)."""


class PermissionDenied(DeskError):
    """The signed-in staff member's role doesn't allow this."""


class AuthenticationFailed(DeskError):
    """Wrong username or password (deliberately not saying which)."""


class StartsInThePast(ValidationError):
    """A booking would start before now: the screen asks, then books with ``allow_past``."""

    def __init__(self, message: str) -> None:
        super().__init__("starts_at", message)
