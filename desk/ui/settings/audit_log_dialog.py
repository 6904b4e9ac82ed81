"""Who did what to whom and when: the audit trail, filtered and exported."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QDate, QItemSelection
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.clock import today
from desk.services.core.errors import DeskError
from desk.services.core.read_models import AuditView
from desk.services.records.audit_text import AuditNames, Wording, describe, reason
from desk.ui.members.member_picker import MemberPicker
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.formatting import (
    format_clock,
    format_date,
    format_datetime,
    format_weekday_day_month,
)
from desk.ui.widgets.table_model import Column, RowTableModel

KINDS = (
    ("", "Everything"),
    ("member.", "Members"),
    ("credits.", "Credits"),
    ("appointment.", "Appointments"),
    ("sales.", "Sales"),
    ("account.", "Account"),
    ("billing.", "Billing"),
    ("import.", "Imports"),
    ("staff.", "Staff"),
    ("appointment_type.", "Appointment types"),
    ("catalog.", "Catalog"),
)


def raw_details(event: AuditView) -> str:
    """The event's stored before and after, as indented JSON (the "Details" pane)."""
    return json.dumps(
        {"action": event.action, "entity": event.entity, "entity_id": event.entity_id,
         "before": event.before, "after": event.after},
        ensure_ascii=False, indent=2, default=str,
    )  # fmt: skip


class AuditModel(RowTableModel[AuditView]):
    """Events as people read them: local times, names, what happened in words."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tz = ctx.services.clock.tz
        self.names = AuditNames()
        # The sentences' times and days in the desk's locale, like every other column.
        words = Wording(
            tz,
            moment=lambda local: f"{format_weekday_day_month(local.date())} {format_clock(local)}",
            day=format_date,
        )
        self.columns = (
            Column[AuditView](
                "When", lambda e: format_datetime(e.at, tz), lambda e: e.at.isoformat()
            ),
            Column[AuditView]("Who", lambda e: e.actor or "System"),
            Column[AuditView]("What happened", lambda e: describe(e, self.names, words)),
            Column[AuditView](
                "Member", lambda e: self.names.member(e.member_id) if e.member_id else ""
            ),
            Column[AuditView]("Reason", reason),
        )


class AuditLogDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("AuditLogDialog")
        self.setWindowTitle("Audit log")
        self.resize(1000, 600)
        self.member = MemberPicker(ctx, self)
        self.member.setObjectName("auditMemberFilter")
        self.member.setPlaceholderText("Any member (type to pick one)")
        self.staff = QComboBox(self)
        self.staff.setObjectName("auditStaffFilter")
        self.staff.addItem("Anyone", 0)
        for person in ctx.services.staff.list(include_inactive=True):
            self.staff.addItem(person.name, person.id)
        self.kind = QComboBox(self)
        self.kind.setObjectName("auditKindFilter")
        for prefix, label in KINDS:
            self.kind.addItem(label, prefix)
        on = today(ctx.services.clock)
        self.since = DateField(
            "auditSinceFilter", "From", QDate(on.year, on.month, 1).addMonths(-1), self
        )
        self.until = DateField("auditUntilFilter", "To", on, self)
        self.model = AuditModel(ctx, self)
        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setAccessibleName("Audit log")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count = QLabel(self)
        self.count.setObjectName("auditCount")
        self.details_button = QPushButton("&Details", self)
        self.details_button.setObjectName("auditDetailsButton")
        self.details_button.setCheckable(True)
        self.details_button.setEnabled(False)
        self.details_button.setToolTip("Show the selected event's stored before and after")
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("auditDetails")
        self.details.setAccessibleName("Event details")
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        self.details.hide()
        self.details_button.toggled.connect(self._show_details)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setObjectName("exportAuditButton")
        self.export_button.clicked.connect(lambda: self.export())
        filters = QHBoxLayout()
        for label, widget in (
            ("Member", self.member), ("By", self.staff), ("Kind", self.kind),
            ("From", self.since), ("To", self.until),
        ):  # fmt: skip
            caption = QLabel(label, self)
            caption.setBuddy(widget)  # screen readers name the field after its caption
            filters.addWidget(caption)
            filters.addWidget(widget, 2 if widget is self.member else 0)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.details_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(bottom)
        for signal in (
            self.staff.currentIndexChanged, self.kind.currentIndexChanged,
            self.since.dateChanged, self.until.dateChanged, self.member.member_changed,
        ):  # fmt: skip
            signal.connect(self.reload)
        self.reload()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None) -> None:
        cls(ctx, parent).exec()

    def _range(self) -> tuple[datetime, datetime]:
        tz = self._ctx.services.clock.tz
        start = self.since.date()
        end = self.until.date().addDays(1)
        return (
            datetime.combine(date(start.year(), start.month(), start.day()), time(), tzinfo=tz),
            datetime.combine(date(end.year(), end.month(), end.day()), time(), tzinfo=tz),
        )

    def events(self) -> list[AuditView]:
        since, until = self._range()
        staff = self.staff.currentData()
        return self._ctx.services.audit.events(
            member_id=self.member.member_id(),
            actor_id=int(staff) if staff else None,
            action_prefix=str(self.kind.currentData()) or None,
            since=since,
            until=until,
            limit=5000,
        )

    def selected_event(self) -> AuditView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.details_button.setEnabled(self.selected_event() is not None)
        self._show_details(self.details_button.isChecked())

    def _show_details(self, shown: bool) -> None:
        event = self.selected_event()
        self.details.setPlainText(raw_details(event) if event is not None else "")
        self.details.setVisible(shown and event is not None)

    def reload(self) -> None:
        rows = self.events()
        self.model.names = self._ctx.services.audit.names(rows)
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows):,} event{'s' if len(rows) != 1 else ''}")

    def export(self, path: Path | None = None) -> Path | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, "Export audit log", "audit.csv", "CSV (*.csv)"
            )
            if not name:
                return None
            path = Path(name)
        try:
            self._ctx.services.audit.export_csv(path, self.events())
        except DeskError as exc:
            show_error(self, exc)
            return None
        return path
