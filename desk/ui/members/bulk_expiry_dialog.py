"""Settings > Change expiry dates…: move the expiry of every open lot in a window
("we were closed two weeks"), previewed lot by lot before anything changes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.errors import DeskError
from desk.services.credits.lot_changes import (
    MAX_SHIFT_DAYS,
    ExpiryChangeRow,
    ExpiryFilter,
    ExpiryShift,
)
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import format_date

BY_DAYS, TO_DATE = "days", "date"
COLUMNS = ("Lot", "Member", "Type", "Left", "Expires", "New expiry")


class BulkExpiryDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rows: list[ExpiryChangeRow] | None = None
        self.setObjectName("BulkExpiryDialog")
        self.setWindowTitle("Change expiry dates")
        self.resize(820, 560)
        today = ctx.services.clock.now().astimezone(ctx.services.clock.tz).date()
        self.first = DateField("firstField", "Expiring from", today, self)
        self.last = DateField("lastField", "Expiring until", today, self)
        self.kind = QComboBox(self)
        self.kind.setObjectName("typeField")
        self.kind.setAccessibleName("Appointment type")
        self.kind.addItem("Every type", None)
        for t in sorted(ctx.services.appointment_types.list(), key=lambda t: t.name.lower()):
            self.kind.addItem(t.name, t.id)
        self.how = QComboBox(self)
        self.how.setObjectName("howField")
        self.how.setAccessibleName("How the dates move")
        self.how.addItem("Move by a number of days", BY_DAYS)
        self.how.addItem("Move to one date", TO_DATE)
        self.days = QSpinBox(self)
        self.days.setObjectName("daysField")
        self.days.setAccessibleName("Days")
        self.days.setRange(-MAX_SHIFT_DAYS, MAX_SHIFT_DAYS)
        self.days.setValue(14)
        self.to = DateField("toField", "New expiry date", today, self)
        self.to.setEnabled(False)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reasonField")
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("e.g. closed for renovation (needed to move dates earlier)")
        self.error = FieldError("bulkExpiryError", self)
        self.preview_button = QPushButton("Preview", self)
        self.preview_button.setObjectName("previewButton")
        self.preview_button.clicked.connect(self.preview)
        self.summary = QLabel("Preview to see the lots that would change.", self)
        self.summary.setObjectName("bulkExpirySummary")
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("bulkExpiryTable")
        self.table.setAccessibleName("Lots that would change")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        window = QHBoxLayout()
        window.addWidget(self.first)
        window.addWidget(QLabel("to", self))
        window.addWidget(self.last)
        move = QHBoxLayout()
        move.addWidget(self.how)
        move.addWidget(self.days)
        move.addWidget(self.to)
        form = QFormLayout()
        form.addRow("Lots expiring", window)
        form.addRow("Appointment type", self.kind)
        form.addRow("Move", move)
        form.addRow("Reason", self.reason)
        form.addRow("", self.error)
        buttons, self.change_button = action_buttons(self, "Change", "changeButton", self._save)
        preview_row = QHBoxLayout()
        preview_row.addWidget(self.summary, 1)
        preview_row.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(preview_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        for signal in (self.first.dateChanged, self.last.dateChanged, self.to.dateChanged,
                       self.kind.currentIndexChanged, self.how.currentIndexChanged,
                       self.days.valueChanged):  # fmt: skip
            signal.connect(self._stale)
        self._stale()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None) -> None:
        cls(ctx, parent).exec()

    def _choice(self) -> tuple[ExpiryFilter, ExpiryShift]:
        which = ExpiryFilter(self.first.day(), self.last.day(), self.kind.currentData())
        if self.how.currentData() == TO_DATE:
            return which, ExpiryShift(to=self.to.day())
        return which, ExpiryShift(days=self.days.value())

    def _stale(self, *_args: object) -> None:
        """Any change to the form asks for a new preview before anything can change."""
        by_days = self.how.currentData() == BY_DAYS
        self.days.setEnabled(by_days)
        self.to.setEnabled(not by_days)
        self._rows = None
        self.table.setRowCount(0)
        self.summary.setText("Preview to see the lots that would change.")
        self.change_button.setEnabled(False)
        self.change_button.setText("Change")

    def preview(self) -> None:
        which, shift = self._choice()
        try:
            rows = self._ctx.services.lot_changes.preview_expiry_change(which, shift)
        except DeskError as exc:
            self.error.show_message(exc.message)
            return
        self.error.clear_message()
        self._rows = rows
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            cells = (str(row.lot_id), row.member_name, row.appointment_type, str(row.remaining),
                     format_date(row.old_expires_on), format_date(row.new_expires_on))  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(i, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.summary.setText(f"{len(rows)} open lot{'s' if len(rows) != 1 else ''} would change.")
        self.change_button.setText(f"Change {len(rows)} lot{'s' if len(rows) != 1 else ''}")
        self.change_button.setEnabled(bool(rows))

    def _save(self) -> None:
        if not self._rows:
            return
        which, shift = self._choice()
        reason = self.reason.text()
        changes = self._ctx.services.lot_changes
        submit(
            self,
            self._ctx.runner,
            lambda: changes.change_expiries(which, shift, reason=reason, actor=self._ctx.actor),
            ErrorFields(otherwise=self.error),
            button=self.change_button,
        )
