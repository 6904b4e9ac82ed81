"""The screenshots of coaches' hours: Settings > Staff > Hours and types…, and the
booking dialog offering the next free times after one the coach doesn't work,
for docs/make_screenshots.py."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from desk.services.core.ids import MemberId


def shoot_availability(camera: Any, window: Any, day: date, zone: Any) -> None:
    from desk.ui.calendar.booking_dialog import BookingDialog
    from desk.ui.settings.staff_hours_dialog import StaffHoursDialog

    ctx = camera.ctx
    services = ctx.services
    coaches = [p for p in services.staff.list() if p.role == "coach"]
    # The coach away on a course, with a holiday booked too.
    coach = next(p for p in coaches if services.availability.hours(p.id).exceptions)
    services.availability.add_exception(
        coach.id, kind="off", starts_local=datetime.combine(day + timedelta(days=12), time()),
        ends_local=datetime.combine(day + timedelta(days=17), time()), note="Holiday",
        actor=ctx.actor,
    )  # fmt: skip
    hours = StaffHoursDialog(ctx, coach.id, window)
    camera.open(hours, (820, 640))
    camera.shoot(hours, "staff_hours.png")
    hours.reject()

    member = max(services.members.summaries(range(1, 200)), key=lambda m: m.open_credits)
    kind = max(services.credits.balances(MemberId(member.id)), key=lambda b: b.open)
    # Tomorrow at 21:00: after every demo shift, so the dialog says why and offers times.
    late = datetime.combine(day + timedelta(days=1), time(21, 0), zone)
    booking = BookingDialog(
        ctx, member_id=member.id, member_name=member.full_name, staff_id=coach.id,
        starts_at=late, parent=window,
    )  # fmt: skip
    booking.appointment_type.setCurrentIndex(
        booking.appointment_type.findData(kind.appointment_type_id)
    )
    camera.open(booking, (760, 600))
    camera.shoot(booking, "booking_next_free.png")
    booking.reject()
