"""The screenshot of book now, pay later (docs/make_screenshots.py calls it): the booking
dialog offering "Book 3 (2 unpaid)" to a member with one credit left."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId


def shoot_unpaid(camera: Any, window: Any) -> None:
    from desk.ui.calendar.booking_dialog import REPEAT_WEEKLY, BookingDialog

    services, actor = camera.ctx.services, camera.ctx.actor
    kind = next(t for t in services.appointment_types.list() if t.capacity == 1)
    member = services.members.create(first_name="Sam", last_name="Rivera", actor=actor).value
    services.credits.add_credits(
        member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
        quantity=1, expires_on=None, note="last of a 10-pack", actor=actor,
    )  # fmt: skip
    coach = next(p for p in services.staff.list() if p.role == "coach" and p.takes_bookings)
    start = services.clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    for hours in range(240):
        plans = services.booking.plan_series(
            member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
            staff_id=StaffId(coach.id), starts_at=start + timedelta(hours=hours),
        )  # fmt: skip
        if all(p.conflict is None for p in plans):
            start += timedelta(hours=hours)
            break
    dialog = BookingDialog(
        camera.ctx, member_id=member.id, member_name=member.full_name, staff_id=coach.id,
        starts_at=start, parent=window,
    )  # fmt: skip
    dialog.appointment_type.setCurrentIndex(dialog.appointment_type.findData(kind.id))
    dialog.repeat.setCurrentIndex(REPEAT_WEEKLY)
    dialog.count.setValue(3)
    camera.open(dialog, (760, 560))
    camera.shoot(dialog, "booking_unpaid.png")
    dialog.reject()
