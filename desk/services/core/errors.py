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


@dataclass(frozen=True, slots=True)
class FreeSlot:
    """A time a staff member could take a session of a type (UTC)."""

    staff_id: int
    staff_name: str
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
        self.free_slots: tuple[FreeSlot, ...] = ()
        """The next free times with the same staff member (a single booking fills them)."""


@dataclass(frozen=True, slots=True)
class Unavailability:
    """Why a staff member can't take a session then, for a screen to word itself.

    ``kind`` is "type" (they don't deliver ``appointment_type``), "off" (time off
    from ``off_from`` to ``off_to``, the gym's wall-clock time, with ``note``) or
    "hours" (outside their hours: ``hours`` are that ``weekday``'s ranges in
    minutes of the day, Monday 0; empty when they don't work that day).
    """

    kind: str
    staff_name: str
    appointment_type: str = ""
    weekday: int | None = None
    hours: tuple[tuple[int, int], ...] = ()
    off_from: datetime | None = None
    off_to: datetime | None = None
    note: str = ""


class Unavailable(Conflict):
    """The staff member doesn't work then, is off, or doesn't deliver the type.

    ``reason`` says which; ``free_slots`` the next free times that fit (a single
    booking fills them); ``moving_starts_at`` as for Clash. The message says it
    in the gym's time, for the command line."""

    def __init__(
        self,
        message: str,
        reason: Unavailability,
        *,
        moving_starts_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.moving_starts_at = moving_starts_at
        self.free_slots: tuple[FreeSlot, ...] = ()


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


class BookingRuleWarning(ValidationError):
    """A booking is sooner than the type's minimum notice or further ahead than its
    horizon. ``may_override`` says whether the actor may book it anyway with a
    reason (``override_reason``); otherwise it is a refusal."""

    def __init__(self, message: str, *, may_override: bool) -> None:
        super().__init__("starts_at", message)
        self.may_override = may_override


class StartsInThePast(ValidationError):
    """A booking would start before now: the screen asks, then books with ``allow_past``."""

    def __init__(self, message: str) -> None:
        super().__init__("starts_at", message)
