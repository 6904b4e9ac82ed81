"""Settings dialogs that list records beside a form for the selected (or a new) one."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QDialog, QWidget

from desk.services.core.changes import Changes
from desk.ui.settings.record_list_layout import ACTIVE, NAME, RecordListLayout
from desk.ui.settings.record_list_spec import RecordListSpec
from desk.ui.settings.record_list_writes import F, RecordForm, RecordListWrites
from desk.ui.settings.record_table_model import R, RecordProxyModel, RecordTableModel
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.form_row import FormRow

__all__ = ["ACTIVE", "NAME", "RecordForm", "RecordListDialog"]


class RecordListDialog(RecordListWrites[R, F], RecordListLayout[R], QDialog):
    """A list of records beside a form for the selected (or a new) one.

    The form validates as you type; Save is enabled only when every field is valid
    and something changed. Errors the service reports (a name another desk just
    took) appear next to the field they concern. A subclass adds its fields between
    the name and Active, and says how records are loaded, read from the form and
    written.

    The widgets are built in ``record_list_layout``; what Save and Deactivate do is in
    ``record_list_writes``.
    """

    SPEC: ClassVar[RecordListSpec]

    @classmethod
    def ask(
        cls, ctx: DeskContext, parent: QWidget | None = None, *, start_new: bool = False
    ) -> None:
        """Show the dialog modally; ``start_new`` opens on an empty form for a new record."""
        dialog = cls(ctx, parent)
        if start_new:
            dialog.start_new_record()
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.created_ids: list[int] = []
        """Records created while this dialog was open, oldest first."""
        self._editing: R | None = None
        self._loading = False
        self._touched: set[str] = set()
        self._service_errors: dict[str, str] = {}
        self._writing = False
        self._error_boxes: dict[str, FieldError] = {}

        self.setObjectName(self.SPEC.dialog_name)
        self.setWindowTitle(self.SPEC.title)
        self.setAccessibleName(self.SPEC.title)
        self._build()
        self._connect()

        self._reload()
        first = self.proxy.index(0, 0)
        if first.isValid():
            self.table.setCurrentIndex(first)
            self.table.setFocus()
        else:
            self.start_new_record()

    # --- what a subclass fills in ----------------------------------------------------------

    def _new_models(self) -> tuple[RecordTableModel[R], RecordProxyModel]:
        raise NotImplementedError

    def _build_fields(self) -> list[FormRow]:
        """Create the fields shown between the name and Active, in tab order."""
        raise NotImplementedError

    def _connect_fields(self) -> None:
        raise NotImplementedError

    def _load(self) -> list[R]:
        """Every record, inactive ones included."""
        raise NotImplementedError

    def _show_record(self, record: R | None) -> None:
        """Put the name and the subclass's fields of ``record`` (None: defaults) in the form."""
        raise NotImplementedError

    def _read_form(self) -> tuple[F | None, dict[str, str]]:
        """The form's values if they all parse, and what is wrong with each field that doesn't."""
        raise NotImplementedError

    def _connect(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.show_inactive.toggled.connect(self._on_show_inactive)
        self.new_button.clicked.connect(self.start_new_record)
        self.name_field.textChanged.connect(lambda: self._on_edited(NAME))
        self._connect_fields()
        self.active_field.toggled.connect(lambda: self._on_edited(ACTIVE))
        self.save_button.clicked.connect(self.save)
        self.deactivate_button.clicked.connect(self.deactivate)
        self.buttons.rejected.connect(self.reject)
        self._ctx.hub.changed.connect(self._on_changed)

    # --- what callers and tests use --------------------------------------------------------

    @property
    def editing_record_id(self) -> int | None:
        """The record the form edits; None while it holds a new one."""
        return None if self._editing is None else self._editing.id

    def start_new_record(self) -> None:
        """An empty form for a new record, with the cursor in the name."""
        self._select_in_table(None)
        self._fill_form(None)
        self.name_field.setFocus()

    def select_record(self, record_id: int) -> bool:
        """Select a record in the table (and edit it); False if it isn't shown."""
        if not self._select_in_table(record_id):
            return False
        self._fill_form(self._row(record_id))
        return True

    # --- behaviour -------------------------------------------------------------------------

    def _on_changed(self, changes: object, origin: object = None) -> None:
        # Our own writes reload in _after_write; reloading on their echo did it twice.
        if (
            origin is not self
            and isinstance(changes, Changes)
            and (changes.catalog or changes.everything)
        ):
            self._reload()

    def _reload(self) -> None:
        """Load every record; keep the selection and refresh the form unless it has edits."""
        rows = self._load()
        editing = self._editing
        self._loading = True
        try:
            self.model.set_rows(rows)
        finally:
            self._loading = False
        self._fit_columns()
        if editing is None:
            self._refresh_state()
            return
        fresh = self._row(editing.id)
        shown = self._select_in_table(editing.id)
        if self._is_dirty():
            self._refresh_state()
        elif fresh is None or not shown:
            self._fill_form(None)
        else:
            self._fill_form(fresh)

    def _fit_columns(self) -> None:
        """Every column but the stretching name fits its contents, with some air."""
        for column in range(self.model.columnCount()):
            if column != self.model.COL_NAME:
                self.table.resizeColumnToContents(column)
                self.table.setColumnWidth(column, self.table.columnWidth(column) + 20)

    def _on_show_inactive(self, show: bool) -> None:
        self._loading = True
        try:
            self.proxy.set_show_inactive(show)
        finally:
            self._loading = False
        self.status_label.clear()
        if self._editing is not None and not self._select_in_table(self._editing.id):
            self._fill_form(None)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._loading:
            return
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        source = self.proxy.mapToSource(rows[0])
        if not source.isValid():
            return
        record = self.model.row_at(source.row())
        if record != self._editing:
            self._fill_form(record)

    def _select_in_table(self, record_id: int | None) -> bool:
        """Select the row of ``record_id`` (None clears) without reloading the form."""
        self._loading = True
        try:
            selection = self.table.selectionModel()
            source_row = None if record_id is None else self.model.row_of(record_id)
            index = (
                self.proxy.mapFromSource(self.model.index(source_row, 0))
                if source_row is not None
                else None
            )
            if index is None or not index.isValid():
                selection.clearSelection()
                return False
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
            return True
        finally:
            self._loading = False

    def _row(self, record_id: int) -> R | None:
        number = self.model.row_of(record_id)
        return None if number is None else self.model.row_at(number)

    def _fill_form(self, record: R | None) -> None:
        self._editing = record
        self._touched.clear()
        self._service_errors.clear()
        self.status_label.clear()
        self._loading = True
        try:
            self.form_title.setText(self.SPEC.new_title if record is None else record.name)
            self._show_record(record)
            self.active_field.setChecked(True if record is None else record.active)
        finally:
            self._loading = False
        self.active_field.setEnabled(record is not None)
        self.active_field.setToolTip("" if record is not None else self.SPEC.new_active_tip)
        self._refresh_state()

    def _on_edited(self, field: str) -> None:
        if self._loading:
            return
        self._touched.add(field)
        self._service_errors.pop(field, None)
        self._service_errors.pop("", None)
        self.status_label.clear()
        self._refresh_state()

    def _is_dirty(self) -> bool:
        if self._editing is None:
            return bool(self._touched)
        form, _errors = self._read_form()
        return form is None or not form.matches(self._editing)

    def _refresh_state(self) -> None:
        """Show each field's problem and enable the buttons that apply."""
        form, errors = self._read_form()
        for field, box in self._error_boxes.items():
            touched = field in self._touched or self._editing is not None
            shown = errors.get(field, "") if touched else ""
            box.show_message(self._service_errors.get(field) or shown)
        self.form_error.show_message(self._service_errors.get("", ""))
        changed = self._editing is None or form is None or not form.matches(self._editing)
        idle = not self._writing
        self.save_button.setEnabled(
            idle and form is not None and not self._service_errors and changed
        )
        self.deactivate_button.setEnabled(
            idle and self._editing is not None and self._editing.active
        )
