"""The screenshot of a hold for docs/guide/credits.md: a member's profile with the hold
line in its header ("On hold 5 - 18 Mar 2026 (knee surgery)") and its buttons."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desk.services.core.clock import today
from desk.services.core.ids import MemberId


def shoot_holds(camera: Any, window: Any, size: tuple[int, int]) -> None:
    services = camera.ctx.services
    on = today(services.clock)
    members = [m for m in services.members.summaries(range(1, 400)) if m.status == "active"]
    for member in sorted(members, key=lambda m: -m.open_credits):
        member_id = MemberId(member.id)
        if services.holds.current_hold(member_id) is not None:
            continue
        if not services.holds.bookings_in(member_id, on, on + timedelta(days=13)):
            break
    services.holds.place_hold(
        member_id, starts_on=on, ends_on=on + timedelta(days=13), reason="knee surgery",
        actor=camera.ctx.actor,
    )  # fmt: skip
    profile = window.open_profile(member_id)
    profile.resize(*size)
    camera.shoot(profile, "profile_hold.png")
    profile.close()
