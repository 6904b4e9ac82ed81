"""Domain errors: each carries a message a front-desk person can read."""

from __future__ import annotations


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
