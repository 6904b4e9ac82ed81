"""Every field, button, list and table a person drives has a name a screen reader can say
(docs/design.md, UI conventions): its own accessible name, its text, or its label's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTextEdit,
    QWidget,
)

from desk.services.core.ids import MemberId
from desk.services.core.read_models import LotView
from desk.ui.calendar.booking_dialog import BookingDialog
from desk.ui.calendar.calendar_view import CalendarView
from desk.ui.files.import_wizard import ImportWizard
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.adjust_credits_dialog import AdjustCreditsDialog
from desk.ui.members.bulk_expiry_dialog import BulkExpiryDialog
from desk.ui.members.lot_change_dialogs import (
    ChangeExpiryDialog,
    MergeMemberDialog,
    TransferCreditsDialog,
)
from desk.ui.members.member_dialog import MemberDialog
from desk.ui.members.member_profile import MemberProfile
from desk.ui.selling.account_entry_dialog import AccountEntryDialog
from desk.ui.selling.assign_plan_dialog import AssignPlanDialog
from desk.ui.selling.billing_run_dialog import BillingRunDialog
from desk.ui.selling.catalog_dialog import CatalogDialog
from desk.ui.selling.sell_package_dialog import SellPackageDialog
from desk.ui.settings.appointment_types_dialog import AppointmentTypesDialog
from desk.ui.settings.audit_log_dialog import AuditLogDialog
from desk.ui.settings.staff_dialog import StaffDialog
from desk.ui.settings.staff_login_dialog import StaffLoginDialog
from desk.ui.shell.context import DeskContext
from desk.ui.shell.login_dialog import LoginDialog
from desk.ui.shell.main_window import MainWindow
from desk.ui.shell.owner_setup_dialog import OwnerSetupDialog
from desk.ui.today.today_screen import TodayScreen

DRIVEN = (
    QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QAbstractItemView, QPlainTextEdit,
    QTextEdit,
)  # fmt: skip


def unnamed(root: QWidget) -> list[str]:
    """The visible driven widgets under ``root`` whose accessible name is empty."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, DRIVEN) or not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QHeaderView | QScrollBar):
            continue  # parts of a table or a scroll area, named through it
        if isinstance(widget.parent(), QAbstractSpinBox | QComboBox):
            continue  # the line edit inside a spin box or an editable combo box
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            missing.append(f"{widget.metaObject().className()}#{widget.objectName()}")
    return missing


def _catalog_plans(ctx: DeskContext) -> QWidget:
    dialog = CatalogDialog(ctx)
    dialog.tabs.setCurrentWidget(dialog.plans)
    return dialog


def _ann_lot(ctx: DeskContext, gym: dict[str, int]) -> LotView:
    return ctx.services.credits.lots(MemberId(gym["ann"]))[0]


def _profile_tab(index: int) -> Callable[[DeskContext, dict[str, int]], QWidget]:
    def build(ctx: DeskContext, gym: dict[str, int]) -> QWidget:
        profile = MemberProfile(ctx, gym["ann"])
        profile.view.tabs.setCurrentIndex(index)
        return profile

    return build


SCREENS: dict[str, Callable[[DeskContext, dict[str, int]], QWidget]] = {
    "main window": lambda ctx, gym: MainWindow(ctx, None, idle_minutes=0),
    "profile, credits": _profile_tab(0),
    "profile, appointments": _profile_tab(1),
    "profile, account": _profile_tab(2),
    "calendar": lambda ctx, gym: CalendarView(ctx),
    "today": lambda ctx, gym: TodayScreen(ctx),
    "add credits": lambda ctx, gym: AddCreditsDialog(ctx, gym["ann"], "Ann Smith"),
    "adjust credits": lambda ctx, gym: AdjustCreditsDialog(ctx, gym["ann"], "Ann Smith"),
    "member": lambda ctx, gym: MemberDialog(ctx),
    "booking": lambda ctx, gym: BookingDialog(ctx, member_id=gym["ann"], member_name="Ann Smith"),
    "sell package": lambda ctx, gym: SellPackageDialog(ctx, gym["ann"], "Ann Smith"),
    "assign plan": lambda ctx, gym: AssignPlanDialog(ctx, gym["ann"], "Ann Smith"),
    "catalog, packages": lambda ctx, gym: CatalogDialog(ctx),
    "catalog, plans": lambda ctx, gym: _catalog_plans(ctx),
    "appointment types": lambda ctx, gym: AppointmentTypesDialog(ctx),
    "staff": lambda ctx, gym: StaffDialog(ctx),
    "staff sign-in": lambda ctx, gym: StaffLoginDialog(ctx, ctx.services.staff.get(gym["coach"])),
    "owner setup": lambda ctx, gym: OwnerSetupDialog(ctx),
    "audit log": lambda ctx, gym: AuditLogDialog(ctx),
    "billing run": lambda ctx, gym: BillingRunDialog(ctx),
    "import": lambda ctx, gym: ImportWizard(ctx),
    "sign in": lambda ctx, gym: LoginDialog(ctx),
    "account entry": lambda ctx, gym: AccountEntryDialog(ctx, gym["ann"], "payment"),
    "change expiry": lambda ctx, gym: ChangeExpiryDialog(ctx, _ann_lot(ctx, gym)),
    "transfer credits": lambda ctx, gym: TransferCreditsDialog(ctx, _ann_lot(ctx, gym)),
    "merge into": lambda ctx, gym: MergeMemberDialog(ctx, gym["ann"], "Ann Smith"),
    "change expiry dates": lambda ctx, gym: BulkExpiryDialog(ctx),
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_driven_widget_has_an_accessible_name(qtbot, desk_staff, gym, screen):
    widget = SCREENS[screen](desk_staff, gym)
    qtbot.addWidget(widget)
    widget.show()
    assert unnamed(widget) == []


def test_the_check_finds_a_nameless_field(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    QLineEdit(host).setObjectName("nameless")
    host.show()
    assert unnamed(host) == ["QLineEdit#nameless"]
