"""Screenshots of a lot's later life for docs/guide/credits.md: a transfer of credits
to another member, Settings > Change expiry dates… with its preview, and the
booking dialog with another lot picked to pay (docs/guide/calendar.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desk.services.core.ids import MemberId


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
    """A member with two lots of one type; the booking dialog with the second picked."""
    from desk.ui.calendar.booking_dialog import BookingDialog

    services = camera.ctx.services
    for member in members:
        order = services.credits.paying_order(MemberId(member.id))
        kinds = [lot.appointment_type_id for lot in order]
        twice = next((k for k in kinds if kinds.count(k) > 1), None)
        if twice is not None:
            break
    else:
        return
    coach = next(p for p in services.staff.list() if p.role == "coach")
    now = services.clock.now().astimezone(services.clock.tz)
    booking = BookingDialog(
        camera.ctx, member_id=member.id, member_name=member.full_name, staff_id=coach.id,
        starts_at=now.replace(hour=20, minute=0, second=0, microsecond=0) + timedelta(days=2),
        parent=window,
    )  # fmt: skip
    booking.appointment_type.setCurrentIndex(booking.appointment_type.findData(twice))
    booking.lot_picker.setCurrentIndex(1)
    camera.open(booking, (760, 560))
    camera.shoot(booking, "booking_pick_lot.png")
    booking.reject()
