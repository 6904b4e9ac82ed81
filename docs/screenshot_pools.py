"""The shared pool on a profile for docs/guide/credits.md: a family of three sharing a
package bought by one of them, one session booked by another."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentTypeId, MemberId


def shoot_pools(camera: Any, window: Any) -> None:
    services, actor = camera.ctx.services, camera.ctx.actor
    kind = next(t for t in services.appointment_types.list() if t.capacity == 1)
    family = [
        services.members.create(first_name=first, last_name="Okoro", actor=actor).value
        for first in ("Grace", "Daniel", "Amara")
    ]
    pool = services.pools.create("Okoro family", [MemberId(m.id) for m in family],
                                 actor=actor).value  # fmt: skip
    today = services.clock.now().astimezone(services.clock.tz).date()
    services.credits.add_credits(
        member_id=MemberId(family[0].id), appointment_type_id=AppointmentTypeId(kind.id),
        quantity=8, expires_on=today + timedelta(days=120), price_cents=64_000,
        note="Family 8-pack", pool_id=pool.id, actor=actor,
    )  # fmt: skip
    coach = next(p for p in services.staff.list() if p.role == "coach" and p.takes_bookings)
    start = services.clock.now() + timedelta(days=2)
    for who in family[1:]:
        for hours in range(8, 200):
            try:
                services.booking.book(
                    member_id=MemberId(who.id), appointment_type_id=AppointmentTypeId(kind.id),
                    staff_id=coach.id, starts_at=start + timedelta(hours=hours), actor=actor,
                )  # fmt: skip
                break
            except DeskError:  # a taken hour: try the next
                continue
    profile = window.open_profile(family[1].id)
    profile.resize(1200, 800)
    camera.shoot(profile, "shared_pool.png")
    profile.close()
