"""Screenshots of a lot's later life for docs/guide/credits.md: a transfer of credits
to another member, Settings > Change expiry dates… with its preview, and the
booking dialog with another lot picked to pay (docs/guide/calendar.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId


def shoot_credit_life(camera: Any, window: Any) -> None:
    from desk.ui.members.bulk_expiry_dialog import BulkExpiryDialog
    from desk.ui.members.lot_change_dialogs import TransferCreditsDialog

    services = camera.ctx.services
    members = [m for m in services.members.summaries(range(1, 400)) if m.status == "active"]
    giver = max(members, key=lambda m: m.open_credits)
    lot = max(services.credits.lots(MemberId(giver.id)), key=lambda lot: lot.remaining)
    receiver = next(m for m in members if m.id != giver.id)
    transfer = TransferCreditsDialog(camera.ctx, lot, window)
    transfer.receiver.set_member(receiver.id, receiver.full_name)
    transfer.quantity.setValue(min(2, lot.remaining))
    transfer.reason.setText("A gift to her partner")
    camera.open(transfer, (560, 260))
    camera.shoot(transfer, "transfer_credits.png")
    transfer.reject()

    bulk = BulkExpiryDialog(camera.ctx, window)
    today = services.clock.now().astimezone(services.clock.tz).date()
    bulk.first.setDate(today)
    bulk.last.setDate(today + timedelta(days=30))
    bulk.days.setValue(14)
    bulk.reason.setText("Closed two weeks for the floor")
    camera.open(bulk, (860, 560))
    bulk.preview()
    camera.shoot(bulk, "bulk_expiry.png")
    bulk.reject()

    shoot_lot_pick(camera, window, members)


def shoot_lot_pick(camera: Any, window: Any, members: list[Any]) -> None:
    """A member with a dated lot is given a comp lot of that type; the booking dialog
    with the comp picked to pay instead of the default."""
    from desk.services.core.actor import Actor
    from desk.ui.calendar.booking_dialog import BookingDialog

    services = camera.ctx.services
    for member in members:
        dated = [x for x in services.credits.paying_order(MemberId(member.id)) if x.expires_on]
        if dated:
            break
    else:
        return
    kind = dated[0].appointment_type_id
    services.credits.add_credits(
        member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind), quantity=1,
        expires_on=None, note="Comp: a free session", actor=Actor.system("screenshots"),
    )  # fmt: skip
    coach, starts = _free_time(services, member.id, kind)
    booking = BookingDialog(
        camera.ctx, member_id=member.id, member_name=member.full_name, staff_id=coach,
        starts_at=starts, parent=window,
    )  # fmt: skip
    booking.appointment_type.setCurrentIndex(booking.appointment_type.findData(kind))
    booking.lot_picker.setCurrentIndex(booking.lot_picker.count() - 1)
    camera.open(booking, (760, 560))
    camera.shoot(booking, "booking_pick_lot.png")
    booking.reject()


def _free_time(services: Any, member_id: int, type_id: int) -> tuple[int, Any]:
    """A coach who delivers the type and the first hour from tomorrow they are free."""
    now = services.clock.now().astimezone(services.clock.tz)
    start = now.replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)
    for hours in range(24 * 7):
        at = start + timedelta(hours=hours)
        for person in services.staff.list():
            [plan] = services.booking.plan_series(
                member_id=MemberId(member_id), appointment_type_id=AppointmentTypeId(type_id),
                staff_id=StaffId(person.id), starts_at=at,
            )  # fmt: skip
            if plan.bookable:
                return person.id, at
    raise RuntimeError("no free time for the screenshot")
