"""Billing > Run billing: grant plan credits and charge accounts up to a date."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.clock import today
from desk.services.core.errors import DeskError
from desk.services.selling.sales_views import BillingReport
from desk.ui.calendar.unpaid_words import with_paid
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error, show_failure
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.formatting import format_money


class BillingRunDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.report: BillingReport | None = None
        self.setObjectName("BillingRunDialog")
        self.setWindowTitle("Run billing")
        self.setMinimumWidth(440)
        on = today(ctx.services.clock)
        self.through = DateField("throughField", "Bill through", on, self)
        self.outcome_label = QLabel(
            "Bills every plan period that starts on or before this date, once: running it "
            "again never bills twice.",
            self,
        )
        self.outcome_label.setObjectName("billingResult")
        self.outcome_label.setWordWrap(True)
        self.run_button = QPushButton("Run billing", self)
        self.run_button.setObjectName("runBillingButton")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Bill through", self.through)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.outcome_label)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None) -> None:
        cls(ctx, parent).exec()

    def run(self) -> None:
        through = self.through.day()
        sales = self._ctx.services.sales
        self.run_button.setEnabled(False)
        self._ctx.runner.run(
            lambda: sales.run_billing(through=through, actor=self._ctx.actor),
            origin=self,
            on_done=self._billed,
            on_refused=self._refused,
            on_failed=self._failed,
        )

    def _refused(self, exc: DeskError) -> None:
        self.run_button.setEnabled(True)
        show_error(self, exc)

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        show_failure(self, exc)

    def _billed(self, report: BillingReport) -> None:
        self.run_button.setEnabled(True)
        self.report = report
        if report.periods_billed:
            self.outcome_label.setText(
                with_paid(
                    f"Billed {report.periods_billed} period(s) for {len(report.members)} "
                    f"member(s): {report.lots_granted} credit lot(s) granted, "
                    f"{format_money(report.charged_cents)} charged.",
                    report.paid_unpaid,
                    self._ctx.services.clock.tz,
                )
            )
        else:
            self.outcome_label.setText(
                "Nothing new to bill: every period up to that date is billed."
            )
