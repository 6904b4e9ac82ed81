"""The booking dialog's widgets and their arrangement.

``BookingForm`` is mixed into ``BookingDialog`` (``booking_dialog``), which owns what
they do: it refreshes the credits and the preview of the sessions and books them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.read_models import StaffRole
from desk.ui.calendar.free_slots import SlotButtons
from desk.ui.calendar.lot_picker import LotPicker
from desk.ui.calendar.occurrence_table_model import OccurrenceModel
from desk.ui.members.member_field import member_field
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import first_weekday, time_edit_format

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    _Base = QDialog
else:
    _Base = object

REPEAT_NONE, REPEAT_WEEKLY, REPEAT_EVERY_N, REPEAT_WEEKDAYS = range(4)
REPEAT_CHOICES = ("Does not repeat", "Every week", "Every N weeks", "On chosen weekdays")


class BookingForm(_Base):
    """Mixed into BookingDialog, a QDialog with ``_tz`` and ``_save``."""

    _tz: tzinfo

    if TYPE_CHECKING:
        _save: Callable[[], None]

    def _build_form(
        self,
        ctx: DeskContext,
        local: datetime,
        *,
        member_id: int | None,
        member_name: str,
        staff_id: int | None,
    ) -> None:
        """Create the widgets (in tab order: Qt chains focus in order of creation) and
        lay them out; ``local`` is the start the form opens on, in the gym's time."""
        self.member_error = FieldError("memberError", self)
        self.credit_error = FieldError("creditError", self)
        self.repeat_error = FieldError("repeatError", self)

        self.member = member_field(
            ctx,
            self,
            object_name="memberField",
            accessible_name="Member",
            member_id=member_id,
            member_name=member_name,
        )
        self.appointment_type = QComboBox(self)
        self.appointment_type.setObjectName("appointmentTypeField")
        self.appointment_type.setAccessibleName("Appointment type")
        kinds = ctx.services.appointment_types.list()
        for kind in kinds:
            self.appointment_type.addItem(kind.name, kind.id)
        self._durations = {k.id: k.duration_minutes for k in kinds}
        self.staff = QComboBox(self)
        self.staff.setObjectName("staffField")
        self.staff.setAccessibleName("Staff member")
        # Coaches first: they are the ones with a calendar.
        for person in sorted(ctx.services.staff.list(), key=lambda p: p.role != StaffRole.COACH):
            self.staff.addItem(person.name, person.id)
        if staff_id is not None and self.staff.findData(staff_id) >= 0:
            self.staff.setCurrentIndex(self.staff.findData(staff_id))

        # Typed dates in the desk's formats ("30 Jun 2027"), or picked from a calendar.
        self.start_date = DateField("startDateField", "Date", local.date(), self)
        self.start_time = QTimeEdit(QTime(local.hour, local.minute), self)
        self.start_time.setObjectName("startTimeField")
        self.start_time.setAccessibleName("Start time")
        self.start_time.setDisplayFormat(time_edit_format())
        self.duration = QSpinBox(self)
        self.duration.setObjectName("durationField")
        self.duration.setAccessibleName("Duration in minutes")
        self.duration.setRange(5, 12 * 60)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" min")
        self._apply_type_duration()
        self.find_time_button = QPushButton("Find a time…", self)
        self.find_time_button.setObjectName("findTimeButton")
        self.find_time_button.setAccessibleName("Find a free time")
        self.find_time_button.setAutoDefault(False)
        self.free_slots = SlotButtons(self._tz, self)
        self.notes = QLineEdit(self)
        self.notes.setObjectName("notesField")
        self.notes.setAccessibleName("Notes")

        self.credits_info = QLabel(self)
        self.credits_info.setObjectName("creditsInfo")
        self.credits_info.setWordWrap(True)
        self.add_credits = QPushButton("Add credits…", self)
        self.add_credits.setObjectName("addCreditsFromBooking")
        self.add_credits.hide()
        self.lot_picker = LotPicker(self)  # which lot pays: the first unless staff pick

        self.repeat = QComboBox(self)
        self.repeat.setObjectName("repeatField")
        self.repeat.setAccessibleName("Repeat")
        self.repeat.addItems(REPEAT_CHOICES)
        self.interval = QSpinBox(self)
        self.interval.setObjectName("intervalField")
        self.interval.setAccessibleName("Every how many weeks")
        self.interval.setRange(2, 12)
        self.interval.setPrefix("every ")
        self.interval.setSuffix(" weeks")
        self.weekdays: list[QCheckBox] = []
        weekday_row = QHBoxLayout()
        for n in range(7):  # weekdays[n] is date.weekday() n: Monday 0
            box = QCheckBox(QLocale().dayName(n + 1, QLocale.FormatType.ShortFormat), self)
            box.setObjectName(f"weekday{n}")
            box.setChecked(n == local.weekday())
            self.weekdays.append(box)
        for n in range(7):  # laid out from the locale's first day of the week
            weekday_row.addWidget(self.weekdays[(first_weekday() + n) % 7])
        self.weekday_widget = QWidget(self)
        self.weekday_widget.setLayout(weekday_row)
        weekday_row.setContentsMargins(0, 0, 0, 0)
        self.end_after = QRadioButton("after", self)
        self.end_after.setObjectName("endAfterCount")
        self.end_after.setChecked(True)
        self.end_until = QRadioButton("until", self)
        self.end_until.setObjectName("endUntilDate")
        group = QButtonGroup(self)
        group.addButton(self.end_after)
        group.addButton(self.end_until)
        self.count = QSpinBox(self)
        self.count.setObjectName("countField")
        self.count.setAccessibleName("Number of sessions")
        self.count.setRange(1, 104)
        self.count.setValue(8)
        self.count.setSuffix(" sessions")
        self.until = DateField(
            "untilField", "Repeat until", local.date() + timedelta(weeks=8), self
        )
        end_row = QHBoxLayout()
        for widget in (self.end_after, self.count, self.end_until, self.until):
            end_row.addWidget(widget)
        end_row.addStretch(1)
        self.end_widget = QWidget(self)
        self.end_widget.setLayout(end_row)
        end_row.setContentsMargins(0, 0, 0, 0)

        self.preview_model = OccurrenceModel(self._tz, self)
        self.preview = QTableView(self)
        self.preview.setObjectName("occurrencePreview")
        self.preview.setAccessibleName("Sessions that will be booked")
        self.preview.setModel(self.preview_model)
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setMinimumHeight(150)
        self.summary = QLabel(self)
        self.summary.setObjectName("bookingSummary")

        form = QFormLayout()
        form.addRow("Member", self.member)
        form.addRow("", self.member_error)
        form.addRow("Appointment type", self.appointment_type)
        credits_row = QHBoxLayout()
        credits_row.addWidget(self.credits_info, 1)
        credits_row.addWidget(self.add_credits)
        form.addRow("Credits", credits_row)
        form.addRow("", self.lot_picker)
        form.addRow("", self.credit_error)
        form.addRow("Staff", self.staff)
        when_row = QHBoxLayout()
        when_row.addWidget(self.start_date, 1)
        when_row.addWidget(self.start_time)
        when_row.addWidget(self.duration)
        when_row.addWidget(self.find_time_button)
        form.addRow("When", when_row)
        form.addRow("", self.free_slots)
        repeat_row = QHBoxLayout()
        repeat_row.addWidget(self.repeat, 1)
        repeat_row.addWidget(self.interval)
        form.addRow("Repeat", repeat_row)
        form.addRow("", self.weekday_widget)
        form.addRow("Ends", self.end_widget)
        self._form = form
        form.addRow("", self.repeat_error)
        form.addRow("Notes", self.notes)

        buttons, self.book_button = action_buttons(self, "Book", "bookButton", self._save)
        # A full group session: the member can wait for a place instead.
        self.waitlist_button = QPushButton("Put on the waitlist", self)
        self.waitlist_button.setObjectName("joinWaitlistButton")
        self.waitlist_button.setAccessibleName("Put the member on the session's waitlist")
        self.waitlist_button.hide()
        buttons.addButton(self.waitlist_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Sessions</b>", self))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

    def _apply_type_duration(self) -> None:
        minutes = self._durations.get(self.appointment_type.currentData())
        if minutes:
            self.duration.setValue(minutes)
