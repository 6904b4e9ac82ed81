"""Member create/edit dialog: validation next to each field, duplicate email warning."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desk.services.core.ids import MemberId
from desk.ui.members.member_dialog import MemberDialog


@pytest.fixture
def dialog(qtbot, desk_staff) -> MemberDialog:
    widget = MemberDialog(desk_staff)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_needs_a_name_before_saving(dialog, qtbot):
    assert not dialog.save_button.isEnabled()
    assert "first or a last name" in dialog.name_error.text()
    qtbot.keyClicks(dialog.last_name, "Okafor")
    assert dialog.save_button.isEnabled()
    assert not dialog.name_error.isVisible()


def test_email_and_phone_are_checked_as_you_type(dialog, qtbot):
    qtbot.keyClicks(dialog.first_name, "Ada")
    qtbot.keyClicks(dialog.email, "ada@")
    assert not dialog.save_button.isEnabled()
    assert "doesn't look like an email" in dialog.email_error.text()
    qtbot.keyClicks(dialog.email, "example.com")
    assert not dialog.email_error.isVisible()
    qtbot.keyClicks(dialog.phone, "12-34")
    assert "7 to 15 digits" in dialog.phone_error.text()
    assert not dialog.save_button.isEnabled()
    dialog.phone.setText("(555) 010-9999")
    assert dialog.save_button.isEnabled()


def test_duplicate_email_is_warned_about_but_allowed(dialog, qtbot, gym, desk_staff):
    qtbot.keyClicks(dialog.first_name, "Annie")
    qtbot.keyClicks(dialog.email, "ANN@example.com")
    dialog.email.editingFinished.emit()
    assert dialog.email_warning.isVisible()
    assert "Ann Smith" in dialog.email_warning.text()
    with qtbot.waitSignal(desk_staff.hub.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
    assert dialog.result_member is not None
    assert dialog.result_member.email == "ann@example.com"
    assert len(desk_staff.services.members.find_by_email("ann@example.com")) == 2


def test_edit_changes_the_member_and_records_who(qtbot, desk_staff, gym):
    member = desk_staff.services.members.get(MemberId(gym["bob"]))
    dialog = MemberDialog(desk_staff, member)
    qtbot.addWidget(dialog)
    assert dialog.first_name.text() == "Bob"
    assert dialog.save_button.text() == "Save"
    dialog.phone.setText("555 123 4567")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    saved = desk_staff.services.members.get(MemberId(gym["bob"]))
    assert saved.phone == "555 123 4567"
    event = desk_staff.services.audit.events(member_id=gym["bob"])[0]
    assert event.action == "member.update"
    assert event.actor == "Robin Ames"
    assert event.after == {"phone": "555 123 4567"}
