"""Screenshots of a lot's later life for docs/guide/credits.md: a transfer of credits
to another member, and Settings > Change expiry dates… with its preview."""

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
