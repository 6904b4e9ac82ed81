"""Catalog > Session packages: a number of credits of one appointment type, sold at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QSpinBox, QWidget

from desk.services.selling.sales_views import PackageView
from desk.ui.selling.catalog_page import CatalogPage, CatalogPageSpec
from desk.ui.shell.operations import Write
from desk.ui.widgets.formatting import format_money
from desk.ui.widgets.money_field import MoneyField
from desk.ui.widgets.table_model import Column, RowTableModel

DEFAULT_CREDITS = 10
DEFAULT_VALIDITY_DAYS = 365


def validity_words(package: PackageView) -> str:
    """ "365 days", "30 days from first use" or "No expiry"."""
    if package.first_use_days:
        return f"{package.first_use_days} days from first use"
    return f"{package.validity_days} days" if package.validity_days else "No expiry"


class PackageModel(RowTableModel[PackageView]):
    columns = (
        Column[PackageView]("Package", lambda p: p.name),
        Column[PackageView]("Type", lambda p: p.appointment_type),
        Column[PackageView]("Credits", lambda p: str(p.credits), lambda p: p.credits, numeric=True),
        Column[PackageView](
            "Price", lambda p: format_money(p.price_cents), lambda p: p.price_cents, numeric=True
        ),
        Column[PackageView]("Valid for", lambda p: validity_words(p)),
        Column[PackageView]("Active", lambda p: "Yes" if p.active else "No"),
    )

    def is_dimmed(self, row: PackageView) -> bool:
        return not row.active


class PackagesPage(CatalogPage[PackageView]):
    SPEC = CatalogPageSpec(
        table_name="packageTable",
        table_title="Session packages",
        name_field_name="packageNameField",
        active="For sale",
        active_name="packageActiveField",
        error_name="packageError",
        new_button="New package",
        new_button_name="newPackageButton",
        save_button="Save package",
        save_button_name="savePackageButton",
        name_missing="Give the package a name.",
    )

    def _new_model(self) -> PackageModel:
        return PackageModel(self)

    def _build_fields(self) -> list[tuple[str, QWidget]]:
        self.type = QComboBox(self)
        self.type.setObjectName("packageTypeField")
        for kind in self._types:
            self.type.addItem(kind.name, kind.id)
        self.credits = QSpinBox(self)
        self.credits.setObjectName("packageCreditsField")
        self.credits.setRange(1, 1000)
        self.credits.setValue(DEFAULT_CREDITS)
        self.price = MoneyField("packagePriceField", "Package price", self)
        self.validity = QSpinBox(self)
        self.validity.setObjectName("packageValidityField")
        self.validity.setAccessibleName("Valid for (days)")
        self.validity.setRange(0, 3650)
        self.validity.setSpecialValueText("No expiry")
        self.validity.setSuffix(" days")
        self.validity.setValue(DEFAULT_VALIDITY_DAYS)
        # Counted from the first session a credit pays for instead of from the sale.
        self.first_use = QCheckBox("from first use", self)
        self.first_use.setObjectName("packageFirstUseField")
        self.first_use.setAccessibleName("Valid from first use")
        self.validity.valueChanged.connect(lambda days: self.first_use.setEnabled(days > 0))
        valid_for = QWidget(self)
        row = QHBoxLayout(valid_for)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.validity, 1)
        row.addWidget(self.first_use)
        return [
            ("Appointment type", self.type),
            ("Credits", self.credits),
            ("Price", self.price),
            ("Valid for", valid_for),
        ]

    def _load(self) -> list[PackageView]:
        return self._ctx.services.catalog.packages(include_inactive=True)

    def _clear_fields(self) -> None:
        # A new package starts from the same defaults as the first one did, not from
        # whatever package was selected before "New package".
        self.type.setCurrentIndex(0)
        self.credits.setValue(DEFAULT_CREDITS)
        self.validity.setValue(DEFAULT_VALIDITY_DAYS)
        self.first_use.setChecked(False)
        self.active.setChecked(True)

    def _show_fields(self, item: PackageView) -> None:
        self.type.setCurrentIndex(self.type.findData(item.appointment_type_id))
        self.credits.setValue(item.credits)
        self.price.set_cents(item.price_cents)
        self.validity.setValue(item.validity_days or item.first_use_days or 0)
        self.first_use.setChecked(item.first_use_days is not None)

    def _fields_problem(self) -> str:
        if self.type.currentData() is None:
            return "Create an appointment type first (Settings > Appointment types)."
        return ""

    def _write(self, price_cents: int) -> Write[PackageView]:
        from_first_use = self.first_use.isChecked() and self.validity.value() > 0
        values: dict[str, Any] = {
            "package_id": self._editing,
            "name": self.name.text(),
            "appointment_type_id": int(self.type.currentData()),
            "credits": self.credits.value(),
            "price_cents": price_cents,
            "validity_days": None if from_first_use else self.validity.value() or None,
            "first_use_days": self.validity.value() if from_first_use else None,
            "active": self.active.isChecked(),
        }
        catalog = self._ctx.services.catalog
        return Write(lambda: catalog.save_package(**values, actor=self._ctx.actor))
