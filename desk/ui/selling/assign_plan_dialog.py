"""Put a member on a plan: recurring credits and charges from a start date."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.clock import today
from desk.services.core.ids import MemberId
from desk.services.selling.sales_views import PlanView, SubscriptionView
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import format_money
from desk.ui.widgets.qdate import to_date

PERIOD_WORDS = {"week": "every week", "month": "every month", "year": "every year"}


def describe_plan(plan: PlanView) -> str:
    included = ", ".join(f"{c.credits_per_period} {c.appointment_type}" for c in plan.credits)
    if plan.period == "once":
        when = f"once for {plan.term_days} days"
    else:
        when = PERIOD_WORDS[plan.period]
        if plan.period == "month" and plan.billing_day:
            when += f" on day {plan.billing_day}"
    unused = (
        "unused credits expire at period end"
        if plan.unused == "expire"
        else "unused credits roll over"
        + (f" (at most {plan.rollover_cap})" if plan.rollover_cap is not None else "")
    )
    return f"{format_money(plan.price_cents)} {when}; includes {included}; {unused}."


class AssignPlanDialog(QDialog):
    def __init__(
        self, ctx: DeskContext, member_id: int, member_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._member_id = member_id
        self._plans = ctx.services.catalog.plans()
        self.result_subscription: SubscriptionView | None = None
        self.setObjectName("AssignPlanDialog")
        self.setWindowTitle(f"Assign a plan to {member_name}")
        self.setMinimumWidth(500)
        on = today(ctx.services.clock)
        self.plan = QComboBox(self)
        self.plan.setObjectName("planField")
        self.plan.setAccessibleName("Plan")
        for plan in self._plans:
            self.plan.addItem(plan.name, plan.id)
        self.description = QLabel(self)
        self.description.setObjectName("planDescription")
        self.description.setWordWrap(True)
        self.starts = DateField("startsOnField", "Starts on", on, self)
        self.has_end = QCheckBox("Ends on", self)
        self.has_end.setObjectName("hasEndField")
        # Its label is the checkbox beside it.
        self.ends = DateField("endsOnField", "Plan ends on", on.replace(year=on.year + 1), self)
        self.ends_error = FieldError("endsError", self)
        self.empty = QLabel("No plans yet: add them in Settings > Catalog.", self)
        self.empty.setVisible(not self._plans)
        end_row = QHBoxLayout()
        end_row.addWidget(self.has_end)
        end_row.addWidget(self.ends, 1)
        form = QFormLayout()
        form.addRow("Plan", self.plan)
        form.addRow("", self.description)
        form.addRow("Starts on", self.starts)
        form.addRow("", end_row)
        form.addRow("", self.ends_error)
        form.addRow(
            "",
            QLabel(
                "Periods that have started are billed at once (credits and charge); "
                "later ones by the daily billing run.",
                self,
            ),
        )
        buttons, self.assign_button = action_buttons(self, "Assign", "assignButton", self._save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addLayout(form)
        layout.addWidget(buttons)
        for signal in (
            self.plan.currentIndexChanged, self.starts.dateChanged, self.ends.dateChanged,
            self.has_end.toggled,
        ):  # fmt: skip
            signal.connect(self._validate)
        self._validate()

    @classmethod
    def ask(
        cls, ctx: DeskContext, parent: QWidget | None, member_id: int, member_name: str
    ) -> SubscriptionView | None:
        dialog = cls(ctx, member_id, member_name, parent)
        dialog.exec()
        return dialog.result_subscription

    def _selected(self) -> PlanView | None:
        return next((p for p in self._plans if p.id == self.plan.currentData()), None)

    def _validate(self) -> bool:
        plan = self._selected()
        self.description.setText(describe_plan(plan) if plan else "")
        self.ends.setEnabled(self.has_end.isChecked())
        ok = plan is not None
        if self.has_end.isChecked() and self.ends.date() <= self.starts.date():
            self.ends_error.show_message("The end must be after the start.")
            ok = False
        else:
            self.ends_error.clear_message()
        self.assign_button.setEnabled(ok)
        return ok

    def _save(self) -> None:
        plan = self._selected()
        if not self._validate() or plan is None:
            return
        starts_on = to_date(self.starts.date())
        ends_on = to_date(self.ends.date()) if self.has_end.isChecked() else None
        sales = self._ctx.services.sales
        submit(
            self,
            self._ctx.runner,
            lambda: sales.assign_plan(
                member_id=MemberId(self._member_id),
                plan_id=plan.id,
                starts_on=starts_on,
                ends_on=ends_on,
                actor=self._ctx.actor,
            ),
            ErrorFields(otherwise=self.ends_error),
            button=self.assign_button,
            on_saved=self._saved,
        )

    def _saved(self, subscription: SubscriptionView) -> None:
        self.result_subscription = subscription
