"""Settings: the people who work at the gym (coaches on the calendar, the front desk)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
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

from desk.services.changes import Changes
from desk.services.errors import DeskError, ValidationError
from desk.services.ids import StaffId
from desk.services.read_models import StaffRole, StaffView
from desk.services.validation import clean_text
from desk.ui.context import DeskContext
from desk.ui.field_error import FieldError
from desk.ui.messages import show_error
from desk.ui.staff_table_model import StaffProxyModel, StaffTableModel, role_label

NAME = "name"
ROLE = "role"
FIELDS = (NAME, ROLE)
DEFAULT_ROLE = StaffRole.COACH


class StaffDialog(QDialog):
    """A list of the gym's staff beside a form for the selected (or a new) person.

    The form validates as you type; Save is enabled only when the name is valid and
    something changed. Errors the service reports appear next to their field.
    """

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None = None) -> None:
        """Show the dialog modally."""
        dialog = cls(ctx, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.created_staff_ids: list[int] = []
        """Staff members added while this dialog was open, oldest first."""
        self._editing: StaffView | None = None
        self._loading = False
        self._touched: set[str] = set()
        self._service_errors: dict[str, str] = {}

        self.setObjectName("StaffDialog")
        self.setWindowTitle("Staff")
        self.setAccessibleName("Staff")
        self._build()
        self._connect()

        self._reload()
        first = self.proxy.index(0, 0)
        if first.isValid():
            self.table.setCurrentIndex(first)
            self.table.setFocus()
        else:
            self.start_new_staff()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self.model = StaffTableModel(self)
        self.proxy = StaffProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.table = QTableView(self)
        self.table.setObjectName("staffTable")
        self.table.setAccessibleName("Staff")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(StaffTableModel.COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(StaffTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(380)

        self.show_inactive = QCheckBox("Show &inactive staff", self)
        self.show_inactive.setObjectName("showInactiveStaff")
        self.show_inactive.setAccessibleName("Show inactive staff")

        self.new_button = QPushButton("&New staff member", self)
        self.new_button.setObjectName("newStaffButton")
        self.new_button.setAccessibleName("New staff member")
        self.new_button.setAutoDefault(False)

        below_table = QHBoxLayout()
        below_table.addWidget(self.show_inactive)
        below_table.addStretch(1)
        below_table.addWidget(self.new_button)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(below_table)

        self.form_title = QLabel(self)
        self.form_title.setObjectName("staffFormTitle")
        title_font = self.form_title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self.form_title.setFont(title_font)

        self.name_field = QLineEdit(self)
        self.name_field.setObjectName("staffNameField")
        self.name_field.setAccessibleName("Name")
        self.name_field.setPlaceholderText("First and last name")
        self.name_field.setMaxLength(100)
        self.name_error = FieldError("staffNameError", self)

        self.role_field = QComboBox(self)
        self.role_field.setObjectName("staffRoleField")
        self.role_field.setAccessibleName("Role")
        for role in StaffRole:
            self.role_field.addItem(role_label(role), role.value)
        self.role_error = FieldError("staffRoleError", self)

        self.active_field = QCheckBox("Active (works here now)", self)
        self.active_field.setObjectName("staffActiveField")
        self.active_field.setAccessibleName("Active")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Na&me:", _with_error(self.name_field, self.name_error))
        form.addRow("&Role:", _with_error(self.role_field, self.role_error, grow=False))
        form.addRow("", self.active_field)

        self.form_error = FieldError("staffFormError", self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("staffStatus")
        self.status_label.setAccessibleName("Status")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet("color: #3b6e3b;")

        self.save_button = QPushButton("&Save", self)
        self.save_button.setObjectName("saveStaffButton")
        self.save_button.setAccessibleName("Save staff member")
        self.save_button.setDefault(True)
        self.deactivate_button = QPushButton("De&activate", self)
        self.deactivate_button.setObjectName("deactivateStaffButton")
        self.deactivate_button.setAccessibleName("Deactivate staff member")
        self.deactivate_button.setToolTip("Take this person off the calendar; their history stays")
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
        form_panel.setObjectName("staffFormPanel")
        form_panel.setFrameShape(QFrame.Shape.StyledPanel)
        form_panel.setLayout(right)
        form_panel.setMinimumWidth(340)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(form_panel, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeStaffButton")
        close.setAccessibleName("Close")
        close.setAutoDefault(False)

        outer = QVBoxLayout(self)
        outer.addLayout(columns, 1)
        outer.addWidget(self.buttons)
        self.resize(780, 420)

    def _connect(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.show_inactive.toggled.connect(self._on_show_inactive)
        self.new_button.clicked.connect(self.start_new_staff)
        self.name_field.textChanged.connect(lambda: self._on_edited(NAME))
        self.role_field.currentIndexChanged.connect(lambda: self._on_edited(ROLE))
        self.active_field.toggled.connect(lambda: self._on_edited("active"))
        self.save_button.clicked.connect(self.save)
        self.deactivate_button.clicked.connect(self.deactivate)
        self.buttons.rejected.connect(self.reject)
        self._ctx.hub.changed.connect(self._on_changed)

    # --- what callers and tests use ---------------------------------------------------

    @property
    def editing_staff_id(self) -> int | None:
        """The staff member the form edits; None while it holds a new one."""
        return None if self._editing is None else self._editing.id

    def start_new_staff(self) -> None:
        """An empty form for a new staff member, with the cursor in the name."""
        self._select_in_table(None)
        self._fill_form(None)
        self.name_field.setFocus()

    def select_staff(self, staff_id: int) -> bool:
        """Select a staff member in the table (and edit them); False if not shown."""
        if not self._select_in_table(staff_id):
            return False
        self._fill_form(self._row(staff_id))
        return True

    def save(self) -> None:
        name, errors = self._read_name()
        if errors:
            self._touched.update(FIELDS)
            self._refresh_state()
            return
        role = self._role()
        staff = self._ctx.services.staff
        try:
            if self._editing is None:
                outcome = staff.create(name=name, role=role, by=self._ctx.staff_id)
                self.created_staff_ids.append(outcome.value.id)
                status = f"Added {outcome.value.name}."
            else:
                outcome = staff.update(
                    StaffId(self._editing.id),
                    name=name,
                    role=role,
                    active=self.active_field.isChecked(),
                    by=self._ctx.staff_id,
                )
                status = f"Saved {outcome.value.name}."
        except ValidationError as exc:
            self._service_errors[exc.field if exc.field in FIELDS else ""] = exc.message
            self._refresh_state()
            return
        except DeskError as exc:
            show_error(self, exc, "Can't save this staff member")
            return
        self._after_write(outcome.value, outcome.changes, status)

    def deactivate(self) -> None:
        if self._editing is None or not self._editing.active:
            return
        try:
            outcome = self._ctx.services.staff.deactivate(
                StaffId(self._editing.id), by=self._ctx.staff_id
            )
        except DeskError as exc:
            show_error(self, exc, "Can't deactivate this staff member")
            return
        self._after_write(
            outcome.value,
            outcome.changes,
            f"{outcome.value.name} is off the calendar now; their history stays.",
        )

    # --- behaviour --------------------------------------------------------------------

    def _after_write(self, view: StaffView, changes: Changes, status: str) -> None:
        self._editing = view
        self._reload()
        if not self._select_in_table(view.id):
            status += " Tick “Show inactive staff” to see them."
            self._fill_form(None)
        else:
            self._fill_form(view)
        self.status_label.setText(status)
        self._ctx.hub.publish(changes)

    def _on_changed(self, changes: object) -> None:
        if isinstance(changes, Changes) and changes.catalog:
            self._reload()

    def _reload(self) -> None:
        """Load all staff; keep the selection and, unless it has unsaved edits, refresh the form."""
        rows = self._ctx.services.staff.list(include_inactive=True)
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
            if column != StaffTableModel.COL_NAME:
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
        view = rows[0].data(StaffTableModel.RowRole)
        if isinstance(view, StaffView) and view != self._editing:
            self._fill_form(view)

    def _select_in_table(self, staff_id: int | None) -> bool:
        """Select the row of ``staff_id`` (None clears) without reloading the form."""
        self._loading = True
        try:
            selection = self.table.selectionModel()
            source_row = None if staff_id is None else self.model.row_of(staff_id)
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

    def _row(self, staff_id: int) -> StaffView | None:
        number = self.model.row_of(staff_id)
        return None if number is None else self.model.rows()[number]

    def _fill_form(self, view: StaffView | None) -> None:
        self._editing = view
        self._touched.clear()
        self._service_errors.clear()
        self.status_label.clear()
        self._loading = True
        try:
            self.form_title.setText("New staff member" if view is None else view.name)
            self.name_field.setText("" if view is None else view.name)
            role = DEFAULT_ROLE if view is None else view.role
            self.role_field.setCurrentIndex(self.role_field.findData(role.value))
            self.active_field.setChecked(True if view is None else view.active)
        finally:
            self._loading = False
        self.active_field.setEnabled(view is not None)
        self.active_field.setToolTip("" if view is not None else "A new staff member starts active")
        self._refresh_state()

    def _on_edited(self, field: str) -> None:
        if self._loading:
            return
        self._touched.add(field)
        self._service_errors.pop(field, None)
        self._service_errors.pop("", None)
        self.status_label.clear()
        self._refresh_state()

    def _role(self) -> StaffRole:
        return StaffRole(self.role_field.currentData())

    def _read_name(self) -> tuple[str, dict[str, str]]:
        try:
            name = clean_text(self.name_field.text(), NAME)
        except ValidationError as exc:
            return "", {NAME: exc.message}
        if not name:
            return "", {NAME: "A staff member needs a name."}
        return name, {}

    def _is_dirty(self) -> bool:
        if self._editing is None:
            return bool(self._touched)
        name, errors = self._read_name()
        return bool(errors) or (
            name != self._editing.name
            or self._role() != self._editing.role
            or self.active_field.isChecked() != self._editing.active
        )

    def _refresh_state(self) -> None:
        """Show each field's problem and enable the buttons that apply."""
        _name, errors = self._read_name()
        shown = errors.get(NAME, "") if NAME in self._touched or self._editing else ""
        self.name_error.show_message(self._service_errors.get(NAME) or shown)
        self.role_error.show_message(self._service_errors.get(ROLE, ""))
        self.form_error.show_message(self._service_errors.get("", ""))
        changed = self._editing is None or self._is_dirty()
        self.save_button.setEnabled(not errors and not self._service_errors and changed)
        self.deactivate_button.setEnabled(self._editing is not None and self._editing.active)


def _with_error(field: QWidget, error: FieldError, *, grow: bool = True) -> QWidget:
    """A field with its error message underneath, as one form row."""
    box = QWidget(field.parentWidget())
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    if grow:
        column.addWidget(field)
    else:
        row = QHBoxLayout()
        row.addWidget(field)
        row.addStretch(1)
        column.addLayout(row)
    column.addWidget(error)
    return box
