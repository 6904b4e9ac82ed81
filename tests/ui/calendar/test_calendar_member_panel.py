"""The calendar's side panel: the selected appointment's member, their credits and notes."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desk.services.core.ids import AppointmentTypeId, MemberId
from tests.actors import SYSTEM
from tests.ui.calendar.calendar_driving import (
    WEDNESDAY,
    book,
    click_block,
    give_credits,
    panel_text,
    settle,
)


def shown(view, name: str) -> bool:
    return view.findChild(QLabel, name).isVisibleTo(view)


def test_the_panel_shows_the_members_open_credits_per_type_and_their_notes(view, gym, ctx, qtbot):
    services = ctx.services
    give_credits(ctx, gym, "ann", "massage", 2)
    services.members.update(MemberId(gym["ann"]), notes="Knee injury: no lunges", actor=SYSTEM)
    appt = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    assert not shown(view, "panelCredits")  # nothing selected yet
    click_block(view, appt.id)
    assert shown(view, "panelCreditsHeading")
    assert panel_text(view, "panelCredits") == (
        "9 Personal Training credits expiring 31 Dec 2026\n"
        "2 Sports Massage credits that never expire"
    )
    assert shown(view, "panelMemberNotes")
    assert panel_text(view, "panelMemberNotes") == "Knee injury: no lunges"
    # A sale at another desk's screen reaches the panel through the change hub.
    ctx.runner.run(
        lambda: services.credits.add_credits(
            member_id=MemberId(gym["ann"]),
            appointment_type_id=AppointmentTypeId(gym["massage"]),
            quantity=1,
            expires_on=None,
            actor=SYSTEM,
        )
    )
    settle(view)
    assert "3 Sports Massage credits that never expire" in panel_text(view, "panelCredits")


def test_a_member_without_credits_or_notes(view, gym, ctx, qtbot):
    ann = book(ctx, gym, WEDNESDAY, 11)
    give_credits(ctx, gym, "bob", "pt", 1)
    bob = book(ctx, gym, WEDNESDAY, 14, member="bob")  # his only credit
    view.reload()
    settle(view)
    click_block(view, bob.id)
    assert panel_text(view, "panelMember") == "Bob Jones"
    assert panel_text(view, "panelCredits") == "No open credits."
    assert not shown(view, "panelMemberNotes")
    assert not shown(view, "panelMemberNotesHeading")
    # Back to Ann: her credits, not Bob's.
    click_block(view, ann.id)
    assert panel_text(view, "panelCredits") == "9 Personal Training credits expiring 31 Dec 2026"
