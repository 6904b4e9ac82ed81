"""Today marks an unpaid booking in its status, in words."""

from __future__ import annotations

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.today.today_screen import TodayScreen
from desk.ui.today.today_table_model import COL_MEMBER, COL_STATUS
from tests.actors import SYSTEM
from tests.ui.today.conftest import at


def test_an_unpaid_booking_reads_booked_unpaid(qtbot, desk_staff, gym):
    for member, hour, unpaid in (("bob", 14, True), ("ann", 15, False)):
        desk_staff.services.booking.book(
            member_id=MemberId(gym[member]), appointment_type_id=AppointmentTypeId(gym["pt"]),
            staff_id=StaffId(gym["coach"]), starts_at=at(hour), unpaid=unpaid, actor=SYSTEM,
        )  # fmt: skip
    screen = TodayScreen(desk_staff)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    desk_staff.runner.wait_idle()
    rows = [
        (screen.proxy.index(r, COL_MEMBER).data(), screen.proxy.index(r, COL_STATUS).data())
        for r in range(screen.proxy.rowCount())
    ]
    assert rows == [("Bob Jones", "Booked, unpaid"), ("Ann Smith", "Booked")]
