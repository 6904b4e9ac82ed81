"""Settings: the appointment types a gym sells and books (name, length, price, policy)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.services.appointment_types import MAX_DURATION_MINUTES, MAX_LATE_CANCEL_HOURS
from desk.services.changes import Changes
from desk.services.errors import DeskError, ValidationError
from desk.services.ids import AppointmentTypeId
from desk.services.money import parse_money
from desk.services.read_models import AppointmentTypeView
from desk.services.validation import clean_text
from desk.ui.appointment_type_table_model import (
    AppointmentTypeProxyModel,
    AppointmentTypeTableModel,
    color_swatch,
)
from desk.ui.context import DeskContext
from desk.ui.field_error import FieldError
from desk.ui.formatting import format_money
from desk.ui.messages import show_error

DEFAULT_COLOR = "#4a90d9"
DEFAULT_DURATION_MINUTES = 60
DEFAULT_LATE_CANCEL_HOURS = 24

# The service's field names, in the order the form shows them.
NAME = "name"
DURATION = "duration_minutes"
COLOR = "color"
PRICE = "default_price_cents"
LATE_CANCEL = "late_cancel_hours"
FIELDS = (NAME, DURATION, COLOR, PRICE, LATE_CANCEL)


@dataclass(frozen=True)
class _TypeForm:
    """What the form holds once every field parses."""

    name: str
    duration_minutes: int
    color: str
    default_price_cents: int
    late_cancel_hours: int
    active: bool

    def matches(self, view: AppointmentTypeView) -> bool:
        return (
            self.name == view.name
            and self.duration_minutes == view.duration_minutes
            and self.color == view.color.lower()
            and self.default_price_cents == view.default_price_cents
            and self.late_cancel_hours == view.late_cancel_hours
            and self.active == view.active
        )


class AppointmentTypesDialog(QDialog):
    """A list of every appointment type beside a form for the selected (or a new) one.

    The form validates as you type; Save is enabled only when every field is valid
    and something changed. Errors the service reports (a name another desk just
    took) appear next to the field they concern.
    """

    @classmethod
    def ask(
        cls, ctx: DeskContext, parent: QWidget | None = None, *, start_new: bool = False
    ) -> None:
        """Show the dialog modally; ``start_new`` opens on an empty new-type form."""
        dialog = cls(ctx, parent)
        if start_new:
            dialog.start_new_type()
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.created_type_ids: list[int] = []
        """Types created while this dialog was open, oldest first."""
        self._editing: AppointmentTypeView | None = None
        self._color = DEFAULT_COLOR
        self._loading = False
        self._touched: set[str] = set()
        self._service_errors: dict[str, str] = {}

        self.setObjectName("AppointmentTypesDialog")
        self.setWindowTitle("Appointment types")
        self.setAccessibleName("Appointment types")
        self._build()
        self._connect()

        self._reload()
        first = self.proxy.index(0, 0)
        if first.isValid():
            self.table.setCurrentIndex(first)
            self.table.setFocus()
        else:
            self.start_new_type()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self.model = AppointmentTypeTableModel(self)
        self.proxy = AppointmentTypeProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.table = QTableView(self)
        self.table.setObjectName("appointmentTypesTable")
        self.table.setAccessibleName("Appointment types")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(AppointmentTypeTableModel.COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(
            AppointmentTypeTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch
        )
        self.table.setMinimumWidth(500)

        self.show_inactive = QCheckBox("Show &inactive types", self)
        self.show_inactive.setObjectName("showInactiveTypes")
        self.show_inactive.setAccessibleName("Show inactive types")

        self.new_button = QPushButton("&New type", self)
        self.new_button.setObjectName("newTypeButton")
        self.new_button.setAccessibleName("New type")
        self.new_button.setAutoDefault(False)

        below_table = QHBoxLayout()
        below_table.addWidget(self.show_inactive)
        below_table.addStretch(1)
        below_table.addWidget(self.new_button)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(below_table)

        self.form_title = QLabel(self)
        self.form_title.setObjectName("typeFormTitle")
        title_font = self.form_title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self.form_title.setFont(title_font)

        self.name_field = QLineEdit(self)
        self.name_field.setObjectName("typeNameField")
        self.name_field.setAccessibleName("Name")
        self.name_field.setPlaceholderText("e.g. Personal Training")
        self.name_field.setMaxLength(100)
        self.name_error = FieldError("typeNameError", self)

        self.duration_field = QSpinBox(self)
        self.duration_field.setObjectName("typeDurationField")
        self.duration_field.setAccessibleName("Duration in minutes")
        self.duration_field.setRange(1, MAX_DURATION_MINUTES)
        self.duration_field.setSingleStep(5)
        self.duration_field.setSuffix(" min")
        self.duration_error = FieldError("typeDurationError", self)

        self.color_button = QPushButton(self)
        self.color_button.setObjectName("typeColorField")
        self.color_button.setAccessibleName("Calendar color")
        self.color_button.setToolTip("The color of these appointments on the calendar")
        self.color_button.setAutoDefault(False)
        self.color_error = FieldError("typeColorError", self)

        self.price_field = QLineEdit(self)
        self.price_field.setObjectName("typePriceField")
        self.price_field.setAccessibleName("Default price")
        self.price_field.setPlaceholderText("e.g. 85.00")
        self.price_field.setToolTip("What one appointment sells for unless the sale says otherwise")
        self.price_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.price_error = FieldError("typePriceError", self)

        self.late_cancel_field = QSpinBox(self)
        self.late_cancel_field.setObjectName("typeLateCancelField")
        self.late_cancel_field.setAccessibleName("Late-cancel window in hours")
        self.late_cancel_field.setRange(0, MAX_LATE_CANCEL_HOURS)
        self.late_cancel_field.setSuffix(" h before")
        self.late_cancel_field.setSpecialValueText("None")
        self.late_cancel_field.setToolTip(
            "Cancelling closer than this to the start counts as a late cancel"
        )
        self.late_cancel_error = FieldError("typeLateCancelError", self)

        self.active_field = QCheckBox("Active (can be sold and booked)", self)
        self.active_field.setObjectName("typeActiveField")
        self.active_field.setAccessibleName("Active")

        for spin in (self.duration_field, self.late_cancel_field):
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.setMinimumWidth(130)
        self.price_field.setMinimumWidth(130)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Na&me:", _with_error(self.name_field, self.name_error))
        form.addRow("&Duration:", _with_error(self.duration_field, self.duration_error, grow=False))
        form.addRow("&Color:", _with_error(self.color_button, self.color_error, grow=False))
        form.addRow("Default &price:", _with_error(self.price_field, self.price_error, grow=False))
        form.addRow(
            "&Late-cancel window:",
            _with_error(self.late_cancel_field, self.late_cancel_error, grow=False),
        )
        form.addRow("", self.active_field)

        self.form_error = FieldError("typeFormError", self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("typeStatus")
        self.status_label.setAccessibleName("Status")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet("color: #3b6e3b;")

        self.save_button = QPushButton("&Save", self)
        self.save_button.setObjectName("saveTypeButton")
        self.save_button.setAccessibleName("Save type")
        self.save_button.setDefault(True)
        self.deactivate_button = QPushButton("De&activate", self)
        self.deactivate_button.setObjectName("deactivateTypeButton")
        self.deactivate_button.setAccessibleName("Deactivate type")
        self.deactivate_button.setToolTip(
            "Stop selling and booking this type; existing credits and bookings keep it"
        )
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
        form_panel.setObjectName("typeFormPanel")
        form_panel.setFrameShape(QFrame.Shape.StyledPanel)
        form_panel.setLayout(right)
        form_panel.setMinimumWidth(360)

        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(form_panel, 2)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeTypesButton")
        close.setAccessibleName("Close")
        close.setAutoDefault(False)

        outer = QVBoxLayout(self)
        outer.addLayout(columns, 1)
        outer.addWidget(self.buttons)
        self.resize(1000, 460)

    def _connect(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.show_inactive.toggled.connect(self._on_show_inactive)
        self.new_button.clicked.connect(self.start_new_type)
        self.name_field.textChanged.connect(lambda: self._on_edited(NAME))
        self.duration_field.valueChanged.connect(lambda: self._on_edited(DURATION))
        self.color_button.clicked.connect(self._choose_color)
        self.price_field.textChanged.connect(lambda: self._on_edited(PRICE))
        self.late_cancel_field.valueChanged.connect(lambda: self._on_edited(LATE_CANCEL))
        self.active_field.toggled.connect(lambda: self._on_edited("active"))
        self.save_button.clicked.connect(self.save)
        self.deactivate_button.clicked.connect(self.deactivate)
        self.buttons.rejected.connect(self.reject)
        self._ctx.hub.changed.connect(self._on_changed)

    # --- what callers and tests use ---------------------------------------------------

    @property
    def editing_type_id(self) -> int | None:
        """The type the form edits; None while it holds a new one."""
        return None if self._editing is None else self._editing.id

    def start_new_type(self) -> None:
        """An empty form for a new type, with the cursor in the name."""
        self._select_in_table(None)
        self._fill_form(None)
        self.name_field.setFocus()

    def select_type(self, type_id: int) -> bool:
        """Select a type in the table (and edit it); False if it isn't shown."""
        if not self._select_in_table(type_id):
            return False
        self._fill_form(self._row(type_id))
        return True

    def save(self) -> None:
        form, errors = self._read_form()
        if form is None or errors:
            self._touched.update(FIELDS)
            self._refresh_state()
            return
        types = self._ctx.services.appointment_types
        try:
            if self._editing is None:
                outcome = types.create(
                    name=form.name,
                    duration_minutes=form.duration_minutes,
                    color=form.color,
                    default_price_cents=form.default_price_cents,
                    late_cancel_hours=form.late_cancel_hours,
                    by=self._ctx.staff_id,
                )
                self.created_type_ids.append(outcome.value.id)
                status = f"Added {outcome.value.name}."
            else:
                outcome = types.update(
                    AppointmentTypeId(self._editing.id),
                    name=form.name,
                    duration_minutes=form.duration_minutes,
                    color=form.color,
                    default_price_cents=form.default_price_cents,
                    late_cancel_hours=form.late_cancel_hours,
                    active=form.active,
                    by=self._ctx.staff_id,
                )
                status = f"Saved {outcome.value.name}."
        except ValidationError as exc:
            self._service_errors[exc.field if exc.field in FIELDS else ""] = exc.message
            self._refresh_state()
            return
        except DeskError as exc:
            show_error(self, exc, "Can't save this appointment type")
            return
        self._after_write(outcome.value, outcome.changes, status)

    def deactivate(self) -> None:
        if self._editing is None or not self._editing.active:
            return
        try:
            outcome = self._ctx.services.appointment_types.deactivate(
                AppointmentTypeId(self._editing.id), by=self._ctx.staff_id
            )
        except DeskError as exc:
            show_error(self, exc, "Can't deactivate this appointment type")
            return
        self._after_write(
            outcome.value,
            outcome.changes,
            f"{outcome.value.name} is no longer offered; existing credits and bookings keep it.",
        )

    # --- behaviour --------------------------------------------------------------------

    def _after_write(self, view: AppointmentTypeView, changes: Changes, status: str) -> None:
        self._editing = view
        self._reload()
        if not self._select_in_table(view.id):
            # Inactive while inactive types are hidden: nothing left to edit here.
            status += " Tick “Show inactive types” to see it."
            self._fill_form(None)
        else:
            self._fill_form(view)
        self.status_label.setText(status)
        self._ctx.hub.publish(changes)

    def _on_changed(self, changes: object) -> None:
        if isinstance(changes, Changes) and changes.catalog:
            self._reload()

    def _reload(self) -> None:
        """Load every type; keep the selection and refresh the form unless it has edits."""
        rows = self._ctx.services.appointment_types.list(include_inactive=True)
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
            if column != AppointmentTypeTableModel.COL_NAME:
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
        view = rows[0].data(AppointmentTypeTableModel.RowRole)
        if isinstance(view, AppointmentTypeView) and view != self._editing:
            self._fill_form(view)

    def _select_in_table(self, type_id: int | None) -> bool:
        """Select the row of ``type_id`` (None clears) without reloading the form."""
        self._loading = True
        try:
            selection = self.table.selectionModel()
            source_row = None if type_id is None else self.model.row_of(type_id)
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

    def _row(self, type_id: int) -> AppointmentTypeView | None:
        number = self.model.row_of(type_id)
        return None if number is None else self.model.rows()[number]

    def _fill_form(self, view: AppointmentTypeView | None) -> None:
        self._editing = view
        self._touched.clear()
        self._service_errors.clear()
        self.status_label.clear()
        self._loading = True
        try:
            if view is None:
                self.form_title.setText("New appointment type")
                self.name_field.clear()
                self.duration_field.setValue(DEFAULT_DURATION_MINUTES)
                self._set_color(DEFAULT_COLOR)
                self.price_field.setText(format_money(0))
                self.late_cancel_field.setValue(DEFAULT_LATE_CANCEL_HOURS)
                self.active_field.setChecked(True)
            else:
                self.form_title.setText(view.name)
                self.name_field.setText(view.name)
                self.duration_field.setValue(view.duration_minutes)
                self._set_color(view.color)
                self.price_field.setText(format_money(view.default_price_cents, view.currency))
                self.late_cancel_field.setValue(view.late_cancel_hours)
                self.active_field.setChecked(view.active)
        finally:
            self._loading = False
        self.active_field.setEnabled(view is not None)
        self.active_field.setToolTip("" if view is not None else "A new type starts active")
        self._refresh_state()

    def _on_edited(self, field: str) -> None:
        if self._loading:
            return
        self._touched.add(field)
        self._service_errors.pop(field, None)
        self._service_errors.pop("", None)
        self.status_label.clear()
        self._refresh_state()

    def _choose_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self._color), self, "Calendar color")
        if chosen.isValid():
            self._set_color(chosen.name())
            self._on_edited(COLOR)

    def _set_color(self, color: str) -> None:
        self._color = color.lower()
        self.color_button.setIcon(color_swatch(self._color, 16))
        self.color_button.setText(f" {self._color}")
        self.color_button.setAccessibleDescription(self._color)

    def _read_form(self) -> tuple[_TypeForm | None, dict[str, str]]:
        """The form's values if they all parse, and what is wrong with each field that doesn't."""
        errors: dict[str, str] = {}
        name = ""
        try:
            name = clean_text(self.name_field.text(), NAME)
        except ValidationError as exc:
            errors[NAME] = exc.message
        else:
            if not name:
                errors[NAME] = "An appointment type needs a name."
            elif (same := self._same_name(name)) is not None:
                errors[NAME] = (
                    f"There is already an appointment type named {same.name!r}."
                    if same.active
                    else f"{same.name!r} already exists but is inactive; "
                    "show inactive types to turn it back on."
                )
        price = 0
        try:
            price = parse_money(self.price_field.text(), PRICE)
        except ValidationError as exc:
            errors[PRICE] = exc.message
        if errors:
            return None, errors
        return (
            _TypeForm(
                name=name,
                duration_minutes=self.duration_field.value(),
                color=self._color,
                default_price_cents=price,
                late_cancel_hours=self.late_cancel_field.value(),
                active=self.active_field.isChecked(),
            ),
            errors,
        )

    def _same_name(self, name: str) -> AppointmentTypeView | None:
        key = name.casefold()
        editing_id = self.editing_type_id
        for row in self.model.rows():
            if row.id != editing_id and row.name.casefold() == key:
                return row
        return None

    def _is_dirty(self) -> bool:
        if self._editing is None:
            return bool(self._touched)
        form, _errors = self._read_form()
        return form is None or not form.matches(self._editing)

    def _refresh_state(self) -> None:
        """Show each field's problem and enable the buttons that apply."""
        form, errors = self._read_form()
        boxes = {
            NAME: self.name_error,
            DURATION: self.duration_error,
            COLOR: self.color_error,
            PRICE: self.price_error,
            LATE_CANCEL: self.late_cancel_error,
        }
        for field, box in boxes.items():
            shown = errors.get(field, "") if field in self._touched or self._editing else ""
            box.show_message(self._service_errors.get(field) or shown)
        self.form_error.show_message(self._service_errors.get("", ""))
        changed = self._editing is None or form is None or not form.matches(self._editing)
        self.save_button.setEnabled(form is not None and not self._service_errors and changed)
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
