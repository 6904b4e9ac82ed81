"""The member field of a form that may open with its member already chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desk.ui.members.member_picker import MemberPicker
from desk.ui.shell.context import DeskContext


def member_field(
    ctx: DeskContext,
    parent: QWidget,
    *,
    object_name: str,
    accessible_name: str,
    member_id: int | None,
    member_name: str,
) -> MemberPicker:
    picker = MemberPicker(ctx, parent)
    picker.setObjectName(object_name)
    picker.setAccessibleName(accessible_name)
    if member_id is not None:
        picker.set_member(member_id, member_name)
    return picker


def member_problem(picker: MemberPicker) -> str:
    """What to say under the field; "" while a member is chosen or nothing is typed yet.

    An empty field is not scolded: the form just can't be saved until a member is picked.
    """
    if picker.member_id() is not None or not picker.text().strip():
        return ""
    return "Pick the member from the suggestions."
