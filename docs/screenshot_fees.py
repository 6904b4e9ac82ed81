"""Screenshots of fees by policy for docs/guide/credits.md: a type's Fees… dialog, and a
member's Account tab with a no-show fee and a waived late-cancel fee."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId


def shoot_fees(camera: Any, window: Any) -> None:
    from desk.ui.members.member_profile import MemberProfile
    from desk.ui.settings.type_fees_dialog import TypeFeesDialog

    services, actor = camera.ctx.services, camera.ctx.actor
    kind = next(t for t in services.appointment_types.list() if t.capacity == 1)
    services.appointment_types.set_fees(
        AppointmentTypeId(kind.id), late_cancel_fee_cents=1_500, no_show_fee_cents=2_000,
        actor=actor,
    )  # fmt: skip
    dialog = TypeFeesDialog(camera.ctx, kind.id, kind.name, window)
    camera.open(dialog, (520, 260))
    camera.shoot(dialog, "type_fees.png")
    dialog.reject()

    member = services.members.create(first_name="Lena", last_name="Park", actor=actor).value
    services.credits.add_credits(
        member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
        quantity=4, expires_on=None, actor=actor,
    )  # fmt: skip
    coaches = [p for p in services.staff.list() if p.role == "coach" and p.takes_bookings]
    now = services.clock.now()

    def first_free(hours: range) -> Any:
        why = ""
        for hour, coach in ((h, c) for h in hours for c in coaches):
            try:
                return services.booking.book(
                    member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
                    staff_id=coach.id, starts_at=now + timedelta(hours=hour), allow_past=True,
                    actor=actor,
                ).value  # fmt: skip
            except DeskError as exc:  # a taken hour: try the next
                why = exc.message
                continue
        raise RuntimeError(f"no free hour for the fees screenshot: {why}")

    no_show, waived = first_free(range(-200, -2)), first_free(range(-200, -2))
    late = first_free(range(1, 23))
    services.booking.no_show(AppointmentId(no_show.id), actor=actor)
    services.booking.no_show(AppointmentId(waived.id), actor=actor)
    fee = next(f for f in services.fees.fees(MemberId(member.id)) if f.appointment_id == waived.id)
    services.fees.waive(fee.id, reason="First time: let it go", actor=actor)
    services.booking.cancel(AppointmentId(late.id), actor=actor)
    profile = MemberProfile(camera.ctx, member.id)
    profile.view.tabs.setCurrentWidget(profile.view.account_tab)
    camera.open(profile, (1000, 560))
    profile.view.account_table.selectRow(0)
    camera.shoot(profile, "account_fees.png")
    profile.close()
