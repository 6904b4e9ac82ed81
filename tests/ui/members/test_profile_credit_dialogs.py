"""The member profile: adding and adjusting credits through its dialogs."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.adjust_credits_dialog import AdjustCreditsDialog
from tests.actors import SYSTEM
from tests.ui.members.profile_reading import balance, history_kinds, table_texts


def fill_add_credits(
    dialog: AddCreditsDialog,
    qtbot,
    *,
    type_name: str,
    quantity: int,
    price: str,
    days: int | None,
    note: str,
) -> None:
    dialog.appointment_type.setCurrentIndex(dialog.appointment_type.findText(type_name))
    dialog.quantity.setValue(quantity)
    if days is not None:
        qtbot.mouseClick(
            dialog.findChild(type(dialog.add_button), f"expiry{days}"), Qt.MouseButton.LeftButton
        )
    dialog.price.setText(price)
    dialog.note.setText(note)


def test_add_credits_through_the_dialog_updates_both_tabs(profile, qtbot, monkeypatch, ctx):
    def run_dialog(dialog: AddCreditsDialog) -> int:
        assert dialog.client.member_id() == profile.member_id  # preset from the profile
        fill_add_credits(
            dialog,
            qtbot,
            type_name="Sports Massage",
            quantity=5,
            price="$450.00",
            days=90,
            note="migrated",
        )
        assert dialog.add_button.isEnabled()
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        ctx.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AddCreditsDialog, "exec", run_dialog)
    with qtbot.waitSignal(ctx.hub.changed):
        qtbot.mouseClick(profile.view.add_credits_button, Qt.MouseButton.LeftButton)
        ctx.runner.wait_idle()
    assert balance(profile, "Sports Massage")["open"] == 5
    assert "15 open" in profile.view.summary.text()
    massage = next(r for r in table_texts(profile.view.lots) if r[0] == "Sports Massage")
    expected = ctx.services.clock.now().astimezone(ctx.services.clock.tz).date() + timedelta(
        days=90
    )
    assert massage[4] == "$450.00"
    assert massage[6] == f"{expected.day} {expected:%b %Y}"
    assert history_kinds(profile).count("Sold") == 2
    sold = next(r for r in table_texts(profile.view.history) if r[2] == "Sports Massage")
    assert sold[5] == "+5"
    assert sold[6] == "Robin Ames"  # the staff member at the desk


def test_add_credits_form_refuses_bad_input_next_to_the_field(qtbot, desk_staff, gym):
    dialog = AddCreditsDialog(desk_staff, gym["ann"], "Ann Smith")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.add_button.text() == "Add"
    assert dialog.add_button.isEnabled()  # preset member, a type, never expires, $0.00
    assert "Free" in dialog.price_hint.text()
    dialog.price.setText("12.345")
    assert not dialog.add_button.isEnabled()
    assert dialog.price_error.isVisible()
    assert "not an amount" in dialog.price_error.text()
    dialog.price.setText("1,200.00")
    assert dialog.add_button.isEnabled()
    assert not dialog.price_error.isVisible()
    dialog.client.clear()
    qtbot.keyClicks(dialog.client, "bob")
    assert dialog.client.member_id() is None
    assert not dialog.add_button.isEnabled()
    assert "Pick the member" in dialog.client_error.text()
    suggestion = next(s for s in dialog.client.suggestions() if "Bob Jones" in s)
    dialog.client.choose(suggestion)
    assert dialog.client.member_id() == gym["bob"]
    assert dialog.add_button.isEnabled()


def test_add_credits_twice_from_one_form_adds_once(qtbot, desk_staff, gym):
    dialog = AddCreditsDialog(desk_staff, gym["bob"], "Bob Jones")
    qtbot.addWidget(dialog)
    dialog.quantity.setValue(3)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog._save()  # a second click while the first runs: ignored (the button is disabled)
    assert not dialog.add_button.isEnabled()
    desk_staff.runner.wait_idle()
    dialog._save()  # a retry after it went through: same idempotency key
    desk_staff.runner.wait_idle()
    lots = desk_staff.services.credits.lots(MemberId(gym["bob"]))
    assert [lot.quantity for lot in lots] == [3]


def test_add_credits_offers_to_create_a_type_when_there_is_none(qtbot, ctx, monkeypatch):
    member = ctx.services.members.create(first_name="New", last_name="Gym", actor=SYSTEM).value
    from desk.ui.settings import appointment_types_dialog

    def create_one(cls, ask_ctx, parent, *, start_new=False):
        assert start_new
        ask_ctx.services.appointment_types.create(
            name="Intro Session", duration_minutes=30, actor=SYSTEM
        )

    monkeypatch.setattr(
        appointment_types_dialog.AppointmentTypesDialog, "ask", classmethod(create_one)
    )
    dialog = AddCreditsDialog(ctx, member.id, member.full_name)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.no_types.isVisible()
    assert dialog.create_type.isVisible()
    assert not dialog.add_button.isEnabled()
    qtbot.mouseClick(dialog.create_type, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert dialog.appointment_type.currentText() == "Intro Session"
    assert dialog.add_button.isEnabled()


def test_adjust_with_a_reason_changes_both_tabs(profile, qtbot, monkeypatch, ctx):
    def run_dialog(dialog: AdjustCreditsDialog) -> int:
        assert dialog.appointment_type.currentText() == "Personal Training"
        assert dialog.open_now.text() == "10"
        dialog.delta.setValue(-3)
        assert not dialog.adjust_button.isEnabled()  # no reason yet
        assert "reason is required" in dialog.reason_error.text()
        qtbot.keyClicks(dialog.reason, "sessions used before the move")
        assert dialog.adjust_button.isEnabled()
        qtbot.mouseClick(dialog.adjust_button, Qt.MouseButton.LeftButton)
        ctx.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AdjustCreditsDialog, "exec", run_dialog)
    with qtbot.waitSignal(ctx.hub.changed):
        qtbot.mouseClick(profile.view.adjust_credits_button, Qt.MouseButton.LeftButton)
        ctx.runner.wait_idle()
    assert balance(profile, "Personal Training")["open"] == 7
    adjusted = next(r for r in table_texts(profile.view.history) if r[1] == "Adjusted")
    assert adjusted[5] == "-3"
    assert adjusted[7] == "sessions used before the move"


def test_adjust_below_what_is_open_is_refused(qtbot, desk_staff, gym):
    dialog = AdjustCreditsDialog(desk_staff, gym["ann"], "Ann Smith")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reason.setText("typo")
    dialog.delta.setValue(-11)
    assert not dialog.adjust_button.isEnabled()
    assert "Only 10 open" in dialog.delta_error.text()
    dialog.delta.setValue(0)
    assert not dialog.adjust_button.isEnabled()
    dialog.delta.setValue(2)
    assert dialog.adjust_button.isEnabled()


def test_adjust_refused_by_the_service_says_why_under_the_change(
    qtbot, desk_staff, gym, message_boxes
):
    dialog = AdjustCreditsDialog(desk_staff, gym["ann"], "Ann Smith")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reason.setText("sessions used before the move")
    dialog.delta.setValue(-10)
    assert dialog.adjust_button.isEnabled()
    # Someone else uses a credit while the form is open.
    desk_staff.services.credits.adjust(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=AppointmentTypeId(gym["pt"]),
        delta=-1,
        reason="used at the other desk",
        actor=SYSTEM,
    )
    assert dialog.open_now.text().startswith("10  →")  # as the form was opened
    qtbot.mouseClick(dialog.adjust_button, Qt.MouseButton.LeftButton)
    dialog._ctx.runner.wait_idle()
    assert "only 9 open" in dialog.delta_error.text()
    assert dialog.open_now.text() == "9  →  -1 after this change"  # the balance as it is now
    assert dialog.isVisible()
    assert dialog.result_balance is None
    assert message_boxes == []


def test_add_credits_refused_by_the_service_says_why_next_to_the_field(
    qtbot, desk_staff, gym, message_boxes
):
    dialog = AddCreditsDialog(desk_staff, gym["bob"], "Bob Jones")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.appointment_type.setCurrentIndex(dialog.appointment_type.findData(gym["massage"]))
    desk_staff.services.appointment_types.deactivate(
        AppointmentTypeId(gym["massage"]), actor=SYSTEM
    )
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog._ctx.runner.wait_idle()
    assert "no longer offered" in dialog.type_error.text()
    assert dialog.type_error.isVisible()
    assert dialog.isVisible()
    assert dialog.result_lot is None
    assert desk_staff.services.credits.lots(MemberId(gym["bob"])) == []
    assert message_boxes == []


def test_front_desk_adds_free_credits_with_a_note_only(qtbot, ctx, gym):
    front = ctx.services.staff.create(name="Frankie", role="front_desk", actor=SYSTEM).value
    ctx.staff_id = StaffId(front.id)
    dialog = AddCreditsDialog(ctx, gym["bob"], "Bob Jones")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.price.isEnabled()
    assert "Free credits only" in dialog.price_hint.text()
    assert not dialog.add_button.isEnabled()
    assert "required" in dialog.note_error.text()
    dialog.note.setText("moved from the old system")
    assert dialog.add_button.isEnabled()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    [lot] = ctx.services.credits.lots(MemberId(gym["bob"]))
    assert (lot.price_cents, lot.note) == (0, "moved from the old system")
