"""The member profile: its header and Appointment Credits tabs, filters, sorting, refreshing."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QTabWidget

from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.ui.members.credit_table_models import HistoryKind
from desk.ui.members.member_profile import MemberProfile
from desk.ui.widgets.table_model import DIMMED
from tests.actors import SYSTEM
from tests.ui.members.profile_reading import balance, history_kinds, table_texts


def test_header_and_both_tabs(profile):
    view = profile.view
    assert view.name.text() == "Ann Smith"
    assert "ann@example.com" in view.contact.text()
    assert "(555) 0142-77" in view.contact.text()
    assert view.status.text() == "Active"
    assert view.since.text().startswith("Member since")
    assert "10 open" in view.summary.text()
    tabs = profile.findChild(QTabWidget, "appointmentCredits")
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Credits", "Appointments", "Account"]
    assert tabs.widget(0).objectName() == "creditsTab"
    assert tabs.widget(1).objectName() == "appointmentsTab"
    assert balance(profile, "Personal Training") == {
        "open": 10,
        "booked": 0,
        "used": 0,
        "expired": 0,
    }
    lots = table_texts(view.lots)
    assert len(lots) == 1
    assert lots[0][:5] == ["Personal Training", "Manual", "10", "10", "$800.00"]
    assert lots[0][6] == "31 Dec 2026"
    assert lots[0][7] == "10-pack"
    assert history_kinds(profile) == ["Sold"]


def test_show_expired_toggle_greys_old_lots(profile, qtbot, ctx, gym, clock):
    ctx.services.credits.add_credits(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=AppointmentTypeId(gym["massage"]),
        quantity=2,
        expires_on=date(2026, 3, 10),
        actor=SYSTEM,
    )
    clock.current = clock.current + timedelta(days=30)  # the massage lot is now expired
    profile.reload()
    ctx.runner.wait_idle()
    assert [r[0] for r in table_texts(profile.view.lots)] == ["Personal Training"]
    toggle = profile.findChild(QCheckBox, "showExpired")
    toggle.setChecked(True)
    ctx.runner.wait_idle()
    lots = table_texts(profile.view.lots)
    assert len(lots) == 2
    model = profile.view.lots.model()
    expired_row = next(
        r for r in range(model.rowCount()) if model.index(r, 0).data() == "Sports Massage"
    )
    assert "(expired)" in model.index(expired_row, 6).data()
    assert model.index(expired_row, 0).data(Qt.ItemDataRole.ForegroundRole) == DIMMED
    assert balance(profile, "Sports Massage")["expired"] == 2


def test_history_filter_by_kind(profile, ctx, gym):
    ctx.hub.publish(
        ctx.services.credits.adjust(
            member_id=MemberId(gym["ann"]),
            appointment_type_id=AppointmentTypeId(gym["pt"]),
            delta=1,
            reason="goodwill",
            actor=SYSTEM,
        ).changes
    )
    ctx.runner.wait_idle()
    assert sorted(history_kinds(profile)) == ["Adjusted", "Sold"]
    combo = profile.view.history_filter
    combo.setCurrentIndex(combo.findData(HistoryKind.ADJUSTED.value))
    assert history_kinds(profile) == ["Adjusted"]
    assert profile.view.history_count.text() == "1 entry"
    combo.setCurrentIndex(0)
    assert len(history_kinds(profile)) == 2


def test_profile_refreshes_on_changes_made_elsewhere(profile, ctx, gym, qtbot):
    outcome = ctx.services.credits.add_credits(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=AppointmentTypeId(gym["pt"]),
        quantity=4,
        expires_on=None,
        actor=SYSTEM,
    )
    assert balance(profile, "Personal Training")["open"] == 10  # nothing announced yet
    ctx.hub.publish(outcome.changes)
    ctx.runner.wait_idle()
    assert balance(profile, "Personal Training")["open"] == 14


def test_profile_ignores_other_members_changes(profile, ctx, gym, monkeypatch):
    reloads = []
    monkeypatch.setattr(profile, "reload", lambda: reloads.append(1))
    ctx.hub.publish(
        ctx.services.members.update(MemberId(gym["bob"]), notes="x", actor=SYSTEM).changes
    )
    assert reloads == []


def test_sortable_columns(profile, ctx, gym):
    ctx.services.credits.add_credits(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=AppointmentTypeId(gym["massage"]),
        quantity=2,
        expires_on=None,
        actor=SYSTEM,
    )
    profile.reload()
    ctx.runner.wait_idle()
    view = profile.view.lots
    view.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # remaining
    assert [r[3] for r in table_texts(view)] == ["2", "10"]
    view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert [r[3] for r in table_texts(view)] == ["10", "2"]


def test_models_pass_the_model_tester(profile, qtmodeltester):
    qtmodeltester.check(profile.balance_model)
    qtmodeltester.check(profile.lot_model)
    qtmodeltester.check(profile.history_model)


def test_escape_closes_the_profile(qtbot, desk_staff, gym):
    # Not registered with qtbot: closing deletes the window (WA_DeleteOnClose).
    profile = MemberProfile(desk_staff, gym["ann"])
    profile.show()
    closed = []
    profile.closed.connect(closed.append)
    qtbot.keyClick(profile, Qt.Key.Key_Escape)
    assert closed == [profile.member_id]


def test_lots_start_newest_first(profile, ctx, gym, clock):
    for days in (3, 1, 2):
        clock.current = clock.current + timedelta(days=days)
        ctx.services.credits.add_credits(
            member_id=MemberId(gym["ann"]),
            appointment_type_id=AppointmentTypeId(gym["pt"]),
            quantity=days,
            expires_on=None,
            actor=SYSTEM,
        )
    profile.reload()
    ctx.runner.wait_idle()
    granted = [r[2] for r in table_texts(profile.view.lots)]
    assert granted == ["2", "1", "3", "10"]


def test_coming_up_lists_future_bookings(profile, ctx, gym, clock):
    assert not profile.view.coming_up.isVisibleTo(profile)
    outcome = ctx.services.booking.book(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=gym["coach"],
        starts_at=clock.current + timedelta(days=2),
        actor=SYSTEM,
    )
    ctx.hub.publish(outcome.changes)
    ctx.runner.wait_idle()
    rows = table_texts(profile.view.coming_up)
    assert len(rows) == 1
    assert rows[0][1:3] == ["Personal Training", "Kim Alvarez"]
    assert profile.view.coming_up.isVisibleTo(profile)
    assert "(1)" in profile.view.coming_up_caption.text()
