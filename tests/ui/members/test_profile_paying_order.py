"""The profile says in words which credits pay next (issue 18, items 1 and 6), and a
lot valid from first use that no session has used says so."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.members.member_profile import MemberProfile
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ
from tests.ui.members.profile_reading import table_texts


def _first_use_lot(services, gym) -> None:
    package = services.catalog.save_package(
        name="5 PT from first use", appointment_type_id=gym["pt"], credits=5, price_cents=0,
        validity_days=None, first_use_days=30, actor=SYSTEM,
    ).value  # fmt: skip
    services.sales.sell_package(member_id=MemberId(gym["ann"]), package_id=package.id, actor=SYSTEM)


def _show(qtbot, ctx, gym) -> MemberProfile:
    widget = MemberProfile(ctx, gym["ann"])
    qtbot.addWidget(widget)
    widget.show()
    ctx.runner.wait_idle()
    return widget


def test_the_profile_says_the_paying_order_and_an_unused_first_use_lot(qtbot, desk_staff, gym):
    services = desk_staff.services
    _first_use_lot(services, gym)
    services.credits.add_credits(
        member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(gym["massage"]),
        quantity=2, expires_on=None, note="Gift", actor=SYSTEM,
    )  # fmt: skip
    profile = _show(qtbot, desk_staff, gym)
    assert profile.view.paying_order.text() == (
        "Personal Training: next session uses 10 left of 10-pack, expires 31 Dec 2026; "
        "then 5 left of 5 PT from first use (valid 30 days from first use)\n"
        "Sports Massage: next session uses 2 left of Gift (never expires)"
    )
    expires = {row[-2] for row in table_texts(profile.view.lots)}
    assert "Valid 30 days from first use" in expires


def test_the_words_follow_a_booking_that_starts_the_first_use_clock(qtbot, desk_staff, gym):
    services = desk_staff.services
    _first_use_lot(services, gym)
    [lot] = [x for x in services.credits.lots(MemberId(gym["ann"])) if x.first_use_days]
    services.booking.book(
        member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=StaffId(gym["coach"]), starts_at=datetime(2026, 3, 10, 10, 0, tzinfo=GYM_TZ),
        lot_id=lot.id, actor=SYSTEM,
    )  # fmt: skip
    profile = _show(qtbot, desk_staff, gym)
    # Started on 10 March: now dated 9 April, it pays before the 10-pack (31 Dec).
    assert profile.view.paying_order.text() == (
        "Personal Training: next session uses 4 left of 5 PT from first use, expires 9 Apr 2026; "
        "then 10 left of 10-pack, expires 31 Dec 2026"
    )
    qtbot.mouseClick(profile.view.show_expired, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert "Valid 30 days from first use" not in {row[-2] for row in table_texts(profile.view.lots)}


def test_many_types_scroll_beside_the_balances(qtbot, desk_staff, gym):
    services = desk_staff.services
    for number in range(12):
        kind = services.appointment_types.create(
            name=f"Type {number:02d}", duration_minutes=30, actor=SYSTEM
        ).value
        services.credits.add_credits(
            member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(kind.id),
            quantity=1, expires_on=None, actor=SYSTEM,
        )  # fmt: skip
    profile = _show(qtbot, desk_staff, gym)
    label = profile.view.paying_order
    assert len(label.text().splitlines()) == 13
    assert (
        label.text().splitlines()[-1]
        == "Type 11: next session uses 1 left of Type 11 (never expires)"
    )
    area = label.parentWidget().parentWidget()  # the scroll area's viewport, then the area
    assert area.verticalScrollBar().maximum() > 0  # the words scroll; the tables keep their room
