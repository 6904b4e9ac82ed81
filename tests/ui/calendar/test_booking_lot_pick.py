"""The booking dialog's lot picker (issue 18, item 1): the member's lots in paying
order, the default first; picking another one books it, and says so in the audit."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.ui.calendar.booking_dialog import BookingDialog
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ


def _comp(services, gym, quantity: int = 3):
    return services.credits.add_credits(
        member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        quantity=quantity, expires_on=None, note="Comp", actor=SYSTEM,
    ).value  # fmt: skip


def _open(qtbot, ctx, gym) -> BookingDialog:
    dialog = BookingDialog(
        ctx, member_id=gym["ann"], member_name="Ann Smith", staff_id=gym["coach"],
        starts_at=datetime(2026, 3, 10, 10, 0, tzinfo=GYM_TZ),
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_one_lot_offers_nothing_to_pick(qtbot, desk_staff, gym):
    dialog = _open(qtbot, desk_staff, gym)
    assert not dialog.lot_picker.isVisible()


def test_picking_another_lot_books_it_and_the_audit_says_so(qtbot, desk_staff, gym):
    comp = _comp(desk_staff.services, gym)
    dialog = _open(qtbot, desk_staff, gym)
    picker = dialog.lot_picker
    assert picker.isVisible()
    assert [picker.itemText(i) for i in range(picker.count())] == [
        "10 left of 10-pack, expires 31 Dec 2026 (default)",
        "3 left of Comp (never expires)",
    ]
    picker.setFocus()
    QTest.keyClick(picker, Qt.Key.Key_Down)  # the keyboard moves the pick to the Comp lot
    assert picker.picked_lot() == comp.id
    assert "The first session uses the Personal Training credits that never expire (3 left)." in (
        dialog.credits_info.text()
    )
    assert dialog.preview.model().index(0, 2).data() == (
        "Paid by Personal Training credits that never expire"
    )
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    [booked] = dialog.result_series.booked
    assert booked.lot_id == comp.id
    [event] = desk_staff.services.audit.events(
        member_id=MemberId(gym["ann"]), action="appointment.book"
    )
    assert event.after["picked_lot_id"] == str(comp.id)


def test_the_default_books_the_lot_that_expires_first(qtbot, desk_staff, gym):
    _comp(desk_staff.services, gym)
    dialog = _open(qtbot, desk_staff, gym)
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    [booked] = dialog.result_series.booked
    [lot] = [
        x for x in desk_staff.services.credits.lots(MemberId(gym["ann"]))
        if x.expires_on == date(2026, 12, 31)
    ]  # fmt: skip
    assert booked.lot_id == lot.id


def test_a_pick_another_desk_used_up_meanwhile_is_refused_naming_the_lot(
    qtbot, desk_staff, gym, monkeypatch
):
    comp = _comp(desk_staff.services, gym, quantity=1)
    shown: list[str] = []
    monkeypatch.setattr(
        "desk.ui.calendar.booking_dialog.show_error", lambda parent, exc: shown.append(exc.message)
    )
    dialog = _open(qtbot, desk_staff, gym)
    dialog.lot_picker.setFocus()
    QTest.keyClick(dialog.lot_picker, Qt.Key.Key_Down)
    # Another desk books the Comp lot's only credit while the form is open.
    desk_staff.services.booking.book(
        member_id=MemberId(gym["ann"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=gym["coach"], starts_at=datetime(2026, 3, 11, 10, 0, tzinfo=GYM_TZ),
        lot_id=comp.id, actor=SYSTEM,
    )  # fmt: skip
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert dialog.result_series is None
    assert len(shown) == 1
    assert f"lot #{comp.id} (Comp)" in shown[0]
    assert "no credit left" in shown[0]


def test_a_lot_of_the_members_shared_pool_can_be_picked(qtbot, desk_staff, gym):
    services = desk_staff.services
    pool = services.pools.create(
        "Smith family", [MemberId(gym["ann"]), MemberId(gym["bob"])], actor=SYSTEM
    ).value
    shared = services.credits.add_credits(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        quantity=3, expires_on=None, note="Family pack", pool_id=pool.id, actor=SYSTEM,
    ).value  # fmt: skip
    dialog = _open(qtbot, desk_staff, gym)
    picker = dialog.lot_picker
    assert [picker.itemText(i) for i in range(picker.count())] == [
        "10 left of 10-pack, expires 31 Dec 2026 (default)",
        "3 left of Family pack in the shared pool (never expires)",
    ]
    picker.setFocus()
    QTest.keyClick(picker, Qt.Key.Key_Down)
    assert picker.picked_lot() == shared.id
    qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    [booked] = dialog.result_series.booked
    assert booked.lot_id == shared.id
    [row] = [r for r in services.pools.pool(pool.id).balances if r.appointment_type_id == gym["pt"]]
    assert (row.open, row.booked) == (2, 1)
