"""Sell a session package (a punch card) to a member."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.clock import today
from desk.services.core.ids import MemberId
from desk.services.credits.first_use import first_use_words
from desk.services.selling.sales import SaleResult
from desk.services.selling.sales_views import PackageView
from desk.ui.members.pool_choice import PoolChoice
from desk.ui.selling.payment_method import payment_method_combo
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import submit
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import format_date, format_money
from desk.ui.widgets.money_field import MoneyField


class SellPackageDialog(QDialog):
    def __init__(
        self, ctx: DeskContext, member_id: int, member_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._member_id = member_id
        self._packages = ctx.services.catalog.packages()
        self.result_sale: SaleResult | None = None
        self.setObjectName("SellPackageDialog")
        self.setWindowTitle(f"Sell a package to {member_name}")
        self.setMinimumWidth(480)

        self.package = QComboBox(self)
        self.package.setObjectName("packageField")
        self.package.setAccessibleName("Package")
        for package in self._packages:
            self.package.addItem(
                f"{package.name}: {package.credits} {package.appointment_type} credits, "
                f"{format_money(package.price_cents)}",
                package.id,
            )
        self.price = MoneyField("priceField", "Price", self)
        self.price_error = FieldError("priceError", self)
        self.paid = QCheckBox("Paid now (record the payment)", self)
        self.paid.setObjectName("paidNowField")
        self.paid.setChecked(True)
        self.method = payment_method_combo(self)
        self.note = QLineEdit(self)
        self.note.setObjectName("noteField")
        self.summary = QLabel(self)
        self.summary.setObjectName("saleSummary")
        self.summary.setWordWrap(True)
        self.empty = QLabel("No packages for sale yet: add them in Settings > Catalog.", self)
        self.empty.setObjectName("noPackagesMessage")

        form = QFormLayout()
        form.addRow("Package", self.package)
        form.addRow("Price", self.price)
        form.addRow("", self.price_error)
        form.addRow("", self.paid)
        form.addRow("Paid by", self.method)
        form.addRow("Note", self.note)
        self.for_pool = PoolChoice(ctx, member_id, self)  # shared pools (pool_choice.py)
        form.addRow("", self.for_pool)
        buttons, self.sell_button = action_buttons(self, "Sell", "sellButton", self._save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

        self.package.currentIndexChanged.connect(self._package_changed)
        self.price.changed.connect(self._validate)
        self.paid.toggled.connect(self.method.setEnabled)
        self.empty.setVisible(not self._packages)
        self._package_changed()

    @classmethod
    def ask(
        cls, ctx: DeskContext, parent: QWidget | None, member_id: int, member_name: str
    ) -> SaleResult | None:
        dialog = cls(ctx, member_id, member_name, parent)
        dialog.exec()
        return dialog.result_sale

    def selected(self) -> PackageView | None:
        package_id = self.package.currentData()
        return next((p for p in self._packages if p.id == package_id), None)

    def _package_changed(self) -> None:
        package = self.selected()
        if package is not None:
            self.price.set_cents(package.price_cents)
        self._validate()

    def _validate(self) -> bool:
        package = self.selected()
        cents = self.price.cents()
        self.price_error.show_message(self.price.problem())
        ok = package is not None and cents is not None
        if package is not None and cents is not None:
            on = today(self._ctx.services.clock)
            until = (
                f"expiring {format_date(on + timedelta(days=package.validity_days))}"
                if package.validity_days
                else first_use_words(package.first_use_days)
                if package.first_use_days
                else "never expiring"
            )
            balance = self._ctx.services.account.balance(MemberId(self._member_id))
            from_credit = min(max(balance, 0), cents)
            note = f" {format_money(from_credit)} comes from account credit." if from_credit else ""
            changed = " (changed from the list price)" if cents != package.price_cents else ""
            self.summary.setText(
                f"{package.credits} {package.appointment_type} credits, {until}; "
                f"{format_money(cents)} charged to the account{changed}.{note}"
            )
        else:
            self.summary.clear()
        self.sell_button.setEnabled(ok)
        return ok

    def _save(self) -> None:
        package = self.selected()
        cents = self.price.cents()
        if not self._validate() or package is None or cents is None:
            return
        paid = self.paid.isChecked()
        method = str(self.method.currentData())
        note = self.note.text()
        pool_id = self.for_pool.pool_id()
        sales = self._ctx.services.sales
        submit(
            self,
            self._ctx.runner,
            lambda: sales.sell_package(
                member_id=MemberId(self._member_id),
                package_id=package.id,
                # None = the catalog price, which every seller may charge.
                price_cents=None if cents == package.price_cents else cents,
                paid=paid,
                method=method,
                note=note,
                actor=self._ctx.actor,
                pool_id=pool_id,
            ),
            button=self.sell_button,
            on_saved=self._saved,
        )

    def _saved(self, sale: SaleResult) -> None:
        self.result_sale = sale
