"""The main window: search as you type, keyboard navigation, profiles, menus."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView
from sqlalchemy import text

from desk.ui.members.member_profile import MemberProfile
from desk.ui.shell.main_window import MainWindow
from tests.actors import SYSTEM, as_staff


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, ctx, gym, settings) -> MainWindow:
    win = MainWindow(ctx, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def search_bar(win: MainWindow) -> QLineEdit:
    edit = win.findChild(QLineEdit, "memberSearch")
    assert edit is not None
    return edit


def results(win: MainWindow) -> QTableView:
    view = win.findChild(QTableView, "memberResults")
    assert view is not None
    return view


def shown_names(win: MainWindow) -> list[str]:
    model = results(win).model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_the_day_starts_on_today_and_ctrl_k_goes_to_the_search_bar(window, qtbot):
    assert window.objectName() == "MainWindow"
    assert window.pages.currentWidget() is window.today
    qtbot.waitUntil(lambda: window.today.view.table.hasFocus())
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.members_page
    qtbot.waitUntil(lambda: search_bar(window).hasFocus())


def test_typing_shows_matching_members_with_open_credits(window, qtbot):
    qtbot.keyClicks(search_bar(window), "smi")
    qtbot.waitUntil(lambda: shown_names(window) == ["Ann Smith"])
    model = results(window).model()
    assert model.index(0, 1).data() == "ann@example.com"
    assert model.index(0, 4).data() == "10"


def test_phone_digits_search(window, qtbot):
    qtbot.keyClicks(search_bar(window), "555-0142")
    qtbot.waitUntil(lambda: shown_names(window) == ["Ann Smith"])


def test_first_keystroke_searches_at_once(window):
    # Leading-edge throttle: no timer has to fire before the first result.
    search_bar(window).setText("b")
    assert shown_names(window) == ["Bob Jones"]


def test_burst_of_keystrokes_ends_on_the_last_text(window, qtbot):
    bar = search_bar(window)
    for typed in ("z", "zo", "zoë", "zoë m"):
        bar.setText(typed)
    qtbot.waitUntil(lambda: shown_names(window) == ["Zoë Müller"])


def test_no_match_says_so(window, qtbot):
    qtbot.keyClicks(search_bar(window), "nobody-here")
    caption = window.search_panel.caption
    qtbot.waitUntil(lambda: "No member matches" in caption.text())
    assert shown_names(window) == []


def test_arrow_keys_and_enter_open_the_selected_profile(window, qtbot):
    bar = search_bar(window)
    qtbot.keyClicks(bar, "example.com")
    qtbot.waitUntil(lambda: len(shown_names(window)) == 2)
    qtbot.keyClick(bar, Qt.Key.Key_Down)
    selected = window.search_panel.selected_member()
    assert selected is not None
    assert selected.full_name == shown_names(window)[1]
    qtbot.keyClick(bar, Qt.Key.Key_Up)
    assert window.search_panel.selected_member().full_name == shown_names(window)[0]
    qtbot.keyClick(bar, Qt.Key.Key_Down)
    qtbot.keyClick(bar, Qt.Key.Key_Return)
    assert selected.id in window.profiles
    profile = window.profiles[selected.id]
    assert profile.isVisible()
    window._ctx.runner.wait_idle()  # the profile loads on the read worker
    assert profile.view.name.text() == selected.full_name


def test_double_click_opens_profile_and_reuses_the_window(window, qtbot, gym):
    qtbot.keyClicks(search_bar(window), "jones")
    qtbot.waitUntil(lambda: shown_names(window) == ["Bob Jones"])
    view = results(window)
    rect = view.visualRect(view.model().index(0, 0))
    # A real double click is a press/release followed by the double-click event.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert list(window.profiles) == [gym["bob"]]
    first = window.profiles[gym["bob"]]
    again = window.open_profile(gym["bob"])
    assert again is first
    assert len(window.findChildren(MemberProfile)) == 1


def test_empty_search_lists_recently_opened_members(window, qtbot, gym, settings, ctx):
    window.open_profile(gym["zoe"])
    window.open_profile(gym["bob"])
    bar = search_bar(window)
    bar.setText("ann")
    bar.clear()
    qtbot.waitUntil(lambda: shown_names(window) == ["Bob Jones", "Zoë Müller"])
    assert window.search_panel.caption.text() == "Recently opened"
    # Remembered for the next start of the app.
    other = MainWindow(ctx, settings)
    qtbot.addWidget(other)
    assert [other.search_panel.model.row_at(i).id for i in range(2)] == [gym["bob"], gym["zoe"]]


def test_ctrl_k_and_ctrl_f_return_to_search(window, qtbot):
    results(window).setFocus()
    qtbot.waitUntil(lambda: not search_bar(window).hasFocus())
    for key in (Qt.Key.Key_K, Qt.Key.Key_F):
        results(window).setFocus()
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: search_bar(window).hasFocus())


def test_status_bar_names_the_database(window, ctx):
    assert ctx.services.db.describe() in window.database_label.text()
    assert window.member_count.text() == "3 members"


def test_menus_hold_the_front_desk_actions(window):
    texts = {a.text() for menu in window.menuBar().actions() for a in menu.menu().actions()}
    assert {"New member…", "Add credits…", "Appointment types…", "Staff…", "Quit"} <= texts


def test_new_member_refreshes_search_and_count(window, qtbot, ctx, monkeypatch):
    search_bar(window).setText("dana")
    assert shown_names(window) == []
    ctx.hub.publish(
        ctx.services.members.create(first_name="Dana", last_name="Scully", actor=SYSTEM).changes
    )
    qtbot.waitUntil(lambda: shown_names(window) == ["Dana Scully"])
    assert window.member_count.text() == "4 members"


def test_signed_in_staff_is_shown_and_recorded_on_changes(window, ctx, gym):
    window.set_signed_in(ctx.services.staff.get(gym["desk"]))
    assert ctx.staff_id == gym["desk"]
    assert window.signed_in.text().strip() == "Signed in: Robin Ames (admin)"
    outcome = ctx.services.members.create(
        first_name="Fox", last_name="Mulder", actor=as_staff(ctx.staff_id)
    )
    event = ctx.services.audit.events(member_id=outcome.value.id)[0]
    assert event.actor == "Robin Ames"


def test_results_model_passes_the_model_tester(window, qtbot, qtmodeltester):
    search_bar(window).setText("example")
    qtmodeltester.check(window.search_panel.model)


def test_quit_closes_profiles_too(window, gym):
    profile = window.open_profile(gym["ann"])
    assert profile.isVisible()
    window.quit_action.trigger()
    QApplication.processEvents()
    assert not window.isVisible()
    assert window.profiles == {}


def test_startup_checks_report_a_corrupted_ledger(window, qtbot, ctx, gym):
    window.run_startup_checks()
    qtbot.waitUntil(lambda: window.last_check_problems is not None, timeout=5000)
    assert window.last_check_problems == []
    assert not window.ledger_warning.isVisible()
    with ctx.services.db.write() as session:
        session.execute(text("UPDATE credit_lots SET remaining = remaining + 2"))
    window.run_startup_checks()
    qtbot.waitUntil(lambda: window.last_check_problems is not None, timeout=5000)
    assert len(window.last_check_problems) == 1
    assert window.ledger_warning.isVisible()
    assert "1 problem" in window.ledger_warning.text()


def test_book_action_opens_booking_for_the_selected_member(window, qtbot, monkeypatch, gym):
    from desk.ui.calendar.booking_dialog import BookingDialog

    seen = {}

    def fake_ask(ctx, parent, **kwargs):
        seen.update(kwargs)

    monkeypatch.setattr(BookingDialog, "ask", staticmethod(fake_ask))
    search_bar(window).setText("bob")
    window.book_action.trigger()
    assert seen["member_id"] == gym["bob"]
    assert seen["staff_id"] is None
    assert seen["starts_at"] is None


def test_calendar_is_a_page_of_the_main_window(window, qtbot, monkeypatch, gym):
    from datetime import UTC, datetime

    from desk.ui.calendar.booking_dialog import BookingDialog

    seen = {}
    monkeypatch.setattr(
        BookingDialog, "ask", staticmethod(lambda ctx, parent, **kw: seen.update(kw))
    )
    window.show_calendar()
    assert window.pages.currentWidget() is window.calendar
    assert window.calendar.objectName() == "CalendarView"
    when = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)
    window.calendar.booking_requested.emit(gym["coach"], when)
    assert seen == {"staff_id": gym["coach"], "starts_at": when}
    window.calendar.profile_requested.emit(gym["ann"])
    assert gym["ann"] in window.profiles
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.members_page


def test_the_start_up_bills_the_plan_periods_due_today(window, qtbot, ctx, gym, clock):
    """A plan assigned to start in the future: the first start on its day bills it
    in the background (and the next start bills nothing twice)."""
    from datetime import timedelta

    from desk.services.core.clock import today
    from desk.services.core.ids import MemberId

    plan = ctx.services.catalog.save_plan(
        name="Weekly PT", period="week", price_cents=5_000, credits=[(gym["pt"], 1)],
        actor=SYSTEM,
    ).value  # fmt: skip
    ann = MemberId(gym["ann"])
    ctx.services.sales.assign_plan(member_id=ann, plan_id=plan.id,
        starts_on=today(ctx.services.clock) + timedelta(days=1), actor=SYSTEM)  # fmt: skip
    assert ctx.services.account.balance(ann) == 0
    clock.current += timedelta(days=1)
    for _ in range(2):
        window.last_check_problems = None
        window.run_startup_checks()
        qtbot.waitUntil(lambda: window.last_check_problems is not None, timeout=5000)
        assert ctx.services.account.balance(ann) == -5_000
