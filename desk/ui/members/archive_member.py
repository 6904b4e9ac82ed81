"""Archiving a member from their profile (asked first) and reactivating them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from desk.services.core.errors import DeskError
from desk.services.core.ids import MemberId
from desk.services.core.read_models import MemberStatus, MemberView
from desk.ui.shell.context import DeskContext


def toggle_archived(
    ctx: DeskContext, parent: QWidget, member: MemberView, refused: Callable[[DeskError], None]
) -> None:
    """Reactivate an archived member at once; archive an active one once the person
    at the desk says yes (history and credits are kept either way)."""
    members = ctx.services.members
    member_id = MemberId(member.id)
    if member.status == MemberStatus.ARCHIVED:
        ctx.runner.run(
            lambda: members.reactivate(member_id, actor=ctx.actor),
            origin=parent,
            on_refused=refused,
        )
        return
    answer = QMessageBox.question(
        parent,
        "Archive member",
        f"Archive {member.full_name}? Their history and credits are kept, "
        "and they can't be booked until reactivated.",
    )
    if answer == QMessageBox.StandardButton.Yes:
        ctx.runner.run(
            lambda: members.archive(member_id, actor=ctx.actor), origin=parent, on_refused=refused
        )
