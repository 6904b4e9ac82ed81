"""A member's profile: who they are, their credits, and everything that happened."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desk.services.core.changes import Changes
from desk.services.core.clock import today
from desk.services.core.errors import DeskError, NotFound
from desk.services.core.ids import MemberId
from desk.services.core.read_models import HistoryKind, LotView, MemberStatus, MemberView
from desk.services.selling.sales_views import SubscriptionView
from desk.ui.calendar.unpaid_words import owing_words
from desk.ui.members.archive_member import toggle_archived
from desk.ui.members.credit_table_models import (
    AccountModel,
    BalanceModel,
    HistoryFilter,
    HistoryModel,
    LotModel,
    UpcomingModel,
)
from desk.ui.members.fee_waive import FeeWaive
from desk.ui.members.history_forgive import HistoryForgive
from desk.ui.members.hold_header import HoldHeader
from desk.ui.members.lot_change_dialogs import (
    ChangeExpiryDialog,
    MergeMemberDialog,
    TransferCreditsDialog,
)
from desk.ui.members.member_dialog import MemberDialog
from desk.ui.members.member_profile_view import MemberProfileView
from desk.ui.members.paying_order_words import paying_order_words
from desk.ui.members.pool_box import PoolBox
from desk.ui.members.profile_actions import ProfileActions
from desk.ui.members.profile_data import ProfileData, fetch_profile
from desk.ui.members.void_reason import ask_void_reason
from desk.ui.reports.statement_action import statement_menu
from desk.ui.selling.end_plan_dialog import open_plans
from desk.ui.shell.context import DeskContext
from desk.ui.shell.credit_undo_offer import CreditUndoOffer
from desk.ui.shell.messages import show_error, show_failure
from desk.ui.today.appointment_actions import AppointmentActions, RowActions
from desk.ui.widgets.formatting import format_date, format_money, label
from desk.ui.widgets.table_model import RowRole, SortRole


class MemberProfile(ProfileActions, QWidget):
    """One window per member (the main window reuses it if already open).

    It reloads itself whenever the change hub reports that this member or their
    credits changed, whoever made the change.
    """

    closed = Signal(int)
    loaded = Signal()
    """The profile shows what it fetched (after each reload, once applied)."""

    def __init__(self, ctx: DeskContext, member_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._ctx = ctx
        self.member_id = member_id
        self.member: MemberView | None = None
        self._open_plans: list[SubscriptionView] = []
        self._stale = False
        self.reloads = 0
        """How many times the profile loaded itself (tests count the reloads)."""
        self.setObjectName("MemberProfile")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1000, 720)

        self.view = MemberProfileView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.view)

        tz = ctx.services.clock.tz
        self.balance_model = BalanceModel(self)
        self.lot_model = LotModel(tz, self, lambda: today(ctx.services.clock))
        self.history_model = HistoryModel(tz, self)
        self.upcoming_model = UpcomingModel(tz, self)
        self.account_model = AccountModel(tz, self)
        self.history_proxy = HistoryFilter(self)
        self.history_proxy.setSortRole(SortRole)
        self.history_proxy.setSourceModel(self.history_model)
        v = self.view
        v.balance_proxy.setSourceModel(self.balance_model)
        v.lot_proxy.setSourceModel(self.lot_model)
        v.balances.setModel(v.balance_proxy)
        v.lots.setModel(v.lot_proxy)
        v.history.setModel(self.history_proxy)
        self.history_forgive = HistoryForgive(ctx, self, v.history, v.forgive_button,
            v.history_status, lambda: self.member.full_name if self.member else "")  # fmt: skip
        self.history_forgive.connect_selection()
        v.coming_up.setModel(self.upcoming_model)
        # The Today page's actions on the selected Coming up row: C / N / X, right-click.
        self.coming_up_actions = AppointmentActions(ctx, self)
        self.coming_up_actions.done.connect(v.coming_up_status.setText)
        self.coming_up_rows = RowActions(ctx, v.coming_up, self.coming_up_actions)
        v.account_table.setModel(self.account_model)
        self.fee_waive = FeeWaive(ctx, self, v.account_table, v.waive_fee_button)
        # The services already hand rows over in the order people want (types by
        # name, lots and history newest first), so nothing is sorted until someone
        # clicks a header: sorting 2,500 history rows through Python cost ~0.3 s.
        for table in (v.balances, v.lots, v.history):
            table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            table.setSortingEnabled(True)

        v.add_credits_button.clicked.connect(self.add_credits)
        v.adjust_credits_button.clicked.connect(self.adjust_credits)
        v.edit_button.clicked.connect(self.edit_member)
        v.book_button.clicked.connect(lambda: self.book_session())
        v.sell_package_button.clicked.connect(self.sell_package)
        v.assign_plan_button.clicked.connect(self.assign_plan)
        v.end_plan_button.clicked.connect(self.end_plan)
        # clicked(bool) would fill the reason: ask for it instead.
        v.void_button.clicked.connect(lambda: self.void_selected_lot())
        v.expiry_button.clicked.connect(lambda: self._on_lot(ChangeExpiryDialog.ask))
        v.transfer_button.clicked.connect(lambda: self._on_lot(TransferCreditsDialog.ask))
        v.merge_button.clicked.connect(
            lambda: MergeMemberDialog.ask(
                ctx, self, member_id, self.member.full_name if self.member else ""
            )
        )
        v.record_payment_button.clicked.connect(lambda: self._account_entry("payment"))
        v.add_account_credit_button.clicked.connect(lambda: self._account_entry("credit"))
        v.lots.selectionModel().selectionChanged.connect(self._update_void_button)
        v.archive_button.clicked.connect(self.toggle_archived)
        v.statement_button.setMenu(statement_menu(self, self._ctx, lambda: self.member_id))
        v.show_expired.toggled.connect(self._reload_lots)
        v.history_filter.currentIndexChanged.connect(self._filter_history)
        self.hold_header = HoldHeader(ctx, member_id, "", v)  # On hold …, Place hold…
        v.hold_slot.addWidget(self.hold_header)
        self.undo = CreditUndoOffer(ctx, self, member_id, v.action_status, v.undo_link)
        ctx.hub.changed.connect(self._on_changes)
        self.pool_box = PoolBox(ctx, member_id, self)  # shared pools, apart from own credits
        self.pool_box.place_in(v)
        self.pool_box.pool_actions.report = self.undo.report  # said on the status line

        self.reload()

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch everything on the runner's read worker; ``loaded`` fires once it is
        shown (a newer reload's result replaces an older one still on its way)."""
        self._stale = False
        self.reloads += 1
        services = self._ctx.services
        member_id = MemberId(self.member_id)
        include_expired = self.view.show_expired.isChecked()
        self._ctx.runner.read(
            (self, "profile"),
            lambda: fetch_profile(services, member_id, include_expired=include_expired),
            self._apply,
            origin=self,
            on_failed=self._load_failed,
        )

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, NotFound):
            self.close()
        else:
            show_failure(self, exc)

    def _apply(self, data: ProfileData) -> None:
        member = self.member = data.member
        services = self._ctx.services
        v = self.view
        self.setWindowTitle(f"{member.full_name} — Desk")
        v.name.setText(member.full_name)
        self.hold_header.name = member.full_name
        self.pool_box.member_name = member.full_name
        archived = member.status == MemberStatus.ARCHIVED
        v.status.setText(label(member.status.value))
        v.status.setStyleSheet(
            "padding: 2px 8px; border-radius: 8px; "
            + (
                "background: #e4e7ec; color: #475467;"
                if archived
                else "background: #dcfae6; color: #067647;"
            )
        )
        contact = "   ·   ".join(x for x in (member.email, member.phone) if x)
        v.contact.setText(contact or "No email or phone on file")
        extra = f"   ·   External id {member.external_id}" if member.external_id else ""
        joined = member.created_at.astimezone(services.clock.tz).date()
        v.since.setText(f"Member since {format_date(joined)}   ·   #{member.id}{extra}")
        v.notes.setText(member.notes)
        v.notes.setVisible(bool(member.notes))
        v.archive_button.setText("Reactivate" if archived else "Archive")

        balances = data.balances
        self.balance_model.set_rows(balances)
        totals = [
            sum(getattr(b, f) for b in balances) for f in ("open", "booked", "used", "expired")
        ]
        v.summary.setText(
            (
                f"<b>{totals[0]} open</b>   ·   {totals[1]} booked   ·   {totals[2]} used   ·   "
                f"{totals[3]} expired"
                if balances
                else "No appointment credits yet"
            )
            + owing_words(len(data.owing))
        )
        self._apply_lots(data.lots)
        v.paying_order.setText(paying_order_words(data.paying_order))
        upcoming = data.upcoming
        self.upcoming_model.set_rows(upcoming)
        v.coming_up_caption.setText(
            f"<b>Coming up</b>  ({len(upcoming)})"
            if upcoming
            else "<b>Coming up</b>  (nothing booked)"
        )
        v.show_coming_up(bool(upcoming))
        v.book_button.setEnabled(not archived)
        self.history_model.set_rows(data.history)
        self._apply_account(data)
        for button in (v.sell_package_button, v.assign_plan_button):
            button.setEnabled(not archived)
        self._update_history_count()
        v.fit_columns()
        self.loaded.emit()

    def _apply_account(self, data: ProfileData) -> None:
        balance = data.account_balance
        if balance > 0:
            text = f"{format_money(balance)} credit on account (pays the next charges first)"
        elif balance < 0:
            text = f"{format_money(-balance)} owed"
        else:
            text = "Account settled: nothing owed, no credit"
        self.view.account_balance.setText(text)
        self.account_model.set_rows(data.account_entries)
        plans = data.plans
        self._open_plans = open_plans(plans, today(self._ctx.services.clock))
        self.view.end_plan_button.setEnabled(bool(self._open_plans))
        self.view.plans_label.setText(
            "Plans: "
            + "; ".join(
                f"{s.plan_name} from {format_date(s.starts_on)}"
                + (f" to {format_date(s.ends_on)}" if s.ends_on else "")
                for s in plans
            )
            if plans
            else "No plans."
        )

    def _update_void_button(self) -> None:
        lot = self._selected_lot()
        open_lot = lot is not None and lot.remaining > 0 and not lot.is_expired
        self.view.void_button.setEnabled(lot is not None and lot.remaining > 0)
        self.view.expiry_button.setEnabled(open_lot)
        self.view.transfer_button.setEnabled(open_lot)

    def _on_lot(self, ask: Callable[[DeskContext, QWidget, LotView], None]) -> None:
        lot = self._selected_lot()
        if lot is not None:
            ask(self._ctx, self, lot)

    def _selected_lot(self) -> LotView | None:
        rows = self.view.lots.selectionModel().selectedRows()
        lot = rows[0].data(RowRole) if rows else None
        return lot if isinstance(lot, LotView) else None

    def _reload_lots(self) -> None:
        credits = self._ctx.services.credits
        member_id = MemberId(self.member_id)
        include_expired = self.view.show_expired.isChecked()
        self._ctx.runner.read(
            (self, "lots"),
            lambda: credits.lots(member_id, include_expired=include_expired),
            self._apply_lots,
            origin=self,
        )

    def _apply_lots(self, lots: list[LotView]) -> None:
        # A reload (a change, "Show expired") keeps the selected lot selected.
        chosen = self._selected_lot()
        self.lot_model.set_rows(lots)
        if chosen is not None:
            proxy = self.view.lot_proxy
            for row in range(proxy.rowCount()):
                lot = proxy.index(row, 0).data(RowRole)
                if isinstance(lot, LotView) and lot.id == chosen.id:
                    self.view.lots.selectRow(row)
                    break
        if lots:
            hint = f"{len(lots)} lot{'s' if len(lots) != 1 else ''}"
        elif self.view.show_expired.isChecked():
            hint = "none yet: Add credits to grant some"
        else:
            hint = "none with open credits"
        self.view.lots_hint.setText(f"  {hint}")
        self._update_void_button()

    def _filter_history(self) -> None:
        value = self.view.history_filter.currentData()
        self.history_proxy.set_kind(HistoryKind(value) if value else None)
        self._update_history_count()

    def _update_history_count(self) -> None:
        shown = self.history_proxy.rowCount()
        self.view.history_count.setText(f"{shown} entr{'ies' if shown != 1 else 'y'}")

    def _on_changes(self, changes: Changes, _origin: object = None) -> None:
        """Reload for a change to this member (whoever made it: the profile's own
        writes reload here too, once); while hidden, only note that it is stale."""
        if not (changes.touches_member(self.member_id) or changes.catalog):
            return
        self.undo.member_changed()
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    # --- actions ----------------------------------------------------------------------------

    def void_selected_lot(self, reason: str | None = None) -> None:
        """Void the selected lot's unused credits; asks for the reason unless given."""
        lot = self._selected_lot()
        if lot is None:
            return
        if reason is None:
            reason = ask_void_reason(self, lot)
            if reason is None:
                return
        sales = self._ctx.services.sales
        self.view.void_button.setEnabled(False)
        self._ctx.runner.run(
            lambda: sales.void_lot(lot.id, reason=reason, actor=self._ctx.actor),
            origin=self,
            on_refused=self._refused,
        )

    def edit_member(self) -> None:
        if self.member is not None:
            MemberDialog.ask(self._ctx, self, self.member)

    def toggle_archived(self) -> None:
        if self.member is not None:
            toggle_archived(self._ctx, self, self.member, self._refused)

    def _refused(self, exc: DeskError) -> None:
        show_error(self, exc)
        self._update_void_button()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc closes the profile, as it closes dialogs.
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ctx.hub.changed.disconnect(self._on_changes)
        self.pool_box.disconnect_hub()
        self.closed.emit(self.member_id)
        super().closeEvent(event)
