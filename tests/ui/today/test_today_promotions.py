"""Today says who the waitlist promoted: a cancel on the page frees a place in a full
group session, and the first waiting member with a credit takes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.today.today_screen import TodayScreen
from tests.actors import SYSTEM
from tests.ui.today.conftest import at
from tests.ui.today.test_today_page import select


def test_a_cancel_on_today_promotes_the_waiting_member_and_says_so(
    qtbot, desk_staff, gym, answers
) -> None:
    services = desk_staff.services
    group = services.appointment_types.create(
        name="Small Group PT", duration_minutes=60, capacity=2, late_cancel_hours=0,
        actor=SYSTEM,
    ).value  # fmt: skip
    booked = {}
    for who in ("ann", "bob", "zoe"):
        services.credits.add_credits(
            member_id=MemberId(gym[who]), appointment_type_id=AppointmentTypeId(group.id),
            quantity=1, expires_on=None, actor=SYSTEM,
        )  # fmt: skip
    for who in ("ann", "bob"):
        booked[who] = services.booking.book(
            member_id=MemberId(gym[who]), appointment_type_id=AppointmentTypeId(group.id),
            staff_id=StaffId(gym["coach"]), starts_at=at(18), actor=SYSTEM,
        ).value  # fmt: skip
    services.booking.join_waitlist(
        member_id=MemberId(gym["zoe"]), appointment_type_id=AppointmentTypeId(group.id),
        staff_id=StaffId(gym["coach"]), starts_at=at(18), ends_at=at(19), actor=SYSTEM,
    )  # fmt: skip
    page = TodayScreen(desk_staff)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    desk_staff.runner.wait_idle()
    assert not page.view.promotions.isVisible()
    select(page, booked["bob"])
    QTest.keyClick(page.view.table, Qt.Key.Key_X)
    desk_staff.runner.wait_idle()
    assert page.view.promotions.isVisible()
    assert page.view.promotions.text() == (
        "Promoted from the waitlist: Zoë Müller, Small Group PT 18:00"
    )
