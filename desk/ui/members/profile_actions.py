"""The profile's buttons that open a dialog for the member: add or adjust credits,
book, sell a package, assign or end a plan, record a payment or account credit.

A mixin of MemberProfile (which owns the attributes named below), kept apart so
the profile's own file holds loading and showing."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desk.services.core.read_models import MemberView, PaidBooking
from desk.services.selling.sales_views import SubscriptionView
from desk.ui.calendar.booking_dialog import BookingDialog
from desk.ui.calendar.unpaid_words import paid_sentence
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.adjust_credits_dialog import AdjustCreditsDialog
from desk.ui.members.member_profile_view import MemberProfileView
from desk.ui.selling.account_entry_dialog import AccountEntryDialog
from desk.ui.selling.assign_plan_dialog import AssignPlanDialog
from desk.ui.selling.end_plan_dialog import EndPlanDialog
from desk.ui.selling.sell_package_dialog import SellPackageDialog
from desk.ui.shell.context import DeskContext
from desk.ui.shell.credit_undo_offer import CreditUndoOffer
from desk.ui.widgets.table_model import RowRole


class ProfileActions(QWidget):
    _ctx: DeskContext
    member_id: int
    member: MemberView | None
    view: MemberProfileView
    undo: CreditUndoOffer
    _open_plans: list[SubscriptionView]

    def add_credits(self) -> None:
        name = self.member.full_name if self.member else ""
        AddCreditsDialog.ask(self._ctx, self, self.member_id, name, report=self.undo.report)

    def adjust_credits(self) -> None:
        name = self.member.full_name if self.member else ""
        selected = self.view.balances.selectionModel().selectedRows()
        row = selected[0].data(RowRole) if selected else None
        type_id = getattr(row, "appointment_type_id", None)
        AdjustCreditsDialog.ask(self._ctx, self, self.member_id, name, type_id)

    def book_session(self) -> None:
        name = self.member.full_name if self.member else ""
        BookingDialog.ask(self._ctx, self, member_id=self.member_id, member_name=name)

    def sell_package(self) -> None:
        name = self.member.full_name if self.member else ""
        sale = SellPackageDialog.ask(self._ctx, self, self.member_id, name)
        if sale is not None:
            self._say_paid(sale.lot.paid_unpaid)

    def assign_plan(self) -> None:
        name = self.member.full_name if self.member else ""
        subscription = AssignPlanDialog.ask(self._ctx, self, self.member_id, name)
        if subscription is not None:
            self._say_paid(subscription.paid_unpaid)

    def _say_paid(self, paid: tuple[PaidBooking, ...]) -> None:
        """Book now, pay later: which unpaid bookings a grant's credits paid."""
        if paid:
            self.view.action_status.setText(paid_sentence(paid, self._ctx.services.clock.tz))

    def end_plan(self) -> None:
        name = self.member.full_name if self.member else ""
        EndPlanDialog.ask(self._ctx, self, self._open_plans, name)

    def _account_entry(self, kind: str) -> None:
        AccountEntryDialog.ask(self._ctx, self, self.member_id, kind)
