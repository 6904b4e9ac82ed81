"""Settings > Catalog: the session packages and plans the gym sells."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from desk.ui.selling.catalog_packages_page import PackagesPage
from desk.ui.selling.catalog_plans_page import PlansPage
from desk.ui.shell.context import DeskContext


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
