"""Catalog > Plans: credits of one or more appointment types every period, billed each time."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QSpinBox, QWidget

from desk.services.selling.sales_views import PlanView
from desk.ui.selling.assign_plan_dialog import describe_plan
from desk.ui.selling.catalog_page import CatalogPage, CatalogPageSpec
from desk.ui.shell.operations import Write
from desk.ui.widgets.money_field import MoneyField
from desk.ui.widgets.tab_chain import tab_chain
from desk.ui.widgets.table_model import Column, RowTableModel

PERIOD_CHOICES = (
    ("month", "Monthly"),
    ("week", "Weekly"),
    ("year", "Yearly"),
    ("once", "One payment, fixed term"),
)


DEFAULT_TERM_DAYS = 90


class PlanModel(RowTableModel[PlanView]):
    columns = (
        Column[PlanView]("Plan", lambda p: p.name),
        Column[PlanView]("Terms", describe_plan),
        Column[PlanView]("Active", lambda p: "Yes" if p.active else "No"),
    )

    def is_dimmed(self, row: PlanView) -> bool:
        return not row.active


class PlansPage(CatalogPage[PlanView]):
    SPEC = CatalogPageSpec(
        table_name="planTable",
        table_title="Plans",
        name_field_name="planNameField",
        active="Offered",
        active_name="planActiveField",
        error_name="planError",
        new_button="New plan",
        new_button_name="newPlanButton",
        save_button="Save plan",
        save_button_name="savePlanButton",
        name_missing="Give the plan a name.",
    )

    def _new_model(self) -> PlanModel:
        return PlanModel(self)

    def _build_fields(self) -> list[tuple[str, QWidget]]:
        self.period = QComboBox(self)
        self.period.setObjectName("planPeriodField")
        for value, text in PERIOD_CHOICES:
            self.period.addItem(text, value)
        self.billing_day = QSpinBox(self)
        self.billing_day.setObjectName("planBillingDayField")
        self.billing_day.setRange(1, 31)
        self.billing_day.setPrefix("day ")
        self.term = QSpinBox(self)
        self.term.setObjectName("planTermField")
        self.term.setRange(1, 3650)
        self.term.setValue(DEFAULT_TERM_DAYS)
        self.term.setSuffix(" days")
        self.price = MoneyField("planPriceField", "Plan price", self)
        self.unused = QComboBox(self)
        self.unused.setObjectName("planUnusedField")
        self.unused.addItem("Expire at the end of each period", "expire")
        self.unused.addItem("Roll over to the next period", "roll_over")
        self.cap = QSpinBox(self)
        self.cap.setObjectName("planRolloverCapField")
        self.cap.setRange(-1, 1000)
        self.cap.setSpecialValueText("no cap")
        self.cap.setPrefix("at most ")
        self.cap.setValue(-1)
        self.included: dict[int, QSpinBox] = {}
        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, kind in enumerate(self._types):
            spin = QSpinBox(grid_host)
            spin.setObjectName(f"planCredits{kind.id}")
            spin.setRange(0, 1000)
            spin.setSpecialValueText("—")
            spin.setAccessibleName(f"{kind.name} credits per period")
            grid.addWidget(QLabel(kind.name, grid_host), row, 0)
            grid.addWidget(spin, row, 1)
            self.included[kind.id] = spin
        # The credits grid reads before the unused-credit rule it was created after.
        tab_chain(self.price.edit, *self.included.values(), self.unused, self.cap)
        return [
            ("Billing", self.period),
            ("Bills on", self.billing_day),
            ("Term", self.term),
            ("Price", self.price),
            ("Credits per period", grid_host),
            ("Unused credits", self.unused),
            ("Roll-over cap", self.cap),
        ]

    def _connect_fields(self) -> None:
        # The period and the unused-credit rule also decide which rows are shown.
        self.period.currentIndexChanged.connect(self._validate)
        self.unused.currentIndexChanged.connect(self._validate)
        for spin in self.included.values():
            spin.valueChanged.connect(self._validate)

    def _load(self) -> list[PlanView]:
        return self._ctx.services.catalog.plans(include_inactive=True)

    def _clear_fields(self) -> None:
        # A new plan starts from the defaults, not from the plan selected before.
        self.period.setCurrentIndex(0)
        self.billing_day.setValue(1)
        self.term.setValue(DEFAULT_TERM_DAYS)
        self.unused.setCurrentIndex(self.unused.findData("expire"))
        self.cap.setValue(-1)
        self.active.setChecked(True)
        for spin in self.included.values():
            spin.setValue(0)

    def _show_fields(self, item: PlanView) -> None:
        self.period.setCurrentIndex(self.period.findData(item.period))
        self.billing_day.setValue(item.billing_day or 1)
        self.term.setValue(item.term_days or DEFAULT_TERM_DAYS)
        self.price.set_cents(item.price_cents)
        self.unused.setCurrentIndex(self.unused.findData(item.unused))
        self.cap.setValue(item.rollover_cap if item.rollover_cap is not None else -1)
        counts = {c.appointment_type_id: c.credits_per_period for c in item.credits}
        for type_id, spin in self.included.items():
            spin.setValue(counts.get(type_id, 0))

    def _credits(self) -> list[tuple[int, int]]:
        return [(type_id, spin.value()) for type_id, spin in self.included.items() if spin.value()]

    def _validate(self) -> bool:
        # Every change that shows or hides a row already revalidates the form.
        period = self.period.currentData()
        self._form.setRowVisible(self.billing_day, period == "month")
        self._form.setRowVisible(self.term, period == "once")
        self._form.setRowVisible(self.cap, self.unused.currentData() == "roll_over")
        return super()._validate()

    def _fields_problem(self) -> str:
        if not self._credits():
            return "Include credits of at least one appointment type."
        return ""

    def _write(self, price_cents: int) -> Write[PlanView]:
        roll = self.unused.currentData() == "roll_over"
        values: dict[str, Any] = {
            "plan_id": self._editing,
            "name": self.name.text(),
            "period": str(self.period.currentData()),
            "price_cents": price_cents,
            "credits": self._credits(),
            "billing_day": self.billing_day.value(),
            "term_days": self.term.value(),
            "unused": str(self.unused.currentData()),
            "rollover_cap": self.cap.value() if roll and self.cap.value() >= 0 else None,
            "active": self.active.isChecked(),
        }
        catalog = self._ctx.services.catalog
        return Write(lambda: catalog.save_plan(**values, actor=self._ctx.actor))
