"""Selling credits in the GUI: catalog, sell a package, assign a plan, billing, account."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QLineEdit

from desk.services.core.ids import MemberId
from desk.ui.members.member_profile import MemberProfile
from desk.ui.selling.account_entry_dialog import AccountEntryDialog
from desk.ui.selling.assign_plan_dialog import AssignPlanDialog
from desk.ui.selling.billing_run_dialog import BillingRunDialog
from desk.ui.selling.catalog_dialog import CatalogDialog
from desk.ui.selling.sell_package_dialog import SellPackageDialog
from tests.actors import SYSTEM


def test_catalog_dialog_creates_a_package_and_a_plan(qtbot, desk_staff, gym, qtmodeltester):
    dialog = CatalogDialog(desk_staff)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.packages
    page.start_new()
    assert not page.save_button.isEnabled()
    qtbot.keyClicks(page.name, "5 Massages")
    page.type.setCurrentIndex(page.type.findData(gym["massage"]))
    page.credits.setValue(5)
    page.price.edit.setText("$400.00")
    page.validity.setValue(0)  # no expiry
    assert page.save_button.isEnabled(), page.error.text()
    with qtbot.waitSignal(desk_staff.hub.changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
    [saved] = desk_staff.services.catalog.packages()
    assert (saved.name, saved.credits, saved.price_cents, saved.validity_days) == (
        "5 Massages",
        5,
        40_000,
        None,
    )
    plans = dialog.plans
    dialog.tabs.setCurrentWidget(plans)
    plans.start_new()
    plans.name.setText("Yearly all-in")
    plans.period.setCurrentIndex(plans.period.findData("year"))
    plans.price.edit.setText("2400")
    assert "at least one appointment type" in plans.error.text()
    plans.included[gym["pt"]].setValue(50)
    plans.unused.setCurrentIndex(plans.unused.findData("roll_over"))
    plans.cap.setValue(5)
    qtbot.mouseClick(plans.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    [plan] = desk_staff.services.catalog.plans()
    assert (plan.period, plan.price_cents, plan.unused, plan.rollover_cap) == (
        "year",
        240_000,
        "roll_over",
        5,
    )
    assert [(c.appointment_type, c.credits_per_period) for c in plan.credits] == [
        ("Personal Training", 50)
    ]
    qtmodeltester.check(page.model)
    qtmodeltester.check(plans.model)


def test_new_package_and_new_plan_start_from_the_defaults_not_the_last_selection(
    qtbot, desk_staff, gym
):
    dialog = CatalogDialog(desk_staff)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.packages
    page.start_new()
    defaults = (page.type.currentIndex(), page.credits.value(), page.validity.value())
    page.name.setText("Odd one")
    page.type.setCurrentIndex(page.type.count() - 1)
    page.credits.setValue(3)
    page.validity.setValue(30)
    page.active.setChecked(False)
    page.start_new()
    assert (page.type.currentIndex(), page.credits.value(), page.validity.value()) == defaults
    assert (page.name.text(), page.active.isChecked()) == ("", True)

    plans = dialog.plans
    plans.start_new()
    fresh = (
        plans.period.currentIndex(), plans.billing_day.value(), plans.term.value(),
        plans.unused.currentData(), plans.cap.value(),
    )  # fmt: skip
    plans.period.setCurrentIndex(plans.period.findData("year"))
    plans.billing_day.setValue(15)
    plans.term.setValue(30)
    plans.unused.setCurrentIndex(plans.unused.findData("roll_over"))
    plans.cap.setValue(4)
    plans.included[gym["pt"]].setValue(8)
    plans.active.setChecked(False)
    plans.start_new()
    assert (
        plans.period.currentIndex(), plans.billing_day.value(), plans.term.value(),
        plans.unused.currentData(), plans.cap.value(),
    ) == fresh  # fmt: skip
    assert fresh[3:] == ("expire", -1)
    assert plans.included[gym["pt"]].value() == 0
    assert plans.active.isChecked()


def test_sell_package_at_list_price_and_changed_price(qtbot, desk_staff, gym, catalog):
    _package, _ = catalog
    dialog = SellPackageDialog(desk_staff, gym["bob"], "Bob Jones")
    qtbot.addWidget(dialog)
    assert dialog.price.edit.text() == "850.00"
    assert "10 Personal Training credits, expiring 4 Mar 2027" in dialog.summary.text()
    dialog.price.edit.setText("abc")
    assert not dialog.sell_button.isEnabled()
    assert "not an amount" in dialog.price_error.text()
    dialog.price.edit.setText("800")
    assert "changed from the list price" in dialog.summary.text()
    dialog.paid.setChecked(False)
    qtbot.mouseClick(dialog.sell_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    services = desk_staff.services
    [lot] = services.credits.lots(MemberId(gym["bob"]))
    assert (lot.source.value, lot.price_cents, lot.quantity) == ("package", 80_000, 10)
    assert services.account.balance(MemberId(gym["bob"])) == -80_000


@pytest.mark.usefixtures("catalog")
def test_sell_refused_by_the_service_shows_a_message_box(qtbot, desk_staff, gym, message_boxes):
    dialog = SellPackageDialog(desk_staff, gym["bob"], "Bob Jones")
    qtbot.addWidget(dialog)
    dialog.show()
    desk_staff.services.members.archive(MemberId(gym["bob"]), actor=SYSTEM)  # at another desk
    qtbot.mouseClick(dialog.sell_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert message_boxes == ["Reactivate the member before selling to them."]
    assert dialog.isVisible()
    assert dialog.result_sale is None
    assert desk_staff.services.credits.lots(MemberId(gym["bob"])) == []


def test_assign_refused_by_the_service_says_why_under_the_dates(
    qtbot, desk_staff, gym, catalog, message_boxes
):
    _, plan = catalog
    desk_staff.services.sales.assign_plan(
        member_id=MemberId(gym["bob"]), plan_id=plan.id, starts_on=date(2026, 3, 1), actor=SYSTEM
    )
    assign = AssignPlanDialog(desk_staff, gym["bob"], "Bob Jones")
    qtbot.addWidget(assign)
    assign.show()
    assign.starts.setDate(QDate(2026, 3, 1))
    qtbot.mouseClick(assign.assign_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert "already on Monthly PT" in assign.ends_error.text()
    assert assign.isVisible()
    assert assign.result_subscription is None
    assert message_boxes == []


def test_assign_plan_bills_at_once_then_billing_run_then_account_tab(
    qtbot, desk_staff, gym, catalog
):
    _, _plan = catalog
    services = desk_staff.services
    profile = MemberProfile(desk_staff, gym["bob"])
    qtbot.addWidget(profile)
    profile.show()  # a hidden profile only marks itself stale
    credit = AccountEntryDialog(desk_staff, gym["bob"], "credit")
    qtbot.addWidget(credit)
    credit.amount.edit.setText("400")
    assert not credit.save_button.isEnabled()  # account credit needs a reason
    credit.note.setText("prepaid by bank transfer")
    qtbot.mouseClick(credit.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assign = AssignPlanDialog(desk_staff, gym["bob"], "Bob Jones")
    qtbot.addWidget(assign)
    assert "$250.00 every month on day 1" in assign.description.text()
    assign.starts.setDate(QDate(2026, 3, 1))
    qtbot.mouseClick(assign.assign_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert [s.plan_name for s in services.sales.subscriptions(MemberId(gym["bob"]))] == [
        "Monthly PT"
    ]
    run = BillingRunDialog(desk_staff)
    qtbot.addWidget(run)
    run.through.setDate(QDate(2026, 3, 4))
    # Assigning billed March at once: the run finds nothing new.
    qtbot.mouseClick(run.run_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert "Nothing new to bill" in run.outcome_label.text()
    # The profile heard about it through the hub: $400 credit paid the $250 bill.
    assert profile.view.account_balance.text().startswith("$150.00 credit on account")
    assert "Monthly PT from 1 Mar 2026" in profile.view.plans_label.text()
    kinds = [profile.account_model.row_at(i).kind for i in range(profile.account_model.rowCount())]
    assert sorted(kinds) == ["charge", "credit"]
    assert services.credits.open_credits(MemberId(gym["bob"]), gym["pt"]) == 4


def answer_input_dialog(monkeypatch, answer: str | None, asked: list[str]) -> None:
    """The next QInputDialog gets ``answer`` typed in and its OK clicked (None: Cancel)."""

    def run(box: QInputDialog) -> int:
        box.show()
        asked.append(box.labelText())
        buttons = box.findChild(QDialogButtonBox)
        if answer is None:
            button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        else:
            button = buttons.button(QDialogButtonBox.StandardButton.Ok)
            asked.append(f"OK before typing: {button.isEnabled()}")
            QTest.keyClicks(box.findChild(QLineEdit), answer)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        return box.result()

    monkeypatch.setattr(QInputDialog, "exec", run)


def test_void_sale_button_asks_why_and_voids(qtbot, desk_staff, gym, catalog, monkeypatch):
    package, _ = catalog
    services = desk_staff.services
    services.sales.sell_package(member_id=MemberId(gym["bob"]), package_id=package.id, actor=SYSTEM)
    profile = MemberProfile(desk_staff, gym["bob"])
    qtbot.addWidget(profile)
    profile.show()
    desk_staff.runner.wait_idle()  # loaded on the read worker
    lots = profile.view.lots
    assert not profile.view.void_button.isEnabled()
    QTest.mouseClick(
        lots.viewport(),
        Qt.MouseButton.LeftButton,
        pos=lots.visualRect(lots.model().index(0, 0)).center(),
    )
    assert profile.view.void_button.isEnabled()
    asked: list[str] = []
    answer_input_dialog(monkeypatch, None, asked)  # Cancel voids nothing
    QTest.mouseClick(profile.view.void_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert len(asked) == 1
    assert services.credits.open_credits(MemberId(gym["bob"]), gym["pt"]) == 10
    answer_input_dialog(monkeypatch, "bought by mistake", asked)
    QTest.mouseClick(profile.view.void_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert "Void the 10 unused Personal Training credit(s)" in asked[1]
    assert asked[2] == "OK before typing: False"  # no voiding without a reason
    assert services.credits.open_credits(MemberId(gym["bob"]), gym["pt"]) == 0
    assert profile.view.account_balance.text().startswith("$850.00 credit")
    [void] = services.audit.events(action="sales.void")
    assert "bought by mistake" in str(void.after)


def test_a_saved_package_stays_selected_beside_its_form(qtbot, desk_staff, gym):
    dialog = CatalogDialog(desk_staff)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.packages
    for name in ("Ten PT", "Five PT"):
        page.start_new()
        page.name.setText(name)
        page.price.edit.setText("100")
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
        (selected,) = page.table.selectionModel().selectedRows()
        assert page.model.row_at(selected.row()).name == name
        assert page.name.text() == name


def test_a_payment_says_how_it_was_paid(qtbot, desk_staff, gym, services):
    dialog = AccountEntryDialog(desk_staff, gym["bob"], "payment")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.method.currentText() == "Cash"  # the default
    dialog.amount.edit.setFocus()
    QTest.keyClicks(dialog.amount.edit, "25")
    dialog.method.setFocus()
    QTest.keyClick(dialog.method, Qt.Key.Key_Down)  # Card
    assert dialog.method.currentText() == "Card"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    today = services.clock.now().date()
    sales = services.reports.sales(today, today, actor=SYSTEM)
    assert sales.total.by_method.get("card") == 2_500
