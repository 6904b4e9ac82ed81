"""Settings: the appointment types a gym sells and books (name, length, price, policy)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QLineEdit, QPushButton, QSpinBox

from desk.services.calendar.appointment_types import (
    MAX_CAPACITY,
    MAX_DURATION_MINUTES,
    MAX_LATE_CANCEL_HOURS,
)
from desk.services.core.errors import ValidationError
from desk.services.core.ids import AppointmentTypeId
from desk.services.core.money import parse_money
from desk.services.core.read_models import AppointmentTypeView
from desk.services.core.validation import clean_text
from desk.ui.settings.appointment_type_table_model import (
    AppointmentTypeProxyModel,
    AppointmentTypeTableModel,
    color_swatch,
)
from desk.ui.settings.record_list_dialog import NAME, RecordListDialog
from desk.ui.settings.record_list_spec import RecordListSpec
from desk.ui.settings.record_table_model import RecordProxyModel, RecordTableModel
from desk.ui.settings.type_fees_dialog import fees_button, open_fees
from desk.ui.settings.type_rules_dialog import TypeRulesDialog
from desk.ui.shell.operations import Write
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.form_row import FormRow
from desk.ui.widgets.formatting import format_money

DEFAULT_COLOR = "#4a90d9"
DEFAULT_DURATION_MINUTES = 60
DEFAULT_LATE_CANCEL_HOURS = 24

# The service's field names, in the order the form shows them.
DURATION = "duration_minutes"
COLOR = "color"
PRICE = "default_price_cents"
LATE_CANCEL = "late_cancel_hours"
CAPACITY = "capacity"


@dataclass(frozen=True)
class _TypeForm:
    """What the form holds once every field parses."""

    name: str
    duration_minutes: int
    color: str
    default_price_cents: int
    late_cancel_hours: int
    capacity: int
    active: bool

    def matches(self, view: AppointmentTypeView) -> bool:
        return (
            self.name == view.name
            and self.duration_minutes == view.duration_minutes
            and self.color == view.color.lower()
            and self.default_price_cents == view.default_price_cents
            and self.late_cancel_hours == view.late_cancel_hours
            and self.capacity == view.capacity
            and self.active == view.active
        )


class AppointmentTypesDialog(RecordListDialog[AppointmentTypeView, _TypeForm]):
    """A list of every appointment type beside a form for the selected (or a new) one.

    The form validates as you type; Save is enabled only when every field is valid
    and something changed. Errors the service reports (a name another desk just
    took) appear next to the field they concern.
    """

    SPEC = RecordListSpec(
        dialog_name="AppointmentTypesDialog",
        title="Appointment types",
        table_name="appointmentTypesTable",
        table_min_width=500,
        show_inactive="Show &inactive types",
        show_inactive_name="showInactiveTypes",
        new_button="&New type",
        new_button_name="newTypeButton",
        form_title_name="typeFormTitle",
        new_title="New appointment type",
        name_field_name="typeNameField",
        name_error_name="typeNameError",
        name_placeholder="e.g. Personal Training",
        active="Active (can be sold and booked)",
        active_name="typeActiveField",
        new_active_tip="A new type starts active",
        form_error_name="typeFormError",
        status_name="typeStatus",
        save_name="saveTypeButton",
        save_accessible="Save type",
        deactivate_name="deactivateTypeButton",
        deactivate_accessible="Deactivate type",
        deactivate_tip="Stop selling and booking this type; existing credits and bookings keep it",
        form_panel_name="typeFormPanel",
        form_panel_min_width=360,
        close_name="closeTypesButton",
        stretch=(3, 2),
        size=(1000, 460),
        deactivated="{name} is no longer offered; existing credits and bookings keep it.",
        hidden_hint=" Tick “Show inactive types” to see it.",
        cannot_save="Can't save this appointment type",
        cannot_deactivate="Can't deactivate this appointment type",
    )

    _color = DEFAULT_COLOR

    # --- what callers and tests use ---------------------------------------------------

    @property
    def created_type_ids(self) -> list[int]:
        """Types created while this dialog was open, oldest first."""
        return self.created_ids

    @property
    def editing_type_id(self) -> int | None:
        """The type the form edits; None while it holds a new one."""
        return self.editing_record_id

    def start_new_type(self) -> None:
        """An empty form for a new type, with the cursor in the name."""
        self.start_new_record()

    def select_type(self, type_id: int) -> bool:
        """Select a type in the table (and edit it); False if it isn't shown."""
        return self.select_record(type_id)

    # --- layout -----------------------------------------------------------------------

    def _new_models(self) -> tuple[RecordTableModel[AppointmentTypeView], RecordProxyModel]:
        return AppointmentTypeTableModel(self), AppointmentTypeProxyModel(self)

    def _build_fields(self) -> list[FormRow]:
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

        self.capacity_field = QSpinBox(self)
        self.capacity_field.setObjectName("typeCapacityField")
        self.capacity_field.setAccessibleName("Members per session")
        self.capacity_field.setRange(1, MAX_CAPACITY)
        self.capacity_field.setSuffix(" per session")
        self.capacity_field.setSpecialValueText("1 (one-to-one)")
        self.capacity_field.setToolTip(
            "How many members one session holds; above 1 it is a group session with a waitlist"
        )
        self.capacity_error = FieldError("typeCapacityError", self)

        self.rules_button = QPushButton("Booking &rules…", self)
        self.rules_button.setObjectName("typeRulesButton")
        self.rules_button.setAccessibleName("Booking rules")
        self.rules_button.setToolTip("Buffers, minimum notice, how far ahead it may be booked")
        self.rules_button.setAutoDefault(False)
        self.rules_error = FieldError("typeRulesButtonError", self)
        self.fees_button = fees_button(self)

        for spin in (self.duration_field, self.late_cancel_field, self.capacity_field):
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.setMinimumWidth(130)
        self.price_field.setMinimumWidth(130)

        return [
            FormRow("&Duration:", self.duration_field, self.duration_error, DURATION),
            FormRow("&Color:", self.color_button, self.color_error, COLOR),
            FormRow("Default &price:", self.price_field, self.price_error, PRICE),
            FormRow(
                "&Late-cancel window:", self.late_cancel_field, self.late_cancel_error, LATE_CANCEL
            ),
            FormRow("Ca&pacity:", self.capacity_field, self.capacity_error, CAPACITY),
            FormRow("Booking:", self.rules_button, self.rules_error, "booking_rules"),
            FormRow("Fees:", self.fees_button, FieldError("typeFeesButtonError", self), "fees"),
        ]

    def _connect_fields(self) -> None:
        self.duration_field.valueChanged.connect(lambda: self._on_edited(DURATION))
        self.color_button.clicked.connect(self._choose_color)
        self.price_field.textChanged.connect(lambda: self._on_edited(PRICE))
        self.late_cancel_field.valueChanged.connect(lambda: self._on_edited(LATE_CANCEL))
        self.capacity_field.valueChanged.connect(lambda: self._on_edited(CAPACITY))
        self.rules_button.clicked.connect(self.edit_rules)
        self.fees_button.clicked.connect(lambda: open_fees(self._ctx, self._editing, self))

    def edit_rules(self) -> TypeRulesDialog | None:
        """Open the selected type's booking rules (window-modal, returns at once)."""
        record = self._editing
        if record is None:
            return None
        rules = TypeRulesDialog(self._ctx, record.id, record.name, self)
        rules.finished.connect(rules.deleteLater)
        rules.open()
        return rules

    # --- records ----------------------------------------------------------------------

    def _load(self) -> list[AppointmentTypeView]:
        return self._ctx.services.appointment_types.list(include_inactive=True)

    def _create(self, form: _TypeForm) -> Write[AppointmentTypeView]:
        return Write(
            lambda: self._ctx.services.appointment_types.create(
                name=form.name,
                duration_minutes=form.duration_minutes,
                color=form.color,
                default_price_cents=form.default_price_cents,
                late_cancel_hours=form.late_cancel_hours,
                capacity=form.capacity,
                actor=self._ctx.actor,
            )
        )

    def _update(self, record: AppointmentTypeView, form: _TypeForm) -> Write[AppointmentTypeView]:
        return Write(
            lambda: self._ctx.services.appointment_types.update(
                AppointmentTypeId(record.id),
                name=form.name,
                duration_minutes=form.duration_minutes,
                color=form.color,
                default_price_cents=form.default_price_cents,
                late_cancel_hours=form.late_cancel_hours,
                capacity=form.capacity,
                active=form.active,
                actor=self._ctx.actor,
            )
        )

    def _deactivate(self, record: AppointmentTypeView) -> Write[AppointmentTypeView]:
        return Write(
            lambda: self._ctx.services.appointment_types.deactivate(
                AppointmentTypeId(record.id), actor=self._ctx.actor
            )
        )

    # --- the form ---------------------------------------------------------------------

    def _show_record(self, record: AppointmentTypeView | None) -> None:
        if record is None:
            self.name_field.clear()
            self.duration_field.setValue(DEFAULT_DURATION_MINUTES)
            self._set_color(DEFAULT_COLOR)
            self.price_field.setText(format_money(0))
            self.late_cancel_field.setValue(DEFAULT_LATE_CANCEL_HOURS)
            self.capacity_field.setValue(1)
            self.rules_button.setEnabled(False)
            self.fees_button.setEnabled(False)
        else:
            self.rules_button.setEnabled(True)
            self.fees_button.setEnabled(True)
            self.name_field.setText(record.name)
            self.duration_field.setValue(record.duration_minutes)
            self._set_color(record.color)
            self.price_field.setText(format_money(record.default_price_cents, record.currency))
            self.late_cancel_field.setValue(record.late_cancel_hours)
            self.capacity_field.setValue(record.capacity)

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
                capacity=self.capacity_field.value(),
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
