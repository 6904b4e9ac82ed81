"""Settings dialogs that list records beside a form for the selected (or a new) one."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.changes import Changes
from desk.services.core.errors import DeskError, ValidationError
from desk.ui.settings.record_list_spec import RecordListSpec
from desk.ui.settings.record_table_model import R, RecordProxyModel, RecordTableModel
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error, show_failure
from desk.ui.shell.operations import Write
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.form_row import FormRow, with_error

# The service's names for the fields every record has.
NAME = "name"
ACTIVE = "active"

_R_contra = TypeVar("_R_contra", contravariant=True)


class RecordForm(Protocol[_R_contra]):
    """What the form holds once every field parses."""

    def matches(self, record: _R_contra, /) -> bool:
        """Whether saving this would change nothing."""
        ...


F = TypeVar("F", bound="RecordForm[Any]")


def _plain(text: str) -> str:
    return text.replace("&", "")


class RecordListDialog(QDialog, Generic[R, F]):
    """A list of records beside a form for the selected (or a new) one.

    The form validates as you type; Save is enabled only when every field is valid
    and something changed. Errors the service reports (a name another desk just
    took) appear next to the field they concern. A subclass adds its fields between
    the name and Active, and says how records are loaded, read from the form and
    written.
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

    # The writes: each returns the service call for the runner, not yet run (it runs on
    # the runner's worker, so it reads the form's values, never the widgets).

    def _create(self, form: F) -> Write[R]:
        raise NotImplementedError

    def _update(self, record: R, form: F) -> Write[R]:
        raise NotImplementedError

    def _deactivate(self, record: R) -> Write[R]:
        raise NotImplementedError

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        spec = self.SPEC
        self.model, self.proxy = self._new_models()
        self.proxy.setSourceModel(self.model)

        self.table = QTableView(self)
        self.table.setObjectName(spec.table_name)
        self.table.setAccessibleName(spec.title)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(self.model.COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.model.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(spec.table_min_width)

        self.show_inactive = QCheckBox(spec.show_inactive, self)
        self.show_inactive.setObjectName(spec.show_inactive_name)
        self.show_inactive.setAccessibleName(_plain(spec.show_inactive))

        self.new_button = QPushButton(spec.new_button, self)
        self.new_button.setObjectName(spec.new_button_name)
        self.new_button.setAccessibleName(_plain(spec.new_button))
        self.new_button.setAutoDefault(False)

        below_table = QHBoxLayout()
        below_table.addWidget(self.show_inactive)
        below_table.addStretch(1)
        below_table.addWidget(self.new_button)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(below_table)

        self.form_title = QLabel(self)
        self.form_title.setObjectName(spec.form_title_name)
        title_font = self.form_title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self.form_title.setFont(title_font)

        # Widgets are created in tab order: Qt chains focus in order of creation.
        self.name_field = QLineEdit(self)
        self.name_field.setObjectName(spec.name_field_name)
        self.name_field.setAccessibleName("Name")
        self.name_field.setPlaceholderText(spec.name_placeholder)
        self.name_field.setMaxLength(100)
        self.name_error = FieldError(spec.name_error_name, self)
        rows = self._build_fields()

        self.active_field = QCheckBox(spec.active, self)
        self.active_field.setObjectName(spec.active_name)
        self.active_field.setAccessibleName("Active")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Na&me:", with_error(self.name_field, self.name_error))
        self._error_boxes[NAME] = self.name_error
        for row in rows:
            form.addRow(row.label, with_error(row.field, row.error, grow=row.grow))
            self._error_boxes[row.key] = row.error
        form.addRow("", self.active_field)

        self.form_error = FieldError(spec.form_error_name, self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName(spec.status_name)
        self.status_label.setAccessibleName("Status")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet("color: #3b6e3b;")

        self.save_button = QPushButton("&Save", self)
        self.save_button.setObjectName(spec.save_name)
        self.save_button.setAccessibleName(spec.save_accessible)
        self.save_button.setDefault(True)
        self.deactivate_button = QPushButton("De&activate", self)
        self.deactivate_button.setObjectName(spec.deactivate_name)
        self.deactivate_button.setAccessibleName(spec.deactivate_accessible)
        self.deactivate_button.setToolTip(spec.deactivate_tip)
        self.deactivate_button.setAutoDefault(False)
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(self.deactivate_button)
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.save_button)

        right = QVBoxLayout()
        right.addWidget(self.form_title)
        right.addLayout(form)
        right.addWidget(self.form_error)
        right.addSpacing(6)
        right.addLayout(form_buttons)
        right.addWidget(self.status_label)
        right.addStretch(1)
        form_panel = QFrame(self)
        form_panel.setObjectName(spec.form_panel_name)
        form_panel.setFrameShape(QFrame.Shape.StyledPanel)
        form_panel.setLayout(right)
        form_panel.setMinimumWidth(spec.form_panel_min_width)

        columns = QHBoxLayout()
        columns.addLayout(left, spec.stretch[0])
        columns.addWidget(form_panel, spec.stretch[1])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName(spec.close_name)
        close.setAccessibleName("Close")
        close.setAutoDefault(False)

        outer = QVBoxLayout(self)
        outer.addLayout(columns, 1)
        outer.addWidget(self.buttons)
        self.resize(*spec.size)

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

    def save(self) -> None:
        form, errors = self._read_form()
        if form is None or errors:
            self._touched.update(self._error_boxes)
            self._refresh_state()
            return
        if self._writing:
            return
        creating = self._editing is None
        write = self._create(form) if self._editing is None else self._update(self._editing, form)

        def saved(record: R) -> None:
            if creating:
                self.created_ids.append(record.id)
            self._after_write(record, f"{'Added' if creating else 'Saved'} {record.name}.")

        def refused(exc: DeskError) -> None:
            self._end_write()
            if isinstance(exc, ValidationError):
                field = exc.field if exc.field in self._error_boxes else ""
                self._service_errors[field] = exc.message
                self._refresh_state()
            else:
                show_error(self, exc, self.SPEC.cannot_save)

        self._start_write()
        self._ctx.runner.run(
            write, origin=self, on_done=saved, on_refused=refused, on_failed=self._write_failed
        )

    def deactivate(self) -> None:
        if self._editing is None or not self._editing.active or self._writing:
            return

        def refused(exc: DeskError) -> None:
            self._end_write()
            show_error(self, exc, self.SPEC.cannot_deactivate)

        self._start_write()
        self._ctx.runner.run(
            self._deactivate(self._editing),
            origin=self,
            on_done=lambda record: self._after_write(
                record, self.SPEC.deactivated.format(name=record.name)
            ),
            on_refused=refused,
            on_failed=self._write_failed,
        )

    # --- behaviour -------------------------------------------------------------------------

    def _start_write(self) -> None:
        """While a write runs: no second one (Save and Deactivate stay disabled)."""
        self._writing = True
        self.save_button.setEnabled(False)
        self.deactivate_button.setEnabled(False)

    def _end_write(self) -> None:
        self._writing = False
        self._refresh_state()

    def _write_failed(self, exc: BaseException) -> None:
        self._end_write()
        show_failure(self, exc)

    def _after_write(self, record: R, status: str) -> None:
        """The runner already announced the change (origin: this dialog, which skips
        its own hub echo): reload once here."""
        self._writing = False
        self._editing = record
        self._reload()
        if not self._select_in_table(record.id):
            # Inactive while inactive records are hidden: nothing left to edit here.
            status += self.SPEC.hidden_hint
            self._fill_form(None)
        else:
            self._fill_form(record)
        self.status_label.setText(status)

    def _on_changed(self, changes: object, origin: object = None) -> None:
        # Our own writes reload in _after_write; reloading on their echo did it twice.
        if origin is not self and isinstance(changes, Changes) and changes.catalog:
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
