"""The import wizard's Types page: each service or pricing-option name of the file
goes to a Desk appointment type (or becomes one), with the rows and credits it carries."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desk.services.core.errors import DeskError
from desk.services.importing.file_types import FileType
from desk.ui.files.import_wizard_state import ImportState
from desk.ui.shell.context import DeskContext

CHOOSE = "choose"
CREATE = "create"


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


class TypesPage(QWizardPage):
    """Complete once every name has a Desk type, existing or to be created."""

    def __init__(self, ctx: DeskContext, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._state = state
        self.types: list[FileType] = []
        self.combos: list[QComboBox] = []
        self.setTitle("Match the appointment types")
        self.setSubTitle(
            "Each service or pricing option in the file goes to one of Desk's appointment "
            "types, or becomes a new one. Desk remembers your choices for the next file "
            "from the same system."
        )
        self.system = QLabel(self)
        self.system.setObjectName("typesSystem")
        self.error = QLabel(self)
        self.error.setObjectName("typesError")
        self.error.setStyleSheet("color: #b42318;")
        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        layout = QVBoxLayout(self)
        layout.addWidget(self.system)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        assert self._state.path is not None
        self.error.clear()
        try:
            looked = self._ctx.services.imports.file_types(
                self._state.path,
                self._state.options(dry_run=True),
                appointments=self._state.kind == "appointments",
            )
        except DeskError as exc:
            self.error.setText(exc.message)
            looked = None
        self.types = looked.types if looked else []
        if looked is not None:
            self.system.setText(f"From: {looked.source_system}")
        self._fill(looked.desk_types if looked else [])
        self.completeChanged.emit()

    def _fill(self, desk_types: list[str]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.combos = []
        titles = ("In the file", "Rows", "Credits", "Desk appointment type")
        for col, title in enumerate(titles):
            self.grid.addWidget(QLabel(f"<b>{title}</b>", self.grid_host), 0, col)
        for row, kind in enumerate(self.types, start=1):
            combo = QComboBox(self.grid_host)
            combo.setObjectName(f"typeFor{row - 1}")
            combo.setAccessibleName(f"Desk appointment type for {kind.name}")
            combo.addItem("Choose…", CHOOSE)
            for name in desk_types:
                combo.addItem(name, name)
            combo.addItem(f"Create “{kind.name}” as a new type", CREATE)
            chosen = self._state.type_map.get(kind.name) or kind.desk_type
            if chosen and combo.findData(chosen) >= 0:
                combo.setCurrentIndex(combo.findData(chosen))
            elif self._state.create_types:
                combo.setCurrentIndex(combo.findData(CREATE))
            combo.currentIndexChanged.connect(self.completeChanged)
            self.grid.addWidget(QLabel(kind.name, self.grid_host), row, 0)
            self.grid.addWidget(QLabel(f"{kind.rows:,}", self.grid_host), row, 1)
            self.grid.addWidget(QLabel(f"{kind.credits:,}", self.grid_host), row, 2)
            self.grid.addWidget(combo, row, 3)
            self.combos.append(combo)
        self.grid.setRowStretch(len(self.types) + 1, 1)

    def isComplete(self) -> bool:
        return all(c.currentData() != CHOOSE for c in self.combos)

    def validatePage(self) -> bool:
        mapping: dict[str, str] = {}
        create = False
        for kind, combo in zip(self.types, self.combos, strict=True):
            chosen = str(combo.currentData())
            if chosen == CREATE:
                create = True  # the name itself becomes the type
            elif not _same(chosen, kind.name):
                mapping[kind.name] = chosen
        self._state.type_map = mapping
        self._state.create_types = self._state.create_types or create
        return True
