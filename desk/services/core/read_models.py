"""Frozen views that services hand out: plain values, nothing lazy-loads later."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from desk.models.enums import AppointmentStatus, LotSource, MemberStatus, StaffRole
from desk.services.core.errors import ClashingAppointment, Unavailability

__all__ = [
    "AppointmentStatus",
    "AppointmentTypeView",
    "AppointmentView",
    "AuditView",
    "BalanceRow",
    "CancelResult",
    "HistoryKind",
    "HistoryRow",
    "LotSource",
    "LotView",
    "MemberMatch",
    "MemberStatus",
    "MemberView",
    "OccurrencePlan",
    "SeriesResult",
    "StaffRole",
    "StaffView",
]


@dataclass(frozen=True, slots=True)
class MemberView:
    id: int
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    notes: str
    status: MemberStatus
    external_id: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class MemberMatch:
    """One row of a member search: enough to pick the right person."""

    id: int
    full_name: str
    email: str | None
    phone: str | None
    status: MemberStatus
    open_credits: int


@dataclass(frozen=True, slots=True)
class AppointmentTypeView:
    id: int
    name: str
    duration_minutes: int
    color: str
    default_price_cents: int
    currency: str
    late_cancel_hours: int
    active: bool
    capacity: int = 1
    """How many members one session holds (1: one-to-one)."""

    @property
    def is_group(self) -> bool:
        return self.capacity > 1


@dataclass(frozen=True, slots=True)
class StaffView:
    id: int
    name: str
    role: StaffRole
    active: bool
    takes_bookings: bool
    """They coach: the calendar gives them a column (day view) and a lane (week view)."""


@dataclass(frozen=True, slots=True)
class BalanceRow:
    """A member's credits of one appointment type.

    ``open + booked + used + expired == granted + adjusted`` always holds.
    """

    appointment_type_id: int
    appointment_type: str
    granted: int
    adjusted: int
    open: int
    booked: int
    used: int
    expired: int


@dataclass(frozen=True, slots=True)
class LotView:
    id: int
    member_id: int
    appointment_type_id: int
    appointment_type: str
    source: LotSource
    quantity: int
    remaining: int
    price_cents: int
    currency: str
    created_at: datetime
    created_by: str | None
    expires_on: date | None
    note: str
    is_expired: bool
    first_use_days: int | None = None
    """Valid this many days from first use; with no expires_on yet it is unused."""
    paid_unpaid: tuple[PaidBooking, ...] = ()
    """The unpaid bookings these credits settled when they were granted (settle_unpaid)."""

    @property
    def is_used_up(self) -> bool:
        return self.remaining == 0


@dataclass(frozen=True, slots=True)
class PaidBooking:
    """One unpaid booking that a grant settled (desk/services/credits/settle_unpaid.py)."""

    appointment_id: int
    member_id: int
    appointment_type: str
    starts_at: datetime
    lot_id: int


class HistoryKind(StrEnum):
    SOLD = "sold"
    BOOKED = "booked"
    ATTENDED = "attended"
    CANCELLED = "cancelled"
    LATE_CANCELLED = "late_cancelled"
    NO_SHOW = "no_show"
    ADJUSTED = "adjusted"
    EXPIRED = "expired"
    UNDONE = "undone"  # a check-in, no-show or late cancel undone (booked again)
    FORGIVEN = "forgiven"  # a late cancel or no-show whose credit came back afterwards

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One line of a member's history: a sale, a booking, a visit, a correction."""

    at: datetime
    kind: HistoryKind
    appointment_type: str
    staff: str | None
    """The coach of the appointment, where there is one."""
    credit_effect: int
    by: str | None
    """Who did it (None: the system or the command line)."""
    detail: str
    lot_id: int | None
    appointment_id: int | None
    appointment_at: datetime | None
    """When the appointment this row concerns starts."""


@dataclass(frozen=True, slots=True)
class AppointmentView:
    id: int
    member_id: int
    member_name: str
    appointment_type_id: int
    appointment_type: str
    color: str
    staff_id: int
    staff_name: str
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    lot_id: int | None
    series_id: str | None
    notes: str
    capacity: int = 1
    """How many members the session of its type holds (1: one-to-one)."""
    unpaid: bool = False
    """Booked without a credit and still owing one (settle_unpaid pays it later)."""


@dataclass(frozen=True, slots=True)
class MovedAppointment:
    """One appointment a move changed: as it was and as it is now."""

    before: AppointmentView
    after: AppointmentView


@dataclass(frozen=True, slots=True)
class MoveResult:
    """What a move (or the undo of one) changed; the dragged appointment first."""

    moved: list[MovedAppointment]
    promoted: list[AppointmentView] = field(default_factory=list)
    """Waiting members booked into the places the move left free."""

    @property
    def first(self) -> MovedAppointment:
        return self.moved[0]


@dataclass(frozen=True, slots=True)
class CancelResult:
    appointment: AppointmentView
    late: bool
    """The cancel fell inside the type's late-cancel window."""
    credit_returned: bool


@dataclass(frozen=True, slots=True)
class OccurrencePlan:
    """One occurrence of a planned booking: free or not, and which lot would pay."""

    starts_at: datetime
    ends_at: datetime
    lot_id: int | None
    """The lot that would pay; None when no open credit covers this date."""
    conflict: str | None
    """Why the staff member can't take it, or None when free."""
    clash: ClashingAppointment | None = None
    """The session in the way when there is a conflict (for the screen's own wording)."""
    lot_expires_on: date | None = None
    """When the paying lot expires (None: it never does, or no lot pays)."""
    full: bool = False
    """A group session with every place taken: the member can join its waitlist."""
    unavailable: Unavailability | None = None
    """Why the staff member doesn't work then, when that is the conflict."""

    @property
    def bookable(self) -> bool:
        return self.conflict is None and self.lot_id is not None


@dataclass(frozen=True, slots=True)
class SeriesResult:
    booked: list[AppointmentView]
    skipped: list[OccurrencePlan]
    series_id: str | None


@dataclass(frozen=True, slots=True)
class AuditView:
    id: int
    at: datetime
    actor: str | None
    action: str
    entity: str
    entity_id: int | None
    member_id: int | None
    before: dict[str, object] | None
    after: dict[str, object] | None


@dataclass(frozen=True, slots=True)
class WaitlistEntryView:
    """A member on (or once on) the waitlist of a session."""

    id: int
    member_id: int
    member_name: str
    appointment_type_id: int
    appointment_type: str
    staff_id: int
    staff_name: str
    starts_at: datetime
    ends_at: datetime
    status: str
    """waiting, promoted or left."""
    created_at: datetime
    ended_at: datetime | None
    appointment_id: int | None
    """The booking a promotion made."""


@dataclass(frozen=True, slots=True)
class Promotion:
    """A waiting member booked into a place that came free."""

    entry_id: int
    appointment: AppointmentView
