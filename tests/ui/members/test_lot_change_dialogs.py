"""The profile's Change expiry…, Transfer credits… and Merge into…, and Settings >
Change expiry dates…, driven through their widgets."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.ui.members.bulk_expiry_dialog import BulkExpiryDialog
from desk.ui.members.lot_change_dialogs import (
    ChangeExpiryDialog,
    MergeMemberDialog,
    TransferCreditsDialog,
)
from tests.actors import SYSTEM
from tests.ui.driving import click_row

LEFT = Qt.MouseButton.LeftButton


def _type_date(field, text: str) -> None:
    field.edit.selectAll()
    QTest.keyClicks(field.edit, text)
    QTest.keyClick(field.edit, Qt.Key.Key_Tab)


def _ann_lot(ctx, gym):
    return ctx.services.credits.lots(MemberId(gym["ann"]))[0]


def test_change_expiry_from_the_credits_tab(profile, qtbot, monkeypatch, desk_staff, gym):
    seen = {}

    def run_dialog(dialog: ChangeExpiryDialog) -> int:
        _type_date(dialog.expires, "30/06/2026")  # earlier than 31 Dec: needs a reason
        QTest.mouseClick(dialog.change_button, LEFT)
        desk_staff.runner.wait_idle()
        seen["refused"] = dialog.reason_error.text()
        QTest.keyClicks(dialog.reason, "sold with the wrong term")
        QTest.mouseClick(dialog.change_button, LEFT)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(ChangeExpiryDialog, "exec", run_dialog)
    assert not profile.view.expiry_button.isEnabled()  # no lot selected yet
    click_row(profile.view.lots)
    assert profile.view.expiry_button.isEnabled()
    QTest.mouseClick(profile.view.expiry_button, LEFT)
    desk_staff.runner.wait_idle()
    assert "reason" in seen["refused"]
    assert _ann_lot(desk_staff, gym).expires_on == date(2026, 6, 30)
    [event] = desk_staff.services.audit.events(action="credits.expiry")
    assert event.after == {"expires_on": "2026-06-30", "reason": "sold with the wrong term"}


def test_transfer_credits_to_another_member(profile, qtbot, monkeypatch, desk_staff, gym):
    def run_dialog(dialog: TransferCreditsDialog) -> int:
        assert not dialog.transfer_button.isEnabled()
        QTest.keyClicks(dialog.receiver, "bob")
        dialog.receiver.choose(next(s for s in dialog.receiver.suggestions() if "Bob" in s))
        dialog.quantity.lineEdit().selectAll()
        QTest.keyClicks(dialog.quantity, "4")
        assert not dialog.transfer_button.isEnabled()  # no reason yet
        QTest.keyClicks(dialog.reason, "gift to her brother")
        QTest.mouseClick(dialog.transfer_button, LEFT)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(TransferCreditsDialog, "exec", run_dialog)
    click_row(profile.view.lots)
    QTest.mouseClick(profile.view.transfer_button, LEFT)
    desk_staff.runner.wait_idle()
    credits = desk_staff.services.credits
    assert credits.open_credits(MemberId(gym["ann"]), AppointmentTypeId(gym["pt"])) == 6
    assert credits.open_credits(MemberId(gym["bob"]), AppointmentTypeId(gym["pt"])) == 4
    [bobs] = credits.lots(MemberId(gym["bob"]))
    assert (bobs.price_cents, bobs.expires_on) == (32_000, date(2026, 12, 31))


def test_merge_into_shows_what_moves_then_merges(profile, qtbot, monkeypatch, desk_staff, gym):
    seen = {}

    def run_dialog(dialog: MergeMemberDialog) -> int:
        QTest.keyClicks(dialog.survivor, "bob")
        dialog.survivor.choose(next(s for s in dialog.survivor.suggestions() if "Bob" in s))
        seen["preview"] = dialog.preview.text()
        assert not dialog.merge_button.isEnabled()  # no reason yet
        QTest.keyClicks(dialog.reason, "the same person, imported twice")
        QTest.mouseClick(dialog.merge_button, LEFT)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(MergeMemberDialog, "exec", run_dialog)
    QTest.mouseClick(profile.view.merge_button, LEFT)
    desk_staff.runner.wait_idle()
    assert seen["preview"].startswith("1 credit lots (10 open credits)")
    services = desk_staff.services
    assert services.members.get(MemberId(gym["ann"])).status.value == "archived"
    assert [m.id for m in services.members.search("ann@example")] == [gym["bob"]]
    assert services.credits.open_credits(MemberId(gym["bob"]), AppointmentTypeId(gym["pt"])) == 10


def test_bulk_expiry_change_previews_then_changes(qtbot, desk_staff, gym):
    services = desk_staff.services
    services.credits.add_credits(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["massage"]),
        quantity=2, expires_on=date(2026, 12, 20), actor=SYSTEM,
    )  # fmt: skip
    dialog = BulkExpiryDialog(desk_staff)
    qtbot.addWidget(dialog)
    dialog.show()
    _type_date(dialog.first, "01/12/2026")
    _type_date(dialog.last, "31/12/2026")
    dialog.days.lineEdit().selectAll()
    QTest.keyClicks(dialog.days, "14")
    assert not dialog.change_button.isEnabled()  # nothing previewed yet
    QTest.mouseClick(dialog.preview_button, LEFT)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 5).text() == "3 Jan 2027"  # Bob's, 20 Dec + 14 days
    assert dialog.change_button.text() == "Change 2 lots"
    QTest.keyClick(dialog.days, Qt.Key.Key_Up)  # 15 days: what was previewed is stale
    assert not dialog.change_button.isEnabled()
    assert dialog.table.rowCount() == 0
    QTest.keyClick(dialog.days, Qt.Key.Key_Down)
    QTest.mouseClick(dialog.preview_button, LEFT)
    QTest.keyClicks(dialog.reason, "closed two weeks")
    QTest.mouseClick(dialog.change_button, LEFT)
    desk_staff.runner.wait_idle()
    assert _ann_lot(desk_staff, gym).expires_on == date(2027, 1, 14)
    assert len(services.audit.events(action="credits.expiry")) == 2
