"""An unpaid booking on the calendar: the block says "Unpaid", the hover text says why."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.calendar.unpaid_words import UNPAID_TIP
from tests.actors import SYSTEM
from tests.ui.calendar.calendar_driving import WEDNESDAY, at, settle


def _painted_text(view, appointment_id: int) -> list[str]:
    return [
        text
        for painted in view.canvas._painted
        if painted.block.appointment.id == appointment_id
        for _font, text, _y in painted.lines
    ]


def test_an_unpaid_block_is_marked_and_its_tooltip_says_why(view, desk_staff, gym):
    appt = desk_staff.services.booking.book(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=StaffId(gym["coach"]), starts_at=at(WEDNESDAY, 14), unpaid=True, actor=SYSTEM,
    ).value  # fmt: skip
    paid = desk_staff.services.booking.book(
        member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=StaffId(gym["coach"]), starts_at=at(WEDNESDAY, 16), actor=SYSTEM,
    ).value  # fmt: skip
    view.reload()
    settle(view)
    assert any("Unpaid" in line for line in _painted_text(view, appt.id))
    assert not any("Unpaid" in line for line in _painted_text(view, paid.id))
    rect = view.canvas.block_rect(appt.id)
    view.widgets.scroll_area.ensureVisible(rect.center().x(), rect.center().y())
    centre = rect.center()
    event = QHelpEvent(QEvent.Type.ToolTip, centre, view.canvas.mapToGlobal(centre))
    QApplication.sendEvent(view.canvas, event)
    assert UNPAID_TIP in QToolTip.text()
