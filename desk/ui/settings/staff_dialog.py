"""Settings: the people who work at the gym (coaches on the calendar, the front desk)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from desk.services.core.errors import ValidationError
from desk.services.core.ids import StaffId
from desk.services.core.permissions import Permission
from desk.services.core.read_models import StaffRole, StaffView
from desk.services.core.validation import clean_text
from desk.ui.settings.record_list_dialog import NAME, RecordListDialog
from desk.ui.settings.record_list_spec import RecordListSpec
from desk.ui.settings.record_table_model import RecordProxyModel, RecordTableModel
from desk.ui.settings.staff_hours_dialog import StaffHoursDialog
from desk.ui.settings.staff_login_dialog import StaffLoginDialog
from desk.ui.settings.staff_table_model import StaffProxyModel, StaffTableModel, role_label
from desk.ui.shell.operations import Write
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.form_row import FormRow

ROLE = "role"
TAKES_BOOKINGS = "takes_bookings"
SIGN_IN = "sign_in"
HOURS = "hours"
DEFAULT_ROLE = StaffRole.COACH


@dataclass(frozen=True)
class _StaffForm:
    """What the form holds once the name is valid."""

    name: str
    role: StaffRole
    active: bool
    takes_bookings: bool

    def matches(self, view: StaffView) -> bool:
        return (self.name, self.role, self.active, self.takes_bookings) == (
            view.name,
            view.role,
            view.active,
            view.takes_bookings,
        )


class StaffDialog(RecordListDialog[StaffView, _StaffForm]):
    """A list of the gym's staff beside a form for the selected (or a new) person.

    The form validates as you type; Save is enabled only when the name is valid and
    something changed. Errors the service reports appear next to their field.
    """

    SPEC = RecordListSpec(
        dialog_name="StaffDialog",
        title="Staff",
        table_name="staffTable",
        table_min_width=380,
        show_inactive="Show &inactive staff",
        show_inactive_name="showInactiveStaff",
        new_button="&New staff member",
        new_button_name="newStaffButton",
        form_title_name="staffFormTitle",
        new_title="New staff member",
        name_field_name="staffNameField",
        name_error_name="staffNameError",
        name_placeholder="First and last name",
        active="Active (works here now)",
        active_name="staffActiveField",
        new_active_tip="A new staff member starts active",
        form_error_name="staffFormError",
        status_name="staffStatus",
        save_name="saveStaffButton",
        save_accessible="Save staff member",
        deactivate_name="deactivateStaffButton",
        deactivate_accessible="Deactivate staff member",
        deactivate_tip="Take this person off the calendar; their history stays",
        form_panel_name="staffFormPanel",
        form_panel_min_width=340,
        close_name="closeStaffButton",
        stretch=(1, 1),
        size=(880, 440),
        deactivated="{name} is off the calendar now; their history stays.",
        hidden_hint=" Tick “Show inactive staff” to see them.",
        cannot_save="Can't save this staff member",
        cannot_deactivate="Can't deactivate this staff member",
    )

    # --- what callers and tests use ---------------------------------------------------

    @property
    def created_staff_ids(self) -> list[int]:
        """Staff members added while this dialog was open, oldest first."""
        return self.created_ids

    @property
    def editing_staff_id(self) -> int | None:
        """The staff member the form edits; None while it holds a new one."""
        return self.editing_record_id

    def start_new_staff(self) -> None:
        """An empty form for a new staff member, with the cursor in the name."""
        self.start_new_record()

    def select_staff(self, staff_id: int) -> bool:
        """Select a staff member in the table (and edit them); False if not shown."""
        return self.select_record(staff_id)

    # --- layout -----------------------------------------------------------------------

    def _new_models(self) -> tuple[RecordTableModel[StaffView], RecordProxyModel]:
        self._staff_model = StaffTableModel(self)
        return self._staff_model, StaffProxyModel(self)

    def _build_fields(self) -> list[FormRow]:
        self.role_field = QComboBox(self)
        self.role_field.setObjectName("staffRoleField")
        self.role_field.setAccessibleName("Role")
        for role in StaffRole:
            self.role_field.addItem(role_label(role), role.value)
        self.role_error = FieldError("staffRoleError", self)
        self.bookings_field = QCheckBox("Takes &bookings (a column on the calendar)", self)
        self.bookings_field.setObjectName("staffBookingsField")
        self.bookings_field.setAccessibleName("Takes bookings")
        self.bookings_field.setToolTip(
            "Coaches take bookings. Without it the calendar shows them only on days they "
            "have a session."
        )
        self.bookings_error = FieldError("staffBookingsError", self)
        # Who may give sign-ins is asked once: the role of the person at the desk.
        self._may_manage = self._ctx.can(Permission.MANAGE_STAFF)
        sign_in = QWidget(self)
        row = QHBoxLayout(sign_in)
        row.setContentsMargins(0, 0, 0, 0)
        self.sign_in_label = QLabel(StaffTableModel.NO_LOGIN, sign_in)
        self.sign_in_label.setObjectName("staffSignInLabel")
        self.sign_in_label.setAccessibleName("Sign-in")
        self.sign_in_button = QPushButton("Si&gn-in…", sign_in)
        self.sign_in_button.setObjectName("staffSignInButton")
        self.sign_in_button.setAccessibleName("Set username and password")
        self.sign_in_button.setAutoDefault(False)
        row.addWidget(self.sign_in_label, 1)
        row.addWidget(self.sign_in_button)
        self.sign_in_error = FieldError("staffSignInError", self)
        self.hours_button = QPushButton("&Hours and types…", self)
        self.hours_button.setObjectName("staffHoursButton")
        self.hours_button.setAccessibleName("Working hours, time off and appointment types")
        self.hours_button.setAutoDefault(False)
        self.hours_error = FieldError("staffHoursError", self)
        return [
            FormRow("&Role:", self.role_field, self.role_error, ROLE),
            FormRow("Calendar:", self.bookings_field, self.bookings_error, TAKES_BOOKINGS),
            FormRow("Sign-in:", sign_in, self.sign_in_error, SIGN_IN, grow=True),
            FormRow("Availability:", self.hours_button, self.hours_error, HOURS),
        ]

    def _connect_fields(self) -> None:
        self.role_field.currentIndexChanged.connect(lambda: self._on_edited(ROLE))
        self.bookings_field.toggled.connect(lambda: self._on_edited(TAKES_BOOKINGS))
        self.sign_in_button.clicked.connect(self.edit_sign_in)
        self.hours_button.clicked.connect(self.edit_hours)

    def edit_hours(self) -> StaffHoursDialog | None:
        """Open the hours of the selected staff member (window-modal, returns at once)."""
        staff = self._editing
        if staff is None or not self._may_manage:
            return None
        hours = StaffHoursDialog(self._ctx, staff.id, self)
        hours.finished.connect(hours.deleteLater)
        hours.open()
        return hours

    # --- sign-in ----------------------------------------------------------------------

    def edit_sign_in(self) -> StaffLoginDialog | None:
        """Open the sign-in form of the selected staff member (window-modal, so this
        returns at once: the form saves, then closes); None when that isn't allowed."""
        staff = self._editing
        if staff is None or not self._may_manage:
            return None
        login = StaffLoginDialog(self._ctx, staff, self._staff_model.logins.get(staff.id), self)
        login.accepted.connect(lambda: self._sign_in_saved(login))
        login.finished.connect(login.deleteLater)
        login.open()
        return login

    def _sign_in_saved(self, login: StaffLoginDialog) -> None:
        saved = login.saved_login
        if saved is None:
            return
        # The list reloaded on the change already; the form may hold edits, so its
        # sign-in row is brought up to date on its own.
        if self._editing is not None and self._editing.id == saved.id:
            self._show_sign_in(self._editing)
        self.status_label.setText(
            f"{saved.name} signs in as {self._staff_model.logins.get(saved.id)}."
        )

    def _show_sign_in(self, record: StaffView | None) -> None:
        login = None if record is None else self._staff_model.logins.get(record.id)
        self.sign_in_label.setText(login or StaffTableModel.NO_LOGIN)
        self.sign_in_button.setEnabled(record is not None and self._may_manage)
        self.hours_button.setEnabled(record is not None and self._may_manage)
        if record is None:
            tip = "Save the new staff member first"
        elif not self._may_manage:
            tip = "Only an owner or admin gives sign-ins"
        else:
            tip = "Reset the password" if login else "Give a username and password"
        self.sign_in_button.setToolTip(tip)

    # --- records ----------------------------------------------------------------------

    def _load(self) -> list[StaffView]:
        self._staff_model.logins = self._ctx.services.staff.sign_in_names()
        return self._ctx.services.staff.list(include_inactive=True)

    def save(self) -> None:
        """Save the form; adding someone whose name a staff member has already asks
        "Add another?" first (No leaves the form as it is)."""
        form, errors = self._read_form()
        if self.editing_staff_id is None and form is not None and not errors:
            same = self._ctx.services.staff.namesakes(form.name)
            if same and not self.confirm_namesake(same[0].name):
                return
        super().save()

    def confirm_namesake(self, name: str) -> bool:
        """Ask whether to add another staff member called ``name`` (tests patch
        QMessageBox.question)."""
        answer = QMessageBox.question(
            self,
            "Same name",
            f"There is already a staff member named {name}. Add another?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _create(self, form: _StaffForm) -> Write[StaffView]:
        return Write(
            lambda: self._ctx.services.staff.create(
                name=form.name,
                role=form.role,
                takes_bookings=form.takes_bookings,
                actor=self._ctx.actor,
            )
        )

    def _update(self, record: StaffView, form: _StaffForm) -> Write[StaffView]:
        return Write(
            lambda: self._ctx.services.staff.update(
                StaffId(record.id),
                name=form.name,
                role=form.role,
                active=form.active,
                takes_bookings=form.takes_bookings,
                actor=self._ctx.actor,
            )
        )

    def _deactivate(self, record: StaffView) -> Write[StaffView]:
        return Write(
            lambda: self._ctx.services.staff.deactivate(StaffId(record.id), actor=self._ctx.actor)
        )

    # --- the form ---------------------------------------------------------------------

    def _show_record(self, record: StaffView | None) -> None:
        self.name_field.setText("" if record is None else record.name)
        role = DEFAULT_ROLE if record is None else record.role
        self.role_field.setCurrentIndex(self.role_field.findData(role.value))
        self.bookings_field.setChecked(True if record is None else record.takes_bookings)
        self._show_sign_in(record)

    def _read_form(self) -> tuple[_StaffForm | None, dict[str, str]]:
        try:
            name = clean_text(self.name_field.text(), NAME)
        except ValidationError as exc:
            return None, {NAME: exc.message}
        if not name:
            return None, {NAME: "A staff member needs a name."}
        role = StaffRole(self.role_field.currentData())
        form = _StaffForm(
            name=name,
            role=role,
            active=self.active_field.isChecked(),
            takes_bookings=self.bookings_field.isChecked(),
        )
        return form, {}
