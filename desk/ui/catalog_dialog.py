"""Settings > Catalog: the session packages and plans the gym sells."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.services.errors import DeskError, ValidationError
from desk.services.read_models import AppointmentTypeView
from desk.services.sales_views import PackageView, PlanView
from desk.ui.assign_plan_dialog import describe_plan
from desk.ui.context import DeskContext
from desk.ui.field_error import FieldError
from desk.ui.formatting import format_money
from desk.ui.messages import show_error
from desk.ui.money_field import MoneyField
from desk.ui.table_model import Column, RowRole, RowTableModel

PERIOD_CHOICES = (
    ("month", "Monthly"),
    ("week", "Weekly"),
    ("year", "Yearly"),
    ("once", "One payment, fixed term"),
)


class PackageModel(RowTableModel[PackageView]):
    columns = (
        Column[PackageView]("Package", lambda p: p.name),
        Column[PackageView]("Type", lambda p: p.appointment_type),
        Column[PackageView]("Credits", lambda p: str(p.credits), lambda p: p.credits, numeric=True),
        Column[PackageView](
            "Price", lambda p: format_money(p.price_cents), lambda p: p.price_cents, numeric=True
        ),
        Column[PackageView](
            "Valid for", lambda p: f"{p.validity_days} days" if p.validity_days else "No expiry"
        ),
        Column[PackageView]("Active", lambda p: "Yes" if p.active else "No"),
    )

    def is_dimmed(self, row: PackageView) -> bool:
        return not row.active


class PlanModel(RowTableModel[PlanView]):
    columns = (
        Column[PlanView]("Plan", lambda p: p.name),
        Column[PlanView]("Terms", describe_plan),
        Column[PlanView]("Active", lambda p: "Yes" if p.active else "No"),
    )

    def is_dimmed(self, row: PlanView) -> bool:
        return not row.active


def _table(name: str, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class PackagesPage(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._editing: int | None = None
        self._types: list[AppointmentTypeView] = ctx.services.appointment_types.list()
        self.model = PackageModel(self)
        self.table = _table("packageTable", self)
        self.table.setModel(self.model)
        self.name = QLineEdit(self)
        self.name.setObjectName("packageNameField")
        self.type = QComboBox(self)
        self.type.setObjectName("packageTypeField")
        for kind in self._types:
            self.type.addItem(kind.name, kind.id)
        self.credits = QSpinBox(self)
        self.credits.setObjectName("packageCreditsField")
        self.credits.setRange(1, 1000)
        self.credits.setValue(10)
        self.price = MoneyField("packagePriceField", "Package price", self)
        self.validity = QSpinBox(self)
        self.validity.setObjectName("packageValidityField")
        self.validity.setRange(0, 3650)
        self.validity.setSpecialValueText("No expiry")
        self.validity.setSuffix(" days")
        self.validity.setValue(365)
        self.active = QCheckBox("For sale", self)
        self.active.setObjectName("packageActiveField")
        self.active.setChecked(True)
        self.error = FieldError("packageError", self)
        self.new_button = QPushButton("New package", self)
        self.new_button.setObjectName("newPackageButton")
        self.save_button = QPushButton("Save package", self)
        self.save_button.setObjectName("savePackageButton")
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Appointment type", self.type)
        form.addRow("Credits", self.credits)
        form.addRow("Price", self.price)
        form.addRow("Valid for", self.validity)
        form.addRow("", self.active)
        form.addRow("", self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(form, 2)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.name.textChanged.connect(self._validate)
        self.price.changed.connect(self._validate)
        self.reload()
        self._validate()

    def reload(self) -> None:
        self.model.set_rows(self._ctx.services.catalog.packages(include_inactive=True))

    def start_new(self) -> None:
        self.table.clearSelection()
        self._editing = None
        self.name.clear()
        self.price.set_cents(0)
        self.active.setChecked(True)
        self.name.setFocus()

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        package = rows[0].data(RowRole) if rows else None
        if not isinstance(package, PackageView):
            return
        self._editing = package.id
        self.name.setText(package.name)
        self.type.setCurrentIndex(self.type.findData(package.appointment_type_id))
        self.credits.setValue(package.credits)
        self.price.set_cents(package.price_cents)
        self.validity.setValue(package.validity_days or 0)
        self.active.setChecked(package.active)

    def _validate(self) -> bool:
        problem = self.price.problem()
        if not self.name.text().strip():
            problem = "Give the package a name."
        elif self.type.currentData() is None:
            problem = "Create an appointment type first (Settings > Appointment types)."
        self.error.show_message(problem)
        self.save_button.setEnabled(not problem)
        return not problem

    def save(self) -> None:
        cents = self.price.cents()
        if not self._validate() or cents is None:
            return
        try:
            outcome = self._ctx.services.catalog.save_package(
                package_id=self._editing,
                name=self.name.text(),
                appointment_type_id=int(self.type.currentData()),
                credits=self.credits.value(),
                price_cents=cents,
                validity_days=self.validity.value() or None,
                active=self.active.isChecked(),
                by=self._ctx.staff_id,
            )
        except ValidationError as exc:
            self.error.show_message(exc.message)
            return
        except DeskError as exc:
            show_error(self, exc)
            return
        self._editing = outcome.value.id
        self._ctx.hub.publish(outcome.changes)
        self.reload()


class PlansPage(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._editing: int | None = None
        self._types = ctx.services.appointment_types.list()
        self.model = PlanModel(self)
        self.table = _table("planTable", self)
        self.table.setModel(self.model)
        self.name = QLineEdit(self)
        self.name.setObjectName("planNameField")
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
        self.term.setValue(90)
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
            grid.addWidget(QLabel(kind.name, grid_host), row, 0)
            grid.addWidget(spin, row, 1)
            self.included[kind.id] = spin
        self.active = QCheckBox("Offered", self)
        self.active.setObjectName("planActiveField")
        self.active.setChecked(True)
        self.error = FieldError("planError", self)
        self.new_button = QPushButton("New plan", self)
        self.new_button.setObjectName("newPlanButton")
        self.save_button = QPushButton("Save plan", self)
        self.save_button.setObjectName("savePlanButton")
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Billing", self.period)
        form.addRow("Bills on", self.billing_day)
        form.addRow("Term", self.term)
        form.addRow("Price", self.price)
        form.addRow("Credits per period", grid_host)
        form.addRow("Unused credits", self.unused)
        form.addRow("Roll-over cap", self.cap)
        form.addRow("", self.active)
        form.addRow("", self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self._form = form
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(form, 2)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        for signal in (
            self.name.textChanged, self.period.currentIndexChanged, self.unused.currentIndexChanged,
            self.price.changed,
        ):  # fmt: skip
            signal.connect(self._validate)
        for spin in self.included.values():
            spin.valueChanged.connect(self._validate)
        self.reload()
        self._validate()

    def reload(self) -> None:
        self.model.set_rows(self._ctx.services.catalog.plans(include_inactive=True))

    def start_new(self) -> None:
        self.table.clearSelection()
        self._editing = None
        self.name.clear()
        self.price.set_cents(0)
        for spin in self.included.values():
            spin.setValue(0)
        self.name.setFocus()

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        plan = rows[0].data(RowRole) if rows else None
        if not isinstance(plan, PlanView):
            return
        self._editing = plan.id
        self.name.setText(plan.name)
        self.period.setCurrentIndex(self.period.findData(plan.period))
        self.billing_day.setValue(plan.billing_day or 1)
        self.term.setValue(plan.term_days or 90)
        self.price.set_cents(plan.price_cents)
        self.unused.setCurrentIndex(self.unused.findData(plan.unused))
        self.cap.setValue(plan.rollover_cap if plan.rollover_cap is not None else -1)
        counts = {c.appointment_type_id: c.credits_per_period for c in plan.credits}
        for type_id, spin in self.included.items():
            spin.setValue(counts.get(type_id, 0))
        self.active.setChecked(plan.active)

    def _credits(self) -> list[tuple[int, int]]:
        return [(type_id, spin.value()) for type_id, spin in self.included.items() if spin.value()]

    def _validate(self) -> bool:
        period = self.period.currentData()
        self._form.setRowVisible(self.billing_day, period == "month")
        self._form.setRowVisible(self.term, period == "once")
        self._form.setRowVisible(self.cap, self.unused.currentData() == "roll_over")
        problem = self.price.problem()
        if not self.name.text().strip():
            problem = "Give the plan a name."
        elif not self._credits():
            problem = "Include credits of at least one appointment type."
        self.error.show_message(problem)
        self.save_button.setEnabled(not problem)
        return not problem

    def save(self) -> None:
        cents = self.price.cents()
        if not self._validate() or cents is None:
            return
        roll = self.unused.currentData() == "roll_over"
        try:
            outcome = self._ctx.services.catalog.save_plan(
                plan_id=self._editing,
                name=self.name.text(),
                period=str(self.period.currentData()),
                price_cents=cents,
                credits=self._credits(),
                billing_day=self.billing_day.value(),
                term_days=self.term.value(),
                unused=str(self.unused.currentData()),
                rollover_cap=self.cap.value() if roll and self.cap.value() >= 0 else None,
                active=self.active.isChecked(),
                by=self._ctx.staff_id,
            )
        except ValidationError as exc:
            self.error.show_message(exc.message)
            return
        except DeskError as exc:
            show_error(self, exc)
            return
        self._editing = outcome.value.id
        self._ctx.hub.publish(outcome.changes)
        self.reload()


class CatalogDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CatalogDialog")
        self.setWindowTitle("Catalog: packages and plans")
        self.resize(1000, 560)
        self.tabs = QTabWidget(self)
        self.packages = PackagesPage(ctx, self.tabs)
        self.plans = PlansPage(ctx, self.tabs)
        self.tabs.addTab(self.packages, "Session packages")
        self.tabs.addTab(self.plans, "Plans")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None) -> None:
        cls(ctx, parent).exec()
