"""Screenshot of Undo for docs/guide/credits.md: a profile right after Add Credits, its
status line offering Undo."""

from __future__ import annotations

from typing import Any

from desk.services.core.ids import AppointmentTypeId, MemberId


def shoot_undo(camera: Any, window: Any, width: int, height: int) -> None:
    ctx = camera.ctx
    services = ctx.services
    members = [m for m in services.members.summaries(range(1, 400)) if m.status == "active"]
    member = max(members, key=lambda m: m.open_credits)
    kind = max(services.credits.balances(MemberId(member.id)), key=lambda b: b.open)
    profile = window.open_profile(member.id)
    profile.resize(min(width, 1200), min(height, 800))
    camera.settle()
    credits, actor = services.credits, ctx.actor
    ctx.runner.run(
        lambda: credits.add_credits(
            member_id=MemberId(member.id),
            appointment_type_id=AppointmentTypeId(kind.appointment_type_id),
            quantity=10,
            expires_on=None,
            note="10-pack",
            actor=actor,
        ),
        origin=profile,
    )
    camera.shoot(profile, "profile_undo.png")
    profile.close()
