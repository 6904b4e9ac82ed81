"""Layout of the member profile window: header, actions, Appointment Credits tabs."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.read_models import HistoryKind
from desk.ui.calendar.forgive import FORGIVE_TIP
from desk.ui.widgets.table_model import SortRole
from desk.ui.widgets.undo_link import undo_link

COMING_UP_ROWS = 5  # whole rows the Coming up table shows before it scrolls
WIDEST_COLUMN = 180
"""px: a long type, staff name or date is cut short ("…") past this; the last column
(notes, details) takes whatever width is left, so no table scrolls sideways."""


def _table(name: str, accessible: str, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    return view


def _sorted_proxy(parent: QWidget) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSortRole(SortRole)
    return proxy


def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("…", ""))
    return button


class MemberProfileView(QWidget):
    """Builds the widgets; MemberProfile owns what they do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Header
        self.name = QLabel(self)
        self.name.setObjectName("memberName")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.name.setFont(font)
        self.status = QLabel(self)
        self.status.setObjectName("memberStatus")
        self.contact = QLabel(self)
        self.contact.setObjectName("memberContact")
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.since = QLabel(self)
        self.since.setObjectName("memberSince")
        self.since.setStyleSheet("color: #5b6170;")
        self.summary = QLabel(self)
        self.summary.setObjectName("balanceSummary")
        summary_font = self.summary.font()
        summary_font.setPointSizeF(summary_font.pointSizeF() * 1.15)
        self.summary.setFont(summary_font)
        self.notes = QLabel(self)
        self.notes.setObjectName("memberNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #5b6170; font-style: italic;")

        self.edit_button = _button("Edit member…", "editMemberButton", self)
        self.archive_button = _button("Archive", "archiveMemberButton", self)
        self.statement_button = _button("Statement…", "statementButton", self)
        self.add_credits_button = _button("Add credits…", "addCreditsButton", self)
        self.adjust_credits_button = _button("Adjust credits…", "adjustCreditsButton", self)
        self.sell_package_button = _button("Sell package…", "sellPackageButton", self)
        self.assign_plan_button = _button("Assign plan…", "assignPlanButton", self)
        self.void_button = _button("Void sale…", "voidLotButton", self)
        self.expiry_button = _button("Change expiry…", "changeExpiryButton", self)
        self.transfer_button = _button("Transfer credits…", "transferCreditsButton", self)
        self.merge_button = _button("Merge into…", "mergeMemberButton", self)
        self.add_credits_button.setDefault(True)

        name_row = QHBoxLayout()
        name_row.addWidget(self.name)
        name_row.addWidget(self.status)
        # The hold pill and Place hold… (hold_header.HoldHeader) share the name's line:
        # a row of their own cost the Credits tab the height of its third type.
        self.hold_slot = QHBoxLayout()
        name_row.addLayout(self.hold_slot, 1)
        name_row.addWidget(self.edit_button)
        name_row.addWidget(self.archive_button)
        name_row.addWidget(self.merge_button)
        name_row.addWidget(self.statement_button)
        header = QVBoxLayout()
        header.addLayout(name_row)
        header.addWidget(self.contact)
        header.addWidget(self.since)
        header.addWidget(self.notes)
        summary_row = self.summary_row = QHBoxLayout()  # pool_box puts Share credits… here
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.sell_package_button)
        summary_row.addWidget(self.assign_plan_button)
        summary_row.addWidget(self.add_credits_button)
        summary_row.addWidget(self.adjust_credits_button)
        header.addLayout(summary_row)
        # What the last action did ("Added 5 ... credits"); one line high even while
        # empty, so a message never moves the rest of the profile.
        self.action_status = QLabel(self)
        self.action_status.setObjectName("profileActionStatus")
        self.action_status.setStyleSheet("color: #067647;")
        self.action_status.setFixedHeight(self.action_status.fontMetrics().height() + 4)
        self.undo_link = undo_link(self, "profileUndoLink", "Undo the last credit action",
                                   "Take back the last credit action (Ctrl+Z)")  # fmt: skip
        status_row = QHBoxLayout()
        status_row.addWidget(self.action_status)
        status_row.addWidget(self.undo_link)
        status_row.addStretch(1)
        header.addLayout(status_row)

        # Appointment Credits: Credits tab
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("appointmentCredits")
        self.tabs.setAccessibleName("Appointment credits")
        self.credits_tab = QWidget(self.tabs)
        self.credits_tab.setObjectName("creditsTab")
        self.balances = _table("balanceTable", "Credits per appointment type", self.credits_tab)
        self.balance_proxy = _sorted_proxy(self)
        self.show_expired = QCheckBox("Show expired and used-up lots", self.credits_tab)
        self.show_expired.setObjectName("showExpired")
        self.show_expired.setAccessibleName("Show expired and used-up lots")
        self.lots = _table("lotTable", "Credit lots", self.credits_tab)
        self.lot_proxy = _sorted_proxy(self)
        lots_caption = QLabel("<b>Lots</b>", self.credits_tab)
        self.lots_hint = QLabel(self.credits_tab)
        self.lots_hint.setObjectName("lotsHint")
        self.lots_hint.setStyleSheet("color: #5b6170;")
        credits_layout = QVBoxLayout(self.credits_tab)
        # Which lots pay next, in words, beside the balances (it takes no height from them).
        self.paying_order = QLabel(self.credits_tab)
        self.paying_order.setObjectName("payingOrder")
        self.paying_order.setWordWrap(True)
        self.paying_order.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # In a frameless scroll area: the wrapped text scrolls beside the balances and
        # never makes their row taller (a bare QLabel's height-for-width would).
        paying_area = QScrollArea(self.credits_tab)
        paying_area.setWidget(self.paying_order)
        paying_area.setWidgetResizable(True)
        paying_area.setFrameShape(QFrame.Shape.NoFrame)
        paying_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        balances_row = QHBoxLayout()
        balances_row.addWidget(self.balances, 3)
        balances_row.addWidget(paying_area, 2)
        credits_layout.addLayout(balances_row, 2)
        lots_row = QHBoxLayout()
        lots_row.addWidget(lots_caption)
        lots_row.addWidget(self.lots_hint)
        lots_row.addStretch(1)
        lots_row.addWidget(self.expiry_button)
        lots_row.addWidget(self.transfer_button)
        lots_row.addWidget(self.void_button)
        lots_row.addWidget(self.show_expired)
        credits_layout.addLayout(lots_row)
        credits_layout.addWidget(self.lots, 3)

        # Appointment Credits: Appointments tab (the history)
        self.appointments_tab = QWidget(self.tabs)
        self.appointments_tab.setObjectName("appointmentsTab")
        self.history_filter = QComboBox(self.appointments_tab)
        self.history_filter.setObjectName("historyFilter")
        self.history_filter.setAccessibleName("Show history of kind")
        self.history_filter.addItem("Everything", None)
        for kind in HistoryKind:
            self.history_filter.addItem(kind.label, kind.value)
        self.history = _table("historyTable", "History", self.appointments_tab)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Show", self.appointments_tab))
        filter_row.addWidget(self.history_filter)
        filter_row.addStretch(1)
        self.history_count = QLabel(self.appointments_tab)
        self.history_count.setObjectName("historyCount")
        filter_row.addWidget(self.history_count)
        self.forgive_button = _button("Forgive…", "forgiveButton", self.appointments_tab)
        self.forgive_button.setToolTip(FORGIVE_TIP)
        filter_row.addWidget(self.forgive_button)
        self.history_status = QLabel(self.appointments_tab)
        self.history_status.setObjectName("historyStatus")
        history_layout = QVBoxLayout(self.appointments_tab)
        history_layout.addLayout(filter_row)
        history_layout.addWidget(self.history, 1)
        history_layout.addWidget(self.history_status)

        # Account: the member's money (charges, payments, account credit).
        self.account_tab = QWidget(self.tabs)
        self.account_tab.setObjectName("accountTab")
        self.account_balance = QLabel(self.account_tab)
        self.account_balance.setObjectName("accountBalance")
        balance_font = self.account_balance.font()
        balance_font.setPointSizeF(balance_font.pointSizeF() * 1.2)
        balance_font.setBold(True)
        self.account_balance.setFont(balance_font)
        self.record_payment_button = _button("Record payment…", "recordPaymentButton", self)
        self.add_account_credit_button = _button(
            "Add account credit…", "addAccountCreditButton", self
        )
        self.plans_label = QLabel(self.account_tab)
        self.plans_label.setObjectName("planList")
        self.plans_label.setWordWrap(True)
        self.end_plan_button = _button("End plan…", "endPlanProfileButton", self.account_tab)
        self.end_plan_button.setToolTip("End a plan: billing stops; its credits and bookings")
        self.account_table = _table("accountTable", "Account entries", self.account_tab)
        account_row = QHBoxLayout()
        account_row.addWidget(self.account_balance, 1)
        account_row.addWidget(self.record_payment_button)
        account_row.addWidget(self.add_account_credit_button)
        self.waive_fee_button = _button("Waive fee…", "waiveFeeButton", self.account_tab)
        self.waive_fee_button.setToolTip("Waive the selected late-cancel or no-show fee")
        account_row.addWidget(self.waive_fee_button)
        account_layout = QVBoxLayout(self.account_tab)
        account_layout.addLayout(account_row)
        plans_row = QHBoxLayout()
        plans_row.addWidget(self.plans_label, 1)
        plans_row.addWidget(self.end_plan_button)
        account_layout.addLayout(plans_row)
        account_layout.addWidget(self.account_table, 1)

        self.tabs.addTab(self.credits_tab, "Credits")
        self.tabs.addTab(self.appointments_tab, "Appointments")
        self.tabs.addTab(self.account_tab, "Account")
        credits_box = QGroupBox("Appointment Credits", self)
        box_layout = QVBoxLayout(credits_box)
        box_layout.addWidget(self.tabs)

        # Coming up: the member's next sessions (their app's "Coming up" list).
        # The table and its "Nothing booked" placeholder share a stack of one fixed
        # height (header + COMING_UP_ROWS rows), so booking the first session or
        # cancelling the last one does not move the rest of the profile.
        self.coming_up_stack = QStackedWidget(self)
        self.coming_up_stack.setObjectName("comingUpStack")
        self.coming_up = _table("comingUpList", "Coming up", self.coming_up_stack)
        self.coming_up_empty = QLabel("Nothing booked", self.coming_up_stack)
        self.coming_up_empty.setObjectName("comingUpEmpty")
        self.coming_up_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.coming_up_empty.setStyleSheet("color: #5b6170;")
        self.coming_up_stack.addWidget(self.coming_up)
        self.coming_up_stack.addWidget(self.coming_up_empty)
        self.coming_up.setToolTip("C: check in   N: no-show   X: cancel   (or right-click a row)")
        self.coming_up_status = QLabel(self)
        self.coming_up_status.setObjectName("comingUpStatus")
        self.book_button = _button("Book a session…", "bookSessionButton", self)
        self.coming_up_caption = QLabel("<b>Coming up</b>", self)
        coming_box = QVBoxLayout()
        coming_row = QHBoxLayout()
        coming_row.addWidget(self.coming_up_caption)
        coming_row.addWidget(self.coming_up_status, 1)
        coming_row.addWidget(self.book_button)
        coming_box.addLayout(coming_row)
        coming_box.addWidget(self.coming_up_stack)
        self.fit_coming_up_height()

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(coming_box)
        layout.addWidget(credits_box, 1)

    def show_coming_up(self, anything: bool) -> None:
        """The table when something is booked, else the placeholder (same height)."""
        self.coming_up_stack.setCurrentWidget(self.coming_up if anything else self.coming_up_empty)

    def fit_coming_up_height(self) -> None:
        """Room for the header and COMING_UP_ROWS whole rows, from the row height."""
        view = self.coming_up
        height = (
            view.horizontalHeader().sizeHint().height()
            + COMING_UP_ROWS * view.verticalHeader().defaultSectionSize()
            + 2 * view.frameWidth()
        )
        self.coming_up_stack.setFixedHeight(height)

    def fit_columns(self) -> None:
        """Size every table's columns to what they show now (call after loading rows).

        Sized once per load, then left to the user: a ResizeToContents header measures
        again on every layout pass, and opening a profile with 500 lots asked the
        models for ~15,000 cells that way. Only the first rows are measured.
        """
        for view in (self.lots, self.history, self.coming_up, self.account_table):
            header = view.horizontalHeader()
            header.setResizeContentsPrecision(40)
            header.setStretchLastSection(False)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            view.resizeColumnsToContents()
            last = header.count() - 1
            for column in range(last):
                header.resizeSection(column, min(header.sectionSize(column), WIDEST_COLUMN))
            # The notes column fills the rest, however long its text: cut short, in full
            # in its tooltip.
            header.setSectionResizeMode(last, QHeaderView.ResizeMode.Stretch)
        # Counts sit in narrow columns; the type name takes the rest of the row.
        balance_header = self.balances.horizontalHeader()
        balance_header.setStretchLastSection(False)
        balance_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.balances.model().columnCount()):
            balance_header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            balance_header.resizeSection(column, 90)
        self.fit_coming_up_height()
