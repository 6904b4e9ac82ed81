"""Closed vocabularies stored as text, each backed by a CHECK constraint."""

from enum import StrEnum


class MemberStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class StaffRole(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    FRONT_DESK = "front_desk"
    COACH = "coach"


class LotSource(StrEnum):
    PACKAGE = "package"
    PLAN = "plan"
    MIGRATION = "migration"
    MANUAL = "manual"


class EntryKind(StrEnum):
    GRANT = "grant"
    BOOK = "book"
    RELEASE = "release"
    FORFEIT = "forfeit"
    ADJUST = "adjust"
    EXPIRE = "expire"
    # Undoes a status change (check-in, no-show, late cancel) and names the forfeit
    # it reverses, if any; the credit stays with the booking, so it moves nothing.
    REVERSE = "reverse"


class UnusedCredits(StrEnum):
    """What a plan does with a period's unused credits when the next one is billed."""

    EXPIRE = "expire"
    ROLL_OVER = "roll_over"


class AccountEntryKind(StrEnum):
    CHARGE = "charge"
    PAYMENT = "payment"
    CREDIT = "credit"
    REFUND = "refund"
    # A late-cancel or no-show fee (negative), linked to its appointment; a waiver
    # (positive) reverses one fee, named by reverses_id (desk/services/selling/fees.py).
    FEE = "fee"
    WAIVER = "waiver"


class PaymentMethod(StrEnum):
    """How money was received. Payments recorded before methods were kept are
    "unknown"; other entry kinds carry none."""

    CASH = "cash"
    CARD = "card"
    TRANSFER = "transfer"
    OTHER = "other"
    UNKNOWN = "unknown"


class ImportKind(StrEnum):
    MEMBERS = "members"
    CREDITS = "credits"


class ImportStatus(StrEnum):
    IMPORTED = "imported"
    UNDONE = "undone"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    LATE_CANCELLED = "late_cancelled"


class WaitlistStatus(StrEnum):
    WAITING = "waiting"
    PROMOTED = "promoted"
    LEFT = "left"


def sql_in(column: str, values: type[StrEnum]) -> str:
    """SQL text for a CHECK that keeps ``column`` inside an enum's values."""
    quoted = ", ".join(f"'{v.value}'" for v in values)
    return f"{column} IN ({quoted})"
