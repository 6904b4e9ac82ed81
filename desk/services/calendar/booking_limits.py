"""A type's minimum notice and booking horizon: for staff bookings a warning that a
role allowed to override may book through with a reason (audited)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlalchemy.orm import Session

from desk.models import AppointmentType
from desk.services.core.actor import Actor
from desk.services.core.errors import BookingRuleWarning, ValidationError
from desk.services.core.permissions import Permission, allowed, authorize
from desk.services.core.validation import MAX_TEXT, clean_text


def _notice_words(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minutes"


def limit_breach(
    kind: AppointmentType, first: datetime, last: datetime, now: datetime, tz: tzinfo
) -> str | None:
    """Why sessions from ``first`` to ``last`` break the type's notice or horizon, or None.
    A start already past is not a notice question (the past confirmation covers it)."""
    notice = timedelta(minutes=kind.min_notice_minutes)
    if kind.min_notice_minutes and now <= first < now + notice:
        return (
            f"{kind.name} needs {_notice_words(kind.min_notice_minutes)} notice: "
            f"this starts at {first.astimezone(tz):%H:%M}."
        )
    if kind.horizon_days:
        ahead = (last.astimezone(tz).date() - now.astimezone(tz).date()).days
        if ahead > kind.horizon_days:
            return (
                f"{kind.name} can be booked at most {kind.horizon_days} days ahead; "
                f"this is {ahead} days ahead."
            )
    return None


def check_limits(
    session: Session,
    actor: Actor,
    kind: AppointmentType,
    first: datetime,
    last: datetime,
    now: datetime,
    tz: tzinfo,
    override_reason: str | None,
) -> dict[str, str] | None:
    """None when the sessions keep the type's notice and horizon; else, with a reason
    from an actor allowed to override, what the audit event records. Raises
    BookingRuleWarning without a reason, PermissionDenied when the actor may not
    override, ValidationError for an empty reason."""
    breach = limit_breach(kind, first, last, now, tz)
    if breach is None:
        return None
    if override_reason is None:
        may = allowed(session, actor, Permission.OVERRIDE_BOOKING_RULES)
        tail = " Give a reason to book it anyway." if may else " Ask an owner or admin to book it."
        raise BookingRuleWarning(breach + tail, may_override=may)
    authorize(session, actor, Permission.OVERRIDE_BOOKING_RULES)
    reason = clean_text(override_reason, "override_reason", max_length=MAX_TEXT)
    if not reason:
        raise ValidationError("override_reason", "Say why the booking rule is overridden.")
    return {"overridden": breach, "reason": reason}
