"""The import wizard's first pages: which file, then which column holds what."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desk.services.core.errors import DeskError
from desk.services.importing.inspect import FIELD_LABELS, FileLook, fields_for, look_at
from desk.ui.files.import_wizard_state import ImportState

IGNORE_LABEL = "(don't import)"
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1")
DELIMITERS = ((",", "Comma"), (";", "Semicolon"), ("\t", "Tab"))


class FilePage(QWizardPage):
    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setTitle("Which file?")
        self.setSubTitle("A CSV export from your previous system or a spreadsheet.")
        self.members = QRadioButton("Members (names, emails, phones)", self)
        self.members.setObjectName("importMembers")
        self.credits = QRadioButton("Outstanding credits (member, type, how many, expiry)", self)
        self.credits.setObjectName("importCredits")
        self.credits.setChecked(True)
        self.appointments = QRadioButton(
            "Booked sessions to come (member, type, coach, start; each holds a credit)", self
        )
        self.appointments.setObjectName("importAppointments")
        self.file = QLineEdit(self)
        self.file.setObjectName("fileField")
        self.file.setAccessibleName("File to import")
        self.file.setPlaceholderText("Choose a .csv file")
        browse = QPushButton("Browse…", self)
        browse.setObjectName("browseButton")
        browse.clicked.connect(self._browse)
        self.error = QLabel(self)
        self.error.setObjectName("fileError")
        self.error.setStyleSheet("color: #b42318;")
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.credits)
        layout.addWidget(self.members)
        layout.addWidget(self.appointments)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.file.textChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import file", "", "CSV files (*.csv *.txt);;All files (*)"
        )
        if name:
            self.file.setText(name)

    def isComplete(self) -> bool:
        return Path(self.file.text().strip()).is_file()

    def validatePage(self) -> bool:
        self._state.kind = (
            "members"
            if self.members.isChecked()
            else "appointments"
            if self.appointments.isChecked()
            else "credits"
        )
        self._state.path = Path(self.file.text().strip())
        self._state.encoding = self._state.delimiter = None
        self._state.type_map, self._state.leave_out = {}, {}  # they were for another file
        try:
            self._state.look = look_at(self._state.path, self._state.kind)
        except DeskError as exc:
            self.error.setText(exc.message)
            return False
        self.error.clear()
        return True


class MappingPage(QWizardPage):
    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._combos: list[QComboBox] = []
        self.setTitle("Check the columns")
        self.setSubTitle('Say which column holds what. Columns marked "don\'t import" are skipped.')
        self.encoding = QComboBox(self)
        self.encoding.setObjectName("encodingField")
        self.encoding.addItems(ENCODINGS)
        self.delimiter = QComboBox(self)
        self.delimiter.setObjectName("delimiterField")
        for value, label in DELIMITERS:
            self.delimiter.addItem(label, value)
        self.detected = QLabel(self)
        self.detected.setObjectName("detectedFormat")
        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.create_members = QCheckBox("Create members that aren't in Desk yet", self)
        self.create_members.setObjectName("createMissingMembers")
        self.create_types = QCheckBox("Create appointment types that don't exist yet", self)
        self.create_types.setObjectName("createMissingTypes")
        self.date_order = QComboBox(self)
        self.date_order.setObjectName("dateOrderField")
        self.date_order.addItem("Work it out from the file", None)
        self.date_order.addItem("Month first (12/31/2026)", "mdy")
        self.date_order.addItem("Day first (31/12/2026)", "dmy")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b42318;")
        fmt = QHBoxLayout()
        fmt.addWidget(QLabel("Encoding", self))
        fmt.addWidget(self.encoding)
        fmt.addWidget(QLabel("Separator", self))
        fmt.addWidget(self.delimiter)
        fmt.addWidget(self.detected, 1)
        dates = QHBoxLayout()
        dates.addWidget(QLabel("Dates", self))
        dates.addWidget(self.date_order, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(fmt)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.create_members)
        layout.addWidget(self.create_types)
        layout.addLayout(dates)
        layout.addWidget(self.error)
        self.encoding.activated.connect(self._reread)
        self.delimiter.activated.connect(self._reread)

    def initializePage(self) -> None:
        look = self._state.look
        assert look is not None
        self.encoding.setCurrentText(look.encoding)
        self.delimiter.setCurrentIndex(max(0, self.delimiter.findData(look.delimiter)))
        names = {",": "comma", ";": "semicolon", "\t": "tab"}
        self.detected.setText(
            f"   detected {look.encoding}, {names.get(look.delimiter, look.delimiter)}; "
            f"{look.rows:,} rows"
        )
        # Members files name no types or dates; credits and bookings files do.
        credits = self._state.kind != "members"
        for widget in (self.create_members, self.create_types, self.date_order):
            widget.setVisible(credits)
        self._fill_grid(look)

    def _reread(self) -> None:
        assert self._state.path is not None
        try:
            look = look_at(
                self._state.path,
                self._state.kind,
                encoding=self.encoding.currentText(),
                delimiter=self.delimiter.currentData(),
            )
        except DeskError as exc:
            self.error.setText(exc.message)
            return
        self.error.clear()
        self._state.look = look
        self._state.encoding = self.encoding.currentText()
        self._state.delimiter = self.delimiter.currentData()
        self._fill_grid(look)

    def _fill_grid(self, look: FileLook) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self._combos = []
        for col, title in enumerate(("Column in the file", "First rows", "Import as")):
            self.grid.addWidget(QLabel(f"<b>{title}</b>", self.grid_host), 0, col)
        fields = fields_for(self._state.kind)
        for index, header in enumerate(look.header):
            sample = ", ".join(s[index] for s in look.samples[:3] if s[index])[:60]
            combo = QComboBox(self.grid_host)
            combo.setObjectName(f"mapColumn{index}")
            combo.setAccessibleName(f"Import column {header} as")
            combo.addItem(IGNORE_LABEL, "ignore")
            for field in fields:
                combo.addItem(FIELD_LABELS.get(field, field), field)
            guessed = look.guessed.get(index)
            combo.setCurrentIndex(combo.findData(guessed) if guessed else 0)
            self.grid.addWidget(QLabel(header or "(no name)", self.grid_host), index + 1, 0)
            sample_label = QLabel(sample, self.grid_host)
            sample_label.setStyleSheet("color: #5b6170;")
            self.grid.addWidget(sample_label, index + 1, 1)
            self.grid.addWidget(combo, index + 1, 2)
            self._combos.append(combo)
        self.grid.setRowStretch(len(look.header) + 1, 1)

    def set_field(self, column: int, field: str) -> None:
        """Choose what a column is imported as (what picking in its combo does)."""
        combo = self._combos[column]
        combo.setCurrentIndex(combo.findData(field))

    def validatePage(self) -> bool:
        self._state.mapping = {
            i: str(c.currentData())
            for i, c in enumerate(self._combos)
            if c.currentData() != "ignore"
        }
        chosen = list(self._state.mapping.values())
        doubled = sorted({f for f in chosen if chosen.count(f) > 1})
        if doubled:
            labels = ", ".join(FIELD_LABELS.get(f, f) for f in doubled)
            self.error.setText(f"More than one column is imported as: {labels}.")
            return False
        self._state.create_members = self.create_members.isChecked()
        self._state.create_types = self.create_types.isChecked()
        self._state.date_order = self.date_order.currentData()
        self.error.clear()
        return True
