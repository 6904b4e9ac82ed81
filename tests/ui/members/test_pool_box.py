"""The shared pool on the profile, driven through its widgets: Share credits with…
sets up a pool, Add credits… puts credits in it ("For the shared pool …"), the
box shows them apart from the member's own, and its history says who used each."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.pool_box import ShareCreditsDialog
from tests.actors import SYSTEM
from tests.ui.members.profile_reading import balance
from tests.ui.members.test_profile_credit_dialogs import fill_add_credits

LEFT = Qt.MouseButton.LeftButton


def _share_with_bob(profile, monkeypatch, desk_staff) -> None:
    def run_dialog(dialog: ShareCreditsDialog) -> int:
        assert not dialog.share_button.isEnabled()  # nobody picked yet
        assert dialog.name.text() == "Smith family"
        QTest.keyClicks(dialog.other, "bob")
        dialog.other.choose(next(s for s in dialog.other.suggestions() if "Bob" in s))
        QTest.mouseClick(dialog.share_button, LEFT)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(ShareCreditsDialog, "exec", run_dialog)
    box = profile.pool_box
    assert box.summary.text() == "Not sharing credits with anyone."
    QTest.mouseClick(box.share_button, LEFT)
    desk_staff.runner.wait_idle()


def test_share_credits_with_sets_up_a_pool(profile, qtbot, monkeypatch, desk_staff, gym):
    _share_with_bob(profile, monkeypatch, desk_staff)
    box = profile.pool_box
    assert box.summary.text() == ("<b>Shared pool:</b> Smith family (2 members) — no credits left")
    assert box.members.text() == "Ann Smith, Bob Jones"
    pool = desk_staff.services.pools.pool_of(MemberId(gym["bob"]))
    assert pool is not None
    assert pool.name == "Smith family"


def test_credits_added_for_the_pool_show_apart_and_say_who_used_them(
    profile, qtbot, monkeypatch, desk_staff, gym
):
    _share_with_bob(profile, monkeypatch, desk_staff)
    own_before = balance(profile, "Personal Training")

    def run_dialog(dialog: AddCreditsDialog) -> int:
        assert dialog.for_pool.isVisibleTo(dialog)
        assert "Smith family" in dialog.for_pool.text()
        fill_add_credits(dialog, qtbot, type_name="Personal Training", quantity=3,
                         price="$0.00", days=None, note="family pack")  # fmt: skip
        QTest.mouseClick(dialog.for_pool, LEFT)
        assert dialog.for_pool.isChecked()
        QTest.mouseClick(dialog.add_button, LEFT)
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AddCreditsDialog, "exec", run_dialog)
    QTest.mouseClick(profile.view.add_credits_button, LEFT)
    desk_staff.runner.wait_idle()
    box = profile.pool_box
    assert "Smith family (2 members) — Personal Training 3 left" in box.summary.text()
    assert balance(profile, "Personal Training") == own_before  # own credits untouched
    # Bob books from the pool at another desk's window (through the runner, which tells
    # the change hub); Ann's profile shows who used the shared credit.
    services = desk_staff.services
    desk_staff.runner.run(lambda: services.booking.book(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=StaffId(gym["coach"]), starts_at=services.clock.now() + timedelta(days=2),
        actor=SYSTEM,
    ))  # fmt: skip
    desk_staff.runner.wait_idle()
    assert "Personal Training 2 left" in box.summary.text()
    assert box.history.item(0, 1).text() == "booked"
    assert box.history.item(0, 3).text() == "Bob Jones"
    assert box.history.item(1, 3).text() == "Ann Smith"  # who put them in


def _answer_yes(monkeypatch) -> list[str]:
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_leave_pool_takes_the_member_out_after_asking(profile, monkeypatch, desk_staff, gym):
    _share_with_bob(profile, monkeypatch, desk_staff)
    box = profile.pool_box
    assert box.isVisible()
    asked = _answer_yes(monkeypatch)
    QTest.mouseClick(box.pool_actions.leave_button, LEFT)
    desk_staff.runner.wait_idle()
    assert asked
    assert "Take Ann Smith out of Smith family?" in asked[0]
    assert desk_staff.services.pools.pool_of(MemberId(gym["ann"])) is None
    assert not box.isVisible()  # Ann shares with nobody now; Share credits with… stays
    assert box.share_button.isVisible()
    assert box.summary.text() == "Not sharing credits with anyone."
    assert profile.view.action_status.text() == (
        "Ann Smith left Smith family; 0 bookings the pool paid for stay booked."
    )
    print("MSG", box.pool_actions.message.text(), box.pool_actions.report)
    assert profile.view.action_status.text() == (
        "Ann Smith left Smith family; 0 bookings the pool paid for stay booked."
    )


def test_dissolve_pool_gives_the_credits_back_to_their_buyer(profile, monkeypatch, desk_staff, gym):
    _share_with_bob(profile, monkeypatch, desk_staff)
    services = desk_staff.services
    pool = services.pools.pool_of(MemberId(gym["bob"]))
    assert pool is not None
    services.credits.add_credits(
        member_id=MemberId(gym["bob"]), appointment_type_id=AppointmentTypeId(gym["pt"]),
        quantity=3, expires_on=None, pool_id=pool.id, actor=SYSTEM,
    )  # fmt: skip
    desk_staff.runner.wait_idle()
    box = profile.pool_box
    asked = _answer_yes(monkeypatch)
    QTest.mouseClick(box.pool_actions.dissolve_button, LEFT)
    desk_staff.runner.wait_idle()
    assert "Dissolve Smith family?" in asked[0]
    status = profile.view.action_status
    assert status.isVisible()
    assert status.text() == "Dissolved Smith family: 3 credits (1 lot) went back to their buyers."
    assert services.pools.pool_of(MemberId(gym["bob"])) is None
    [returned] = services.credits.lots(MemberId(gym["bob"]))
    assert returned.remaining == 3


def test_saying_no_changes_nothing(profile, monkeypatch, desk_staff, gym):
    from PySide6.QtWidgets import QMessageBox

    _share_with_bob(profile, monkeypatch, desk_staff)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: QMessageBox.StandardButton.No))  # fmt: skip
    QTest.mouseClick(profile.pool_box.pool_actions.dissolve_button, LEFT)
    desk_staff.runner.wait_idle()
    assert desk_staff.services.pools.pool_of(MemberId(gym["bob"])) is not None
