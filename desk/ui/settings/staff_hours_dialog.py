"""Settings > Staff > Hours…: when a staff member works and what they deliver.

Weekly hours are typed a line a weekday ("09:00-13:00, 14:00-18:00"); no hours at
all means available any time. Time off and one-off extra shifts are added and
removed at once; the weekly hours and the types are saved together with Save.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QLocale, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desk.services.calendar.availability_hours import EXTRA, OFF
from desk.services.core.changes import Outcome
from desk.services.core.ids import AppointmentTypeId, StaffId
from desk.services.people.availability_views import StaffHoursView, TimeExceptionView, WeeklyRange
from desk.ui.calendar.availability_words import span_words
from desk.ui.settings.hours_text import parse_hours, show_hours
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import first_weekday, time_edit_format
from desk.ui.widgets.table_model import Column, RowRole, RowTableModel

KINDS = ((OFF, "Time off"), (EXTRA, "Extra shift"))


class ExceptionModel(RowTableModel[TimeExceptionView]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column[TimeExceptionView]("What", lambda e: dict(KINDS)[e.kind]),
            Column[TimeExceptionView]("When", lambda e: span_words(e.starts_local, e.ends_local)),
            Column[TimeExceptionView]("Note", lambda e: e.note),
        )


class StaffHoursDialog(QDialog):
    def __init__(self, ctx: DeskContext, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._staff_id = StaffId(staff_id)
        hours = ctx.services.availability.hours(self._staff_id)
        self.setObjectName("StaffHoursDialog")
        self.setWindowTitle(f"Hours of {hours.staff_name}")
        self.setMinimumWidth(560)
        self.summary = QLabel(self)
        self.summary.setObjectName("hoursSummary")
        self.summary.setWordWrap(True)

        week = QGroupBox("Weekly hours", self)
        grid = QGridLayout(week)
        self.days: list[QLineEdit] = []
        self.day_errors: list[FieldError] = []
        for n in range(7):
            field = QLineEdit(week)
            field.setObjectName(f"hoursDay{n}")
            name = QLocale().dayName(n + 1, QLocale.FormatType.LongFormat)
            field.setAccessibleName(f"Hours on {name}")
            field.setPlaceholderText("off")
            field.textChanged.connect(self._validate)
            self.days.append(field)
            self.day_errors.append(FieldError(f"hoursDayError{n}", week))
        for row, n in enumerate((first_weekday() + k) % 7 for k in range(7)):
            name = QLocale().dayName(n + 1, QLocale.FormatType.LongFormat)
            grid.addWidget(QLabel(name, week), row * 2, 0)
            grid.addWidget(self.days[n], row * 2, 1)
            grid.addWidget(self.day_errors[n], row * 2 + 1, 1)

        kinds = QGroupBox("Appointment types", self)
        kinds_layout = QVBoxLayout(kinds)
        self.all_types = QCheckBox("Delivers every type (also types added later)", kinds)
        self.all_types.setObjectName("deliversAllTypes")
        self.all_types.setAccessibleName("Delivers every type")
        self.all_types.toggled.connect(self._validate)
        kinds_layout.addWidget(self.all_types)
        self.type_boxes: dict[int, QCheckBox] = {}
        for kind in ctx.services.appointment_types.list():
            box = QCheckBox(kind.name, kinds)
            box.setObjectName(f"delivers{kind.id}")
            box.setAccessibleName(f"Delivers {kind.name}")
            self.type_boxes[kind.id] = box
            kinds_layout.addWidget(box)

        self._build_exceptions()
        self.error = FieldError("hoursError", self)
        buttons, self.save_button = action_buttons(self, "Save", "saveHoursButton", self._save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        top = QHBoxLayout()
        top.addWidget(week, 3)
        top.addWidget(kinds, 2)
        layout.addLayout(top)
        layout.addWidget(self.exceptions_box, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._show(hours)

    def _build_exceptions(self) -> None:
        box = QGroupBox("Time off and extra shifts", self)
        self.exceptions_box = box
        self.exception_model = ExceptionModel(box)
        self.exception_table = QTableView(box)
        self.exception_table.setObjectName("exceptionTable")
        self.exception_table.setAccessibleName("Time off and extra shifts")
        self.exception_table.setModel(self.exception_model)
        self.exception_table.verticalHeader().hide()
        self.exception_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.exception_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.exception_table.horizontalHeader().setStretchLastSection(True)
        self.exception_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.exception_kind = QComboBox(box)
        self.exception_kind.setObjectName("exceptionKind")
        self.exception_kind.setAccessibleName("Time off or extra shift")
        for value, text in KINDS:
            self.exception_kind.addItem(text, value)
        today = self._ctx.services.clock.now().astimezone(self._ctx.services.clock.tz).date()
        self.from_day = DateField("exceptionFromDay", "From", today, box)
        self.from_time = self._time_edit("exceptionFromTime", "From time", box)
        self.to_day = DateField("exceptionToDay", "To", today, box)
        self.to_time = self._time_edit("exceptionToTime", "To time", box)
        self.whole_days = QCheckBox("Whole days", box)
        self.whole_days.setObjectName("exceptionWholeDays")
        self.whole_days.setAccessibleName("Whole days")
        self.whole_days.setChecked(True)
        self.whole_days.toggled.connect(self._whole_days_toggled)
        self.note = QLineEdit(box)
        self.note.setObjectName("exceptionNote")
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Holiday, course…")
        self.add_button = QPushButton("&Add", box)
        self.add_button.setObjectName("addExceptionButton")
        self.add_button.setAccessibleName("Add time off or shift")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._add_exception)
        self.remove_button = QPushButton("&Remove", box)
        self.remove_button.setObjectName("removeExceptionButton")
        self.remove_button.setAccessibleName("Remove time off or shift")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self._remove_exception)
        self.exception_error = FieldError("exceptionError", box)
        form = QFormLayout()
        first = QHBoxLayout()
        first.addWidget(self.exception_kind)
        first.addWidget(self.whole_days)
        first.addWidget(self.note)
        form.addRow("Add", first)
        when = QHBoxLayout()
        parts: tuple[QWidget, ...] = (self.from_day, self.from_time, QLabel("to", box),
                                      self.to_day, self.to_time, self.add_button)  # fmt: skip
        for part in parts:
            when.addWidget(part)
        form.addRow("When", when)
        form.addRow("", self.exception_error)
        layout = QVBoxLayout(box)
        layout.addWidget(self.exception_table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        layout.addLayout(form)
        self._whole_days_toggled(True)

    @staticmethod
    def _time_edit(name: str, accessible: str, parent: QWidget) -> QTimeEdit:
        edit = QTimeEdit(QTime(9, 0), parent)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setDisplayFormat(time_edit_format())
        return edit

    # --- showing ----------------------------------------------------------------------

    def _show(self, hours: StaffHoursView) -> None:
        by_day: dict[int, list[tuple[int, int]]] = {}
        for r in hours.weekly:
            by_day.setdefault(r.weekday, []).append((r.start_minute, r.end_minute))
        for n, field in enumerate(self.days):
            field.setText(show_hours(by_day.get(n, [])))
        self.all_types.setChecked(hours.delivers_all_types)
        for type_id, box in self.type_boxes.items():
            box.setChecked(hours.delivers_all_types or type_id in hours.delivered_type_ids)
        self._show_exceptions(hours)
        self._validate()

    def _show_exceptions(self, hours: StaffHoursView) -> None:
        self.exception_model.set_rows(list(hours.exceptions))
        self.remove_button.setEnabled(bool(hours.exceptions))

    def _whole_days_toggled(self, whole: bool) -> None:
        self.from_time.setVisible(not whole)
        self.to_time.setVisible(not whole)

    def _weekly(self) -> list[WeeklyRange] | None:
        ranges: list[WeeklyRange] = []
        ok = True
        for n, field in enumerate(self.days):
            found, problem = parse_hours(field.text())
            self.day_errors[n].show_message(problem)
            ok = ok and not problem
            ranges += [WeeklyRange(n, lo, hi) for lo, hi in found]
        return ranges if ok else None

    def _validate(self) -> None:
        weekly = self._weekly()
        for box in self.type_boxes.values():
            box.setEnabled(not self.all_types.isChecked())
        self.save_button.setEnabled(weekly is not None)
        if weekly is None:
            return
        self.summary.setText(
            "No weekly hours: available any time (time off aside)."
            if not weekly
            else "Bookable only inside these hours and extra shifts, never in time off."
        )

    # --- writes -----------------------------------------------------------------------

    def _save(self) -> None:
        weekly = self._weekly()
        if weekly is None:
            return
        everything = self.all_types.isChecked()
        chosen = [AppointmentTypeId(i) for i, box in self.type_boxes.items() if box.isChecked()]
        staff, actor = self._staff_id, self._ctx.actor
        availability = self._ctx.services.availability

        def both() -> Outcome[StaffHoursView]:
            first = availability.set_weekly_hours(staff, weekly, actor=actor)
            second = availability.set_delivered_types(
                staff, all_types=everything, type_ids=chosen, actor=actor
            )
            return Outcome(second.value, first.changes.merge(second.changes))

        submit(self, self._ctx.runner, both, ErrorFields(otherwise=self.error),
               button=self.save_button)  # fmt: skip

    def _exception_span(self) -> tuple[datetime, datetime]:
        first, last = self.from_day.day(), self.to_day.day()
        if self.whole_days.isChecked():
            return datetime.combine(first, time()), datetime.combine(
                date.fromordinal(last.toordinal() + 1), time()
            )
        t1, t2 = self.from_time.time(), self.to_time.time()
        return (datetime.combine(first, time(t1.hour(), t1.minute())),
                datetime.combine(last, time(t2.hour(), t2.minute())))  # fmt: skip

    def _add_exception(self) -> None:
        self.exception_error.clear_message()
        start, end = self._exception_span()
        kind, note = self.exception_kind.currentData(), self.note.text()
        staff, actor = self._staff_id, self._ctx.actor
        availability = self._ctx.services.availability
        self._ctx.runner.run(
            lambda: availability.add_exception(
                staff, kind=kind, starts_local=start, ends_local=end, note=note, actor=actor
            ),
            origin=self,
            on_done=lambda _view: self._exceptions_changed(),
            on_refused=lambda exc: self.exception_error.show_message(exc.message),
        )

    def _remove_exception(self) -> None:
        index = self.exception_table.currentIndex()
        if not index.isValid():
            self.exception_error.show_message("Pick the time off or shift to remove.")
            return
        row: TimeExceptionView = index.data(RowRole)
        availability, actor = self._ctx.services.availability, self._ctx.actor
        self._ctx.runner.run(
            lambda: availability.remove_exception(row.id, actor=actor),
            origin=self,
            on_done=lambda _none: self._exceptions_changed(),
            on_refused=lambda exc: self.exception_error.show_message(exc.message),
        )

    def _exceptions_changed(self) -> None:
        self.note.clear()
        self._show_exceptions(self._ctx.services.availability.hours(self._staff_id))
