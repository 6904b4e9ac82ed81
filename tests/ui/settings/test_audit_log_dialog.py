"""The audit log for people: names, local times, plain words, the raw details on demand."""

from __future__ import annotations

import json

from PySide6.QtCore import QLocale, Qt

from desk.services.core.ids import MemberId, StaffId
from desk.ui.settings.audit_log_dialog import AuditLogDialog
from tests.actors import as_staff
from tests.services.factories import at_local


def test_rows_read_in_plain_words_and_details_show_the_raw_json(qtbot, desk_staff, gym):
    desk_staff.services.credits.adjust(
        member_id=MemberId(gym["ann"]), appointment_type_id=gym["pt"], delta=-1,
        reason="typo", actor=as_staff(StaffId(gym["desk"])),
    )  # fmt: skip
    dialog = AuditLogDialog(desk_staff)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    model = dialog.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["When", "Who", "What happened", "Member", "Reason"]
    assert model.index(0, 1).data() == "Robin Ames"
    assert model.index(0, 2).data() == (
        "Took 1 credit off the Personal Training credits of Ann Smith"
    )
    assert model.index(0, 3).data() == "Ann Smith"
    assert model.index(0, 4).data() == "typo"
    # 15:00 UTC on the fixture's clock is 10:00 at the gym (New York).
    assert model.index(0, 0).data() == "Wed 4 Mar 2026 10:00"
    assert not dialog.details_button.isEnabled()
    assert not dialog.details.isVisible()

    rect = dialog.table.visualRect(model.index(0, 2))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.details_button.isEnabled()
    qtbot.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
    assert dialog.details.isVisible()
    raw = json.loads(dialog.details.toPlainText())
    assert raw["action"] == "credits.adjust"
    assert raw["after"]["delta"] == -1
    assert raw["after"]["reason"] == "typo"

    rect = dialog.table.visualRect(model.index(1, 2))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert json.loads(dialog.details.toPlainText())["action"] == model.row_at(1).action
    qtbot.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
    assert not dialog.details.isVisible()


def _booking_sentence(qtbot, desk_staff, gym) -> str:
    desk_staff.services.booking.book(
        member_id=MemberId(gym["ann"]), appointment_type_id=gym["pt"],
        staff_id=StaffId(gym["coach"]), starts_at=at_local(2026, 3, 10, 18),
        actor=as_staff(StaffId(gym["desk"])),
    )  # fmt: skip
    dialog = AuditLogDialog(desk_staff)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return str(dialog.model.index(0, 2).data())


def test_the_sentences_write_times_as_a_uk_desk_reads_them(qtbot, desk_staff, gym):
    sentence = _booking_sentence(qtbot, desk_staff, gym)
    assert sentence.startswith("Booked Ann Smith for Personal Training with ")
    assert sentence.endswith(" on Tue 10 Mar 18:00")


def test_the_sentences_write_times_as_a_us_desk_reads_them(qtbot, desk_staff, gym):
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    sentence = _booking_sentence(qtbot, desk_staff, gym)
    assert sentence.endswith((" on Tue, Mar 10 6:00\u202fPM", " on Tue, Mar 10 6:00 PM"))
